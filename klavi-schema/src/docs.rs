//! Klavi's docs publish each endpoint as an "API block": JSON flattened to lower case with its
//! colons removed (`{ "name" "links", "method" "post", "request" { "bodydataparameters" \[ … ] } }`,
//! the format of the seeds). This module parses a block, compares it with the schemas (drift:
//! a field added, removed, retyped or whose required-ness changed) and imports it into a schema
//! skeleton merged into the existing schema, never dropping what was written by hand.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::index::{EndpointSpec, MessageKind};
use crate::load::{Documents, parse_ref};

/// Where a documented parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A member of the JSON request body.
    Body,
    /// A member of the response body.
    Response,
}

/// One documented field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocField {
    /// Where it travels.
    pub location: Location,
    /// Its name, as the block spells it (lower case: the casing is lost).
    pub name: String,
    /// Whether the block marks it `required`.
    pub required: bool,
    /// The block's type (`string`, `object`, `array`, `number`, `boolean`).
    pub ty: String,
    /// The block's description.
    pub description: String,
}

/// A parsed API block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path (`/data/v1/links`), lower case.
    pub path: String,
    /// Every documented field.
    pub fields: Vec<DocField>,
}

// ----- parsing ------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Text(String),
}

/// Splits the block into tokens. Inside strings, `\\"` and `\"` are quotes and other escapes
/// are kept; outside, `\[` is `[`. Stops at the end of the first balanced `{…}`.
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let start = text.find('{').ok_or("no API block (`{`) in the text")?;
    let chars: Vec<char> = text[start..].chars().collect();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                depth += 1;
                out.push(Token::Open);
            }
            '}' => {
                out.push(Token::Close);
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(out);
                }
            }
            '[' => out.push(Token::OpenList),
            '\\' if chars.get(i + 1) == Some(&'[') => {
                out.push(Token::OpenList);
                i += 1;
            }
            ']' => out.push(Token::CloseList),
            ',' => out.push(Token::Comma),
            '"' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match (chars.get(i), chars.get(i + 1), chars.get(i + 2)) {
                        (None, ..) => return Err("unterminated string".into()),
                        (Some('"'), ..) => break,
                        (Some('\\'), Some('\\'), Some('"')) => {
                            value.push('"');
                            i += 3;
                        }
                        (Some('\\'), Some('"'), _) => {
                            value.push('"');
                            i += 2;
                        }
                        (Some('\\'), Some('n'), _) => {
                            value.push('\n');
                            i += 2;
                        }
                        (Some('\\'), Some(next), _) => {
                            value.push(*next);
                            i += 2;
                        }
                        (Some(c), ..) => {
                            value.push(*c);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Text(value));
            }
            _ => {}
        }
        i += 1;
    }
    Err("the API block is not closed".into())
}

