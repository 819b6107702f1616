//! Endpoints and the registry (twin of klavi-schema's `emit/endpoints.rs`): path segments of
//! an endpoint's URL, and the typed checks the registry holds for each message.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::QueryValue;
use crate::validation::{Code, Validate, ValidationErrors, Violation, messages};

/// Appends `value` as one percent-encoded path segment: everything but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so a value can never add a segment, a query
/// or a fragment.
pub fn push_path_segment(path: &mut String, value: &impl QueryValue) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.query_value().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            path.push(char::from(byte));
        } else {
            path.push('%');
            path.push(char::from(HEX[usize::from(byte >> 4)]));
            path.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// The canonical JSON of a message, for the registry: deserialize, validate, serialize.
pub fn canonical_message<T: DeserializeOwned + Validate + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, ValidationErrors> {
    let value = crate::parse::from_json::<T>(bytes)?;
    serde_json::to_value(&value).map_err(|error| {
        ValidationErrors::from(Violation::new(
            "",
            Code::Invalid,
            messages::cannot_serialize(error),
        ))
    })
}

/// The typed check of a message, then its `Debug` rendering, for the registry.
pub fn debug_message<T: DeserializeOwned + Validate + std::fmt::Debug>(
    bytes: &[u8],
) -> Result<String, ValidationErrors> {
    crate::parse::from_json::<T>(bytes).map(|value| format!("{value:#?}"))
}

/// The typed check of a message, for the registry: deserialize, then validate.
pub fn check_message<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<(), ValidationErrors> {
    crate::parse::from_json::<T>(bytes).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_one_segment() {
        let mut path = "/links/".to_owned();
        push_path_segment(&mut path, &"a/b?c#d é~".to_owned());
        assert_eq!(path, "/links/a%2Fb%3Fc%23d%20%C3%A9~");
    }
}
