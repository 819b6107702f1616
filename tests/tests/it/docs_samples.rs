//! The docs' request samples, verbatim (with their `"string"` placeholders): they pass or fail
//! exactly as the documented rules say. A client that copies them learns what to change.

use klavi_types::diagnostics::Diagnostics;

fn violations(message: &str, payload: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Diagnostics::new()
        .check(message, payload.as_bytes())
        .expect("known message")
        .iter()
        .map(|v| (v.pointer().to_owned(), v.code().to_owned()))
        .collect();
    found.sort();
    found
}

fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = list
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    list.sort();
    list
}

#[test]
fn generate_access_token_sample_is_valid() {
    // §1: credentials are opaque strings.
    assert_eq!(
        violations(
            "generate-access-token.request",
            r#"{"accessKey": "string", "secretKey": "string"}"#
        ),
        expect(&[])
    );
}

#[test]
fn create_link_curl_sample_fails_on_every_placeholder() {
    // §3, the curl sample: `productsCallbackURL` and `externalInfo` literally `"object"`.
    let sample = r#"{"personalTaxId": "string", "businessTaxId": "string", "email": "string", "phone": "string",
        "institutionCode": "string", "redirectURL": "string", "productsCallbackURL": "object",
        "externalInfo": "object", "connectionKey": "string"}"#;
    assert_eq!(
        violations("create-link.request", sample),
        expect(&[
            ("/businessTaxId", "cnpj_lower_case"),
            ("/email", "email"),
            ("/externalInfo", "type"),
            ("/personalTaxId", "cpf_character"),
            ("/productsCallbackURL", "type"),
            ("/redirectURL", "http_url"),
        ])
    );
}

#[test]
fn create_consent_sample_fails_on_every_placeholder() {
    // §6, the example request.
    let sample = r#"{"externalTrackId": "string", "personalTaxId": "string", "businessTaxId": "string",
        "institutionCode": "string", "redirectURL": "string", "phone": "string", "email": "string", "validityPeriod": 12}"#;
    assert_eq!(
        violations("create-consent.request", sample),
        expect(&[
            ("/businessTaxId", "cnpj_lower_case"),
            ("/email", "email"),
            ("/personalTaxId", "cpf_character"),
            ("/redirectURL", "http_url"),
        ])
    );
}
