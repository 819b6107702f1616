//! The optional integrations of the packaged `klavi-types`, reached through its re-exports only
//! (this crate depends on none of `schemars`, `validator`, `jsonschema` and `rust_decimal`).
#![cfg(feature = "integrations")]

use klavi_types::diagnostics::Diagnostics;
use klavi_types::links::CreateLinkRequest;
use klavi_types::serde_json;

const BROKEN: &str = r#"{"personalTaxId": "28001238938", "appLink": "partner://klavi"}"#;

#[test]
fn validator_sees_the_broken_rule() {
    let request: CreateLinkRequest = serde_json::from_str(BROKEN).unwrap();
    let errors = klavi_types::validator::Validate::validate(&request).unwrap_err();
    assert!(
        errors.errors().contains_key("/appRedirectURLKey"),
        "{errors:?}"
    );
}

#[test]
fn schemars_returns_the_source_schema() {
    let schema =
        serde_json::to_value(klavi_types::schemars::schema_for!(CreateLinkRequest)).unwrap();
    assert_eq!(
        schema["dependentRequired"]["appLink"][0],
        "appRedirectURLKey"
    );
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn diagnostics_check_arbitrary_json() {
    let violations = Diagnostics::new()
        .check("create-link.request", BROKEN.as_bytes())
        .unwrap();
    let pointers: Vec<&str> = violations
        .iter()
        .map(|violation| violation.pointer())
        .collect();
    assert_eq!(pointers, ["/appRedirectURLKey"]);
}

#[test]
fn rust_decimal_adds_report_amounts_exactly() {
    use klavi_types::products::BalancesBody;
    use klavi_types::rust_decimal::Decimal;
    let info = klavi_types::registry::message("pf-balance.product").unwrap();
    let report = serde_json::to_vec(&info.examples()[0]).unwrap();
    let body: BalancesBody = klavi_types::from_json(&report).unwrap();
    let balances = &body.accounts.as_ref().unwrap()[0].balances;
    let total: Decimal = [&balances.available_amount, &balances.blocked_amount]
        .iter()
        .map(|money| money.amount.to_decimal().unwrap())
        .sum();
    assert_eq!(total.to_string(), "2000.0800");
}
