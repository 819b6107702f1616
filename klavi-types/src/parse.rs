//! Bytes to a validated typed value in one call, with every failure turned into violations that
//! carry a JSON Pointer, a stable code and a message free of personal data.

use serde::de::DeserializeOwned;

use crate::validation::{Code, Validate, ValidationErrors, Violation, coded, messages};

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
///
/// The nesting limit (128, serde_json's), UTF-8 and paired surrogate escapes hold for every value, also the members `T`
/// does not declare: serde_json skips those without counting their depth or checking their
/// bytes, so such a payload would be read as `T` but not as JSON by the diagnostics. It gets
/// the error reading it as JSON gives. (A number beyond `f64` in an ignored member is the one
/// case left: see ARCHITECTURE.md, "Known divergences".)
pub fn read_json<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let value = match core::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text)?,
        Err(_) => {
            // Not UTF-8, so not JSON; serde_json skips an ignored string without checking it,
            // so `T` may have read it. Reading it as JSON says where it breaks.
            let value = serde_json::from_slice(bytes)?;
            serde_json::from_slice::<serde_json::Value>(bytes)?;
            value
        }
    };
    if nests_deeper_than_the_limit(bytes) || may_escape_a_surrogate(bytes) {
        serde_json::from_slice::<serde_json::Value>(bytes)?;
    }
    Ok(value)
}

/// Whether `bytes` may hold a `\uD800`–`\uDFFF` escape, which must come in a valid pair
/// (serde_json does not check that in strings it skips). A vectorized search for `\u` tells
/// first; an escaped backslash before a `u` only costs a second read.
fn may_escape_a_surrogate(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, br"\u").any(|at| {
        let hex = &bytes[at + 2..];
        matches!(hex.first(), Some(b'd' | b'D'))
            && matches!(hex.get(1), Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'))
    })
}

/// serde_json's nesting limit: the 128th array or object open at once is refused.
const NESTING_LIMIT: usize = 128;

/// Whether `bytes` (JSON that was read) opens [`NESTING_LIMIT`] arrays or objects at once.
/// A payload with fewer brackets in all cannot, which a vectorized count tells first.
fn nests_deeper_than_the_limit(bytes: &[u8]) -> bool {
    if memchr::memchr2_iter(b'[', b'{', bytes).count() < NESTING_LIMIT {
        return false;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= NESTING_LIMIT {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
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
        Err(error) => ValidationErrors::from(violation_in(error, Some(bytes))),
        Ok(_) => match deserializer.end() {
            Err(trailing) => {
                ValidationErrors::from(json_violation(String::new(), &trailing, Some(bytes)))
            }
            // Deserialization is deterministic, so this is not reached; the first error stands.
            Ok(()) => ValidationErrors::from(json_violation(String::new(), error, Some(bytes))),
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
            Code::InvalidJson,
            messages::invalid_json(error),
        ))
    })?;
    from_json(&bytes)
}

/// [`from_json`] for a string.
pub fn from_json_str<T: DeserializeOwned + Validate>(text: &str) -> Result<T, ValidationErrors> {
    from_json(text.as_bytes())
}

/// The violation of a failed read of a part of a payload (a member's raw text): positions in
/// that part would mislead, so none is given.
pub(crate) fn violation_of(error: serde_path_to_error::Error<serde_json::Error>) -> Violation {
    violation_in(error, None)
}

/// The violation of a failed read of `source` (when given, its message says where).
fn violation_in(
    error: serde_path_to_error::Error<serde_json::Error>,
    source: Option<&[u8]>,
) -> Violation {
    let pointer = pointer_of(error.path());
    json_violation(pointer, &error.into_inner(), source)
}

/// The JSON Pointer of where `serde_path_to_error` stopped.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => push_key(&mut pointer, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}

fn push_key(pointer: &mut String, key: &str) {
    crate::validation::pointer::push_token(pointer, key);
}

/// Turns a serde_json error into a violation at `pointer`, rewriting serde's messages so that
/// they never echo the offending value. With the `source` the error comes from, the message ends
/// with the line and column (in characters) where reading stopped.
fn json_violation(pointer: String, error: &serde_json::Error, source: Option<&[u8]>) -> Violation {
    if !error.is_data() {
        return match source {
            Some(source) => JsonSyntaxError::new(source, error).to_violation(),
            None => Violation::new(
                String::new(),
                Code::InvalidJson,
                messages::invalid_json(serde_message(error)),
            ),
        };
    }
    let at = match source {
        Some(source) if error.line() > 0 => {
            let at = JsonSyntaxError::new(source, error);
            messages::at_line_column(at.line, at.column)
        }
        _ => String::new(),
    };
    classify(pointer, &serde_message(error), &at)
}

