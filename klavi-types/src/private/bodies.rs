//! Bodies chosen by a member (twin of klavi-schema's `emit/bodies.rs`): a body is read from the
//! members its object does not declare, each kept as exact JSON text, and written back as
//! members of that object.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::value::MapDeserializer;
use serde::de::{self, DeserializeOwned};
use serde::ser::{self, SerializeMap};

use crate::RawJson;
use crate::validation::coded;

/// Takes the members `names` out of `members` and reads them as the body `T`, from their exact
/// text (money never passes through `f64`). A failure keeps its pointer inside the object
/// (`[code:/member/…] message`): the body's members are the object's own.
pub fn take_body<T: DeserializeOwned, E: de::Error>(
    members: &mut BTreeMap<String, RawJson>,
    names: &[&str],
) -> Result<T, E> {
    let taken: Vec<(String, RawJson)> = names
        .iter()
        .filter_map(|name| members.remove_entry(*name))
        .collect();
    let deserializer: MapDeserializer<'_, _, serde_json::Error> = MapDeserializer::new(
        taken
            .iter()
            .map(|(name, raw)| (name.as_str(), raw.as_raw_value())),
    );
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let violation = crate::parse::violation_of(error);
        E::custom(coded::encode(
            violation.code(),
            violation.pointer(),
            violation.message(),
        ))
    })
}

/// Writes the members of the body `body` into the open map `map`, each with its exact text.
pub fn serialize_body<M: SerializeMap, T: Serialize>(
    map: &mut M,
    body: &T,
) -> Result<(), M::Error> {
    let text = serde_json::to_string(body).map_err(ser::Error::custom)?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let members = super::raw_members(&mut deserializer).map_err(ser::Error::custom)?;
    for (name, value) in &members {
        map.serialize_entry(name, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Body {
        #[serde(rename = "accounts")]
        accounts: Vec<crate::formats::Amount>,
    }

    fn members(json: &str) -> BTreeMap<String, RawJson> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_body_takes_its_members_and_leaves_the_others() {
        let mut all = members(r#"{"accounts": ["1000.0400", 2.50], "other": {"x": 1}}"#);
        let body: Body =
            take_body::<_, serde_json::Error>(&mut all, &["accounts", "absent"]).unwrap();
        assert_eq!(body.accounts[0].as_str(), "1000.0400");
        assert_eq!(body.accounts[1].as_str(), "2.50");
        assert_eq!(all.keys().collect::<Vec<_>>(), ["other"]);
    }

    #[test]
    fn a_failure_inside_the_body_keeps_its_pointer() {
        let mut all = members(r#"{"accounts": ["1", true]}"#);
        let error = take_body::<Body, serde_json::Error>(&mut all, &["accounts"]).unwrap_err();
        assert!(
            error.to_string().starts_with("[type:/accounts/1]"),
            "{error}"
        );
    }

    #[test]
    fn a_body_is_written_as_members_with_their_exact_text() {
        let body = Body {
            accounts: vec![crate::formats::Amount::parse_as_string("1000.0400").unwrap()],
        };
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = serde::Serializer::serialize_map(&mut serializer, None).unwrap();
        serialize_body(&mut map, &body).unwrap();
        map.serialize_entry("productName", "pf_balance").unwrap();
        SerializeMap::end(map).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"accounts":["1000.0400"],"productName":"pf_balance"}"#
        );
    }
}
