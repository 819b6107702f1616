//! Deserialization of the string format types: text parsed and checked by the type, its
//! failure raised as the coded serde error of the type's violation.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::FormatError;
use crate::validation::coded;

/// String types that parse and check their text.
pub(crate) trait ParseText: Sized {
    /// Parses borrowed text.
    fn parse_str(text: &str) -> Result<Self, FormatError>;
    /// Parses owned text (reusing its allocation where the type stores a `String`).
    fn parse_string(text: String) -> Result<Self, FormatError> {
        Self::parse_str(&text)
    }
}

struct ParseVisitor<T>(PhantomData<fn() -> T>);

impl<T: ParseText> Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::parse_str(value).map_err(|e| E::custom(coded::encode(e.code(), "", e.message())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        T::parse_string(value).map_err(|e| E::custom(coded::encode(e.code(), "", e.message())))
    }
}

/// Deserializes a string format type.
pub(crate) fn deserialize_parsed<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: ParseText,
{
    deserializer.deserialize_str(ParseVisitor(PhantomData))
}

/// Deserializes the text of a type that keeps any string as sent ([`super::DateText`],
/// [`super::DateTimeText`]): a string is always accepted, anything else is serde's wrong-type
/// error (the `type` violation).
pub(crate) fn deserialize_kept_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    <String as serde::Deserialize>::deserialize(deserializer)
}
