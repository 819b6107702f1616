//! Lowering: turns the checked schema documents into the [`Model`]. Each node is classified
//! once into a [`Shape`] (`classify.rs`), and each generated shape is lowered by the file named
//! like its emitter (`structs.rs` here, `emit/structs.rs` there); value types that are not
//! generated (runtime types, primitives, arrays, maps) are `inline.rs`, and `$ref`s are
//! followed by `references.rs`. This file is the dispatcher: messages, names, and assembling
//! the model, which `model_checks.rs` then validates as a whole. A keyword used on a shape
//! that does not take it is an error naming the file and JSON Pointer, never ignored.

mod bodies;
mod classify;
mod context;
mod enums;
mod exclusive_maps;
mod inline;
mod int_enums;
mod model_checks;
mod newtypes;
mod references;
mod structs;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::bundle;
use crate::error::{SchemaErrorKind, SchemaErrors};
use crate::index::MessageKind;
use crate::keywords;
use crate::load::{Documents, RefTarget, parse_ref};
use crate::model::{
    Endpoint, Message, Model, Module, Standalone, TyKind, TypeBody, TypeDef, TypeId,
};
use crate::names;
use crate::pointer::resolve;
use crate::shape::Shape;

use context::Context;

/// Builds the model from loaded and checked documents.
pub fn lower(documents: &Documents) -> Result<Model, SchemaErrors> {
    let mut lowerer = Lowerer {
        documents,
        types: BTreeMap::new(),
        names: BTreeMap::new(),
        resolving: BTreeSet::new(),
        cx: Context::default(),
    };
    let endpoints = lowerer.endpoints();
    let standalone = lowerer.standalone();
    lowerer.check_marker_names(&endpoints);
    let Lowerer { types, mut cx, .. } = lowerer;
    if cx.clean_since(context::Mark::START)
        && let Some((id, _)) = types.iter().find(|(_, lowered)| lowered.is_none())
    {
        // Every `None` comes with its error; this guards that promise, so that a type is
        // never silently missing from the generated code.
        cx.error(
            SchemaErrorKind::Unsupported,
            &id.file,
            &id.pointer,
            "klavi-schema could not lower this type and recorded no reason (a bug: please report it with this schema)",
        );
    }
    let model = assemble(documents, types, endpoints, standalone);
    model_checks::check(documents, &model, &mut cx);
    cx.finish(model)
}

/// A lowered type before the model is assembled (its bundled schema is computed then).
struct Lowered {
    name: String,
    module: String,
    doc: String,
    body: TypeBody,
}

/// The model: the lowered types with their bundled schemas, sorted by module then name.
fn assemble(
    documents: &Documents,
    lowered: BTreeMap<TypeId, Option<Lowered>>,
    endpoints: Vec<Endpoint>,
    standalone: Vec<Standalone>,
) -> Model {
    let names: BTreeMap<TypeId, String> = lowered
        .iter()
        .filter_map(|(id, l)| Some((id.clone(), l.as_ref()?.name.clone())))
        .collect();
    let mut types: Vec<TypeDef> = lowered
        .into_iter()
        .filter_map(|(id, lowered)| {
            let Lowered {
                name,
                module,
                doc,
                body,
            } = lowered?;
            let schema = bundle::bundle_text(documents, &id, &names);
            Some(TypeDef {
                id,
                name,
                module,
                doc,
                body,
                schema,
            })
        })
        .collect();
    types.sort_by(|a, b| (&a.module, &a.name).cmp(&(&b.module, &b.name)));
    let modules = documents
        .index
        .modules
        .iter()
        .map(|(name, doc)| Module {
            name: name.clone(),
            doc: doc.clone(),
        })
        .collect();
    Model {
        modules,
        types,
        endpoints,
        standalone,
    }
}

