//! Importing a block: drafting the schemas of its endpoint from it, merged into the existing
//! message files without dropping anything written by hand. `klavi docs import` prints or
//! writes the result.

use std::collections::{BTreeMap, HashMap, HashSet};

use klavi_schema::index::{EndpointSpec, MessageKind};
use klavi_schema::load::Documents;
use serde_json::{Map, Value};

use super::block::{Block, Form};
use super::drift::DriftKind;
use super::schemas::{GROUPS, endpoint_of, schema_fields};
use super::survey::Accepted;

/// The result of importing a block: one schema per message, and the names whose casing could
/// not be recovered.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// Message kind → the merged schema document.
    pub schemas: BTreeMap<MessageKind, Value>,
    /// What a reviewer must decide: fields kept in a block's lower case (no schema declares
    /// them), fields whose type the copy does not give, fields a cut copy stops inside.
    pub undecided: Vec<String>,
}

/// Merges `block` into the schemas of its endpoint (or into empty skeletons for an endpoint
/// the index does not know): a field the schema declares is kept as written (formats, rules,
/// enums, examples stay); a new one gets a skeleton (`type`, `description`) under its name
/// (the wire name from a rendered page, which keeps the casing; the lower-case name from a
/// block or from page text, reported undecided); `required` only grows. `endpoint` is the
/// endpoint a kept copy is named after; without it, the one whose method and path the block
/// shows. A field whose required-ness `accepted` says the project chose against the docs keeps
/// the schema's.
pub fn import(
    documents: Option<&Documents>,
    endpoint: Option<&EndpointSpec>,
    block: &Block,
    accepted: &[Accepted],
) -> Import {
    let endpoint = endpoint.or_else(|| documents.and_then(|d| endpoint_of(d, block)));
    let mut schemas = BTreeMap::new();
    let mut undecided = Vec::new();
    for (location, kind) in GROUPS {
        let documented = block.at(location);
        if documented.is_empty() {
            continue;
        }
        let existing = documents.zip(endpoint).and_then(|(d, e)| {
            let (_, schema) = d.resolve_ref(d.index_file(), e.messages.get(&kind)?)?;
            Some(schema.clone())
        });
        let mut schema = existing.unwrap_or_else(|| {
            serde_json::json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": {}
            })
        });
        // Members live at the root, or (for an array response) in the items' definition,
        // which this skeleton cannot follow: new members of such messages are reported.
        let Some(object) = schema.as_object_mut() else {
            continue;
        };
        if object.get("type") == Some(&Value::String("array".into())) || object.contains_key("$ref")
        {
            let known: HashSet<String> = documents
                .zip(endpoint)
                .and_then(|(d, e)| schema_fields(d, e, kind))
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.name.to_ascii_lowercase())
                .collect();
            for field in documented {
                if !known.contains(&field.name.to_ascii_lowercase()) {
                    undecided.push(format!(
                        "{}: add `{}` to the referenced definition by hand",
                        kind.as_str(),
                        field.name
                    ));
                }
            }
            schemas.insert(kind, schema);
            continue;
        }
        let properties = object
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(properties) = properties.as_object_mut() else {
            continue;
        };
        let mut required_new = Vec::new();
        let message = endpoint.map(|e| e.message_id(kind));
        // The declared names by their lower case, kept up to date as skeletons are added (a
        // scan of the keys per field would make a long copy quadratic).
        let mut declared: HashMap<String, String> = properties
            .keys()
            .map(|k| (k.to_ascii_lowercase(), k.clone()))
            .collect();
        for field in documented {
            let known = declared.get(&field.name.to_ascii_lowercase()).cloned();
            let name = match known {
                Some(name) => name,
                None if field.partial => {
                    undecided.push(format!(
                        "{}: `{}` (the copy stops inside it: its type and required-ness are unknown)",
                        kind.as_str(),
                        field.name
                    ));
                    continue;
                }
                None => {
                    if block.form != Form::Page {
                        undecided.push(format!(
                            "{}: `{}` (casing unknown: the copy is lower case)",
                            kind.as_str(),
                            field.name
                        ));
                    } else if field.ty.is_empty() {
                        undecided.push(format!(
                            "{}: `{}` (the page gives no type: add one)",
                            kind.as_str(),
                            field.name
                        ));
                    }
                    let mut skeleton = serde_json::json!({"description": field.description});
                    // A copy that gives no type (a `name | description` table) leaves it
                    // for the reviewer.
                    match field.ty.as_str() {
                        "" => {}
                        "number" => skeleton["type"] = "integer".into(),
                        ty => skeleton["type"] = ty.into(),
                    }
                    properties.insert(field.name.clone(), skeleton);
                    declared.insert(field.name.to_ascii_lowercase(), field.name.clone());
                    field.name.clone()
                }
            };
            // A required-ness the project chose against the docs (`accepted.json`) stays.
            let chosen = message.as_ref().is_some_and(|message| {
                accepted.iter().any(|a| {
                    &a.message == message
                        && a.kind == DriftKind::Required.as_str()
                        && (a.field == "*" || a.field.eq_ignore_ascii_case(&name))
                })
            });
            if field.required == Some(true) && !field.partial && !chosen {
                required_new.push(name);
            }
        }
        if !required_new.is_empty() {
            let required = object
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = required.as_array_mut() {
                let mut listed: HashSet<String> = list
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                for name in required_new {
                    if listed.insert(name.clone()) {
                        list.push(Value::String(name));
                    }
                }
            }
        }
        schemas.insert(kind, schema);
    }
    Import { schemas, undecided }
}
