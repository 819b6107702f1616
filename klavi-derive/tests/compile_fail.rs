//! Every malformed schema shape is a compile error naming the file and JSON Pointer: never a panic
//! of the macro, never a rustc error in the generated code. Each case is `tests/ui/NAME.rs` with
//! its schemas in `tests/fixtures/NAME/` and the expected error in `tests/ui/NAME.stderr`. The
//! families:
//!
//! - files: unreadable, invalid JSON, empty, invalid UTF-8, nested past the JSON depth limit, a
//!   message schema that is an array or `true`;
//! - the index (`index-*`): not an object, no `endpoints`, unknown module, method, token kind or
//!   message kind, a module named like a Rust keyword, a duplicate endpoint id, two endpoints
//!   with one marker type, a message file outside the schema directory, a path parameter that
//!   is unclosed or missing from the `path` message;
//! - keywords and their values: unknown keyword or `x-` extension, `allOf`, `type` unknown, not a
//!   string or unsupported (`number`), `required` not an array, naming an undeclared property or
//!   repeating one, `properties` not an object, `additionalProperties` not a schema, `items` as
//!   a tuple, an `x-` flag that is not a boolean, `minLength` negative or a string, a lower bound
//!   above its upper bound, `pattern` on a plain string;
//! - formats: an unknown `format`, a `format` or `x-klavi-personal-data` on a non-string;
//! - enums and unions: empty, mixing strings and integers, a repeated value, a `oneOf` of objects
//!   without a tag, an exclusive-map key that takes the entries variant's name;
//! - references (`*-ref`, `ref-*`): dangling, absolute URI, anchor, pointing at a non-schema, a
//!   cycle of `$ref`s or of arrays, an object containing itself with no array in between;
//! - names: a property that cannot be a Rust field, two properties with one snake_case name, an
//!   `x-rust-name` that is not an identifier or is a keyword (field, type, enum variant), two
//!   types with one name.

#[test]
fn schema_errors_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