/// Parses tokens into JSON: an object is `{ "key" value, … }`, a list `[ value, … ]`.
fn value(tokens: &[Token], at: &mut usize, depth: usize) -> Result<Value, String> {
    if depth > 64 {
        return Err("the API block is nested too deeply".into());
    }
    let token = tokens
        .get(*at)
        .ok_or("unexpected end of the API block")?
        .clone();
    *at += 1;
    match token {
        Token::Text(text) => Ok(Value::String(text)),
        Token::Open => {
            let mut map = Map::new();
            loop {
                match tokens.get(*at) {
                    Some(Token::Close) => {
                        *at += 1;
                        return Ok(Value::Object(map));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(Token::Text(key)) => {
                        let key = key.clone();
                        *at += 1;
                        let item = value(tokens, at, depth + 1)?;
                        map.insert(key, item);
                    }
                    _ => return Err("expected a key in the API block".into()),
                }
            }
        }
        Token::OpenList => {
            let mut items = Vec::new();
            loop {
                match tokens.get(*at) {
                    Some(Token::CloseList) => {
                        *at += 1;
                        return Ok(Value::Array(items));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(_) => items.push(value(tokens, at, depth + 1)?),
                    None => return Err("unexpected end of a list in the API block".into()),
                }
            }
        }
        Token::Close | Token::CloseList | Token::Comma => {
            Err("unexpected punctuation in the API block".into())
        }
    }
}

fn fields_of(list: Option<&Value>, location: Location) -> Vec<DocField> {
    let text = |item: &Value, key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| DocField {
                    location,
                    name: text(item, "name"),
                    required: text(item, "kind") == "required",
                    ty: text(item, "type"),
                    description: text(item, "description"),
                })
                .filter(|f| !f.name.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Parses an API block (the whole docs page text may surround it).
pub fn parse_block(text: &str) -> Result<Block, String> {
    let tokens = tokens(text)?;
    let mut at = 0;
    let root = value(&tokens, &mut at, 0)?;
    let method = root
        .get("method")
        .and_then(Value::as_str)
        .ok_or("the API block has no `method`")?
        .to_uppercase();
    let url = root
        .get("url")
        .and_then(Value::as_str)
        .ok_or("the API block has no `url`")?;
    let path = url
        .find("/data/")
        .map(|i| url[i..].trim().to_lowercase())
        .ok_or("the API block's `url` has no `/data/` path")?;
    let request = root.get("request");
    let part = |key: &str| request.and_then(|r| r.get(key));
    let mut fields = fields_of(part("pathparameters"), Location::Path);
    fields.extend(fields_of(part("queryparameters"), Location::Query));
    fields.extend(fields_of(part("headerparameters"), Location::Header));
    fields.extend(fields_of(part("bodydataparameters"), Location::Body));
    fields.extend(fields_of(root.get("response"), Location::Response));
    Ok(Block {
        method,
        path,
        fields,
    })
}

// ----- the schema side ----------------------------------------------------------------------

/// The endpoint of the index a block documents (same method, same path ignoring case).
pub fn endpoint_of<'d>(documents: &'d Documents, block: &Block) -> Option<&'d EndpointSpec> {
    documents
        .index
        .endpoints
        .iter()
        .find(|e| e.method.as_str() == block.method && e.path.as_str().to_lowercase() == block.path)
}

/// Follows `$ref`s (at most a few) from a node in `file` to the node that holds the shape.
fn resolve<'d>(documents: &'d Documents, file: &str, node: &'d Value) -> (String, &'d Value) {
    let mut file = file.to_owned();
    let mut node = node;
    for _ in 0..8 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Ok(target) = parse_ref(&file, reference) else {
            break;
        };
        let Some(next) = documents
            .files
            .get(&target.file)
            .and_then(|d| crate::pointer::resolve(d, &target.pointer))
        else {
            break;
        };
        file = target.file;
        node = next;
    }
    (file, node)
}

/// A schema member: its wire name, whether it is required, and the JSON types it admits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SchemaField {
    /// Wire name.
    pub name: String,
    /// Listed in `required`.
    pub required: bool,
    /// JSON types (`string`, `integer`, …; an enum counts as the type of its values).
    pub types: Vec<String>,
}

fn types_of(documents: &Documents, file: &str, node: &Value) -> Vec<String> {
    let (file, node) = resolve(documents, file, node);
    match node.get("type") {
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => {
            let branches = node
                .get("anyOf")
                .or_else(|| node.get("oneOf"))
                .and_then(Value::as_array);
            let mut types: Vec<String> = branches
                .into_iter()
                .flatten()
                .flat_map(|branch| match branch.get("const") {
                    Some(Value::String(_)) => vec!["string".to_owned()],
                    Some(Value::Number(_)) => vec!["integer".to_owned()],
                    _ => types_of(documents, &file, branch),
                })
                .collect();
            types.sort();
            types.dedup();
            types
        }
    }
}

/// The members of the message `kind` of `endpoint` (an array root's items' members).
pub(crate) fn schema_fields(
    documents: &Documents,
    endpoint: &EndpointSpec,
    kind: MessageKind,
) -> Option<Vec<SchemaField>> {
    let file = endpoint.messages.get(&kind)?;
    let file = parse_ref(&documents.index_file, file).ok()?.file;
    let root = documents.files.get(&file)?;
    let (file, mut node) = resolve(documents, &file, root);
    let mut file = file;
    if node.get("type") == Some(&Value::String("array".into()))
        && let Some(items) = node.get("items")
    {
        let (items_file, items_node) = resolve(documents, &file, items);
        file = items_file;
        node = items_node;
    }
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = node.get("properties")?.as_object()?;
    Some(
        properties
            .iter()
            .map(|(name, property)| SchemaField {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                types: types_of(documents, &file, property),
            })
            .collect(),
    )
}

