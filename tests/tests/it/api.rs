//! The public API of the generated types: builders, `validate()` collecting every violation,
//! `validator::Validate`, `schemars::JsonSchema` returning the source schema, query strings,
//! `productsCallbackURL`'s exclusive `all`, strictness of requests and masking in `Debug`.

use klavi_types::consents::{GetConsentListQuery, Permission};
use klavi_types::formats::{AbsoluteUri, Email, HttpUrl};
use klavi_types::links::{
    CallbackTarget, CreateLinkRequest, CreateLinkResponse, ProductsCallbackUrl,
};
use klavi_types::reports::ReportProduct;
use klavi_types::tax_id::{Cnpj, Cpf};
use klavi_types::{Validate, ValidationErrors};

fn codes(errors: &ValidationErrors) -> Vec<(&str, &str)> {
    errors.iter().map(|v| (v.pointer(), v.code())).collect()
}

fn url(text: &str) -> HttpUrl {
    HttpUrl::parse(text).expect("valid URL")
}

#[test]
fn a_valid_request_in_a_few_lines() {
    let request = CreateLinkRequest::new()
        .with_personal_tax_id("280.012.389-38".parse::<Cpf>().unwrap())
        .with_email(Email::parse("maria@example.com").unwrap())
        .with_redirect_url(url("https://example.com/back"))
        .with_products_callback_url(ProductsCallbackUrl::from_iter([
            (
                CallbackTarget::Product(ReportProduct::PfCheckingAccount),
                url("https://example.com/checking"),
            ),
            (CallbackTarget::Other, url("https://example.com/other")),
        ]))
        .with_app_link(AbsoluteUri::parse("myapp://klavi").unwrap())
        .with_app_redirect_url_key("next");
    assert_eq!(request.validate(), Ok(()));
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["personalTaxId"], "28001238938");
    assert_eq!(
        json["productsCallbackURL"]["other"],
        "https://example.com/other"
    );
    assert_eq!(json["appRedirectURLKey"], "next");
}

#[test]
fn validate_reports_every_violation() {
    let request = CreateLinkRequest::new()
        .with_institution_code("")
        .with_connection_key("")
        .with_app_link(AbsoluteUri::parse("myapp://klavi").unwrap());
    let errors = request.validate().unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("/institutionCode", "min_length"),
            ("/connectionKey", "min_length"),
            ("/appRedirectURLKey", "dependent_required"),
        ]
    );
    assert!(errors.as_slice()[2].message().contains("`appLink`"));
    // The rule is one-directional: a key without a link is fine.
    assert_eq!(
        CreateLinkRequest::new()
            .with_app_redirect_url_key("k")
            .validate(),
        Ok(())
    );
}

#[test]
fn validator_crate_sees_the_same_violations() {
    let request = CreateLinkRequest::new().with_app_link(AbsoluteUri::parse("myapp://x").unwrap());
    let errors = klavi_types::validator::Validate::validate(&request).unwrap_err();
    let entry = &errors.errors()["/appRedirectURLKey"];
    let klavi_types::validator::ValidationErrorsKind::Field(list) = entry else {
        panic!("expected a field entry, got {entry:?}");
    };
    assert_eq!(list[0].code, "dependent_required");
    assert!(klavi_types::validator::Validate::validate(&CreateLinkRequest::new()).is_ok());
}

