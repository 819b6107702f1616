//! The intermediate representation: the Rust types, rules and endpoints the schemas describe,
//! in a deterministic order, with nothing left of JSON Schema's many ways to say one thing.

use crate::index::{EndpointSpec, MessageKind, StandaloneSpec};

/// Identity of a generated type: the schema node it comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId {
    /// The file holding the node.
    pub file: String,
    /// The node's JSON Pointer in that file.
    pub pointer: String,
}

/// A hand-written type of the klavi-types runtime that implements a schema node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuntimeType {
    /// `format: cpf`
    Cpf,
    /// `format: cnpj`
    Cnpj,
    /// `x-rust-type: UnverifiedCpf`: a CPF kept as received.
    UnverifiedCpf,
    /// `x-rust-type: UnverifiedCnpj`: a CNPJ kept as received.
    UnverifiedCnpj,
    /// `x-rust-type: UnverifiedTaxId`: a CPF or a CNPJ kept as received.
    UnverifiedTaxId,
    /// `format: email`
    Email,
    /// `format: uri`
    AbsoluteUri,
    /// `x-rust-type: HttpUrl`: absolute http(s) URL with a host.
    HttpUrl,
    /// `x-rust-type: UtcDateTime`: RFC 3339 in UTC.
    UtcDateTime,
    /// `x-rust-type: Seconds`: a non-negative integer, also accepted as a numeric string.
    Seconds,
    /// `x-rust-type: ProductName`: a snake_case report product name.
    ProductName,
    /// `x-rust-type: Amount`: a decimal number kept as its exact text.
    Amount,
    /// `x-rust-type: DateText`: a date kept as sent, parsed on demand.
    DateText,
    /// `x-rust-type: DateTimeText`: a date-time kept as sent (any zone form), parsed on demand.
    DateTimeText,
    /// `x-klavi-secret: true`: a credential.
    Secret,
    /// `x-klavi-personal-data: true` on a string: personal data without a more specific type.
    PersonalData,
    /// `x-klavi-personal-data: true` on a free-form object (a webhook payload).
    PersonalObject,
}

impl RuntimeType {
    /// Names accepted by `x-rust-type`, with the type they select.
    pub const BY_NAME: &'static [(&'static str, RuntimeType)] = &[
        ("UnverifiedCpf", RuntimeType::UnverifiedCpf),
        ("UnverifiedCnpj", RuntimeType::UnverifiedCnpj),
        ("UnverifiedTaxId", RuntimeType::UnverifiedTaxId),
        ("HttpUrl", RuntimeType::HttpUrl),
        ("UtcDateTime", RuntimeType::UtcDateTime),
        ("Seconds", RuntimeType::Seconds),
        ("ProductName", RuntimeType::ProductName),
        ("Amount", RuntimeType::Amount),
        ("DateText", RuntimeType::DateText),
        ("DateTimeText", RuntimeType::DateTimeText),
    ];

    /// The path of the type inside klavi-types (`tax_id::Cpf`).
    pub fn path(self) -> &'static str {
        match self {
            RuntimeType::Cpf => "tax_id::Cpf",
            RuntimeType::Cnpj => "tax_id::Cnpj",
            RuntimeType::UnverifiedCpf => "tax_id::UnverifiedCpf",
            RuntimeType::UnverifiedCnpj => "tax_id::UnverifiedCnpj",
            RuntimeType::UnverifiedTaxId => "tax_id::UnverifiedTaxId",
            RuntimeType::Email => "formats::Email",
            RuntimeType::AbsoluteUri => "formats::AbsoluteUri",
            RuntimeType::HttpUrl => "formats::HttpUrl",
            RuntimeType::UtcDateTime => "formats::UtcDateTime",
            RuntimeType::Seconds => "formats::Seconds",
            RuntimeType::ProductName => "formats::ProductName",
            RuntimeType::Amount => "formats::Amount",
            RuntimeType::DateText => "formats::DateText",
            RuntimeType::DateTimeText => "formats::DateTimeText",
            RuntimeType::Secret => "secret::Secret",
            RuntimeType::PersonalData => "personal::PersonalData",
            RuntimeType::PersonalObject => "personal::PersonalObject",
        }
    }

    /// Whether values of the type are personal data or a secret, never to be shown: tax ids,
    /// e-mails, credentials, and values the schema marks personal.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            RuntimeType::Cpf
                | RuntimeType::Cnpj
                | RuntimeType::UnverifiedCpf
                | RuntimeType::UnverifiedCnpj
                | RuntimeType::UnverifiedTaxId
                | RuntimeType::Email
                | RuntimeType::Secret
                | RuntimeType::PersonalData
                | RuntimeType::PersonalObject
        )
    }

    /// Whether the type is a string on the wire (and so can be a map key or enum fallback).
    pub fn is_string(self) -> bool {
        !matches!(
            self,
            RuntimeType::Seconds | RuntimeType::Amount | RuntimeType::PersonalObject
        )
    }

    /// The JSON types a non-string runtime type must declare (`["integer", "string"]`).
    pub fn union_types(self) -> Option<[&'static str; 2]> {
        match self {
            RuntimeType::Seconds => Some(["integer", "string"]),
            RuntimeType::Amount => Some(["number", "string"]),
            _ => None,
        }
    }
}