// ----- drift -----------------------------------------------------------------------------------

/// Which message each documented location is compared with.
const GROUPS: [(Location, MessageKind); 4] = [
    (Location::Path, MessageKind::Path),
    (Location::Query, MessageKind::Query),
    (Location::Body, MessageKind::Request),
    (Location::Response, MessageKind::Response),
];

impl Block {
    /// The documented fields at `location`.
    fn at(&self, location: Location) -> Vec<&DocField> {
        self.fields
            .iter()
            .filter(|f| f.location == location)
            .collect()
    }
}

/// How the docs and a schema differ on one field.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DriftKind {
    /// The docs have it; the schema does not.
    Added,
    /// The schema has it; the docs do not.
    Removed,
    /// The types differ.
    Retyped,
    /// One says required, the other optional.
    Required,
}

impl DriftKind {
    /// `added`, `removed`, `retyped` or `required`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DriftKind::Added => "added",
            DriftKind::Removed => "removed",
            DriftKind::Retyped => "retyped",
            DriftKind::Required => "required",
        }
    }
}

/// One difference between a block and the schemas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drift {
    /// The message id (`create-link.request`), or the endpoint id for headers.
    pub message: String,
    /// The field (the schema's wire name when it has one, else the block's).
    pub field: String,
    /// What differs.
    pub kind: DriftKind,
    /// In words.
    pub detail: String,
}

/// Whether the block's type is compatible with the schema's types.
fn compatible(docs: &str, schema: &[String]) -> bool {
    let docs = match docs {
        "number" => "integer",
        other => other,
    };
    schema.is_empty()
        || schema.iter().any(|t| {
            t == docs || (docs == "integer" && t == "number") || (docs == "string" && t == "null")
        })
}

/// Every difference between `block` and the schemas of its endpoint.
pub fn check(documents: &Documents, block: &Block) -> Result<Vec<Drift>, String> {
    let endpoint = endpoint_of(documents, block)
        .ok_or_else(|| format!("no endpoint `{} {}` in the index", block.method, block.path))?;
    let mut drift = Vec::new();
    for (location, kind) in GROUPS {
        let documented = block.at(location);
        let message = endpoint.message_id(kind);
        let schema = schema_fields(documents, endpoint, kind).unwrap_or_default();
        for field in &documented {
            match schema
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(&field.name))
            {
                None => drift.push(Drift {
                    message: message.clone(),
                    field: field.name.clone(),
                    kind: DriftKind::Added,
                    detail: format!(
                        "the docs document `{}` ({}); the schema does not declare it",
                        field.name, field.ty
                    ),
                }),
                Some(s) => {
                    if !compatible(&field.ty, &s.types) {
                        drift.push(Drift {
                            message: message.clone(),
                            field: s.name.clone(),
                            kind: DriftKind::Retyped,
                            detail: format!(
                                "the docs say {}, the schema says {}",
                                field.ty,
                                s.types.join(" or ")
                            ),
                        });
                    }
                    if field.required != s.required {
                        let word = |r: bool| if r { "required" } else { "optional" };
                        drift.push(Drift {
                            message: message.clone(),
                            field: s.name.clone(),
                            kind: DriftKind::Required,
                            detail: format!(
                                "the docs say {}, the schema says {}",
                                word(field.required),
                                word(s.required)
                            ),
                        });
                    }
                }
            }
        }
        for s in &schema {
            if !documented
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&s.name))
            {
                drift.push(Drift {
                    message: message.clone(),
                    field: s.name.clone(),
                    kind: DriftKind::Removed,
                    detail: format!(
                        "the schema declares `{}`; the docs do not document it",
                        s.name
                    ),
                });
            }
        }
    }
    let authorization = block
        .fields
        .iter()
        .any(|f| f.location == Location::Header && f.name == "authorization" && f.required);
    if authorization != (endpoint.token != crate::index::TokenKind::None) {
        drift.push(Drift {
            message: endpoint.id.clone(),
            field: "Authorization".into(),
            kind: DriftKind::Required,
            detail: format!(
                "the docs {} an Authorization header; the index says token `{}`",
                if authorization {
                    "require"
                } else {
                    "do not require"
                },
                endpoint.token.as_str()
            ),
        });
    }
    drift.sort();
    Ok(drift)
}

