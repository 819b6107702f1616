//! A streaming reader of JSON text that reports, in document order, where each object, array,
//! member name and scalar lies ([`Event`]s with byte spans). It builds no tree, allocates
//! nothing, recurses nowhere and never panics: any bytes can be fed to it, and it stops at the
//! first byte that cannot continue a JSON document.
//!
//! It is the one pass both the [locator](crate::locate) and the [masker](crate::mask) run, so
//! each costs one read of the payload, whatever the number of violations. Strings and numbers
//! are lexed, and names decoded, by `klavi_types::check::lex`, the lexer of the compiled
//! check's reader: one JSON grammar for the workspace. What is this file's own is the walk
//! (which token may come next) and the depth, unbounded here (no recursion).

use std::ops::Range;

pub use klavi_types::check::lex::decode_into;
use klavi_types::check::lex::{number_end, string_end};

/// One thing met while reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// `{` at this offset.
    ObjectStart(usize),
    /// A member name: the span of the string, quotes included. The member's value follows.
    Key(Range<usize>),
    /// `}` at this offset.
    ObjectEnd(usize),
    /// `[` at this offset.
    ArrayStart(usize),
    /// `]` at this offset.
    ArrayEnd(usize),
    /// A string (quotes included), number, `true`, `false` or `null`.
    Scalar(Range<usize>),
}

/// What may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A value (the document's, a member's or the first item of an array, which may also be
    /// `]`).
    Value,
    /// The first member name of an object, or `}`.
    FirstKey,
    /// A member name (after a comma).
    Key,
    /// The `:` after a member name.
    Colon,
    /// A `,` or the end of the enclosing container.
    CommaOrEnd,
    /// An item after a comma.
    Item,
    /// Nothing but whitespace: the document is complete.
    Done,
}

/// The reader. Iterate it for the events; [`Scanner::failed`] then tells whether the text
/// ended as one complete JSON value.
pub struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    expect: Expect,
    /// The open containers, innermost last: `true` for an object.
    open: Vec<bool>,
    failed: bool,
}

impl<'a> Scanner<'a> {
    /// A reader of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            at: 0,
            expect: Expect::Value,
            open: Vec::new(),
            failed: false,
        }
    }

    /// `true` when the text is not one complete JSON value (known once the iterator is done).
    pub fn failed(&self) -> bool {
        self.failed || self.expect != Expect::Done
    }

    /// Where reading stands: once the iterator is done, the offset at which the text stopped
    /// being JSON (when it [failed](Scanner::failed)), or its length.
    pub fn offset(&self) -> usize {
        self.at.min(self.bytes.len())
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn fail(&mut self) -> Option<Event> {
        self.failed = true;
        None
    }

    /// After a value closes: a comma or the end of the container, or the end of the document.
    fn after_value(&mut self) {
        self.expect = if self.open.is_empty() {
            Expect::Done
        } else {
            Expect::CommaOrEnd
        };
    }

    fn value(&mut self, byte: u8) -> Option<Event> {
        let start = self.at;
        match byte {
            b'{' => {
                self.at += 1;
                self.open.push(true);
                self.expect = Expect::FirstKey;
                Some(Event::ObjectStart(start))
            }
            b'[' => {
                self.at += 1;
                self.open.push(false);
                self.expect = Expect::Value;
                Some(Event::ArrayStart(start))
            }
            b'"' => {
                let Some(end) = string_end(self.bytes, start) else {
                    return self.fail();
                };
                self.at = end;
                self.after_value();
                Some(Event::Scalar(start..end))
            }
            b'-' | b'0'..=b'9' => {
                let Some(end) = number_end(self.bytes, start) else {
                    return self.fail();
                };
                self.at = end;
                self.after_value();
                Some(Event::Scalar(start..end))
            }
            _ => {
                let rest = &self.bytes[start..];
                let Some(word) = [&b"true"[..], b"false", b"null"]
                    .into_iter()
                    .find(|word| rest.starts_with(word))
                else {
                    return self.fail();
                };
                let end = start + word.len();
                self.at = end;
                self.after_value();
                Some(Event::Scalar(start..end))
            }
        }
    }

    fn close(&mut self, object: bool) -> Option<Event> {
        if self.open.pop() != Some(object) {
            return self.fail();
        }
        let at = self.at;
        self.at += 1;
        self.after_value();
        Some(if object {
            Event::ObjectEnd(at)
        } else {
            Event::ArrayEnd(at)
        })
    }

    fn key(&mut self) -> Option<Event> {
        let start = self.at;
        let Some(end) = string_end(self.bytes, start) else {
            return self.fail();
        };
        self.at = end;
        self.expect = Expect::Colon;
        Some(Event::Key(start..end))
    }
}

