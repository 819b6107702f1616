//! Structs: objects with `properties`. Each member gets its role (a member with a Rust field, a
//! union tag, or another member's alias), its type and docs; `additionalProperties` says what
//! happens to undeclared members; `dependentRequired`, `anyOf` of `required` lists and
//! `if`/`then` become cross-member [`Rule`]s.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Lowerer, Node, doc_of, key_outside, text};
use crate::error::SchemaErrorKind;
use crate::model::{Field, FieldRole, Rule, Ty, TyKind, TypeBody, UnknownFields};
use crate::names;
use crate::pointer::join;

impl<'a> Lowerer<'a> {
    /// The body of a struct.
    pub(super) fn struct_body(&mut self, node: &Node<'_, 'a>) -> Option<TypeBody> {
        let start = self.cx.mark();
        // The classification is by `properties`, an object (checked).
        let properties = node.map.get("properties").and_then(Value::as_object)?;
        let required = self.required_members(node, properties);
        let fields = self.fields(node, properties, &required);
        let unknown = self.unknown_fields(node, &fields)?;
        self.check_aliases(node, &fields);
        let rules = self.rules(node, &fields);
        let bodies = self.bodies(node, &fields, unknown);
        self.cx.unless_failed_since(
            start,
            TypeBody::Struct {
                fields,
                unknown,
                rules,
                bodies,
            },
        )
    }

