//! Bodies chosen by a member: a struct whose `allOf` lists, for values of one of its required
//! string members (the tag), the object type of the members that come with them, in standard
//! JSON Schema:
//!
//! ```json
//! "allOf": [{"if": {"properties": {"productName": {"enum": ["pf_balance", "pj_balance"]}},
//!                   "required": ["productName"]},
//!            "then": {"$ref": "../products/defs.json#/$defs/BalancesBody"}}, …]
//! ```
//!
//! The report envelope's `productName` chooses the product body this way. The struct keeps its
//! undeclared members as exact JSON (`x-klavi-raw`): the body reads its members from them, so
//! money never passes through `f64`, and a value of the tag no entry lists keeps them all.

use serde_json::{Map, Value};

use super::{Lowered, Lowerer, Node, text};
use crate::error::SchemaErrorKind;
use crate::model::{Bodies, BodyVariant, Field, FieldRole, TyKind, TypeBody, UnknownFields};

/// Keywords an `allOf` entry may hold besides `if` and `then`.
const ENTRY_ANNOTATIONS: &[&str] = &["description", "title", "$comment", "x-rust-name"];

impl<'a> Lowerer<'a> {
    /// The bodies the struct `node` (with its lowered `fields`) chooses by a member, if it
    /// has an `allOf`. Problems are recorded; the struct then fails as a whole.
    pub(super) fn bodies(
        &mut self,
        node: &Node<'_, 'a>,
        fields: &[Field],
        unknown: UnknownFields,
    ) -> Option<Bodies> {
        let list = node.map.get("allOf")?.as_array()?;
        let file = node.file();
        let all_of = node.at("allOf");
        if unknown != UnknownFields::KeepRaw {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &all_of,
                "a body chosen by a member (`allOf` of `if`/`then`) is read from the members the object does not declare, kept as exact JSON: the object needs `additionalProperties: true` and `x-klavi-raw: true`",
            );
            return None;
        }
        let mut tag: Option<(String, String)> = None;
        let mut variants: Vec<BodyVariant> = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let at = format!("{all_of}/{i}");
            let Some(entry) = entry.as_object() else {
                self.entry_error(file, &at);
                continue;
            };
            if entry
                .keys()
                .any(|k| k != "if" && k != "then" && !ENTRY_ANNOTATIONS.contains(&k.as_str()))
            {
                self.entry_error(file, &at);
                continue;
            }
            let Some((member, values)) = self.condition(file, &format!("{at}/if"), entry.get("if"))
            else {
                continue;
            };
            match &tag {
                Some((first, _)) if *first != member => {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &format!("{at}/if"),
                        format!(
                            "every `allOf` entry must choose by the same member: `{first}` before, `{member}` here"
                        ),
                    );
                    continue;
                }
                Some(_) => {}
                None => tag = Some((member, format!("{at}/if"))),
            }
            for value in &values {
                if variants.iter().any(|v| v.tag_values.contains(value)) {
                    self.cx.error(
                        SchemaErrorKind::NameCollision,
                        file,
                        &format!("{at}/if"),
                        format!("`{value}` chooses two bodies"),
                    );
                }
            }
            if let Some(variant) = self.body_variant(node, entry, &at, values, fields) {
                if variant.rust == "Unknown" || variants.iter().any(|v| v.rust == variant.rust) {
                    self.cx.error(
                        SchemaErrorKind::NameCollision,
                        file,
                        &at,
                        format!(
                            "two bodies are named `{}` (`Unknown` is the variant of the values no entry lists); name one with `x-rust-name` on its entry",
                            variant.rust
                        ),
                    );
                    continue;
                }
                variants.push(variant);
            }
        }
        // `check` refuses an empty `allOf`, so `tag` is set unless an entry's error is recorded.
        let (tag, tag_at) = tag?;
        let is_tag_member = fields.iter().any(|f| {
            f.wire == tag
                && f.role == FieldRole::Member
                && f.required
                && f.ty.kind == TyKind::String
                && f.ty.checks.is_empty()
        });
        if !is_tag_member {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &tag_at,
                format!(
                    "the member that chooses the body, `{tag}`, must be a required plain string member of this object (`properties` and `required`)"
                ),
            );
            return None;
        }
        Some(Bodies {
            tag,
            rust: format!("{}Body", node.name),
            variants,
        })
    }

    fn entry_error(&mut self, file: &str, at: &str) {
        self.cx.error(
            SchemaErrorKind::Unsupported,
            file,
            at,
            "an `allOf` entry chooses a body: `{\"if\": {\"properties\": {TAG: {\"enum\": [VALUES]}}, \"required\": [TAG]}, \"then\": {\"$ref\": BODY}}` (with `description` or `x-rust-name` if you like), nothing else",
        );
    }

    /// The member and values of an `if`: `{properties: {TAG: {enum: [..]} | {const: ..}},
    /// required: [TAG]}`, string values only.
    fn condition(
        &mut self,
        file: &str,
        at: &str,
        condition: Option<&Value>,
    ) -> Option<(String, Vec<String>)> {
        let parsed = condition.and_then(Value::as_object).and_then(|map| {
            if map.len() != 2 {
                return None;
            }
            let properties = map.get("properties")?.as_object()?;
            let required = map.get("required")?.as_array()?;
            let (member, schema) = single(properties)?;
            if required.len() != 1 || required[0].as_str() != Some(member.as_str()) {
                return None;
            }
            let schema = schema.as_object()?;
            let values: Vec<String> = match (schema.len(), schema.get("enum"), schema.get("const"))
            {
                (1, Some(Value::Array(list)), None) => list
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
                (1, None, Some(Value::String(value))) => vec![value.clone()],
                _ => return None,
            };
            (!values.is_empty()).then(|| (member.clone(), values))
        });
        if parsed.is_none() {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                at,
                "an `if` that chooses a body names one required member and its string values: `{\"properties\": {TAG: {\"enum\": [VALUES]}}, \"required\": [TAG]}` (or `{\"const\": VALUE}`)",
            );
        }
        parsed
    }

    /// The body an entry's `then` names: a `$ref` to an object type that ignores undeclared
    /// members (the envelope's), declaring none of the struct's own.
    fn body_variant(
        &mut self,
        node: &Node<'_, 'a>,
        entry: &'a Map<String, Value>,
        at: &str,
        tag_values: Vec<String>,
        fields: &[Field],
    ) -> Option<BodyVariant> {
        let file = node.file();
        let then_at = format!("{at}/then");
        let then = entry.get("then");
        let is_reference = then
            .and_then(Value::as_object)
            .is_some_and(|map| map.contains_key("$ref"));
        if !is_reference {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &then_at,
                "a body is a `$ref` to an object type of its own (`{\"$ref\": \"…#/$defs/BalancesBody\"}`)",
            );
            return None;
        }
        let context = format!("{}Body", node.name);
        let ty = self.value_ty(file, &then_at, then?, &context, node.module)?;
        let TyKind::Named(id) = ty.kind else {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &then_at,
                "a body must be an object type with `properties`",
            );
            return None;
        };
        let (name, doc, members) = match self.types.get(&id) {
            Some(Some(Lowered {
                name,
                doc,
                body:
                    TypeBody::Struct {
                        fields: body_fields,
                        unknown: UnknownFields::Ignore,
                        bodies: None,
                        ..
                    },
                ..
            })) => (
                name.clone(),
                doc.clone(),
                body_fields
                    .iter()
                    .flat_map(|f| std::iter::once(&f.wire).chain(&f.aliases))
                    .fold(Vec::new(), |mut names: Vec<String>, name| {
                        if !names.contains(name) {
                            names.push(name.clone());
                        }
                        names
                    }),
            ),
            _ => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &then_at,
                    "a body must be an object type with `properties` that ignores undeclared members (no `additionalProperties`) and chooses no body itself",
                );
                return None;
            }
        };
        for member in &members {
            if fields
                .iter()
                .any(|f| &f.wire == member || f.aliases.contains(member))
            {
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    file,
                    &then_at,
                    format!("the body declares `{member}`, which this object declares too"),
                );
                return None;
            }
        }
        let rust = text(entry, "x-rust-name").map_or_else(
            || name.strip_suffix("Body").unwrap_or(&name).to_owned(),
            str::to_owned,
        );
        let doc = text(entry, "description").map_or(doc, str::to_owned);
        Some(BodyVariant {
            tag_values,
            rust,
            doc,
            ty: id,
            members,
        })
    }
}

