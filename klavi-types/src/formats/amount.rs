//! Money and other decimals, kept exactly as sent: never through `f64`.

use std::fmt;

use serde::de::Error as _;
use serde_json::value::RawValue;

use crate::validation::Code;
use crate::validation::coded::encode;
use crate::validation::messages;

/// A decimal amount exactly as the API sent it, as a JSON number (`1234.56`) or a string of
/// digits (`"1234.56"`); the text is kept, never converted to `f64`, so no cent is lost, and the
/// form is kept too, so a value serializes back byte for byte as it came (`"1000.0400"` stays a
/// string with four places, `1000.04` a number). Convert it with [`Amount::to`] into the decimal
/// type of your choice, or with `Amount::to_decimal` (feature `rust_decimal`).
///
/// Equality and hashing compare the text, whichever form carried it: `"0.10"` equals `0.10` but
/// not `0.1` (the docs give amounts with 2, 4, 6 and 8 places; compare values after converting).
///
/// Implements `schemas/common.json#/$defs/Amount`. Reading the exact digits of a JSON number
/// needs serde_json's raw values, so an `Amount` deserializes from JSON text (bytes, a `&str`
/// or a `RawValue`), not from an already-parsed `serde_json::Value`.
#[derive(Clone)]
pub struct Amount {
    text: String,
    sent_as_string: bool,
}

impl Amount {
    /// An amount from decimal text (`-?[0-9]+(.[0-9]+)?`), written as a JSON number.
    pub fn parse(text: &str) -> Option<Self> {
        is_decimal(text).then(|| Amount {
            text: text.to_owned(),
            sent_as_string: false,
        })
    }

    /// An amount from decimal text (`-?[0-9]+(.[0-9]+)?`), written as a JSON string, the form
    /// the report products use (`"1000.0400"`).
    pub fn parse_as_string(text: &str) -> Option<Self> {
        Self::parse(text).map(|amount| Amount {
            sent_as_string: true,
            ..amount
        })
    }

    /// The exact text (without quotes).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the amount came (and is written) as a JSON string rather than a number.
    pub fn is_string(&self) -> bool {
        self.sent_as_string
    }

    /// Parses the text into a decimal type (`rust_decimal::Decimal`, `bigdecimal::BigDecimal`,
    /// or `f64` if you accept rounding).
    pub fn to<T: std::str::FromStr>(&self) -> Result<T, T::Err> {
        self.text.parse()
    }

    /// The amount as a `rust_decimal::Decimal`, exactly, keeping its places (`"1000.0400"`
    /// has scale 4): an amount that does not fit its 96-bit mantissa and 28 decimal places
    /// (which would need rounding) is an error, never rounded. JSON numbers in exponent form
    /// (`1e3`) are read too.
    #[cfg(feature = "rust_decimal")]
    pub fn to_decimal(&self) -> Result<rust_decimal::Decimal, rust_decimal::Error> {
        match self.text.split_once(['e', 'E']) {
            None => rust_decimal::Decimal::from_str_exact(&self.text),
            Some((mantissa, exponent)) => {
                let plain = without_exponent(mantissa, exponent)
                    .ok_or_else(|| rust_decimal::Error::ConversionTo("Decimal".to_owned()))?;
                rust_decimal::Decimal::from_str_exact(&plain)
            }
        }
    }
}

