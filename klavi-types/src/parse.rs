//! Bytes to a validated typed value in one call, with every failure turned into violations that
//! carry a JSON Pointer, a stable code and a message free of personal data.

use serde::de::DeserializeOwned;

use crate::validation::{Validate, ValidationErrors, Violation, quote_key};

/// Deserializes `bytes` into `T` and validates it.
///
/// A payload that cannot be deserialized yields one violation (where deserialization stopped);
/// one that deserializes yields every rule violation `validate()` finds. For every violation of
/// any JSON, however broken, use the `diagnostics` feature.
///
/// ```
/// use klavi_types::links::CreateLinkRequest;
///
/// let error = klavi_types::from_json::<CreateLinkRequest>(br#"{"redirectUrl": "https://x.com"}"#)
///     .unwrap_err();
/// let violation = &error.as_slice()[0];
/// assert_eq!(violation.code(), "unknown_field");
/// assert_eq!(violation.pointer(), "/redirectUrl");
/// assert!(violation.message().contains("did you mean `redirectURL`?"));
/// ```
pub fn from_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, ValidationErrors> {
    // The fast path: plain serde_json, no path tracking (which cost 30% of a valid Create a
    // Link request). Only a payload that fails to deserialize is read again, with
    // `serde_path_to_error`, to say where.
    match read_json::<T>(bytes) {
        Ok(value) => {
            value.validate()?;
            Ok(value)
        }
        Err(error) => Err(locate_failure::<T>(bytes, &error)),
    }
}

/// Reads `bytes` as JSON into `T`. The UTF-8 of the whole payload is checked once up front, so
/// that serde_json borrows each string without checking it again (one check per string cost
/// 17% of a valid Create a Link request); a payload that is not UTF-8 is read with
/// `from_slice`, whose error says where the UTF-8 breaks.
pub fn read_json<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    match core::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// The violation of a payload that failed to deserialize as `T` with `error`, located by
/// reading it again with path tracking.
#[cold]
fn locate_failure<T: DeserializeOwned>(
    bytes: &[u8],
    error: &serde_json::Error,
) -> ValidationErrors {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => ValidationErrors::from(violation_of(error)),
        Ok(_) => match deserializer.end() {
            Err(trailing) => ValidationErrors::from(json_violation(String::new(), &trailing)),
            // Deserialization is deterministic, so this is not reached; the first error stands.
            Ok(()) => ValidationErrors::from(json_violation(String::new(), error)),
        },
    }
}

/// [`from_json`] for a JSON value already parsed, such as a webhook event's `payload`:
/// `klavi_types::from_json_value::<ConsentAuthorisedPayload>(payload)`.
pub fn from_json_value<T: DeserializeOwned + Validate>(
    value: &serde_json::Value,
) -> Result<T, ValidationErrors> {
    let bytes = serde_json::to_vec(value).map_err(|error| {
        ValidationErrors::from(Violation::new(
            "",
            "invalid_json",
            format!("invalid JSON: {error}"),
        ))
    })?;
    from_json(&bytes)
}

/// [`from_json`] for a string.
pub fn from_json_str<T: DeserializeOwned + Validate>(text: &str) -> Result<T, ValidationErrors> {
    from_json(text.as_bytes())
}

