//! The JSON tokens of the workspace, read from bytes: where a string or a number ends, whether
//! it is well formed, and a string's decoded text. The compiled check's reader
//! ([`Reader`](super::support::Reader)) reads every string and number through these, and so
//! does the `klavi` tool's event scanner (its locator and masker), so that one grammar and one
//! unescaping serve both.
//!
//! The grammar is RFC 8259's, as `serde_json` reads it: escapes `\" \\ \/ \b \f \n \r \t` and
//! `\uXXXX` with surrogates paired, no raw control character in a string; numbers `-?(0|[1-9]
//! [0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (the range of `f64` is the reader's to check). A
//! string's body must be UTF-8, as `serde_json` requires of bytes: a plain ASCII body is known
//! to be so from the same 16-byte scan that finds its end, any other is checked at its
//! closing quote. Outside strings the grammar admits only ASCII, so a text whose strings are
//! all read here is UTF-8 without being checked as a whole.

use super::reader::{Decoded, Read, Syntax};

/// A position in bytes being lexed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cursor<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
}

/// Moves `pos` past `byte`, which must be there.
#[inline(always)]
pub(super) fn eat(bytes: &[u8], pos: &mut usize, byte: u8) -> Read<()> {
    if bytes.get(*pos) == Some(&byte) {
        *pos += 1;
        Ok(())
    } else {
        Err(Syntax)
    }
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Read<()> {
        eat(self.bytes, &mut self.pos, byte)
    }

    /// Moves past a string's body, after its opening quote, to its closing quote (not read);
    /// returns the body (still escaped) and whether it holds an escape. Plain runs are skipped
    /// 16 bytes at a time ([`simd`](crate::simd)); a body that is one plain run is ASCII, so
    /// text as found.
    #[inline(always)]
    pub(super) fn string_body(&mut self) -> Read<(&'a str, bool)> {
        let start = self.pos;
        let run = crate::simd::ascii_run(self.bytes, start);
        self.pos = start + run.len();
        if self.bytes.get(self.pos) == Some(&b'"') {
            return Ok((run, false));
        }
        self.string_rest(start)
    }

    /// The rest of a body that is not one plain run: escapes, bytes from 0x80 up (the body is
    /// checked as UTF-8 at its closing quote), or a control character or the end of the text
    /// (malformed).
    #[inline(never)]
    fn string_rest(&mut self, start: usize) -> Read<(&'a str, bool)> {
        let mut escaped = false;
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 1;
                    self.escape()?;
                }
                Some(0x80..=0xFF) => {
                    while self.bytes.get(self.pos).is_some_and(|&b| b >= 0x80) {
                        self.pos += 1;
                    }
                }
                // A control character, or the end of the text.
                _ => return Err(Syntax),
            }
            self.pos = crate::simd::string_stop(self.bytes, self.pos);
        }
        let body = self.bytes.get(start..self.pos).ok_or(Syntax)?;
        let body = std::str::from_utf8(body).map_err(|_| Syntax)?;
        Ok((body, escaped))
    }

    /// One escape, after its backslash.
    fn escape(&mut self) -> Read<()> {
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(Syntax);
        };
        self.pos += 1;
        match b {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => match self.hex4()? {
                0xD800..=0xDBFF => {
                    // A leading surrogate must be followed by a trailing one.
                    self.eat(b'\\')?;
                    self.eat(b'u')?;
                    match self.hex4()? {
                        0xDC00..=0xDFFF => Ok(()),
                        _ => Err(Syntax),
                    }
                }
                0xDC00..=0xDFFF => Err(Syntax),
                _ => Ok(()),
            },
            _ => Err(Syntax),
        }
    }

    fn hex4(&mut self) -> Read<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(Syntax)?;
        let mut code = 0;
        for &d in digits {
            code = code * 16 + (d as char).to_digit(16).ok_or(Syntax)?;
        }
        self.pos += 4;
        Ok(code)
    }

    /// Moves past a number's grammar; returns the end of its integral part and whether it has
    /// a fraction or an exponent.
    pub(super) fn number_body(&mut self) -> Read<(usize, bool)> {
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Syntax),
        }
        let integral_end = self.pos;
        let mut float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.at_least_one_digit()?;
            float = true;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            self.at_least_one_digit()?;
            float = true;
        }
        Ok((integral_end, float))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Read<()> {
        match self.bytes.get(self.pos) {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(Syntax),
        }
    }
}