/// The plain decimal text of `MANTISSAeEXPONENT` (`1.5`, `-2` → `0.015`), or `None` when the
/// exponent is out of any decimal's reach.
#[cfg(feature = "rust_decimal")]
fn without_exponent(mantissa: &str, exponent: &str) -> Option<String> {
    let exponent: i32 = exponent.parse().ok()?;
    if exponent.unsigned_abs() > 64 {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    // The position of the decimal point within `digits`, after moving it by the exponent.
    let point = whole.len() as i32 + exponent;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (w, f) = digits.split_at(point as usize);
        format!("{w}.{f}")
    };
    Some(format!("{sign}{text}"))
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Amount {}

impl std::hash::Hash for Amount {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

pub(crate) fn is_decimal(text: &str) -> bool {
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
        if self.sent_as_string {
            write!(f, "Amount({:?})", self.text)
        } else {
            write!(f, "Amount({})", self.text)
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Amount {
    /// Serializes in the form it came in: the string it was, or the JSON number it was (its
    /// exact text).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.sent_as_string {
            return serializer.serialize_str(&self.text);
        }
        match RawValue::from_string(self.text.clone()) {
            Ok(raw) => raw.serialize(serializer),
            Err(_) => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        if text.starts_with('"') {
            let inner: std::borrow::Cow<'_, str> =
                serde_json::from_str(text).map_err(D::Error::custom)?;
            return Amount::parse_as_string(&inner).ok_or_else(|| {
                let invalid = messages::AMOUNT;
                D::Error::custom(encode(invalid.code(), "", invalid.message()))
            });
        }
        let first = text.bytes().next();
        if matches!(first, Some(b'-' | b'0'..=b'9')) {
            Ok(Amount {
                text: text.to_owned(),
                sent_as_string: false,
            })
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
        assert!(from_string.is_string());
        for bad in [
            r#""1,5""#, r#""""#, r#""-""#, "true", "null", r#""1.""#, "[1]",
        ] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
        assert_eq!(Amount::parse("10.5").unwrap().to::<f64>(), Ok(10.5));
    }

    #[test]
    fn keeps_the_form_it_came_in() {
        for text in [
            r#""1000.0400""#,
            r#""1000.04""#,
            r#""1000.000004""#,
            r#""1000.00000004""#,
            r#""-0.10""#,
            "1000.0400",
            "73.76",
            "210",
        ] {
            let amount: Amount = serde_json::from_str(text).expect(text);
            assert_eq!(amount.is_string(), text.starts_with('"'), "{text}");
            assert_eq!(serde_json::to_string(&amount).unwrap(), text);
        }
        let built = Amount::parse_as_string("12.50").unwrap();
        assert_eq!(serde_json::to_string(&built).unwrap(), r#""12.50""#);
        assert_eq!(format!("{built:?}"), r#"Amount("12.50")"#);
        assert_eq!(
            format!("{:?}", Amount::parse("12.50").unwrap()),
            "Amount(12.50)"
        );
        // Escaped digits in a string are still the same text.
        let escaped: Amount = serde_json::from_str(r#""\u0031.5""#).unwrap();
        assert_eq!(escaped.as_str(), "1.5");
    }

    #[test]
    fn equality_compares_the_text_not_the_form() {
        let string = Amount::parse_as_string("0.10").unwrap();
        let number = Amount::parse("0.10").unwrap();
        assert_eq!(string, number);
        assert_ne!(number, Amount::parse("0.1").unwrap());
        use std::hash::{BuildHasher, RandomState};
        let state = RandomState::new();
        assert_eq!(state.hash_one(&string), state.hash_one(&number));
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn converts_to_decimal_exactly_or_not_at_all() {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        // As the API sends them: JSON numbers (exponent forms included).
        let exact = |text: &str| serde_json::from_str::<Amount>(text).unwrap().to_decimal();
        for (text, expected) in [
            ("1000.0400", "1000.0400"),
            ("1000.000004", "1000.000004"),
            ("42.00000025", "42.00000025"),
            ("-0.10", "-0.10"),
            ("0", "0"),
            ("1e3", "1000"),
            ("1.5E-2", "0.015"),
            ("-2.50e1", "-25.0"),
            ("12.5e+1", "125"),
        ] {
            let decimal = exact(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(decimal, Decimal::from_str(expected).unwrap(), "{text}");
        }
        // Scale is kept: four places stay four places.
        assert_eq!(exact("1000.0400").unwrap().to_string(), "1000.0400");
        for text in [
            "79228162514264337593543950336",
            "0.00000000000000000000000000001",
            "1.00000000000000000000000000001",
            "1e40",
            "1e-40",
            "1e999999",
        ] {
            assert!(exact(text).is_err(), "{text} would need rounding");
        }
    }
}
