//! The stable violation codes: each written once, in [`Code`], with what it means and how to
//! fix it. [`CODES`] (the source of `klavi codes`) and every validator take their codes from
//! here. Codes never change meaning; new ones may be added.

/// One violation code with its explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code (`cpf_check_digit`).
    pub code: &'static str,
    /// What it means.
    pub summary: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// Defines [`Code`] and [`CODES`] from one table: variant = "code", "summary", "fix";
macro_rules! codes {
    ($($variant:ident = $code:literal, $summary:literal, $fix:literal;)*) => {
        /// Every violation code, each once. [`Code::as_str`] is the code a
        /// [`Violation`](crate::validation::Violation) carries.
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order `klavi codes` lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as a violation carries it (`cpf_check_digit`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The code with its explanation.
            pub const fn info(self) -> CodeInfo {
                match self {
                    $(Code::$variant => CodeInfo { code: $code, summary: $summary, fix: $fix },)*
                }
            }
        }

        /// Every violation code, each once, tax ids included (their one-line reasons are also
        /// in [`crate::tax_id::ALL_CODES`], which names the same codes): [`Code`]'s explanations.
        pub const CODES: &[CodeInfo] = &[$(Code::$variant.info()),*];
    };
}

codes! {
    InvalidJson = "invalid_json",
        "The payload is not valid JSON.",
        "Fix the syntax at the reported line and column.";
    PayloadTooLarge = "payload_too_large",
        "The payload is larger than the `klavi` tool reads (16 MiB); it was not validated.",
        "Klavi payloads are a few kilobytes: check that the input is what you meant to send.";
    TooManyViolations = "too_many_violations",
        "The list was cut: the payload breaks more than 1000 rules, or (diagnostics) holds more than 20000 JSON values, too many to list every schema violation.",
        "Fix the listed violations (they usually share one cause) and validate again.";
    Type = "type",
        "A value has the wrong JSON type (for example a number where a string is expected).",
        "Send the JSON type the schema declares; tax ids, for instance, are strings, never numbers.";
    Required = "required",
        "A required member is missing.",
        "Add the member named by the pointer.";
    UnknownField = "unknown_field",
        "A request contains a member the API does not define (the API would silently ignore it).",
        "Remove it, or fix its spelling: wire names are case-sensitive (`redirectURL`, `appRedirectURLKey`).";
    DependentRequired = "dependent_required",
        "A member requires another one that is missing (`appLink` requires `appRedirectURLKey`).",
        "Add the member named by the pointer, or remove the member that requires it.";
    MissingOneOf = "missing_one_of",
        "None of the alternative members is present (for example neither `personalTaxId` nor `businessTaxId`).",
        "Send at least one of the members named in the message.";
    MutuallyExclusive = "mutually_exclusive",
        "Members that exclude each other are combined (`all` with other keys in `productsCallbackURL`).",
        "Keep `all` alone, or name the products (and optionally `other`) without `all`.";
    MinLength = "min_length",
        "A string is shorter than allowed (often: empty).",
        "Send a non-empty value, or leave the member out.";
    MaxLength = "max_length",
        "A string is longer than allowed.",
        "Shorten the value.";
    MinItems = "min_items",
        "An array has too few items.",
        "Add items.";
    MaxItems = "max_items",
        "An array has too many items.",
        "Remove items.";
    Minimum = "minimum",
        "A number is below the allowed minimum.",
        "Send a larger value.";
    Maximum = "maximum",
        "A number is above the allowed maximum.",
        "Send a smaller value.";
    Enum = "enum",
        "A value is not one of the allowed values.",
        "Use one of the values the schema lists (`klavi schema MESSAGE`).";
    InvalidKey = "invalid_key",
        "A map key is not allowed (for example an unknown key in `productsCallbackURL`).",
        "Use a report product name in snake_case, `other` or `all`.";
    Email = "email",
        "Not a valid e-mail address.",
        "Send an address such as `name@example.com`.";
    Uri = "uri",
        "Not a valid absolute URI (RFC 3986).",
        "Send an absolute URI with a scheme, such as `myapp://callback` or `https://example.com/path`.";
    HttpUrl = "http_url",
        "Not an absolute http(s) URL with a host.",
        "Send a URL such as `https://www.yourdomain.com/yourpath`.";
    DateTime = "date_time",
        "Not an RFC 3339 UTC timestamp.",
        "Send `YYYY-MM-DDThh:mm:ss[.fff]Z`.";
    Date = "date",
        "Not a calendar date `YYYY-MM-DD` (report dates are kept as sent; this is what parsing one on demand says).",
        "Send a date such as `2021-01-07`.";
    Integer = "integer",
        "Not a non-negative whole number (or a string of digits).",
        "Send a whole number such as `1800`.";
    Amount = "amount",
        "Not a decimal amount.",
        "Send a JSON number, or a string of digits with an optional `.` and fraction (`\"1234.56\"`).";
    ProductName = "product_name",
        "Not a valid report product name.",
        "Use snake_case (`pf_checking_account`); `all` and `other` are callback keys, not products.";
    CpfLength = "cpf_length",
        "A CPF has 11 digits, bare or as `DDD.DDD.DDD-DD`.",
        "Send all 11 digits, keeping leading zeros; never pad or truncate.";
    CpfCharacter = "cpf_character",
        "A CPF contains a character that is not a digit (or a separator of the mask).",
        "Send digits only, or the full mask `DDD.DDD.DDD-DD`.";
    CpfMask = "cpf_mask",
        "A CPF's separators are misplaced or the mask is partial.",
        "Send the bare 11 digits or the full mask `DDD.DDD.DDD-DD`.";
    CpfReserved = "cpf_reserved",
        "A CPF with 11 equal digits is never valid.",
        "Ask the end user for their real CPF.";
    CpfCheckDigit = "cpf_check_digit",
        "The CPF's check digits do not match (a typo or a made-up number).",
        "Check the number with the end user.";
    CnpjLength = "cnpj_length",
        "A CNPJ has 14 characters, bare or as `XX.XXX.XXX/XXXX-DD`.",
        "Send all 14 characters, keeping leading zeros.";
    CnpjCharacter = "cnpj_character",
        "A CNPJ contains a character outside `0-9`/`A-Z` (or a letter in a check-digit position).",
        "Send `0-9` and `A-Z` only; the last two characters are digits.";
    CnpjLowerCase = "cnpj_lower_case",
        "A CNPJ contains a lower-case letter; alphanumeric CNPJs are upper case.",
        "Upper-case the letters (or normalise with `tax_id::normalize::loose` before parsing).";
    CnpjMask = "cnpj_mask",
        "A CNPJ's separators are misplaced or the mask is partial.",
        "Send the bare 14 characters or the full mask `XX.XXX.XXX/XXXX-DD`.";
    CnpjReserved = "cnpj_reserved",
        "The all-zero CNPJ is never valid.",
        "Ask for the company's real CNPJ.";
    CnpjCheckDigit = "cnpj_check_digit",
        "The CNPJ's check digits do not match (a typo or a made-up number).",
        "Check the number with the company.";
    DuplicateMember = "duplicate_member",
        "An object holds the same member name (or map key) twice; readers disagree on which copy counts.",
        "Remove one of the copies: the violation points at the second one.";
    IntegerRange = "integer_range",
        "A whole number is beyond the range the member takes (for example above 2^64 - 1).",
        "Send a number within the range the message names.";
    Invalid = "invalid",
        "A value is invalid in a way no more specific code describes.",
        "Read the message and the schema (`klavi schema MESSAGE`).";
}

