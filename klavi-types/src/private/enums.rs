//! String enums (twin of klavi-schema's `emit/enums.rs`): the error of an unknown value, and
//! deserialization through the enum's `FromStr`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use crate::validation::{Code, coded, messages};

/// The error of parsing an unknown value into a closed enum (or an invalid fallback value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumError {
    type_name: &'static str,
}

impl EnumError {
    /// An error for the enum `type_name`.
    pub const fn new(type_name: &'static str) -> Self {
        EnumError { type_name }
    }

    /// The coded serde error of an unknown value of the enum `type_name` (see
    /// `validation::coded`); integer enums say the same.
    pub(crate) fn coded(type_name: &str) -> String {
        coded::encode(Code::Enum, "", &messages::not_a_valid_value(type_name))
    }
}

impl fmt::Display for EnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&messages::not_a_valid_value(self.type_name))
    }
}

impl std::error::Error for EnumError {}

struct FromStrVisitor<T> {
    type_name: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Visitor<'_> for FromStrVisitor<T>
where
    T: std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", self.type_name)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value
            .parse()
            .map_err(|_| E::custom(EnumError::coded(self.type_name)))
    }
}

/// Deserializes a string enum through its `FromStr`.
pub fn deserialize_from_str<'de, D, T>(
    deserializer: D,
    type_name: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    deserializer.deserialize_str(FromStrVisitor {
        type_name,
        marker: PhantomData,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Yes;

    impl std::str::FromStr for Yes {
        type Err = EnumError;
        fn from_str(text: &str) -> Result<Self, EnumError> {
            (text == "yes").then_some(Yes).ok_or(EnumError::new("Yes"))
        }
    }

    fn read(json: &str) -> Result<Yes, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize_from_str(&mut de, "Yes").map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_values_carry_the_enum_code() {
        assert_eq!(read("\"yes\""), Ok(Yes));
        assert_eq!(
            read("\"no\"").unwrap_err(),
            "[enum] not a valid Yes value at line 1 column 4"
        );
        assert_eq!(EnumError::new("Yes").to_string(), "not a valid Yes value");
    }
}
