//! Modelling: turns the checked schema documents into the [`Model`]. Each JSON Schema shape the
//! generator understands maps to exactly one Rust shape; a keyword used in any other shape is an
//! error naming the file and JSON Pointer, never ignored.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};
use crate::index::MessageKind;
use crate::load::{Documents, RefTarget, parse_ref};
use crate::model::{
    Check, Endpoint, Fallback, Field, Message, Model, Module, Rule, RuntimeType, Ty, TyKind,
    TypeBody, TypeDef, TypeId, UnknownFields, Variant,
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
];

/// Builds the model from loaded and checked documents.
pub fn lower(documents: &Documents) -> Result<Model, SchemaErrors> {
    let mut lowerer = Lowerer {
        documents,
        types: BTreeMap::new(),
        names: BTreeMap::new(),
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
            let id = TypeId {
                file: file.clone(),
                pointer: String::new(),
            };
            let default_name = format!(
                "{}{}",
                names::type_name(&spec.id),
                names::type_name(kind.as_str())
            );
            if lowerer
                .named(&id, &default_name, &spec.module, true)
                .is_some()
            {
                messages.push(Message {
                    id: spec.message_id(kind),
                    kind,
                    ty: id,
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
    for endpoint in &endpoints {
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
    check_query_members(&endpoints, &lowerer.types, &mut lowerer.errors);
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
    })
}

struct Lowerer<'a> {
    documents: &'a Documents,
    /// Finished or in-progress types (`None` while in progress or after an error).
    types: BTreeMap<TypeId, Option<TypeDef>>,
    /// (module, name) → the type holding that name.
    names: BTreeMap<(String, String), TypeId>,
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
            Shape::Array => &["type", "items", "minItems", "maxItems"],
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
        } else if has("enum") || has("oneOf") || (has("anyOf") && !has("properties")) {
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
            && !rt.is_string()
            && types != ["integer", "string"]
        {
            self.error(
                SchemaErrorKind::Invalid,
                file,
                pointer,
                "`x-rust-type: Seconds` needs `\"type\": [\"integer\", \"string\"]`".into(),
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
        match node {
            Value::Object(map) if text(map, "$ref").is_none() => {
                let shape = self.shape(&target.file, &target.pointer, map)?;
                if shape.is_generated() {
                    self.named(
                        &TypeId {
                            file: target.file.clone(),
                            pointer: target.pointer.clone(),
                        },
                        &default_name,
                        &module,
                        false,
                    )?;
                    Some(Ty::plain(TyKind::Named(TypeId {
                        file: target.file.clone(),
                        pointer: target.pointer.clone(),
                    })))
                } else {
                    self.inline_ty(
                        &target.file,
                        &target.pointer,
                        map,
                        shape,
                        &default_name,
                        &module,
                    )
                }
            }
            _ => self.value_ty(&target.file, &target.pointer, node, &default_name, &module),
        }
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

    /// Registers and lowers a generated type; returns its name.
    fn named(
        &mut self,
        id: &TypeId,
        default_name: &str,
        module: &str,
        is_message_root: bool,
    ) -> Option<String> {
        if let Some(existing) = self.types.get(id) {
            return existing.as_ref().map(|t| t.name.clone()).or_else(|| {
                // In progress (recursive reference): the name is already registered.
                self.names
                    .iter()
                    .find(|(_, v)| *v == id)
                    .map(|((_, name), _)| name.clone())
            });
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
        let shape = self.shape(&id.file, &id.pointer, map)?;
        let body = match shape {
            Shape::Struct => self.struct_body(id, &name, module, map),
            Shape::Enum => self.enum_body(id, &name, module, map),
            Shape::ExclusiveMap => self.exclusive_map_body(id, &name, module, map),
            other if is_message_root => {
                let ty = self.inline_ty(&id.file, &id.pointer, map, other, &name, module)?;
                Some(TypeBody::Newtype(ty))
            }
            _ => None,
        }?;
        let def = TypeDef {
            id: id.clone(),
            name: name.clone(),
            module: module.to_owned(),
            doc: doc_of(map),
            body,
            schema: String::new(),
        };
        self.types.insert(id.clone(), Some(def));
        Some(name)
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
            if let Some(other) = rust_names.insert(rust.clone(), wire.clone()) {
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
            });
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
        let index_of = |fields: &[Field], wire: &str| fields.iter().position(|f| f.wire == wire);
        let mut rules = Vec::new();
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
                        rules.push(Rule::DependentRequired { trigger, required })
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
            rules.push(Rule::AnyOfRequired(alternatives));
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
        if !(types.is_empty() || types == ["string"]) {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(&id.pointer, "type"),
                "only string enums are supported".into(),
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
                let extra = branch.keys().find(|k| {
                    !matches!(
                        k.as_str(),
                        "const" | "description" | "title" | "x-rust-name"
                    )
                });
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
            let is_plain_string = branch.get("type") == Some(&Value::String("string".into()))
                && branch.keys().all(|k| {
                    matches!(k.as_str(), "type" | "description" | "title" | "x-rust-name")
                });
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
        let mut seen = BTreeMap::new();
        for variant in variants
            .iter()
            .map(|v| (&v.rust, &v.wire))
            .chain(fallback.iter().map(|f| (&f.rust, &f.rust)))
        {
            if let Some(other) = seen.insert(variant.0.clone(), variant.1.clone()) {
                self.error(
                    SchemaErrorKind::NameCollision,
                    file,
                    &join(&id.pointer, keyword),
                    format!(
                        "`{other}` and `{}` both become the variant `{}`; rename one with `x-rust-name`",
                        variant.1, variant.0
                    ),
                );
                ok = false;
            }
        }
        if variants.is_empty() {
            self.error(
                SchemaErrorKind::Unsupported,
                file,
                &id.pointer,
                "an enum needs at least one known value".into(),
            );
            ok = false;
        }
        ok.then_some(TypeBody::Enum { variants, fallback })
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
        Some(TypeBody::ExclusiveMap {
            key: key.clone(),
            exclusive_variant: text(exclusive, "x-rust-name")
                .map(str::to_owned)
                .unwrap_or_else(|| names::type_name(key)),
            exclusive_doc: text(exclusive, "description")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("The `{key}` key alone.")),
            entries_variant: text(map, "x-rust-entries-name")
                .unwrap_or("Entries")
                .to_owned(),
            key_ty,
            value_ty,
        })
    }
}

/// Query parameters are flat: each member is a string, an integer, a boolean, a string format or
/// a string enum (never a credential, which must not travel in a URL).
fn check_query_members(
    endpoints: &[Endpoint],
    types: &BTreeMap<TypeId, Option<TypeDef>>,
    errors: &mut SchemaErrors,
) {
    let queries = endpoints
        .iter()
        .flat_map(|e| &e.messages)
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

/// The module a file's definitions belong to: its directory (`links/defs.json` → `links`), or
/// its stem for a top-level file (`common.json` → `common`).
pub fn module_of_file(file: &str) -> String {
    match file.split_once('/') {
        Some((directory, _)) => directory.to_owned(),
        None => file.trim_end_matches(".json").to_owned(),
    }
}