/// `quote` is a string's opening quote: the offset just after its closing one, or `None` when
/// the string is malformed (unterminated, a raw control character, a bad escape, a lone
/// surrogate, bytes that are not UTF-8).
pub fn string_end(bytes: &[u8], quote: usize) -> Option<usize> {
    if bytes.get(quote) != Some(&b'"') {
        return None;
    }
    let mut cursor = Cursor {
        bytes,
        pos: quote + 1,
    };
    cursor.string_body().ok()?;
    Some(cursor.pos + 1)
}

/// `start` is where a number begins (`-` or a digit): the offset just after it, or `None` when
/// it breaks the grammar (`01`, `1.`, `-`, `1e`). Its range is not checked.
pub fn number_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut cursor = Cursor { bytes, pos: start };
    cursor.number_body().ok()?;
    Some(cursor.pos)
}

/// The decoded text of a string's body (between its quotes), into `out` (cleared first):
/// escapes decoded, bytes that are not UTF-8 (in a body [`string_end`] did not accept) as
/// U+FFFD.
pub fn decode_into(body: &[u8], out: &mut String) {
    out.clear();
    let text = String::from_utf8_lossy(body);
    out.extend(Decoded::new(&text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_end_where_serde_json_says_they_do() {
        let cases: [(&str, Option<usize>); 10] = [
            (r#""""#, Some(2)),
            (r#""abc" , 1"#, Some(5)),
            (r#""a\"b""#, Some(6)),
            (r#""\u00e9\uD83D\uDE00""#, Some(20)),
            (r#""abc"#, None),
            (r#""\x""#, None),
            (r#""\u12""#, None),
            (r#""\uD800""#, None),
            (r#""\uDC00x""#, None),
            ("\"a\nb\"", None),
        ];
        let bytes: [(&[u8], Option<usize>); 6] = [
            ("\"é\" ".as_bytes(), Some(4)),
            ("\"a\\né😀\\u00e9\"".as_bytes(), Some(17)),
            (b"\"a\xff\"", None),
            (b"\"\xc3\"", None),
            (b"\"\xe2\x82\"", None),
            (b"\"\xed\xa0\x80\"", None),
        ];
        for (text, end) in cases {
            assert_eq!(string_end(text.as_bytes(), 0), end, "{text:?}");
            let whole = end == Some(text.len());
            if whole || end.is_none() {
                let serde = serde_json::from_str::<String>(text).is_ok();
                assert_eq!(serde, end.is_some(), "{text:?}");
            }
        }
        assert_eq!(string_end(b"x\"\"", 0), None);
        for (text, end) in bytes {
            assert_eq!(string_end(text, 0), end, "{text:?}");
            let whole = &text[..end.unwrap_or(text.len())];
            let serde = serde_json::from_slice::<String>(whole).is_ok();
            assert_eq!(serde, end.is_some(), "{text:?}");
        }
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for (text, end) in [
            ("0", Some(1)),
            ("-12.5e+3,", Some(8)),
            ("1E2]", Some(3)),
            ("01", Some(1)),
            ("-", None),
            ("1.", None),
            ("1e", None),
            ("1e+", None),
            (".5", None),
        ] {
            assert_eq!(number_end(text.as_bytes(), 0), end, "{text:?}");
        }
    }

    #[test]
    fn bodies_decode_escapes_and_bad_bytes() {
        let mut out = String::new();
        decode_into(br#"a\"\\\/\n\u00e9\ud83d\ude00x"#, &mut out);
        assert_eq!(out, "a\"\\/\né😀x");
        decode_into(b"\xff", &mut out);
        assert_eq!(out, "\u{FFFD}");
    }
}
