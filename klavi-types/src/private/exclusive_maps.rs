//! Maps with an exclusive key (twin of klavi-schema's `emit/exclusive_maps.rs`): `{K: V}` alone
//! or any other keys, never both (`productsCallbackURL`'s `all`).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::duplicate_key;
use crate::member_name::MemberName;
use crate::validation::{Code, coded, messages};

/// Serializes `{key: value}`.
pub fn serialize_single_entry<S: Serializer, V: Serialize>(
    serializer: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// The two shapes of a map with an exclusive key.
pub enum ExclusiveMap<K, V> {
    /// The exclusive key alone.
    Exclusive(V),
    /// Any other keys.
    Entries(BTreeMap<K, V>),
}

struct ExclusiveMapVisitor<K, V> {
    key: &'static str,
    marker: PhantomData<fn() -> (K, V)>,
}

impl<'de, K, V> Visitor<'de> for ExclusiveMapVisitor<K, V>
where
    K: std::str::FromStr + Ord,
    V: Deserialize<'de>,
{
    type Value = ExclusiveMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut exclusive = None;
        let mut entries = BTreeMap::new();
        // `MemberName`, not `Cow<str>`: serde's `Cow<str>` always copies the key.
        while let Some(MemberName(key)) = map.next_key::<MemberName<'de>>()? {
            if key == self.key {
                if exclusive.replace(map.next_value::<V>()?).is_some() {
                    return Err(duplicate_key(&key));
                }
            } else {
                let parsed = key.parse::<K>().map_err(|_| {
                    de::Error::custom(coded::encode_at(
                        Code::InvalidKey,
                        &key,
                        &messages::invalid_key(&key, Some(self.key)),
                    ))
                })?;
                if entries.insert(parsed, map.next_value::<V>()?).is_some() {
                    return Err(duplicate_key(&key));
                }
            }
        }
        match exclusive {
            Some(value) if entries.is_empty() => Ok(ExclusiveMap::Exclusive(value)),
            Some(_) => Err(de::Error::custom(coded::encode(
                Code::MutuallyExclusive,
                "",
                &messages::exclusive_key(self.key),
            ))),
            None => Ok(ExclusiveMap::Entries(entries)),
        }
    }
}

/// Deserializes a map in which `key` excludes every other key.
pub fn deserialize_exclusive_map<'de, D, K, V>(
    deserializer: D,
    key: &'static str,
) -> Result<ExclusiveMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: std::str::FromStr + Ord,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(ExclusiveMapVisitor {
        key,
        marker: PhantomData,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<ExclusiveMap<u8, i64>, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize_exclusive_map(&mut de, "all").map_err(|e| e.to_string())
    }

    fn error(json: &str) -> String {
        read(json).err().unwrap_or_default()
    }

    #[test]
    fn the_exclusive_key_stands_alone() {
        assert!(matches!(
            read(r#"{"all": 1}"#),
            Ok(ExclusiveMap::Exclusive(1))
        ));
        assert!(
            matches!(read(r#"{"1": 1, "2": 2}"#), Ok(ExclusiveMap::Entries(e)) if e.len() == 2)
        );
        assert!(
            error(r#"{"all": 1, "1": 2}"#)
                .starts_with("[mutually_exclusive] `all` cannot be combined with other keys")
        );
        assert!(
            error(r#"{"x": 1}"#)
                .starts_with("[invalid_key:/x] `x` is not a valid key here (besides `all`)")
        );
        assert!(
            error(r#"{"1": 1, "1": 2}"#).starts_with("[duplicate_member:/1] `1` appears twice")
        );
    }

    #[test]
    fn a_single_entry_serializes_as_an_object() {
        let mut out = Vec::new();
        serialize_single_entry(&mut serde_json::Serializer::new(&mut out), "all", &1).unwrap();
        assert_eq!(out, br#"{"all":1}"#);
    }
}
