//! Report product names outside the documented list.

use std::fmt;

use super::{FormatError, string_format};

/// A report product name the docs do not list: snake_case words of `[a-z0-9]` joined by `_`,
/// starting with a letter, and neither `all` nor `other` (those are `productsCallbackURL` keys).
///
/// Implements `schemas/reports/defs.json#/$defs/ProductName`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductName(String);

const INVALID: FormatError = crate::validation::messages::PRODUCT_NAME;

impl ProductName {
    /// Parses a product name.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        check(text)?;
        Ok(ProductName(text.to_owned()))
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        check(&text)?;
        Ok(ProductName(text))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn check(text: &str) -> Result<(), FormatError> {
    let bytes = text.as_bytes();
    let snake = bytes.first().is_some_and(u8::is_ascii_lowercase)
        && !bytes.ends_with(b"_")
        && !text.contains("__")
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    if snake && text != "all" && text != "other" {
        Ok(())
    } else {
        Err(INVALID)
    }
}

impl fmt::Debug for ProductName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProductName({:?})", self.0)
    }
}

impl fmt::Display for ProductName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ProductName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

string_format!(
    ProductName,
    r#"{"type": "string", "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "not": {"enum": ["all", "other"]}, "description": "A snake_case report product name."}"#
);

#[cfg(test)]
mod tests {
    use super::ProductName;

    #[test]
    fn snake_case_names_only() {
        for ok in [
            "pf_checking_account",
            "a",
            "x1_2y",
            "pf_categorized_checking_l3",
            "alls",
        ] {
            assert!(ProductName::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "all", "other", "Pf", "_a", "a_", "a__b", "1a", "a-b", "a b", "é",
        ] {
            assert!(ProductName::parse(bad).is_err(), "{bad}");
        }
    }
}
