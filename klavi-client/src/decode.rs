//! Reading a `2xx` body into the endpoint's response type, leniently (as the generated
//! response types are), and locating a failure by JSON Pointer without quoting any value.

use klavi_types::validation::pointer::push_token;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::error::ClientError;

/// Decodes `body` as `T`; on failure, reads it again with path tracking to say where.
pub(crate) fn decode<T: DeserializeOwned>(
    endpoint: &'static str,
    body: &[u8],
) -> Result<T, ClientError> {
    klavi_types::read_json(body).map_err(|error| locate::<T>(endpoint, body, &error))
}

#[cold]
fn locate<T: DeserializeOwned>(
    endpoint: &'static str,
    body: &[u8],
    error: &serde_json::Error,
) -> ClientError {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (pointer, located) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (pointer_of(error.path()), Some(error.into_inner())),
        // The limits `read_json` adds (nesting, UTF-8 in ignored members): the root.
        Ok(_) => (String::new(), None),
    };
    let error = located.as_ref().unwrap_or(error);
    ClientError::Decode {
        endpoint,
        pointer,
        line: error.line(),
        column: error.column(),
        category: match error.classify() {
            serde_json::error::Category::Syntax => "syntax",
            serde_json::error::Category::Data => "data",
            serde_json::error::Category::Eof => "eof",
            serde_json::error::Category::Io => "io",
        },
    }
}

/// The JSON Pointer of a path (RFC 6901: `~` as `~0`, `/` as `~1`).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => push_token(&mut pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use klavi_types::Endpoint;
    use klavi_types::consents::GetConsent;

    use super::*;

    type Consent = <GetConsent as Endpoint>::Response;

    #[test]
    fn a_wrong_type_is_located_by_pointer_and_never_quoted() {
        let body = br#"{"consentId": "c1", "linkId": 12345678901, "status": "AUTHORISED"}"#;
        let error = decode::<Consent>("get-consent", body).unwrap_err();
        let ClientError::Decode {
            pointer,
            category,
            line,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((pointer.as_str(), *category, *line), ("/linkId", "data", 1));
        assert!(!format!("{error} {error:?}").contains("12345678901"));
    }

    #[test]
    fn syntax_errors_and_nesting_are_located() {
        let error = decode::<Consent>("get-consent", b"{\n  \"consentId\": ").unwrap_err();
        assert!(
            matches!(
                error,
                ClientError::Decode {
                    line: 2,
                    category: "eof",
                    ..
                }
            ),
            "{error:?}"
        );
        let deep = format!("{{\"x\": {}{}}}", "[".repeat(200), "]".repeat(200));
        // serde skips an ignored member without counting its depth; the limit holds anyway.
        let error = decode::<serde::de::IgnoredAny>("x", deep.as_bytes()).unwrap_err();
        assert!(
            matches!(&error, ClientError::Decode { category: "syntax", pointer, .. } if pointer.is_empty()),
            "{error:?}"
        );
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let body = br#"{"a/b~c": {"d": [true, "x"]}}"#;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let error = serde_path_to_error::deserialize::<
            _,
            std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<bool>>>,
        >(&mut deserializer)
        .unwrap_err();
        assert_eq!(pointer_of(error.path()), "/a~1b~0c/d/1");
    }
}
