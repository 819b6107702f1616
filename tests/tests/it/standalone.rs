//! Messages of no endpoint: webhook deliveries, redirect parameters, error bodies.

use klavi_types::OneOrMany;
use klavi_types::consents::ConsentRedirect;
use klavi_types::errors::{ErrorBody, StatusCode};
use klavi_types::links::LinkRedirect;
use klavi_types::registry;
use klavi_types::webhooks::{
    ConsentAuthorisedPayload, EventName, LinkCreatedPayload, WebhookEvents,
};

#[test]
fn standalone_messages_are_registered() {
    let ids: Vec<&str> = registry::standalone().iter().map(|m| m.id).collect();
    assert_eq!(
        ids,
        [
            "error.response",
            "link-redirect.query",
            "consent-redirect.query",
            "webhook.event",
            "link-created.payload",
            "consent-authorised.payload",
            "product-report.webhook",
            "pf-categorized-checking-l3.product",
            "pf-categorized-checking-l2.product",
            "pj-categorized-checking-l2.product",
            "pf-checking-account.product",
            "pf-savings-account.product",
            "pj-savings-account.product",
            "pf-categorized-savings-l3.product",
            "pf-balance.product",
            "pj-balance.product",
            "pf-credit-card.product",
            "pf-categorized-creditcard-l2.product",
            "pf-categorized-creditcard-l3.product",
            "pf-identity.product",
            "pf-investments.product",
            "pf-bank-fixed-incomes.product",
            "pf-credit-fixed-incomes.product",
            "pf-variable-incomes.product",
            "pf-credit-operations.product",
            "pf-loans.product",
            "pf-invoice-financing.product",
            "pf-credit-risk.product",
        ]
    );
    assert!(registry::standalone().iter().all(|m| m.endpoint.is_none()));
    assert!(registry::message("webhook.event").is_some());
}

#[test]
fn webhook_deliveries_are_one_event_or_an_array() {
    let array = br#"[{"partnerAppId": "1", "eventId": "e-1", "eventType": "api", "eventName": "link_created",
        "eventTime": "2022-06-25T20:08:17.848Z", "payload": {"personalTaxId": "25872252137", "businessTaxId": "", "linkId": "l-1"}}]"#;
    let events: WebhookEvents = klavi_types::from_json(array).unwrap();
    assert!(matches!(events.0, OneOrMany::Many(_)));
    let event = &events.0.as_slice()[0];
    assert_eq!(event.event_name, EventName::LinkCreated);
    assert_eq!(event.event_id.as_deref(), Some("e-1"));
    let raw_payload = event.payload.as_ref().unwrap();
    let payload: LinkCreatedPayload = raw_payload.parse().unwrap();
    assert_eq!(payload.link_id, "l-1");
    // The payload carries a CPF: Debug shows member names only.
    let debug = format!("{event:?}");
    assert!(!debug.contains("25872252137"), "{debug}");
    assert!(debug.contains("personalTaxId"), "{debug}");
    assert_eq!(raw_payload["personalTaxId"], "25872252137");

    // One event, with the `eventID` spelling of the per-event tables, and an unknown event name.
    let single = br#"{"eventID": "e-2", "eventName": "consent_paused", "eventTime": "2022-06-25T20:08:17Z"}"#;
    let events: WebhookEvents = klavi_types::from_json(single).unwrap();
    let OneOrMany::One(event) = &events.0 else {
        panic!("expected one event");
    };
    assert_eq!(event.event_id.as_deref(), Some("e-2"));
    assert_eq!(
        event.event_name,
        EventName::Unknown("consent_paused".into())
    );
}

#[test]
fn consent_authorised_reads_one_consent_or_many() {
    for consents in [
        r#"{"consentId": "c-1", "institutionCode": "001"}"#,
        r#"[{"consentId": "c-1", "institutionCode": "001"}]"#,
    ] {
        let payload = format!(
            r#"{{"personalTaxId": "", "businessTaxId": "", "linkId": "l", "consents": {consents}}}"#
        );
        let payload: ConsentAuthorisedPayload = klavi_types::from_json_str(&payload).unwrap();
        assert_eq!(payload.consents.0.as_slice()[0].consent_id, "c-1");
    }
}

