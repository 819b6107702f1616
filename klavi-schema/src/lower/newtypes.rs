//! Newtypes: `anyOf: [T, {type: array, items: T}]` (one value or an array of them) as a newtype
//! around [`TyKind::OneOrMany`]. (A message whose root is an array is a newtype too; its inner
//! type is an inline one, `inline.rs`.)

use super::{Lowerer, Node};
use crate::error::SchemaErrorKind;
use crate::model::{RuntimeType, Ty, TyKind, TypeBody};

impl<'a> Lowerer<'a> {
    /// The body of a one-or-many type.
    pub(super) fn one_or_many_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        // Classification matched `anyOf: [T, {type: array, items: T}]`.
        let one = node.map.get("anyOf")?.as_array()?.first()?;
        let at = format!("{}/0", node.at("anyOf"));
        let item = self.value_ty(
            node.file(),
            &at,
            one,
            &format!("{}Item", node.name),
            node.module,
        )?;
        // The runtime's `OneOrMany` tells the two forms apart by object or array.
        if !self.is_object(&item) {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                node.file(),
                &at,
                "one value or an array of them is supported for objects only (a `$ref` to an object type, or an inline object)",
            );
            return None;
        }
        Some(TypeBody::Newtype(Ty::plain(TyKind::OneOrMany(Box::new(
            item,
        )))))
    }

    /// Whether values of `ty` are JSON objects.
    fn is_object(&self, ty: &Ty) -> bool {
        match &ty.kind {
            TyKind::JsonObject | TyKind::Map(..) => true,
            TyKind::Runtime(rt) => *rt == RuntimeType::PersonalObject,
            TyKind::Named(id) => match self.types.get(id) {
                Some(Some(lowered)) => matches!(
                    lowered.body,
                    TypeBody::Struct { .. }
                        | TypeBody::TaggedUnion { .. }
                        | TypeBody::ExclusiveMap { .. }
                ),
                // In progress: a recursive reference, which only an object can be.
                _ => true,
            },
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::classify::is_one_or_many;

    #[test]
    fn one_or_many_is_the_same_schema_alone_or_in_an_array() {
        let item = json!({"$ref": "#/$defs/Event"});
        let array = json!({"type": "array", "items": item, "description": "Several."});
        assert!(is_one_or_many(&[item.clone(), array]));
        let other = json!({"type": "array", "items": {"type": "string"}});
        assert!(!is_one_or_many(&[item.clone(), other]));
        let extra = json!({"type": "array", "items": item, "minItems": 1});
        assert!(!is_one_or_many(&[item.clone(), extra]));
        assert!(!is_one_or_many(std::slice::from_ref(&item)));
    }
}

#[cfg(test)]
mod lowering_tests {
    use crate::model::{TyKind, TypeBody};
    use crate::test_support::{body, errors, lower_one};

    #[test]
    fn one_or_many_and_array_roots_are_newtypes() {
        let model = lower_one(
            r#"{"type": "array", "items": {"anyOf": [{"type": "object"},
                {"type": "array", "items": {"type": "object"}}]}}"#,
        )
        .unwrap();
        let TypeBody::Newtype(root) = body(&model, "XRequest") else {
            panic!("the array root is not a newtype")
        };
        let TyKind::Vec(item) = &root.kind else {
            panic!("not an array: {root:?}")
        };
        let TyKind::Named(item) = &item.kind else {
            panic!("the item is not generated: {item:?}")
        };
        let item = model.get(item).unwrap();
        let TypeBody::Newtype(inner) = &item.body else {
            panic!("one-or-many is not a newtype")
        };
        assert!(matches!(&inner.kind, TyKind::OneOrMany(one) if one.kind == TyKind::JsonObject));
    }

    #[test]
    fn one_or_many_holds_objects_only() {
        let found = errors(lower_one(
            r#"{"type": "object", "properties": {"ids": {"anyOf": [{"type": "string"},
                {"type": "array", "items": {"type": "string"}}]}}}"#,
        ));
        assert_eq!(found[0].0, "/properties/ids/anyOf/0", "{found:?}");
        assert!(found[0].1.contains("objects only"), "{found:?}");
    }
}