    /// The names in `required`; each must be declared.
    fn required_members(
        &mut self,
        node: &Node<'_, 'a>,
        properties: &'a Map<String, Value>,
    ) -> BTreeSet<&'a str> {
        let required: BTreeSet<&str> = node
            .map
            .get("required")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for missing in required.iter().filter(|r| !properties.contains_key(**r)) {
            self.cx.error(
                SchemaErrorKind::Invalid,
                node.file(),
                &node.at("required"),
                format!("`{missing}` is required but not declared in `properties`"),
            );
        }
        required
    }

    /// The members, in schema order; one that cannot be lowered is left out (its error
    /// recorded).
    fn fields(
        &mut self,
        node: &Node<'_, 'a>,
        properties: &'a Map<String, Value>,
        required: &BTreeSet<&str>,
    ) -> Vec<Field> {
        let properties_at = node.at("properties");
        let aliases: BTreeSet<&str> = properties
            .values()
            .filter_map(|p| p.get("x-klavi-aliases").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut fields = Vec::new();
        let mut rust_names = BTreeMap::new();
        for (wire, member) in properties {
            let at = join(&properties_at, wire);
            let member_map = member.as_object();
            let rust = member_map
                .and_then(|m| text(m, "x-rust-name"))
                .map(str::to_owned)
                .unwrap_or_else(|| names::field_name(wire));
            if !names::is_identifier(&rust) {
                self.cx.error(
                    SchemaErrorKind::Invalid,
                    node.file(),
                    &at,
                    format!("`{rust}` is not a valid Rust field name; set `x-rust-name`"),
                );
                continue;
            }
            let is_alias = aliases.contains(wire.as_str());
            // An alias is read into the member that lists it: it takes no Rust name.
            if !is_alias && let Some(other) = rust_names.insert(rust.clone(), wire.clone()) {
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    node.file(),
                    &at,
                    format!(
                        "properties `{other}` and `{wire}` both become the Rust field `{rust}`; rename one with `x-rust-name`"
                    ),
                );
                continue;
            }
            let is_required = required.contains(wire.as_str());
            if let Some(tag) = member_map
                .and_then(|m| m.get("const"))
                .and_then(Value::as_str)
            {
                if let Some(key) =
                    member_map.and_then(|m| key_outside(m, &["const", "description", "title"]))
                {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        node.file(),
                        &join(&at, key),
                        format!("`{key}` is not supported beside `const` on a member"),
                    );
                    continue;
                }
                fields.push(Field {
                    wire: wire.clone(),
                    rust,
                    doc: String::new(),
                    ty: Ty::plain(TyKind::String),
                    required: is_required,
                    deprecated: false,
                    role: FieldRole::Tag(tag.to_owned()),
                    aliases: Vec::new(),
                });
                continue;
            }
            let context = format!("{}{}", node.name, names::type_name(wire));
            let Some(ty) = self.value_ty(node.file(), &at, member, &context, node.module) else {
                continue;
            };
            let mut doc = member_map.map(doc_of).unwrap_or_default();
            if doc.is_empty()
                && let TyKind::Named(target) = &ty.kind
                && let Some(Value::Object(target)) = self.node(&target.file, &target.pointer)
            {
                doc = doc_of(target);
            }
            let deprecated =
                member_map.and_then(|m| m.get("deprecated")) == Some(&Value::Bool(true));
            fields.push(Field {
                wire: wire.clone(),
                rust,
                doc,
                ty,
                required: is_required,
                deprecated,
                role: if is_alias {
                    FieldRole::Alias
                } else {
                    FieldRole::Member
                },
                aliases: member_map
                    .and_then(|m| m.get("x-klavi-aliases"))
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        fields
    }

    /// An alias is read into the member that lists it, so it has no value of its own to check:
    /// its constraints belong on that member, and rules name the member.
    fn check_aliases(&mut self, node: &Node<'_, 'a>, fields: &[Field]) {
        // An alias is declared as a property of the member's type, so that a JSON Schema
        // validator (the diagnostics, the differential tests' oracle) checks what the typed
        // path reads into the member.
        for member in fields.iter().filter(|f| f.role != FieldRole::Alias) {
            for alias in &member.aliases {
                let declared = fields.iter().find(|f| &f.wire == alias);
                let problem = match declared {
                    None => "is not declared",
                    Some(declared) if declared.ty.kind != member.ty.kind => {
                        "is declared with another type"
                    }
                    Some(_) => continue,
                };
                self.cx.error(
                    SchemaErrorKind::Invalid,
                    node.file(),
                    &join(&node.at("properties"), &member.wire),
                    format!(
                        "the alias `{alias}` of `{}` {problem}: declare it as a property of the same type (a `$ref` to the same definition, or the same `type`), so that a JSON Schema validator checks what is read into `{}`",
                        member.wire, member.wire
                    ),
                );
            }
        }
        for field in fields.iter().filter(|f| f.role == FieldRole::Alias) {
            if !field.ty.checks.is_empty() {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    node.file(),
                    &join(&node.at("properties"), &field.wire),
                    format!(
                        "`{}` is another member's alias (`x-klavi-aliases`) and is read into it: put its constraints on that member",
                        field.wire
                    ),
                );
            }
        }
    }

    /// What `additionalProperties` (and `x-klavi-raw`) say about undeclared members.
    fn unknown_fields(&mut self, node: &Node<'_, 'a>, fields: &[Field]) -> Option<UnknownFields> {
        let map = node.map;
        let additional = map.get("additionalProperties");
        if map.contains_key("x-klavi-raw") && additional != Some(&Value::Bool(true)) {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                node.file(),
                &node.at("x-klavi-raw"),
                "`x-klavi-raw` keeps undeclared members as exact JSON: it needs `additionalProperties: true`",
            );
        }
        if additional == Some(&Value::Bool(true)) && fields.iter().any(|f| f.rust == "extra") {
            self.cx.error(
                SchemaErrorKind::NameCollision,
                node.file(),
                &node.at("properties"),
                "a property named `extra` collides with the map of undeclared members; rename it with `x-rust-name`",
            );
        }
        let unknown = match additional {
            None => UnknownFields::Ignore,
            Some(Value::Bool(false)) => UnknownFields::Deny,
            Some(Value::Bool(true)) if map.get("x-klavi-raw") == Some(&Value::Bool(true)) => {
                UnknownFields::KeepRaw
            }
            Some(Value::Bool(true)) => UnknownFields::Keep,
            Some(_) => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    node.file(),
                    &node.at("additionalProperties"),
                    "beside `properties`, `additionalProperties` must be `true` or `false`",
                );
                return None;
            }
        };
        if unknown != UnknownFields::Ignore
            && let Some(field) = fields.iter().find(|f| f.tag().is_some())
        {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                node.file(),
                &join(&node.at("properties"), &field.wire),
                "a `const` member (a union tag) needs an object that ignores unknown members (no `additionalProperties`)",
            );
            return None;
        }
        Some(unknown)
    }

    /// The cross-member rules: `if`/`then`, `dependentRequired`, `anyOf` of `required` lists.
    fn rules(&mut self, node: &Node<'_, 'a>, fields: &[Field]) -> Vec<Rule> {
        let map = node.map;
        // Rules name members with a Rust field: an alias has none (the typed path cannot tell
        // which spelling was sent).
        let index_of = |wire: &str| fields.iter().position(|f| f.wire == wire && f.is_member());
        let mut rules = Vec::new();
        if map.contains_key("if") || map.contains_key("then") {
            match conditional_required(map, fields) {
                Some(rule) => rules.push(rule),
                None => self.cx.error(
                    SchemaErrorKind::Unsupported,
                    node.file(),
                    &node.at("if"),
                    "`if`/`then` is supported only as `if: {properties: {MEMBER: {const: VALUE}}, required: [MEMBER]}, then: {required: [...]}`, naming declared members",
                ),
            }
        }
        if let Some(dependent) = map.get("dependentRequired").and_then(Value::as_object) {
            for (trigger, list) in dependent {
                let names: Vec<&str> = list
                    .as_array()
                    .map(|l| l.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let required: Option<Vec<usize>> = names.iter().map(|n| index_of(n)).collect();
                match (index_of(trigger), required) {
                    (Some(trigger), Some(required)) => {
                        rules.push(Rule::Dependent { trigger, required })
                    }
                    _ => self.cx.error(
                        SchemaErrorKind::Invalid,
                        node.file(),
                        &join(&node.at("dependentRequired"), trigger),
                        "`dependentRequired` names a property not declared in `properties` (or an alias, which rules cannot name)",
                    ),
                }
            }
        }
        if let Some(branches) = map.get("anyOf").and_then(Value::as_array) {
            let mut alternatives = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                let at = format!("{}/{i}", node.at("anyOf"));
                let list = branch.as_object().and_then(|b| {
                    (b.len() == 1)
                        .then(|| b.get("required").and_then(Value::as_array))
                        .flatten()
                });
                let Some(list) = list else {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        node.file(),
                        &at,
                        "on an object, `anyOf` is supported only as alternatives of `required` lists (`[{\"required\": [\"a\"]}, {\"required\": [\"b\"]}]`)",
                    );
                    continue;
                };
                let indexes: Option<Vec<usize>> =
                    list.iter().map(|n| n.as_str().and_then(index_of)).collect();
                match indexes {
                    Some(indexes) if !indexes.is_empty() => alternatives.push(indexes),
                    _ => self.cx.error(
                        SchemaErrorKind::Invalid,
                        node.file(),
                        &at,
                        "each `required` alternative must list declared properties (not aliases)",
                    ),
                }
            }
            rules.push(Rule::AnyOf(alternatives));
        }
        rules
    }
}

