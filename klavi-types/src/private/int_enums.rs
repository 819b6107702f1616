//! Integer enums (twin of klavi-schema's `emit/int_enums.rs`): deserialization of a JSON number
//! through the enum's `TryFrom<i64>`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::EnumError;

struct IntEnumVisitor<T> {
    type_name: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Visitor<'_> for IntEnumVisitor<T>
where
    T: TryFrom<i64>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} number", self.type_name)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::custom(EnumError::coded(self.type_name)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        let value =
            i64::try_from(value).map_err(|_| E::custom(EnumError::coded(self.type_name)))?;
        self.visit_i64(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        // JSON Schema counts 12.0 as the integer 12.
        if value.fract() == 0.0 && value.abs() < crate::parse::EXACT_INTEGER_LIMIT {
            self.visit_i64(value as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        }
    }
}

/// Deserializes an integer enum through its `TryFrom<i64>`.
pub fn deserialize_int_enum<'de, D, T>(
    deserializer: D,
    type_name: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    deserializer.deserialize_i64(IntEnumVisitor {
        type_name,
        marker: PhantomData,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct One;

    impl TryFrom<i64> for One {
        type Error = ();
        fn try_from(value: i64) -> Result<Self, ()> {
            (value == 1).then_some(One).ok_or(())
        }
    }

    fn read(json: &str) -> Result<One, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize_int_enum(&mut de, "One").map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_only() {
        assert_eq!(read("1"), Ok(One));
        assert_eq!(read("1.0"), Ok(One));
        assert!(
            read("2")
                .unwrap_err()
                .starts_with("[enum] not a valid One value")
        );
        assert!(
            read("18446744073709551615")
                .unwrap_err()
                .starts_with("[enum]")
        );
        assert!(read("1.5").unwrap_err().starts_with("invalid type"));
    }
}
