//! The partner's flow against the packaged `klavi-types`: a request built, validated and
//! serialized; a bad one refused with its pointer; responses read leniently.

use klavi_consumer::{PrepareError, create_link_body};
use klavi_types::consents::{ConsentStatus, GetConsentListResponse};
use klavi_types::from_json;
use klavi_types::links::{CreateLinkRequest, CreateLinkResponse};
use klavi_types::serde_json::{self, Value};

#[test]
fn a_create_link_request_is_checked_then_sent_as_json() {
    let body = create_link_body("280.012.389-38", "https://partner.example/klavi/reports").unwrap();
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["personalTaxId"], "28001238938");
    assert_eq!(json["redirectURL"], "https://partner.example/klavi/back");
    assert_eq!(
        json["productsCallbackURL"]["all"],
        "https://partner.example/klavi/reports"
    );
}

#[test]
fn a_bad_tax_id_never_becomes_a_request() {
    let Err(PrepareError::Value(message)) =
        create_link_body("280.012.389-39", "https://partner.example/klavi/reports")
    else {
        panic!("a CPF with a wrong check digit must be refused");
    };
    assert!(
        !message.contains("28001238939"),
        "the CPF is not echoed: {message}"
    );
}

#[test]
fn broken_rules_and_misspelled_members_are_reported_with_their_pointers() {
    // `appLink` requires `appRedirectURLKey`.
    let errors = klavi_types::from_json_str::<CreateLinkRequest>(
        r#"{"personalTaxId": "28001238938", "appLink": "partner://klavi"}"#,
    )
    .unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|violation| violation.pointer()).collect();
    assert_eq!(pointers, ["/appRedirectURLKey"]);
    // `redirectURL` misspelled: requests refuse members their schema does not declare.
    let errors = klavi_types::from_json_str::<CreateLinkRequest>(
        r#"{"personalTaxId": "28001238938", "redirectUrl": "https://partner.example/back"}"#,
    )
    .unwrap_err();
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .map(|violation| (violation.pointer(), violation.code()))
        .collect();
    assert_eq!(codes, [("/redirectUrl", "unknown_field")]);
}

#[test]
fn responses_keep_unknown_values_and_ignore_unknown_members() {
    let list: GetConsentListResponse = from_json(
        br#"[{"consentId": "c-1", "linkId": "l-1", "externalTrackId": "t-1",
              "personalTaxId": "16109277673", "businessTaxId": "", "institutionCode": "001",
              "status": "PAUSED_BY_BANK", "permissionsApply": [], "permissionsGranted": [],
              "expireAt": "2024-12-07T23:59:59.999Z", "createdAt": "2023-12-08T09:19:19.253Z",
              "updatedAt": "2023-12-08T11:29:50.253Z", "addedNextYear": {"x": 1}}]"#,
    )
    .unwrap();
    let consent = &list.0[0];
    assert_eq!(
        consent.status,
        ConsentStatus::Unknown("PAUSED_BY_BANK".to_owned())
    );
    assert_eq!(consent.consent_id, "c-1");

    let link: CreateLinkResponse = from_json(
        br#"{"linkId": "l-1", "linkToken": "eyJ", "linkURL": "https://conecte.klavi.ai/x",
             "expireIn": "1800", "region": "br-1"}"#,
    )
    .unwrap();
    assert_eq!(link.expire_in.get(), 1800);
    assert_eq!(format!("{:?}", link.link_token), "Secret([REDACTED])");
}
