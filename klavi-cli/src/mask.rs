//! What of a payload's own text may be shown in a code frame, decided by the message's schema
//! in one read of the text ([`crate::scan`]).
//!
//! A frame shows the payload around a violation, so everything it could show is classified:
//!
//! * a value **the schema marks personal or secret** (`format` `cpf`, `cnpj` or `email`,
//!   `x-klavi-personal-data`, `x-klavi-secret`, a tax id kept as received) is hidden whatever
//!   its JSON type: a string, a number, every scalar and member name inside an array or object;
//! * the value of an **undeclared member** (one no schema node at that place names: a
//!   misspelled member, an unknown member of a response, anything inside a free-form object
//!   such as `externalInfo`) is unknown data and hidden the same way;
//! * a **member name that the schema does not declare** (an undeclared member's, a map key)
//!   is data too: shown only when it [cannot carry personal data](is_shareable_name); inside a
//!   hidden value, every name is hidden;
//! * the rest (declared members with their values: URLs, enums, flags, numbers) is shown.
//!
//! Hidden text keeps its length in characters (each becomes `*`) and the JSON punctuation
//! around it, so lines and columns stay true.

use std::ops::Range;

use klavi_types::validation::pointer::is_shareable_name;
use serde_json::Value;

use crate::scan::{Event, Scanner, decode_into};

/// What of a payload's text is hidden: ranges found by the schema, and everything (but JSON
/// punctuation and whitespace) from the point where the text stops being JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masking {
    /// Sorted, disjoint byte ranges: the contents of a string (without its quotes), a number or
    /// a literal, a member name's contents.
    ranges: Vec<Range<usize>>,
    /// From this offset on, every character but `{}[]:,"` and whitespace is hidden.
    hide_from: usize,
}

impl Masking {
    /// The masking of `source`, read as the message whose bundled schema is `schema`. With no
    /// schema, everything but punctuation is hidden.
    pub fn new(schema: Option<&Value>, source: &[u8]) -> Self {
        match schema {
            Some(schema) => hidden_ranges(schema, source),
            None => Masking {
                ranges: Vec::new(),
                hide_from: 0,
            },
        }
    }

    /// Whether the character starting at byte `at` is hidden.
    pub fn hides(&self, at: usize, c: char) -> bool {
        if at >= self.hide_from {
            return !matches!(
                c,
                '{' | '}' | '[' | ']' | ':' | ',' | '"' | ' ' | '\t' | '\n' | '\r'
            );
        }
        let index = self.ranges.partition_point(|range| range.end <= at);
        self.ranges
            .get(index)
            .is_some_and(|range| range.start <= at)
    }
}

/// The masking of `source` read as the message whose bundled schema is `schema`, in one read.
fn hidden_ranges(schema: &Value, source: &[u8]) -> Masking {
    let classifier = Classifier { root: schema };
    let mut hidden = Vec::new();
    let mut stack: Vec<Container<'_>> = Vec::new();
    let mut upcoming = classifier.place_of(&[schema]);
    let mut name = String::new();
    let mut scanner = Scanner::new(source);
    for event in scanner.by_ref() {
        match event {
            Event::ObjectStart(_) | Event::ArrayStart(_) => {
                let place = std::mem::replace(&mut upcoming, Place::Hidden);
                let array = matches!(event, Event::ArrayStart(_));
                if array {
                    upcoming = classifier.item(&place);
                }
                stack.push(Container { place, array });
            }
            Event::ObjectEnd(_) | Event::ArrayEnd(_) => {
                stack.pop();
                upcoming = next_item(&classifier, stack.last());
            }
            Event::Key(span) => {
                let Some(container) = stack.last() else {
                    break;
                };
                let inner = span.start + 1..span.end - 1;
                decode_into(&source[inner.clone()], &mut name);
                let inside_hidden = matches!(container.place, Place::Hidden);
                let (place, declared) = classifier.member(&container.place, &name);
                let hide_name = inside_hidden || (!declared && !is_shareable_name(&name));
                if hide_name && !inner.is_empty() {
                    hidden.push(inner);
                }
                upcoming = place;
            }
            Event::Scalar(span) => {
                if matches!(upcoming, Place::Hidden) {
                    let inner = if source.get(span.start) == Some(&b'"') {
                        span.start + 1..span.end - 1
                    } else {
                        span
                    };
                    if !inner.is_empty() {
                        hidden.push(inner);
                    }
                }
                upcoming = next_item(&classifier, stack.last());
            }
        }
    }
    let hide_from = if scanner.failed() {
        scanner.offset()
    } else {
        source.len()
    };
    Masking {
        ranges: hidden,
        hide_from,
    }
}

