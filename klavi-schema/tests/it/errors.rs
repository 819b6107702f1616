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
            r#"{"type": "object", "properties": {"a": {"enum": ["★", "☆"]}}}"#,
            NameCollision,
            "/properties/a/enum",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "format": "cpf", "pattern": "^[0-9"}}}"#,
            Invalid,
            "/properties/a/pattern",
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
            r#"{"type": "object", "properties": {"a": {"$ref": "defs.json#/$defs/Name",
                "x-klavi-business-errors": [{"status": 200, "code": 4005, "message": "m", "violations": ["enum"]}]}}}"#,
            Invalid,
            "/properties/a/x-klavi-business-errors",
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
        (r#"true"#, Unsupported, ""),
        (
            r#"{"type": "object", "properties": {"a": {"type": "integer", "format": "cpf"}}}"#,
            Invalid,
            "/properties/a/type",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "integer", "x-klavi-personal-data": true}}}"#,
            Invalid,
            "/properties/a/type",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "integer", "minimum": 10, "maximum": 1}}}"#,
            Invalid,
            "/properties/a/minimum",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "minLength": 5, "maxLength": 2}}}"#,
            Invalid,
            "/properties/a/minLength",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"enum": ["on", "off", "on"]}}}"#,
            Invalid,
            "/properties/a/enum/2",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"enum": [1, "on"]}}}"#,
            Unsupported,
            "/properties/a/enum/1",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}}"##,
            Unsupported,
            "/$defs/B/$ref",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"$ref": "#/$defs/A"}}}"##,
            Unsupported,
            "/$defs/A/$ref",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/List"}}, "$defs": {"List": {"type": "array", "items": {"$ref": "#/$defs/List"}}}}"##,
            Unsupported,
            "/$defs/List/items/$ref",
        ),
        (
            r##"{"type": "object", "properties": {"next": {"$ref": "#"}}}"##,
            Unsupported,
            "",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs"}}, "$defs": {"Name": {"type": "string"}}}"##,
            Invalid,
            "/properties/a/$ref",
        ),
        (
            r##"{"type": "object", "properties": {"a": {"$ref": "#/examples/0"}}, "examples": [{"type": "string", "x-rust-type": "Bogus"}]}"##,
            Invalid,
            "/properties/a/$ref",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string", "x-rust-name": "super"}}}"#,
            Invalid,
            "/properties/a/x-rust-name",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"anyOf": [{"const": "on", "x-rust-name": "Switched on"}, {"type": "string"}]}}}"#,
            Invalid,
            "/properties/a/anyOf/0/x-rust-name",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "object", "propertyNames": {"anyOf": [{"const": "entries"}, {"type": "string"}]}, "additionalProperties": {"type": "string"}, "dependentSchemas": {"entries": {"maxProperties": 1}}}}}"#,
            NameCollision,
            "/properties/a",
        ),
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
        (
            r#"{"modules": {"type": "A keyword."}, "endpoints": []}"#,
            "/modules/type",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p/{id", "token": "access", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/path",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p/id}", "token": "access", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/0/path",
        ),
        (
            r#"{"modules": {"demo": "D."}, "endpoints": [{"id": "ping-1", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "access", "module": "demo", "docs": "d", "messages": {}}, {"id": "ping1", "title": "t", "description": "d", "method": "GET", "path": "/q", "token": "access", "module": "demo", "docs": "d", "messages": {}}]}"#,
            "/endpoints/1/id",
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

#[test]
fn a_keyword_is_a_module_error_only() {
    let mut source = MemorySource::new([(
        "endpoints.json",
        r#"{"modules": {"type": "T."}, "endpoints": [{"id": "ping", "title": "t", "description": "d", "method": "GET", "path": "/p", "token": "access", "module": "type", "docs": "d", "messages": {}}]}"#,
    )]);
    let errors = generate(&mut source, "endpoints.json", &EmitOptions::default())
        .expect_err("`type` is not a module name");
    assert_eq!(errors.0.len(), 1, "{errors}");
}

#[test]
fn a_standard_keyword_gets_no_did_you_mean() {
    let mut source = MemorySource::new([
        ("endpoints.json", INDEX),
        (
            "demo/ping.query.json",
            r#"{"type": "object", "properties": {"a": {"allOf": [{"type": "string"}]}}}"#,
        ),
        ("demo/ping.response.json", RESPONSE),
    ]);
    let errors = generate(&mut source, "endpoints.json", &EmitOptions::default())
        .expect_err("`allOf` is not supported");
    let message = &errors.0[0].message;
    assert!(
        message.starts_with("unsupported keyword `allOf` here:"),
        "{message}"
    );
    assert!(!message.contains("did you mean"), "{message}");
}

/// Names that Rust keywords would take are escaped (`r#self` is not Rust), never a panic or a
/// generated item that does not parse.
#[test]
fn keyword_names_are_escaped() {
    let index = r#"{"modules": {"demo": "Demo."}, "endpoints": [
      {"id": "self", "title": "Self", "description": "Self.", "method": "POST", "path": "/self",
       "token": "access", "module": "demo", "docs": "https://example.com",
       "messages": {"request": "demo/self.request.json"}}]}"#;
    let request = r#"{"type": "object", "properties": {
        "self": {"type": "string"},
        "kind": {"enum": ["self", "other"]},
        "by": {"type": "object", "propertyNames": {"anyOf": [{"const": "type"}, {"type": "string"}]},
               "additionalProperties": {"type": "string"}, "dependentSchemas": {"type": {"maxProperties": 1}}}}}"#;
    let mut source = MemorySource::new([
        ("endpoints.json", index),
        ("demo/self.request.json", request),
    ]);
    let generated = generate(&mut source, "endpoints.json", &EmitOptions::default())
        .unwrap_or_else(|errors| panic!("{errors}"));
    let tokens = generated.tokens.to_string();
    assert!(tokens.contains("pub struct VSelf ;"), "{tokens}");
    assert!(tokens.contains("pub self_ :"), "{tokens}");
    assert!(tokens.contains("VSelf ,"), "{tokens}");
    assert!(tokens.contains("pub fn r#type"), "{tokens}");
}

/// A type may hold itself through an array (or a map), even across `$ref`s to inline arrays.
#[test]
fn recursion_through_an_array_is_representable() {
    let request = r##"{"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#"}},
        "leaves": {"$ref": "#/$defs/Leaves"}},
      "$defs": {
        "Leaves": {"type": "array", "items": {"$ref": "#/$defs/Leaf"}},
        "Leaf": {"type": "object", "properties": {"more": {"$ref": "#/$defs/Leaves"}}}}}"##;
    let index = r#"{"modules": {"demo": "Demo."}, "endpoints": [
      {"id": "ping", "title": "Ping", "description": "Ping.", "method": "POST", "path": "/ping",
       "token": "access", "module": "demo", "docs": "https://example.com",
       "messages": {"request": "demo/ping.request.json"}}]}"#;
    let mut source = MemorySource::new([
        ("endpoints.json", index),
        ("demo/ping.request.json", request),
    ]);
    if let Err(errors) = generate(&mut source, "endpoints.json", &EmitOptions::default()) {
        panic!("{errors}");
    }
}
