//! The one table of supported keywords: for each, what its value must be (read by `check`) and
//! the node shapes it may appear on (read by `lower`). A keyword outside the table is unknown; a
//! keyword on a shape its row does not list is unsupported there. Adding a keyword, or allowing
//! one on another shape, is one row.

use crate::shape::Shape;

/// What a keyword's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A schema (object or boolean).
    Schema,
    /// An object whose values are schemas.
    SchemaMap,
    /// A non-empty array of schemas.
    SchemaList,
    /// A string.
    Text,
    /// A string that is a regular expression.
    Pattern,
    /// A boolean.
    Flag,
    /// A non-negative integer.
    Count,
    /// An integer.
    Integer,
    /// Any JSON value (annotations, `const`).
    Anything,
    /// An array of any values (`examples`).
    List,
    /// An array of unique values (`enum`).
    Values,
    /// An array of unique strings.
    Names,
    /// An object mapping names to arrays of names.
    NameLists,
    /// A type name or a non-empty array of type names.
    Types,
    /// The 2020-12 meta-schema URI.
    Dialect,
    /// A name from [`crate::model::RuntimeType::BY_NAME`].
    RustType,
    /// A Rust identifier that is not a keyword (`x-rust-name`).
    RustName,
    /// The business errors a server answers instead of a `400` (`x-klavi-business-errors`): a
    /// non-empty array of `{status, code, message, violations}` (see
    /// [`crate::business_errors`]).
    BusinessErrors,
}

/// Where a keyword may appear: a set of [`Shape`]s (one bit each, see [`Shape::bit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shapes(u16);

impl Shapes {
    /// Annotations: allowed on every shape.
    pub const ANY: Shapes = Shapes(u16::MAX);
    /// Keywords read only as part of a larger pattern (`const` in an enum branch,
    /// `maxProperties` in an exclusive-key map's `dependentSchemas`, `$ref`, which replaces
    /// the node), never on a node the generator classifies.
    pub const NONE: Shapes = Shapes(0);

    /// The set of `shapes`.
    const fn of(shapes: &[Shape]) -> Shapes {
        let mut bits = 0;
        let mut i = 0;
        while i < shapes.len() {
            bits |= shapes[i].bit();
            i += 1;
        }
        Shapes(bits)
    }

    /// Whether `shape` is in the set.
    pub fn contains(self, shape: &Shape) -> bool {
        self.0 & shape.bit() != 0
    }
}

/// One supported keyword.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Keyword {
    /// The keyword (`minLength`).
    pub name: &'static str,
    /// What its value must be.
    pub expect: Expect,
    /// The shapes it may appear on.
    pub on: Shapes,
}

const fn row(name: &'static str, expect: Expect, on: Shapes) -> Keyword {
    Keyword { name, expect, on }
}

use Shape as S;

/// A runtime-typed string (`format`, `x-rust-type`, `x-klavi-*`), which may carry the standard
/// constraints its runtime type enforces.
const RUNTIME: Shape = Shape::Runtime(crate::model::RuntimeType::Cpf);

