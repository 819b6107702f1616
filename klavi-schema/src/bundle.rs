//! Bundling: the self-contained JSON Schema of one type, with every definition it reaches
//! copied into `$defs` and every `$ref` rewritten to `#/$defs/Name`. This is what the generated
//! `schemars::JsonSchema` impls return, what `klavi schema` prints, and what the `jsonschema`
//! crate validates against.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::load::{Documents, RefTarget, parse_ref};
use crate::model::TypeId;
use crate::pointer::resolve;

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The bundled schema of the type `root` as compact JSON text: what
/// [`crate::model::TypeDef::schema`] holds. `names` gives the `$defs` name of generated types.
pub fn bundle_text(
    documents: &Documents,
    root: &TypeId,
    names: &BTreeMap<TypeId, String>,
) -> String {
    serde_json::to_string(&bundle(documents, root, names)).unwrap_or_default()
}

/// The bundled schema of the node `root`. `names` gives the `$defs` name of generated types;
/// other definitions keep the last segment of their pointer.
pub fn bundle(documents: &Documents, root: &TypeId, names: &BTreeMap<TypeId, String>) -> Value {
    let mut state = Bundler {
        names,
        assigned: BTreeMap::new(),
        taken: BTreeMap::new(),
        defs: Map::new(),
        queue: Vec::new(),
    };
    let root_target = RefTarget {
        file: root.file.clone(),
        pointer: root.pointer.clone(),
    };
    state.assigned.insert(root_target.clone(), String::new());
    let node = resolve_node(documents, &root_target);
    let mut out = state.rewrite(&root.file, node);
    while let Some((target, name)) = state.queue.pop() {
        let node = resolve_node(documents, &target);
        let rewritten = state.rewrite(&target.file, node);
        state.defs.insert(name, rewritten);
    }
    if let Value::Object(map) = &mut out {
        let mut ordered = Map::new();
        ordered.insert("$schema".into(), Value::String(DIALECT.into()));
        for (key, value) in std::mem::take(map) {
            if key != "$schema" {
                ordered.insert(key, value);
            }
        }
        if !state.defs.is_empty() {
            let mut defs: Vec<(String, Value)> = state.defs.into_iter().collect();
            defs.sort_by(|a, b| a.0.cmp(&b.0));
            ordered.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
        }
        *map = ordered;
    }
    out
}

fn resolve_node<'d>(documents: &'d Documents, target: &RefTarget) -> &'d Value {
    documents
        .files
        .get(&target.file)
        .and_then(|d| resolve(d, &target.pointer))
        .unwrap_or(&Value::Bool(true))
}

struct Bundler<'a> {
    names: &'a BTreeMap<TypeId, String>,
    /// Target → its name in `$defs` (`""` for the root).
    assigned: BTreeMap<RefTarget, String>,
    /// Name → the target holding it.
    taken: BTreeMap<String, RefTarget>,
    defs: Map<String, Value>,
    queue: Vec<(RefTarget, String)>,
}

impl Bundler<'_> {
    fn name_for(&mut self, target: &RefTarget) -> String {
        if let Some(name) = self.assigned.get(target) {
            return name.clone();
        }
        let id = TypeId {
            file: target.file.clone(),
            pointer: target.pointer.clone(),
        };
        let base = self.names.get(&id).cloned().unwrap_or_else(|| {
            target
                .pointer
                .rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or("Schema")
                .to_owned()
        });
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone(), target.clone());
        self.assigned.insert(target.clone(), name.clone());
        self.queue.push((target.clone(), name.clone()));
        name
    }

    fn rewrite(&mut self, file: &str, node: &Value) -> Value {
        match node {
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, value) in map {
                    match key.as_str() {
                        "$defs" | "$schema" => {}
                        "$ref" => {
                            let reference = value.as_str().unwrap_or_default();
                            let rewritten = match parse_ref(file, reference) {
                                Ok(target) => {
                                    let name = self.name_for(&target);
                                    if name.is_empty() {
                                        "#".to_owned()
                                    } else {
                                        format!("#/$defs/{name}")
                                    }
                                }
                                Err(_) => reference.to_owned(),
                            };
                            out.insert(key.clone(), Value::String(rewritten));
                        }
                        "examples" | "const" | "enum" => {
                            out.insert(key.clone(), value.clone());
                        }
                        _ => {
                            out.insert(key.clone(), self.rewrite(file, value));
                        }
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.rewrite(file, v)).collect())
            }
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{MemorySource, load};

    #[test]
    fn refs_across_files_are_rewritten_into_defs() {
        let mut source = MemorySource::new([
            (
                "endpoints.json",
                r#"{"modules": {"a": "A."}, "endpoints": [{"id": "x", "title": "X", "description": "X.", "method": "POST", "path": "/x", "token": "none", "module": "a", "docs": "d", "messages": {"request": "a/x.json"}}]}"#,
            ),
            (
                "a/x.json",
                r##"{"type": "object", "properties": {"id": {"$ref": "../common.json#/$defs/Cpf"}, "self": {"$ref": "#"}}}"##,
            ),
            (
                "common.json",
                r#"{"$defs": {"Cpf": {"type": "string", "format": "cpf"}}}"#,
            ),
        ]);
        let documents = load(&mut source, "endpoints.json").expect("loads");
        let root = TypeId {
            file: "a/x.json".into(),
            pointer: String::new(),
        };
        let bundled = bundle(&documents, &root, &BTreeMap::new());
        assert_eq!(
            bundled["properties"]["id"]["$ref"],
            Value::String("#/$defs/Cpf".into())
        );
        assert_eq!(
            bundled["properties"]["self"]["$ref"],
            Value::String("#".into())
        );
        assert_eq!(
            bundled["$defs"]["Cpf"]["format"],
            Value::String("cpf".into())
        );
        assert_eq!(bundled["$schema"], Value::String(DIALECT.into()));
    }
}
