//! Modelling: turns the checked schema documents into the [`Model`]. Each JSON Schema shape the
//! generator understands maps to exactly one Rust shape; a keyword used in any other shape is an
//! error naming the file and JSON Pointer, never ignored.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};
use crate::index::MessageKind;
use crate::load::{Documents, RefTarget, parse_ref};
use crate::model::{
    Check, Endpoint, Fallback, Field, Message, Model, Module, Rule, RuntimeType, Standalone, Ty,
    TyKind, TypeBody, TypeDef, TypeId, UnknownFields, Variant,
};
use crate::names;
use crate::pointer::{join, resolve};

/// Keywords that only annotate and are allowed on every shape.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$comment",
    "$defs",
    "title",
    "description",
    "examples",
    "deprecated",
    "x-rust-name",
    "x-klavi-aliases",
];

/// Builds the model from loaded and checked documents.
pub fn lower(documents: &Documents) -> Result<Model, SchemaErrors> {
    let mut lowerer = Lowerer {
        documents,
        types: BTreeMap::new(),
        names: BTreeMap::new(),
        resolving: BTreeSet::new(),
        errors: SchemaErrors::default(),
    };
    let mut endpoints = Vec::new();
    for spec in &documents.index.endpoints {
        let mut messages = Vec::new();
        for kind in MessageKind::ALL {
            let Some(file) = spec.messages.get(&kind) else {
                continue;
            };
            let file = match parse_ref(&documents.index_file, file) {
                Ok(target) => target.file,
                Err(_) => continue,
            };
            let root = TypeId {
                file: file.clone(),
                pointer: String::new(),
            };
            let default_name = format!(
                "{}{}",
                names::type_name(&spec.id),
                names::type_name(kind.as_str())
            );
            if let Some(ty) = lowerer.message_type(&root, &default_name, &spec.module) {
                messages.push(Message {
                    id: spec.message_id(kind),
                    kind,
                    ty,
                    file,
                });
            }
        }
        endpoints.push(Endpoint {
            spec: spec.clone(),
            rust: names::type_name(&spec.id),
            messages,
        });
    }
    let mut standalone = Vec::new();
    for spec in &documents.index.standalone {
        let Ok(target) = parse_ref(&documents.index_file, &spec.file) else {
            continue;
        };
        let root = TypeId {
            file: target.file.clone(),
            pointer: String::new(),
        };
        let default_name = names::type_name(&spec.id.replace('.', "-"));
        if let Some(ty) = lowerer.message_type(&root, &default_name, &spec.module) {
            standalone.push(Standalone {
                spec: spec.clone(),
                message: Message {
                    id: spec.id.clone(),
                    kind: spec.kind,
                    ty,
                    file: target.file,
                },
            });
        }
    }
    let mut markers: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (i, endpoint) in endpoints.iter().enumerate() {
        let marker = (endpoint.spec.module.as_str(), endpoint.rust.as_str());
        if let Some(other) = markers.insert(marker, &endpoint.spec.id) {
            lowerer.errors.push(SchemaError::new(
                SchemaErrorKind::NameCollision,
                &documents.index_file,
                format!("/endpoints/{i}/id"),
                format!(
                    "endpoints `{other}` and `{}` both get the marker type `{}` in module `{}`; rename one",
                    endpoint.spec.id, endpoint.rust, endpoint.spec.module
                ),
            ));
        }
        let key = (endpoint.spec.module.clone(), endpoint.rust.clone());
        if let Some(other) = lowerer.names.get(&key) {
            lowerer.errors.push(SchemaError::new(
                SchemaErrorKind::NameCollision,
                &other.file,
                &other.pointer,
                format!(
                    "type `{}` collides with the marker type of endpoint `{}` in module `{}`; rename it with `x-rust-name`",
                    endpoint.rust, endpoint.spec.id, endpoint.spec.module
                ),
            ));
        }
    }
    let standalone_messages: Vec<Message> = standalone.iter().map(|s| s.message.clone()).collect();
    check_query_members(
        &endpoints,
        &standalone_messages,
        &lowerer.types,
        &mut lowerer.errors,
    );
    check_path_parameters(documents, &endpoints, &lowerer.types, &mut lowerer.errors);
    check_finite_size(&lowerer.types, &mut lowerer.errors);
    let Lowerer { types, errors, .. } = lowerer;
    let mut types: Vec<TypeDef> = types.into_values().flatten().collect();
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
    errors.into_result(Model {
        modules,
        types,
        endpoints,
        standalone,
    })
}

struct Lowerer<'a> {
    documents: &'a Documents,
    /// Finished or in-progress types (`None` while in progress or after an error).
    types: BTreeMap<TypeId, Option<TypeDef>>,
    /// (module, name) → the type holding that name.
    names: BTreeMap<(String, String), TypeId>,
    /// The `$ref` targets being inlined since the innermost generated type, to report a cycle
    /// of `$ref`s, arrays and maps instead of following it forever.
    resolving: BTreeSet<RefTarget>,
    errors: SchemaErrors,
}

/// The shape of a schema node, decided once from its keywords.
enum Shape {
    Runtime(RuntimeType),
    String,
    Integer,
    Bool,
    Json,
    JsonObject,
    Struct,
    Enum,
    ExclusiveMap,
    Map,
    Array,
}

impl Shape {
    fn is_generated(&self) -> bool {
        matches!(self, Shape::Struct | Shape::Enum | Shape::ExclusiveMap)
    }

    fn allowed(&self) -> &'static [&'static str] {
        match self {
            Shape::Runtime(_) => &[
                "type",
                "format",
                "pattern",
                "not",
                "minimum",
                "maximum",
                "x-rust-type",
                "x-klavi-secret",
                "x-klavi-personal-data",
            ],
            Shape::String => &["type", "minLength", "maxLength"],
            Shape::Integer => &["type", "minimum", "maximum"],
            Shape::Bool | Shape::Json => &["type"],
            Shape::JsonObject => &["type", "additionalProperties"],
            Shape::Struct => &[
                "type",
                "properties",
                "required",
                "additionalProperties",
                "dependentRequired",
                "anyOf",
                "if",
                "then",
                "x-klavi-raw",
            ],
            Shape::Enum => &["type", "enum", "anyOf", "oneOf"],
            Shape::ExclusiveMap => &[
                "type",
                "propertyNames",
                "additionalProperties",
                "dependentSchemas",
                "x-rust-entries-name",
            ],
            Shape::Map => &["type", "propertyNames", "additionalProperties"],
            Shape::Array => &["type", "items", "minItems", "maxItems", "anyOf"],
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Shape::Runtime(_) => "a runtime-typed string",
            Shape::String => "a string",
            Shape::Integer => "an integer",
            Shape::Bool => "a boolean",
            Shape::Json => "any JSON value",
            Shape::JsonObject => "a free-form object",
            Shape::Struct => "an object with properties",
            Shape::Enum => "an enum",
            Shape::ExclusiveMap => "a map with an exclusive key",
            Shape::Map => "a map",
            Shape::Array => "an array",
        }
    }
}