impl Iterator for Scanner<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.failed {
            return None;
        }
        loop {
            self.skip_ws();
            let byte = self.bytes.get(self.at).copied();
            match (self.expect, byte) {
                (Expect::Done, None) => return None,
                (Expect::Done, Some(_)) | (_, None) => return self.fail(),
                (Expect::Value, Some(b']')) if self.open.last() == Some(&false) => {
                    // `[]`, but not `[1, ]`.
                    return self.close(false);
                }
                (Expect::Value | Expect::Item, Some(byte)) => return self.value(byte),
                (Expect::FirstKey, Some(b'}')) => return self.close(true),
                (Expect::FirstKey | Expect::Key, Some(b'"')) => return self.key(),
                (Expect::Colon, Some(b':')) => {
                    self.at += 1;
                    self.expect = Expect::Value;
                }
                (Expect::CommaOrEnd, Some(b',')) => {
                    self.at += 1;
                    self.expect = if self.open.last() == Some(&true) {
                        Expect::Key
                    } else {
                        Expect::Item
                    };
                }
                (Expect::CommaOrEnd, Some(b'}')) => return self.close(true),
                (Expect::CommaOrEnd, Some(b']')) => return self.close(false),
                _ => return self.fail(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> (Vec<Event>, bool) {
        let mut scanner = Scanner::new(text.as_bytes());
        let events: Vec<Event> = scanner.by_ref().collect();
        (events, scanner.failed())
    }

    #[test]
    fn events_come_in_document_order_with_their_spans() {
        let (found, failed) = events(r#" {"a": [1, "x", {}], "b": null} "#);
        assert!(!failed);
        assert_eq!(
            found,
            [
                Event::ObjectStart(1),
                Event::Key(2..5),
                Event::ArrayStart(7),
                Event::Scalar(8..9),
                Event::Scalar(11..14),
                Event::ObjectStart(16),
                Event::ObjectEnd(17),
                Event::ArrayEnd(18),
                Event::Key(21..24),
                Event::Scalar(26..30),
                Event::ObjectEnd(30),
            ]
        );
        assert_eq!(events("[]").0.len(), 2);
        assert!(!events("-1.5e3").1);
    }

    #[test]
    fn malformed_text_stops_and_says_so() {
        for text in [
            "",
            " ",
            "{",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "{a: 1}",
            "{\"a\": 1}}",
            "1 2",
            "\"abc",
            "\"a\\x\"",
            "\"\\u12\"",
            "\"a\nb\"",
            "]",
            "[}",
            "{]",
            "tru",
            "-",
            "{\"a\":}",
            "[,1]",
            // The compiled check's grammar, which `serde_json` shares: a lone surrogate, a
            // leading zero, a fraction or an exponent without digits, a word that is no literal.
            "\"\\ud800\"",
            "[\"\\udc00\"]",
            "01",
            "[1.]",
            "[1e]",
            "[-]",
            "[nul]",
            "[truth]",
        ] {
            let (_, failed) = events(text);
            assert!(failed, "{text:?}");
        }
        // Deep nesting is read without recursion.
        let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(!events(&deep).1);
    }

    #[test]
    fn strings_decode_escapes() {
        let mut out = String::new();
        decode_into(br#"a\"\\\/\n\u00e9\ud83d\ude00x"#, &mut out);
        assert_eq!(out, "a\"\\/\né😀x");
        decode_into(b"\xff", &mut out);
        assert_eq!(out, "\u{FFFD}");
    }
}
