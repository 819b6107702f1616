//! Duplicate member names: every object of a payload is read once more (serde_json's reader,
//! so escapes compare decoded: `"a"` and `"\u0061"` are the same name) and each name met a
//! second time in the same object is a `duplicate_member` violation at that second occurrence.
//! A parsed `serde_json::Value` keeps only the last copy, so without this pass a bad first
//! copy would pass unseen, and readers disagree on which copy counts.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use serde_json::{Map, Value};

use crate::member_name::MemberName;
use crate::validation::pointer::push_token;
use crate::validation::{Code, MAX_VIOLATIONS, Violation, messages};

/// Objects with more members than this are checked with a hash set instead of a list.
const LINEAR_SEARCH_MEMBERS: usize = 16;

/// The `duplicate_member` violations of `text`, in document order, at most [`MAX_VIOLATIONS`].
/// Meant for text already read as JSON: of malformed text, only what precedes the error is
/// checked.
pub(crate) fn duplicate_members(text: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut path = String::new();
    let _ = Scan {
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut deserializer);
    found
}

/// `text` read as a JSON value, or `None` when it is not JSON or repeats a member name in an
/// object: one read for both answers, where [`duplicate_members`] and a parse would take two
/// (the verdict of a batch line).
pub(crate) fn value_without_duplicates(text: &str) -> Option<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = UniqueValue.deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// Builds a [`Value`] as serde_json's own `Deserialize` does, failing on a repeated name.
#[derive(Clone, Copy)]
struct UniqueValue;

impl<'de> DeserializeSeed<'de> for UniqueValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(UniqueValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(MemberName(name)) = map.next_key::<MemberName<'de>>()? {
            let value = map.next_value_seed(UniqueValue)?;
            if members.insert(name.into_owned(), value).is_some() {
                return Err(serde::de::Error::custom("a member name appears twice"));
            }
        }
        Ok(Value::Object(members))
    }
}

/// Reads one value below `path`, recording its duplicates in `found`.
struct Scan<'p> {
    path: &'p mut String,
    found: &'p mut Vec<Violation>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let base = self.path.len();
        let mut index = 0usize;
        loop {
            self.path.truncate(base);
            push_token(self.path, itoa(index, &mut [0; 20]));
            let seed = Scan {
                path: self.path,
                found: self.found,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
            index += 1;
        }
        self.path.truncate(base);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let base = self.path.len();
        let mut names: Names<'de> = Names::List(Vec::new());
        while let Some(MemberName(name)) = map.next_key::<MemberName<'de>>()? {
            self.path.truncate(base);
            push_token(self.path, &name);
            if !names.insert(name.clone()) && self.found.len() < MAX_VIOLATIONS {
                self.found.push(Violation::new(
                    self.path.clone(),
                    Code::DuplicateMember,
                    messages::duplicate_member(&name),
                ));
            }
            map.next_value_seed(Scan {
                path: self.path,
                found: self.found,
            })?;
        }
        self.path.truncate(base);
        Ok(())
    }
}

/// The names of one object met so far.
enum Names<'de> {
    List(Vec<Cow<'de, str>>),
    Set(HashSet<Cow<'de, str>>),
}

impl<'de> Names<'de> {
    /// Adds `name`; `false` when it was there already.
    fn insert(&mut self, name: Cow<'de, str>) -> bool {
        match self {
            Names::List(list) if list.contains(&name) => false,
            Names::List(list) if list.len() < LINEAR_SEARCH_MEMBERS => {
                list.push(name);
                true
            }
            Names::List(list) => {
                let mut set: HashSet<_> = list.drain(..).collect();
                set.insert(name);
                *self = Names::Set(set);
                true
            }
            Names::Set(set) => set.insert(name),
        }
    }
}

/// `index` in decimal, without allocating.
fn itoa(mut index: usize, buffer: &mut [u8; 20]) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (index % 10) as u8;
        index /= 10;
        if index == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[at..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::duplicate_members;

    fn found(text: &str) -> Vec<(String, &'static str)> {
        duplicate_members(text)
            .into_iter()
            .map(|v| (v.pointer().to_owned(), v.code()))
            .collect()
    }

    #[test]
    fn every_second_occurrence_is_reported_where_it_is() {
        assert_eq!(found(r#"{"a": 1, "b": 2}"#), []);
        assert_eq!(
            found(
                r#"{"email": "bad", "email": "a@b.co", "x": [{"k": 1, "\u006b": 2}], "a/b": {"m": {}, "m": {}}, "a/b": 3}"#
            ),
            [
                ("/email".to_owned(), "duplicate_member"),
                ("/x/0/k".to_owned(), "duplicate_member"),
                ("/a~1b/m".to_owned(), "duplicate_member"),
                ("/a~1b".to_owned(), "duplicate_member"),
            ]
        );
        // Three copies: the second and the third.
        assert_eq!(found(r#"{"a": 1, "a": 2, "a": 3}"#).len(), 2);
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them_unless_a_name_repeats() {
        use super::value_without_duplicates;
        for text in [
            r#"{"a": [1, -2, 3.5, 1e300, 18446744073709551615, "x\u00e9", true, null, {}]}"#,
            "[]",
            "  7 ",
            r#"{"a": {"b": {"c": []}}, "b": 1}"#,
        ] {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(value_without_duplicates(text), Some(expected), "{text}");
        }
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"[{"k": 1, "\u006b": 2}]"#,
            "{",
            "1 2",
            "[1e400]",
        ] {
            assert_eq!(value_without_duplicates(text), None, "{text}");
        }
    }

    #[test]
    fn large_objects_use_a_set_and_stay_exact() {
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"k{i}\": {i}, "));
        }
        text.push_str("\"k7\": 0, \"k99\": 1}");
        let names: Vec<String> = found(&text).into_iter().map(|(p, _)| p).collect();
        assert_eq!(names, ["/k7", "/k99"]);
    }

    #[test]
    fn malformed_json_never_panics_and_keeps_what_was_read() {
        for text in ["", "{", "{\"a\": 1, \"a\"", "[1, {\"a\": 1, \"a\": 2", "]"] {
            let _ = duplicate_members(text);
        }
        assert_eq!(
            found("{\"a\": 1, \"a\""),
            [("/a".to_owned(), "duplicate_member")]
        );
    }
}
