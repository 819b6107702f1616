//! Integer enums: `enum` of integers, or `anyOf`/`oneOf` of integer `{const}` branches, closed,
//! or open (in `anyOf`) with one `{type: integer}` catch-all that keeps unknown numbers.

use serde_json::Value;

use super::enums::enum_keyword;
use super::{CONST_BRANCH, Lowerer, Node, is_catch_all, key_outside, text};
use crate::error::SchemaErrorKind;
use crate::model::{Fallback, IntVariant, Ty, TyKind, TypeBody};
use crate::names;
use crate::pointer::join;

impl<'a> Lowerer<'a> {
    /// The body of an integer enum.
    pub(super) fn int_enum_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        let file = node.file();
        // Classification checked that exactly one of them is there.
        let keyword = enum_keyword(node.map)?;
        let list = node.map.get(keyword).and_then(Value::as_array)?;
        let start = self.cx.mark();
        let mut variants = Vec::new();
        let mut fallback = None;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{}/{i}", node.at(keyword));
            let branch = (keyword != "enum").then(|| item.as_object()).flatten();
            let value = match branch {
                Some(branch) => branch.get("const").and_then(Value::as_i64),
                None => item.as_i64(),
            };
            if let Some(value) = value {
                if let Some(key) = branch.and_then(|b| key_outside(b, CONST_BRANCH)) {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(&at, key),
                        format!("`{key}` is not supported beside `const` in an enum branch"),
                    );
                    continue;
                }
                variants.push(IntVariant {
                    value,
                    rust: branch
                        .and_then(|b| text(b, "x-rust-name"))
                        .map(str::to_owned)
                        .unwrap_or_else(|| names::type_name(&value.to_string())),
                    doc: branch
                        .and_then(|b| text(b, "description"))
                        .map(str::to_owned)
                        .unwrap_or_else(|| format!("The value `{value}`.")),
                });
                continue;
            }
            match branch {
                Some(branch)
                    if keyword == "anyOf"
                        && fallback.is_none()
                        && is_catch_all(branch, "integer") =>
                {
                    fallback = Some(Fallback {
                        rust: text(branch, "x-rust-name").unwrap_or("Unknown").to_owned(),
                        doc: text(branch, "description")
                            .unwrap_or("Any other value.")
                            .to_owned(),
                        ty: Ty::plain(TyKind::Integer),
                    });
                }
                _ if keyword == "enum" => self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an integer enum lists integers (that fit in an i64) only: mixing strings and integers is not supported",
                ),
                _ => self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an integer enum branch is `{\"const\": N}`, or (in `anyOf`, once) the catch-all `{\"type\": \"integer\"}`",
                ),
            }
        }
        let names = variants
            .iter()
            .map(|v| (v.rust.clone(), v.value.to_string()))
            .chain(fallback.iter().map(|f| (f.rust.clone(), f.rust.clone())));
        self.check_variant_names(node.id, keyword, variants.len(), names);
        self.cx
            .unless_failed_since(start, TypeBody::IntEnum { variants, fallback })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{TyKind, TypeBody};
    use crate::test_support::{Fixture, body, errors};

    fn period(schema: &str) -> Result<crate::model::Model, crate::error::SchemaErrors> {
        Fixture::definition("Period", schema).lower()
    }

    #[test]
    fn integer_values_become_variants_and_the_catch_all_an_i64() {
        let model = period(
            r#"{"anyOf": [{"const": 0, "x-rust-name": "Once"}, {"const": 12}, {"type": "integer"}]}"#,
        )
        .unwrap();
        let TypeBody::IntEnum { variants, fallback } = body(&model, "Period") else {
            panic!("not an integer enum")
        };
        let values: Vec<(i64, &str)> = variants
            .iter()
            .map(|v| (v.value, v.rust.as_str()))
            .collect();
        assert_eq!(values, [(0, "Once"), (12, "V12")]);
        let fallback = fallback.as_ref().unwrap();
        assert_eq!(fallback.rust, "Unknown");
        assert_eq!(fallback.ty.kind, TyKind::Integer);
    }

    #[test]
    fn a_closed_integer_enum_has_no_fallback() {
        let model = period(r#"{"type": "integer", "enum": [0, 12]}"#).unwrap();
        let TypeBody::IntEnum { fallback, .. } = body(&model, "Period") else {
            panic!("not an integer enum")
        };
        assert!(fallback.is_none());
    }

    #[test]
    fn mixed_values_are_an_error() {
        let found = errors(period(r#"{"enum": [0, "twelve"]}"#));
        assert_eq!(found[0].0, "/$defs/Period/enum/1", "{found:?}");
    }
}
