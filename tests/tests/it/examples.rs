//! Every example in the schemas (the docs' examples, in each message's and definition's
//! `examples`) is accepted by both validators, deserializes into its generated type, and
//! round-trips through serialization.

use klavi_types::common::ExternalInfo;
use klavi_types::consents::{Consent, ConsentStatus, GetConsentListQuery, GetConsentListResponse};
use klavi_types::diagnostics::validator_for;
use klavi_types::links::{CreateLinkRequest, CreateLinkResponse, ProductsCallbackUrl};
use klavi_types::{Validate, registry};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn examples_of(schema: &str) -> Vec<Value> {
    let schema: Value = serde_json::from_str(schema).expect("schema is JSON");
    schema["examples"].as_array().cloned().unwrap_or_default()
}

/// Checks every example of `T`'s schema; returns how many there were.
fn check_examples<T>(schema: &str) -> usize
where
    T: DeserializeOwned + Serialize + Validate + PartialEq + std::fmt::Debug,
{
    let oracle = validator_for(&serde_json::from_str(schema).expect("JSON")).expect("compiles");
    let examples = examples_of(schema);
    for example in &examples {
        assert!(
            oracle.is_valid(example),
            "jsonschema rejects example {example}"
        );
        let bytes = serde_json::to_vec(example).expect("bytes");
        let value: T = klavi_types::from_json(&bytes)
            .unwrap_or_else(|e| panic!("example {example} does not deserialize: {e}"));
        let again = serde_json::to_value(&value).expect("serializes");
        assert!(
            oracle.is_valid(&again),
            "re-serialized example {again} is invalid"
        );
        let back: T = serde_json::from_value(again).expect("reads back");
        assert_eq!(back, value);
    }
    examples.len()
}

#[test]
fn every_message_has_examples_and_they_are_valid() {
    let mut count = 0;
    count += check_examples::<CreateLinkRequest>(CreateLinkRequest::SOURCE_SCHEMA);
    count += check_examples::<CreateLinkResponse>(CreateLinkResponse::SOURCE_SCHEMA);
    count += check_examples::<GetConsentListQuery>(GetConsentListQuery::SOURCE_SCHEMA);
    count += check_examples::<GetConsentListResponse>(GetConsentListResponse::SOURCE_SCHEMA);
    assert_eq!(count, 9, "the schemas' examples changed: update this count");
    for info in registry::messages() {
        assert!(
            !info.examples().is_empty(),
            "message {} has no examples",
            info.id
        );
    }
}

#[test]
fn definition_examples_are_valid() {
    assert_eq!(check_examples::<Consent>(Consent::SOURCE_SCHEMA), 1);
    assert_eq!(
        check_examples::<ExternalInfo>(ExternalInfo::SOURCE_SCHEMA),
        1
    );
    assert_eq!(
        check_examples::<ProductsCallbackUrl>(ProductsCallbackUrl::SOURCE_SCHEMA),
        3
    );
}

#[test]
fn the_docs_consent_list_round_trips_exactly() {
    let example = examples_of(GetConsentListResponse::SOURCE_SCHEMA).remove(0);
    let list: GetConsentListResponse =
        klavi_types::from_json(&serde_json::to_vec(&example).unwrap()).unwrap();
    assert_eq!(serde_json::to_value(&list).unwrap(), example);
    assert_eq!(list.len(), 2);
    let consent = &list[0];
    assert_eq!(consent.status, ConsentStatus::Authorised);
    // The docs' sample CPF fails its check digits; it is kept, and parsing it on demand says so.
    assert_eq!(consent.personal_tax_id.as_received(), "16109277673");
    assert_eq!(
        consent.personal_tax_id.parse().map_err(|e| e.code()),
        Err("cpf_check_digit")
    );
    assert!(consent.business_tax_id.is_empty());
    assert_eq!(consent.business_tax_id.parse(), Ok(None));
}

#[test]
fn responses_keep_unknown_values_and_ignore_unknown_members() {
    let mut example = examples_of(Consent::SOURCE_SCHEMA).remove(0);
    example["status"] = Value::from("PAUSED_BY_BANK");
    example["permissionsGranted"] = serde_json::json!(["ACCOUNTS_ALL", "EXCHANGES_ALL"]);
    example["newField"] = serde_json::json!({"anything": [1, 2]});
    let consent: Consent = klavi_types::from_json(&serde_json::to_vec(&example).unwrap()).unwrap();
    assert_eq!(
        consent.status,
        ConsentStatus::Unknown("PAUSED_BY_BANK".into())
    );
    assert!(!consent.status.is_known());
    assert_eq!(consent.permissions_granted[1].as_str(), "EXCHANGES_ALL");
    let again = serde_json::to_value(&consent).unwrap();
    assert_eq!(again["status"], "PAUSED_BY_BANK");
    assert!(again.get("newField").is_none());
}

#[test]
fn expire_in_is_accepted_as_number_or_numeric_string() {
    for (raw, seconds) in [
        ("1800", 1800),
        ("\"1800\"", 1800),
        ("1800.0", 1800),
        ("0", 0),
    ] {
        let text = format!(
            r#"{{"linkId": "l", "linkToken": "t", "linkURL": "https://x/?v=t", "expireIn": {raw}}}"#
        );
        let response: CreateLinkResponse = klavi_types::from_json_str(&text).unwrap();
        assert_eq!(response.expire_in.get(), seconds, "{raw}");
    }
    for raw in [
        "-1",
        "\"\"",
        "\"18 00\"",
        "\"-5\"",
        "1.5",
        "null",
        "\"12345678901234567890\"",
    ] {
        let text =
            format!(r#"{{"linkId": "l", "linkToken": "t", "linkURL": "u", "expireIn": {raw}}}"#);
        let error = klavi_types::from_json_str::<CreateLinkResponse>(&text).unwrap_err();
        assert_eq!(error.as_slice()[0].pointer(), "/expireIn", "{raw}");
    }
}