fn type_names(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn text<'v>(node: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    node.get(key).and_then(Value::as_str)
}

fn doc_of(node: &Map<String, Value>) -> String {
    match (text(node, "title"), text(node, "description")) {
        (Some(title), Some(description)) => format!("{title}.\n\n{description}"),
        (Some(title), None) => title.to_owned(),
        (None, Some(description)) => description.to_owned(),
        (None, None) => String::new(),
    }
}

impl<'a> Lowerer<'a> {
    fn error(&mut self, kind: SchemaErrorKind, file: &str, pointer: &str, message: String) {
        self.errors
            .push(SchemaError::new(kind, file, pointer, message));
    }

    fn node(&self, file: &str, pointer: &str) -> Option<&'a Value> {
        self.documents
            .files
            .get(file)
            .and_then(|document| resolve(document, pointer))
    }

    /// Decides the shape of an object node, or reports why it has none.
    fn shape(&mut self, file: &str, pointer: &str, node: &Map<String, Value>) -> Option<Shape> {
        let types = type_names(node);
        let has = |key: &str| node.contains_key(key);
        let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
        let shape = if let Some(name) = text(node, "x-rust-type") {
            RuntimeType::BY_NAME
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, rt)| Shape::Runtime(*rt))?
        } else if flag("x-klavi-secret") {
            Shape::Runtime(RuntimeType::Secret)
        } else if flag("x-klavi-personal-data") && types == ["object"] && !has("properties") {
            Shape::Runtime(RuntimeType::PersonalObject)
        } else if flag("x-klavi-personal-data") {
            Shape::Runtime(RuntimeType::PersonalData)
        } else if let Some(format) = text(node, "format") {
            match format {
                "cpf" => Shape::Runtime(RuntimeType::Cpf),
                "cnpj" => Shape::Runtime(RuntimeType::Cnpj),
                "email" => Shape::Runtime(RuntimeType::Email),
                "uri" => Shape::Runtime(RuntimeType::AbsoluteUri),
                other => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "format"),
                        format!(
                            "format `{other}` needs an `x-rust-type` naming the runtime type that implements it (e.g. `UtcDateTime` for an RFC 3339 UTC timestamp)"
                        ),
                    );
                    return None;
                }
            }
        } else if (has("enum") || has("oneOf") || has("anyOf"))
            && !has("properties")
            && types != ["array"]
        {
            Shape::Enum
        } else if types.len() > 1 {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(pointer, "type"),
                "a union of types needs an `x-rust-type` naming the runtime type that implements it"
                    .into(),
            );
            return None;
        } else {
            match types.first().copied() {
                Some("string") => Shape::String,
                Some("integer") => Shape::Integer,
                Some("boolean") => Shape::Bool,
                Some("array") => Shape::Array,
                Some("object") if has("properties") => Shape::Struct,
                Some("object") if has("dependentSchemas") => Shape::ExclusiveMap,
                Some("object")
                    if node
                        .get("additionalProperties")
                        .is_some_and(Value::is_object) =>
                {
                    Shape::Map
                }
                Some("object") => Shape::JsonObject,
                None if node.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) => Shape::Json,
                Some(other) => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "type"),
                        format!("type `{other}` is not supported by the generator"),
                    );
                    return None;
                }
                None => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        pointer,
                        "a schema without `type` must be an enum (`enum`, `anyOf`/`oneOf` of `const`), a `$ref`, or empty (any JSON value)".into(),
                    );
                    return None;
                }
            }
        };
        let allowed = shape.allowed();
        let mut ok = true;
        for key in node.keys() {
            if !ANNOTATIONS.contains(&key.as_str()) && !allowed.contains(&key.as_str()) {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(pointer, key),
                    format!(
                        "`{key}` is not supported on {} (allowed here: {})",
                        shape.describe(),
                        allowed.join(", ")
                    ),
                );
                ok = false;
            }
        }
        if let Shape::Runtime(rt) = shape
            && let Some(expected) = rt.union_types()
            && types != expected
        {
            self.error(
                SchemaErrorKind::Invalid,
                file,
                pointer,
                format!("this `x-rust-type` needs `\"type\": {expected:?}`"),
            );
            ok = false;
        }
        if let Shape::Runtime(rt) = shape
            && rt.is_string()
            && !types.is_empty()
            && types != ["string"]
        {
            let name = rt.path().rsplit("::").next().unwrap_or_default();
            self.error(
                SchemaErrorKind::Invalid,
                file,
                &join(pointer, "type"),
                format!(
                    "this node is the string type `{name}` (from its `format`, `x-rust-type` or `x-klavi-*` flag), so its `type` must be `\"string\"`, not {types:?}"
                ),
            );
            ok = false;
        }
        ok.then_some(shape)
    }

    /// The type of a value node: a `$ref`, or an inline schema. `context_name` names inline
    /// generated types.
    fn value_ty(
        &mut self,
        file: &str,
        pointer: &str,
        node: &'a Value,
        context_name: &str,
        module: &str,
    ) -> Option<Ty> {
        let Value::Object(map) = node else {
            return match node {
                Value::Bool(true) => Some(Ty::plain(TyKind::Json)),
                _ => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        pointer,
                        "the `false` schema cannot be a value type".into(),
                    );
                    None
                }
            };
        };
        if let Some(reference) = text(map, "$ref") {
            for key in map.keys() {
                if key != "$ref" && !ANNOTATIONS.contains(&key.as_str()) {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, key),
                        format!(
                            "`{key}` beside `$ref` is not supported: put the constraint in the referenced definition"
                        ),
                    );
                    return None;
                }
            }
            let target = match parse_ref(file, reference) {
                Ok(target) => target,
                Err(message) => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "$ref"),
                        message,
                    );
                    return None;
                }
            };
            return self.ref_ty(file, pointer, &target);
        }
        let shape = self.shape(file, pointer, map)?;
        if shape.is_generated() {
            let id = TypeId {
                file: file.to_owned(),
                pointer: pointer.to_owned(),
            };
            self.named(&id, context_name, module, false)?;
            return Some(Ty::plain(TyKind::Named(id)));
        }
        self.inline_ty(file, pointer, map, shape, context_name, module)
    }

    fn ref_ty(&mut self, file: &str, pointer: &str, target: &RefTarget) -> Option<Ty> {
        let Some(node) = self.node(&target.file, &target.pointer) else {
            self.error(
                SchemaErrorKind::DanglingRef,
                file,
                &join(pointer, "$ref"),
                format!(
                    "`$ref` points to `{}#{}`, which does not exist",
                    target.file, target.pointer
                ),
            );
            return None;
        };
        let default_name = target
            .pointer
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let stem = target.file.rsplit('/').next().unwrap_or(&target.file);
                stem.trim_end_matches(".json").to_owned()
            });
        let module = module_of_file(&target.file);
        if !self.resolving.insert(target.clone()) {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(pointer, "$ref"),
                format!(
                    "`$ref` cycle: `{}#{}` contains itself through `$ref`s, arrays or maps only; only an object type can contain itself",
                    target.file, target.pointer
                ),
            );
            return None;
        }
        // No early return until the target leaves `resolving` again.
        let ty = match node {
            Value::Object(map) if text(map, "$ref").is_none() => {
                match self.shape(&target.file, &target.pointer, map) {
                    Some(shape) if shape.is_generated() => {
                        let id = TypeId {
                            file: target.file.clone(),
                            pointer: target.pointer.clone(),
                        };
                        self.named(&id, &default_name, &module, false)
                            .map(|_| Ty::plain(TyKind::Named(id)))
                    }
                    Some(shape) => self.inline_ty(
                        &target.file,
                        &target.pointer,
                        map,
                        shape,
                        &default_name,
                        &module,
                    ),
                    None => None,
                }
            }
            _ => self.value_ty(&target.file, &target.pointer, node, &default_name, &module),
        };
        self.resolving.remove(target);
        ty
    }

    /// Types that are not generated: runtime types, primitives, arrays, maps, JSON.
    fn inline_ty(
        &mut self,
        file: &str,
        pointer: &str,
        map: &'a Map<String, Value>,
        shape: Shape,
        context_name: &str,
        module: &str,
    ) -> Option<Ty> {
        let count = |key: &str| map.get(key).and_then(Value::as_u64);
        let int = |key: &str| map.get(key).and_then(Value::as_i64);
        let mut checks = Vec::new();
        let kind = match shape {
            Shape::Runtime(rt) => TyKind::Runtime(rt),
            Shape::String => {
                checks.extend(count("minLength").map(Check::MinLength));
                checks.extend(count("maxLength").map(Check::MaxLength));
                TyKind::String
            }
            Shape::Integer => {
                for key in ["minimum", "maximum"] {
                    if map.contains_key(key) && int(key).is_none() {
                        self.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(pointer, key),
                            format!("`{key}` must fit in an i64"),
                        );
                        return None;
                    }
                }
                checks.extend(int("minimum").map(Check::Minimum));
                checks.extend(int("maximum").map(Check::Maximum));
                TyKind::Integer
            }
            Shape::Bool => TyKind::Bool,
            Shape::Json => TyKind::Json,
            Shape::JsonObject => {
                if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "additionalProperties"),
                        "an object with no properties and `additionalProperties: false` can only be empty; declare its properties".into(),
                    );
                    return None;
                }
                TyKind::JsonObject
            }
            Shape::Array => {
                let item_name = format!("{context_name}Item");
                let items = match map.get("items") {
                    Some(items) => {
                        self.value_ty(file, &join(pointer, "items"), items, &item_name, module)?
                    }
                    None => Ty::plain(TyKind::Json),
                };
                checks.extend(count("minItems").map(Check::MinItems));
                checks.extend(count("maxItems").map(Check::MaxItems));
                if let Some(branches) = map.get("anyOf") {
                    let Some(item) = alone_item(branches) else {
                        self.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(pointer, "anyOf"),
                            "on an array, `anyOf` is supported only as `[{\"not\": {\"contains\": {\"const\": ITEM}}}, {\"maxItems\": 1}]` (ITEM may only stand alone)".into(),
                        );
                        return None;
                    };
                    checks.push(Check::AloneItem(item));
                }
                TyKind::Vec(Box::new(items))
            }
            Shape::Map => {
                let key = match map.get("propertyNames") {
                    Some(names) => {
                        let key_name = format!("{context_name}Key");
                        let key = self.value_ty(
                            file,
                            &join(pointer, "propertyNames"),
                            names,
                            &key_name,
                            module,
                        )?;
                        self.require_string_like(file, &join(pointer, "propertyNames"), &key)?;
                        key
                    }
                    None => Ty::plain(TyKind::String),
                };
                let value_node = map.get("additionalProperties")?;
                let value = self.value_ty(
                    file,
                    &join(pointer, "additionalProperties"),
                    value_node,
                    &format!("{context_name}Value"),
                    module,
                )?;
                TyKind::Map(Box::new(key), Box::new(value))
            }
            Shape::Struct | Shape::Enum | Shape::ExclusiveMap => return None,
        };
        Some(Ty { kind, checks })
    }

    fn require_string_like(&mut self, file: &str, pointer: &str, ty: &Ty) -> Option<()> {
        let ok = match &ty.kind {
            TyKind::String => true,
            TyKind::Runtime(rt) => rt.is_string(),
            TyKind::Named(id) => {
                let node = self.node(&id.file, &id.pointer).and_then(Value::as_object);
                node.is_some_and(|n| {
                    n.contains_key("enum") || n.contains_key("anyOf") || n.contains_key("oneOf")
                })
            }
            _ => false,
        };
        if ok {
            Some(())
        } else {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                pointer,
                "map keys and enum fallbacks must be strings or string enums".into(),
            );
            None
        }
    }

    /// The type of a message: its root node, or, when the root is only a `$ref` (two messages
    /// with one shape), the generated type it points to.
    fn message_type(&mut self, root: &TypeId, default_name: &str, module: &str) -> Option<TypeId> {
        let node = self.node(&root.file, &root.pointer)?;
        if let Value::Bool(value) = node {
            self.error(
                SchemaErrorKind::Unsupported,
                &root.file,
                &root.pointer,
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
                    .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()))
        });
        if !is_alias {
            self.named(root, default_name, module, true)?;
            return Some(root.clone());
        }
        match self
            .value_ty(&root.file, "", node, default_name, module)?
            .kind
        {
            TyKind::Named(id) => Some(id),
            _ => {
                self.error(
                    SchemaErrorKind::Unsupported,
                    &root.file,
                    "/$ref",
                    "a message that is only a `$ref` must point to an object or enum definition"
                        .into(),
                );
                None
            }
        }
    }

    /// Registers and lowers a generated type; `None` when it cannot be (the error is recorded).
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
            self.error(
                SchemaErrorKind::DanglingRef,
                &id.file,
                &id.pointer,
                "no schema object here".into(),
            );
            return None;
        };
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
            self.error(
                SchemaErrorKind::Invalid,
                &id.file,
                &id.pointer,
                format!("`{name}` is not a valid Rust type name"),
            );
            return None;
        }
        if !self.documents.index.modules.contains_key(module) {
            self.error(
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
            self.error(
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
        let body = self
            .shape(&id.file, &id.pointer, map)
            .and_then(|shape| match shape {
                Shape::Struct => self.struct_body(id, &name, module, map),
                Shape::Enum => self.enum_body(id, &name, module, map),
                Shape::ExclusiveMap => self.exclusive_map_body(id, &name, module, map),
                other if is_message_root => self
                    .inline_ty(&id.file, &id.pointer, map, other, &name, module)
                    .map(TypeBody::Newtype),
                _ => None,
            });
        self.resolving = outer;
        let body = body?;
        let def = TypeDef {
            id: id.clone(),
            name: name.clone(),
            module: module.to_owned(),
            doc: doc_of(map),
            body,
            schema: String::new(),
        };
        self.types.insert(id.clone(), Some(def));
        Some(())
    }

    fn struct_body(
        &mut self,
        id: &TypeId,
        name: &str,
        module: &str,
        map: &'a Map<String, Value>,
    ) -> Option<TypeBody> {
        let file = id.file.as_str();
        let properties_at = join(&id.pointer, "properties");
        let properties = map.get("properties").and_then(Value::as_object)?;
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for missing in required.iter().filter(|r| !properties.contains_key(**r)) {
            self.error(
                SchemaErrorKind::Invalid,
                file,
                &join(&id.pointer, "required"),
                format!("`{missing}` is required but not declared in `properties`"),
            );
        }
        let mut fields = Vec::new();
        let mut rust_names = BTreeMap::new();
        let mut ok = true;
        for (wire, node) in properties {
            let at = join(&properties_at, wire);
            let node_map = node.as_object();
            let rust = node_map
                .and_then(|m| text(m, "x-rust-name"))
                .map(str::to_owned)
                .unwrap_or_else(|| names::field_name(wire));
            if !names::is_identifier(&rust) {
                self.error(
                    SchemaErrorKind::Invalid,
                    file,
                    &at,
                    format!("`{rust}` is not a valid Rust field name; set `x-rust-name`"),
                );
                ok = false;
                continue;
            }
            let is_alias = properties.values().any(|p| {
                p.get("x-klavi-aliases")
                    .and_then(Value::as_array)
                    .is_some_and(|list| list.iter().any(|a| a.as_str() == Some(wire)))
            });
            if is_alias {
                // Read into the member that lists it in `x-klavi-aliases`: no field of its own.
            } else if let Some(other) = rust_names.insert(rust.clone(), wire.clone()) {
                self.error(
                    SchemaErrorKind::NameCollision,
                    file,
                    &at,
                    format!(
                        "properties `{other}` and `{wire}` both become the Rust field `{rust}`; rename one with `x-rust-name`"
                    ),
                );
                ok = false;
                continue;
            }
            if let Some(tag) = node_map
                .and_then(|m| m.get("const"))
                .and_then(Value::as_str)
            {
                let extra =
                    node_map.and_then(|m| key_outside(m, &["const", "description", "title"]));
                if let Some(key) = extra {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(&at, key),
                        format!("`{key}` is not supported beside `const` on a member"),
                    );
                    ok = false;
                    continue;
                }
                fields.push(Field {
                    wire: wire.clone(),
                    rust,
                    doc: String::new(),
                    ty: Ty::plain(TyKind::String),
                    required: required.contains(wire.as_str()),
                    deprecated: false,
                    tag: Some(tag.to_owned()),
                    aliases: Vec::new(),
                });
                continue;
            }
            let context = format!("{name}{}", names::type_name(wire));
            let Some(ty) = self.value_ty(file, &at, node, &context, module) else {
                ok = false;
                continue;
            };
            let mut doc = node_map.map(doc_of).unwrap_or_default();
            if doc.is_empty()
                && let TyKind::Named(target) = &ty.kind
                && let Some(Value::Object(target)) = self.node(&target.file, &target.pointer)
            {
                doc = doc_of(target);
            }
            let deprecated = node_map.and_then(|m| m.get("deprecated")) == Some(&Value::Bool(true));
            fields.push(Field {
                wire: wire.clone(),
                rust,
                doc,
                ty,
                required: required.contains(wire.as_str()),
                deprecated,
                tag: None,
                aliases: node_map
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
        if map.contains_key("x-klavi-raw")
            && map.get("additionalProperties") != Some(&Value::Bool(true))
        {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(&id.pointer, "x-klavi-raw"),
                "`x-klavi-raw` keeps undeclared members as exact JSON: it needs `additionalProperties: true`".into(),
            );
            ok = false;
        }
        if fields.iter().any(|f| f.rust == "extra")
            && map.get("additionalProperties") == Some(&Value::Bool(true))
        {
            self.error(
                SchemaErrorKind::NameCollision,
                file,
                &properties_at,
                "a property named `extra` collides with the map of undeclared members; rename it with `x-rust-name`".into(),
            );
            ok = false;
        }
        let unknown = match map.get("additionalProperties") {
            None => UnknownFields::Ignore,
            Some(Value::Bool(false)) => UnknownFields::Deny,
            Some(Value::Bool(true)) if map.get("x-klavi-raw") == Some(&Value::Bool(true)) => {
                UnknownFields::KeepRaw
            }
            Some(Value::Bool(true)) => UnknownFields::Keep,
            Some(_) => {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(&id.pointer, "additionalProperties"),
                    "beside `properties`, `additionalProperties` must be `true` or `false`".into(),
                );
                return None;
            }
        };
        if unknown != UnknownFields::Ignore
            && let Some(field) = fields.iter().find(|f| f.tag.is_some())
        {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(&properties_at, &field.wire),
                "a `const` member (a union tag) needs an object that ignores unknown members (no `additionalProperties`)".into(),
            );
            return None;
        }
        let index_of = |fields: &[Field], wire: &str| fields.iter().position(|f| f.wire == wire);
        let mut rules = Vec::new();
        if map.contains_key("if") || map.contains_key("then") {
            match conditional_required(map, &fields) {
                Some(rule) => rules.push(rule),
                None => {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(&id.pointer, "if"),
                        "`if`/`then` is supported only as `if: {properties: {MEMBER: {const: VALUE}}, required: [MEMBER]}, then: {required: [...]}`, naming declared members".into(),
                    );
                    ok = false;
                }
            }
        }
        if let Some(dependent) = map.get("dependentRequired").and_then(Value::as_object) {
            for (trigger, list) in dependent {
                let at = join(&join(&id.pointer, "dependentRequired"), trigger);
                let names: Vec<&str> = list
                    .as_array()
                    .map(|l| l.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let trigger_index = index_of(&fields, trigger);
                let required_indexes: Option<Vec<usize>> =
                    names.iter().map(|n| index_of(&fields, n)).collect();
                match (trigger_index, required_indexes) {
                    (Some(trigger), Some(required)) => {
                        rules.push(Rule::Dependent { trigger, required })
                    }
                    _ => {
                        self.error(
                            SchemaErrorKind::Invalid,
                            file,
                            &at,
                            "`dependentRequired` names a property not declared in `properties`"
                                .into(),
                        );
                        ok = false;
                    }
                }
            }
        }
        if let Some(branches) = map.get("anyOf").and_then(Value::as_array) {
            let mut alternatives = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                let at = format!("{}/anyOf/{i}", id.pointer);
                let list = branch.as_object().and_then(|b| {
                    (b.len() == 1)
                        .then(|| b.get("required").and_then(Value::as_array))
                        .flatten()
                });
                let Some(list) = list else {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &at,
                        "on an object, `anyOf` is supported only as alternatives of `required` lists (`[{\"required\": [\"a\"]}, {\"required\": [\"b\"]}]`)".into(),
                    );
                    ok = false;
                    continue;
                };
                let indexes: Option<Vec<usize>> = list
                    .iter()
                    .map(|n| n.as_str().and_then(|n| index_of(&fields, n)))
                    .collect();
                match indexes {
                    Some(indexes) if !indexes.is_empty() => alternatives.push(indexes),
                    _ => {
                        self.error(
                            SchemaErrorKind::Invalid,
                            file,
                            &at,
                            "each `required` alternative must list declared properties".into(),
                        );
                        ok = false;
                    }
                }
            }
            rules.push(Rule::AnyOf(alternatives));
        }
        ok.then_some(TypeBody::Struct {
            fields,
            unknown,
            rules,
        })
    }

    fn enum_body(
        &mut self,
        id: &TypeId,
        name: &str,
        module: &str,
        map: &'a Map<String, Value>,
    ) -> Option<TypeBody> {
        let file = id.file.as_str();
        let types = type_names(map);
        let integer = types == ["integer"]
            || (types.is_empty() && first_const(map).is_some_and(|v| v.is_i64() || v.is_u64()));
        if integer {
            return self.int_enum_body(id, map);
        }
        let union = ["anyOf", "oneOf"].into_iter().find_map(|k| {
            map.get(k)
                .and_then(Value::as_array)
                .filter(|list| list.iter().all(|b| b.get("const").is_none()))
                .map(|list| (k, list))
        });
        if let Some((keyword, list)) = union {
            return self.union_body(id, name, module, keyword, list);
        }
        if !(types.is_empty() || types == ["string"]) {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(&id.pointer, "type"),
                "only string and integer enums are supported".into(),
            );
            return None;
        }
        let present: Vec<&str> = ["enum", "anyOf", "oneOf"]
            .into_iter()
            .filter(|k| map.contains_key(*k))
            .collect();
        if present.len() != 1 {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &id.pointer,
                format!(
                    "an enum is written with exactly one of `enum`, `anyOf`, `oneOf` (found {})",
                    present.join(", ")
                ),
            );
            return None;
        }
        let keyword = present[0];
        let list = map.get(keyword).and_then(Value::as_array)?;
        let mut variants: Vec<Variant> = Vec::new();
        let mut fallback: Option<Fallback> = None;
        let mut ok = true;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{}/{keyword}/{i}", id.pointer);
            if keyword == "enum" {
                match item.as_str() {
                    Some(wire) => variants.push(Variant {
                        wire: wire.to_owned(),
                        rust: names::type_name(wire),
                        doc: format!("The value `{wire}`."),
                    }),
                    None => {
                        self.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &at,
                            "only string enum values are supported".into(),
                        );
                        ok = false;
                    }
                }
                continue;
            }
            let Some(branch) = item.as_object() else {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an enum branch must be an object".into(),
                );
                ok = false;
                continue;
            };
            if let Some(value) = branch.get("const") {
                let extra = key_outside(branch, CONST_BRANCH);
                match (value.as_str(), extra) {
                    (Some(wire), None) => {
                        let rust = text(branch, "x-rust-name")
                            .map(str::to_owned)
                            .unwrap_or_else(|| names::type_name(wire));
                        let doc = text(branch, "description")
                            .map(str::to_owned)
                            .unwrap_or_else(|| format!("The value `{wire}`."));
                        variants.push(Variant {
                            wire: wire.to_owned(),
                            rust,
                            doc,
                        });
                    }
                    (None, _) => {
                        self.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(&at, "const"),
                            "only string constants are supported in enums".into(),
                        );
                        ok = false;
                    }
                    (_, Some(key)) => {
                        self.error(
                            SchemaErrorKind::Unsupported,
                            file,
                            &join(&at, key),
                            format!("`{key}` is not supported beside `const` in an enum branch"),
                        );
                        ok = false;
                    }
                }
                continue;
            }
            // The catch-all branch of an open enum.
            if keyword == "oneOf" {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an open enum must use `anyOf`: with `oneOf`, a known value would match both its `const` and the catch-all branch".into(),
                );
                ok = false;
                continue;
            }
            if fallback.is_some() {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an open enum has at most one catch-all branch".into(),
                );
                ok = false;
                continue;
            }
            let is_plain_string = is_catch_all(branch, "string");
            let ty = if is_plain_string {
                Ty::plain(TyKind::String)
            } else if branch.contains_key("$ref") {
                let context = format!("{name}Other");
                let Some(ty) = self.value_ty(file, &at, item, &context, module) else {
                    ok = false;
                    continue;
                };
                if self.require_string_like(file, &at, &ty).is_none() {
                    ok = false;
                    continue;
                }
                ty
            } else {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an enum branch is either `{\"const\": \"VALUE\"}` or the catch-all of an open enum (`{\"type\": \"string\"}` or a `$ref` to a string type)".into(),
                );
                ok = false;
                continue;
            };
            let default = if matches!(ty.kind, TyKind::String) {
                "Unknown".to_owned()
            } else {
                "Other".to_owned()
            };
            let rust = text(branch, "x-rust-name")
                .map(str::to_owned)
                .unwrap_or(default);
            let doc = text(branch, "description")
                .map(str::to_owned)
                .unwrap_or_else(|| "Any other value.".to_owned());
            fallback = Some(Fallback { rust, doc, ty });
        }
        let names = variants
            .iter()
            .map(|v| (v.rust.clone(), v.wire.clone()))
            .chain(fallback.iter().map(|f| (f.rust.clone(), f.rust.clone())));
        ok &= self.variants_ok(id, keyword, variants.len(), names);
        ok.then_some(TypeBody::Enum { variants, fallback })
    }

    /// `anyOf: [T, {type: array, items: T}]` (the same `T`): one value or an array of them.
    fn one_or_many(
        &mut self,
        id: &TypeId,
        keyword: &str,
        list: &'a [Value],
        name: &str,
        module: &str,
    ) -> Option<Ty> {
        let [one, many] = list else {
            return None;
        };
        let many = many.as_object()?;
        let shape_ok = keyword == "anyOf"
            && many.get("type") == Some(&Value::String("array".into()))
            && many
                .keys()
                .all(|k| matches!(k.as_str(), "type" | "items" | "description" | "title"))
            && many.get("items") == Some(one);
        if !shape_ok {
            return None;
        }
        let item = self.value_ty(
            &id.file,
            &format!("{}/{keyword}/0", id.pointer),
            one,
            &format!("{name}Item"),
            module,
        )?;
        Some(Ty::plain(TyKind::OneOrMany(Box::new(item))))
    }

    fn union_body(
        &mut self,
        id: &TypeId,
        name: &str,
        module: &str,
        keyword: &str,
        list: &'a [Value],
    ) -> Option<TypeBody> {
        let file = id.file.as_str();
        if let Some(ty) = self.one_or_many(id, keyword, list, name, module) {
            return Some(TypeBody::Newtype(ty));
        }
        let mut members = Vec::new();
        let mut open = None;
        for (i, branch) in list.iter().enumerate() {
            let at = format!("{}/{keyword}/{i}", id.pointer);
            let Some(object) = branch.as_object() else {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "a union branch must be an object".into(),
                );
                return None;
            };
            let catch_all = is_catch_all(object, "object");
            if catch_all && keyword == "anyOf" && open.is_none() {
                open = Some((
                    text(object, "x-rust-name").unwrap_or("Unknown").to_owned(),
                    text(object, "description")
                        .unwrap_or("An object of a kind this version does not know.")
                        .to_owned(),
                ));
                continue;
            }
            let context = format!("{name}Variant{i}");
            let ty = self.value_ty(file, &at, branch, &context, module)?;
            let TyKind::Named(variant) = ty.kind else {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "a union branch must be an object type (a `$ref` to one, or an inline object)"
                        .into(),
                );
                return None;
            };
            members.push((at, text(object, "x-rust-name").map(str::to_owned), variant));
        }
        // The tag: a member that is a `const` in every variant.
        let tags_of = |this: &Self, variant: &TypeId| -> Vec<(String, String, String)> {
            match this.types.get(variant) {
                Some(Some(TypeDef {
                    body: TypeBody::Struct { fields, .. },
                    doc,
                    ..
                })) => fields
                    .iter()
                    .filter_map(|f| f.tag.clone().map(|t| (f.wire.clone(), t, doc.clone())))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let first = members
            .first()
            .map(|(_, _, v)| tags_of(self, v))
            .unwrap_or_default();
        let tag = first.iter().map(|(wire, _, _)| wire.clone()).find(|wire| {
            members
                .iter()
                .all(|(_, _, v)| tags_of(self, v).iter().any(|(w, _, _)| w == wire))
        });
        let Some(tag) = tag else {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(&id.pointer, keyword),
                "a union of objects needs a tag: one member that is a string `const` in every variant (e.g. `\"mfaType\": {\"const\": \"basic\"}`)".into(),
            );
            return None;
        };
        let mut variants: Vec<(String, String, String, TypeId)> = Vec::new();
        for (at, rust, variant) in members {
            let (_, value, doc) = tags_of(self, &variant)
                .into_iter()
                .find(|(w, _, _)| *w == tag)?;
            if variants.iter().any(|(v, ..)| *v == value) {
                self.error(
                    SchemaErrorKind::NameCollision,
                    file,
                    &at,
                    format!("two variants have the tag `{value}`"),
                );
                return None;
            }
            let rust = rust.unwrap_or_else(|| names::type_name(&value));
            variants.push((value, rust, doc, variant));
        }
        Some(TypeBody::TaggedUnion {
            tag,
            variants,
            open,
        })
    }

    fn int_enum_body(&mut self, id: &TypeId, map: &'a Map<String, Value>) -> Option<TypeBody> {
        let file = id.file.as_str();
        let keyword = ["enum", "anyOf", "oneOf"]
            .into_iter()
            .find(|k| map.contains_key(*k))?;
        let list = map.get(keyword).and_then(Value::as_array)?;
        let mut variants = Vec::new();
        let mut open = None;
        let mut ok = true;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{}/{keyword}/{i}", id.pointer);
            let (value, branch) = if keyword == "enum" {
                (item.as_i64(), None)
            } else {
                let branch = item.as_object();
                (
                    branch.and_then(|b| b.get("const")).and_then(Value::as_i64),
                    branch,
                )
            };
            if let Some(value) = value {
                let extra = branch.and_then(|b| key_outside(b, CONST_BRANCH));
                if let Some(key) = extra {
                    self.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(&at, key),
                        format!("`{key}` is not supported beside `const` in an enum branch"),
                    );
                    ok = false;
                    continue;
                }
                let rust = branch
                    .and_then(|b| text(b, "x-rust-name"))
                    .map(str::to_owned)
                    .unwrap_or_else(|| names::type_name(&value.to_string()));
                let doc = branch
                    .and_then(|b| text(b, "description"))
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("The value `{value}`."));
                variants.push(crate::model::IntVariant { value, rust, doc });
                continue;
            }
            let catch_all = keyword == "anyOf"
                && open.is_none()
                && branch.is_some_and(|b| is_catch_all(b, "integer"));
            if catch_all {
                let branch = branch?;
                open = Some((
                    text(branch, "x-rust-name").unwrap_or("Unknown").to_owned(),
                    text(branch, "description")
                        .unwrap_or("Any other value.")
                        .to_owned(),
                ));
            } else if keyword == "enum" {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an integer enum lists integers (that fit in an i64) only: mixing strings and integers is not supported".into(),
                );
                ok = false;
            } else {
                self.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &at,
                    "an integer enum branch is `{\"const\": N}`, or (in `anyOf`, once) the catch-all `{\"type\": \"integer\"}`".into(),
                );
                ok = false;
            }
        }
        let names = variants
            .iter()
            .map(|v| (v.rust.clone(), v.value.to_string()))
            .chain(open.iter().map(|(n, _)| (n.clone(), n.clone())));
        ok &= self.variants_ok(id, keyword, variants.len(), names);
        ok.then_some(TypeBody::IntEnum { variants, open })
    }

    /// Reports two values that become one variant name, and an enum without known values
    /// (`known` of them); `names` are (variant name, wire value) pairs.
    fn variants_ok(
        &mut self,
        id: &TypeId,
        keyword: &str,
        known: usize,
        names: impl Iterator<Item = (String, String)>,
    ) -> bool {
        let mut ok = true;
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (rust, wire) in names {
            if let Some(other) = seen.insert(rust.clone(), wire.clone()) {
                self.error(
                    SchemaErrorKind::NameCollision,
                    &id.file,
                    &join(&id.pointer, keyword),
                    format!(
                        "`{other}` and `{wire}` both become the variant `{rust}`; rename one with `x-rust-name`"
                    ),
                );
                ok = false;
            }
        }
        if known == 0 {
            self.error(
                SchemaErrorKind::Unsupported,
                &id.file,
                &id.pointer,
                "an enum needs at least one known value".into(),
            );
            ok = false;
        }
        ok
    }

    fn exclusive_map_body(
        &mut self,
        id: &TypeId,
        name: &str,
        module: &str,
        map: &'a Map<String, Value>,
    ) -> Option<TypeBody> {
        let file = id.file.as_str();
        const SHAPE: &str = "a map with an exclusive key is written as `propertyNames: {anyOf: [{const: KEY}, OTHER_KEYS]}`, `additionalProperties: VALUE`, `dependentSchemas: {KEY: {maxProperties: 1}}`";
        let fail = |this: &mut Self, pointer: String| {
            this.error(SchemaErrorKind::Unsupported, file, &pointer, SHAPE.into());
            None
        };
        let dependent = map.get("dependentSchemas").and_then(Value::as_object)?;
        let (key, rule) = match dependent.iter().next() {
            Some(entry) if dependent.len() == 1 => entry,
            _ => return fail(self, join(&id.pointer, "dependentSchemas")),
        };
        let rule_ok = rule
            .as_object()
            .is_some_and(|r| r.len() == 1 && r.get("maxProperties") == Some(&Value::from(1)));
        if !rule_ok {
            return fail(self, join(&join(&id.pointer, "dependentSchemas"), key));
        }
        let names_at = join(&id.pointer, "propertyNames");
        let branches = map
            .get("propertyNames")
            .and_then(Value::as_object)
            .filter(|p| p.len() == 1)
            .and_then(|p| p.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|b| b.len() == 2);
        let Some(branches) = branches else {
            return fail(self, names_at);
        };
        let exclusive_index = branches.iter().position(|b| {
            b.as_object()
                .and_then(|b| b.get("const"))
                .and_then(Value::as_str)
                == Some(key.as_str())
        });
        let Some(exclusive_index) = exclusive_index else {
            return fail(self, names_at);
        };
        let exclusive = branches[exclusive_index].as_object()?;
        let other_index = 1 - exclusive_index;
        let key_ty = self.value_ty(
            file,
            &format!("{names_at}/anyOf/{other_index}"),
            &branches[other_index],
            &format!("{name}Key"),
            module,
        )?;
        self.require_string_like(file, &names_at, &key_ty)?;
        let value_node = map.get("additionalProperties").filter(|v| v.is_object());
        let Some(value_node) = value_node else {
            return fail(self, join(&id.pointer, "additionalProperties"));
        };
        let value_ty = self.value_ty(
            file,
            &join(&id.pointer, "additionalProperties"),
            value_node,
            &format!("{name}Value"),
            module,
        )?;
        let exclusive_variant = text(exclusive, "x-rust-name")
            .map(str::to_owned)
            .unwrap_or_else(|| names::type_name(key));
        let entries_variant = text(map, "x-rust-entries-name")
            .unwrap_or("Entries")
            .to_owned();
        if exclusive_variant == entries_variant {
            self.error(
                SchemaErrorKind::NameCollision,
                file,
                &id.pointer,
                format!(
                    "the `{key}` key and the other entries both become the variant `{entries_variant}`; rename one with `x-rust-name` (on the `const` branch) or `x-rust-entries-name`"
                ),
            );
            return None;
        }
        Some(TypeBody::ExclusiveMap {
            key: key.clone(),
            exclusive_variant,
            exclusive_doc: text(exclusive, "description")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("The `{key}` key alone.")),
            entries_variant,
            key_ty,
            value_ty,
        })
    }
}

