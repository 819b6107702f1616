//! Objects that keep undeclared members (`externalInfo`, `customization`) are read by a
//! generated visitor, not serde's `flatten`: declared members land in their fields (also when
//! the name is spelled with escapes), the rest are kept verbatim, only objects are accepted,
//! `null` is refused where the schema refuses it, and the value serializes back to the same JSON.

use klavi_types::links::CreateLinkRequest;
use serde_json::{Value, json};

fn violations(bytes: &[u8]) -> Vec<(String, String)> {
    match klavi_types::from_json::<CreateLinkRequest>(bytes) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|v| (v.pointer().to_owned(), v.code().to_owned()))
            .collect(),
    }
}

#[test]
fn declared_members_are_typed_and_the_rest_kept() {
    let bytes = br#"{"externalInfo":{"a":1,"customization":{"landingTitle":"t","x":[1,{"y":null}]},"b":{"c":null}}}"#;
    let request: CreateLinkRequest = klavi_types::from_json(bytes).expect("valid");
    let info = request.external_info.as_ref().expect("externalInfo");
    let customization = info.customization.as_ref().expect("customization");
    assert_eq!(customization.landing_title.as_deref(), Some("t"));
    assert_eq!(customization.extra.get("x"), Some(&json!([1, {"y": null}])));
    assert_eq!(info.extra.get("a"), Some(&json!(1)));
    assert_eq!(info.extra.get("b"), Some(&json!({"c": null})));
    assert!(!info.extra.contains_key("customization"));
    let back = serde_json::to_value(&request).unwrap();
    assert_eq!(back, serde_json::from_slice::<Value>(bytes).unwrap());
}

#[test]
fn an_escaped_member_name_is_still_the_declared_member() {
    let bytes = br#"{"externalInfo":{"custom\u0069zation":{"landingTitle":"t"}}}"#;
    let request: CreateLinkRequest = klavi_types::from_json(bytes).expect("valid");
    let info = request.external_info.expect("externalInfo");
    assert!(info.customization.is_some());
    assert!(info.extra.is_empty());
}

#[test]
fn wrong_shapes_are_located_violations() {
    let table: &[(&[u8], &str, &str)] = &[
        (br#"{"externalInfo":[1]}"#, "/externalInfo", "type"),
        (br#"{"externalInfo":"x"}"#, "/externalInfo", "type"),
        (
            br#"{"externalInfo":{"customization":null}}"#,
            "/externalInfo/customization",
            "type",
        ),
        (
            br#"{"externalInfo":{"customization":[]}}"#,
            "/externalInfo/customization",
            "type",
        ),
        (
            br#"{"externalInfo":{"customization":{"landingTitle":1}}}"#,
            "/externalInfo/customization/landingTitle",
            "type",
        ),
    ];
    for (bytes, pointer, code) in table {
        assert_eq!(
            violations(bytes),
            [((*pointer).to_owned(), (*code).to_owned())],
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    // A declared member given twice is refused, as serde's derived code refuses it.
    let twice = br#"{"externalInfo":{"customization":{},"customization":{}}}"#;
    assert_eq!(violations(twice).len(), 1);
}
