//! The schemas' side of a block: the endpoint of the index it documents ([`endpoint_of`]),
//! which message each documented location is compared with ([`GROUPS`]), and the members each
//! message of the endpoint declares, with their JSON types and required-ness
//! ([`schema_fields`]), `$ref`s followed.

use klavi_schema::index::{EndpointSpec, MessageKind};
use klavi_schema::load::Documents;
use serde_json::Value;

use super::block::{Block, Location};
use super::drift::same_path;

/// Which message each documented location is compared with.
pub(crate) const GROUPS: [(Location, MessageKind); 4] = [
    (Location::Path, MessageKind::Path),
    (Location::Query, MessageKind::Query),
    (Location::Body, MessageKind::Request),
    (Location::Response, MessageKind::Response),
];

/// The endpoint of the index a block documents (same method, same path ignoring case and
/// punctuation).
pub fn endpoint_of<'d>(documents: &'d Documents, block: &Block) -> Option<&'d EndpointSpec> {
    documents
        .index()
        .endpoints
        .iter()
        .find(|e| e.method.as_str() == block.method && same_path(e.path.as_str(), &block.path))
}

/// The endpoint of the index whose id is `id` (the name of a kept copy).
pub fn endpoint_by_id<'d>(documents: &'d Documents, id: &str) -> Option<&'d EndpointSpec> {
    documents.index().endpoints.iter().find(|e| e.id == id)
}

/// Follows `$ref`s (at most a few) from a node in `file` to the node that holds the shape.
fn resolve<'d>(documents: &'d Documents, file: &str, node: &'d Value) -> (String, &'d Value) {
    let mut file = file.to_owned();
    let mut node = node;
    for _ in 0..8 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some((next_file, next)) = documents.resolve_ref(&file, reference) else {
            break;
        };
        file = next_file;
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
    let (file, root) = documents.resolve_ref(documents.index_file(), file)?;
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
