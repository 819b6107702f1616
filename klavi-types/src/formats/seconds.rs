//! Durations in whole seconds that the API sends as a number or as a numeric string.

use std::fmt;

use serde::de::{self, Visitor};

/// A whole number of seconds, such as `expireIn`.
///
/// Implements `schemas/common.json#/$defs/Seconds`: a non-negative JSON integer (`1800`, also
/// `1800.0`, which JSON Schema counts as an integer) or a string of 1 to 19 digits (`"1800"`):
/// the docs type `expireIn` as a string while every example sends a number. Serializes as a
/// number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seconds(pub u64);

impl Seconds {
    /// The number of seconds.
    pub fn get(self) -> u64 {
        self.0
    }

    /// As a `std::time::Duration`.
    pub fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.0)
    }
}

impl From<u64> for Seconds {
    fn from(value: u64) -> Self {
        Seconds(value)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl serde::Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

struct SecondsVisitor;

/// What a `Seconds` is, the message of its violation.
const EXPECTED: &str = crate::validation::messages::SECONDS.message();

fn invalid<E: de::Error>() -> E {
    let invalid = crate::validation::messages::SECONDS;
    E::custom(crate::validation::coded::encode(
        invalid.code(),
        "",
        invalid.message(),
    ))
}

impl Visitor<'_> for SecondsVisitor {
    type Value = Seconds;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Seconds, E> {
        Ok(Seconds(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Seconds, E> {
        u64::try_from(value).map(Seconds).map_err(|_| invalid())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Seconds, E> {
        // 2^64 as f64; every finite whole value below it converts exactly.
        const LIMIT: f64 = 18_446_744_073_709_551_616.0;
        if value.fract() == 0.0 && (0.0..LIMIT).contains(&value) {
            Ok(Seconds(value as u64))
        } else {
            Err(invalid())
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Seconds, E> {
        let ok = (1..=19).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(invalid());
        }
        value.parse().map(Seconds).map_err(|_| invalid())
    }
}

impl<'de> serde::Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecondsVisitor)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Seconds {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Seconds")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema_text::schema_from_str(
            r#"{"type": ["integer", "string"], "minimum": 0, "maximum": 18446744073709551615, "pattern": "^[0-9]{1,19}$", "description": "A whole number of seconds, as a number or a numeric string."}"#,
        )
    }
}