/// A value check that the type itself does not enforce; run by `validate()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// `minLength` (in characters).
    MinLength(u64),
    /// `maxLength` (in characters).
    MaxLength(u64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `minimum` (integers).
    Minimum(i64),
    /// `maximum` (integers).
    Maximum(i64),
    /// `anyOf: [{not: {contains: {const: X}}}, {maxItems: 1}]`: the item `X` may only stand alone.
    AloneItem(String),
}

/// The Rust shape of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TyKind {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i64`
    Integer,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    /// A runtime type.
    Runtime(RuntimeType),
    /// A generated type.
    Named(TypeId),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<K, V>` with string-like keys.
    Map(Box<Ty>, Box<Ty>),
    /// `anyOf: [T, {type: array, items: T}]`: one value or an array of them.
    OneOrMany(Box<Ty>),
}

/// A value type plus the checks `validate()` runs on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ty {
    /// The shape.
    pub kind: TyKind,
    /// Checks on the value itself.
    pub checks: Vec<Check>,
}

impl Ty {
    /// A type without checks.
    pub fn plain(kind: TyKind) -> Self {
        Ty {
            kind,
            checks: Vec::new(),
        }
    }
}

/// What a struct does with members it does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownFields {
    /// `additionalProperties: false`: an error (requests).
    Deny,
    /// No `additionalProperties`: ignored (responses).
    Ignore,
    /// `additionalProperties: true`: kept in an `extra` map (free-form objects).
    Keep,
    /// `additionalProperties: true` with `x-klavi-raw: true`: kept as exact JSON text
    /// (`extra: BTreeMap<String, Box<RawValue>>`), so that numbers never pass through `f64`.
    KeepRaw,
}

/// One member of a struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The wire name (`redirectURL`).
    pub wire: String,
    /// The Rust name (`redirect_url`).
    pub rust: String,
    /// Documentation.
    pub doc: String,
    /// The value type.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What the member is to the Rust type.
    pub role: FieldRole,
    /// `x-klavi-aliases`: other wire spellings accepted when reading (`eventID`).
    pub aliases: Vec<String>,
}

/// What a declared member is to the Rust type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldRole {
    /// A member with a Rust field of its own.
    Member,
    /// `const`: the tag of a union variant, with this value; it has no Rust field (the variant
    /// says it).
    Tag(String),
    /// A spelling listed in another member's `x-klavi-aliases`: read into that member, no Rust
    /// field of its own.
    Alias,
}

impl Field {
    /// Whether the member has a Rust field of its own (neither a tag nor an alias).
    pub fn is_member(&self) -> bool {
        self.role == FieldRole::Member
    }

    /// The tag value, when the member is a union tag.
    pub fn tag(&self) -> Option<&str> {
        match &self.role {
            FieldRole::Tag(value) => Some(value),
            _ => None,
        }
    }
}

/// A rule across the members of one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `dependentRequired`: when `trigger` is present, each of `required` must be.
    Dependent {
        /// The member whose presence triggers the rule.
        trigger: usize,
        /// Members then required (field indexes).
        required: Vec<usize>,
    },
    /// `anyOf` of `required` lists: at least one alternative must be complete.
    AnyOf(Vec<Vec<usize>>),
    /// `if: {properties: {F: {const: V}}}, then: {required: [...]}`: when member `field` equals
    /// `value`, each of `required` must be present.
    Conditional {
        /// The member tested.
        field: usize,
        /// The value that triggers the rule (a JSON literal).
        value: String,
        /// Members then required (field indexes).
        required: Vec<usize>,
    },
}

/// A unit variant of an enum: one known wire value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The wire value.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
    /// Documentation.
    pub doc: String,
}

/// The catch-all variant of an open enum or union: it keeps a value this version does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fallback {
    /// The Rust variant name.
    pub rust: String,
    /// Documentation.
    pub doc: String,
    /// The payload type: a string-like type (string enums), `i64` (integer enums) or an object
    /// ([`RuntimeType::PersonalObject`], unions).
    pub ty: Ty,
}

/// A variant of a tagged union: one object type and the tag value that selects it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnionVariant {
    /// The tag member's value for this variant (`basic`).
    pub tag_value: String,
    /// The Rust variant name.
    pub rust: String,
    /// Documentation (the variant type's).
    pub doc: String,
    /// The variant's object type.
    pub ty: TypeId,
}

/// A known value of an integer enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntVariant {
    /// The wire value.
    pub value: i64,
    /// The Rust variant name.
    pub rust: String,
    /// Documentation.
    pub doc: String,
}

/// The body of a generated type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeBody {
    /// A struct with named members.
    Struct {
        /// Members in schema order.
        fields: Vec<Field>,
        /// What happens to undeclared members.
        unknown: UnknownFields,
        /// Cross-member rules.
        rules: Vec<Rule>,
        /// The bodies it chooses by one of its members, if any.
        bodies: Option<Bodies>,
    },
    /// A string enum; open when it has a fallback.
    Enum {
        /// Known values.
        variants: Vec<Variant>,
        /// The catch-all, for open enums.
        fallback: Option<Fallback>,
    },
    /// An integer enum; open (keeping unknown numbers) when it has a fallback.
    IntEnum {
        /// Known values.
        variants: Vec<IntVariant>,
        /// The catch-all (of type `i64`), for open enums.
        fallback: Option<Fallback>,
    },
    /// A map in which one key excludes every other (`all` in `productsCallbackURL`).
    ExclusiveMap {
        /// The exclusive key's wire name.
        key: String,
        /// Variant holding the exclusive key's value.
        exclusive_variant: String,
        /// Documentation of that variant.
        exclusive_doc: String,
        /// Variant holding the other entries.
        entries_variant: String,
        /// Type of the other keys.
        key_ty: Ty,
        /// Type of every value.
        value_ty: Ty,
    },
    /// A newtype around another type: a message whose root is an array (or another inline
    /// type), or one value or an array of them ([`TyKind::OneOrMany`]).
    Newtype(Ty),
    /// A union of object types told apart by the string `const` of one member (`mfaType`).
    TaggedUnion {
        /// The tag member's wire name.
        tag: String,
        /// The variants, in schema order.
        variants: Vec<UnionVariant>,
        /// The catch-all keeping unknown objects, if open.
        fallback: Option<Fallback>,
    },
}

/// A generated type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    /// Where it comes from.
    pub id: TypeId,
    /// The Rust name.
    pub name: String,
    /// The module it is emitted into.
    pub module: String,
    /// Documentation (from `title`/`description`).
    pub doc: String,
    /// The body.
    pub body: TypeBody,
    /// The self-contained JSON Schema of this type (its dependencies in `$defs`), computed by
    /// `bundle` when the model is assembled.
    pub schema: String,
}

/// A message of an endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Message id (`create-link.request`).
    pub id: String,
    /// The role of the message.
    pub kind: MessageKind,
    /// The type of the message.
    pub ty: TypeId,
    /// The schema file.
    pub file: String,
    /// The message file's own `examples` (JSON text), when the file is only a `$ref` to a type
    /// that other messages share (each report product of one body type has its own examples).
    pub alias_examples: Option<String>,
}

/// An endpoint with its messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The endpoint as the index describes it.
    pub spec: EndpointSpec,
    /// Rust name of the endpoint marker type (`CreateLink`).
    pub rust: String,
    /// Messages in kind order.
    pub messages: Vec<Message>,
}

/// A module and its documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Module name.
    pub name: String,
    /// Module documentation.
    pub doc: String,
}

/// Everything to emit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// Declared modules (sorted by name).
    pub modules: Vec<Module>,
    /// Generated types (sorted by module, then name).
    pub types: Vec<TypeDef>,
    /// Endpoints in index order.
    pub endpoints: Vec<Endpoint>,
    /// Messages of no endpoint (error bodies, webhooks, redirects), in index order.
    pub standalone: Vec<Standalone>,
}

/// A message of no endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standalone {
    /// The message as the index describes it.
    pub spec: StandaloneSpec,
    /// The message.
    pub message: Message,
}

impl Model {
    /// The type with id `id`.
    pub fn get(&self, id: &TypeId) -> Option<&TypeDef> {
        self.types.iter().find(|t| &t.id == id)
    }
}

/// The bodies a struct chooses by one of its members (`allOf` of `if`/`then`): the product body
/// of a report, chosen by its `productName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bodies {
    /// The wire name of the member that chooses (a required string member of the struct).
    pub tag: String,
    /// The Rust name of the enum of the bodies (`ProductReportBody`).
    pub rust: String,
    /// The bodies, in schema order.
    pub variants: Vec<BodyVariant>,
}

/// One body of [`Bodies`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyVariant {
    /// The values of the tag that choose it.
    pub tag_values: Vec<String>,
    /// The variant's Rust name (`Balances`).
    pub rust: String,
    /// Its documentation.
    pub doc: String,
    /// The body's object type.
    pub ty: TypeId,
    /// The wire names the body type reads (its members and their aliases).
    pub members: Vec<String>,
}