/// The state of one lowering run.
struct Lowerer<'a> {
    documents: &'a Documents,
    /// Finished or in-progress types (`None` while in progress or after an error).
    types: BTreeMap<TypeId, Option<Lowered>>,
    /// (module, name) → the type holding that name.
    names: BTreeMap<(String, String), TypeId>,
    /// The `$ref` targets being inlined since the innermost generated type, to report a cycle
    /// of `$ref`s, arrays and maps instead of following it forever.
    resolving: BTreeSet<RefTarget>,
    /// The errors.
    cx: Context,
}

/// The names in a node's `type` (one, or the list of a type union).
fn type_names(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The string value of `key`, if it is one.
fn text<'v>(node: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    node.get(key).and_then(Value::as_str)
}

/// Documentation from `title` and `description`.
fn doc_of(node: &Map<String, Value>) -> String {
    match (text(node, "title"), text(node, "description")) {
        (Some(title), Some(description)) => format!("{title}.\n\n{description}"),
        (Some(title), None) => title.to_owned(),
        (None, Some(description)) => description.to_owned(),
        (None, None) => String::new(),
    }
}

/// What an enum branch may hold beside its value: `const` and notes.
const CONST_BRANCH: &[&str] = &["const", "description", "title", "x-rust-name"];

/// The first key of `map` outside `allowed`, if any.
fn key_outside<'m>(map: &'m Map<String, Value>, allowed: &[&str]) -> Option<&'m String> {
    map.keys().find(|k| !allowed.contains(&k.as_str()))
}

/// Whether an enum or union branch is the catch-all `{"type": TYPE}` (with notes only).
fn is_catch_all(branch: &Map<String, Value>, ty: &str) -> bool {
    branch.get("type").and_then(Value::as_str) == Some(ty)
        && key_outside(branch, &["type", "description", "title", "x-rust-name"]).is_none()
}

/// The module a file's definitions belong to: its directory (`links/defs.json` → `links`), or
/// its stem for a top-level file (`common.json` → `common`).
pub fn module_of_file(file: &str) -> String {
    match file.split_once('/') {
        Some((directory, _)) => directory.to_owned(),
        None => file.trim_end_matches(".json").to_owned(),
    }
}