/// serde_json's message without its ` at line L column C` suffix (whose column counts bytes).
fn serde_message(error: &serde_json::Error) -> String {
    let mut text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    if text.ends_with(&suffix) {
        text.truncate(text.len() - suffix.len());
    }
    text
}

/// Where and why a payload is not JSON: the byte offset, line and column (1-based, in
/// characters) at which reading stopped, and serde_json's reason, which never quotes the
/// payload. The same position is given by the `invalid_json` violation's message and by the
/// `klavi` CLI's `line` and `column`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// The byte offset of the offending byte (the length of the input at an unexpected end).
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Why reading stopped (`expected value`, `number out of range`, `recursion limit
    /// exceeded`, …).
    pub reason: String,
}

impl JsonSyntaxError {
    /// Reads `source` as JSON, as [`from_json`] and the diagnostics do (UTF-8 checked, nesting
    /// limited to 128, numbers within `f64`, escapes checked); `None` when it is JSON.
    pub fn find(source: &[u8]) -> Option<Self> {
        read_json::<serde_json::Value>(source)
            .err()
            .map(|error| Self::new(source, &error))
    }

    /// The position of `error`, which reading `source` gave.
    pub fn new(source: &[u8], error: &serde_json::Error) -> Self {
        let reason = serde_message(error);
        // serde_json's column counts the bytes of the line up to and including the offending
        // one; at an unexpected end it names the last byte read, so the end itself is used.
        let offset = if error.classify() == serde_json::error::Category::Eof {
            source.len()
        } else {
            let line_start = nth_line_start(source, error.line());
            (line_start + error.column().saturating_sub(1)).min(source.len())
        };
        let (line, column) = line_column(source, offset);
        JsonSyntaxError {
            offset,
            line,
            column,
            reason,
        }
    }

    /// The `invalid_json` violation: `invalid JSON at line L, column C: reason`.
    pub fn to_violation(&self) -> Violation {
        Violation::new(
            String::new(),
            Code::InvalidJson,
            messages::invalid_json_at(self.line, self.column, &self.reason),
        )
    }
}

/// The byte offset where 1-based `line` starts (the end of `source` past its last line).
fn nth_line_start(source: &[u8], line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(line - 2)
        .map_or(source.len(), |(at, _)| at + 1)
}

