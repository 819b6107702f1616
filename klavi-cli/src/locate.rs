//! Where a JSON Pointer (RFC 6901, wire names) lands in the source text of a payload: the byte
//! span and the 1-based line and column (in characters) of the value, or of a member's key.
//!
//! A small byte scanner over the JSON text: it does not build a tree and does not allocate. It
//! never panics; malformed JSON or a malformed pointer gives `None`. Member keys are compared
//! after unescaping both sides (JSON `\"`, `\u00e9`, … and pointer `~0`, `~1`). When an object
//! holds a key twice, the last one wins, as it does when the payload is parsed.

use std::ops::Range;
use std::str::Chars;

/// What to find at a pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The value at the pointer; when the last token names a member absent from its object,
    /// that object's opening `{` (a missing required member is reported there).
    Value,
    /// The key of the member the pointer names (an unknown member); for an array element, the
    /// element itself.
    Key,
}

/// A place in the source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The bytes of the value (or key, or `{`).
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The location of what `pointer` names in `source`, or `None` when the pointer does not lead
/// anywhere (or the text or the pointer is malformed).
pub fn locate(source: &[u8], pointer: &str, target: Target) -> Option<Location> {
    let mut last = None;
    walk_document(source, pointer, target, &mut |hit| last = Some(hit))?;
    let span = last?.span();
    let (line, column) = line_column(source, span.start);
    Some(Location { span, line, column })
}

/// Calls `found` with the span of every string value at `pointer`, quotes included: all of
/// them, not only the last one, when a key is duplicated along the way.
pub fn string_values(source: &[u8], pointer: &str, mut found: impl FnMut(Range<usize>)) {
    let _ = walk_document(source, pointer, Target::Value, &mut |hit| {
        if let Hit::Value(span) = hit
            && source.get(span.start) == Some(&b'"')
        {
            found(span);
        }
    });
}

/// The 1-based line and column (in characters) of byte `offset` of `source`; an offset past
/// the end counts as the end.
pub fn line_column(source: &[u8], offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    // Count characters: every byte that is not a UTF-8 continuation byte.
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

/// What a walk found.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Hit {
    Value(Range<usize>),
    Key(Range<usize>),
    /// The member is absent: the span of its object's `{`.
    Absent(Range<usize>),
}

impl Hit {
    fn span(self) -> Range<usize> {
        match self {
            Hit::Value(span) | Hit::Key(span) | Hit::Absent(span) => span,
        }
    }
}

/// Checks that `source` is one JSON value and reports, in document order, every place
/// `pointer` leads to. `None` when the text or the pointer is malformed.
fn walk_document(
    source: &[u8],
    pointer: &str,
    target: Target,
    found: &mut dyn FnMut(Hit),
) -> Option<()> {
    if !(pointer.is_empty() || pointer.starts_with('/')) || !valid_escapes(pointer) {
        return None;
    }
    let scanner = Scanner { bytes: source };
    let start = scanner.skip_ws(0);
    let end = scanner.skip_value(start)?;
    if scanner.skip_ws(end) != source.len() {
        return None;
    }
    scanner.walk(start, pointer, target, found)
}

/// `true` when every `~` of `pointer` is followed by `0` or `1`.
fn valid_escapes(pointer: &str) -> bool {
    let bytes = pointer.as_bytes();
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| b != b'~' || matches!(bytes.get(i + 1), Some(b'0' | b'1')))
}

struct Scanner<'a> {
    bytes: &'a [u8],
}

