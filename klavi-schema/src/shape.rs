//! The shapes a schema node can have. Each node is classified into exactly one (by
//! `lower::classify`); the keyword table says which keywords each shape takes, and each
//! generated shape has one lowering file (`lower/`) and one emitting file (`emit/`) of the same
//! name.

use crate::model::RuntimeType;

/// The shape of a schema node, decided once from its keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A string (or number/string union) implemented by a runtime type of klavi-types.
    Runtime(RuntimeType),
    /// `type: string`.
    String,
    /// `type: integer`.
    Integer,
    /// `type: boolean`.
    Bool,
    /// `{}`: any JSON value.
    Json,
    /// `type: object` with nothing declared: a free-form object.
    JsonObject,
    /// `type: array`.
    Array,
    /// `type: object` with `additionalProperties: SCHEMA`.
    Map,
    /// `type: object` with `properties`: a struct (`lower/structs.rs`).
    Struct,
    /// A string enum (`lower/enums.rs`).
    Enum,
    /// An integer enum (`lower/int_enums.rs`).
    IntEnum,
    /// A union of object types told apart by a tag member (`lower/unions.rs`).
    TaggedUnion,
    /// `anyOf: [T, {type: array, items: T}]` (`lower/newtypes.rs`).
    OneOrMany,
    /// A map in which one key excludes every other (`lower/exclusive_maps.rs`).
    ExclusiveMap,
}

impl Shape {
    /// The shape's bit in a [`crate::keywords::Shapes`] set.
    pub const fn bit(&self) -> u16 {
        1 << match self {
            Shape::Runtime(_) => 0,
            Shape::String => 1,
            Shape::Integer => 2,
            Shape::Bool => 3,
            Shape::Json => 4,
            Shape::JsonObject => 5,
            Shape::Array => 6,
            Shape::Map => 7,
            Shape::Struct => 8,
            Shape::Enum => 9,
            Shape::IntEnum => 10,
            Shape::TaggedUnion => 11,
            Shape::OneOrMany => 12,
            Shape::ExclusiveMap => 13,
        }
    }

    /// Whether a node of this shape becomes a generated type of its own.
    pub fn is_generated(&self) -> bool {
        matches!(
            self,
            Shape::Struct
                | Shape::Enum
                | Shape::IntEnum
                | Shape::TaggedUnion
                | Shape::OneOrMany
                | Shape::ExclusiveMap
        )
    }

    /// The shape in words, for messages ("a string").
    pub fn describe(&self) -> &'static str {
        match self {
            Shape::Runtime(_) => "a runtime-typed string",
            Shape::String => "a string",
            Shape::Integer => "an integer",
            Shape::Bool => "a boolean",
            Shape::Json => "any JSON value",
            Shape::JsonObject => "a free-form object",
            Shape::Array => "an array",
            Shape::Map => "a map",
            Shape::Struct => "an object with properties",
            Shape::Enum => "an enum",
            Shape::IntEnum => "an integer enum",
            Shape::TaggedUnion => "a union of objects",
            Shape::OneOrMany => "one value or an array of them",
            Shape::ExclusiveMap => "a map with an exclusive key",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_has_its_own_bit() {
        let all = [
            Shape::Runtime(RuntimeType::Cpf),
            Shape::String,
            Shape::Integer,
            Shape::Bool,
            Shape::Json,
            Shape::JsonObject,
            Shape::Array,
            Shape::Map,
            Shape::Struct,
            Shape::Enum,
            Shape::IntEnum,
            Shape::TaggedUnion,
            Shape::OneOrMany,
            Shape::ExclusiveMap,
        ];
        let mut seen = 0u16;
        for shape in all {
            assert_eq!(seen & shape.bit(), 0, "{shape:?}");
            seen |= shape.bit();
        }
        assert_eq!(
            Shape::Runtime(RuntimeType::Cpf).bit(),
            Shape::Runtime(RuntimeType::Amount).bit()
        );
    }

    #[test]
    fn generated_shapes_are_the_named_types() {
        assert!(Shape::Struct.is_generated() && Shape::OneOrMany.is_generated());
        assert!(!Shape::Array.is_generated() && !Shape::Map.is_generated());
    }
}