/// Below this magnitude (2^53), a whole number read as `f64` is exactly the number written: every
/// integer up to 2^53 has its own `f64`, so `9007199254740990.0` is `9007199254740990`. From
/// 2^53 on, `f64` skips integers and the number written with a fraction or an exponent may
/// not be the one read (`9007199254740993.0` reads as `9007199254740992`).
pub(crate) const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// The 1-based line and column (in characters: bytes that are not UTF-8 continuation bytes) of
/// byte `offset` of `source`.
pub fn line_column(source: &[u8], offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |at| at + 1);
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    // Continuation bytes (`10xxxxxx`) counted eight at a time: a byte is one when its top bit
    // is set and the next is clear.
    let last_line = &before[line_start..];
    let mut words = last_line.chunks_exact(8);
    let mut continuations = 0;
    for word in &mut words {
        let word = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        continuations += (word & !(word << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
    }
    continuations += words
        .remainder()
        .iter()
        .filter(|&&b| b & 0xC0 == 0x80)
        .count();
    (line, 1 + last_line.len() - continuations)
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
    if let Some(coded) = coded::decode(text) {
        pointer.push_str(&coded.pointer);
        return Violation::new(pointer, coded.code, format!("{}{at}", coded.message));
    }
    if let Some(name) = between(text, "missing field `", "`") {
        push_key(&mut pointer, name);
        return Violation::new(
            pointer,
            Code::Required,
            format!("{}{at}", messages::required(name)),
        );
    }
    if let Some(name) = unknown_field_name(text) {
        // serde_path_to_error may already have the member in the path (escaped there).
        let token = crate::validation::pointer::escape_token(name);
        if !pointer.ends_with(&format!("/{token}")) {
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
        let suggestion = crate::suggest::closest(name, names.iter().copied());
        return Violation::new(
            pointer,
            Code::UnknownField,
            format!("{}{at}", messages::unknown_field(name, suggestion)),
        );
    }
    if text.starts_with("invalid type:") || text.starts_with("invalid length") {
        let expected = text
            .split_once(", expected ")
            .map_or("another type", |(_, e)| e);
        return Violation::new(
            pointer,
            Code::Type,
            format!("{}{at}", messages::wrong_type(expected)),
        );
    }
    if let Some(name) = between(text, "duplicate field `", "`") {
        push_key(&mut pointer, name);
        return Violation::new(
            pointer,
            Code::DuplicateMember,
            format!("{}{at}", messages::duplicate_member(name)),
        );
    }
    let expected = text.split_once(", expected ").map(|(_, e)| e);
    Violation::new(
        pointer,
        Code::Invalid,
        format!("{}{at}", messages::invalid_value(expected)),
    )
}

/// The member name of serde's "unknown field `NAME`, expected …" (or ", there are no fields"):
/// the name may itself hold backquotes and commas, so it ends at the *last* such suffix.
fn unknown_field_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("unknown field `")?;
    let end = ["`, expected ", "`, there are no fields"]
        .iter()
        .filter_map(|suffix| rest.rfind(suffix))
        .max()
        .or_else(|| rest.rfind('`'))?;
    Some(&rest[..end])
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(start)?;
    rest.split_once(end).map(|(inner, _)| inner)
}

/// Parses a URL query string (with or without its leading `?`) into `T` and validates it:
/// what the generated `from_query_string` methods call, for code generic over
/// [`crate::Endpoint::Query`] (a server, a mock). [`crate::Empty`] takes any query.
///
/// ```
/// use klavi_types::consents::GetConsentListQuery;
///
/// let query: GetConsentListQuery = klavi_types::from_query_string("personalTaxId=28001238938")?;
/// assert_eq!(query.personal_tax_id.unwrap().as_str(), "28001238938");
/// assert!(klavi_types::from_query_string::<GetConsentListQuery>("personalTaxId=1").is_err());
/// # Ok::<(), klavi_types::ValidationErrors>(())
/// ```
///
/// # Errors
///
/// A violation at the member's pointer when a value cannot be read, else every violation of
/// `validate()`.
pub fn from_query_string<T: DeserializeOwned + Validate>(
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

    proptest::proptest! {
        /// The word-at-a-time count gives what counting each byte gives, for any bytes (UTF-8
        /// or not) and any offset, past the end too.
        #[test]
        fn line_column_counts_lines_and_characters(
            source in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(b"a\n\r \"{".to_vec()),
                    0x80u8..=0xBF,
                    0xC0u8..=0xFF,
                ],
                0..80,
            ),
            offset in 0usize..90,
        ) {
            let before = &source[..offset.min(source.len())];
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            let column = 1 + before[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
            proptest::prop_assert_eq!(super::line_column(&source, offset), (line, column));
        }
    }

    #[test]
    fn the_nesting_limit_holds_inside_ignored_members() {
        use serde::de::IgnoredAny;
        let deep = |n: usize| format!("{{\"a\": {}1{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
        assert!(super::read_json::<IgnoredAny>(deep(127).as_bytes()).is_ok());
        assert!(super::read_json::<serde_json::Value>(deep(127).as_bytes()).is_ok());
        let error = super::read_json::<IgnoredAny>(deep(128).as_bytes()).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
        assert!(super::read_json::<serde_json::Value>(deep(128).as_bytes()).is_err());
        // Brackets inside strings, escaped quotes included, do not count.
        let quoted = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(200), "{".repeat(200));
        assert!(super::read_json::<IgnoredAny>(quoted.as_bytes()).is_ok());
        // Many brackets, never deep.
        let wide = format!("[{}]", vec!["[]"; 1000].join(","));
        assert!(super::read_json::<IgnoredAny>(wide.as_bytes()).is_ok());
    }
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
        // Also inside a member the type ignores, and a lone surrogate escape.
        for broken in [&b"{\"a\":\"\xff\xfe\"}"[..], br#"{"a":"\ud800"}"#] {
            let error = read_json::<serde::de::IgnoredAny>(broken).unwrap_err();
            let as_json = read_json::<Value>(broken).unwrap_err();
            assert_eq!(error.to_string(), as_json.to_string());
        }
    }

    #[test]
    fn an_unknown_member_is_named_whole_even_with_backquotes_in_its_name() {
        let errors = crate::from_json::<crate::links::CreateLinkRequest>(
            br#"{"a`, expected `b` c": 1, "x": 2}"#,
        )
        .unwrap_err();
        let found: Vec<(&str, &str)> = errors.iter().map(|v| (v.pointer(), v.code())).collect();
        assert_eq!(found, [("/a`, expected `b` c", "unknown_field")]);
        assert_eq!(
            super::unknown_field_name("unknown field `x`, there are no fields"),
            Some("x")
        );
    }
}