#[test]
fn all_cannot_be_combined_with_other_keys() {
    let payload =
        br#"{"productsCallbackURL": {"all": "https://a.com/x", "other": "https://a.com/y"}}"#;
    let errors = klavi_types::from_json::<CreateLinkRequest>(payload).unwrap_err();
    let violation = &errors.as_slice()[0];
    assert_eq!(
        (violation.pointer(), violation.code()),
        ("/productsCallbackURL", "mutually_exclusive")
    );
    assert!(
        violation
            .message()
            .contains("`all` cannot be combined with other keys"),
        "{violation}"
    );
    let all: ProductsCallbackUrl = serde_json::from_str(r#"{"all": "https://a.com/x"}"#).unwrap();
    assert_eq!(all, ProductsCallbackUrl::All(url("https://a.com/x")));
    assert_eq!(
        serde_json::to_string(&all).unwrap(),
        r#"{"all":"https://a.com/x"}"#
    );
    let unknown_key = br#"{"productsCallbackURL": {"Checking": "https://a.com/x"}}"#;
    let errors = klavi_types::from_json::<CreateLinkRequest>(unknown_key).unwrap_err();
    assert_eq!(
        codes(&errors),
        [("/productsCallbackURL/Checking", "invalid_key")]
    );
}

#[test]
fn unlisted_snake_case_products_are_accepted() {
    let map: ProductsCallbackUrl =
        serde_json::from_str(r#"{"pj_invoices_v2": "https://a.com/x"}"#).unwrap();
    let key: CallbackTarget = "pj_invoices_v2".parse().unwrap();
    assert!(matches!(
        key,
        CallbackTarget::Product(ReportProduct::Other(_))
    ));
    assert_eq!(map.get(&key), Some(&url("https://a.com/x")));
}

#[test]
fn requests_reject_null_unknown_members_and_numbers_as_tax_ids() {
    let table: [(&[u8], &str, &str); 4] = [
        (br#"{"email": null}"#, "/email", "type"),
        (
            br#"{"personalTaxId": 28001238938}"#,
            "/personalTaxId",
            "type",
        ),
        (
            br#"{"appRedirectUrlKey": "k"}"#,
            "/appRedirectUrlKey",
            "unknown_field",
        ),
        (
            br#"{"businessTaxId": "12.abc.345/01de-35"}"#,
            "/businessTaxId",
            "cnpj_lower_case",
        ),
    ];
    for (payload, pointer, code) in table {
        let errors = klavi_types::from_json::<CreateLinkRequest>(payload).unwrap_err();
        assert_eq!(
            codes(&errors),
            [(pointer, code)],
            "{}",
            String::from_utf8_lossy(payload)
        );
    }
    let hint =
        klavi_types::from_json::<CreateLinkRequest>(br#"{"appRedirectUrlKey": "k"}"#).unwrap_err();
    assert!(
        hint.as_slice()[0]
            .message()
            .contains("did you mean `appRedirectURLKey`?")
    );
}

#[test]
fn the_consent_list_query_needs_a_tax_id_and_renders_a_query_string() {
    let errors = GetConsentListQuery::new().validate().unwrap_err();
    assert_eq!(codes(&errors), [("", "missing_one_of")]);
    assert!(
        errors.as_slice()[0]
            .message()
            .contains("`personalTaxId` or `businessTaxId`")
    );
    let query = GetConsentListQuery::new()
        .with_personal_tax_id("280.012.389-38".parse::<Cpf>().unwrap())
        .with_link_id("a b&c");
    assert_eq!(query.validate(), Ok(()));
    assert_eq!(
        query.to_query_string(),
        "personalTaxId=28001238938&linkId=a+b%26c"
    );
    let business = GetConsentListQuery::new()
        .with_business_tax_id("12.ABC.345/01DE-35".parse::<Cnpj>().unwrap());
    assert_eq!(business.to_query_string(), "businessTaxId=12ABC34501DE35");
}

#[test]
fn json_schema_is_the_source_schema() {
    let schema =
        serde_json::to_value(klavi_types::schemars::schema_for!(CreateLinkRequest)).unwrap();
    assert_eq!(
        schema["dependentRequired"]["appLink"][0],
        "appRedirectURLKey"
    );
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["$defs"]["Cpf"]["format"], "cpf");
    assert_eq!(
        schema["$defs"]["ProductsCallbackUrl"]["dependentSchemas"]["all"]["maxProperties"],
        1
    );
    assert_eq!(schema["properties"]["personalTaxId"]["$ref"], "#/$defs/Cpf");
    // A schema that embeds another generated type gets it registered once in `$defs`.
    let permission = serde_json::to_value(klavi_types::schemars::schema_for!(Permission)).unwrap();
    assert!(permission["anyOf"].as_array().unwrap().len() >= 6);
}

#[test]
fn debug_output_masks_personal_data_and_credentials() {
    let request = CreateLinkRequest::new()
        .with_personal_tax_id("280.012.389-38".parse::<Cpf>().unwrap())
        .with_business_tax_id("12.ABC.345/01DE-35".parse::<Cnpj>().unwrap())
        .with_email(Email::parse("maria.silva@example.com").unwrap())
        .with_phone("+55 11 91234-5678");
    let debug = format!("{request:?}");
    for secret in [
        "28001238938",
        "280.012.389-38",
        "12ABC34501DE35",
        "maria.silva",
        "91234-5678",
    ] {
        assert!(!debug.contains(secret), "{secret} leaks in {debug}");
    }
    let response: CreateLinkResponse = serde_json::from_str(
        r#"{"linkId": "l1", "linkToken": "tok-SECRET-123", "linkURL": "https://x/?v=tok-SECRET-123", "expireIn": 1800}"#,
    )
    .unwrap();
    let debug = format!("{response:?}");
    assert!(!debug.contains("tok-SECRET-123"), "{debug}");
    assert_eq!(response.link_token.expose_secret(), "tok-SECRET-123");
    // The wire form stays exact.
    assert_eq!(
        serde_json::to_value(&response).unwrap()["linkToken"],
        "tok-SECRET-123"
    );
}
