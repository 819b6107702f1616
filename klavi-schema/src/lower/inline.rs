//! Inline types: the shapes that do not become a generated type of their own (runtime types,
//! strings, integers, booleans, any JSON, free-form objects, arrays and maps), with the checks
//! `validate()` runs on them.

use serde_json::{Map, Value};

use super::{Lowerer, Node};
use crate::error::SchemaErrorKind;
use crate::model::{Check, Ty, TyKind, TypeBody};
use crate::pointer::join;
use crate::shape::Shape;

impl<'a> Lowerer<'a> {
    /// The type of a node of a shape that is not generated.
    pub(super) fn inline_ty(
        &mut self,
        file: &str,
        pointer: &str,
        map: &'a Map<String, Value>,
        shape: Shape,
        context_name: &str,
        module: &str,
    ) -> Option<Ty> {
        let count = |key: &str| map.get(key).and_then(Value::as_u64);
        let int = |key: &str| map.get(key).and_then(Value::as_i64);
        let mut checks = Vec::new();
        let kind = match shape {
            Shape::Runtime(rt) => TyKind::Runtime(rt),
            Shape::String => {
                checks.extend(count("minLength").map(Check::MinLength));
                checks.extend(count("maxLength").map(Check::MaxLength));
                TyKind::String
            }
            Shape::Integer => {
                for key in ["minimum", "maximum"] {
                    if map.contains_key(key) && int(key).is_none() {
                        self.cx.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(pointer, key),
                            format!("`{key}` must fit in an i64"),
                        );
                        return None;
                    }
                }
                checks.extend(int("minimum").map(Check::Minimum));
                checks.extend(int("maximum").map(Check::Maximum));
                TyKind::Integer
            }
            Shape::Bool => TyKind::Bool,
            Shape::Json => TyKind::Json,
            Shape::JsonObject => {
                if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "additionalProperties"),
                        "an object with no properties and `additionalProperties: false` can only be empty; declare its properties",
                    );
                    return None;
                }
                TyKind::JsonObject
            }
            Shape::Array => {
                let item_name = format!("{context_name}Item");
                let items = match map.get("items") {
                    Some(items) => {
                        self.value_ty(file, &join(pointer, "items"), items, &item_name, module)?
                    }
                    None => Ty::plain(TyKind::Json),
                };
                checks.extend(count("minItems").map(Check::MinItems));
                checks.extend(count("maxItems").map(Check::MaxItems));
                if let Some(branches) = map.get("anyOf") {
                    let Some(item) = alone_item(branches) else {
                        self.cx.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(pointer, "anyOf"),
                            "on an array, `anyOf` is supported only as `[{\"not\": {\"contains\": {\"const\": ITEM}}}, {\"maxItems\": 1}]` (ITEM may only stand alone)",
                        );
                        return None;
                    };
                    checks.push(Check::AloneItem(item));
                }
                TyKind::Vec(Box::new(items))
            }
            Shape::Map => {
                let key = match map.get("propertyNames") {
                    Some(names) => {
                        let at = join(pointer, "propertyNames");
                        let key_name = format!("{context_name}Key");
                        let key = self.value_ty(file, &at, names, &key_name, module)?;
                        self.require_string_like(file, &at, &key)?;
                        key
                    }
                    None => Ty::plain(TyKind::String),
                };
                // A map is classified by its `additionalProperties` schema.
                let value_node = map.get("additionalProperties")?;
                let value = self.value_ty(
                    file,
                    &join(pointer, "additionalProperties"),
                    value_node,
                    &format!("{context_name}Value"),
                    module,
                )?;
                TyKind::Map(Box::new(key), Box::new(value))
            }
            generated => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    pointer,
                    format!(
                        "{} is a generated type, not an inline one",
                        generated.describe()
                    ),
                );
                return None;
            }
        };
        Some(Ty { kind, checks })
    }

    /// A message whose root is an inline shape (an array) becomes a newtype around it; any
    /// other node of an inline shape is not a generated type.
    pub(super) fn inline_root_body(
        &mut self,
        node: &Node<'_, 'a>,
        shape: Shape,
        is_message_root: bool,
    ) -> Option<TypeBody> {
        if !is_message_root {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                node.file(),
                &node.id.pointer,
                format!("{} cannot be a generated type of its own", shape.describe()),
            );
            return None;
        }
        let ty = self.inline_ty(
            &node.id.file,
            &node.id.pointer,
            node.map,
            shape,
            node.name,
            node.module,
        )?;
        Some(TypeBody::Newtype(ty))
    }
}

/// The item of `anyOf: [{not: {contains: {const: ITEM}}}, {maxItems: 1}]`.
fn alone_item(branches: &Value) -> Option<String> {
    let [first, second] = branches.as_array()?.as_slice() else {
        return None;
    };
    let item = first
        .as_object()
        .filter(|b| b.len() == 1)?
        .get("not")?
        .as_object()
        .filter(|n| n.len() == 1)?
        .get("contains")?
        .as_object()
        .filter(|c| c.len() == 1)?
        .get("const")?
        .as_str()?;
    let second = second.as_object()?;
    (second.len() == 1 && second.get("maxItems") == Some(&Value::from(1))).then(|| item.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alone_item_pattern_is_read_exactly() {
        let pattern = serde_json::json!([{"not": {"contains": {"const": "all"}}}, {"maxItems": 1}]);
        assert_eq!(alone_item(&pattern).as_deref(), Some("all"));
        for other in [
            serde_json::json!([{"not": {"contains": {"const": "all"}}}, {"maxItems": 2}]),
            serde_json::json!([{"not": {"contains": {"const": 1}}}, {"maxItems": 1}]),
            serde_json::json!([{"not": {"contains": {"const": "all"}}, "x": 1}, {"maxItems": 1}]),
            serde_json::json!([{"not": {"contains": {"const": "all"}}}]),
        ] {
            assert_eq!(alone_item(&other), None, "{other}");
        }
    }
}

#[cfg(test)]
mod lowering_tests {
    use crate::model::{Check, TyKind, TypeBody};
    use crate::test_support::{body, errors, lower_one};

    #[test]
    fn inline_members_carry_their_checks() {
        let model = lower_one(
            r#"{"type": "object", "properties": {
                "n": {"type": "integer", "minimum": 1, "maximum": 9},
                "list": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                         "anyOf": [{"not": {"contains": {"const": "all"}}}, {"maxItems": 1}]},
                "map": {"type": "object", "additionalProperties": {"type": "boolean"}},
                "any": {}, "free": {"type": "object"}}}"#,
        )
        .unwrap();
        let TypeBody::Struct { fields, .. } = body(&model, "XRequest") else {
            panic!("not a struct")
        };
        assert_eq!(fields[0].ty.checks, [Check::Minimum(1), Check::Maximum(9)]);
        assert_eq!(
            fields[1].ty.checks,
            [Check::MinItems(1), Check::AloneItem("all".into())]
        );
        assert!(
            matches!(&fields[2].ty.kind, TyKind::Map(k, v) if k.kind == TyKind::String && v.kind == TyKind::Bool)
        );
        assert_eq!(fields[3].ty.kind, TyKind::Json);
        assert_eq!(fields[4].ty.kind, TyKind::JsonObject);
    }

    #[test]
    fn an_object_that_can_only_be_empty_is_refused() {
        let found = errors(lower_one(
            r#"{"type": "object", "properties": {"e": {"type": "object", "additionalProperties": false}}}"#,
        ));
        assert_eq!(found[0].0, "/properties/e/additionalProperties");
    }
}
