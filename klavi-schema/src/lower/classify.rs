//! Classification: the one [`Shape`] of a schema node, decided from its keywords, and the check
//! that every keyword on the node is one its shape takes (from the keyword table).

use serde_json::{Map, Value};

use super::{Lowerer, text, type_names};
use crate::error::SchemaErrorKind;
use crate::keywords;
use crate::model::RuntimeType;
use crate::pointer::join;
use crate::shape::Shape;

/// Why an `allOf` outside a struct is refused, and what to write instead.
const ALL_OF_ONLY_FOR_BODIES: &str = "unsupported keyword `allOf` here: klavi-schema supports it only beside `properties`, as a list of `if`/`then` entries choosing the object's body by one of its members (see the report envelope); write a combined type out as one schema";

impl Lowerer<'_> {
    /// The shape of an object node, or `None` after recording why it has none (or why its
    /// keywords do not fit it).
    pub(super) fn classify(
        &mut self,
        file: &str,
        pointer: &str,
        node: &Map<String, Value>,
    ) -> Option<Shape> {
        let shape = self.shape_of(file, pointer, node)?;
        let types = type_names(node);
        let start = self.cx.mark();
        for key in node.keys() {
            if !keywords::allowed_on(key, &shape) {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(pointer, key),
                    format!(
                        "`{key}` is not supported on {} (allowed here: {})",
                        shape.describe(),
                        keywords::specific_to(&shape).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        if let Shape::Runtime(rt) = shape {
            if let Some(expected) = rt.union_types()
                && types != expected
            {
                self.cx.error(
                    SchemaErrorKind::Invalid,
                    file,
                    pointer,
                    format!("this `x-rust-type` needs `\"type\": {expected:?}`"),
                );
            }
            if rt.is_string() && !types.is_empty() && types != ["string"] {
                let name = rt.path().rsplit("::").next().unwrap_or_default();
                self.cx.error(
                    SchemaErrorKind::Invalid,
                    file,
                    &join(pointer, "type"),
                    format!(
                        "this node is the string type `{name}` (from its `format`, `x-rust-type` or `x-klavi-*` flag), so its `type` must be `\"string\"`, not {types:?}"
                    ),
                );
            }
        }
        if matches!(
            shape,
            Shape::Enum | Shape::IntEnum | Shape::TaggedUnion | Shape::OneOrMany
        ) {
            self.one_enum_keyword(file, pointer, node);
        }
        self.cx.unless_failed_since(start, shape)
    }

    /// The shape the keywords select, before checking that the rest fits it.
    fn shape_of(&mut self, file: &str, pointer: &str, node: &Map<String, Value>) -> Option<Shape> {
        let types = type_names(node);
        let has = |key: &str| node.contains_key(key);
        let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
        if let Some(name) = text(node, "x-rust-type") {
            // `check` accepts only the names of the table.
            return RuntimeType::BY_NAME
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, rt)| Shape::Runtime(*rt));
        }
        if flag("x-klavi-secret") {
            return Some(Shape::Runtime(RuntimeType::Secret));
        }
        if flag("x-klavi-personal-data") && types == ["object"] && !has("properties") {
            return Some(Shape::Runtime(RuntimeType::PersonalObject));
        }
        if flag("x-klavi-personal-data") {
            return Some(Shape::Runtime(RuntimeType::PersonalData));
        }
        if let Some(format) = text(node, "format") {
            let runtime = match format {
                "cpf" => RuntimeType::Cpf,
                "cnpj" => RuntimeType::Cnpj,
                "email" => RuntimeType::Email,
                "uri" => RuntimeType::AbsoluteUri,
                other => {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "format"),
                        format!(
                            "format `{other}` needs an `x-rust-type` naming the runtime type that implements it (e.g. `UtcDateTime` for an RFC 3339 UTC timestamp)"
                        ),
                    );
                    return None;
                }
            };
            return Some(Shape::Runtime(runtime));
        }
        if (has("enum") || has("oneOf") || has("anyOf")) && !has("properties") && types != ["array"]
        {
            return Some(enum_like_shape(node, &types));
        }
        if types.len() > 1 {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(pointer, "type"),
                "a union of types needs an `x-rust-type` naming the runtime type that implements it",
            );
            return None;
        }
        let shape = match types.first().copied() {
            Some("string") => Shape::String,
            Some("integer") => Shape::Integer,
            Some("boolean") => Shape::Bool,
            Some("array") => Shape::Array,
            Some("object") if has("properties") => Shape::Struct,
            Some("object") if has("dependentSchemas") => Shape::ExclusiveMap,
            Some("object")
                if node
                    .get("additionalProperties")
                    .is_some_and(Value::is_object) =>
            {
                Shape::Map
            }
            Some("object") => Shape::JsonObject,
            None if node.keys().all(|k| keywords::is_annotation(k)) => Shape::Json,
            Some(other) => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(pointer, "type"),
                    format!("type `{other}` is not supported by the generator"),
                );
                return None;
            }
            None if has("allOf") => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(pointer, "allOf"),
                    ALL_OF_ONLY_FOR_BODIES,
                );
                return None;
            }
            None => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    pointer,
                    "a schema without `type` must be an enum (`enum`, `anyOf`/`oneOf` of `const`), a `$ref`, or empty (any JSON value)",
                );
                return None;
            }
        };
        Some(shape)
    }

    /// An enum or union is written with exactly one of `enum`, `anyOf`, `oneOf`.
    fn one_enum_keyword(&mut self, file: &str, pointer: &str, node: &Map<String, Value>) {
        let present: Vec<&str> = ["enum", "anyOf", "oneOf"]
            .into_iter()
            .filter(|k| node.contains_key(*k))
            .collect();
        if present.len() != 1 {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                pointer,
                format!(
                    "an enum is written with exactly one of `enum`, `anyOf`, `oneOf` (found {})",
                    present.join(", ")
                ),
            );
        }
    }
}

