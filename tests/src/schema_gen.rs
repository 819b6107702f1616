//! Proptest strategies driven by a bundled JSON Schema (the `schema` of a message in
//! `klavi_types::registry`):
//!
//! * [`valid`]: values that satisfy the schema;
//! * [`near_miss`]: a valid value with exactly one mutation at a random place in the tree: a
//!   dropped required or dependent member, an unknown member, a tax id with a wrong check digit,
//!   `all` beside another key, the alone item beside another one, a wrong JSON type, an empty or
//!   too long string, an empty array, a value outside a closed enum, an out-of-range integer, an
//!   invalid e-mail, URI, URL or timestamp.
//!
//! The generator walks the schema once (resolving `#/$defs/Name` references) and knows the
//! shapes of ARCHITECTURE.md ("The schema conventions"): objects with `required`,
//! `dependentRequired`, `anyOf` of `required` lists and `if`/`then` required; free-form objects
//! and maps; the exclusive-key map (`dependentSchemas {K: {maxProperties: 1}}`); arrays with
//! `minItems`/`maxItems` and the "item only alone" `anyOf`; strings with lengths and the
//! `cpf`, `cnpj`, `email` and `uri` formats; integers with bounds; enumerations (`enum`,
//! `const`, `anyOf`/`oneOf` of constants with at most one catch-all branch); tagged unions;
//! and the runtime types named by `x-rust-type`. A node it does not understand yields `null`
//! and is listed in [`Strategies::unknown_shapes`], so that a test can assert that nothing
//! was skipped.
//!
//! Valid values include the corners JSON Schema allows and clients meet: non-ASCII text (lengths
//! count characters), integral floats (`22.0` is an integer), integers above `i64::MAX` where
//! no maximum is given, unknown members where they are allowed, masked tax ids, quoted e-mail
//! local parts, IP-literal URLs. One documented divergence is never generated: leap seconds
//! (`23:59:60Z`), which `jsonschema`'s `date-time` accepts and `UtcDateTime` rejects.

use std::sync::Arc;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::Union;
use serde_json::{Map, Value, json};

use crate::payloads::{near_miss_tax_id, valid_cnpj, valid_cpf};

/// A strategy of JSON values.
pub type ValueStrategy = BoxedStrategy<Value>;

/// Both strategies of one schema, and the nodes the generator did not understand.
pub struct Strategies {
    /// Values that satisfy the schema.
    pub valid: ValueStrategy,
    /// Valid values with exactly one mutation.
    pub near_miss: ValueStrategy,
    /// `pointer: reason` for every node the generator did not understand (it generates `null`
    /// there); empty for the schemas of this repository.
    pub unknown_shapes: Vec<String>,
}

/// Walks `schema` (a bundled, self-contained schema) once and builds both strategies.
pub fn strategies(schema: &Value) -> Strategies {
    let mut generator = Generator {
        root: schema,
        unknown: Vec::new(),
    };
    let node = generator.node(schema, "#", 0);
    let near_miss = match node.near_miss {
        Some(strategy) => strategy,
        None => {
            generator.unknown("#", "nothing about the root can be wrong");
            Just(Value::Null).boxed()
        }
    };
    Strategies {
        valid: node.valid,
        near_miss,
        unknown_shapes: generator.unknown,
    }
}

/// Values that satisfy `schema`.
pub fn valid(schema: &Value) -> ValueStrategy {
    strategies(schema).valid
}

/// Values of `schema` with exactly one mutation at a random place.
pub fn near_miss(schema: &Value) -> ValueStrategy {
    strategies(schema).near_miss
}

/// Keywords that never constrain a value.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$defs",
    "$comment",
    "title",
    "description",
    "examples",
    "deprecated",
    "default",
    "x-rust-name",
    "x-rust-entries-name",
    "x-klavi-secret",
    "x-klavi-personal-data",
    "x-klavi-aliases",
    "x-klavi-raw",
    "x-klavi-business-errors",
];

/// Deeper than any schema of this repository: a guard against recursive definitions.
const MAX_DEPTH: usize = 32;

/// The strategies of one schema node.
struct Node {
    valid: ValueStrategy,
    /// `None` when no value can be wrong here (`{}`).
    near_miss: Option<ValueStrategy>,
}

impl Node {
    fn new(valid: ValueStrategy, near_miss: ValueStrategy) -> Self {
        Node {
            valid,
            near_miss: Some(near_miss),
        }
    }
}

/// The walk over one schema.
struct Generator<'s> {
    root: &'s Value,
    unknown: Vec<String>,
}

impl<'s> Generator<'s> {
    /// Records a node the generator does not understand; it generates `null` there.
    fn unknown(&mut self, at: &str, why: &str) -> Node {
        self.unknown.push(format!("{at}: {why}"));
        Node {
            valid: Just(Value::Null).boxed(),
            near_miss: None,
        }
    }

