//! What the generator knows about a message and tells the runtime, so that nothing at run time
//! reads the schema text again: the member names its types declare, the definitions of its
//! bundled schema that runtime types implement, and its places: which values may be shown and
//! which are personal data, secrets or free-form JSON, as a tree that follows the JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::business_errors::{BusinessErrorRule, rules_of};
use crate::model::{Model, RuntimeType, Ty, TyKind, TypeBody, TypeId};

/// The facts about one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageFacts {
    /// Every member name the message's types declare (aliases included), sorted.
    pub member_names: Vec<String>,
    /// The definitions of the bundled schema implemented by a runtime type: (`$defs` name,
    /// runtime type name), sorted by name.
    pub runtime_types: Vec<(String, String)>,
    /// The places of the message's values, the root first.
    pub places: Vec<Place>,
    /// The business errors answered for violations in the message (`x-klavi-business-errors`),
    /// sorted by pointer template.
    pub business_errors: Vec<BusinessErrorRule>,
}

/// Where a value may be in the message, and how it is shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The value and everything inside it are hidden: personal data, a secret, or free-form
    /// JSON that no schema describes.
    pub hidden: bool,
    /// Which of its scalar values may be shown, when it is not hidden.
    pub shown: Shown,
    /// The members an object here declares: (wire name, place of its value).
    pub members: Vec<(String, usize)>,
    /// The place of the items, when the value may be an array.
    pub items: Option<usize>,
    /// The place of the values under keys the object does not declare, when it is a map.
    pub values: Option<usize>,
}

/// Which scalar values a place may show (the runtime's `registry::Shown`): a value only when
/// its declared type cannot carry personal data, and it is a value of that type.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shown {
    /// Numbers, flags, objects, arrays.
    #[default]
    Plain,
    /// Free text (a string without a format).
    Text,
    /// An enum's declared values.
    OneOf(Vec<String>),
    /// A format that carries no personal data: the runtime's `registry::Format` variant.
    Format(&'static str),
}

impl Shown {
    /// How values of the runtime type `rt` are shown (sensitive ones are hidden whole).
    fn of_runtime(rt: RuntimeType) -> Shown {
        match rt {
            RuntimeType::AbsoluteUri => Shown::Format("AbsoluteUri"),
            RuntimeType::HttpUrl => Shown::Format("HttpUrl"),
            RuntimeType::UtcDateTime => Shown::Format("UtcDateTime"),
            RuntimeType::DateText => Shown::Format("DateText"),
            RuntimeType::DateTimeText => Shown::Format("DateTimeText"),
            RuntimeType::Seconds => Shown::Format("Seconds"),
            RuntimeType::Amount => Shown::Format("Amount"),
            RuntimeType::ProductName => Shown::Format("ProductName"),
            _ => Shown::Plain,
        }
    }
}

/// The facts about the message of type `root`.
pub fn message_facts(model: &Model, root: &TypeId) -> MessageFacts {
    let mut builder = Builder {
        model,
        places: Vec::new(),
        named: BTreeMap::new(),
        leaves: BTreeMap::new(),
        member_names: BTreeSet::new(),
    };
    builder.place_of(&Ty::plain(TyKind::Named(root.clone())));
    let bundle = model
        .get(root)
        .and_then(|def| serde_json::from_str::<Value>(&def.schema).ok());
    MessageFacts {
        member_names: builder.member_names.into_iter().collect(),
        runtime_types: bundle.as_ref().map(runtime_types).unwrap_or_default(),
        places: builder.places,
        business_errors: bundle.as_ref().map(rules_of).unwrap_or_default(),
    }
}

/// The `$defs` of a bundled schema with an `x-rust-type`.
fn runtime_types(schema: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = schema
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, def)| {
            let runtime = def.get("x-rust-type")?.as_str()?;
            Some((name.clone(), runtime.to_owned()))
        })
        .collect();
    found.sort();
    found
}

struct Builder<'m> {
    model: &'m Model,
    places: Vec<Place>,
    /// The place of each generated type met so far (a type holding itself refers back).
    named: BTreeMap<TypeId, usize>,
    /// The one place of scalars of each kind: hidden or not, and what is shown.
    leaves: BTreeMap<(bool, Shown), usize>,
    member_names: BTreeSet<String>,
}