/// Query parameters are flat: each member is a string, an integer, a boolean, a string format or
/// a string enum (never a credential, which must not travel in a URL).
fn check_query_members(
    endpoints: &[Endpoint],
    standalone: &[Message],
    types: &BTreeMap<TypeId, Option<TypeDef>>,
    errors: &mut SchemaErrors,
) {
    let queries = endpoints
        .iter()
        .flat_map(|e| &e.messages)
        .chain(standalone)
        .filter(|m| m.kind == MessageKind::Query);
    for message in queries {
        let Some(Some(def)) = types.get(&message.ty) else {
            continue;
        };
        let TypeBody::Struct { fields, .. } = &def.body else {
            errors.push(SchemaError::new(
                SchemaErrorKind::Unsupported,
                &message.file,
                "",
                "a query message must be an object with properties",
            ));
            continue;
        };
        for field in fields {
            let scalar = match &field.ty.kind {
                TyKind::String | TyKind::Integer | TyKind::Bool => true,
                TyKind::Runtime(rt) => {
                    rt.is_string() && *rt != RuntimeType::Secret || *rt == RuntimeType::Seconds
                }
                TyKind::Named(id) => matches!(
                    types.get(id),
                    Some(Some(TypeDef {
                        body: TypeBody::Enum { .. },
                        ..
                    }))
                ),
                _ => false,
            };
            if !scalar {
                errors.push(SchemaError::new(
                    SchemaErrorKind::Unsupported,
                    &message.file,
                    join("/properties", &field.wire),
                    "query parameters must be scalars (string, integer, boolean, string format or string enum) and never credentials",
                ));
            }
        }
    }
}

