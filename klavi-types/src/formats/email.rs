//! E-mail addresses (`format: email`), masked wherever they could be logged.

use std::fmt;
use std::str::FromStr;

use super::{FormatError, string_format};

/// An e-mail address (RFC 5321 mailbox). Personal data: `Debug` and `Display` are masked; read it
/// with [`Email::expose`].
///
/// Semantics follow the `jsonschema` crate's `email` format (the project's oracle): the
/// `email_address` crate's parser, an ASCII local part, and a domain that is an ASCII host name
/// (labels of letters, digits and hyphens, at most 63 bytes, 253 in all) or an address literal
/// (`[192.0.2.1]`, `[IPv6:…]`). Punycode labels (`xn--…`) are accepted without being decoded.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const INVALID: FormatError = crate::validation::messages::EMAIL;

impl Email {
    /// Parses an e-mail address.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        Self::check(text)?;
        Ok(Email(text.to_owned()))
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        Self::check(&text)?;
        Ok(Email(text))
    }

    /// Whether `text` is a valid e-mail address (no allocation).
    pub fn is_valid(text: &str) -> bool {
        Self::check(text).is_ok()
    }

    fn check(text: &str) -> Result<(), FormatError> {
        if is_plain_address(text) {
            return Ok(());
        }
        // Every address has an `@` (RFC 5321 `Mailbox`): without one, the full parse is not
        // needed to say no.
        if !text.as_bytes().contains(&b'@') {
            return Err(INVALID);
        }
        Self::check_fully(text)
    }

    /// The full check: `email_address` (which allocates), then the domain's own rules.
    #[cold]
    fn check_fully(text: &str) -> Result<(), FormatError> {
        // RFC 5321 allows an empty quoted local part, which `email_address` rejects (the
        // `jsonschema` crate special-cases it the same way).
        if let Some(domain) = text.strip_prefix("\"\"@") {
            return Self::check_fully(&format!("\"a\"@{domain}"));
        }
        let parsed = email_address::EmailAddress::from_str(text).map_err(|_| INVALID)?;
        if !parsed.local_part().is_ascii() {
            return Err(INVALID);
        }
        let domain = parsed.domain();
        let ok = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            Some(literal) => match literal.get(..5) {
                Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                    literal[5..].parse::<std::net::Ipv6Addr>().is_ok()
                }
                _ => literal.parse::<std::net::Ipv4Addr>().is_ok(),
            },
            None => is_ascii_hostname(domain),
        };
        if ok { Ok(()) } else { Err(INVALID) }
    }

    /// The address itself. Personal data: do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Same as [`Email::expose`]; used by serialization.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a byte may be in a plain address ([`is_plain_address`]): a bit for the local part's
/// `atext` (RFC 5322: letters, digits and ``!#$%&'*+-/=?^_`{|}~``), a bit for a host label's
/// characters (letters, digits, `-`). One table lookup a byte.
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        let label = b.is_ascii_alphanumeric() || b == b'-';
        let atext = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'/'
                    | b'='
                    | b'?'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            );
        table[byte] = (atext as u8 * ATEXT) | (label as u8 * LABEL);
        byte += 1;
    }
    table
};
const ATEXT: u8 = 1;
const LABEL: u8 = 2;

/// The fast path: an ASCII dot-atom local part of at most 64 bytes, one `@`, and an ASCII
/// hostname, in one pass over the bytes with a table lookup each. Every such address passes
/// [`Email::check_fully`] (its local part is `email_address`'s dot-atom, its domain satisfies
/// both domain checks), so accepting it here changes no verdict; anything else goes the full
/// way. Allocation-free, about 10× faster than the full check.
fn is_plain_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The local part: atoms of `atext`, one dot between two, up to the `@`.
    let mut atom = 0;
    let mut at = 0;
    loop {
        let Some(&b) = bytes.get(at) else {
            return false;
        };
        if CLASSES[usize::from(b)] & ATEXT != 0 {
            atom += 1;
        } else if (b == b'.' || b == b'@') && atom > 0 {
            atom = 0;
            if b == b'@' {
                break;
            }
        } else {
            return false;
        }
        at += 1;
    }
    at <= 64 && is_ascii_hostname(&text[at + 1..])
}

