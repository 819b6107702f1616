//! The benchmarks measure what they claim: the payloads are valid or broken as named, every
//! contender agrees on each verdict, the floor reads the same payloads, and the schemas the
//! compile-time validators were built from are the registry's.

use std::collections::BTreeSet;

use klavi_bench::oracles::{self, ConsentListSchema, CreateLinkSchema};
use klavi_bench::{floor, payloads, tax_ids};
use klavi_types::consents::GetConsentListResponse;
use klavi_types::diagnostics::Diagnostics;
use klavi_types::links::CreateLinkRequest;
use klavi_types::tax_id::{Cnpj, Cpf};
use serde_json::Value;

#[test]
fn bundled_schemas_are_the_registrys() {
    for id in ["create-link.request", "get-consent-list.response"] {
        let path = format!("{}/schemas/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let info = klavi_types::registry::message(id).expect("a message");
        let expected: Value = serde_json::from_str(info.schema).expect("JSON");
        if std::env::var_os("KLAVI_BLESS").is_some() {
            let text = serde_json::to_string_pretty(&expected).expect("JSON") + "\n";
            std::fs::write(&path, text).expect("writable");
        }
        let on_disk: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        assert_eq!(
            on_disk, expected,
            "{path} is stale: rerun with KLAVI_BLESS=1"
        );
    }
}

#[test]
fn the_valid_request_uses_every_member_and_passes_everywhere() {
    let bytes = payloads::CREATE_LINK_VALID.as_bytes();
    assert!((560..=640).contains(&bytes.len()), "{} bytes", bytes.len());
    let value: Value = serde_json::from_slice(bytes).expect("JSON");
    let used: BTreeSet<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let schema: Value = serde_json::from_str(
        klavi_types::registry::message("create-link.request")
            .unwrap()
            .schema,
    )
    .unwrap();
    let declared: BTreeSet<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(used, declared);
    klavi_types::from_json::<CreateLinkRequest>(bytes).expect("valid for the types");
    assert!(oracles::runtime("create-link.request").is_valid(&value));
    assert!(CreateLinkSchema::is_valid(&value));
    assert!(oracles::Boon::new("create-link.request").is_valid(&value));
    assert_eq!(klavi_types::check_json::<CreateLinkRequest>(bytes), Ok(()));
    let read: floor::CreateLinkRequest = serde_json::from_slice(bytes).expect("the floor reads it");
    assert_eq!(read.personal_tax_id, Some(floor::Digits(*b"28001238938")));
}

#[test]
fn the_invalid_request_has_five_violations_for_every_contender() {
    let bytes = payloads::CREATE_LINK_INVALID.as_bytes();
    let report = Diagnostics::new()
        .check("create-link.request", bytes)
        .expect("a known message");
    let codes: BTreeSet<&str> = report.iter().map(|v| v.code()).collect();
    assert_eq!(report.len(), 5, "{report:?}");
    assert_eq!(
        codes,
        BTreeSet::from([
            "cpf_check_digit",
            "email",
            "min_length",
            "mutually_exclusive",
            "dependent_required"
        ])
    );
    let value: Value = serde_json::from_slice(bytes).unwrap();
    assert!(
        oracles::runtime("create-link.request")
            .iter_errors(&value)
            .count()
            >= 5
    );
    assert!(CreateLinkSchema::iter_errors(&value).count() >= 5);
    assert!(oracles::Boon::new("create-link.request").count_errors(&value) >= 5);
    assert!(klavi_types::from_json::<CreateLinkRequest>(bytes).is_err());
    // The compiled check lists the diagnostics' five, in their order.
    let compiled = klavi_types::check_json::<CreateLinkRequest>(bytes).unwrap_err();
    let pairs = |list: &[klavi_types::Violation]| -> Vec<(String, &'static str)> {
        list.iter()
            .map(|v| (v.pointer().to_owned(), v.code()))
            .collect()
    };
    assert_eq!(pairs(compiled.as_slice()), pairs(&report));
}

#[test]
fn the_consent_list_is_valid_everywhere() {
    let text = payloads::consent_list(1000);
    let bytes = text.as_bytes();
    let list = klavi_types::from_json::<GetConsentListResponse>(bytes).expect("valid");
    assert_eq!(list.len(), 1000);
    let value: Value = serde_json::from_slice(bytes).unwrap();
    assert!(oracles::runtime("get-consent-list.response").is_valid(&value));
    assert!(ConsentListSchema::is_valid(&value));
    assert!(oracles::Boon::new("get-consent-list.response").is_valid(&value));
    assert_eq!(
        klavi_types::check_json::<GetConsentListResponse>(bytes),
        Ok(())
    );
    let floor: Vec<floor::Consent> = serde_json::from_slice(bytes).unwrap();
    assert_eq!(floor.len(), 1000);
    assert_eq!(floor[1].status, floor::ConsentStatus::Revoked);
}

#[test]
fn every_tax_id_is_valid_and_the_other_crates_say_what_they_support() {
    for (name, cpf) in tax_ids::CPFS {
        assert!(Cpf::is_valid(cpf) && Cpf::parse(cpf).is_ok(), "{name}");
        assert!(cpf::valid(cpf), "cpf crate, {name}");
        assert!(cpf_cnpj::cpf::validate(cpf), "cpf_cnpj crate, {name}");
    }
    for (name, cnpj) in tax_ids::CNPJS {
        assert!(Cnpj::is_valid(cnpj) && Cnpj::parse(cnpj).is_ok(), "{name}");
        assert!(cpf_cnpj::cnpj::validate(cnpj), "cpf_cnpj crate, {name}");
        // The `cnpj` crate predates the alphanumeric CNPJ.
        assert_eq!(
            cnpj::valid(cnpj),
            !name.starts_with("alphanumeric"),
            "cnpj crate, {name}"
        );
    }
}
