//! A borrowing JSON reader for the compiled check: it walks bytes value by value, hands out
//! every string and number as a slice of the input, and allocates nothing. The bytes are not
//! checked as UTF-8 beforehand: the grammar admits only ASCII outside strings, and every string
//! is checked where it is read ([`lex`](super::lex): a plain ASCII one by the scan that finds
//! its end), so a text the reader accepts is UTF-8. It accepts exactly what `serde_json`
//! reads into a `Value`: the grammar of RFC 8259, escapes with paired surrogates, numbers
//! within `f64`, at most [`NESTING_LIMIT`] arrays and objects open at once.
//!
//! Any departure from that is a [`Syntax`] error, with no detail: the caller, on that cold path,
//! asks `serde_json` for the message, line and column, so that a malformed payload is reported
//! in the very words the other readers use.

use std::borrow::Cow;

use super::lex::Cursor;

/// `serde_json`'s nesting limit: the 128th array or object open at once is refused.
pub const NESTING_LIMIT: usize = 128;

/// The text is not JSON (or nests too deep). Where and why are asked of `serde_json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Syntax;

/// The result of a read step.
pub type Read<T> = Result<T, Syntax>;

/// The JSON type of the next value, as its first byte tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{`
    Object,
    /// `[`
    Array,
    /// `"`
    String,
    /// `-` or a digit.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`
    Null,
}

impl Kind {
    /// The JSON Schema name of the type (`number` for every number; see
    /// [`Number::schema_type`] for `integer`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Bool => "boolean",
            Kind::Null => "null",
        }
    }
}

/// A string of the input, between its quotes, still escaped when [`JsonStr::is_escaped`].
#[derive(Clone, Copy, Debug)]
pub struct JsonStr<'a> {
    raw: &'a str,
    /// Whether the string holds an escape. A word, not a `bool`: a string is returned in a
    /// `Result<Option<…>>` on every read, and a one-byte field made the copies of that value
    /// partial, overlapping moves that stalled on store forwarding (a fifth of the time of a
    /// request, measured with `perf`).
    escaped: usize,
}

impl<'a> JsonStr<'a> {
    #[inline]
    pub(super) fn new(raw: &'a str, escaped: bool) -> Self {
        JsonStr {
            raw,
            escaped: usize::from(escaped),
        }
    }

    /// Whether the string holds a `\` escape (its text is then decoded on demand).
    #[inline]
    pub fn is_escaped(&self) -> bool {
        self.escaped != 0
    }

    /// The raw text between the quotes.
    #[inline]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The decoded text: borrowed from the input unless the string holds an escape.
    #[inline]
    pub fn text(&self) -> Cow<'a, str> {
        if self.is_escaped() {
            Cow::Owned(self.chars().collect())
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// The decoded characters, without copying the string.
    #[inline]
    pub fn chars(&self) -> Decoded<'a> {
        Decoded {
            rest: self.raw.chars(),
        }
    }

    /// The number of characters of the decoded text (what `minLength` counts).
    #[inline]
    pub fn char_count(&self) -> usize {
        if self.is_escaped() {
            self.chars().count()
        } else {
            // Characters are the bytes that do not continue a UTF-8 sequence.
            self.raw
                .as_bytes()
                .iter()
                .filter(|&&b| (b as i8) >= -0x40)
                .count()
        }
    }

    /// Whether the decoded text equals `text`.
    #[inline]
    pub fn equals(&self, text: &str) -> bool {
        if self.is_escaped() {
            self.chars().eq(text.chars())
        } else {
            self.raw == text
        }
    }

    /// Whether two strings decode to the same text.
    #[inline]
    pub fn same_text(&self, other: &JsonStr<'_>) -> bool {
        if !self.is_escaped() && !other.is_escaped() {
            self.raw == other.raw
        } else {
            self.chars().eq(other.chars())
        }
    }

    /// The bytes to match against known names (a member name's): the raw text when it holds
    /// no escape, else the text decoded into `buffer`, or `\xff` (which no name holds) when
    /// it does not fit.
    #[inline]
    pub fn key<'b>(&self, buffer: &'b mut [u8]) -> &'b [u8]
    where
        'a: 'b,
    {
        if self.is_escaped() {
            self.decode_into(buffer).unwrap_or(b"\xff")
        } else {
            self.raw.as_bytes()
        }
    }

    /// The decoded text as bytes in `buffer` when it fits, for matching against known names
    /// without allocating; `None` when it is longer than the buffer (so it is none of them).
    pub fn decode_into<'b>(&self, buffer: &'b mut [u8]) -> Option<&'b [u8]>
    where
        'a: 'b,
    {
        let mut len = 0;
        for c in self.chars() {
            let width = c.len_utf8();
            let slot = buffer.get_mut(len..len + width)?;
            c.encode_utf8(slot);
            len += width;
        }
        Some(&buffer[..len])
    }
}

