//! Member names read from JSON without a copy: used by the runtime (the diagnostics' duplicate
//! scan) and by the generated visitors of objects that keep undeclared members (re-exported
//! for them from `__private`).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// A member name read from JSON, borrowed from the input when it holds no escape (serde's
/// `Cow<str>` always copies): the key of the generated visitors of objects that keep undeclared
/// members, so that declared members are matched without allocating.
pub struct MemberName<'de>(pub std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = MemberName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Borrowed(name)))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name.to_owned())))
            }

            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name)))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::MemberName;

    #[test]
    fn borrows_unless_escaped() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        let name = MemberName::deserialize(&mut de).unwrap();
        assert!(matches!(name.0, std::borrow::Cow::Borrowed("plain")));
        let mut de = serde_json::Deserializer::from_str(r#""a\u0062""#);
        let name = MemberName::deserialize(&mut de).unwrap();
        assert!(matches!(name.0, std::borrow::Cow::Owned(ref text) if text == "ab"));
    }
}