impl<'a> Lowerer<'a> {
    /// The node at `file#pointer`, if there is one.
    fn node(&self, file: &str, pointer: &str) -> Option<&'a Value> {
        self.documents
            .files
            .get(file)
            .and_then(|document| resolve(document, pointer))
    }

    /// The endpoints of the index, with the types of their messages.
    fn endpoints(&mut self) -> Vec<Endpoint> {
        let documents = self.documents;
        let mut endpoints = Vec::new();
        for spec in &documents.index.endpoints {
            let mut messages = Vec::new();
            for kind in MessageKind::ALL {
                let Some(file) = spec.messages.get(&kind) else {
                    continue;
                };
                // The index reported a malformed reference already.
                let Ok(target) = parse_ref(&documents.index_file, file) else {
                    continue;
                };
                let default_name = format!(
                    "{}{}",
                    names::type_name(&spec.id),
                    names::type_name(kind.as_str())
                );
                if let Some(ty) = self.message_type(&target.file, &default_name, &spec.module) {
                    messages.push(Message {
                        id: spec.message_id(kind),
                        kind,
                        ty,
                        alias_examples: self.alias_examples(&target.file),
                        file: target.file,
                    });
                }
            }
            endpoints.push(Endpoint {
                spec: spec.clone(),
                rust: names::type_name(&spec.id),
                messages,
            });
        }
        endpoints
    }

    /// The messages of no endpoint, with their types.
    fn standalone(&mut self) -> Vec<Standalone> {
        let documents = self.documents;
        let mut standalone = Vec::new();
        for spec in &documents.index.standalone {
            let Ok(target) = parse_ref(&documents.index_file, &spec.file) else {
                continue;
            };
            let default_name = names::type_name(&spec.id.replace('.', "-"));
            if let Some(ty) = self.message_type(&target.file, &default_name, &spec.module) {
                standalone.push(Standalone {
                    spec: spec.clone(),
                    message: Message {
                        id: spec.id.clone(),
                        kind: spec.kind,
                        ty,
                        alias_examples: self.alias_examples(&target.file),
                        file: target.file,
                    },
                });
            }
        }
        standalone
    }

    /// Two endpoints with one marker type, or a type named like a marker, is an error.
    fn check_marker_names(&mut self, endpoints: &[Endpoint]) {
        let index_file = &self.documents.index_file;
        let mut markers: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        for (i, endpoint) in endpoints.iter().enumerate() {
            let marker = (endpoint.spec.module.as_str(), endpoint.rust.as_str());
            if let Some(other) = markers.insert(marker, &endpoint.spec.id) {
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    index_file,
                    &format!("/endpoints/{i}/id"),
                    format!(
                        "endpoints `{other}` and `{}` both get the marker type `{}` in module `{}`; rename one",
                        endpoint.spec.id, endpoint.rust, endpoint.spec.module
                    ),
                );
            }
            let key = (endpoint.spec.module.clone(), endpoint.rust.clone());
            if let Some(other) = self.names.get(&key) {
                let (file, pointer) = (other.file.clone(), other.pointer.clone());
                self.cx.error(
                    SchemaErrorKind::NameCollision,
                    &file,
                    &pointer,
                    format!(
                        "type `{}` collides with the marker type of endpoint `{}` in module `{}`; rename it with `x-rust-name`",
                        endpoint.rust, endpoint.spec.id, endpoint.spec.module
                    ),
                );
            }
        }
    }

    /// The type of the message in `file`: its root node, or, when the root is only a `$ref`
    /// (two messages with one shape), the generated type it points to.
    /// The `examples` of a message file that is only a `$ref` (a type shared by several
    /// messages): the message's own, which its type's schema does not carry.
    fn alias_examples(&self, file: &str) -> Option<String> {
        let map = self.node(file, "")?.as_object()?;
        if !map.contains_key("$ref") {
            return None;
        }
        map.get("examples").map(Value::to_string)
    }

    fn message_type(&mut self, file: &str, default_name: &str, module: &str) -> Option<TypeId> {
        let root = TypeId {
            file: file.to_owned(),
            pointer: String::new(),
        };
        // A file that could not be read or parsed was reported by `load`.
        let node = self.node(file, "")?;
        if let Value::Bool(value) = node {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                "",
                format!(
                    "a message must be a schema object: the boolean schema `{value}` has no type to generate"
                ),
            );
            return None;
        }
        let is_alias = node.as_object().is_some_and(|map| {
            map.contains_key("$ref")
                && map
                    .keys()
                    .all(|k| k == "$ref" || keywords::is_annotation(k))
        });
        if !is_alias {
            self.named(&root, default_name, module, true)?;
            return Some(root);
        }
        match self.value_ty(file, "", node, default_name, module)?.kind {
            TyKind::Named(id) => Some(id),
            _ => {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    "/$ref",
                    "a message that is only a `$ref` must point to an object or enum definition",
                );
                None
            }
        }
    }

    /// The Rust name of the type at `id`: its `x-rust-name`, or one made from `default_name`.
    fn type_name(
        &mut self,
        id: &TypeId,
        map: &Map<String, Value>,
        default_name: &str,
    ) -> Option<String> {
        let name = match text(map, "x-rust-name") {
            Some(name) => name.to_owned(),
            None if default_name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
                && names::is_identifier(default_name) =>
            {
                default_name.to_owned()
            }
            None => names::type_name(default_name),
        };
        if !names::is_identifier(&name) || names::is_keyword(&name) {
            self.cx.error(
                SchemaErrorKind::Invalid,
                &id.file,
                &id.pointer,
                format!("`{name}` is not a valid Rust type name"),
            );
            return None;
        }
        Some(name)
    }

    /// Registers and lowers a generated type; `None` when it cannot be (the error is recorded).
    /// A message root of a shape that is not generated (an array) becomes a newtype.
    fn named(
        &mut self,
        id: &TypeId,
        default_name: &str,
        module: &str,
        is_message_root: bool,
    ) -> Option<()> {
        if let Some(existing) = self.types.get(id) {
            // Lowered already, or in progress (a recursive reference, its name registered).
            return existing
                .is_some()
                .then_some(())
                .or_else(|| self.names.values().any(|v| v == id).then_some(()));
        }
        let Some(Value::Object(map)) = self.node(&id.file, &id.pointer) else {
            self.cx.error(
                SchemaErrorKind::DanglingRef,
                &id.file,
                &id.pointer,
                "no schema object here",
            );
            return None;
        };
        let name = self.type_name(id, map, default_name)?;
        if !self.documents.index.modules.contains_key(module) {
            self.cx.error(
                SchemaErrorKind::Index,
                &id.file,
                &id.pointer,
                format!(
                    "this type belongs to module `{module}` (from its file's location), which the index does not declare in `modules`"
                ),
            );
            return None;
        }
        let key = (module.to_owned(), name.clone());
        if let Some(other) = self.names.get(&key) {
            let other = other.clone();
            self.cx.error(
                SchemaErrorKind::NameCollision,
                &id.file,
                &id.pointer,
                format!(
                    "two types are named `{name}` in module `{module}`: this one and `{}#{}`; rename one with `x-rust-name`",
                    other.file, other.pointer
                ),
            );
            return None;
        }
        self.names.insert(key, id.clone());
        self.types.insert(id.clone(), None);
        // Registered above, the type ends any `$ref` cycle through it: its members start afresh.
        let outer = std::mem::take(&mut self.resolving);
        let body = self.classify(&id.file, &id.pointer, map).and_then(|shape| {
            let at = Node {
                id,
                name: &name,
                module,
                map,
            };
            match shape {
                Shape::Struct => self.struct_body(&at),
                Shape::Enum => self.enum_body(&at),
                Shape::IntEnum => self.int_enum_body(&at),
                Shape::TaggedUnion => self.union_body(&at),
                Shape::OneOrMany => self.one_or_many_body(&at),
                Shape::ExclusiveMap => self.exclusive_map_body(&at),
                other => self.inline_root_body(&at, other, is_message_root),
            }
        });
        self.resolving = outer;
        let lowered = Lowered {
            name,
            module: module.to_owned(),
            doc: doc_of(map),
            body: body?,
        };
        self.types.insert(id.clone(), Some(lowered));
        Some(())
    }
}