/// The characters of an escaped string, decoded one by one. The string was checked when it was
/// read, so every escape is well formed.
#[derive(Clone, Debug)]
pub struct Decoded<'a> {
    rest: std::str::Chars<'a>,
}

impl<'a> Decoded<'a> {
    /// The characters of `raw`, a string's body whose escapes are well formed.
    pub(super) fn new(raw: &'a str) -> Self {
        Decoded { rest: raw.chars() }
    }

    fn hex4(&mut self) -> u32 {
        (0..4).fold(0, |n, _| {
            n * 16 + self.rest.next().and_then(|c| c.to_digit(16)).unwrap_or(0)
        })
    }
}

impl Iterator for Decoded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.rest.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match self.rest.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let first = self.hex4();
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A leading surrogate: the reader checked that `\uDC00`–`\uDFFF` follows.
                    self.rest.next();
                    self.rest.next();
                    let second = self.hex4();
                    0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3FF)
                } else {
                    first
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            other => other,
        })
    }
}

/// A number of the input, as written (its grammar checked, its value within `f64`).
#[derive(Clone, Copy, Debug)]
pub struct Number<'a> {
    text: &'a str,
    /// Written with a fraction or an exponent.
    float: bool,
}

impl Number<'_> {
    /// The literal.
    pub fn text(&self) -> &str {
        self.text
    }

    /// The value as `serde_json` holds it: an `i64` or `u64` when written as an integer that
    /// fits, else an `f64`.
    pub fn value(&self) -> NumberValue {
        if !self.float {
            if let Ok(n) = self.text.parse::<i64>() {
                return NumberValue::Int(n);
            }
            if let Ok(n) = self.text.parse::<u64>() {
                return NumberValue::UInt(n);
            }
        }
        NumberValue::Float(self.text.parse::<f64>().unwrap_or(f64::NAN))
    }

    /// `integer` when the value is whole (`22.0` too, as JSON Schema counts it), else `number`.
    pub fn schema_type(&self) -> &'static str {
        if self.is_whole() { "integer" } else { "number" }
    }

    /// Whether the value is a whole number (JSON Schema's `integer`).
    pub fn is_whole(&self) -> bool {
        match self.value() {
            NumberValue::Int(_) | NumberValue::UInt(_) => true,
            NumberValue::Float(f) => f.fract() == 0.0,
        }
    }
}

/// A number's value, as `serde_json::Number` keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumberValue {
    /// A negative or small integer.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// Anything else.
    Float(f64),
}

