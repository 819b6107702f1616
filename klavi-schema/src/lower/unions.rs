//! Tagged unions: `anyOf`/`oneOf` of object types that each have a string `const` member (the
//! tag), open (in `anyOf`) with one `{type: object}` catch-all that keeps unknown objects.

use serde_json::Value;

use super::{Lowered, Lowerer, Node, is_catch_all, text};
use crate::error::SchemaErrorKind;
use crate::model::{Fallback, Field, RuntimeType, Ty, TyKind, TypeBody, TypeId, UnionVariant};
use crate::names;

/// A branch lowered to its object type, before the tag is known.
struct Branch {
    /// Where the branch is.
    at: String,
    /// Its `x-rust-name`.
    rust: Option<String>,
    /// Its object type.
    ty: TypeId,
}

impl<'a> Lowerer<'a> {
    /// The body of a tagged union.
    pub(super) fn union_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        let file = node.file();
        // Classification found the branches there.
        let keyword = ["anyOf", "oneOf"]
            .into_iter()
            .find(|k| node.map.contains_key(*k))?;
        let list = node.map.get(keyword).and_then(Value::as_array)?;
        let mut branches = Vec::new();
        let mut fallback = None;
        for (i, branch) in list.iter().enumerate() {
            let at = format!("{}/{i}", node.at(keyword));
            let Some(object) = branch.as_object() else {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "a union branch must be an object",
                );
                return None;
            };
            if keyword == "anyOf" && fallback.is_none() && is_catch_all(object, "object") {
                fallback = Some(Fallback {
                    rust: text(object, "x-rust-name").unwrap_or("Unknown").to_owned(),
                    doc: text(object, "description")
                        .unwrap_or("An object of a kind this version does not know.")
                        .to_owned(),
                    ty: Ty::plain(TyKind::Runtime(RuntimeType::PersonalObject)),
                });
                continue;
            }
            let context = format!("{}Variant{i}", node.name);
            let ty = self.value_ty(file, &at, branch, &context, node.module)?;
            let TyKind::Named(ty) = ty.kind else {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "a union branch must be an object type (a `$ref` to one, or an inline object)",
                );
                return None;
            };
            branches.push(Branch {
                at,
                rust: text(object, "x-rust-name").map(str::to_owned),
                ty,
            });
        }
        let Some(tag) = self.common_tag(&branches) else {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &node.at(keyword),
                "a union of objects needs a tag: one member that is a string `const` in every variant (e.g. `\"mfaType\": {\"const\": \"basic\"}`)",
            );
            return None;
        };
        let mut variants: Vec<UnionVariant> = Vec::new();
        for branch in branches {
            // `common_tag` found the tag in every branch.
            let (tag_value, doc) = self
                .tag_value(&branch.ty, &tag)
                .map(|(value, doc)| (value.to_owned(), doc.to_owned()))?;
            if variants.iter().any(|v| v.tag_value == tag_value) {
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    file,
                    &branch.at,
                    format!("two variants have the tag `{tag_value}`"),
                );
                return None;
            }
            variants.push(UnionVariant {
                rust: branch.rust.unwrap_or_else(|| names::type_name(&tag_value)),
                tag_value,
                doc,
                ty: branch.ty,
            });
        }
        Some(TypeBody::TaggedUnion {
            tag,
            variants,
            fallback,
        })
    }

    /// The tag members of the lowered struct `ty` (members with a `const`) and its docs.
    fn tags_of(&self, ty: &TypeId) -> Option<(Vec<&Field>, &str)> {
        match self.types.get(ty) {
            Some(Some(Lowered {
                body: TypeBody::Struct { fields, .. },
                doc,
                ..
            })) => Some((fields.iter().filter(|f| f.tag().is_some()).collect(), doc)),
            _ => None,
        }
    }

    /// The value of the tag member `wire` in the struct `ty`, and the struct's docs.
    fn tag_value(&self, ty: &TypeId, wire: &str) -> Option<(&str, &str)> {
        let (tags, doc) = self.tags_of(ty)?;
        let value = tags.iter().find(|f| f.wire == wire)?.tag()?;
        Some((value, doc))
    }

    /// The first member of the first branch that is a tag in every branch.
    fn common_tag(&self, branches: &[Branch]) -> Option<String> {
        let (first, _) = self.tags_of(&branches.first()?.ty)?;
        first
            .iter()
            .map(|f| &f.wire)
            .find(|wire| {
                branches
                    .iter()
                    .all(|b| self.tag_value(&b.ty, wire).is_some())
            })
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{RuntimeType, TyKind, TypeBody};
    use crate::test_support::{Fixture, body, errors};

    const DEFS: &str = r#"{"$defs": {
        "Basic": {"type": "object", "description": "A password.",
                  "properties": {"mfaType": {"const": "basic"}, "password": {"type": "string"}}},
        "Token": {"type": "object",
                  "properties": {"mfaType": {"const": "token"}, "code": {"type": "string"}}}}}"#;

    fn mfa(union: &str) -> Result<crate::model::Model, crate::error::SchemaErrors> {
        Fixture::request(&format!(
            r#"{{"type": "object", "properties": {{"mfaInfo": {union}}}}}"#
        ))
        .defs(DEFS)
        .lower()
    }

    #[test]
    fn variants_are_told_apart_by_their_common_tag() {
        let model = mfa(
            r#"{"anyOf": [{"$ref": "defs.json#/$defs/Basic"}, {"$ref": "defs.json#/$defs/Token"},
                         {"type": "object"}]}"#,
        )
        .unwrap();
        let TypeBody::TaggedUnion {
            tag,
            variants,
            fallback,
        } = body(&model, "XRequestMfaInfo")
        else {
            panic!("not a union")
        };
        assert_eq!(tag, "mfaType");
        let found: Vec<(&str, &str, &str)> = variants
            .iter()
            .map(|v| (v.tag_value.as_str(), v.rust.as_str(), v.doc.as_str()))
            .collect();
        assert_eq!(
            found,
            [("basic", "Basic", "A password."), ("token", "Token", "")]
        );
        let fallback = fallback.as_ref().unwrap();
        assert_eq!(fallback.rust, "Unknown");
        assert_eq!(
            fallback.ty.kind,
            TyKind::Runtime(RuntimeType::PersonalObject)
        );
    }

    #[test]
    fn a_union_without_a_common_tag_is_an_error() {
        let found = errors(mfa(r#"{"oneOf": [{"$ref": "defs.json#/$defs/Basic"},
                         {"type": "object", "properties": {"x": {"type": "string"}}}]}"#));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/properties/mfaInfo/oneOf");
        assert!(found[0].1.contains("needs a tag"));
    }

    #[test]
    fn two_variants_with_one_tag_value_collide() {
        let found = errors(mfa(
            r#"{"oneOf": [{"$ref": "defs.json#/$defs/Basic"}, {"$ref": "defs.json#/$defs/Basic"}]}"#,
        ));
        assert!(
            found[0].1.contains("two variants have the tag `basic`"),
            "{found:?}"
        );
    }
}
