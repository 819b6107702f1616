//! Exclusive-key maps: `propertyNames: {anyOf: [{const: K}, KEYS]}`, `additionalProperties: V`,
//! `dependentSchemas: {K: {maxProperties: 1}}`: the key `K` excludes every other (`all` in
//! `productsCallbackURL`).

use serde_json::Value;

use super::{Lowerer, Node, text};
use crate::error::SchemaErrorKind;
use crate::model::TypeBody;
use crate::names;
use crate::pointer::join;

/// How the shape is written, for every error about it.
const SHAPE: &str = "a map with an exclusive key is written as `propertyNames: {anyOf: [{const: KEY}, OTHER_KEYS]}`, `additionalProperties: VALUE`, `dependentSchemas: {KEY: {maxProperties: 1}}`";

impl<'a> Lowerer<'a> {
    /// The body of an exclusive-key map.
    pub(super) fn exclusive_map_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        let file = node.file();
        let map = node.map;
        let wrong = |this: &mut Self, pointer: String| {
            this.cx
                .error(SchemaErrorKind::Unsupported, file, &pointer, SHAPE);
            None
        };
        // Classification is by `dependentSchemas`, an object (checked).
        let dependent = map.get("dependentSchemas").and_then(Value::as_object)?;
        let (key, rule) = match dependent.iter().next() {
            Some(entry) if dependent.len() == 1 => entry,
            _ => return wrong(self, node.at("dependentSchemas")),
        };
        let rule_ok = rule
            .as_object()
            .is_some_and(|r| r.len() == 1 && r.get("maxProperties") == Some(&Value::from(1)));
        if !rule_ok {
            return wrong(self, join(&node.at("dependentSchemas"), key));
        }
        let names_at = node.at("propertyNames");
        let branches = map
            .get("propertyNames")
            .and_then(Value::as_object)
            .filter(|p| p.len() == 1)
            .and_then(|p| p.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|b| b.len() == 2);
        let Some(branches) = branches else {
            return wrong(self, names_at);
        };
        let exclusive_index = branches
            .iter()
            .position(|b| b.get("const").and_then(Value::as_str) == Some(key.as_str()));
        let Some(exclusive) = exclusive_index.and_then(|i| branches[i].as_object()) else {
            return wrong(self, names_at);
        };
        let other_index = 1 - exclusive_index?;
        let key_ty = self.value_ty(
            file,
            &format!("{names_at}/anyOf/{other_index}"),
            &branches[other_index],
            &format!("{}Key", node.name),
            node.module,
        )?;
        self.require_string_like(file, &names_at, &key_ty)?;
        let Some(value_node) = map.get("additionalProperties").filter(|v| v.is_object()) else {
            return wrong(self, node.at("additionalProperties"));
        };
        let value_ty = self.value_ty(
            file,
            &node.at("additionalProperties"),
            value_node,
            &format!("{}Value", node.name),
            node.module,
        )?;
        let exclusive_variant = text(exclusive, "x-rust-name")
            .map(str::to_owned)
            .unwrap_or_else(|| names::type_name(key));
        let entries_variant = text(map, "x-rust-entries-name")
            .unwrap_or("Entries")
            .to_owned();
        if exclusive_variant == entries_variant {
            self.cx.error(
                SchemaErrorKind::NameCollision,
                file,
                &node.id.pointer,
                format!(
                    "the `{key}` key and the other entries both become the variant `{entries_variant}`; rename one with `x-rust-name` (on the `const` branch) or `x-rust-entries-name`"
                ),
            );
            return None;
        }
        Some(TypeBody::ExclusiveMap {
            key: key.clone(),
            exclusive_variant,
            exclusive_doc: text(exclusive, "description")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("The `{key}` key alone.")),
            entries_variant,
            key_ty,
            value_ty,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{TyKind, TypeBody};
    use crate::test_support::{body, errors, lower_one};

    const MAP: &str = r#"{"type": "object", "properties": {"callbacks": {
        "type": "object",
        "propertyNames": {"anyOf": [{"const": "all"}, {"enum": ["checking", "savings"]}]},
        "additionalProperties": {"type": "string"},
        "dependentSchemas": {"all": {"maxProperties": 1}}}}}"#;

    #[test]
    fn the_exclusive_key_gets_a_variant_of_its_own() {
        let model = lower_one(MAP).unwrap();
        let TypeBody::ExclusiveMap {
            key,
            exclusive_variant,
            entries_variant,
            value_ty,
            ..
        } = body(&model, "XRequestCallbacks")
        else {
            panic!("not an exclusive map")
        };
        assert_eq!(
            (
                key.as_str(),
                exclusive_variant.as_str(),
                entries_variant.as_str()
            ),
            ("all", "All", "Entries")
        );
        assert_eq!(value_ty.kind, TyKind::String);
    }

    #[test]
    fn a_looser_rule_is_not_this_shape() {
        let found = errors(lower_one(
            &MAP.replace(r#""maxProperties": 1"#, r#""maxProperties": 2"#),
        ));
        assert_eq!(
            found[0].0, "/properties/callbacks/dependentSchemas/all",
            "{found:?}"
        );
        assert!(
            found[0]
                .1
                .starts_with("a map with an exclusive key is written as")
        );
    }
}
