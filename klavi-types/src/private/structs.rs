//! Structs (twin of klavi-schema's `emit/structs.rs`): members that refuse `null`, integers
//! read as JSON Schema reads them, objects read only from JSON objects, and the members of
//! objects that keep undeclared ones as raw text.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::member_name::MemberName;
use crate::validation::{Code, coded, messages};

/// An optional member of a request: present means non-null (JSON Schema's `type` rejects
/// `null`, so `serde`'s default of reading `null` as absent would accept what the schema
/// refuses).
pub fn some_non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The error of a member name or map key met a second time (at that second occurrence).
pub fn duplicate_key<E: de::Error>(key: &str) -> E {
    E::custom(coded::encode_at(
        Code::DuplicateMember,
        key,
        &messages::duplicate_member(key),
    ))
}

/// Parses the member `key` out of a map of raw members, turning its errors into messages that
/// carry the member's pointer (`[code:/key/…] message`).
fn parse_member<T: DeserializeOwned, E: de::Error>(
    key: &str,
    raw: &crate::RawJson,
) -> Result<T, E> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let violation = crate::parse::violation_of(error);
        let mut pointer = String::new();
        crate::validation::pointer::push_token(&mut pointer, key);
        pointer.push_str(violation.pointer());
        E::custom(coded::encode(
            violation.code(),
            &pointer,
            violation.message(),
        ))
    })
}

/// The members of a raw-keeping object, each as exact JSON text; a name met twice is a
/// `duplicate_member` error.
pub fn raw_members<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, crate::RawJson>, D::Error> {
    struct RawMembers;

    impl<'de> Visitor<'de> for RawMembers {
        type Value = BTreeMap<String, crate::RawJson>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = BTreeMap::new();
            while let Some(MemberName(key)) = map.next_key::<MemberName<'de>>()? {
                if members.contains_key(key.as_ref()) {
                    return Err(duplicate_key(&key));
                }
                members.insert(key.into_owned(), map.next_value()?);
            }
            Ok(members)
        }
    }

    deserializer.deserialize_map(RawMembers)
}

/// A required member of a raw-keeping object.
pub fn take_member<T: DeserializeOwned, E: de::Error>(
    members: &mut BTreeMap<String, crate::RawJson>,
    key: &'static str,
) -> Result<T, E> {
    match members.remove(key) {
        Some(raw) => parse_member(key, &raw),
        None => Err(E::missing_field(key)),
    }
}

/// An optional member of a raw-keeping object (present means non-null, as the schema says).
pub fn take_optional_member<T: DeserializeOwned, E: de::Error>(
    members: &mut BTreeMap<String, crate::RawJson>,
    key: &'static str,
) -> Result<Option<T>, E> {
    match members.remove(key) {
        Some(raw) => parse_member(key, &raw).map(Some),
        None => Ok(None),
    }
}

/// A deserializer that reads structs only from JSON objects: serde's derived struct visitors
/// also accept arrays (members by position), which JSON Schema's `type: object` refuses.
pub struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The coded serde error of an `integer` member beyond what it holds.
fn integer_range<E: de::Error>() -> E {
    E::custom(coded::encode(
        Code::IntegerRange,
        "",
        messages::INTEGER_RANGE,
    ))
}

struct JsonIntegerVisitor;

impl Visitor<'_> for JsonIntegerVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| integer_range())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
        // JSON Schema counts `22.0` as the integer 22. A whole number read as floating point
        // is a literal with a fraction or an exponent, or one beyond 64 bits
        // (`18446744073709551616`): exact only below 2^53 (`EXACT_INTEGER_LIMIT`).
        if value.fract() != 0.0 || !value.is_finite() {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        } else if value.abs() < crate::parse::EXACT_INTEGER_LIMIT {
            Ok(value as i64)
        } else {
            Err(integer_range())
        }
    }
}

/// An `integer` member: a JSON number with no fractional part (`22` or `22.0`).
pub fn json_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(JsonIntegerVisitor)
}

/// An optional `integer` member (present means non-null).
pub fn some_json_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    json_integer(deserializer).map(Some)
}

/// An `integer` read with JSON Schema's rule (`22.0` is 22), for members parsed from raw text.
pub struct JsonInteger(pub i64);

impl<'de> Deserialize<'de> for JsonInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json_integer(deserializer).map(JsonInteger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integer(json: &str) -> Result<i64, String> {
        json_integer(&mut serde_json::Deserializer::from_str(json)).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_as_json_schema_reads_them() {
        assert_eq!(integer("22"), Ok(22));
        assert_eq!(integer("22.0"), Ok(22));
        assert_eq!(integer("-2e3"), Ok(-2000));
        assert!(integer("22.5").unwrap_err().starts_with("invalid type"));
        assert!(
            integer("9223372036854775808")
                .unwrap_err()
                .starts_with("[integer_range] a whole number beyond the range")
        );
        assert!(integer("1e16").unwrap_err().starts_with("[integer_range]"));
        // Compared as numbers: below 2^53 a fraction of zero changes nothing.
        assert_eq!(integer("9007199254740990.0"), Ok(9_007_199_254_740_990));
        assert_eq!(integer("-9007199254740991.0"), Ok(-9_007_199_254_740_991));
        assert!(
            integer("9007199254740992.0")
                .unwrap_err()
                .starts_with("[integer_range]")
        );
    }

    #[test]
    fn raw_members_are_read_once_each() {
        let read = |json: &str| raw_members(&mut serde_json::Deserializer::from_str(json));
        let mut members = read(r#"{"a": 1, "b": [true]}"#).unwrap();
        assert_eq!(
            take_member::<i64, serde_json::Error>(&mut members, "a").unwrap(),
            1
        );
        assert_eq!(
            take_optional_member::<i64, serde_json::Error>(&mut members, "z").unwrap(),
            None
        );
        let error = take_member::<Vec<String>, serde_json::Error>(&mut members, "b").unwrap_err();
        assert!(
            error.to_string().starts_with("[type:/b/0] wrong JSON type"),
            "{error}"
        );
        let error = take_member::<i64, serde_json::Error>(&mut members, "a").unwrap_err();
        assert!(
            error.to_string().starts_with("missing field `a`"),
            "{error}"
        );
        let error = read(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("[duplicate_member:/a] `a` appears twice")
        );
    }

    #[test]
    fn structs_are_read_from_objects_only() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            a: i64,
        }
        let read = |json: &str| {
            S::deserialize(ObjectOnly(&mut serde_json::Deserializer::from_str(json)))
                .map_err(|e| e.to_string())
        };
        assert!(read(r#"{"a": 1}"#).is_ok());
        assert!(
            read("[1]")
                .unwrap_err()
                .starts_with("invalid type: sequence")
        );
    }
}
