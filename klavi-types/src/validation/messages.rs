//! Every violation message, written once: the typed path (the generated `validate()`, the serde
//! helpers, the format types, the parser) and the diagnostics' mapping of `jsonschema` errors
//! both build their messages here, so that one rule broken reads the same whichever path finds
//! it. No message holds the offending value; a member name from the payload goes through
//! [`quote_key`].

use std::fmt::Display;

use super::{Code, quote_key};
use crate::formats::FormatError;

/// `minLength`: "must not be empty" for a limit of 1.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn min_length(min: u64) -> std::borrow::Cow<'static, str> {
    if min == 1 {
        std::borrow::Cow::Borrowed("must not be empty")
    } else {
        std::borrow::Cow::Owned(format!("must be at least {min} characters long"))
    }
}

/// `maxLength`.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn max_length(max: u64) -> String {
    format!("must be at most {max} characters long")
}

/// `minItems`.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn min_items(min: u64) -> String {
    format!("must have at least {min} item(s)")
}

/// `maxItems`.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn max_items(max: u64) -> String {
    format!("must have at most {max} item(s)")
}

/// `minimum`.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn minimum(min: impl Display) -> String {
    format!("must be at least {min}")
}

/// `maximum`.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn maximum(max: impl Display) -> String {
    format!("must be at most {max}")
}

/// A message whose words the schema fixes, as a literal: `__check_message!(min_length, 3)` is
/// `min_length(3)`'s text, and so on for `max_length`, `min_items`, `max_items`, `minimum`,
/// `maximum`, `alone_item` (the item), `required` (the member), `dependent_required` (the
/// missing member, then the one present), `conditional_required` (the missing member, then
/// the condition's words) and `exclusive_key` (the key). The generated `validate()` and
/// compiled check borrow it instead of formatting a message per violation; a test holds each
/// arm to its function here, word for word.
#[doc(hidden)]
#[macro_export]
macro_rules! __check_message {
    (min_length, 1) => {
        "must not be empty"
    };
    (min_length, $n:literal) => {
        concat!("must be at least ", $n, " characters long")
    };
    (max_length, $n:literal) => {
        concat!("must be at most ", $n, " characters long")
    };
    (min_items, $n:literal) => {
        concat!("must have at least ", $n, " item(s)")
    };
    (max_items, $n:literal) => {
        concat!("must have at most ", $n, " item(s)")
    };
    (minimum, $n:literal) => {
        concat!("must be at least ", $n)
    };
    (maximum, $n:literal) => {
        concat!("must be at most ", $n)
    };
    (alone_item, $item:literal) => {
        concat!(
            "`",
            $item,
            "` must be the only item: send `[\"",
            $item,
            "\"]`, or name each item"
        )
    };
    (required, $name:literal) => {
        concat!("`", $name, "` is required")
    };
    (dependent_required, $missing:literal, $trigger:literal) => {
        concat!(
            "`",
            $missing,
            "` is required when `",
            $trigger,
            "` is present"
        )
    };
    (conditional_required, $missing:literal, $condition:literal) => {
        concat!("`", $missing, "` is required when ", $condition)
    };
    (exclusive_key, $key:literal) => {
        concat!(
            "`",
            $key,
            "` cannot be combined with other keys: send `",
            $key,
            "` alone, or name each key"
        )
    };
}

/// `required`: the member `name` is missing.
pub(crate) fn required(name: &str) -> String {
    format!("`{name}` is required")
}

/// `dependentRequired`: `missing` is required because `trigger` is present (`None`: a member
/// that could not be named). The generated code borrows `__check_message!`'s literal instead.
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn dependent_required(missing: &str, trigger: Option<&str>) -> String {
    match trigger {
        Some(trigger) => format!("`{missing}` is required when `{trigger}` is present"),
        None => format!("`{missing}` is required when another member is present"),
    }
}

