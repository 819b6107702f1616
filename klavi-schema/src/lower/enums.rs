//! String enums: `enum: [..]`, or `anyOf`/`oneOf` of `{const}` branches (with their docs and
//! Rust names), closed, or open with one catch-all branch that becomes the [`Fallback`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{CONST_BRANCH, Lowerer, Node, is_catch_all, key_outside, text, type_names};
use crate::error::SchemaErrorKind;
use crate::model::{Fallback, Ty, TyKind, TypeBody, TypeId, Variant};
use crate::names;
use crate::pointer::join;

impl<'a> Lowerer<'a> {
    /// The body of a string enum.
    pub(super) fn enum_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        let types = type_names(node.map);
        if !(types.is_empty() || types == ["string"]) {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                node.file(),
                &node.at("type"),
                "only string and integer enums are supported",
            );
            return None;
        }
        // Classification checked that exactly one of them is there.
        let keyword = enum_keyword(node.map)?;
        let list = node.map.get(keyword).and_then(Value::as_array)?;
        let start = self.cx.mark();
        let mut variants: Vec<Variant> = Vec::new();
        let mut fallback: Option<Fallback> = None;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{}/{i}", node.at(keyword));
            if keyword == "enum" {
                match item.as_str() {
                    Some(wire) => variants.push(Variant {
                        wire: wire.to_owned(),
                        rust: names::type_name(wire),
                        doc: format!("The value `{wire}`."),
                    }),
                    None => self.cx.error(
                        SchemaErrorKind::Unsupported,
                        node.file(),
                        &at,
                        "only string enum values are supported",
                    ),
                }
                continue;
            }
            let Some(branch) = item.as_object() else {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    node.file(),
                    &at,
                    "an enum branch must be an object",
                );
                continue;
            };
            if let Some(value) = branch.get("const") {
                if let Some(variant) = self.const_branch(node.file(), &at, branch, value) {
                    variants.push(variant);
                }
                continue;
            }
            if let Some(catch_all) = self.catch_all(node, keyword, &at, item, fallback.is_some()) {
                fallback = Some(catch_all);
            }
        }
        let names = variants
            .iter()
            .map(|v| (v.rust.clone(), v.wire.clone()))
            .chain(fallback.iter().map(|f| (f.rust.clone(), f.rust.clone())));
        self.check_variant_names(node.id, keyword, variants.len(), names);
        self.cx
            .unless_failed_since(start, TypeBody::Enum { variants, fallback })
    }

    /// A `{const: "VALUE"}` branch, with its notes.
    fn const_branch(
        &mut self,
        file: &str,
        at: &str,
        branch: &Map<String, Value>,
        value: &Value,
    ) -> Option<Variant> {
        match (value.as_str(), key_outside(branch, CONST_BRANCH)) {
            (Some(wire), None) => Some(Variant {
                wire: wire.to_owned(),
                rust: text(branch, "x-rust-name")
                    .map(str::to_owned)
                    .unwrap_or_else(|| names::type_name(wire)),
                doc: text(branch, "description")
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("The value `{wire}`.")),
            }),
            (None, _) => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(at, "const"),
                    "only string constants are supported in enums",
                );
                None
            }
            (_, Some(key)) => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(at, key),
                    format!("`{key}` is not supported beside `const` in an enum branch"),
                );
                None
            }
        }
    }

    /// The catch-all branch of an open string enum: `{type: string}` or a `$ref` to a string
    /// type.
    fn catch_all(
        &mut self,
        node: &Node<'_, 'a>,
        keyword: &str,
        at: &str,
        item: &'a Value,
        has_one: bool,
    ) -> Option<Fallback> {
        let file = node.file();
        let branch = item.as_object()?;
        if keyword == "oneOf" {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                at,
                "an open enum must use `anyOf`: with `oneOf`, a known value would match both its `const` and the catch-all branch",
            );
            return None;
        }
        if has_one {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                at,
                "an open enum has at most one catch-all branch",
            );
            return None;
        }
        let ty = if is_catch_all(branch, "string") {
            Ty::plain(TyKind::String)
        } else if branch.contains_key("$ref") {
            let context = format!("{}Other", node.name);
            let ty = self.value_ty(file, at, item, &context, node.module)?;
            self.require_string_like(file, at, &ty)?;
            ty
        } else {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                at,
                "an enum branch is either `{\"const\": \"VALUE\"}` or the catch-all of an open enum (`{\"type\": \"string\"}` or a `$ref` to a string type)",
            );
            return None;
        };
        let default = if matches!(ty.kind, TyKind::String) {
            "Unknown"
        } else {
            "Other"
        };
        Some(Fallback {
            rust: text(branch, "x-rust-name").unwrap_or(default).to_owned(),
            doc: text(branch, "description")
                .unwrap_or("Any other value.")
                .to_owned(),
            ty,
        })
    }

    /// Reports two values that become one variant name, and an enum without known values
    /// (`known` of them); `names` are (variant name, wire value) pairs.
    pub(super) fn check_variant_names(
        &mut self,
        id: &TypeId,
        keyword: &str,
        known: usize,
        names: impl Iterator<Item = (String, String)>,
    ) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (rust, wire) in names {
            if let Some(other) = seen.insert(rust.clone(), wire.clone()) {
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    &id.file,
                    &join(&id.pointer, keyword),
                    format!(
                        "`{other}` and `{wire}` both become the variant `{rust}`; rename one with `x-rust-name`"
                    ),
                );
            }
        }
        if known == 0 {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                &id.file,
                &id.pointer,
                "an enum needs at least one known value",
            );
        }
    }
}