/// The one entry of a map of one.
fn single(map: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut entries = map.iter();
    let first = entries.next()?;
    entries.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use crate::model::TypeBody;
    use crate::test_support::{Fixture, body, errors};

    const DEFS: &str = r#"{"$defs": {
        "BalancesBody": {"type": "object", "description": "Balances.",
                         "properties": {"accounts": {"type": "array", "items": {"type": "string"}}}},
        "CardsBody": {"type": "object",
                      "properties": {"cards": {"type": "string", "x-klavi-aliases": ["card"]},
                                     "card": {"type": "string"}}},
        "Clashing": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "XRequestBody": {"type": "object", "properties": {"z": {"type": "string"}}}}}"#;

    fn report(
        envelope: &str,
        all_of: &str,
    ) -> Result<crate::model::Model, crate::error::SchemaErrors> {
        Fixture::request(&format!(
            r#"{{"type": "object", "properties": {{"kind": {{"type": "string"}}, "n": {{"type": "integer"}}}},
                "required": ["kind"] {envelope}, "allOf": {all_of}}}"#
        ))
        .defs(DEFS)
        .lower()
    }

    const RAW: &str = r#", "additionalProperties": true, "x-klavi-raw": true"#;

    fn entry(values: &str, target: &str) -> String {
        format!(
            r#"{{"if": {{"properties": {{"kind": {values}}}, "required": ["kind"]}},
                "then": {{"$ref": "defs.json#/$defs/{target}"}}}}"#
        )
    }

    #[test]
    fn each_entry_is_a_body_chosen_by_the_tag() {
        let all_of = format!(
            "[{}, {}]",
            entry(r#"{"enum": ["pf_balance", "pj_balance"]}"#, "BalancesBody"),
            entry(r#"{"const": "pf_cards"}"#, "CardsBody")
        );
        let model = report(RAW, &all_of).unwrap();
        let TypeBody::Struct { bodies, .. } = body(&model, "XRequest") else {
            panic!("not a struct")
        };
        let bodies = bodies.as_ref().expect("bodies");
        assert_eq!(bodies.tag, "kind");
        assert_eq!(bodies.rust, "XRequestBody");
        let found: Vec<(&str, Vec<&str>, Vec<&str>, &str)> = bodies
            .variants
            .iter()
            .map(|v| {
                (
                    v.rust.as_str(),
                    v.tag_values.iter().map(String::as_str).collect(),
                    v.members.iter().map(String::as_str).collect(),
                    v.doc.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Balances",
                    vec!["pf_balance", "pj_balance"],
                    vec!["accounts"],
                    "Balances."
                ),
                ("Cards", vec!["pf_cards"], vec!["cards", "card"], ""),
            ]
        );
    }

    #[test]
    fn every_mistake_is_reported_where_it_is() {
        let cases: [(&str, String, &str, &str); 8] = [
            (
                RAW,
                r#"[{"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"$ref": "defs.json#/$defs/BalancesBody"}, "x-rust-name": "Unknown"}]"#.to_owned(),
                "/allOf/0",
                "two bodies are named `Unknown`",
            ),
            (RAW, "[]".to_owned(), "/allOf", "non-empty"),
            ("", format!("[{}]", entry(r#"{"const": "a"}"#, "BalancesBody")), "/allOf", "x-klavi-raw"),
            (
                RAW,
                format!("[{}, {}]", entry(r#"{"const": "a"}"#, "BalancesBody"), entry(r#"{"enum": ["a"]}"#, "CardsBody")),
                "/allOf/1/if",
                "`a` chooses two bodies",
            ),
            (RAW, format!("[{}]", entry(r#"{"const": "a"}"#, "Clashing")), "/allOf/0/then", "declares `kind`"),
            (RAW, format!("[{}]", entry(r#"{"pattern": "a"}"#, "BalancesBody")), "/allOf/0/if", "names one required member"),
            (RAW, r#"[{"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"required": ["n"]}}]"#.to_owned(), "/allOf/0/then", "`$ref`"),
            (RAW, r#"[{"if": {"properties": {"n": {"const": "a"}}, "required": ["n"]}, "then": {"$ref": "defs.json#/$defs/BalancesBody"}}]"#.to_owned(), "/allOf/0/if", "required plain string member"),
        ];
        // A type of the module named like the enum of the bodies (`XRequestBody` here), once
        // something holds it.
        let found = errors(
            Fixture::request(&format!(
                r#"{{"type": "object", "properties": {{"kind": {{"type": "string"}},
                    "other": {{"$ref": "defs.json#/$defs/XRequestBody"}}}},
                    "required": ["kind"] {RAW}, "allOf": [{}]}}"#,
                entry(r#"{"const": "a"}"#, "BalancesBody")
            ))
            .defs(DEFS)
            .lower(),
        );
        assert!(
            found
                .iter()
                .any(|(p, m)| p == "/allOf"
                    && m.contains("is `XRequestBody`, which is also the type")),
            "{found:?}"
        );
        for (envelope, all_of, pointer, says) in cases {
            let found = errors(report(envelope, &all_of));
            assert!(
                found.iter().any(|(p, m)| p == pointer && m.contains(says)),
                "{all_of}: {found:?}"
            );
        }
    }
}