/// Which of the enum-like shapes a node with `enum`, `anyOf` or `oneOf` is: integer enums by
/// their type or first value; unions when no branch is a `const` (one-or-many when the two
/// branches are `T` and an array of `T`); string enums otherwise.
fn enum_like_shape(node: &Map<String, Value>, types: &[&str]) -> Shape {
    let integer = types == ["integer"]
        || (types.is_empty() && first_const(node).is_some_and(|v| v.is_i64() || v.is_u64()));
    if integer {
        return Shape::IntEnum;
    }
    let branches = ["anyOf", "oneOf"]
        .into_iter()
        .find_map(|k| node.get(k).and_then(Value::as_array).map(|list| (k, list)));
    match branches {
        Some((keyword, list)) if list.iter().all(|b| b.get("const").is_none()) => {
            if keyword == "anyOf" && is_one_or_many(list) {
                Shape::OneOrMany
            } else {
                Shape::TaggedUnion
            }
        }
        _ => Shape::Enum,
    }
}

/// `[T, {type: array, items: T}]` (the same `T`, notes allowed on the array).
pub(super) fn is_one_or_many(list: &[Value]) -> bool {
    let [one, many] = list else {
        return false;
    };
    let Some(many) = many.as_object() else {
        return false;
    };
    many.get("type") == Some(&Value::String("array".into()))
        && many
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "items" | "description" | "title"))
        && many.get("items") == Some(one)
}

/// The first `const` (or `enum` value) of an enum node, to tell integer enums from string ones.
fn first_const(map: &Map<String, Value>) -> Option<&Value> {
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values.first();
    }
    ["anyOf", "oneOf"]
        .into_iter()
        .filter_map(|k| map.get(k).and_then(Value::as_array))
        .flatten()
        .find_map(|branch| branch.get("const"))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{errors, lower_one};

    fn member(schema: &str) -> Vec<(String, String)> {
        errors(lower_one(&format!(
            r#"{{"type": "object", "properties": {{"m": {schema}}}}}"#
        )))
    }

    #[test]
    fn a_keyword_outside_its_shape_is_named_with_what_the_shape_takes() {
        let found = member(r#"{"type": "string", "pattern": "^a"}"#);
        assert_eq!(found[0].0, "/properties/m/pattern");
        assert_eq!(
            found[0].1,
            "`pattern` is not supported on a string (allowed here: type, minLength, maxLength)"
        );
        let found = member(r#"{"anyOf": [{"const": "a"}], "minItems": 1}"#);
        assert_eq!(found[0].0, "/properties/m/minItems");
        assert!(found[0].1.contains("on an enum"), "{found:?}");
    }

    #[test]
    fn shapes_without_a_runtime_type_are_refused() {
        let found = member(r#"{"type": "string", "format": "date-time"}"#);
        assert!(found[0].1.contains("needs an `x-rust-type`"), "{found:?}");
        let found = member(r#"{"type": ["string", "integer"]}"#);
        assert_eq!(found[0].0, "/properties/m/type");
        let found = member(r#"{"type": "number"}"#);
        assert!(
            found[0].1.contains("type `number` is not supported"),
            "{found:?}"
        );
        let found = member(r#"{"minLength": 1}"#);
        assert!(
            found[0].1.starts_with("a schema without `type`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_runtime_type_must_declare_its_wire_types() {
        let found = member(r#"{"type": "string", "x-rust-type": "Seconds"}"#);
        assert!(
            found[0]
                .1
                .contains(r#"needs `"type": ["integer", "string"]`"#),
            "{found:?}"
        );
        let found = member(r#"{"type": "integer", "format": "email"}"#);
        assert!(found[0].1.contains("string type `Email`"), "{found:?}");
    }
}