impl Scanner<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn skip_ws(&self, mut at: usize) -> usize {
        while matches!(self.byte(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
        at
    }

    /// `at` is an opening quote: the index after the closing quote.
    fn skip_string(&self, at: usize) -> Option<usize> {
        if self.byte(at) != Some(b'"') {
            return None;
        }
        let mut at = at + 1;
        loop {
            match self.byte(at)? {
                b'"' => return Some(at + 1),
                b'\\' => match self.byte(at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                    b'u' => {
                        let hex = self.bytes.get(at + 2..at + 6)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        at += 6;
                    }
                    _ => return None,
                },
                0..=0x1F => return None,
                _ => at += 1,
            }
        }
    }

    /// `at` starts a value: the index after it. Containers are skipped without recursion.
    fn skip_value(&self, at: usize) -> Option<usize> {
        match self.byte(at)? {
            b'"' => self.skip_string(at),
            b'{' | b'[' => self.skip_container(at),
            _ => {
                let end = self.bytes[at..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
                    .map_or(self.bytes.len(), |n| at + n);
                (end > at).then_some(end)
            }
        }
    }

    /// `at` is `{` or `[`: the index after the matching bracket. Structure inside is checked
    /// loosely (strings, brackets, depth); the payload was parsed before, so this is only
    /// about not running off the end.
    fn skip_container(&self, at: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut at = at;
        loop {
            match self.byte(at)? {
                b'"' => {
                    at = self.skip_string(at)?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(at + 1);
                    }
                }
                _ => {}
            }
            at += 1;
        }
    }

    /// Follows `pointer` (what is left of it) from the value at `at`.
    fn walk(
        &self,
        at: usize,
        pointer: &str,
        target: Target,
        found: &mut dyn FnMut(Hit),
    ) -> Option<()> {
        let Some(rest) = pointer.strip_prefix('/') else {
            found(Hit::Value(at..self.skip_value(at)?));
            return Some(());
        };
        let (token, rest) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        match self.byte(at)? {
            b'{' => self.walk_object(at, token, rest, target, found),
            b'[' => self.walk_array(at, token, rest, target, found),
            // A pointer into a scalar leads nowhere.
            _ => Some(()),
        }
    }

    fn walk_object(
        &self,
        open: usize,
        token: &str,
        rest: &str,
        target: Target,
        found: &mut dyn FnMut(Hit),
    ) -> Option<()> {
        let mut at = self.skip_ws(open + 1);
        let mut present = false;
        if self.byte(at)? != b'}' {
            loop {
                let key_end = self.skip_string(at)?;
                let key = std::str::from_utf8(&self.bytes[at + 1..key_end - 1]).ok()?;
                let colon = self.skip_ws(key_end);
                if self.byte(colon)? != b':' {
                    return None;
                }
                let value = self.skip_ws(colon + 1);
                let value_end = self.skip_value(value)?;
                if JsonChars(key.chars()).eq(PointerChars(token.chars())) {
                    present = true;
                    match (rest.is_empty(), target) {
                        (true, Target::Key) => found(Hit::Key(at..key_end)),
                        (true, Target::Value) => found(Hit::Value(value..value_end)),
                        (false, _) => self.walk(value, rest, target, found)?,
                    }
                }
                at = self.skip_ws(value_end);
                match self.byte(at)? {
                    b',' => at = self.skip_ws(at + 1),
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        if !present && rest.is_empty() {
            found(Hit::Absent(open..open + 1));
        }
        Some(())
    }

    fn walk_array(
        &self,
        open: usize,
        token: &str,
        rest: &str,
        target: Target,
        found: &mut dyn FnMut(Hit),
    ) -> Option<()> {
        // RFC 6901: `0` or digits without a leading zero; `-` (past the end) names nothing.
        let valid = !token.is_empty()
            && token.bytes().all(|b| b.is_ascii_digit())
            && (token == "0" || !token.starts_with('0'));
        let Some(index) = valid.then(|| token.parse::<usize>().ok()).flatten() else {
            return Some(());
        };
        let mut at = self.skip_ws(open + 1);
        if self.byte(at)? == b']' {
            return Some(());
        }
        let mut current = 0usize;
        loop {
            let end = self.skip_value(at)?;
            if current == index {
                return if rest.is_empty() {
                    found(Hit::Value(at..end));
                    Some(())
                } else {
                    self.walk(at, rest, target, found)
                };
            }
            current += 1;
            at = self.skip_ws(end);
            match self.byte(at)? {
                b',' => at = self.skip_ws(at + 1),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }
}

/// The characters of a JSON string's raw contents, escapes decoded (a malformed escape or a
/// lone surrogate gives U+FFFD, which no pointer can name).
struct JsonChars<'a>(Chars<'a>);

impl JsonChars<'_> {
    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0;
        for _ in 0..4 {
            value = value * 16 + self.0.next()?.to_digit(16)?;
        }
        Some(value)
    }
}

impl Iterator for JsonChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.0.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match self.0.next() {
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => match self.hex4() {
                Some(high @ 0xD800..=0xDBFF) => {
                    let mut ahead = JsonChars(self.0.clone());
                    let low = match (ahead.0.next(), ahead.0.next()) {
                        (Some('\\'), Some('u')) => ahead.hex4(),
                        _ => None,
                    };
                    match low {
                        Some(low @ 0xDC00..=0xDFFF) => {
                            self.0 = ahead.0;
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                                .unwrap_or(char::REPLACEMENT_CHARACTER)
                        }
                        _ => char::REPLACEMENT_CHARACTER,
                    }
                }
                Some(code) => char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
                None => char::REPLACEMENT_CHARACTER,
            },
            Some(other) => other, // `"`, `\`, `/`
            None => char::REPLACEMENT_CHARACTER,
        })
    }
}