/// What the next value of `container` is: its item schema for an array; for an object, set
/// by the next member name.
fn next_item<'s>(classifier: &Classifier<'s>, container: Option<&Container<'s>>) -> Place<'s> {
    match container {
        Some(container) if container.array => classifier.item(&container.place),
        _ => Place::Hidden,
    }
}

/// An open object or array and how its contents are shown.
struct Container<'s> {
    place: Place<'s>,
    array: bool,
}

/// How a value is shown.
#[derive(Clone)]
enum Place<'s> {
    /// Shown; these schema nodes (references followed, combinators flattened) describe it.
    Shown(Vec<&'s Value>),
    /// Hidden, with everything inside.
    Hidden,
}

/// Reads the schema: what applies at a place, and what is personal.
struct Classifier<'s> {
    root: &'s Value,
}

/// How deep references and combinators are followed (the bundled schemas nest a few levels).
const MAX_EXPANSION_DEPTH: usize = 32;

impl<'s> Classifier<'s> {
    /// Adds the schema nodes that apply to a value `node` describes: `node` itself, the
    /// targets of its `$ref`s and the branches of `allOf`, `anyOf`, `oneOf`, `then` and `else`.
    fn expand_into(&self, node: &'s Value, depth: usize, out: &mut Vec<&'s Value>) {
        if depth > MAX_EXPANSION_DEPTH || out.iter().any(|seen| std::ptr::eq(*seen, node)) {
            return;
        }
        out.push(node);
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| self.root.pointer(pointer))
        {
            self.expand_into(target, depth + 1, out);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.expand_into(branch, depth + 1, out);
            }
        }
        for key in ["then", "else"] {
            if let Some(branch) = node.get(key) {
                self.expand_into(branch, depth + 1, out);
            }
        }
    }

    /// The place of the member `name` of an object at `place`, and whether a schema node
    /// declares `name` itself (in `properties`) rather than as a map key or not at all.
    fn member(&self, place: &Place<'s>, name: &str) -> (Place<'s>, bool) {
        let Place::Shown(nodes) = place else {
            return (Place::Hidden, false);
        };
        let mut declared = Vec::new();
        let mut keyed = Vec::new();
        for node in nodes {
            if let Some(property) = node.get("properties").and_then(|p| p.get(name)) {
                declared.push(property);
            } else if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object())
            {
                keyed.push(values);
            }
        }
        let is_declared = !declared.is_empty();
        let described = if is_declared { declared } else { keyed };
        (self.place_of(&described), is_declared)
    }

    /// The place of an item of an array at `place`.
    fn item(&self, place: &Place<'s>) -> Place<'s> {
        let Place::Shown(nodes) = place else {
            return Place::Hidden;
        };
        let items: Vec<&'s Value> = nodes.iter().filter_map(|node| node.get("items")).collect();
        self.place_of(&items)
    }

    /// Shown when some schema describes the value and none marks it personal or secret.
    fn place_of(&self, described: &[&'s Value]) -> Place<'s> {
        let mut nodes = Vec::new();
        for node in described {
            self.expand_into(node, 0, &mut nodes);
        }
        if nodes.is_empty() || nodes.iter().any(|node| is_personal(node)) || is_free_form(&nodes) {
            Place::Hidden
        } else {
            Place::Shown(nodes)
        }
    }
}

/// Whether a schema node marks its value personal data or a secret.
fn is_personal(node: &Value) -> bool {
    let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
    matches!(
        node.get("format").and_then(Value::as_str),
        Some("cpf" | "cnpj" | "email")
    ) || flag("x-klavi-secret")
        || flag("x-klavi-personal-data")
        || matches!(
            node.get("x-rust-type").and_then(Value::as_str),
            Some("UnverifiedCpf" | "UnverifiedCnpj")
        )
}

/// Whether the nodes describe nothing but "any JSON" (`{}`, `true`, a bare description): a
/// free-form value, unknown data like an undeclared member's.
fn is_free_form(nodes: &[&Value]) -> bool {
    const DESCRIBING: &[&str] = &[
        "type",
        "properties",
        "items",
        "enum",
        "const",
        "format",
        "pattern",
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "additionalProperties",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
    ];
    nodes.iter().all(|node| match node {
        Value::Object(map) => !DESCRIBING.iter().any(|key| map.contains_key(*key)),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(message: &str, source: &str) -> String {
        let info = klavi_types::registry::message(message).expect("a message");
        let schema: Value = serde_json::from_str(info.schema).expect("JSON");
        let masking = Masking::new(Some(&schema), source.as_bytes());
        source
            .char_indices()
            .map(|(at, c)| if masking.hides(at, c) { '*' } else { c })
            .collect()
    }

    #[test]
    fn personal_values_are_hidden_whatever_their_type() {
        assert_eq!(
            shown(
                "create-link.request",
                r#"{"personalTaxId": 52998224725, "email": ["a@b", {"k": 1}], "redirectURL": "https://x.com"}"#
            ),
            r#"{"personalTaxId": ***********, "email": ["***", {"*": *}], "redirectURL": "https://x.com"}"#
        );
        assert_eq!(
            shown(
                "submit-mfa.request",
                r#"{"mfaId": 1, "code": 987123, "password": "44556677"}"#
            ),
            r#"{"mfaId": 1, "code": ******, "password": "********"}"#
        );
    }

    #[test]
    fn undeclared_members_hide_their_values_and_unsafe_names() {
        assert_eq!(
            shown(
                "create-link.request",
                "{\"personalTaxID\": \"529.982.247-25\", \"52998224725\": 1, \"externalInfo\": {\"nome\": \"Maria\"}}"
            ),
            "{\"personalTaxID\": \"**************\", \"***********\": *, \"externalInfo\": {\"nome\": \"*****\"}}"
        );
        // Map keys are data: an e-mail is hidden, a product name is not; URLs are shown.
        assert_eq!(
            shown(
                "create-link.request",
                r#"{"productsCallbackURL": {"maria@example.com": "https://x.com/a", "all": "https://x.com/b"}}"#
            ),
            r#"{"productsCallbackURL": {"*****************": "https://x.com/a", "all": "https://x.com/b"}}"#
        );
    }

    #[test]
    fn responses_hide_unknown_members_and_keep_declared_ones() {
        let text = shown(
            "get-consent-list.response",
            r#"[{"consentId": "c-1", "status": "AUTHORISED", "motherName": "Maria", "personalTaxId": "16109277673"}]"#,
        );
        assert!(text.contains("\"consentId\": \"c-1\""), "{text}");
        assert!(text.contains("\"motherName\": \"*****\""), "{text}");
        assert!(!text.contains("16109277673"), "{text}");
    }

    #[test]
    fn text_that_is_not_json_is_hidden_from_where_it_breaks() {
        assert_eq!(
            shown(
                "create-link.request",
                "{\"redirectURL\": \"https://x.com\", \"personalTaxId\": \"529.982.247-25\",}"
            ),
            "{\"redirectURL\": \"https://x.com\", \"personalTaxId\": \"**************\",}"
        );
        assert_eq!(
            shown(
                "create-link.request",
                "{\"redirectURL\": \"https://x.com\", 529.982,"
            ),
            "{\"redirectURL\": \"https://x.com\", *******,"
        );
        let masking = Masking::new(None, b"{\"a\": 1}");
        assert!(masking.hides(2, 'a') && !masking.hides(0, '{'));
    }
}