impl From<Code> for &'static str {
    fn from(code: Code) -> Self {
        code.as_str()
    }
}

impl core::fmt::Display for Code {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Code {
    /// The code spelled `code`, if it is a known code.
    pub fn from_code(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

/// Every violation code, tax ids included, with its explanation; each code once.
pub fn all_codes() -> impl Iterator<Item = CodeInfo> {
    CODES.iter().copied()
}

/// The explanation of `code`, if it is a known code.
pub fn code_info(code: &str) -> Option<CodeInfo> {
    Code::from_code(code).map(Code::info)
}

#[cfg(test)]
mod tests {
    use super::{CODES, Code, all_codes, code_info};

    #[test]
    fn every_code_is_listed_once() {
        let mut codes: Vec<&str> = all_codes().map(|info| info.code).collect();
        let listed = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), listed, "a code is listed twice");
        assert_eq!(listed, CODES.len());
    }

    #[test]
    fn each_code_reads_back() {
        for &code in Code::ALL {
            assert_eq!(Code::from_code(code.as_str()), Some(code));
            assert_eq!(code_info(code.as_str()), Some(code.info()));
            assert_eq!(code.to_string(), code.as_str());
        }
        assert_eq!(Code::from_code("no_such_code"), None);
    }

    #[test]
    fn the_tax_id_codes_are_listed() {
        for (code, _) in crate::tax_id::ALL_CODES {
            assert!(all_codes().any(|info| info.code == *code), "{code}");
        }
    }
}