/// The keyword an enum is written with: `enum`, `anyOf` or `oneOf`.
pub(super) fn enum_keyword(map: &Map<String, Value>) -> Option<&'static str> {
    ["enum", "anyOf", "oneOf"]
        .into_iter()
        .find(|k| map.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use crate::model::{TyKind, TypeBody};
    use crate::test_support::{Fixture, body, errors};

    fn status(schema: &str) -> Result<crate::model::Model, crate::error::SchemaErrors> {
        Fixture::definition("Status", schema).lower()
    }

    #[test]
    fn a_closed_enum_lists_its_values() {
        let model = status(r#"{"enum": ["ACTIVE", "REVOKED"]}"#).unwrap();
        let TypeBody::Enum { variants, fallback } = body(&model, "Status") else {
            panic!("not an enum")
        };
        let names: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.wire.as_str(), v.rust.as_str()))
            .collect();
        assert_eq!(names, [("ACTIVE", "Active"), ("REVOKED", "Revoked")]);
        assert!(fallback.is_none());
    }

    #[test]
    fn an_open_enum_keeps_other_values_in_its_fallback() {
        let model = status(
            r#"{"anyOf": [{"const": "ACTIVE", "description": "In force.", "x-rust-name": "InForce"},
                          {"type": "string", "description": "Later values."}]}"#,
        )
        .unwrap();
        let TypeBody::Enum { variants, fallback } = body(&model, "Status") else {
            panic!("not an enum")
        };
        assert_eq!(variants[0].rust, "InForce");
        assert_eq!(variants[0].doc, "In force.");
        let fallback = fallback.as_ref().unwrap();
        assert_eq!(
            (fallback.rust.as_str(), fallback.doc.as_str()),
            ("Unknown", "Later values.")
        );
        assert_eq!(fallback.ty.kind, TyKind::String);
    }

    #[test]
    fn enum_mistakes_are_each_reported() {
        let found = errors(status(
            r#"{"oneOf": [{"const": "a-b"}, {"const": "a_b"}, {"const": 1}, {"type": "string"}]}"#,
        ));
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/$defs/Status/oneOf/2/const",
                "/$defs/Status/oneOf/3",
                "/$defs/Status/oneOf"
            ],
            "{found:?}"
        );
        assert!(found[1].1.contains("must use `anyOf`"), "{found:?}");
        assert!(
            found[2].1.contains("both become the variant `AB`"),
            "{found:?}"
        );
    }

    #[test]
    fn an_enum_takes_one_list_keyword() {
        let found = errors(status(r#"{"enum": ["a"], "anyOf": [{"const": "b"}]}"#));
        assert!(found[0].1.contains("exactly one of"), "{found:?}");
    }
}
