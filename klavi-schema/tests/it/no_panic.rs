//! The pipeline never panics, whatever the schema: arbitrary JSON built from real keyword names
//! and values goes through load → check → model → emit and ends in tokens or located errors.

use klavi_schema::load::MemorySource;
use klavi_schema::{EmitOptions, generate};
use proptest::prelude::*;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
    "$defs",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "x-rust-name",
    "x-rust-type",
    "x-klavi-secret",
    "description",
    "examples",
    "a",
    "all",
    "",
];

const STRINGS: &[&str] = &[
    "string",
    "object",
    "array",
    "integer",
    "boolean",
    "cpf",
    "uri",
    "#",
    "#/$defs/a",
    "defs.json#/$defs/Name",
    "../x.json",
    "all",
    "Seconds",
    "HttpUrl",
    "type",
    "9x",
    "a b",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..70000).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generate_never_panics(schema in json(), defs in json()) {
        let index = r#"{"modules": {"demo": "Demo."}, "endpoints": [
          {"id": "ping", "title": "Ping", "description": "Ping.", "method": "POST", "path": "/ping",
           "token": "access", "module": "demo", "docs": "https://example.com",
           "messages": {"request": "demo/ping.request.json"}}]}"#;
        let mut source = MemorySource::new([
            ("endpoints.json".to_owned(), index.to_owned()),
            ("demo/ping.request.json".to_owned(), schema.to_string()),
            ("demo/defs.json".to_owned(), serde_json::json!({"$defs": {"Name": defs}}).to_string()),
        ]);
        let _ = generate(&mut source, "endpoints.json", &EmitOptions::default());
    }
}
