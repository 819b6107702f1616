//! One table row per documented rule (docs §24): the payload, and the exact violations both
//! validators report. The typed path's first violation must be among them, so the two stay in
//! agreement rule by rule.

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry;
use serde_json::{Value, json};

fn check(diagnostics: &Diagnostics, message: &str, payload: &Value) -> Vec<(String, String)> {
    let bytes = serde_json::to_vec(payload).unwrap();
    let report = diagnostics.check(message, &bytes).expect("known message");
    let typed = (registry::message(message).unwrap().check)(&bytes);
    match &typed {
        Ok(()) => assert!(
            report.is_empty(),
            "{message}: typed accepts, diagnostics {report:?}"
        ),
        Err(errors) => {
            let first = &errors.as_slice()[0];
            assert!(
                report
                    .iter()
                    .any(|v| v.pointer() == first.pointer() && v.code() == first.code()),
                "{message}: typed {first} not in {report:?}"
            );
        }
    }
    report
        .iter()
        .map(|v| (v.pointer().to_owned(), v.code().to_owned()))
        .collect()
}

/// (rule, message id, payload, expected violations as (pointer, code)).
type Row = (&'static str, &'static str, Value, Vec<(String, String)>);

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

#[test]
fn documented_rules() {
    let diagnostics = Diagnostics::new();
    let consent = json!({"externalTrackId": "t-1", "personalTaxId": "28001238938", "institutionCode": "001",
        "redirectURL": "https://example.com/back", "validityPeriod": 12});
    let with = |base: &Value, key: &str, value: Value| {
        let mut payload = base.clone();
        payload[key] = value;
        payload
    };
    let without = |base: &Value, key: &str| {
        let mut payload = base.clone();
        payload.as_object_mut().unwrap().remove(key);
        payload
    };
    let personal_user = json!({"taxId": "28001238938", "products": ["all"]});
    let business_institution = json!({"taxId": "11222333000181", "institutionCode": "001", "products": ["pf_checking_account"]});
    let open_finance = json!({"institutionCode": "341", "name": "Itau", "avatar": "https://x/a.svg",
        "isBeta": false, "isOutage": false, "institutionType": 1, "businessType": "LEGAL", "availableResources": ["ACCOUNTS"]});
    let table: Vec<Row> = vec![
        (
            "V1",
            "generate-access-token.request",
            json!({"accessKey": "a", "secretKey": "s"}),
            vec![],
        ),
        (
            "V1",
            "generate-access-token.request",
            json!({"accessKey": "a"}),
            pairs(&[("/secretKey", "required")]),
        ),
        (
            "V1",
            "generate-access-token.request",
            json!({"accessKey": "a", "secretKey": "s", "secret_key": "s"}),
            pairs(&[("/secret_key", "unknown_field")]),
        ),
        ("V9", "create-consent.request", consent.clone(), vec![]),
        (
            "V9",
            "create-consent.request",
            without(&consent, "externalTrackId"),
            pairs(&[("/externalTrackId", "required")]),
        ),
        (
            "V9",
            "create-consent.request",
            without(&consent, "institutionCode"),
            pairs(&[("/institutionCode", "required")]),
        ),
        (
            "V9",
            "create-consent.request",
            without(&consent, "redirectURL"),
            pairs(&[("/redirectURL", "required")]),
        ),
        (
            "V10",
            "create-consent.request",
            without(&consent, "personalTaxId"),
            pairs(&[("", "missing_one_of")]),
        ),
        (
            "V10",
            "create-consent.request",
            with(
                &without(&consent, "personalTaxId"),
                "businessTaxId",
                json!("12ABC34501DE35"),
            ),
            vec![],
        ),
        (
            "V11",
            "create-consent.request",
            with(&consent, "validityPeriod", json!(6)),
            pairs(&[("/validityPeriod", "enum")]),
        ),
        (
            "V11",
            "create-consent.request",
            with(&consent, "validityPeriod", json!(0)),
            vec![],
        ),
        (
            "V11",
            "create-consent.request",
            with(&consent, "validityPeriod", json!("12")),
            pairs(&[("/validityPeriod", "type")]),
        ),
        (
            "V11",
            "create-consent.request",
            without(&consent, "validityPeriod"),
            pairs(&[("/validityPeriod", "required")]),
        ),
        (
            "V12",
            "get-consent.path",
            json!({"consentId": "x".repeat(37)}),
            pairs(&[("/consentId", "max_length")]),
        ),
        (
            "V14",
            "get-consent-list.query",
            json!({"linkId": "l"}),
            pairs(&[("", "missing_one_of")]),
        ),
        (
            "V15",
            "request-personal-user-report.request",
            personal_user.clone(),
            vec![],
        ),
        (
            "V15",
            "request-personal-user-report.request",
            without(&personal_user, "products"),
            pairs(&[("/products", "required")]),
        ),
        (
            "V15",
            "request-business-institution-report.request",
            without(&business_institution, "institutionCode"),
            pairs(&[("/institutionCode", "required")]),
        ),
        (
            "V16",
            "request-personal-user-report.request",
            with(&personal_user, "products", json!([])),
            pairs(&[("/products", "min_items")]),
        ),
        (
            "V16",
            "request-personal-user-report.request",
            with(&personal_user, "products", json!(["all", "pf_credit_card"])),
            pairs(&[("/products", "mutually_exclusive")]),
        ),
        (
            "V16",
            "request-business-institution-report.request",
            with(&business_institution, "products", json!(["all"])),
            pairs(&[("/products/0", "enum")]),
        ),
        (
            "V17",
            "request-personal-user-report.request",
            with(&personal_user, "taxId", json!("11222333000181")),
            pairs(&[("/taxId", "cpf_length")]),
        ),
        (
            "V17",
            "request-business-user-report.request",
            json!({"taxId": "28001238938", "products": ["all"]}),
            pairs(&[("/taxId", "cnpj_length")]),
        ),
        (
            "V20",
            "get-institution-list.response",
            json!([open_finance.clone()]),
            vec![],
        ),
        (
            "V20",
            "get-institution-list.response",
            json!([without(&open_finance, "businessType")]),
            pairs(&[("/0/businessType", "dependent_required")]),
        ),
        (
            "V20",
            "get-institution-list.response",
            json!([with(
                &without(
                    &without(&open_finance, "businessType"),
                    "availableResources"
                ),
                "institutionType",
                json!(2)
            )]),
            vec![],
        ),
        (
            "V20",
            "get-institution-list.response",
            json!([with(&open_finance, "institutionType", json!(3))]),
            vec![],
        ),
        (
            "V22",
            "get-task-status.response",
            json!({"code": 200, "message": "ok", "status": "needMFA", "mfaInfo": {"mfaId": 30, "mfaType": "contact"}}),
            // An open union keeps an object it cannot read as its variant (the schema's
            // catch-all accepts any object): a `contact` step without `contact` is no error.
            vec![],
        ),
        (
            "V23",
            "submit-mfa.request",
            json!({"code": "123456"}),
            pairs(&[("/mfaId", "required")]),
        ),
        (
            "V23",
            "submit-mfa.request",
            json!({"mfaId": "22"}),
            pairs(&[("/mfaId", "type")]),
        ),
        (
            "V23",
            "submit-mfa.request",
            json!({"mfaId": 22, "password": null}),
            pairs(&[("/password", "type")]),
        ),
    ];
    for (rule, message, payload, expected) in table {
        let mut got = check(&diagnostics, message, &payload);
        got.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(got, expected, "{rule} {message} {payload}");
    }
}