/// `if: {properties: {F: {const: V}}, required: [F]}, then: {required: [...]}`.
fn conditional_required(map: &Map<String, Value>, fields: &[Field]) -> Option<Rule> {
    let condition = map.get("if")?.as_object()?;
    let then = map.get("then")?.as_object()?;
    let properties = condition.get("properties")?.as_object()?;
    let (name, test) = properties.iter().next().filter(|_| properties.len() == 1)?;
    let test = test.as_object().filter(|t| t.len() == 1)?;
    let value = test.get("const")?;
    if !(value.is_string() || value.is_i64() || value.is_boolean()) {
        return None;
    }
    let required_ok = match condition.get("required") {
        None => condition.len() == 1,
        Some(list) => condition.len() == 2 && list == &Value::from(vec![name.clone()]),
    };
    if !required_ok || then.len() != 1 {
        return None;
    }
    let field = fields.iter().position(|f| &f.wire == name)?;
    let required = then
        .get("required")?
        .as_array()?
        .iter()
        .map(|n| {
            n.as_str()
                .and_then(|n| fields.iter().position(|f| f.wire == n))
        })
        .collect::<Option<Vec<usize>>>()?;
    Some(Rule::Conditional {
        field,
        value: value.to_string(),
        required,
    })
}

#[cfg(test)]
mod tests {
    use crate::model::{FieldRole, Rule, TypeBody, UnknownFields};
    use crate::test_support::{body, errors, lower_one};