/// Reads one JSON document, value by value. Objects and arrays are walked with
/// [`Reader::begin_object`]/[`Reader::next_member`] and [`Reader::begin_array`]/
/// [`Reader::next_item`]; anything not wanted is passed over with [`Reader::skip`].
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader::from_bytes(text.as_bytes())
    }

    /// A reader at the start of `bytes`, which need not be UTF-8: a byte sequence that is not
    /// is a [`Syntax`] error where it is met.
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    /// Moves past whitespace, 16 bytes at a time when there is more than a byte or two of it
    /// ([`simd`](crate::simd)).
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        self.pos = crate::simd::whitespace_end(self.bytes, self.pos);
    }

    /// The kind of the next value.
    #[inline]
    pub fn peek(&mut self) -> Read<Kind> {
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'n') => Ok(Kind::Null),
            _ => Err(Syntax),
        }
    }

    /// The member names of a new object, to tell a repeated one.
    pub fn names(&self) -> super::names::SeenNames<'a> {
        super::names::SeenNames::new(self.bytes)
    }

    /// Whether only whitespace is left: the end of a document.
    pub fn at_end(&mut self) -> bool {
        self.skip_whitespace();
        self.pos == self.bytes.len()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Read<()> {
        super::lex::eat(self.bytes, &mut self.pos, byte)
    }

    fn literal(&mut self, word: &[u8]) -> Read<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Syntax)
        }
    }

    /// Reads a string (the next value must be one: see [`Reader::peek`]). Always inlined: its
    /// result returned through memory cost a store-forwarding stall per string.
    #[inline(always)]
    pub fn string(&mut self) -> Read<JsonStr<'a>> {
        self.skip_whitespace();
        self.eat(b'"')?;
        let mut cursor = Cursor {
            bytes: self.bytes,
            pos: self.pos,
        };
        let (raw, escaped) = cursor.string_body()?;
        self.pos = cursor.pos + 1;
        Ok(JsonStr::new(raw, escaped))
    }

    /// Reads a number (the next value must be one).
    pub fn number(&mut self) -> Read<Number<'a>> {
        self.skip_whitespace();
        let start = self.pos;
        let mut cursor = Cursor {
            bytes: self.bytes,
            pos: start,
        };
        let (integral_end, float) = cursor.number_body()?;
        self.pos = cursor.pos;
        let text = self
            .bytes
            .get(start..self.pos)
            .and_then(crate::simd::ascii_str)
            .ok_or(Syntax)?;
        // `serde_json` refuses a value beyond `f64` ("number out of range"): a literal with an
        // exponent, or an integer of more digits than `u64` holds.
        if (float || integral_end - start > 19) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(Syntax);
        }
        Ok(Number { text, float })
    }

    /// Reads `true` or `false`.
    pub fn boolean(&mut self) -> Read<bool> {
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(Syntax),
        }
    }

    fn open(&mut self, bracket: u8) -> Read<()> {
        self.skip_whitespace();
        self.eat(bracket)?;
        self.depth += 1;
        if self.depth >= NESTING_LIMIT {
            return Err(Syntax);
        }
        Ok(())
    }

    /// Enters an object (the next value must be one); walk it with [`Reader::next_member`].
    #[inline]
    pub fn begin_object(&mut self) -> Read<Walk> {
        self.open(b'{')?;
        Ok(Walk { first: true })
    }

    /// The next member's name, its `:` read; `None` after the closing `}`. Always inlined:
    /// its result returned through memory was stored as two words and read back as one, a
    /// store-forwarding stall per member (a tenth of a valid request's time, measured with
    /// `perf`).
    #[inline(always)]
    pub fn next_member(&mut self, walk: &mut Walk) -> Read<Option<JsonStr<'a>>> {
        if self.object_ends(walk)? {
            return Ok(None);
        }
        let name = self.string()?;
        self.skip_whitespace();
        self.eat(b':')?;
        Ok(Some(name))
    }

    /// `true` after the closing `}` of the object being walked; otherwise the reader is past
    /// the `,` before the next member (if it is not the first) and at its name's quote.
    #[inline(always)]
    fn object_ends(&mut self, walk: &mut Walk) -> Read<bool> {
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(true);
            }
            Some(b',') if !walk.first => self.pos += 1,
            Some(b'"') if walk.first => {}
            _ => return Err(Syntax),
        }
        walk.first = false;
        self.skip_whitespace();
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(Syntax);
        }
        Ok(false)
    }

    /// The next member, when its name is `expected` (a declared member, checked where the
    /// reader stands without reading the name: [`Member::Expected`]), another name
    /// ([`Member::Other`], read), or the closing `}` ([`Member::End`]); its `:` read. What
    /// [`Reader::next_member`] reads, in the order the generated checkers expect members.
    #[inline(always)]
    pub fn next_member_expecting(
        &mut self,
        walk: &mut Walk,
        expected: Option<&crate::simd::Expected>,
    ) -> Read<Member<'a>> {
        if self.object_ends(walk)? {
            return Ok(Member::End);
        }
        let member = match expected {
            Some(name) if crate::simd::starts_with(self.bytes, self.pos, name) => {
                self.pos += name.width();
                Member::Expected
            }
            _ => Member::Other(self.string()?),
        };
        self.skip_whitespace();
        self.eat(b':')?;
        Ok(member)
    }

    /// Enters an array (the next value must be one); walk it with [`Reader::next_item`].
    #[inline]
    pub fn begin_array(&mut self) -> Read<Walk> {
        self.open(b'[')?;
        Ok(Walk { first: true })
    }

    /// `true` when another item follows (the reader is then before it); `false` after the
    /// closing `]`.
    #[inline]
    pub fn next_item(&mut self, walk: &mut Walk) -> Read<bool> {
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !walk.first => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if walk.first => {
                walk.first = false;
                Ok(true)
            }
            _ => Err(Syntax),
        }
    }

    /// Passes over the next value, checking its syntax and, in every object inside it, that no
    /// member name repeats (reported through `repeated`, with the path of each repetition).
    pub fn skip(
        &mut self,
        at: &crate::validation::Path<'_>,
        out: &mut crate::validation::ValidationErrors,
    ) -> Read<()> {
        match self.peek()? {
            Kind::Array => {
                let mut walk = self.begin_array()?;
                let mut index = 0;
                while self.next_item(&mut walk)? {
                    self.skip(&at.index(index), out)?;
                    index += 1;
                }
                Ok(())
            }
            Kind::Object => {
                let mut walk = self.begin_object()?;
                let mut names = self.names();
                while let Some(name) = self.next_member(&mut walk)? {
                    if names.repeats(name) {
                        super::values::duplicate(at, &name, out);
                    }
                    let text = name.text();
                    self.skip(&at.key(&text), out)?;
                }
                Ok(())
            }
            scalar => self.skip_scalar(scalar),
        }
    }

    /// Passes over a string, a number, a boolean or `null` (the next value, of kind `kind`).
    fn skip_scalar(&mut self, kind: Kind) -> Read<()> {
        match kind {
            Kind::String => self.string().map(drop),
            Kind::Number => self.number().map(drop),
            Kind::Bool => self.boolean().map(drop),
            Kind::Null => self.literal(b"null"),
            Kind::Array | Kind::Object => Err(Syntax),
        }
    }

    /// Passes over the next value, checking its syntax only (a look ahead: the value is read
    /// again, for real, afterwards).
    pub fn skip_syntax(&mut self) -> Read<()> {
        match self.peek()? {
            Kind::Array => {
                let mut walk = self.begin_array()?;
                while self.next_item(&mut walk)? {
                    self.skip_syntax()?;
                }
                Ok(())
            }
            Kind::Object => {
                let mut walk = self.begin_object()?;
                while self.next_member(&mut walk)?.is_some() {
                    self.skip_syntax()?;
                }
                Ok(())
            }
            scalar => self.skip_scalar(scalar),
        }
    }

    /// Passes over `null`.
    pub fn null(&mut self) -> Read<()> {
        self.skip_whitespace();
        self.literal(b"null")
    }

    /// The position of the reader (a byte offset), to come back to with [`Reader::rewind`].
    pub fn position(&self) -> (usize, usize) {
        (self.pos, self.depth)
    }

    /// Goes back to a position taken with [`Reader::position`].
    pub fn rewind(&mut self, (pos, depth): (usize, usize)) {
        self.pos = pos;
        self.depth = depth;
    }
}

