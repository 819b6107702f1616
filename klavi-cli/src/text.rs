//! Text taken from a payload or the command line, made safe to print: control characters,
//! bidirectional controls and invisible format characters are escaped, so that a member name
//! or a file name can neither break a line (forging a `line 7: …` result), nor drive the
//! terminal (ESC sequences), nor reorder what is shown (U+202E).

use std::borrow::Cow;

/// Whether `c` must not reach the output as it is: a control character, a bidirectional
/// control or mark, a zero-width or line/paragraph separator, or a byte-order mark.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `text` with every [unsafe character](is_unsafe_char) written as a Rust escape (`\n`,
/// `\u{1b}`, `\u{202e}`); borrowed when there is none.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped() {
        assert_eq!(sanitize("/a\nb\u{1b}[31m"), "/a\\nb\\u{1b}[31m");
        assert_eq!(
            sanitize("a\u{202e}b\u{2066}c\u{200b}"),
            "a\\u{202e}b\\u{2066}c\\u{200b}"
        );
        assert_eq!(sanitize("x\r\n\u{2028}"), "x\\r\\n\\u{2028}");
        assert!(matches!(sanitize("/plain/João"), Cow::Borrowed(_)));
    }
}