/// The supported keywords, in the order `klavi-schema` lists them. Everything else, `x-`
/// extensions included, is an error.
pub(crate) const KEYWORDS: &[Keyword] = &[
    row("$schema", Expect::Dialect, Shapes::ANY),
    row("$comment", Expect::Text, Shapes::ANY),
    row("$defs", Expect::SchemaMap, Shapes::ANY),
    row("$ref", Expect::Text, Shapes::NONE),
    row("title", Expect::Text, Shapes::ANY),
    row("description", Expect::Text, Shapes::ANY),
    row("examples", Expect::List, Shapes::ANY),
    row("deprecated", Expect::Flag, Shapes::ANY),
    row(
        "type",
        Expect::Types,
        Shapes::of(&[
            RUNTIME,
            S::String,
            S::Integer,
            S::Bool,
            S::Json,
            S::JsonObject,
            S::Array,
            S::Map,
            S::Struct,
            S::Enum,
            S::IntEnum,
            S::TaggedUnion,
            S::OneOrMany,
            S::ExclusiveMap,
        ]),
    ),
    row("enum", Expect::Values, Shapes::of(&[S::Enum, S::IntEnum])),
    row("const", Expect::Anything, Shapes::NONE),
    row("properties", Expect::SchemaMap, Shapes::of(&[S::Struct])),
    row("required", Expect::Names, Shapes::of(&[S::Struct])),
    row(
        "additionalProperties",
        Expect::Schema,
        Shapes::of(&[S::JsonObject, S::Struct, S::Map, S::ExclusiveMap]),
    ),
    row(
        "propertyNames",
        Expect::Schema,
        Shapes::of(&[S::Map, S::ExclusiveMap]),
    ),
    row(
        "dependentRequired",
        Expect::NameLists,
        Shapes::of(&[S::Struct]),
    ),
    row(
        "dependentSchemas",
        Expect::SchemaMap,
        Shapes::of(&[S::ExclusiveMap]),
    ),
    row("minProperties", Expect::Count, Shapes::NONE),
    row("maxProperties", Expect::Count, Shapes::NONE),
    row("items", Expect::Schema, Shapes::of(&[S::Array])),
    row("minItems", Expect::Count, Shapes::of(&[S::Array])),
    row("maxItems", Expect::Count, Shapes::of(&[S::Array])),
    row(
        "anyOf",
        Expect::SchemaList,
        Shapes::of(&[
            S::Struct,
            S::Array,
            S::Enum,
            S::IntEnum,
            S::TaggedUnion,
            S::OneOrMany,
        ]),
    ),
    row(
        "oneOf",
        Expect::SchemaList,
        Shapes::of(&[S::Enum, S::IntEnum, S::TaggedUnion, S::OneOrMany]),
    ),
    // Only as a list of `if`/`then` choosing a struct's body (`lower/bodies.rs`).
    row("allOf", Expect::SchemaList, Shapes::of(&[S::Struct])),
    row("not", Expect::Schema, Shapes::of(&[RUNTIME])),
    row("contains", Expect::Schema, Shapes::NONE),
    row("if", Expect::Schema, Shapes::of(&[S::Struct])),
    row("then", Expect::Schema, Shapes::of(&[S::Struct])),
    row("format", Expect::Text, Shapes::of(&[RUNTIME])),
    row("pattern", Expect::Pattern, Shapes::of(&[RUNTIME])),
    row("minLength", Expect::Count, Shapes::of(&[S::String])),
    row("maxLength", Expect::Count, Shapes::of(&[S::String])),
    row(
        "minimum",
        Expect::Integer,
        Shapes::of(&[RUNTIME, S::Integer]),
    ),
    row(
        "maximum",
        Expect::Integer,
        Shapes::of(&[RUNTIME, S::Integer]),
    ),
    row("x-rust-name", Expect::RustName, Shapes::ANY),
    row("x-rust-type", Expect::RustType, Shapes::of(&[RUNTIME])),
    row(
        "x-rust-entries-name",
        Expect::RustName,
        Shapes::of(&[S::ExclusiveMap]),
    ),
    row("x-klavi-secret", Expect::Flag, Shapes::of(&[RUNTIME])),
    row(
        "x-klavi-personal-data",
        Expect::Flag,
        Shapes::of(&[RUNTIME]),
    ),
    row("x-klavi-aliases", Expect::Names, Shapes::ANY),
    row("x-klavi-raw", Expect::Flag, Shapes::of(&[S::Struct])),
    row(
        "x-klavi-business-errors",
        Expect::BusinessErrors,
        Shapes::ANY,
    ),
];

/// The row of `name`, if it is a supported keyword.
pub(crate) fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Whether `name` is an annotation, allowed on every shape.
pub(crate) fn is_annotation(name: &str) -> bool {
    keyword(name).is_some_and(|k| k.on == Shapes::ANY)
}

/// Whether `name` may appear on a node of `shape` (annotations included).
pub(crate) fn allowed_on(name: &str, shape: &Shape) -> bool {
    keyword(name).is_some_and(|k| k.on.contains(shape))
}

/// The keywords `shape` takes besides the annotations, in table order (for messages).
pub(crate) fn specific_to(shape: &Shape) -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .filter(move |k| k.on != Shapes::ANY && k.on.contains(shape))
        .map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RuntimeType;

    #[test]
    fn names_are_unique() {
        for (i, k) in KEYWORDS.iter().enumerate() {
            assert!(
                KEYWORDS[..i].iter().all(|other| other.name != k.name),
                "{} twice",
                k.name
            );
        }
    }

    #[test]
    fn annotations_are_allowed_everywhere_and_structure_is_not() {
        for shape in [
            S::String,
            S::Struct,
            S::Enum,
            Shape::Runtime(RuntimeType::Email),
        ] {
            assert!(allowed_on("description", &shape));
            assert!(allowed_on("x-rust-name", &shape));
            assert!(!allowed_on("const", &shape));
            assert!(!allowed_on("$ref", &shape));
            assert_eq!(allowed_on("allOf", &shape), shape == S::Struct);
        }
        assert!(is_annotation("deprecated"));
        assert!(!is_annotation("type"));
    }

    #[test]
    fn every_runtime_type_shares_one_row() {
        let email = Shape::Runtime(RuntimeType::Email);
        let amount = Shape::Runtime(RuntimeType::Amount);
        assert!(allowed_on("pattern", &email) && allowed_on("pattern", &amount));
        assert!(!allowed_on("pattern", &S::String));
    }

    #[test]
    fn shape_specific_lists_keep_table_order() {
        assert_eq!(
            specific_to(&S::String).collect::<Vec<_>>(),
            ["type", "minLength", "maxLength"]
        );
        assert_eq!(
            specific_to(&S::Enum).collect::<Vec<_>>(),
            ["type", "enum", "anyOf", "oneOf"]
        );
        assert_eq!(specific_to(&S::Bool).collect::<Vec<_>>(), ["type"]);
    }
}
