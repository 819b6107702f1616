//! The document's `components/schemas`: every message's bundled schema and its `$defs`, hoisted
//! under one name each, with their references rewritten to `#/components/schemas/NAME`.
//!
//! Two messages often bundle the same definition (`Cpf`, `HttpUrl`): it is kept once. Two
//! different definitions of one name (rare: each bundle names its own) get a numbered name
//! (`Name2`), so no schema is ever replaced by another.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::registry::MessageInfo;

/// The schemas collected so far, by name.
#[derive(Default)]
pub(super) struct Components {
    schemas: BTreeMap<String, Value>,
    /// The component of each message id.
    by_message: BTreeMap<&'static str, String>,
}

impl Components {
    /// Adds the schema of `message` (and its definitions), and returns a reference to it.
    pub(super) fn add(&mut self, message: &MessageInfo) -> Value {
        if let Some(name) = self.by_message.get(message.id) {
            return reference(name);
        }
        let Ok(Value::Object(mut root)) = serde_json::from_str::<Value>(message.schema) else {
            return Value::Object(Map::new());
        };
        root.remove("$schema");
        let definitions = match root.remove("$defs") {
            Some(Value::Object(definitions)) => definitions,
            _ => Map::new(),
        };
        let root_name = self.free_name(&root_name(message, &root), &Value::Object(root.clone()));
        // Names first (a definition may refer to any other), then the rewritten schemas.
        let mut renamed = BTreeMap::new();
        for (name, schema) in &definitions {
            renamed.insert(name.clone(), self.free_name(name, schema));
        }
        for (name, mut schema) in definitions {
            rewrite(&mut schema, &root_name, &renamed);
            self.schemas.insert(renamed[&name].clone(), schema);
        }
        let mut root = Value::Object(root);
        rewrite(&mut root, &root_name, &renamed);
        self.schemas.insert(root_name.clone(), root);
        self.by_message.insert(message.id, root_name.clone());
        reference(&root_name)
    }

    /// The component of `message` (added first when it is not yet).
    fn component(&mut self, message: &MessageInfo) -> Option<&Value> {
        self.add(message);
        self.schemas.get(self.by_message.get(message.id)?)
    }

    /// The property schemas and required names of an object message (path or query
    /// parameters), each with its references rewritten.
    pub(super) fn parameters(&mut self, message: &MessageInfo) -> Vec<(String, Value, bool)> {
        let Some(schema) = self.component(message) else {
            return Vec::new();
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, property)| {
                (
                    name.clone(),
                    property.clone(),
                    required.contains(&name.as_str()),
                )
            })
            .collect()
    }

    /// Whether an object message has rules across its members (`anyOf`, `oneOf`, `allOf`,
    /// `dependentRequired`, `not`), which separate parameters cannot carry.
    pub(super) fn has_object_rules(&mut self, message: &MessageInfo) -> bool {
        self.component(message)
            .and_then(Value::as_object)
            .is_some_and(|schema| {
                ["anyOf", "oneOf", "allOf", "dependentRequired", "not"]
                    .iter()
                    .any(|key| schema.contains_key(*key))
            })
    }

    /// `name`, or the first numbered one (`Name2`, `Name3`…) that is free or holds `schema`.
    fn free_name(&self, name: &str, schema: &Value) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        loop {
            match self.schemas.get(&candidate) {
                Some(existing) if !same_before_rewrite(existing, schema) => {
                    candidate = format!("{name}{n}");
                    n += 1;
                }
                _ => return candidate,
            }
        }
    }

    /// Every schema, by name.
    pub(super) fn into_schemas(self) -> Map<String, Value> {
        self.schemas.into_iter().collect()
    }
}

/// A reference to the component `name`.
fn reference(name: &str) -> Value {
    serde_json::json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The component name of a message's root: its `x-rust-name`, else the last segment of its
/// type's path (`klavi_types::links::CreateLinkRequest` → `CreateLinkRequest`).
fn root_name(message: &MessageInfo, root: &Map<String, Value>) -> String {
    root.get("x-rust-name")
        .and_then(Value::as_str)
        .unwrap_or_else(|| message.type_name.rsplit("::").next().unwrap_or(message.id))
        .to_owned()
}

/// Whether two schemas are one once hoisted: equal, their references aside (the one kept has
/// already been rewritten; the other not yet).
fn same_before_rewrite(kept: &Value, new: &Value) -> bool {
    match (kept, new) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(key, value)| match b.get(key) {
                    Some(other) if key == "$ref" => {
                        let (Some(a), Some(b)) = (value.as_str(), other.as_str()) else {
                            return false;
                        };
                        a.rsplit('/').next() == b.rsplit('/').next()
                    }
                    Some(other) => same_before_rewrite(value, other),
                    None => false,
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_before_rewrite(a, b))
        }
        (a, b) => a == b,
    }
}

/// Rewrites the bundle's references (`#`, `#/$defs/NAME`) to components, everywhere in
/// `schema` (`examples` and `const` values are data, not schemas, and are left alone).
fn rewrite(schema: &mut Value, root_name: &str, renamed: &BTreeMap<String, String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "$ref" => {
                        if let Some(target) = value.as_str() {
                            let name = match target {
                                "#" => Some(root_name.to_owned()),
                                _ => target
                                    .strip_prefix("#/$defs/")
                                    .and_then(|name| renamed.get(name).cloned()),
                            };
                            if let Some(name) = name {
                                *value = Value::String(format!("#/components/schemas/{name}"));
                            }
                        }
                    }
                    "examples" | "const" | "enum" | "default" => {}
                    // Maps of schemas: their keys are names, not keywords.
                    "properties" | "dependentSchemas" | "$defs" => {
                        for schema in value
                            .as_object_mut()
                            .into_iter()
                            .flat_map(|m| m.values_mut())
                        {
                            rewrite(schema, root_name, renamed);
                        }
                    }
                    _ => rewrite(value, root_name, renamed),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite(item, root_name, renamed);
            }
        }
        _ => {}
    }
}