// ----- import ----------------------------------------------------------------------------------

/// The result of importing a block: one schema per message, and the names whose casing could
/// not be recovered.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// Message kind → the merged schema document.
    pub schemas: BTreeMap<MessageKind, Value>,
    /// Fields kept in the block's lower case: no schema declares them.
    pub undecided: Vec<String>,
}

/// Merges `block` into the schemas of its endpoint (or into empty skeletons for an endpoint
/// the index does not know): a field the schema declares is kept as written (formats, rules,
/// enums, examples stay); a new one gets a skeleton (`type`, `description`) under its recovered
/// wire name; `required` only grows.
pub fn import(documents: Option<&Documents>, block: &Block) -> Import {
    let endpoint = documents.and_then(|d| endpoint_of(d, block));
    let mut schemas = BTreeMap::new();
    let mut undecided = Vec::new();
    for (location, kind) in GROUPS {
        let documented = block.at(location);
        if documented.is_empty() {
            continue;
        }
        let existing = documents.zip(endpoint).and_then(|(d, e)| {
            let file = parse_ref(&d.index_file, e.messages.get(&kind)?).ok()?.file;
            d.files.get(&file).cloned()
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
            for field in documented {
                let known = documents
                    .zip(endpoint)
                    .and_then(|(d, e)| schema_fields(d, e, kind))
                    .unwrap_or_default();
                if !known
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(&field.name))
                {
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
        for field in documented {
            let known = properties
                .keys()
                .find(|k| k.eq_ignore_ascii_case(&field.name))
                .cloned();
            let name = match known {
                Some(name) => name,
                None => {
                    undecided.push(format!(
                        "{}: `{}` (casing unknown: the block is lower case)",
                        kind.as_str(),
                        field.name
                    ));
                    let ty = if field.ty == "number" {
                        "integer"
                    } else {
                        field.ty.as_str()
                    };
                    properties.insert(
                        field.name.clone(),
                        serde_json::json!({"type": ty, "description": field.description}),
                    );
                    field.name.clone()
                }
            };
            if field.required {
                required_new.push(name);
            }
        }
        if !required_new.is_empty() {
            let required = object
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = required.as_array_mut() {
                for name in required_new {
                    if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                        list.push(Value::String(name));
                    }
                }
            }
        }
        schemas.insert(kind, schema);
    }
    Import { schemas, undecided }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = r#"API REFERENCE
{ "name" "links", "method" "post", "url" "https //api sandbox klavi ai/data/v1/links", "examples" { "languages" \[ { "code" "curl data '{\\"personaltaxid\\" \\"string\\"}' \\\\\n header", "customlabel" "" } ] }, "request" { "pathparameters" \[], "queryparameters" \[], "headerparameters" \[ { "name" "authorization", "kind" "required", "type" "string", "description" "bearer", "children" \[] } ], "bodydataparameters" \[ { "name" "personaltaxid", "kind" "optional", "type" "string", "description" "the cpf", "children" \[] }, { "name" "newfield", "kind" "required", "type" "number", "description" "new", "children" \[] } ] }, "response" \[ { "name" "linkid", "kind" "optional", "type" "string", "description" "id" } ] } trailing prose { not parsed }"#;

    #[test]
    fn parses_the_flattened_format() {
        let block = parse_block(BLOCK).expect("parses");
        assert_eq!(
            (block.method.as_str(), block.path.as_str()),
            ("POST", "/data/v1/links")
        );
        let names: Vec<(&str, Location, bool)> = block
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.location, f.required))
            .collect();
        assert_eq!(
            names,
            [
                ("authorization", Location::Header, true),
                ("personaltaxid", Location::Body, false),
                ("newfield", Location::Body, true),
                ("linkid", Location::Response, false),
            ]
        );
    }

    #[test]
    fn malformed_blocks_are_errors_not_panics() {
        for text in [
            "",
            "no block",
            "{",
            "{ \"a\" ",
            "{ \"method\" \"get\" }",
            "{ , }",
            "{ \"a\" \\[ \"b\" }",
        ] {
            assert!(parse_block(text).is_err(), "{text}");
        }
    }
}
