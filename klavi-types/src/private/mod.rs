//! Support for the generated code, and for it only: every item here is named by the code
//! klavi-schema emits (`klavi_types::__private::…`). Not a public API: names and signatures may
//! change at any time.
//!
//! One file per shape of generated code, named like the emitter in klavi-schema's `emit/` that
//! calls it (`emit/validate.rs` → `validate.rs`, …); the items are re-exported
//! here, at the paths the emitted code uses. Helpers of the runtime itself live beside the
//! runtime (`validation`, `parse`, `formats`); messages and codes come from
//! `validation::messages` and `validation::Code`, as the diagnostics' do.

mod bodies;
mod endpoints;
mod enums;
mod exclusive_maps;
mod int_enums;
mod query;
mod schema;
mod structs;
mod unions;
mod validate;

pub use crate::check::support as check;
pub use crate::member_name::MemberName;
pub use bodies::{serialize_body, take_body};
pub use endpoints::{canonical_message, check_message, debug_message, push_path_segment};
pub use enums::{EnumError, deserialize_from_str};
pub use exclusive_maps::{ExclusiveMap, deserialize_exclusive_map, serialize_single_entry};
pub use int_enums::deserialize_int_enum;
pub use query::{Query, QueryValue, from_query_string};
#[cfg(feature = "validator")]
pub use schema::into_validator_errors;
#[cfg(feature = "schemars")]
pub use schema::source_schema;
pub use structs::{
    JsonInteger, ObjectOnly, duplicate_key, json_integer, raw_members, some_json_integer,
    some_non_null, take_member, take_optional_member,
};
pub use unions::{coded, from_object, serialize_tagged};
pub use validate::{
    alone_item, any_of_required, dependent_required, max_items, max_length, maximum, min_items,
    min_length, minimum,
};