    /// Records every keyword of `map` that is neither in `allowed` nor an annotation.
    fn check_keywords(&mut self, map: &Map<String, Value>, allowed: &[&str], at: &str) {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
                self.unknown
                    .push(format!("{at}: keyword `{key}` not understood here"));
            }
        }
    }

    /// The definition `#/$defs/Name` refers to, with its name.
    fn resolve(&self, reference: &Value) -> Option<(&'s str, &'s Value)> {
        let name = reference.as_str()?.strip_prefix("#/$defs/")?;
        let (key, definition) = self.root.get("$defs")?.as_object()?.get_key_value(name)?;
        Some((key.as_str(), definition))
    }

    /// Follows `$ref`s to the definition a node stands for.
    fn target(&self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(|r| self.resolve(r)) {
                Some((_, definition)) => schema = definition,
                None => break,
            }
        }
        schema
    }

    /// Classifies a node and builds its strategies.
    fn node(&mut self, schema: &'s Value, at: &str, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return self.unknown(at, "nested too deep (a recursive schema?)");
        }
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(true) => return any_value_node(),
            _ => return self.unknown(at, "not a schema object"),
        };
        if let Some(reference) = map.get("$ref") {
            self.check_keywords(map, &["$ref"], at);
            return match self.resolve(reference) {
                Some((name, definition)) => {
                    self.node(definition, &format!("#/$defs/{name}"), depth + 1)
                }
                None => self.unknown(at, "`$ref` does not resolve to a `$defs` entry"),
            };
        }
        if let Some(name) = map.get("x-rust-type") {
            return self.runtime_type(map, name, at);
        }
        if let Some(enumeration) = self.enumeration(schema, depth) {
            return self.enumeration_node(&enumeration, at, depth);
        }
        if map.contains_key("anyOf") && !map.contains_key("type") {
            return self.union(map, at, depth);
        }
        match map.get("type").and_then(Value::as_str) {
            Some("object") => self.object(map, at, depth),
            Some("array") => self.array(map, at, depth),
            Some("string") => self.string(map, at),
            Some("integer") => self.integer(map, at),
            Some("boolean") => {
                self.check_keywords(map, &["type"], at);
                Node::new(
                    any::<bool>().prop_map(Value::from).boxed(),
                    wrong_type(&[JsonType::Boolean]),
                )
            }
            None if map.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) => any_value_node(),
            _ => self.unknown(at, "unknown shape"),
        }
    }

    // ----- enumerations ---------------------------------------------------------------------

    /// The constants and the catch-all branch of an enumeration (`const`, `enum`, or
    /// `anyOf`/`oneOf` of constants, nested through `$ref`s, with at most one catch-all
    /// branch; `oneOf` has none, since a known value would match two branches), or `None` if
    /// `schema` is not one.
    fn enumeration(&self, schema: &'s Value, depth: usize) -> Option<Enumeration<'s>> {
        let map = schema.as_object()?;
        if depth > MAX_DEPTH
            || map.keys().any(|k| {
                !ANNOTATIONS.contains(&k.as_str())
                    && !["const", "enum", "anyOf", "oneOf", "type"].contains(&k.as_str())
            })
        {
            return None;
        }
        let mut enumeration = Enumeration {
            constants: Vec::new(),
            catch_all: None,
            declared_type: map.get("type"),
        };
        if let Some(constant) = map.get("const") {
            enumeration.constants.push(constant.clone());
        }
        if let Some(values) = map.get("enum") {
            enumeration
                .constants
                .extend(values.as_array()?.iter().cloned());
        }
        let one_of = map.get("oneOf");
        for branch in map.get("anyOf").into_iter().chain(one_of) {
            for branch in branch.as_array()? {
                let target = self.target(branch);
                match self.enumeration(target, depth + 1) {
                    Some(inner) => {
                        enumeration.constants.extend(inner.constants);
                        if let Some(catch_all) = inner.catch_all
                            && enumeration.catch_all.replace(catch_all).is_some()
                        {
                            return None;
                        }
                    }
                    None if enumeration.catch_all.is_none() => {
                        enumeration.catch_all = Some(branch);
                    }
                    None => return None,
                }
            }
        }
        let closed_one_of = one_of.is_none() || enumeration.catch_all.is_none();
        (!enumeration.constants.is_empty() && closed_one_of).then_some(enumeration)
    }

    fn enumeration_node(&mut self, enumeration: &Enumeration<'s>, at: &str, depth: usize) -> Node {
        let constants = enumeration.constants.clone();
        let mut admitted: Vec<JsonType> = constants.iter().map(json_type).collect();
        admitted.extend(types_of(enumeration.declared_type));
        // Integral floats are integers too (`12.0` is the constant `12`).
        let as_float: Vec<Value> = constants.iter().filter_map(integral_float).collect();
        let mut known = vec![(6, select(constants.clone()).boxed())];
        if !as_float.is_empty() {
            known.push((1, select(as_float).boxed()));
        }
        let mut valid = Union::new_weighted(known).boxed();
        // Values outside the constants that no branch accepts.
        let mut outside: Vec<Value> = Vec::new();
        match enumeration.catch_all {
            None => outside = outside_constants(&constants),
            Some(catch_all) => {
                let target = self.target(catch_all);
                admitted.extend(types_of(target.get("type")));
                let node = self.node(catch_all, &format!("{at}/catch-all"), depth + 1);
                valid = prop_oneof![3 => valid, 1 => node.valid].boxed();
                let open = target.as_object().is_some_and(|m| {
                    m.keys()
                        .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()))
                });
                let product_name =
                    target.get("x-rust-type").and_then(Value::as_str) == Some("ProductName");
                if product_name {
                    outside = outside_constants(&constants)
                        .into_iter()
                        .chain(BAD_PRODUCT_NAMES.iter().map(|s| json!(s)))
                        .filter(|v| !constants.contains(v))
                        .filter(|v| v.as_str().is_some_and(|s| !is_product_name(s)))
                        .collect();
                } else if !open {
                    self.unknown(at, "catch-all branch of unknown extent: only wrong types");
                }
            }
        }
        let wrong = wrong_type(&admitted);
        let near_miss = if outside.is_empty() {
            wrong
        } else {
            prop_oneof![select(outside), wrong].boxed()
        };
        Node::new(valid, near_miss)
    }

    // ----- unions ---------------------------------------------------------------------------

    /// `anyOf` of branches that are not all constants: a tagged union, or branches of
    /// distinct JSON types (`Event` or an array of `Event`s).
    fn union(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        self.check_keywords(map, &["anyOf"], at);
        let Some(branches) = map.get("anyOf").and_then(Value::as_array) else {
            return self.unknown(at, "`anyOf` is not an array");
        };
        let (last, tagged) = branches.split_last().unwrap_or((&Value::Null, &[]));
        let all_tagged = |list: &[Value]| {
            !list.is_empty() && list.iter().all(|b| tag_of(self.target(b)).is_some())
        };
        if all_tagged(branches) || (is_any_object(last) && all_tagged(tagged)) {
            return self.tagged_union(branches, at, depth);
        }
        let types: Vec<Vec<JsonType>> = branches
            .iter()
            .map(|b| types_of(self.target(b).get("type")))
            .collect();
        let distinct = types.iter().all(|t| t.len() == 1)
            && types
                .iter()
                .enumerate()
                .all(|(i, t)| types[..i].iter().all(|u| u != t));
        if !distinct {
            return self.unknown(at, "`anyOf` that is neither an enumeration nor a union");
        }
        let nodes: Vec<Node> = branches
            .iter()
            .enumerate()
            .map(|(i, b)| self.node(b, &format!("{at}/anyOf/{i}"), depth + 1))
            .collect();
        let admitted: Vec<JsonType> = types.into_iter().flatten().collect();
        let mut near: Vec<ValueStrategy> =
            nodes.iter().filter_map(|n| n.near_miss.clone()).collect();
        near.push(wrong_type(&admitted));
        Node::new(
            Union::new(nodes.into_iter().map(|n| n.valid)).boxed(),
            Union::new(near).boxed(),
        )
    }

    /// `anyOf` of `$ref`s to objects, each with a required string `const` tag member, and at
    /// most one catch-all `{"type": "object"}` branch (last).
    fn tagged_union(&mut self, branches: &'s [Value], at: &str, depth: usize) -> Node {
        let mut variants = Vec::new();
        let mut catch_all = false;
        for (i, branch) in branches.iter().enumerate() {
            let here = format!("{at}/anyOf/{i}");
            if is_any_object(branch) && i + 1 == branches.len() {
                catch_all = true;
                continue;
            }
            let Some(tag) = tag_of(self.target(branch)) else {
                return self.unknown(&here, "union branch without a required `const` tag");
            };
            variants.push((tag, self.node(branch, &here, depth + 1)));
        }
        let mut valid: Vec<ValueStrategy> = variants.iter().map(|(_, n)| n.valid.clone()).collect();
        let mut near: Vec<ValueStrategy> = variants
            .iter()
            .filter_map(|(_, n)| n.near_miss.clone())
            .collect();
        near.push(wrong_type(&[JsonType::Object]));
        for (tag, node) in &variants {
            let retagged = {
                let tag = tag.clone();
                node.valid
                    .clone()
                    .prop_map(move |v| with_member(v, &tag, json!("somethingElse")))
                    .boxed()
            };
            if catch_all {
                // An unknown tag, or none at all, is an object the catch-all keeps.
                valid.push(retagged);
                let tag = tag.clone();
                valid.push(
                    node.valid
                        .clone()
                        .prop_map(move |v| without_member(v, &tag))
                        .boxed(),
                );
            } else {
                near.push(retagged);
            }
        }
        if catch_all {
            valid.push(any_object());
        }
        Node::new(Union::new(valid).boxed(), Union::new(near).boxed())
    }

    // ----- objects --------------------------------------------------------------------------

    fn object(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        let additional = map.get("additionalProperties");
        if map.contains_key("dependentSchemas") {
            return self.exclusive_map(map, at, depth);
        }
        match (map.get("properties"), additional) {
            (Some(_), _) => self.struct_object(map, at, depth),
            (None, Some(Value::Object(_))) => self.plain_map(map, at, depth),
            (None, None | Some(Value::Bool(true))) => {
                self.check_keywords(map, &["type", "additionalProperties"], at);
                Node::new(any_object(), wrong_type(&[JsonType::Object]))
            }
            (None, Some(_)) => self.unknown(at, "object without members that admits none"),
        }
    }

    /// An object with declared members and its rules.
    fn struct_object(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        self.check_keywords(
            map,
            &[
                "type",
                "properties",
                "required",
                "additionalProperties",
                "dependentRequired",
                "anyOf",
                "if",
                "then",
                "allOf",
            ],
            at,
        );
        let Some(properties) = map.get("properties").and_then(Value::as_object) else {
            return self.unknown(at, "`properties` is not an object");
        };
        let names: Vec<String> = properties.keys().cloned().collect();
        let members: Vec<Node> = properties
            .iter()
            .map(|(name, schema)| self.node(schema, &format!("{at}/properties/{name}"), depth + 1))
            .collect();
        let unknown_members = match map.get("additionalProperties") {
            None => UnknownMembers::Ignored,
            Some(Value::Bool(true)) => UnknownMembers::Kept,
            Some(Value::Bool(false)) => UnknownMembers::Rejected,
            Some(_) => {
                return self.unknown(at, "`additionalProperties` schema beside `properties`");
            }
        };
        let Some(rules) = self.object_rules(map, &names, at) else {
            return self.unknown(at, "object rules not understood");
        };
        // `x-klavi-aliases`: other spellings the typed path reads; to the schema they are
        // unknown members.
        let aliases = properties
            .values()
            .enumerate()
            .flat_map(|(i, member)| {
                let list = member.get("x-klavi-aliases").and_then(Value::as_array);
                list.into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(move |alias| (i, alias.to_owned()))
            })
            .collect();
        let shape = Arc::new(ObjectShape {
            names,
            aliases,
            rules,
            unknown_members,
        });
        let draft = draft_strategy(&shape, &members);
        let valid = {
            let shape = shape.clone();
            draft
                .clone()
                .prop_map(move |d| Value::Object(shape.build(&d, &[])))
                .boxed()
        };
        let near_miss = object_near_misses(&shape, &draft, &members);
        let node = Node::new(valid, near_miss);
        match map.get("allOf") {
            Some(all_of) => self.with_bodies(all_of, node, at, depth),
            None => node,
        }
    }

    /// The bodies an object chooses by a member (`allOf` of `if`/`then`, the report envelope's
    /// `productName`): each value of the object either names a body (its members added, the
    /// tag set to one of the body's values) or a value no entry lists (no body checked).
    fn with_bodies(&mut self, all_of: &'s Value, envelope: Node, at: &str, depth: usize) -> Node {
        let Some(entries) = all_of.as_array() else {
            return self.unknown(at, "`allOf` is not a list");
        };
        let mut tag = None;
        let mut bodies: Vec<(Vec<Value>, Node)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let at = format!("{at}/allOf/{i}");
            let condition = entry.get("if").and_then(|c| c.get("properties"));
            let Some((member, schema)) = condition
                .and_then(Value::as_object)
                .and_then(|p| p.iter().next())
            else {
                return self.unknown(&at, "`allOf` entry without an `if` on one member");
            };
            let values = match (schema.get("enum"), schema.get("const")) {
                (Some(Value::Array(values)), _) => values.clone(),
                (_, Some(value)) => vec![value.clone()],
                _ => return self.unknown(&at, "`if` without `enum` or `const`"),
            };
            tag = Some(member.clone());
            let Some(then) = entry.get("then") else {
                return self.unknown(&at, "`allOf` entry without `then`");
            };
            let body = self.node(then, &format!("{at}/then"), depth + 1);
            bodies.push((values, body));
        }
        let Some(tag) = tag else {
            return envelope;
        };
        // A value no entry lists, and the body-less envelope around it.
        let unlisted = Just(json!("zz_unlisted_product")).boxed();
        let with_body = |envelope: ValueStrategy, pick_body: fn(&Node) -> Option<ValueStrategy>| {
            let tag = tag.clone();
            let mut choices: Vec<BoxedStrategy<Value>> = Vec::new();
            for (values, body) in &bodies {
                let Some(body) = pick_body(body) else {
                    continue;
                };
                let tag = tag.clone();
                let values = values.clone();
                choices.push(
                    (envelope.clone(), body, 0..values.len())
                        .prop_map(move |(envelope, body, i)| {
                            merge_body(envelope, body, &tag, values[i].clone())
                        })
                        .boxed(),
                );
            }
            let tag_unlisted = tag.clone();
            choices.push(
                (envelope, unlisted.clone())
                    .prop_map(move |(envelope, value)| {
                        merge_body(envelope, json!({}), &tag_unlisted, value)
                    })
                    .boxed(),
            );
            Union::new(choices).boxed()
        };
        let valid = with_body(envelope.valid.clone(), |body| Some(body.valid.clone()));
        let body_misses = with_body(envelope.valid.clone(), |body| body.near_miss.clone());
        let near_miss = match envelope.near_miss {
            Some(misses) => prop_oneof![misses, body_misses].boxed(),
            None => body_misses,
        };
        Node::new(valid, near_miss)
    }

    /// `required`, `dependentRequired`, `anyOf` of `required` lists and `if`/`then` required,
    /// as member indexes.
    fn object_rules(
        &mut self,
        map: &Map<String, Value>,
        names: &[String],
        at: &str,
    ) -> Option<ObjectRules> {
        let index = |name: &Value| names.iter().position(|n| Some(n.as_str()) == name.as_str());
        let list = |value: Option<&Value>| -> Option<Vec<usize>> {
            value.map_or(Some(Vec::new()), |v| {
                v.as_array()?.iter().map(index).collect()
            })
        };
        let mut rules = ObjectRules {
            required: list(map.get("required"))?,
            ..ObjectRules::default()
        };
        if let Some(dependent) = map.get("dependentRequired") {
            for (trigger, needed) in dependent.as_object()? {
                let trigger = index(&json!(trigger))?;
                rules.dependent.push((trigger, list(Some(needed))?));
            }
        }
        if let Some(branches) = map.get("anyOf") {
            for branch in branches.as_array()? {
                let branch = branch.as_object()?;
                if branch
                    .keys()
                    .any(|k| k != "required" && !ANNOTATIONS.contains(&k.as_str()))
                {
                    self.unknown
                        .push(format!("{at}/anyOf: only `required` lists are understood"));
                    return None;
                }
                rules.any_of_required.push(list(branch.get("required"))?);
            }
        }
        match (map.get("if"), map.get("then")) {
            (None, None) => {}
            (Some(condition), Some(then)) => {
                let condition = condition.as_object()?;
                let then = then.as_object()?;
                if condition
                    .keys()
                    .any(|k| k != "properties" && k != "required")
                    || then.keys().any(|k| k != "required")
                {
                    self.unknown
                        .push(format!("{at}/if: only `const` conditions are understood"));
                    return None;
                }
                let mut equals = Vec::new();
                for (name, test) in condition.get("properties").and_then(Value::as_object)? {
                    let test = test.as_object()?;
                    if test.len() != 1 {
                        return None;
                    }
                    equals.push((index(&json!(name))?, test.get("const")?.clone()));
                }
                rules.conditions.push(Condition {
                    equals,
                    present: list(condition.get("required"))?,
                    then: list(then.get("required"))?,
                });
            }
            _ => return None,
        }
        Some(rules)
    }

    /// The exclusive-key map: `propertyNames: {anyOf: [{const: K}, KEYS]}`,
    /// `additionalProperties: V`, `dependentSchemas: {K: {maxProperties: 1}}`.
    fn exclusive_map(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        self.check_keywords(
            map,
            &[
                "type",
                "propertyNames",
                "additionalProperties",
                "dependentSchemas",
            ],
            at,
        );
        let exclusive = map
            .get("dependentSchemas")
            .and_then(Value::as_object)
            .filter(|d| d.len() == 1)
            .and_then(|d| d.iter().next())
            .filter(|(_, s)| *s == &json!({"maxProperties": 1}))
            .map(|(k, _)| k.clone());
        let Some(exclusive) = exclusive else {
            return self.unknown(
                at,
                "`dependentSchemas` other than `{K: {maxProperties: 1}}`",
            );
        };
        let (Some(names), Some(values)) =
            (map.get("propertyNames"), map.get("additionalProperties"))
        else {
            return self.unknown(
                at,
                "exclusive-key map without `propertyNames` or a value schema",
            );
        };
        let keys = self.node(names, &format!("{at}/propertyNames"), depth + 1);
        let values = self.node(values, &format!("{at}/additionalProperties"), depth + 1);
        let key = keys.valid.clone();
        let other_key = {
            let exclusive = exclusive.clone();
            key.prop_filter_map("the exclusive key", move |k| {
                k.as_str().filter(|k| *k != exclusive).map(str::to_owned)
            })
            .boxed()
        };
        let entries = btree_map(other_key.clone(), values.valid.clone(), 0..4)
            .prop_map(|m| m.into_iter().collect::<Map<String, Value>>());
        let alone = {
            let exclusive = exclusive.clone();
            values
                .valid
                .clone()
                .prop_map(move |v| json!({ exclusive.clone(): v }))
        };
        let valid = prop_oneof![alone, entries.clone().prop_map(Value::Object)].boxed();

        let mut near = vec![wrong_type(&[JsonType::Object])];
        // The exclusive key beside another one.
        {
            let exclusive = exclusive.clone();
            near.push(
                (
                    values.valid.clone(),
                    other_key.clone(),
                    values.valid.clone(),
                )
                    .prop_map(move |(a, key, b)| {
                        let mut map = Map::new();
                        map.insert(exclusive.clone(), a);
                        map.insert(key, b);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
        if let Some(bad_key) = keys.near_miss.map(string_values) {
            near.push(
                (entries.clone(), bad_key, values.valid.clone())
                    .prop_map(|(mut map, key, value)| {
                        map.insert(key, value);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
        if let Some(bad_value) = values.near_miss {
            let any_key = prop_oneof![Just(exclusive.clone()), other_key].boxed();
            near.push(
                (entries, any_key, bad_value)
                    .prop_map(move |(mut map, key, value)| {
                        if key == exclusive {
                            map.clear();
                        }
                        map.insert(key, value);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
        Node::new(valid, Union::new(near).boxed())
    }

    /// `additionalProperties: V` without declared members: a map (keys from `propertyNames`).
    fn plain_map(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        self.check_keywords(map, &["type", "propertyNames", "additionalProperties"], at);
        let keys = match map.get("propertyNames") {
            Some(names) => self.node(names, &format!("{at}/propertyNames"), depth + 1),
            None => Node {
                valid: member_name().prop_map(Value::from).boxed(),
                near_miss: None,
            },
        };
        let values = match map.get("additionalProperties") {
            Some(values) => self.node(values, &format!("{at}/additionalProperties"), depth + 1),
            None => any_value_node(),
        };
        let key = string_values(keys.valid);
        let entries = btree_map(key.clone(), values.valid.clone(), 0..4)
            .prop_map(|m| m.into_iter().collect::<Map<String, Value>>());
        let valid = entries.clone().prop_map(Value::Object).boxed();
        let mut near = vec![wrong_type(&[JsonType::Object])];
        if let Some(bad_key) = keys.near_miss.map(string_values) {
            near.push(
                (entries.clone(), bad_key, values.valid.clone())
                    .prop_map(|(mut map, key, value)| {
                        map.insert(key, value);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
        if let Some(bad_value) = values.near_miss {
            near.push(
                (entries, key, bad_value)
                    .prop_map(|(mut map, key, value)| {
                        map.insert(key, value);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
        Node::new(valid, Union::new(near).boxed())
    }

    // ----- arrays ---------------------------------------------------------------------------

    fn array(&mut self, map: &'s Map<String, Value>, at: &str, depth: usize) -> Node {
        self.check_keywords(map, &["type", "items", "minItems", "maxItems", "anyOf"], at);
        let items = match map.get("items") {
            Some(items) => self.node(items, &format!("{at}/items"), depth + 1),
            None => any_value_node(),
        };
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let alone = match map.get("anyOf") {
            None => None,
            Some(rule) => match alone_item(rule) {
                Some(item) => Some(item),
                None => return self.unknown(at, "array `anyOf` other than the alone-item rule"),
            },
        };
        // Up to three items near the root, one deeper down: a report product nests lists four
        // deep (cards, bills, transactions), and three of each would make every case a
        // document of thousands of values.
        let spread = if depth >= 3 { 1 } else { 3 };
        let upper = max.unwrap_or(min + spread).max(min);
        let valid = {
            let alone = alone.clone();
            vec(items.valid.clone(), min..=upper)
                .prop_map(move |list| Value::Array(keep_alone(list, alone.as_ref(), min)))
                .boxed()
        };

        let mut near = vec![wrong_type(&[JsonType::Array])];
        if min > 0 {
            near.push(
                vec(items.valid.clone(), 0..min)
                    .prop_map(Value::Array)
                    .boxed(),
            );
        }
        if let Some(max) = max {
            near.push(
                vec(items.valid.clone(), max + 1..=max + 2)
                    .prop_map(Value::Array)
                    .boxed(),
            );
        }
        if let Some(item) = alone.clone() {
            let other = {
                let item = item.clone();
                items
                    .valid
                    .clone()
                    .prop_filter("the alone item", move |v| *v != item)
            };
            near.push(
                (other, any::<bool>())
                    .prop_map(move |(other, first)| {
                        Value::Array(if first {
                            vec![item.clone(), other]
                        } else {
                            vec![other, item.clone()]
                        })
                    })
                    .boxed(),
            );
        }
        if let Some(bad_item) = items.near_miss {
            let alone = alone.clone();
            let length = min.max(1)..=upper.max(1);
            near.push(
                (vec(items.valid, length), bad_item, any::<Index>())
                    .prop_map(move |(list, bad, at)| {
                        let mut list = keep_alone(list, alone.as_ref(), min);
                        if list.is_empty() {
                            list.push(bad);
                        } else {
                            let i = at.index(list.len());
                            list[i] = bad;
                        }
                        Value::Array(list)
                    })
                    .boxed(),
            );
        }
        Node::new(valid, Union::new(near).boxed())
    }

    // ----- scalars --------------------------------------------------------------------------

    fn string(&mut self, map: &'s Map<String, Value>, at: &str) -> Node {
        self.check_keywords(map, &["type", "minLength", "maxLength", "format"], at);
        let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let wrong = || wrong_type(&[JsonType::String]);
        if let Some(format) = map.get("format") {
            if min > 0 || max.is_some() {
                return self.unknown(at, "a length beside a format");
            }
            return match format.as_str() {
                Some("cpf") => Node::new(
                    valid_cpf().prop_map(Value::from).boxed(),
                    prop_oneof![
                        4 => near_miss_tax_id(valid_cpf()).prop_map(Value::from),
                        1 => wrong(),
                    ]
                    .boxed(),
                ),
                Some("cnpj") => Node::new(
                    valid_cnpj().prop_map(Value::from).boxed(),
                    prop_oneof![
                        4 => near_miss_tax_id(valid_cnpj()).prop_map(Value::from),
                        1 => wrong(),
                    ]
                    .boxed(),
                ),
                Some("email") => Node::new(
                    pool(GOOD_EMAILS),
                    prop_oneof![4 => pool(BAD_EMAILS), 1 => wrong()].boxed(),
                ),
                Some("uri") => Node::new(
                    pool(GOOD_URIS),
                    prop_oneof![4 => pool(BAD_URIS), 1 => wrong()].boxed(),
                ),
                _ => self.unknown(at, "unknown `format`"),
            };
        }
        let upper = max.unwrap_or(min + 12).max(min);
        let mut lengths = vec![(4, text(min, upper))];
        if let Some(max) = max {
            lengths.push((1, text(max, max)));
        }
        let valid = Union::new_weighted(lengths).boxed();
        let mut near = vec![wrong()];
        if min > 0 {
            near.push(text(0, min - 1));
        }
        if let Some(max) = max {
            near.push(text(max + 1, max + 4));
        }
        Node::new(valid, Union::new(near).boxed())
    }

    fn integer(&mut self, map: &'s Map<String, Value>, at: &str) -> Node {
        self.check_keywords(map, &["type", "minimum", "maximum"], at);
        let bound = |key: &str| {
            map.get(key).and_then(|v| {
                v.as_i64()
                    .map(i128::from)
                    .or_else(|| v.as_u64().map(i128::from))
            })
        };
        let (min, max) = (bound("minimum"), bound("maximum"));
        let mut near = vec![wrong_type(&[JsonType::Integer])];
        let mut outside = Vec::new();
        if let Some(min) = min {
            outside.extend([min - 1, min - 1000]);
        }
        if let Some(max) = max {
            outside.extend([max + 1, max + 1000]);
        }
        if !outside.is_empty() {
            near.push(select(outside).prop_map(integer_value).boxed());
        }
        Node::new(integers(min, max), Union::new(near).boxed())
    }

    /// A node implemented by a runtime type of klavi-types (`x-rust-type`).
    fn runtime_type(&mut self, map: &'s Map<String, Value>, name: &Value, at: &str) -> Node {
        self.check_keywords(
            map,
            &[
                "x-rust-type",
                "type",
                "format",
                "pattern",
                "not",
                "minimum",
                "maximum",
            ],
            at,
        );
        let string = || wrong_type(&[JsonType::String]);
        match name.as_str() {
            Some("HttpUrl") => Node::new(
                prop_oneof![pool(GOOD_HTTP_URLS), generated_http_url()].boxed(),
                prop_oneof![4 => pool(BAD_HTTP_URLS), 1 => string()].boxed(),
            ),
            Some("UtcDateTime") => Node::new(
                utc_date_time().prop_map(Value::from).boxed(),
                prop_oneof![4 => bad_utc_date_time(), 1 => string()].boxed(),
            ),
            Some("Seconds") => Node::new(seconds(), bad_seconds()),
            Some("ProductName") => Node::new(
                product_name().prop_map(Value::from).boxed(),
                prop_oneof![4 => pool(BAD_PRODUCT_NAMES), 1 => string()].boxed(),
            ),
            Some("Amount") => Node::new(amount(), bad_amount()),
            // Kept as sent: every string is valid, only another JSON type is not.
            Some("DateText") => Node::new(kept_date(), string()),
            Some("DateTimeText") => Node::new(kept_date_time(), string()),
            Some("UnverifiedCpf") => Node::new(unverified(valid_cpf().boxed()), string()),
            Some("UnverifiedCnpj") => Node::new(unverified(valid_cnpj().boxed()), string()),
            Some("UnverifiedTaxId") => Node::new(
                unverified(prop_oneof![valid_cpf(), valid_cnpj()].boxed()),
                string(),
            ),
            _ => self.unknown(at, "unknown `x-rust-type`"),
        }
    }
}

/// An enumeration's constants and its catch-all branch.
struct Enumeration<'s> {
    constants: Vec<Value>,
    catch_all: Option<&'s Value>,
    /// A `type` beside the branches (`{"type": "integer", "oneOf": [...]}`).
    declared_type: Option<&'s Value>,
}

/// What an object does with members it does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnknownMembers {
    /// `additionalProperties: false` (requests): rejected.
    Rejected,
    /// `additionalProperties: true` (free-form parts): kept.
    Kept,
    /// No `additionalProperties` (responses): ignored by the types, allowed by the schema.
    Ignored,
}

/// `if: {properties: {K: {const: C}}, required: [K]}, then: {required: [...]}`.
#[derive(Debug, Default)]
struct Condition {
    equals: Vec<(usize, Value)>,
    present: Vec<usize>,
    then: Vec<usize>,
}

/// The presence rules of an object, by member index.
#[derive(Debug, Default)]
struct ObjectRules {
    required: Vec<usize>,
    /// `dependentRequired`: trigger, then the members it requires.
    dependent: Vec<(usize, Vec<usize>)>,
    /// `anyOf` of `required` lists.
    any_of_required: Vec<Vec<usize>>,
    conditions: Vec<Condition>,
}

/// An object with declared members.
#[derive(Debug)]
struct ObjectShape {
    names: Vec<String>,
    /// Other spellings of members (`x-klavi-aliases`), by member index.
    aliases: Vec<(usize, String)>,
    rules: ObjectRules,
    unknown_members: UnknownMembers,
}

/// The raw material of an object: a valid value for every member (present or not), which
/// optional members are present, which `anyOf` alternative to fill if none is, and unknown
/// members.
#[derive(Clone, Debug)]
struct Draft {
    values: Vec<Value>,
    present: Vec<bool>,
    alternative: Index,
    extras: Vec<(String, Value)>,
}

impl ObjectShape {
    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Whether an `if` holds for these members.
    fn holds(condition: &Condition, present: &[bool], values: &[Value]) -> bool {
        condition.present.iter().all(|&i| present[i])
            && condition
                .equals
                .iter()
                .all(|(i, c)| !present[*i] || json_equal(&values[*i], c))
    }

    /// Makes members present until every rule holds.
    fn complete(&self, present: &mut [bool], values: &[Value], alternative: Index) {
        let rules = &self.rules;
        loop {
            let before = present.to_vec();
            for &i in &rules.required {
                present[i] = true;
            }
            let satisfied = rules
                .any_of_required
                .iter()
                .any(|list| list.iter().all(|&i| present[i]));
            if !rules.any_of_required.is_empty() && !satisfied {
                let list = &rules.any_of_required[alternative.index(rules.any_of_required.len())];
                for &i in list {
                    present[i] = true;
                }
            }
            for (trigger, needed) in &rules.dependent {
                if present[*trigger] {
                    for &i in needed {
                        present[i] = true;
                    }
                }
            }
            for condition in &rules.conditions {
                if Self::holds(condition, present, values) {
                    for &i in &condition.then {
                        present[i] = true;
                    }
                }
            }
            if before == present {
                return;
            }
        }
    }

    /// The valid object of `draft`, with the members of `force` present (and set to the
    /// value given, if any).
    fn build(&self, draft: &Draft, force: &[(usize, Option<Value>)]) -> Map<String, Value> {
        let mut values = draft.values.clone();
        let mut present = draft.present.clone();
        for (i, value) in force {
            present[*i] = true;
            if let Some(value) = value {
                values[*i] = value.clone();
            }
        }
        self.complete(&mut present, &values, draft.alternative);
        let mut map = Map::new();
        for (i, name) in self.names.iter().enumerate() {
            if present[i] {
                map.insert(name.clone(), values[i].clone());
            }
        }
        if self.unknown_members != UnknownMembers::Rejected {
            for (name, value) in &draft.extras {
                if self.index(name).is_none() {
                    map.insert(name.clone(), value.clone());
                }
            }
        }
        // A member and its alias together (`eventId` and `eventID`) is a documented divergence:
        // the typed path reads both into one field and refuses the duplicate.
        for (i, alias) in &self.aliases {
            if present[*i] {
                map.remove(alias);
            }
        }
        map
    }

    /// A member name this object does not declare, close to one it does (`redirectUrl`).
    fn misspelled(&self, at: Index) -> String {
        let name = &self.names[at.index(self.names.len())];
        let mut swapped: Vec<char> = name.chars().collect();
        if let Some(last) = swapped.last_mut() {
            *last = swap_case(&last.to_string()).chars().next().unwrap_or(*last);
        }
        let candidates = [
            swapped.into_iter().collect::<String>(),
            name.to_lowercase(),
            format!("{name}s"),
            name.to_uppercase(),
        ];
        candidates
            .into_iter()
            .find(|c| self.index(c).is_none())
            .unwrap_or_else(|| "unknownMember".to_owned())
    }
}

fn draft_strategy(shape: &ObjectShape, members: &[Node]) -> BoxedStrategy<Draft> {
    let values: Vec<ValueStrategy> = members.iter().map(|m| m.valid.clone()).collect();
    let present: Vec<BoxedStrategy<bool>> = (0..members.len())
        .map(|i| {
            if shape.rules.required.contains(&i) {
                Just(true).boxed()
            } else {
                prop::bool::weighted(0.5).boxed()
            }
        })
        .collect();
    let extras = if shape.unknown_members == UnknownMembers::Rejected {
        Just(Vec::new()).boxed()
    } else {
        let mut extras = vec![
            (6, Just(Vec::new()).boxed()),
            (2, vec((member_name(), any_value()), 1..3).boxed()),
        ];
        // A member under another spelling, with a value valid for it or any value.
        for (i, alias) in &shape.aliases {
            let alias = alias.clone();
            extras.push((
                1,
                prop_oneof![members[*i].valid.clone(), any_value()]
                    .prop_map(move |v| vec![(alias.clone(), v)])
                    .boxed(),
            ));
        }
        Union::new_weighted(extras).boxed()
    };
    (values, present, any::<Index>(), extras)
        .prop_map(|(values, present, alternative, extras)| Draft {
            values,
            present,
            alternative,
            extras,
        })
        .boxed()
}

/// Every single mutation of an object: its own (a dropped required or dependent member, an
/// unknown member, a wrong type) and one in any member.
fn object_near_misses(
    shape: &Arc<ObjectShape>,
    draft: &BoxedStrategy<Draft>,
    members: &[Node],
) -> ValueStrategy {
    let mut near = vec![wrong_type(&[JsonType::Object])];
    let rules = &shape.rules;
    // Edits a valid object built with some members forced present.
    let edit = |f: fn(&ObjectShape, &mut Map<String, Value>, Index)| {
        let shape = shape.clone();
        (draft.clone(), any::<Index>())
            .prop_map(move |(d, at)| {
                let mut map = shape.build(&d, &[]);
                f(&shape, &mut map, at);
                Value::Object(map)
            })
            .boxed()
    };
    if !rules.required.is_empty() {
        near.push(edit(|shape, map, at| {
            let required = &shape.rules.required;
            map.remove(&shape.names[required[at.index(required.len())]]);
        }));
    }
    if !rules.any_of_required.is_empty() {
        near.push(edit(|shape, map, _| {
            for &i in shape.rules.any_of_required.iter().flatten() {
                map.remove(&shape.names[i]);
            }
        }));
    }
    for (rule, (trigger, needed)) in rules.dependent.iter().enumerate() {
        if needed.is_empty() {
            continue;
        }
        let shape = shape.clone();
        let trigger = *trigger;
        near.push(
            (draft.clone(), any::<Index>())
                .prop_map(move |(d, at)| {
                    let mut map = shape.build(&d, &[(trigger, None)]);
                    let needed = &shape.rules.dependent[rule].1;
                    map.remove(&shape.names[needed[at.index(needed.len())]]);
                    Value::Object(map)
                })
                .boxed(),
        );
    }
    for (rule, condition) in rules.conditions.iter().enumerate() {
        if condition.then.is_empty() {
            continue;
        }
        let shape = shape.clone();
        near.push(
            (draft.clone(), any::<Index>())
                .prop_map(move |(d, at)| {
                    let condition = &shape.rules.conditions[rule];
                    let mut force: Vec<(usize, Option<Value>)> = condition
                        .equals
                        .iter()
                        .map(|(i, c)| (*i, Some(c.clone())))
                        .collect();
                    force.extend(condition.present.iter().map(|&i| (i, None)));
                    let mut map = shape.build(&d, &force);
                    let dropped = condition.then[at.index(condition.then.len())];
                    map.remove(&shape.names[dropped]);
                    Value::Object(map)
                })
                .boxed(),
        );
    }
    if shape.unknown_members == UnknownMembers::Rejected && !shape.names.is_empty() {
        let shape = shape.clone();
        near.push(
            (draft.clone(), any::<Index>(), any_value())
                .prop_map(move |(d, at, value)| {
                    let mut map = shape.build(&d, &[]);
                    map.insert(shape.misspelled(at), value);
                    Value::Object(map)
                })
                .boxed(),
        );
    }
    if shape.unknown_members == UnknownMembers::Rejected {
        // An alias is an unknown member of a closed object.
        for (i, alias) in &shape.aliases {
            let shape = shape.clone();
            let alias = alias.clone();
            near.push(
                (draft.clone(), members[*i].valid.clone())
                    .prop_map(move |(d, value)| {
                        let mut map = shape.build(&d, &[]);
                        map.insert(alias.clone(), value);
                        Value::Object(map)
                    })
                    .boxed(),
            );
        }
    }
    for (i, member) in members.iter().enumerate() {
        let Some(bad) = member.near_miss.clone() else {
            continue;
        };
        let shape = shape.clone();
        near.push(
            (draft.clone(), bad)
                .prop_map(move |(d, bad)| {
                    let mut map = shape.build(&d, &[(i, None)]);
                    // A member beside its alias is a documented divergence: drop the other one.
                    for (main, alias) in &shape.aliases {
                        if *alias == shape.names[i] {
                            map.remove(&shape.names[*main]);
                        } else if *main == i {
                            map.remove(alias);
                        }
                    }
                    map.insert(shape.names[i].clone(), bad);
                    Value::Object(map)
                })
                .boxed(),
        );
    }
    Union::new(near).boxed()
}

// ----- helpers over values and schemas -------------------------------------------------------

/// The JSON types of JSON Schema's `type` (an integral number is an `integer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

fn json_type(value: &Value) -> JsonType {
    match value {
        Value::Null => JsonType::Null,
        Value::Bool(_) => JsonType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => JsonType::Integer,
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => JsonType::Integer,
        Value::Number(_) => JsonType::Number,
        Value::String(_) => JsonType::String,
        Value::Array(_) => JsonType::Array,
        Value::Object(_) => JsonType::Object,
    }
}

/// The types a `type` keyword (a name or a list of names) admits.
fn types_of(declared: Option<&Value>) -> Vec<JsonType> {
    let name = |v: &Value| match v.as_str()? {
        "null" => Some(JsonType::Null),
        "boolean" => Some(JsonType::Boolean),
        "integer" => Some(JsonType::Integer),
        "number" => Some(JsonType::Number),
        "string" => Some(JsonType::String),
        "array" => Some(JsonType::Array),
        "object" => Some(JsonType::Object),
        _ => None,
    };
    match declared {
        Some(Value::Array(list)) => list.iter().filter_map(name).collect(),
        Some(single) => name(single).into_iter().collect(),
        None => Vec::new(),
    }
}

/// JSON Schema equality: numbers compare by value (`1 == 1.0`).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

/// `12.0` for the integer constant `12` (within the exactly representable range).
fn integral_float(value: &Value) -> Option<Value> {
    let n = value.as_i64()?;
    (n.unsigned_abs() < 1 << 53).then(|| Value::from(n as f64))
}

/// One value of each JSON type outside `admitted`.
fn wrong_type(admitted: &[JsonType]) -> ValueStrategy {
    let admits = |t: JsonType| {
        admitted.contains(&t) || (t == JsonType::Integer && admitted.contains(&JsonType::Number))
    };
    let candidates: Vec<Value> = [
        Value::Null,
        json!(true),
        json!(12345),
        json!(1.5),
        json!("12"),
        json!(["x"]),
        json!({"x": 1}),
    ]
    .into_iter()
    .filter(|v| !admits(json_type(v)))
    .collect();
    if candidates.is_empty() {
        // Every type is admitted: nothing is of a wrong type (never the case here).
        return Just(Value::Null).boxed();
    }
    select(candidates).boxed()
}

/// Values close to the constants but none of them: `STARTED` → `started`, `STARTED-x`,
/// ` STARTED`; `12` → `11`, `13`.
fn outside_constants(constants: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for constant in constants {
        match constant {
            Value::String(s) => {
                out.push(json!(swap_case(s)));
                out.push(json!(format!("{s}-x")));
                out.push(json!(format!(" {s}")));
                out.push(json!(""));
            }
            Value::Number(n) => {
                if let Some(n) = n.as_i64() {
                    out.extend([n - 1, n + 1, n + 100].map(Value::from));
                }
            }
            _ => {}
        }
    }
    out.retain(|v| !constants.iter().any(|c| json_equal(c, v)));
    out.dedup();
    out
}

fn swap_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// `^[a-z][a-z0-9]*(_[a-z0-9]+)*$` and neither `all` nor `other`.
fn is_product_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_lowercase)
        && !text.ends_with('_')
        && !text.contains("__")
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && text != "all"
        && text != "other"
}

fn is_any_object(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| {
        m.get("type") == Some(&json!("object"))
            && m.keys()
                .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()))
    })
}

/// The tag member of a union variant: a required member whose schema is a string `const`.
fn tag_of(schema: &Value) -> Option<String> {
    let required = schema.get("required")?.as_array()?;
    schema
        .get("properties")?
        .as_object()?
        .iter()
        .find(|(name, member)| {
            member.get("const").is_some_and(Value::is_string)
                && required.iter().any(|r| r.as_str() == Some(name.as_str()))
        })
        .map(|(name, _)| name.clone())
}

/// `X` of `anyOf: [{not: {contains: {const: X}}}, {maxItems: 1}]`.
fn alone_item(rule: &Value) -> Option<Value> {
    let [not_contains, max_items] = rule.as_array()?.as_slice() else {
        return None;
    };
    if max_items != &json!({"maxItems": 1}) || not_contains.as_object()?.len() != 1 {
        return None;
    }
    let contains = not_contains.get("not")?;
    if contains.as_object()?.len() != 1 || contains.get("contains")?.as_object()?.len() != 1 {
        return None;
    }
    contains.get("contains")?.get("const").cloned()
}

/// A valid list under the alone-item rule: the item alone, or a list without it.
fn keep_alone(mut list: Vec<Value>, alone: Option<&Value>, min: usize) -> Vec<Value> {
    if let Some(item) = alone
        && list.len() > 1
        && list.contains(item)
    {
        list.retain(|v| v != item);
        if list.len() < min.max(1) {
            list = vec![item.clone()];
        }
    }
    list
}

fn with_member(value: Value, name: &str, member: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            map.insert(name.to_owned(), member);
            Value::Object(map)
        }
        other => other,
    }
}

fn without_member(value: Value, name: &str) -> Value {
    match value {
        Value::Object(mut map) => {
            map.remove(name);
            Value::Object(map)
        }
        other => other,
    }
}

/// The string values of a strategy (other values are regenerated).
fn string_values(strategy: ValueStrategy) -> BoxedStrategy<String> {
    strategy
        .prop_filter_map("not a string", |v| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
        .boxed()
}

// ----- value strategies ----------------------------------------------------------------------

/// Strings matching `pattern`, parsed once. (A `&str` is a proptest strategy too, but one that
/// parses its regular expression again for every value: that parsing was a seventh of the
/// differential test's time.)
pub(crate) fn regex(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern)
        .expect("the generator's own patterns are valid")
        .boxed()
}

/// A member name (`camelCase`, sometimes with digits).
fn member_name() -> impl Strategy<Value = String> + Clone {
    regex("[a-z][a-zA-Z0-9]{0,8}")
}

/// Text of `min..=max` characters (counted as JSON Schema counts them: code points), mostly
/// ASCII, sometimes accented, CJK, astral (`😀`), quotes, backslashes and control characters.
fn text(min: usize, max: usize) -> ValueStrategy {
    let character = prop_oneof![
        10 => proptest::char::range('a', 'z'),
        3 => proptest::char::range('A', 'Z'),
        3 => proptest::char::range('0', '9'),
        2 => select(vec![' ', '-', '_', '.', '/', ':', '@', '+']),
        1 => select(vec!['é', 'ã', 'ç', '€', '中', '😀', '"', '\\', '\n', '\u{7f}']),
    ];
    vec(character, min..=max)
        .prop_map(|chars| Value::String(chars.into_iter().collect()))
        .boxed()
}

/// Any string.
fn any_text() -> ValueStrategy {
    text(0, 16)
}

/// Any JSON value, nested two levels at most.
fn any_value() -> ValueStrategy {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        any_text(),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            btree_map(member_name(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Any JSON object.
fn any_object() -> ValueStrategy {
    btree_map(member_name(), any_value(), 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

fn any_value_node() -> Node {
    Node {
        valid: any_value(),
        near_miss: None,
    }
}

/// The JSON form of an integer: `i64`, else `u64`, else a float.
fn integer_value(n: i128) -> Value {
    if let Ok(n) = i64::try_from(n) {
        Value::from(n)
    } else if let Ok(n) = u64::try_from(n) {
        Value::from(n)
    } else {
        Value::from(n as f64)
    }
}

/// Integers in `[min, max]` (unbounded: the whole range of JSON integers serde_json keeps
/// exactly, `i64::MIN..=u64::MAX`): mostly small, sometimes a bound, sometimes anywhere,
/// sometimes written as an integral float (`22.0`).
fn integers(min: Option<i128>, max: Option<i128>) -> ValueStrategy {
    let lo = min.unwrap_or(i128::from(i64::MIN));
    // Integers beyond `i64` are a documented divergence (the typed path holds `i64`).
    let hi = max.unwrap_or(i128::from(i64::MAX));
    let (small_lo, small_hi) = (lo.max(-100), hi.min(10_000));
    let mut choices = vec![(2, select(vec![lo, hi]).boxed()), (1, (lo..=hi).boxed())];
    if small_lo <= small_hi {
        choices.push((12, (small_lo..=small_hi).boxed()));
    }
    (Union::new_weighted(choices), prop::bool::weighted(0.1))
        .prop_map(|(n, float)| match integral_float(&integer_value(n)) {
            Some(f) if float => f,
            _ => integer_value(n),
        })
        .boxed()
}

fn pool(values: &'static [&'static str]) -> ValueStrategy {
    select(values).prop_map(Value::from).boxed()
}

const GOOD_EMAILS: &[&str] = &[
    "maria.silva@example.com",
    "a@b.co",
    "first+tag@sub.example.com.br",
    "x_y@[192.0.2.1]",
    "user@[IPv6:2001:db8::1]",
    "o'brien@example.ie",
    "user@xn--bcher-kva.example",
    "\"john doe\"@example.com",
    "\"\"@example.com",
    "UPPER@EXAMPLE.COM",
    "a@localhost",
    "a.b-c@d-e.f",
];

const BAD_EMAILS: &[&str] = &[
    "not-an-email",
    "a@",
    "@example.com",
    "a b@example.com",
    "a@-example.com",
    "",
    "a@b..c",
    "a@example.com.",
    "é@example.com",
    "a@exämple.com",
    "a@ab--cd.com",
    "a@[300.1.1.1]",
];

const GOOD_URIS: &[&str] = &[
    "myapp://x",
    "https://a.b/c",
    "urn:isbn:1",
    "myapp://klavi/callback?x=1#y",
    "br.com.bank:/oauth",
    "a:",
    "mailto:a@b.co",
    "http://[2001:db8::1]:8080/x",
    "http://[v1.x]/",
    "http://host:/",
    "http://user:pass@host/p",
    "tel:+1-816-555-1212",
    "http://exa%41mple.com/%E2%82%AC",
    "file:///etc/hosts",
    "foo://example.com:8042/over/there?name=ferret#nose",
];

const BAD_URIS: &[&str] = &[
    "/relative/path",
    "my app://x",
    "",
    "1a:x",
    "a b:c",
    "//host/x",
    "http://exa mple.com",
    "myapp://x/%zz",
    "http://[::1/",
    "http://host:80:90/",
    "http://a@b@c/",
    "a:b#c#d",
    "http://é.com",
    "relative",
];

const GOOD_HTTP_URLS: &[&str] = &[
    "https://www.yourdomain.com/yourpath",
    "http://localhost:8080/klavi?x=1",
    "https://example.com",
    "https://a.b/c#d",
    "https://a",
    "http://192.0.2.1/x",
    "https://[2001:db8::1]/x",
    "https://user@host.example/p?q=1",
    "https://host:/",
    "https://:80",
    "https://exa%41mple.com",
    "http://a.b/%E2%82%AC",
];

const BAD_HTTP_URLS: &[&str] = &[
    "ftp://example.com/x",
    "https://",
    "https:///path",
    "https://?q",
    "https://#f",
    "www.example.com",
    "HTTPS://example.com",
    "Https://example.com",
    "https://exa mple.com",
    "https://x/%zz",
    "",
    "//example.com",
    "https:/example.com",
    "https://[::1",
    "myapp://x",
    " https://example.com",
];

/// An http(s) URL: a host name, an optional port, path, query and fragment.
fn generated_http_url() -> ValueStrategy {
    (
        select(vec!["http", "https"]),
        regex("[a-z][a-z0-9-]{0,8}[a-z0-9](\\.[a-z]{2,6}){0,2}"),
        regex("(:[0-9]{1,5})?"),
        regex("(/[A-Za-z0-9._~-]{0,8}){0,3}"),
        regex("(\\?[a-z]=[a-z0-9]{0,4})?(#[a-z]{0,4})?"),
    )
        .prop_map(|(scheme, host, port, path, rest)| {
            Value::from(format!("{scheme}://{host}{port}{path}{rest}"))
        })
        .boxed()
}

/// Report product names: snake_case, never `all` or `other`.
fn product_name() -> impl Strategy<Value = String> {
    regex("[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,4}){0,2}").prop_filter("reserved", |n| is_product_name(n))
}

const BAD_PRODUCT_NAMES: &[&str] = &[
    "Pf_checking",
    "a__b",
    "_a",
    "a_",
    "1a",
    "a-b",
    "a b",
    "é",
    "",
    "pf-checking-account",
    "all",
    "other",
];

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// RFC 3339 UTC timestamps (`Z`) with 0, 3 or 6 fractional digits; never a leap second.
fn utc_date_time() -> BoxedStrategy<String> {
    let year = prop_oneof![8 => 1970u32..2100, 1 => 0u32..=9999];
    let date = (year, 1u32..=12, 1u32..=31);
    let time = (0u32..24, 0u32..60, 0u32..60);
    let fraction = (select(vec![0usize, 3, 6]), 0u32..1_000_000_000);
    (date, time, fraction)
        .prop_map(|((y, mo, d), (h, mi, s), (digits, nanos))| {
            let d = d.min(days_in_month(y, mo));
            let mut text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
            if digits > 0 {
                text.push('.');
                text.push_str(&format!("{nanos:09}")[..digits]);
            }
            text.push('Z');
            text
        })
        .boxed()
}

/// A valid timestamp with one thing wrong: an offset instead of `Z`, lower-case `t` or `z`, a
/// space, no zone, ten fractional digits, a bare `.`, month 13, an impossible day, hour 24,
/// minute 60, a second 60 that is not a leap second, a date alone.
fn bad_utc_date_time() -> ValueStrategy {
    (utc_date_time(), 0usize..13)
        .prop_map(|(text, kind)| {
            let body = &text[..text.len() - 1];
            let replace = |range: std::ops::Range<usize>, with: &str| {
                let mut t = text.clone();
                t.replace_range(range, with);
                t
            };
            Value::from(match kind {
                0 => format!("{body}+00:00"),
                1 => format!("{body}z"),
                2 => replace(10..11, "t"),
                3 => replace(10..11, " "),
                4 => body.to_owned(),
                5 => format!("{}.1234567890Z", &text[..19]),
                6 => format!("{}.Z", &text[..19]),
                7 => replace(5..7, "13"),
                8 => "2023-02-29T00:00:00Z".to_owned(),
                9 => replace(11..13, "24"),
                10 => replace(14..16, "60"),
                11 => {
                    let mut t = replace(17..19, "60");
                    t.replace_range(11..13, "12");
                    t
                }
                _ => text[..10].to_owned(),
            })
        })
        .boxed()
}

/// A whole number of seconds: a non-negative integer (up to `u64::MAX`, sometimes an integral
/// float), or a string of 1 to 19 digits.
fn seconds() -> ValueStrategy {
    prop_oneof![
        4 => (0u64..100_000).prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => Just(Value::from(u64::MAX)),
        1 => (0u64..1 << 53).prop_map(|n| Value::from(n as f64)),
        3 => regex("[0-9]{1,19}").prop_map(Value::from),
    ]
    .boxed()
}

fn bad_seconds() -> ValueStrategy {
    prop_oneof![
        select(vec![
            json!(-1),
            json!(-1800),
            json!(1.5),
            json!(1e20),
            json!(""),
            json!("12a"),
            json!("-1"),
            json!(" 1800"),
            json!("1800 "),
            json!("12345678901234567890"),
            json!("1e3"),
            json!("+1"),
            json!("١٢"),
        ]),
        wrong_type(&[JsonType::Integer, JsonType::String]),
    ]
    .boxed()
}

/// A decimal amount: any JSON number, or a string of `-?[0-9]+(\.[0-9]+)?` (long ones too).
fn amount() -> ValueStrategy {
    prop_oneof![
        3 => regex("-?[0-9]{1,12}(\\.[0-9]{1,8})?").prop_map(Value::from),
        1 => regex("-?[0-9]{18,30}\\.[0-9]{10,20}").prop_map(Value::from),
        3 => any::<i64>().prop_map(Value::from),
        2 => (-1.0e12f64..1.0e12).prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("not finite", |f| f.is_finite().then(|| Value::from(f))),
    ]
    .boxed()
}

fn bad_amount() -> ValueStrategy {
    prop_oneof![
        pool(&[
            "1,5", "1.", ".5", "+1", "1e3", " 1", "1 ", "", "-", "abc", "--1", "0x10", "١٢",
            "1.2.3", "NaN", "Infinity",
        ]),
        wrong_type(&[JsonType::Number, JsonType::String]),
    ]
    .boxed()
}

/// What a server may send as a tax id: a valid one, a near miss, `""` or any text.
/// Dates as the docs print them, and texts that are not dates (kept all the same).
fn kept_date() -> ValueStrategy {
    prop_oneof![
        3 => regex("20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])").prop_map(Value::from),
        1 => any_text(),
    ]
    .boxed()
}

/// Date-times in the docs' three zone forms, and texts that are not date-times.
fn kept_date_time() -> ValueStrategy {
    prop_oneof![
        3 => regex("20[0-9]{2}-0[1-9]-[0-2][1-8]T[01][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{3})?(Z|[+-]0[0-9]:00)?")
            .prop_map(Value::from),
        1 => any_text(),
    ]
    .boxed()
}

fn unverified(valid: BoxedStrategy<String>) -> ValueStrategy {
    prop_oneof![
        Just(json!("")),
        valid.clone().prop_map(Value::from),
        near_miss_tax_id(valid).prop_map(Value::from),
        any_text(),
    ]
    .boxed()
}

/// `envelope` with the members of `body` added (when both are objects) and its member `tag`
/// set to `value`.
fn merge_body(envelope: Value, body: Value, tag: &str, value: Value) -> Value {
    let Value::Object(mut envelope) = envelope else {
        return envelope;
    };
    if let Value::Object(body) = body {
        envelope.extend(body);
    }
    envelope.insert(tag.to_owned(), value);
    Value::Object(envelope)
}
