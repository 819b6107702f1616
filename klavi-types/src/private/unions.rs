//! Tagged unions (twin of klavi-schema's `emit/unions.rs`): a variant read from its JSON object
//! keeps the pointer of a failure inside it, and is written back with its tag member.

use serde::de::{self, DeserializeOwned};
use serde::{Serialize, Serializer};

use crate::validation::coded;

/// A deserialization error message carrying a violation code: `[code] message` (the one
/// encoder, `validation::coded::encode`). `from_json` turns it back into a violation
/// with that code. The generated unions raise it for an unknown tag.
pub fn coded(code: &'static str, message: &str) -> String {
    coded::encode(code, "", message)
}

/// Deserializes a union variant from its JSON object (tag included, ignored by the variant),
/// keeping the pointer of a failure inside it.
pub fn from_object<T: DeserializeOwned, E: de::Error>(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, E> {
    // `&Map` is a deserializer itself: no copy of the object.
    serde_path_to_error::deserialize(object).map_err(|error| {
        let pointer = crate::parse::pointer_of(error.path());
        let violation = crate::parse::classify_message(pointer, &error.into_inner().to_string());
        E::custom(coded::encode(
            violation.code(),
            violation.pointer(),
            violation.message(),
        ))
    })
}

/// Serializes a union variant as its object with the tag member added.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    let mut object = match serde_json::to_value(inner).map_err(S::Error::custom)? {
        serde_json::Value::Object(object) => object,
        _ => {
            return Err(S::Error::custom(
                "a union variant must serialize as an object",
            ));
        }
    };
    object.insert(tag.to_owned(), serde_json::Value::from(value));
    object.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Variant {
        n: Vec<u8>,
    }

    #[test]
    fn a_variant_failure_keeps_its_pointer() {
        let object = serde_json::json!({"n": [1, "x"]});
        let error =
            from_object::<Variant, serde_json::Error>(object.as_object().unwrap()).unwrap_err();
        assert!(
            error.to_string().starts_with("[type:/n/1] wrong JSON type"),
            "{error}"
        );
        assert_eq!(coded("enum", "m"), "[enum] m");
    }

    #[test]
    fn a_variant_is_written_with_its_tag() {
        let mut out = Vec::new();
        let variant = Variant { n: vec![1] };
        serialize_tagged(
            &mut serde_json::Serializer::new(&mut out),
            "t",
            "v",
            &variant,
        )
        .unwrap();
        assert_eq!(out, br#"{"n":[1],"t":"v"}"#);
    }
}