    #[test]
    fn members_get_their_roles_and_rules() {
        let model = lower_one(
            r#"{"type": "object", "additionalProperties": false,
                "properties": {
                    "eventId": {"type": "string", "x-klavi-aliases": ["eventID"]},
                    "eventID": {"type": "string"},
                    "appLink": {"type": "string"},
                    "appRedirectURLKey": {"type": "string", "minLength": 1}},
                "required": ["eventId"],
                "dependentRequired": {"appLink": ["appRedirectURLKey"]},
                "anyOf": [{"required": ["appLink"]}, {"required": ["eventId"]}]}"#,
        )
        .unwrap();
        let TypeBody::Struct {
            fields,
            unknown,
            rules,
            ..
        } = body(&model, "XRequest")
        else {
            panic!("not a struct")
        };
        assert_eq!(*unknown, UnknownFields::Deny);
        let roles: Vec<(&str, &FieldRole, bool)> = fields
            .iter()
            .map(|f| (f.wire.as_str(), &f.role, f.required))
            .collect();
        assert_eq!(
            roles,
            [
                ("eventId", &FieldRole::Member, true),
                ("eventID", &FieldRole::Alias, false),
                ("appLink", &FieldRole::Member, false),
                ("appRedirectURLKey", &FieldRole::Member, false),
            ]
        );
        assert_eq!(fields[0].aliases, ["eventID"]);
        assert_eq!(
            rules,
            &[
                Rule::Dependent {
                    trigger: 2,
                    required: vec![3]
                },
                Rule::AnyOf(vec![vec![2], vec![0]]),
            ]
        );
    }

    #[test]
    fn an_alias_has_no_checks_and_no_rules_of_its_own() {
        let found = errors(lower_one(
            r#"{"type": "object",
                "properties": {"eventId": {"type": "string", "x-klavi-aliases": ["eventID"]},
                               "eventID": {"type": "string", "minLength": 1}},
                "anyOf": [{"required": ["eventID"]}]}"#,
        ));
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["/properties/eventID", "/anyOf/0"], "{found:?}");
    }

    #[test]
    fn an_alias_is_declared_with_its_members_type() {
        let found = errors(lower_one(
            r#"{"type": "object",
                "properties": {"limits": {"type": "object", "x-klavi-aliases": ["limit"]},
                               "ids": {"type": "array", "items": {"type": "string"}, "x-klavi-aliases": ["id"]},
                               "id": {"type": "string"}}}"#,
        ));
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, m)| (p.as_str(), m.split(':').next().unwrap_or_default()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/properties/limits",
                    "the alias `limit` of `limits` is not declared"
                ),
                (
                    "/properties/ids",
                    "the alias `id` of `ids` is declared with another type"
                ),
            ]
        );
    }

    #[test]
    fn a_const_member_is_a_tag() {
        let model = lower_one(
            r#"{"type": "object", "properties": {"kind": {"const": "basic"}, "n": {"type": "integer"}}}"#,
        )
        .unwrap();
        let TypeBody::Struct {
            fields, unknown, ..
        } = body(&model, "XRequest")
        else {
            panic!("not a struct")
        };
        assert_eq!(*unknown, UnknownFields::Ignore);
        assert_eq!(fields[0].tag(), Some("basic"));
        assert!(!fields[0].is_member() && fields[1].is_member());
    }

    #[test]
    fn every_problem_of_a_struct_is_reported_at_once() {
        let found = errors(lower_one(
            r#"{"type": "object", "additionalProperties": false,
                "properties": {"a": {"type": "string"}, "A": {"type": "string"}},
                "required": ["b"],
                "dependentRequired": {"c": ["a"]}}"#,
        ));
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/required", "/properties/A", "/dependentRequired/c"],
            "{found:?}"
        );
    }
}
