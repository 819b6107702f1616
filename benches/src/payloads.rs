//! The payloads measured: a Create a Link request with every member used, the same with five
//! violations, and a consent list of any length.

/// A valid Create a Link request using every member (both tax ids, masked, the App2App pair, the
/// deprecated `applicationLink`, per-product callbacks, `externalInfo` with customization): about
/// 600 bytes of compact JSON.
pub const CREATE_LINK_VALID: &str = concat!(
    r#"{"personalTaxId":"280.012.389-38","businessTaxId":"12.ABC.345/01DE-35","#,
    r#""email":"maria@example.com","phone":"+55 11 91234-5678","institutionCode":"260","#,
    r#""redirectURL":"https://acme.com.br/klavi/return","#,
    r#""productsCallbackURL":{"pf_checking_account":"https://acme.com.br/c","#,
    r#""pf_credit_card":"https://acme.com.br/k","other":"https://acme.com.br/o"},"#,
    r#""externalInfo":{"traceId":"t-2f9c","customization":{"institutions":["001","033","260"],"#,
    r#""landingTitle":"Hello","landingSubtitle":"Welcome"}},"#,
    r#""connectionKey":"ck-7f3a9b","appLink":"myapp://klavi/callback","appRedirectURLKey":"klaviRedirect","#,
    r#""applicationLink":"https://acme.com.br/klavi/app"}"#
);

/// A Create a Link request with five violations: a CPF check digit, an e-mail, an empty
/// `institutionCode`, `all` beside another key in `productsCallbackURL`, and `appLink` without
/// `appRedirectURLKey`.
pub const CREATE_LINK_INVALID: &str = concat!(
    r#"{"personalTaxId":"123.456.789-00","email":"not-an-email","institutionCode":"","#,
    r#""redirectURL":"https://acme.com.br/klavi/return","#,
    r#""productsCallbackURL":{"all":"https://acme.com.br/wh/all","pf_credit_card":"https://acme.com.br/k"},"#,
    r#""appLink":"myapp://klavi/callback"}"#
);

/// A Get Consent List response of `count` consents, each with its own ids (as the API sends
/// them: UUIDs, millisecond timestamps, an empty `businessTaxId`).
pub fn consent_list(count: usize) -> String {
    let mut out = String::with_capacity(count * 620 + 2);
    out.push('[');
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        let status = [
            "AUTHORISED",
            "REVOKED",
            "AWAITING_AUTHORISATION",
            "REJECTED",
        ][i % 4];
        out.push_str(&format!(
            concat!(
                r#"{{"consentId":"ac246093-353b-4310-bd9c-{i:012x}","linkId":"85a3af9f-e8ab-4be8-86dd-{i:012x}","#,
                r#""externalTrackId":"113ee41e-1ecf-41b7-b6a9-{i:012x}","personalTaxId":"16109277673","#,
                r#""businessTaxId":"","institutionCode":"001","status":"{status}","#,
                r#""permissionsApply":["ACCOUNTS_ALL","CREDIT_CARDS_ALL","CREDIT_OPERATIONS_ALL","REGISTRATION_ALL","INVESTMENTS_ALL"],"#,
                r#""permissionsGranted":["ACCOUNTS_ALL","CREDIT_CARDS_ALL","CREDIT_OPERATIONS_ALL","REGISTRATION_ALL","INVESTMENTS_ALL"],"#,
                r#""expireAt":"2024-12-07T23:59:59.999Z","createdAt":"2023-12-08T09:19:19.253Z","updatedAt":"2023-12-08T11:29:50.253Z"}}"#
            ),
            i = i,
            status = status
        ));
    }
    out.push(']');
    out
}