impl Builder<'_> {
    /// The index of a new place.
    fn new_place(&mut self, place: Place) -> usize {
        self.places.push(place);
        self.places.len() - 1
    }

    /// The place of values with nothing declared inside, shared by all of their kind.
    fn leaf(&mut self, hidden: bool, shown: Shown) -> usize {
        let shown = if hidden { Shown::Plain } else { shown };
        if let Some(at) = self.leaves.get(&(hidden, shown.clone())) {
            return *at;
        }
        let at = self.new_place(Place {
            hidden,
            shown: shown.clone(),
            ..Place::default()
        });
        self.leaves.insert((hidden, shown), at);
        at
    }

    /// The place of a value of type `ty`.
    fn place_of(&mut self, ty: &Ty) -> usize {
        match &ty.kind {
            TyKind::Runtime(rt) => self.leaf(rt.is_sensitive(), Shown::of_runtime(*rt)),
            // Any JSON: nothing says what it holds.
            TyKind::Json => self.leaf(true, Shown::Plain),
            TyKind::String => self.leaf(false, Shown::Text),
            TyKind::Bool | TyKind::Integer | TyKind::JsonObject => self.leaf(false, Shown::Plain),
            TyKind::Vec(item) => {
                let at = self.new_place(Place::default());
                let item = self.place_of(item);
                self.places[at].items = Some(item);
                at
            }
            TyKind::Map(_, value) => {
                let at = self.new_place(Place::default());
                let value = self.place_of(value);
                self.places[at].values = Some(value);
                at
            }
            TyKind::OneOrMany(item) => {
                // One object, read as the item's own place, or an array of them.
                let one = self.place_of(item);
                let mut place = self.places[one].clone();
                place.items = Some(one);
                self.new_place(place)
            }
            TyKind::Named(id) => self.named_place(id),
        }
    }

    /// The place of a generated type, shared by every use of it.
    /// Adds the members of the struct `id` to the place `at` (the first declaration of a name
    /// wins).
    fn share_members(&mut self, at: usize, id: &TypeId) {
        let inner = self.named_place(id);
        let members = self.places[inner].members.clone();
        for member in members {
            if !self.places[at].members.iter().any(|(n, _)| *n == member.0) {
                self.places[at].members.push(member);
            }
        }
    }

    fn named_place(&mut self, id: &TypeId) -> usize {
        if let Some(at) = self.named.get(id) {
            return *at;
        }
        match self.model.get(id).map(|def| &def.body) {
            Some(TypeBody::Enum { variants, .. }) => {
                let values = variants.iter().map(|v| v.wire.clone()).collect();
                return self.leaf(false, Shown::OneOf(values));
            }
            Some(TypeBody::IntEnum { .. }) => return self.leaf(false, Shown::Plain),
            _ => {}
        }
        let at = self.new_place(Place::default());
        self.named.insert(id.clone(), at);
        let Some(def) = self.model.get(id) else {
            return at;
        };
        match &def.body {
            TypeBody::Struct { fields, bodies, .. } => {
                for field in fields {
                    self.member_names.insert(field.wire.clone());
                    let value = self.place_of(&field.ty);
                    self.places[at].members.push((field.wire.clone(), value));
                    for alias in &field.aliases {
                        self.member_names.insert(alias.clone());
                    }
                }
                // The bodies' members are the object's own: the tag says which apply.
                for variant in bodies.iter().flat_map(|b| &b.variants) {
                    self.share_members(at, &variant.ty);
                }
            }
            TypeBody::TaggedUnion {
                variants, fallback, ..
            } => {
                // The variants' members, together: the tag says which applies.
                for variant in variants {
                    self.share_members(at, &variant.ty);
                }
                if fallback.is_some() && self.places[at].members.is_empty() {
                    self.places[at].hidden = true;
                }
            }
            TypeBody::ExclusiveMap { value_ty, .. } => {
                let value = self.place_of(value_ty);
                self.places[at].values = Some(value);
            }
            TypeBody::Newtype(inner) => {
                let inner = self.place_of(inner);
                self.places[at] = self.places[inner].clone();
            }
            TypeBody::Enum { .. } | TypeBody::IntEnum { .. } => {}
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Fixture;

    fn facts(fixture: Fixture) -> MessageFacts {
        let model = fixture.lower().expect("the fixture lowers");
        let root = &model.endpoints[0].messages[0].ty;
        message_facts(&model, root)
    }

    /// The place reached from the root through `path` (member names, `[]` for an item, `*` for
    /// a map value).
    fn at<'f>(facts: &'f MessageFacts, path: &[&str]) -> &'f Place {
        let mut place = &facts.places[0];
        for step in path {
            let next = match *step {
                "[]" => place.items,
                "*" => place.values,
                name => place
                    .members
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, p)| *p),
            };
            place = &facts.places[next.unwrap_or_else(|| panic!("no {step} in {place:?}"))];
        }
        place
    }

    #[test]
    fn personal_secret_and_free_form_values_are_hidden() {
        let facts = facts(Fixture::request(
            r#"{"type": "object", "properties": {
                "cpf": {"type": "string", "format": "cpf"},
                "token": {"type": "string", "x-klavi-secret": true},
                "url": {"type": "string", "format": "uri"},
                "any": {},
                "info": {"type": "object"},
                "emails": {"type": "array", "items": {"type": "string", "format": "email"}},
                "names": {"type": "object", "additionalProperties": {"type": "string", "x-klavi-personal-data": true}}}}"#,
        ));
        assert!(at(&facts, &["cpf"]).hidden && at(&facts, &["token"]).hidden);
        assert!(!at(&facts, &["url"]).hidden && !at(&facts, &["info"]).hidden);
        assert!(at(&facts, &["any"]).hidden);
        assert!(at(&facts, &["emails", "[]"]).hidden && !at(&facts, &["emails"]).hidden);
        assert!(at(&facts, &["names", "*"]).hidden);
        assert_eq!(
            facts.member_names,
            ["any", "cpf", "emails", "info", "names", "token", "url"]
        );
    }

    #[test]
    fn unions_and_one_or_many_share_their_members() {
        let facts = facts(
            Fixture::request(
                r#"{"type": "object", "properties": {"mfa": {"anyOf": [
                    {"$ref": "defs.json#/$defs/Basic"}, {"type": "object"}]},
                    "events": {"anyOf": [{"$ref": "defs.json#/$defs/Basic"},
                        {"type": "array", "items": {"$ref": "defs.json#/$defs/Basic"}}]}}}"#,
            )
            .defs(
                r#"{"$defs": {"Basic": {"type": "object", "properties": {
                    "kind": {"const": "basic"},
                    "password": {"type": "string", "x-klavi-secret": true}}}}}"#,
            ),
        );
        assert!(at(&facts, &["mfa", "password"]).hidden);
        assert!(!at(&facts, &["mfa", "kind"]).hidden);
        assert!(at(&facts, &["events", "password"]).hidden);
        assert!(at(&facts, &["events", "[]", "password"]).hidden);
    }

    #[test]
    fn a_type_that_holds_itself_refers_back_to_its_place() {
        let facts = facts(Fixture::request(
            r##"{"type": "object", "properties": {"name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#"}}}}"##,
        ));
        let child = at(&facts, &["children", "[]"]);
        assert_eq!(child, &facts.places[0]);
        assert!(facts.places.len() < 10, "{:?}", facts.places);
    }

    #[test]
    fn runtime_types_are_read_from_the_bundle() {
        let facts = facts(
            Fixture::request(
                r#"{"type": "object", "properties": {"expireIn": {"$ref": "defs.json#/$defs/Seconds"}}}"#,
            )
            .defs(
                r#"{"$defs": {"Seconds": {"type": ["integer", "string"], "minimum": 0,
                    "pattern": "^[0-9]+$", "x-rust-type": "Seconds"}}}"#,
            ),
        );
        assert_eq!(
            facts.runtime_types,
            [("Seconds".to_owned(), "Seconds".to_owned())]
        );
    }
}