/// What [`Reader::next_member_expecting`] met.
#[derive(Clone, Copy, Debug)]
pub enum Member<'a> {
    /// The closing `}`.
    End,
    /// The name expected.
    Expected,
    /// Another name.
    Other(JsonStr<'a>),
}

/// The state of a walk through one object or array.
#[derive(Clone, Copy, Debug)]
pub struct Walk {
    first: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{Path, ValidationErrors};

    fn skips(text: &str) -> bool {
        let mut reader = Reader::new(text);
        let mut out = ValidationErrors::new();
        reader.skip(&Path::root(), &mut out).is_ok() && reader.at_end()
    }

    #[test]
    fn accepts_exactly_what_serde_json_reads() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let cases = [
            "{}",
            "[]",
            " [1, -0, 2.5e-3, 1E+2, true, false, null] ",
            r#"{"a": {"b": [""]}}"#,
            r#""\u00e9\uD83D\uDE00\n\/""#,
            "1e400",
            "-1e400",
            "1e-400",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "[1,]",
            "{,}",
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            "[1 2]",
            "tru",
            "nul",
            r#""\x""#,
            r#""\uD800""#,
            r#""\uDC00""#,
            r#""\uD800\u0041""#,
            "\"a\u{1}b\"",
            r#""abc"#,
            "",
            "[] []",
            "123456789012345678901234567890",
            &"9".repeat(400),
            &nested(127),
            &nested(128),
            r#"{"a":1 "b":2}"#,
        ];
        for case in cases {
            let expected = serde_json::from_str::<serde_json::Value>(case).is_ok();
            assert_eq!(skips(case), expected, "{case:?}");
        }
    }

    #[test]
    fn strings_decode_on_demand() {
        let mut reader = Reader::new(r#""a\u00e9\n\uD83D\uDE00b" "plain é""#);
        let escaped = reader.string().unwrap();
        assert!(escaped.is_escaped());
        assert_eq!(escaped.text(), "aé\n😀b");
        assert_eq!(escaped.char_count(), 5);
        assert!(escaped.equals("aé\n😀b"));
        let plain = reader.string().unwrap();
        assert!(matches!(plain.text(), Cow::Borrowed("plain é")));
        assert_eq!(plain.char_count(), 7);
        let mut buffer = [0u8; 4];
        assert_eq!(plain.decode_into(&mut buffer), None);
        let mut buffer = [0u8; 16];
        assert_eq!(escaped.decode_into(&mut buffer), Some("aé\n😀b".as_bytes()));
    }

    #[test]
    fn numbers_keep_serde_json_s_value() {
        let value = |text: &str| Reader::new(text).number().unwrap().value();
        assert_eq!(value("-5"), NumberValue::Int(-5));
        assert_eq!(value("18446744073709551615"), NumberValue::UInt(u64::MAX));
        assert_eq!(value("22.0"), NumberValue::Float(22.0));
        let whole = |text: &str| Reader::new(text).number().unwrap().is_whole();
        assert!(whole("22.0") && whole("1e3") && whole("18446744073709551616"));
        assert!(!whole("1.5") && !whole("1e-3"));
    }
}