/// An ASCII host name: labels of letters, digits and hyphens (not first nor last), of 1 to 63
/// bytes, 253 in all, without a final dot; `--` in a label's third and fourth bytes only
/// after `xn` (punycode).
fn is_ascii_hostname(host: &str) -> bool {
    let bytes = host.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 {
        return false;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if !is_label(&bytes[start..i]) {
                return false;
            }
            start = i + 1;
        } else if CLASSES[usize::from(b)] & LABEL == 0 {
            return false;
        }
    }
    // A final dot leaves an empty last label.
    is_label(&bytes[start..])
}

/// A host label whose bytes are letters, digits and hyphens: its length, its ends, its `--`.
fn is_label(label: &[u8]) -> bool {
    match label {
        [] => false,
        [first, .., last] | [first @ last] => {
            label.len() <= 63
                && *first != b'-'
                && *last != b'-'
                && !(label.len() >= 4 && &label[2..4] == b"--" && !label.starts_with(b"xn--"))
        }
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***@***)")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***@***")
    }
}

string_format!(
    Email,
    r#"{"type": "string", "format": "email", "description": "An e-mail address (RFC 5321 mailbox)."}"#
);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Email, is_plain_address};

    #[test]
    fn plain_addresses_take_the_fast_path_and_others_do_not() {
        for plain in [
            "maria@example.com",
            "a.b+c@x.com.br",
            "o'neil@a-b.io",
            "x@localhost",
        ] {
            assert!(is_plain_address(plain), "{plain}");
            assert!(Email::check_fully(plain).is_ok(), "{plain}");
        }
        for other in [
            "\"a b\"@x.com",
            "a@[127.0.0.1]",
            "é@x.com",
            ".a@x.com",
            "a..b@x.com",
        ] {
            assert!(!is_plain_address(other), "{other}");
        }
        assert!(Email::is_valid("\"a b\"@x.com") && Email::is_valid("a@[127.0.0.1]"));
        assert!(!Email::is_valid("a..b@x.com") && !Email::is_valid("not-an-email"));
    }

    /// The one-pass host name check reads as the rule it implements, split label by label.
    fn reference_hostname(host: &str) -> bool {
        let bytes = host.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 253
            && !bytes.ends_with(b".")
            && bytes.split(|&b| b == b'.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with(b"-")
                    && !label.ends_with(b"-")
                    && label
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                    && !(label.len() >= 4 && &label[2..4] == b"--" && !label.starts_with(b"xn--"))
            })
    }

    #[test]
    fn host_names_follow_the_rule() {
        let long_label = "a".repeat(63);
        for host in [
            "example.com",
            "a",
            "a-b.c",
            "-a.c",
            "a-.c",
            "a..c",
            "a.c.",
            ".a",
            "xn--nxa.com",
            "ab--c.com",
            "a_b.com",
            &long_label,
            &format!("{long_label}a.com"),
            &format!("{long_label}.{long_label}.{long_label}.{}", "a".repeat(61)),
            &format!("{long_label}.{long_label}.{long_label}.{}", "a".repeat(62)),
        ] {
            assert_eq!(
                super::is_ascii_hostname(host),
                reference_hostname(host),
                "{host}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The one-pass host name check is the rule, label by label.
        #[test]
        fn host_names_agree_with_the_reference(host in "[a-zA-Z0-9.x_-]{0,70}") {
            prop_assert_eq!(super::is_ascii_hostname(&host), reference_hostname(&host));
        }

        /// The fast path never accepts what the full check rejects.
        #[test]
        fn the_fast_path_accepts_nothing_the_full_check_rejects(
            text in prop_oneof![
                "[a-zA-Z0-9.!#'+_~-]{0,70}@[a-zA-Z0-9.-]{0,70}",
                prop::collection::vec(
                    prop::sample::select("aZ09.@-_+'\"[]< é!~".chars().collect::<Vec<_>>()),
                    0..80,
                )
                .prop_map(|chars| chars.into_iter().collect::<String>()),
            ]
        ) {
            if is_plain_address(&text) {
                prop_assert!(Email::check_fully(&text).is_ok(), "{:?}", text);
            }
        }
    }
}