pub(crate) fn violation_of(error: serde_path_to_error::Error<serde_json::Error>) -> Violation {
    let mut pointer = String::new();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => push_key(&mut pointer, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    json_violation(pointer, &error.into_inner())
}

fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// Turns a serde_json error into a violation at `pointer`, rewriting serde's messages so that
/// they never echo the offending value.
fn json_violation(pointer: String, error: &serde_json::Error) -> Violation {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let text = full.strip_suffix(&suffix).unwrap_or(&full);
    let at = if error.line() > 0 {
        format!(" (line {}, column {})", error.line(), error.column())
    } else {
        String::new()
    };
    if !error.is_data() {
        return Violation::new(
            String::new(),
            "invalid_json",
            format!("invalid JSON: {text}{at}"),
        );
    }
    classify(pointer, text, &at)
}

/// [`classify`] without a location suffix, for errors raised inside nested parsers.
pub(crate) fn classify_message(pointer: String, text: &str) -> Violation {
    let suffix_start = text
        .rfind(" at line ")
        .filter(|i| text[*i..].contains(" column "));
    classify(pointer, &text[..suffix_start.unwrap_or(text.len())], "")
}

/// Turns a deserialization error message into a violation at `pointer` (`at` is appended to the
/// message, e.g. a line and column). serde's messages quote the offending value; they are
/// rewritten so that no value ever reaches a violation.
fn classify(mut pointer: String, text: &str, at: &str) -> Violation {
    if let Some(rest) = text.strip_prefix('[')
        && let Some((tag, message)) = rest.split_once("] ")
    {
        let (code, suffix) = tag.split_once(':').unwrap_or((tag, ""));
        if let Some(info) = crate::validation::code_info(code) {
            pointer.push_str(suffix);
            return Violation::new(pointer, info.code, format!("{message}{at}"));
        }
    }
    if let Some(name) = between(text, "missing field `", "`") {
        push_key(&mut pointer, name);
        return Violation::new(pointer, "required", format!("`{name}` is required{at}"));
    }
    if let Some(name) = between(text, "unknown field `", "`") {
        if !pointer.ends_with(&format!("/{name}")) {
            push_key(&mut pointer, name);
        }
        let expected = text
            .split_once("expected one of ")
            .map(|(_, list)| list)
            .or_else(|| text.split_once("expected ").map(|(_, one)| one))
            .unwrap_or("");
        let names: Vec<&str> = expected
            .split(", ")
            .filter_map(|n| n.strip_prefix('`')?.strip_suffix('`'))
            .collect();
        let hint = crate::suggest::closest(name, names.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        return Violation::new(
            pointer,
            "unknown_field",
            format!(
                "{} is not a member of this message{hint}{at}",
                quote_key(name)
            ),
        );
    }
    if text.starts_with("invalid type:") || text.starts_with("invalid length") {
        let expected = text
            .split_once(", expected ")
            .map_or("another type", |(_, e)| e);
        return Violation::new(
            pointer,
            "type",
            format!("wrong JSON type: expected {expected}{at}"),
        );
    }
    if let Some(name) = between(text, "duplicate field `", "`") {
        return Violation::new(
            pointer,
            "invalid",
            format!("{} appears twice{at}", quote_key(name)),
        );
    }
    let expected = text.split_once(", expected ").map(|(_, e)| e);
    let message = match expected {
        Some(expected) => format!("invalid value: expected {expected}{at}"),
        None => format!("invalid value{at}"),
    };
    Violation::new(pointer, "invalid", message)
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(start)?;
    rest.split_once(end).map(|(inner, _)| inner)
}

/// Parses a URL query string into `T` and validates it (see the generated
/// `from_query_string` methods).
pub(crate) fn from_query_string<T: DeserializeOwned + Validate>(
    query: &str,
) -> Result<T, ValidationErrors> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    let value: T = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let mut pointer = String::new();
        for segment in error.path().iter() {
            if let serde_path_to_error::Segment::Map { key } = segment {
                push_key(&mut pointer, key);
            }
        }
        ValidationErrors::from(classify(pointer, &error.into_inner().to_string(), ""))
    })?;
    value.validate()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::read_json;

    #[test]
    fn reads_text_and_reports_broken_utf8() {
        assert_eq!(
            read_json::<Value>(br#"{"a":[1,"b"]}"#).unwrap(),
            json!({"a": [1, "b"]})
        );
        let error = read_json::<Value>(b"[\"\xff\"]").unwrap_err();
        assert!(error.to_string().contains("invalid unicode"), "{error}");
    }
}
