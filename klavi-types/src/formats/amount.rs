//! Money and other decimals, kept exactly as sent: never through `f64`.

use std::fmt;

use serde::de::Error as _;
use serde_json::value::RawValue;

use crate::validation::Code;
use crate::validation::coded::encode;
use crate::validation::messages;

/// A decimal amount exactly as the API sent it, as a JSON number (`1234.56`) or a string of
/// digits (`"1234.56"`); the text is kept, never converted to `f64`, so no cent is lost.
/// Convert it with [`Amount::parse`] into the decimal type of your choice (e.g.
/// `rust_decimal::Decimal`).
///
/// Implements `schemas/common.json#/$defs/Amount`. Reading the exact digits of a JSON number
/// needs serde_json's raw values, so an `Amount` deserializes from JSON text (bytes, a `&str`
/// or a `RawValue`), not from an already-parsed `serde_json::Value`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Amount(String);

impl Amount {
    /// An amount from decimal text (`-?[0-9]+(.[0-9]+)?`).
    pub fn parse(text: &str) -> Option<Self> {
        is_decimal(text).then(|| Amount(text.to_owned()))
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text into a decimal type (`rust_decimal::Decimal`, `bigdecimal::BigDecimal`,
    /// or `f64` if you accept rounding).
    pub fn to<T: std::str::FromStr>(&self) -> Result<T, T::Err> {
        self.0.parse()
    }
}

fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Amount {
    /// Serializes as the JSON number it was (its exact text).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match RawValue::from_string(self.0.clone()) {
            Ok(raw) => raw.serialize(serializer),
            Err(_) => serializer.serialize_str(&self.0),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        if text.starts_with('"') {
            let inner: String = serde_json::from_str(text).map_err(D::Error::custom)?;
            return Amount::parse(&inner).ok_or_else(|| {
                let invalid = messages::AMOUNT;
                D::Error::custom(encode(invalid.code(), "", invalid.message()))
            });
        }
        let first = text.bytes().next();
        if matches!(first, Some(b'-' | b'0'..=b'9')) {
            Ok(Amount(text.to_owned()))
        } else {
            Err(D::Error::custom(encode(
                Code::Type,
                "",
                &messages::wrong_type(messages::AMOUNT_TYPE),
            )))
        }
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Amount")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema_text::schema_from_str(
            r#"{"type": ["number", "string"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": "A decimal amount, kept exactly."}"#,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Amount;

    #[test]
    fn keeps_the_exact_digits() {
        for text in [
            "1234.56",
            "0.10",
            "-7",
            "12345678901234567890.123456789",
            "1e3",
        ] {
            let amount: Amount = serde_json::from_str(text).expect(text);
            assert_eq!(amount.as_str(), text);
            assert_eq!(serde_json::to_string(&amount).unwrap(), text);
        }
        let from_string: Amount = serde_json::from_str(r#""0.30""#).unwrap();
        assert_eq!(from_string.as_str(), "0.30");
        for bad in [
            r#""1,5""#, r#""""#, r#""-""#, "true", "null", r#""1.""#, "[1]",
        ] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
        assert_eq!(Amount::parse("10.5").unwrap().to::<f64>(), Ok(10.5));
    }
}