/// A generated type that holds itself with no array or map in between would have infinite size
/// (`struct Node { next: Option<Node> }`): each type on such a cycle is an error.
fn check_finite_size(types: &BTreeMap<TypeId, Option<TypeDef>>, errors: &mut SchemaErrors) {
    for (id, def) in types {
        let Some(def) = def else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut stack = held_types(def);
        while let Some(next) = stack.pop() {
            if next == *id {
                errors.push(SchemaError::new(
                    SchemaErrorKind::Unsupported,
                    &id.file,
                    &id.pointer,
                    format!(
                        "`{}` contains itself with no array or map in between, so it would have infinite size; make the recursive member an array",
                        def.name
                    ),
                ));
                break;
            }
            if let Some(Some(held)) = types.get(&next)
                && seen.insert(next)
            {
                stack.extend(held_types(held));
            }
        }
    }
}

/// The generated types a value of `def` holds inline (not behind a `Vec` or a map).
fn held_types(def: &TypeDef) -> Vec<TypeId> {
    fn held(ty: &Ty, out: &mut Vec<TypeId>) {
        match &ty.kind {
            TyKind::Named(id) => out.push(id.clone()),
            // `OneOrMany::One` holds its item inline.
            TyKind::OneOrMany(item) => held(item, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &def.body {
        TypeBody::Struct { fields, .. } => fields.iter().for_each(|f| held(&f.ty, &mut out)),
        TypeBody::Enum { fallback, .. } => fallback.iter().for_each(|f| held(&f.ty, &mut out)),
        TypeBody::ExclusiveMap { value_ty, .. } => held(value_ty, &mut out),
        TypeBody::Newtype(ty) => held(ty, &mut out),
        TypeBody::TaggedUnion { variants, .. } => {
            out.extend(variants.iter().map(|(.., variant)| variant.clone()));
        }
        TypeBody::IntEnum { .. } => {}
    }
    out
}

/// The item of `anyOf: [{not: {contains: {const: ITEM}}}, {maxItems: 1}]`.
fn alone_item(branches: &Value) -> Option<String> {
    let [first, second] = branches.as_array()?.as_slice() else {
        return None;
    };
    let item = first
        .as_object()
        .filter(|b| b.len() == 1)?
        .get("not")?
        .as_object()
        .filter(|n| n.len() == 1)?
        .get("contains")?
        .as_object()
        .filter(|c| c.len() == 1)?
        .get("const")?
        .as_str()?;
    let second = second.as_object()?;
    (second.len() == 1 && second.get("maxItems") == Some(&Value::from(1))).then(|| item.to_owned())
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

/// The first `const` (or `enum` value) of an enum node, to tell integer enums from string ones.
fn first_const(map: &Map<String, Value>) -> Option<&Value> {
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values.first();
    }
    ["anyOf", "oneOf"]
        .into_iter()
        .filter_map(|k| map.get(k).and_then(Value::as_array))
        .flatten()
        .find_map(|branch| branch.get("const"))
}

/// Every `{name}` of a path template is a required string-like member of the endpoint's path
/// message, and every member of the path message appears in the template.
fn check_path_parameters(
    documents: &Documents,
    endpoints: &[Endpoint],
    types: &BTreeMap<TypeId, Option<TypeDef>>,
    errors: &mut SchemaErrors,
) {
    for (i, endpoint) in endpoints.iter().enumerate() {
        let template: Vec<&str> = endpoint
            .spec
            .path
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        let fields: Vec<&Field> = endpoint
            .messages
            .iter()
            .find(|m| m.kind == MessageKind::Path)
            .and_then(|m| types.get(&m.ty))
            .and_then(Option::as_ref)
            .map(|def| match &def.body {
                TypeBody::Struct { fields, .. } => fields.iter().collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let at = format!("/endpoints/{i}/path");
        let mut problem = |message: String| {
            errors.push(SchemaError::new(
                SchemaErrorKind::Invalid,
                &documents.index_file,
                &at,
                message,
            ));
        };
        for name in &template {
            match fields.iter().find(|f| f.wire == *name) {
                None => problem(format!(
                    "path parameter `{{{name}}}` is not a member of the endpoint's `path` message"
                )),
                Some(field) if !field.required => problem(format!(
                    "path parameter `{name}` must be required in the `path` message"
                )),
                Some(field) => {
                    let scalar = matches!(field.ty.kind, TyKind::String | TyKind::Integer)
                        || matches!(field.ty.kind, TyKind::Runtime(rt) if rt.is_string() && rt != RuntimeType::Secret);
                    if !scalar {
                        problem(format!(
                            "path parameter `{name}` must be a string or an integer"
                        ));
                    }
                }
            }
        }
        for field in &fields {
            if !template.contains(&field.wire.as_str()) {
                problem(format!(
                    "member `{}` of the `path` message does not appear in the path template",
                    field.wire
                ));
            }
        }
    }
}

/// The module a file's definitions belong to: its directory (`links/defs.json` → `links`), or
/// its stem for a top-level file (`common.json` → `common`).
pub fn module_of_file(file: &str) -> String {
    match file.split_once('/') {
        Some((directory, _)) => directory.to_owned(),
        None => file.trim_end_matches(".json").to_owned(),
    }
}
