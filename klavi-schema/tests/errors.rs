//! Every malformed or unsupported schema shape is an error naming its file and JSON Pointer
//! (never a panic, never silently ignored). One table row per shape.

use klavi_schema::load::MemorySource;
use klavi_schema::{EmitOptions, SchemaErrorKind, generate};

const INDEX: &str = r#"{"modules": {"demo": "Demo."}, "endpoints": [
  {"id": "ping", "title": "Ping", "description": "Ping.", "method": "GET", "path": "/ping",
   "token": "access", "module": "demo", "docs": "https://example.com",
   "messages": {"query": "demo/ping.query.json", "response": "demo/ping.response.json"}}]}"#;

const RESPONSE: &str = r#"{"type": "object", "properties": {"ok": {"type": "boolean"}}}"#;

fn errors_of(query: &str) -> Vec<(SchemaErrorKind, String, String)> {
    let mut source = MemorySource::new([
        ("endpoints.json", INDEX),
        ("demo/ping.query.json", query),
        ("demo/ping.response.json", RESPONSE),
        (
            "demo/defs.json",
            r#"{"$defs": {"Name": {"type": "string"}}}"#,
        ),
    ]);
    match generate(&mut source, "endpoints.json", &EmitOptions::default()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .0
            .into_iter()
            .map(|e| (e.kind, e.file, e.pointer))
            .collect(),
    }
}

#[test]
fn unsupported_shapes_are_located_errors() {
    use SchemaErrorKind::*;
    let file = "demo/ping.query.json";
    let table: &[(&str, SchemaErrorKind, &str)] = &[
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "pattern": "^a"}}}"#,
            Unsupported,
            "/properties/a/pattern",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"$ref": "defs.json#/$defs/Name", "minLength": 1}}}"#,
            Unsupported,
            "/properties/a/minLength",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "format": "date-time"}}}"#,
            Unsupported,
            "/properties/a/format",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": ["string", "integer"]}}}"#,
            Unsupported,
            "/properties/a/type",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"oneOf": [{"const": "A"}, {"type": "string"}]}}}"#,
            Unsupported,
            "/properties/a/oneOf/1",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"anyOf": [{"const": "A"}, {"type": "integer"}]}}}"#,
            Unsupported,
            "/properties/a/anyOf/1",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"enum": ["on", "ON"]}}}"#,
            NameCollision,
            "/properties/a/enum",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "string"}}}}"#,
            Unsupported,
            "/properties/a",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}"#,
            Unsupported,
            "/additionalProperties",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "dependentRequired": {"a": ["b"]}}"#,
            Invalid,
            "/dependentRequired/a",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}"#,
            Invalid,
            "/required",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "anyOf": [{"type": "object"}]}"#,
            Unsupported,
            "/anyOf/0",
        ),
        (
            r#"{"type": "object", "properties": {"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}}}"#,
            NameCollision,
            "/properties/foo_bar",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "x-rust-type": "Money"}}}"#,
            Invalid,
            "/properties/a/x-rust-type",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "strin"}}}"#,
            Invalid,
            "/properties/a/type",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "minLength": -1}}}"#,
            Invalid,
            "/properties/a/minLength",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "x-custom": 1}}}"#,
            UnknownKeyword,
            "/properties/a/x-custom",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}}"#,
            Unsupported,
            "/properties/a",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#anchor"}}}"##,
            Unsupported,
            "/properties/a",
        ),
        (
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {}}"#,
            Invalid,
            "/$schema",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "x-klavi-secret": true}}}"#,
            Unsupported,
            "/properties/a",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "object", "propertyNames": {"anyOf": [{"const": "all"}]}, "additionalProperties": {"type": "string"}, "dependentSchemas": {"all": {"maxProperties": 1}}}}}"#,
            Unsupported,
            "/properties/a/propertyNames",
        ),
        (r#"[1, 2]"#, Invalid, ""),
    ];
    for (query, kind, pointer) in table {
        let errors = errors_of(query);
        assert!(
            errors
                .iter()
                .any(|(k, f, p)| k == kind && f == file && p == pointer),
            "schema {query}\nexpected {kind:?} at {file}#{pointer}, got {errors:?}"
        );
    }
}

#[test]
fn the_index_is_checked_too() {
    let table: &[(&str, &str)] = &[
        (r#"{"modules": {}, "endpoints": [], "extra": 1}"#, "/extra"),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "Ping", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "access", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/id",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "FETCH", "path": "/p", "token": "access", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/method",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "bearer", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/token",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "access", "module": "nope", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/module",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "access", "module": "demo", "docs": "d", "messages": {"body": "x.json"}}]}"#,
            "/endpoints/0/messages/body",
        ),
    ];
    for (index, pointer) in table {
        let mut source = MemorySource::new([("endpoints.json", *index)]);
        let errors = generate(&mut source, "endpoints.json", &EmitOptions::default())
            .expect_err("the index is invalid");
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.file == "endpoints.json" && e.pointer == *pointer),
            "index {index}: expected an error at {pointer}, got {errors}"
        );
    }
}

#[test]
fn all_errors_are_reported_not_just_the_first() {
    let errors = errors_of(
        r#"{"type": "object", "properties": {"a": {"type": "string", "minLenght": 1}, "b": {"type": "string", "format": "iso-week"}}}"#,
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
}