#[test]
fn redirects_are_parsed_from_query_strings() {
    let success = LinkRedirect::from_query_string(
        "?link_id=85a3af9f&external_info=%7B%22myTraceId%22%3A%22t-1%22%7D&utm_source=x",
    )
    .unwrap();
    assert_eq!(success.link_id, "85a3af9f");
    assert_eq!(
        success.external_info.as_deref(),
        Some(r#"{"myTraceId":"t-1"}"#)
    );
    assert!(success.error.is_none());
    let failure = ConsentRedirect::from_query_string(
        "link_id=l&consent_id=c&external_track_id=t&error=access_denied&error_description=User+rejected",
    )
    .unwrap();
    assert_eq!(failure.error.as_deref(), Some("access_denied"));
    assert_eq!(failure.error_description.as_deref(), Some("User rejected"));
    let missing = ConsentRedirect::from_query_string("link_id=l").unwrap_err();
    let found: Vec<(&str, &str)> = missing.iter().map(|v| (v.pointer(), v.code())).collect();
    assert_eq!(found, [("/consent_id", "required")]);
}

#[test]
fn queries_parse_back_what_they_render() {
    use klavi_types::consents::GetConsentListQuery;
    let query = GetConsentListQuery::new()
        .with_personal_tax_id(
            "280.012.389-38"
                .parse::<klavi_types::tax_id::Cpf>()
                .unwrap(),
        )
        .with_link_id("a b&c");
    let parsed = GetConsentListQuery::from_query_string(&query.to_query_string()).unwrap();
    assert_eq!(parsed, query);
    let unknown =
        GetConsentListQuery::from_query_string("personalTaxId=28001238938&cpf=1").unwrap_err();
    assert_eq!(unknown.as_slice()[0].code(), "unknown_field");
    let bad = GetConsentListQuery::from_query_string("personalTaxId=28001238939").unwrap_err();
    assert_eq!(
        (bad.as_slice()[0].pointer(), bad.as_slice()[0].code()),
        ("/personalTaxId", "cpf_check_digit")
    );
    assert!(!format!("{bad}").contains("28001238939"));
}

#[test]
fn error_bodies_carry_business_codes() {
    let body: ErrorBody = serde_json::from_str(
        r#"{"statusCode": 4006, "error": "x", "message": "Invalid productsCallbackURL"}"#,
    )
    .unwrap();
    assert_eq!(body.status_code, StatusCode::InvalidProductsCallbackUrl);
    let http: ErrorBody =
        serde_json::from_str(r#"{"statusCode": 401, "error": "Unauthorized", "message": "m"}"#)
            .unwrap();
    assert_eq!(http.status_code, StatusCode::Other(401));
    assert_eq!(
        klavi_types::http_status::meaning(401).unwrap().retry,
        klavi_types::http_status::Retry::AfterNewToken
    );
}

#[test]
fn product_reports_keep_money_exact() {
    use klavi_types::products::{AccountSubtype, CheckingAccountsBody};
    use klavi_types::reports::{ProductReport, ProductReportBody};
    let body = br#"{"code": 200, "message": "ok", "requestId": "r-1", "productName": "pf_categorized_checking_l3",
        "productVersion": "v1", "productReportId": "p-1", "productReportTime": "2019-12-23T06:10:43",
        "enquiryCpf": "25872252137", "links": [],
        "checkingAccounts": [{"brandName": "b", "bacenName": "b", "compeCode": "001", "companyCnpj": "",
            "number": "56789", "checkDigit": "0", "subtype": "INDIVIDUAL", "civilName": "Maria",
            "balances": {"availableAmount": {"amount": 12345678901234.57, "currency": "BRL"},
                         "blockedAmount": {"amount": "0.10", "currency": "BRL"}}}]}"#;
    let report: ProductReport = klavi_types::from_json(body).unwrap();
    assert_eq!(report.product_report_time.as_str(), "2019-12-23T06:10:43");
    let ProductReportBody::CheckingAccounts(from_report) = &report.body else {
        panic!("{:?}", report.body)
    };
    assert!(report.extra.is_empty());
    // The body type also reads its member from the same bytes, ignoring the envelope.
    let statement: CheckingAccountsBody = klavi_types::from_json(body).unwrap();
    assert_eq!(&statement, from_report);
    let account = &statement.checking_accounts.as_ref().unwrap()[0];
    assert_eq!(account.subtype, AccountSubtype::Individual);
    // An f64 would print 12345678901234.57 as 12345678901234.570312…; the text is kept.
    assert_eq!(
        account.balances.available_amount.amount.as_str(),
        "12345678901234.57"
    );
    assert_eq!(account.balances.blocked_amount.amount.as_str(), "0.10");
    // The envelope serializes back with the body byte-exact.
    let again = serde_json::to_string(&report).unwrap();
    assert!(
        again.contains(r#""amount": 12345678901234.57"#)
            || again.contains(r#""amount":12345678901234.57"#),
        "{again}"
    );
    // A broken envelope member is reported at its pointer.
    let bad = br#"{"code": "200", "message": "ok", "requestId": "r", "productName": "p", "productVersion": "v",
        "productReportId": "i", "productReportTime": "t", "enquiryCpf": "", "links": [{"linkId": 1}]}"#;
    let errors = klavi_types::from_json::<ProductReport>(bad).unwrap_err();
    assert_eq!(errors.as_slice()[0].pointer(), "/code");
}