/// The characters of a JSON Pointer reference token, `~0` and `~1` decoded.
struct PointerChars<'a>(Chars<'a>);

impl Iterator for PointerChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self.0.next()? {
            '~' => match self.0.next() {
                Some('0') => Some('~'),
                Some('1') => Some('/'),
                _ => Some(char::REPLACEMENT_CHARACTER),
            },
            c => Some(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column) of `pointer`'s value, and the text of its span.
    fn at(source: &str, pointer: &str) -> Option<(usize, usize, String)> {
        at_target(source, pointer, Target::Value)
    }

    fn at_target(source: &str, pointer: &str, target: Target) -> Option<(usize, usize, String)> {
        locate(source.as_bytes(), pointer, target)
            .map(|l| (l.line, l.column, source[l.span].to_owned()))
    }

    fn some(line: usize, column: usize, text: &str) -> Option<(usize, usize, String)> {
        Some((line, column, text.to_owned()))
    }

    const NESTED: &str =
        "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}, [true, null]]},\n  \"d\": -1.5e3\n}\n";

    #[test]
    fn the_root_and_top_level_members() {
        assert_eq!(at(NESTED, ""), some(1, 1, &NESTED[..NESTED.len() - 1]));
        assert_eq!(at(NESTED, "/d"), some(3, 8, "-1.5e3"));
        assert_eq!(at("  7 ", ""), some(1, 3, "7"));
    }

    #[test]
    fn nested_paths_and_arrays() {
        assert_eq!(
            at(NESTED, "/a"),
            some(2, 8, "{\"b\": [1, {\"c\": \"x\"}, [true, null]]}")
        );
        assert_eq!(at(NESTED, "/a/b/0"), some(2, 15, "1"));
        assert_eq!(at(NESTED, "/a/b/1/c"), some(2, 24, "\"x\""));
        assert_eq!(at(NESTED, "/a/b/2/1"), some(2, 37, "null"));
        // Out of range, `-`, leading zeros and non-numbers name no element.
        for pointer in ["/a/b/3", "/a/b/-", "/a/b/01", "/a/b/x", "/a/b/", "/a/b/2/9"] {
            assert_eq!(at(NESTED, pointer), None, "{pointer}");
        }
        assert_eq!(at("[]", "/0"), None);
        assert_eq!(at("[[], [2]]", "/1/0"), some(1, 7, "2"));
    }

    #[test]
    fn escaped_keys_match_after_unescaping() {
        let source =
            r#"{"a/b": 1, "m~n": 2, "\u00e9t\u00E9": 3, "q\"\\": 4, "\ud83d\ude00": 5, "": 6}"#;
        assert_eq!(at(source, "/a~1b"), some(1, 9, "1"));
        assert_eq!(at(source, "/m~0n"), some(1, 19, "2"));
        assert_eq!(at(source, "/été"), some(1, 39, "3"));
        assert_eq!(at(source, "/q\"\\"), some(1, 51, "4"));
        assert_eq!(at(source, "/😀"), some(1, 70, "5"));
        assert_eq!(at(source, "/"), some(1, 77, "6"));
        // Not unescaped: `~1` is `/`, not a literal `~1`; `a/b` is two tokens.
        assert_eq!(at(source, "/a/b"), None);
        // A malformed pointer.
        assert_eq!(at(source, "/m~2n"), None);
        assert_eq!(at(source, "a"), None);
    }

