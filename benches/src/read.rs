//! How every contender turns bytes into a Rust value: the UTF-8 of the whole payload is checked
//! once, then `serde_json` reads the text. This is what `klavi_types::from_json` does (reading
//! with `from_slice` checks the UTF-8 of every string separately, 17% of a valid Create a Link
//! request), so the `jsonschema` contenders, the floor and the anchors get the same reading and
//! the ratios measure validation and representation, not the choice of `serde_json` entry point.

use serde::de::DeserializeOwned;

/// Reads `bytes` as JSON into `T`: `from_str` after one UTF-8 check, `from_slice` (which
/// reports where the UTF-8 breaks) otherwise.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    match core::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::from_bytes;

    #[test]
    fn reads_text_and_reports_broken_utf8() {
        assert_eq!(
            from_bytes::<Value>(br#"{"a":[1,"b"]}"#).unwrap(),
            json!({"a": [1, "b"]})
        );
        let error = from_bytes::<Value>(b"[\"\xff\"]").unwrap_err();
        assert!(error.to_string().contains("invalid unicode"), "{error}");
    }
}
