//! The generated `Endpoint` impls (paths with percent-encoded parameters, tokens, bodies) and
//! the shapes issue #3 added: integer enums, unions tagged by a member, conditional rules.

use klavi_types::auth::{GenerateAccessToken, GenerateAccessTokenRequest, RefreshAccessToken};
use klavi_types::consents::{
    ConsentPath, CreateConsent, GetConsent, GetConsentList, GetConsentListQuery, RevokeConsent,
    ValidityPeriod,
};
use klavi_types::institutions::{Institution, InstitutionType};
use klavi_types::tasks::{
    GetTaskStatus, GetTaskStatusResponse, MfaInfo, SubmitMfa, TaskPath, TaskStatus,
};
use klavi_types::{Empty, Endpoint, Method, TokenKind, Validate};

#[test]
fn paths_are_rendered_with_percent_encoded_parameters() {
    let id = ConsentPath::new("ac246093-353b-4310-bd9c-c6ce0b278de8");
    assert_eq!(
        GetConsent::path(&id),
        "/data/v1/consents/ac246093-353b-4310-bd9c-c6ce0b278de8"
    );
    assert_eq!(
        RevokeConsent::path(&id),
        "/data/v1/consents/ac246093-353b-4310-bd9c-c6ce0b278de8/revoke"
    );
    // A value can never add a segment, a query or a fragment.
    let hostile = ConsentPath::new("../a b?c#d/é");
    assert_eq!(
        GetConsent::path(&hostile),
        "/data/v1/consents/..%2Fa%20b%3Fc%23d%2F%C3%A9"
    );
    assert_eq!(
        SubmitMfa::path(&TaskPath::new("t-1")),
        "/data/v1/tasks/t-1/mfa"
    );
    assert_eq!(
        GetTaskStatus::path(&TaskPath::new("t-1")),
        "/data/v1/tasks/t-1/status"
    );
    assert_eq!(CreateConsent::path(&Empty), "/data/v1/consents");
}

#[test]
fn endpoint_facts_come_from_the_index() {
    assert_eq!(
        (GenerateAccessToken::METHOD, GenerateAccessToken::TOKEN),
        (Method::Post, TokenKind::None)
    );
    assert_eq!(
        (RefreshAccessToken::METHOD, RefreshAccessToken::TOKEN),
        (Method::Get, TokenKind::Access)
    );
    assert_eq!(
        (CreateConsent::TOKEN, GetConsent::TOKEN),
        (TokenKind::Link, TokenKind::Access)
    );
    assert_eq!(RevokeConsent::METHOD, Method::Delete);
    let has_body = [
        GenerateAccessToken::HAS_BODY,
        SubmitMfa::HAS_BODY,
        GetConsent::HAS_BODY,
        GetConsentList::HAS_BODY,
    ];
    assert_eq!(has_body, [true, true, false, false]);
    let uncertain = [
        klavi_types::reports::RequestPersonalUserReport::PATH_UNCERTAIN,
        klavi_types::reports::RequestBusinessUserReport::PATH_UNCERTAIN,
    ];
    assert_eq!(uncertain, [true, false]);
    let query = GetConsentListQuery::new().with_link_id("l-1");
    assert_eq!(
        GetConsentList::query_string(&query).as_deref(),
        Some("linkId=l-1")
    );
    assert_eq!(GetConsent::query_string(&Empty), None);
}

#[test]
fn credentials_are_secrets() {
    let request = GenerateAccessTokenRequest::new("ak_live_123", "sk_live_456");
    let debug = format!("{request:?}");
    assert!(
        !debug.contains("ak_live_123") && !debug.contains("sk_live_456"),
        "{debug}"
    );
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"accessKey":"ak_live_123","secretKey":"sk_live_456"}"#
    );
}

#[test]
fn integer_enums_are_numbers_on_the_wire() {
    assert_eq!(
        serde_json::to_string(&ValidityPeriod::TwelveMonths).unwrap(),
        "12"
    );
    assert_eq!(
        serde_json::from_str::<ValidityPeriod>("0").unwrap(),
        ValidityPeriod::Indefinite
    );
    assert_eq!(
        serde_json::from_str::<ValidityPeriod>("12.0").unwrap(),
        ValidityPeriod::TwelveMonths
    );
    assert!(serde_json::from_str::<ValidityPeriod>("6").is_err());
    assert!(serde_json::from_str::<ValidityPeriod>("\"12\"").is_err());
    // Open integer enums keep numbers they do not know.
    assert_eq!(
        serde_json::from_str::<InstitutionType>("3").unwrap(),
        InstitutionType::Unknown(3)
    );
    assert_eq!(InstitutionType::OpenData.value(), 2);
}

#[test]
fn mfa_info_is_a_union_tagged_by_mfa_type() {
    let response: GetTaskStatusResponse = serde_json::from_str(
        r#"{"code": 200, "message": "ok", "status": "needMFA", "mfaInfo": {"mfaId": 30, "mfaType": "contact", "contact": "(99) 1234"}}"#,
    )
    .unwrap();
    assert_eq!(response.status, TaskStatus::NeedMfa);
    let Some(MfaInfo::Contact(contact)) = &response.mfa_info else {
        panic!("expected a contact step, got {:?}", response.mfa_info);
    };
    assert_eq!(
        (contact.mfa_id, contact.contact.expose()),
        (30, "(99) 1234")
    );
    let again = serde_json::to_value(&response).unwrap();
    assert_eq!(again["mfaInfo"]["mfaType"], "contact");
    // The docs' multichoice example says `authMethod`: kept as raw JSON, not lost.
    let odd: MfaInfo =
        serde_json::from_str(r#"{"mfaId": 51, "authMethod": "multichoice"}"#).unwrap();
    assert!(matches!(&odd, MfaInfo::Unknown(object) if object["authMethod"] == "multichoice"));
    assert_eq!(odd.tag(), None);
    assert_eq!(serde_json::to_value(&odd).unwrap()["mfaId"], 51);
}

#[test]
fn open_finance_institutions_need_business_type_and_resources() {
    let open_data: Institution = serde_json::from_str(
        r#"{"institutionCode": "3001", "name": "Uber Motorista", "avatar": "a", "isBeta": true, "isOutage": false, "institutionType": 2}"#,
    )
    .unwrap();
    assert_eq!(open_data.validate(), Ok(()));
    let open_finance: Institution = serde_json::from_str(
        r#"{"institutionCode": "341", "name": "Itau", "avatar": "a", "isBeta": false, "isOutage": false, "institutionType": 1}"#,
    )
    .unwrap();
    let errors = open_finance.validate().unwrap_err();
    let found: Vec<(&str, &str)> = errors.iter().map(|v| (v.pointer(), v.code())).collect();
    assert_eq!(
        found,
        [
            ("/businessType", "dependent_required"),
            ("/availableResources", "dependent_required")
        ]
    );
    assert!(
        errors.as_slice()[0]
            .message()
            .contains("`institutionType` is 1")
    );
}