    #[test]
    fn columns_count_characters() {
        let source = "{\"nome\": \"João ç 😀\", \"x\": 1}";
        assert_eq!(at(source, "/x"), some(1, 27, "1"));
        assert_eq!(line_column(source.as_bytes(), source.len()), (1, 29));
        assert_eq!(line_column(b"a\nb", 99), (2, 2));
    }

    #[test]
    fn duplicate_keys_give_the_last_one() {
        let source = "{\"a\": 1, \"b\": {\"c\": 2}, \"a\": 3, \"b\": {\"d\": 4}}";
        assert_eq!(at(source, "/a"), some(1, 30, "3"));
        // `/b/c` is absent from the last `b`: its `{`.
        assert_eq!(at(source, "/b/c"), some(1, 38, "{"));
        assert_eq!(at(source, "/b/d"), some(1, 44, "4"));
        let mut strings = Vec::new();
        string_values(b"{\"e\": \"x\", \"e\": 1, \"e\": \"yy\"}", "/e", |span| {
            strings.push(span)
        });
        assert_eq!(strings, [6..9, 24..28]);
    }

    #[test]
    fn absent_members_point_at_their_object() {
        let source = "{\n  \"a\": {\n    \"b\": 1\n  }\n}";
        assert_eq!(at(source, "/a/missing"), some(2, 8, "{"));
        assert_eq!(at(source, "/missing"), some(1, 1, "{"));
        assert_eq!(at("{ }", "/x"), some(1, 1, "{"));
        // Only the last token may be absent.
        assert_eq!(at(source, "/missing/b"), None);
        // An absent element of an array is not located.
        assert_eq!(at("[1]", "/5"), None);
    }

    #[test]
    fn keys_of_unknown_members() {
        let source = "{\"ok\": 1,\n \"redirectUrl\": \"x\"}";
        assert_eq!(
            at_target(source, "/redirectUrl", Target::Key),
            some(2, 2, "\"redirectUrl\"")
        );
        assert_eq!(at_target("[0, 1]", "/1", Target::Key), some(1, 5, "1"));
        assert_eq!(at_target(source, "/nope", Target::Key), some(1, 1, "{"));
    }

    #[test]
    fn pointers_into_scalars_lead_nowhere() {
        let source = "{\"s\": \"text\", \"n\": 12, \"t\": true}";
        for pointer in ["/s/0", "/n/x", "/t/a/b"] {
            assert_eq!(at(source, pointer), None, "{pointer}");
        }
        assert_eq!(at("\"x\"", "/0"), None);
    }

    #[test]
    fn malformed_input_gives_none_without_panicking() {
        let cases: &[&[u8]] = &[
            b"",
            b"   ",
            b"{",
            b"{\"a\"",
            b"{\"a\":",
            b"{\"a\": 1",
            b"{\"a\": 1,",
            b"{\"a\" 1}",
            b"{a: 1}",
            b"{\"a\": 1}}",
            b"{\"a\": 1} x",
            b"[1, 2",
            b"[1 2]",
            b"]",
            b"\"abc",
            b"\"a\\",
            b"\"\\u12\"",
            b"\"\\x\"",
            b"\"a\nb\"",
            b"{\"\xff\": 1}",
        ];
        for &source in cases {
            for pointer in ["", "/a", "/0", "/a/b", "/\u{fffd}"] {
                let _ = locate(source, pointer, Target::Value);
                let _ = locate(source, pointer, Target::Key);
                string_values(source, pointer, |_| {});
            }
            assert_eq!(locate(source, "/a", Target::Value), None, "{source:?}");
        }
        // A lone surrogate is a valid string that names nothing.
        assert_eq!(at("{\"\\ud800\": 1, \"a\": 2}", "/a"), some(1, 20, "2"));
        // Deep nesting is skipped without recursion.
        let deep = format!(
            "{{\"a\": {}{}, \"b\": 1}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(at(&deep, "/b"), some(1, 200_014, "1"));
    }
}