/// A generated type being lowered: its node and the names it goes by.
struct Node<'n, 'a> {
    /// Where it is.
    id: &'n TypeId,
    /// Its Rust name.
    name: &'n str,
    /// The module it goes to.
    module: &'n str,
    /// The schema object.
    map: &'a Map<String, Value>,
}

impl Node<'_, '_> {
    /// The file holding the node.
    fn file(&self) -> &str {
        &self.id.file
    }

    /// The pointer of `keyword` in the node.
    fn at(&self, keyword: &str) -> String {
        crate::pointer::join(&self.id.pointer, keyword)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{Fixture, errors};

    #[test]
    fn a_message_that_is_only_a_ref_reuses_the_type() {
        let model = Fixture::get("/demo")
            .with("response", r#"{"$ref": "defs.json#/$defs/Token", "description": "Same."}"#)
            .defs(r#"{"$defs": {"Token": {"type": "object", "properties": {"t": {"type": "string"}}}}}"#)
            .lower()
            .unwrap();
        let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Token"]);
        assert_eq!(model.endpoints[0].messages[0].ty, model.types[0].id);
        assert!(
            model.types[0].schema.contains("\"$schema\""),
            "bundled at assembly"
        );
    }

    #[test]
    fn a_type_named_like_an_endpoint_marker_collides() {
        let found = errors(
            Fixture::request(r#"{"type": "object", "properties": {}, "x-rust-name": "X"}"#).lower(),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .1
                .contains("collides with the marker type of endpoint `x`"),
            "{found:?}"
        );
    }
}