/// `if`/`then` required: `missing` is required when `condition` holds (`` `institutionType`
/// is 1 ``, see [`if_condition`]; `None`: a condition that could not be read).
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn conditional_required(missing: &str, condition: Option<&str>) -> String {
    let condition = condition.unwrap_or("another member has a certain value");
    format!("`{missing}` is required when {condition}")
}

/// The condition of an `if` on one member's `const`: "`` `institutionType` is 1 ``" (the
/// generator writes the same words into the generated `validate()`).
#[cfg(feature = "diagnostics")]
pub(crate) fn if_condition(member: &str, value: impl Display) -> String {
    format!("`{member}` is {value}")
}

/// `anyOf` of `required` lists, none complete: "one of `a` and `b` or `c` is required".
pub(crate) fn missing_one_of<A, N>(alternatives: A) -> String
where
    A: IntoIterator,
    A::Item: IntoIterator<Item = N>,
    N: AsRef<str>,
{
    let described: Vec<String> = alternatives
        .into_iter()
        .map(|names| {
            names
                .into_iter()
                .map(|name| format!("`{}`", name.as_ref()))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    format!("one of {} is required", described.join(" or "))
}

/// An array item that may only stand alone (`"all"` in `products`).
#[cfg(any(feature = "diagnostics", test))]
pub(crate) fn alone_item(item: &str) -> String {
    format!("`{item}` must be the only item: send `[\"{item}\"]`, or name each item")
}

/// A map key that excludes every other key (`all` in `productsCallbackURL`).
pub(crate) fn exclusive_key(key: &str) -> String {
    format!("`{key}` cannot be combined with other keys: send `{key}` alone, or name each key")
}

/// A map key its `propertyNames` refuses; `besides` names the exclusive key the map also
/// takes, when the message should say so.
pub(crate) fn invalid_key(key: &str, besides: Option<&str>) -> String {
    match besides {
        Some(besides) => format!(
            "{} is not a valid key here (besides `{besides}`)",
            quote_key(key)
        ),
        None => format!("{} is not a valid key here", quote_key(key)),
    }
}

/// A member name or map key met a second time.
pub(crate) fn duplicate_member(key: &str) -> String {
    format!("{} appears twice in this object", quote_key(key))
}

/// A member the message does not declare; `suggestion` is the declared name it most
/// resembles.
pub(crate) fn unknown_field(name: &str, suggestion: Option<&str>) -> String {
    let hint = suggestion
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    format!("{} is not a member of this message{hint}", quote_key(name))
}

/// A value outside a closed set (`enum`, `const`, `oneOf`).
pub(crate) const NOT_ALLOWED: &str = "not one of the allowed values";

/// A value outside the closed enum `type_name` (the typed path names the type).
pub(crate) fn not_a_valid_value(type_name: &str) -> String {
    format!("not a valid {type_name} value")
}

/// A value of another JSON type than the one expected (`expected` as serde or the schema
/// says it).
pub(crate) fn wrong_type(expected: &str) -> String {
    format!("wrong JSON type: expected {expected}")
}

/// A value of a JSON type that no branch of an `anyOf` takes.
pub(crate) fn type_not_allowed(json_type: &str) -> String {
    format!("wrong JSON type: {json_type} is not allowed here")
}

/// A value that no more specific message describes (`expected` as serde says it).
pub(crate) fn invalid_value(expected: Option<&str>) -> String {
    match expected {
        Some(expected) => format!("invalid value: expected {expected}"),
        None => "invalid value".to_owned(),
    }
}

/// A schema keyword this crate maps to no specific code.
#[cfg(feature = "diagnostics")]
pub(crate) fn violates(keyword: &str) -> String {
    format!("violates `{keyword}`")
}

/// A string that does not match its `pattern`.
#[cfg(feature = "diagnostics")]
pub(crate) const PATTERN: &str = "does not match the expected pattern";

/// A string that is not of a `format` this crate does not check itself.
#[cfg(feature = "diagnostics")]
pub(crate) fn not_of_format(format: &str) -> String {
    format!("not a valid `{format}`")
}

/// Text that is not JSON, without a position (the part of a payload it was read from).
pub(crate) fn invalid_json(reason: impl Display) -> String {
    format!("invalid JSON: {reason}")
}

/// Text that is not JSON, at a line and column (in characters).
pub(crate) fn invalid_json_at(line: usize, column: usize, reason: impl Display) -> String {
    format!("invalid JSON at line {line}, column {column}: {reason}")
}

/// The suffix that locates a data error in the payload: " (line L, column C)".
pub(crate) fn at_line_column(line: usize, column: usize) -> String {
    format!(" (line {line}, column {column})")
}

/// A typed value that serde cannot write back (not reached by the generated types).
pub(crate) fn cannot_serialize(error: impl Display) -> String {
    format!("cannot serialize the value back: {error}")
}

/// The end of a list cut at `max` violations.
pub(crate) fn too_many_violations(max: usize) -> String {
    format!("more than {max} violations: the first {max} are listed, the rest were not recorded")
}

/// The diagnostics' verdict on a payload too large to list every schema violation.
#[cfg(feature = "diagnostics")]
pub(crate) fn too_many_values(max: usize) -> String {
    format!(
        "the payload breaks the schema and holds more than {max} JSON values, too many to list \
         every schema violation: the typed check's are listed"
    )
}

/// An `integer` member beyond what it holds.
pub(crate) const INTEGER_RANGE: &str = "a whole number beyond the range this member takes \
                                        (from -2^63 to 2^63 - 1; below 2^53 when written with a \
                                        fraction or an exponent)";

/// Not a valid e-mail address ([`crate::formats::Email`]).
pub(crate) const EMAIL: FormatError = FormatError::new(
    Code::Email,
    "not a valid e-mail address (expected `name@example.com`)",
);

/// Not an absolute URI ([`crate::formats::AbsoluteUri`]).
pub(crate) const URI: FormatError = FormatError::new(
    Code::Uri,
    "not a valid absolute URI (expected a scheme, such as `myapp://callback`)",
);

/// Not an http(s) URL ([`crate::formats::HttpUrl`]).
pub(crate) const HTTP_URL: FormatError = FormatError::new(
    Code::HttpUrl,
    "not an absolute http(s) URL with a host (expected `https://host/path`)",
);

/// Not an RFC 3339 UTC timestamp ([`crate::formats::UtcDateTime`]).
pub(crate) const DATE_TIME: FormatError = FormatError::new(
    Code::DateTime,
    "not an RFC 3339 UTC timestamp (expected `YYYY-MM-DDThh:mm:ss[.fff]Z`)",
);

/// Not a `YYYY-MM-DD` date ([`crate::formats::DateText::to_date`]).
pub(crate) const DATE: FormatError =
    FormatError::new(Code::Date, "not a calendar date (expected `YYYY-MM-DD`)");

/// Not a date-time of a report ([`crate::formats::DateTimeText::to_offset_date_time`]).
pub(crate) const REPORT_DATE_TIME: FormatError = FormatError::new(
    Code::DateTime,
    "not a date-time (expected `YYYY-MM-DDThh:mm:ss[.fff]` with `Z`, `+hh:mm`, `-hh:mm` or no \
     zone)",
);

/// Not a report product name ([`crate::formats::ProductName`]).
pub(crate) const PRODUCT_NAME: FormatError = FormatError::new(
    Code::ProductName,
    "not a report product name (snake_case such as `pf_checking_account`; `all` and `other` are \
     reserved)",
);

/// Not a decimal amount ([`crate::formats::Amount`]).
pub(crate) const AMOUNT: FormatError = FormatError::new(
    Code::Amount,
    "not a decimal amount (a JSON number, or a string such as `\"1234.56\"`)",
);

/// An [`crate::formats::Amount`] that is neither a number nor a string.
pub(crate) const AMOUNT_TYPE: &str = "a number or a string of digits";

/// Not a whole number of seconds ([`crate::formats::Seconds`]).
pub(crate) const SECONDS: FormatError = FormatError::new(
    Code::Integer,
    "a non-negative whole number of seconds, or a string of digits",
);

/// A CPF that passes the format check and yet does not parse (not reached).
#[cfg(feature = "diagnostics")]
pub(crate) const INVALID_CPF: &str = "invalid CPF";

/// A CNPJ that passes the format check and yet does not parse (not reached).
#[cfg(feature = "diagnostics")]
pub(crate) const INVALID_CNPJ: &str = "invalid CNPJ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_before() {
        assert_eq!(min_length(1), "must not be empty");
        assert_eq!(min_length(3), "must be at least 3 characters long");
        assert_eq!(max_length(8), "must be at most 8 characters long");
        assert_eq!(min_items(1), "must have at least 1 item(s)");
        assert_eq!(max_items(2), "must have at most 2 item(s)");
        assert_eq!(minimum(0), "must be at least 0");
        assert_eq!(maximum(5), "must be at most 5");
    }

    /// The literals the generated code borrows read as the functions' messages.
    #[test]
    fn generated_literals_are_the_same_words() {
        assert_eq!(__check_message!(required, "appLink"), required("appLink"));
        assert_eq!(
            __check_message!(dependent_required, "appRedirectURLKey", "appLink"),
            dependent_required("appRedirectURLKey", Some("appLink"))
        );
        assert_eq!(
            __check_message!(conditional_required, "cnpj", "`institutionType` is 1"),
            conditional_required("cnpj", Some("`institutionType` is 1"))
        );
        assert_eq!(__check_message!(exclusive_key, "all"), exclusive_key("all"));
        assert_eq!(__check_message!(min_length, 1), min_length(1));
        assert_eq!(__check_message!(min_length, 3), min_length(3));
        assert_eq!(__check_message!(max_length, 14), max_length(14));
        assert_eq!(__check_message!(min_items, 1), min_items(1));
        assert_eq!(__check_message!(max_items, 50), max_items(50));
        assert_eq!(__check_message!(minimum, 0), minimum(0));
        assert_eq!(__check_message!(minimum, -5), minimum(-5));
        assert_eq!(__check_message!(maximum, 100), maximum(100));
        assert_eq!(__check_message!(alone_item, "all"), alone_item("all"));
    }

    #[test]
    fn requirements_name_the_members() {
        assert_eq!(required("a"), "`a` is required");
        assert_eq!(
            dependent_required("b", Some("a")),
            "`b` is required when `a` is present"
        );
        assert_eq!(
            dependent_required("b", None),
            "`b` is required when another member is present"
        );
        assert_eq!(
            conditional_required("b", Some("`t` is 1")),
            "`b` is required when `t` is 1"
        );
        assert_eq!(
            conditional_required("b", None),
            "`b` is required when another member has a certain value"
        );
        assert_eq!(
            missing_one_of([vec!["a", "b"], vec!["c"]]),
            "one of `a` and `b` or `c` is required"
        );
    }

    #[cfg(feature = "diagnostics")]
    #[test]
    fn the_diagnostics_words() {
        assert_eq!(if_condition("t", 1), "`t` is 1");
        assert_eq!(
            type_not_allowed("array"),
            "wrong JSON type: array is not allowed here"
        );
        assert_eq!(violates("uniqueItems"), "violates `uniqueItems`");
        assert_eq!(not_of_format("ipv4"), "not a valid `ipv4`");
        assert!(too_many_values(20_000).contains("more than 20000 JSON values"));
    }

    #[test]
    fn keys_from_the_payload_are_quoted_only_when_shareable() {
        assert_eq!(
            duplicate_member("name"),
            "`name` appears twice in this object"
        );
        assert!(!duplicate_member("maria@example.com").contains("maria"));
        assert_eq!(
            unknown_field("emial", Some("email")),
            "`emial` is not a member of this message; did you mean `email`?"
        );
        assert!(!invalid_key("52998224725", Some("all")).contains("529"));
        assert!(invalid_key("x", Some("all")).ends_with("(besides `all`)"));
    }
}
