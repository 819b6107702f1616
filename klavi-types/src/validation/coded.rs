//! The coded serde error: how a violation crosses `serde`, whose errors are only text.
//!
//! A deserializer of this crate that finds a violation (a format type, an exclusive-key map, a
//! union variant, a raw member) raises `serde::de::Error::custom` with the text
//! `[code] message`, or `[code:/pointer] message` when the violation lies below the value being
//! read. The parser ([`crate::from_json`]) decodes that text back into a violation with that
//! code, appending the pointer to where serde stopped. [`encode`] is the only writer of the text
//! and [`decode`] its only reader.
//!
//! In the pointer, `]` is written `~2` (a JSON Pointer escapes `~` itself as `~0`, so `~2`
//! means nothing else): the message starts after the first `] `, whatever the member names.

use std::borrow::Cow;

use super::Code;

/// The coded text of a violation of `code` at `pointer` (relative to the value being
/// deserialized, `""` for the value itself): `[code] message` or `[code:/pointer] message`.
pub fn encode(code: impl Into<&'static str>, pointer: &str, message: &str) -> String {
    let code = code.into();
    if pointer.is_empty() {
        format!("[{code}] {message}")
    } else {
        format!("[{code}:{}] {message}", pointer.replace(']', "~2"))
    }
}

/// [`encode`] at the member `key` of the value being deserialized: `[code:/key] message`.
pub fn encode_at(code: impl Into<&'static str>, key: &str, message: &str) -> String {
    let mut pointer = String::new();
    super::pointer::push_token(&mut pointer, key);
    encode(code, &pointer, message)
}

/// A violation decoded from its coded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coded<'t> {
    /// The code (a known one: text with an unknown code is not decoded).
    pub code: Code,
    /// The pointer below the value that raised it (`""` for the value itself).
    pub pointer: Cow<'t, str>,
    /// The message.
    pub message: &'t str,
}

/// Reads the text [`encode`] wrote; `None` for any other text (serde's own messages) or an
/// unknown code.
pub fn decode(text: &str) -> Option<Coded<'_>> {
    let (tag, message) = text.strip_prefix('[')?.split_once("] ")?;
    let (code, pointer) = tag.split_once(':').unwrap_or((tag, ""));
    let code = Code::from_code(code)?;
    let pointer = if pointer.contains("~2") {
        Cow::Owned(pointer.replace("~2", "]"))
    } else {
        Cow::Borrowed(pointer)
    };
    Some(Coded {
        code,
        pointer,
        message,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Code, decode, encode, encode_at};

    #[test]
    fn writes_the_texts_the_parser_reads() {
        assert_eq!(encode(Code::Enum, "", "m"), "[enum] m");
        assert_eq!(encode(Code::Required, "/a/0", "m"), "[required:/a/0] m");
        assert_eq!(
            encode_at(Code::InvalidKey, "a/b~c", "m"),
            "[invalid_key:/a~1b~0c] m"
        );
        assert_eq!(encode("type", "", "m"), "[type] m");
    }

    #[test]
    fn reads_nothing_else() {
        assert_eq!(decode("invalid type: string"), None);
        assert_eq!(decode("[no_such_code] m"), None);
        assert_eq!(decode("[enum]m"), None);
    }

    proptest! {
        #[test]
        fn round_trips(
            code in proptest::sample::select(Code::ALL),
            keys in proptest::collection::vec(any::<String>(), 0..4),
            message in any::<String>(),
        ) {
            let mut pointer = String::new();
            for key in &keys {
                crate::validation::pointer::push_token(&mut pointer, key);
            }
            let text = encode(code, &pointer, &message);
            let decoded = decode(&text).expect("decodes");
            prop_assert_eq!(decoded.code, code);
            prop_assert_eq!(&decoded.pointer, &pointer);
            prop_assert_eq!(decoded.message, message.as_str());
            if let [key] = keys.as_slice() {
                prop_assert_eq!(encode_at(code, key, &message), text);
            }
        }
    }
}
