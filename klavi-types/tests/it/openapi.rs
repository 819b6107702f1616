//! The OpenAPI document (feature `openapi`): the kept copy `openapi.json` is the generated
//! one, and the document says what the index and the schemas say (operations, parameters,
//! security, servers, errors, webhooks), every reference resolving.

use std::collections::BTreeSet;

use klavi_types::registry;
use klavi_types::tax_id::{Cnpj, Cpf};
use klavi_types::{MessageKind, TokenKind};
use serde_json::Value;

#[test]
fn the_kept_copy_is_the_generated_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let generated = klavi_types::openapi::document_text();
    if std::env::var_os("KLAVI_BLESS").is_some() {
        std::fs::write(path, &generated).expect("writable");
    }
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        kept == generated,
        "{path} is stale: rerun with KLAVI_BLESS=1 (or `klavi openapi > {path}`)"
    );
}

/// Every `$ref` of `value`.
fn references<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => out.push(target),
                    ("examples" | "const" | "enum", _) => {}
                    _ => references(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

#[test]
fn every_operation_of_the_index_is_there_as_the_index_says() {
    let document = klavi_types::openapi::document();
    assert_eq!(document["openapi"], "3.1.0");
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, registry::endpoints().len());
    for endpoint in registry::endpoints() {
        let method = endpoint.method.as_str().to_ascii_lowercase();
        let operation = &document["paths"][endpoint.path][&method];
        assert_eq!(operation["operationId"], endpoint.id, "{}", endpoint.id);
        assert_eq!(operation["externalDocs"]["url"], endpoint.docs);
        let security = match endpoint.token {
            TokenKind::Access => serde_json::json!([{"accessToken": []}]),
            TokenKind::Link => serde_json::json!([{"linkToken": []}]),
            _ => serde_json::json!([]),
        };
        assert_eq!(operation["security"], security, "{}", endpoint.id);
        // Parameters: each path parameter of the template, required; the query's members.
        let parameters: BTreeSet<(String, String)> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["in"].as_str().unwrap().to_owned(),
                    p["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for segment in endpoint.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                assert!(
                    parameters.contains(&("path".to_owned(), name.to_owned())),
                    "{}: {name}",
                    endpoint.id
                );
            }
        }
        let has = |kind| endpoint.messages.iter().any(|m| m.kind == kind);
        assert_eq!(
            has(MessageKind::Request),
            operation.get("requestBody").is_some(),
            "{}",
            endpoint.id
        );
        if has(MessageKind::Query) {
            assert!(
                parameters.iter().any(|(place, _)| place == "query"),
                "{}",
                endpoint.id
            );
        }
        // Responses: the answer and the error table's statuses, each with the error body.
        let responses = operation["responses"].as_object().unwrap();
        for status in [
            "200", "400", "401", "404", "429", "500", "502", "503", "504",
        ] {
            assert!(responses.contains_key(status), "{}: {status}", endpoint.id);
        }
        assert_eq!(
            responses.contains_key("403"),
            endpoint.token != TokenKind::None
        );
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
    }
    // Business codes: the index's and the schemas' (`x-klavi-business-errors`).
    let codes = |path: &str| {
        document["paths"][path]["post"]["responses"]["416"]["x-klavi-business-codes"].clone()
    };
    assert_eq!(codes("/data/v1/links"), serde_json::json!([4006]));
    assert_eq!(
        codes("/data/v1/consents"),
        serde_json::json!([4001, 4003, 4004])
    );
    assert_eq!(
        codes("/data/v1/personal/institution-data"),
        serde_json::json!([4001, 4002, 4005, 4006, 4007, 4008, 4009])
    );
    assert!(
        document["paths"]["/data/v1/auth"]["post"]["responses"]
            .get("416")
            .is_none()
    );
}

#[test]
fn servers_webhooks_and_formats_are_declared() {
    let document = klavi_types::openapi::document();
    let servers: Vec<&str> = document["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|server| server["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        servers,
        ["https://api-sandbox.klavi.ai", "https://api.klavi.ai"]
    );
    for (name, schema) in [
        ("apiEvent", "WebhookEvents"),
        ("productReport", "ProductReport"),
    ] {
        let post = &document["webhooks"][name]["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}")
        );
        let headers: Vec<&str> = post["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(headers, ["X-Klavi-Signature", "X-Klavi-Timestamp"]);
    }
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Cpf"]["format"], "cpf");
    assert_eq!(schemas["Cpf"]["pattern"], Cpf::input_pattern());
    assert_eq!(schemas["Cnpj"]["pattern"], Cnpj::input_pattern());
    assert_eq!(
        document["x-klavi-formats"]["cpf"]["pattern"],
        Cpf::input_pattern()
    );
    assert_eq!(
        schemas["CreateLinkRequest"]["x-rust-name"],
        "CreateLinkRequest"
    );
}

#[test]
fn every_reference_resolves_and_no_bundle_is_left() {
    let document = klavi_types::openapi::document();
    let text = document.to_string();
    assert!(
        !text.contains("#/$defs/"),
        "a reference into a bundle is left"
    );
    let mut found = Vec::new();
    references(&document, &mut found);
    assert!(found.len() > 100, "{} references", found.len());
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target}"));
        assert!(schemas.contains_key(name), "{target} does not resolve");
    }
    for schema in schemas.values() {
        assert!(schema.get("$defs").is_none() && schema.get("$schema").is_none());
    }
}

#[test]
fn the_tax_id_patterns_are_their_spellings() {
    assert_eq!(
        Cpf::input_pattern(),
        r"^([0-9]{11}|[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2})$"
    );
    assert_eq!(
        Cnpj::input_pattern(),
        r"^([0-9A-Z]{12}[0-9]{2}|[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-[0-9]{2})$"
    );
}
