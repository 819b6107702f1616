//! The four report requests: checked against the state (an `AUTHORISED` consent must cover
//! them, the products must be onboarded), answered with a `requestId`, then the product
//! reports, built from each product's documented example, delivered to the one-time
//! `productsCallbackURL`, else the link's, else the global one (§19.3), with the
//! `product_request_received` and `product_generated_success` events.

use std::sync::Arc;

use klavi_types::Endpoint;
use klavi_types::consents::{Consent, ConsentStatus};
use klavi_types::reports::ReportRequestAccepted;
use serde_json::{Value, json};

use crate::Shared;
use crate::delivery::Webhook;
use crate::handlers::{bare_tax_id, event, example, now};
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// The report products the schemas describe (`pf_balance`, …), from the registry's
/// `*.product` messages.
pub fn known_products() -> Vec<String> {
    klavi_types::registry::standalone()
        .iter()
        .filter_map(|message| message.id.strip_suffix(".product"))
        .map(|name| name.replace('-', "_"))
        .collect()
}

/// Any report request.
pub(crate) fn request<E: Endpoint<Response = ReportRequestAccepted>>(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<E>,
) -> Outcome {
    let json = &request.json;
    let business = E::PATH.contains("/business/");
    let tax_id = bare_tax_id(json, "taxId");
    let link_id = json["linkId"].as_str();
    if let Some(link_id) = link_id
        && !state.links.contains_key(link_id)
    {
        return Outcome::error(404, "link not found");
    }
    let consent_ids: Option<Vec<&str>> = json["consentIds"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let institution = json["institutionCode"].as_str();
    // V18: only consents in status AUTHORISED allow data calls.
    let covering: Vec<Consent> = state
        .consents
        .values()
        .filter(|consent| {
            let holder = if business {
                &consent.business_tax_id.as_received()
            } else {
                &consent.personal_tax_id.as_received()
            };
            *holder == tax_id
        })
        .filter(|consent| link_id.is_none_or(|link| consent.link_id == link))
        .filter(|consent| institution.is_none_or(|code| consent.institution_code == code))
        .filter(|consent| {
            consent_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&consent.consent_id.as_str()))
        })
        .filter(|consent| consent.status == ConsentStatus::Authorised)
        .cloned()
        .collect();
    if covering.is_empty() {
        return Outcome::business(416, 4001, "no AUTHORISED consent covers this request");
    }
    let onboarded = if shared.config.products.is_empty() {
        known_products()
    } else {
        shared.config.products.clone()
    };
    let prefix = if business { "pj_" } else { "pf_" };
    let mut products = Vec::new();
    for product in json["products"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if product == "all" {
            products.extend(
                onboarded
                    .iter()
                    .filter(|name| name.starts_with(prefix))
                    .cloned(),
            );
        } else if product.starts_with(prefix) && onboarded.iter().any(|name| name == product) {
            products.push(product.to_owned());
        } else {
            return Outcome::business(
                416,
                4002,
                "Invalid product info: product missing or wrong product level",
            );
        }
    }
    if products.is_empty() {
        return Outcome::business(
            416,
            4005,
            "Invalid products: products must have at least 1 item",
        );
    }
    let link = link_id
        .or_else(|| covering.first().map(|consent| consent.link_id.as_str()))
        .and_then(|id| state.links.get(id));
    let callbacks = json
        .get("productsCallbackURL")
        .or_else(|| link.and_then(|link| link.products_callback_url.as_ref()))
        .cloned()
        .unwrap_or(Value::Null);
    let external_info = json
        .get("externalInfo")
        .cloned()
        .or_else(|| link.and_then(|link| link.external_info.clone()));
    let request_id = state.id();
    let delay = shared.config.report_delay;
    let mut webhooks = Vec::new();
    let payload = json!({"requestId": request_id, "productNames": products});
    webhooks.extend(event(
        shared,
        state,
        "product_request_received",
        payload,
        external_info.as_ref(),
        delay,
    ));
    for product in &products {
        let url = callbacks
            .get(product)
            .or_else(|| callbacks.get("other"))
            .or_else(|| callbacks.get("all"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| shared.config.products_webhook_url.clone());
        let Some(url) = url else { continue };
        let report_id = state.id();
        let body = report(
            product,
            &request_id,
            &report_id,
            &tax_id,
            &covering,
            external_info.as_ref(),
        );
        webhooks.push((
            Webhook {
                url,
                kind: "report",
                name: product.clone(),
                id: report_id.clone(),
                body: body.to_string().into_bytes(),
            },
            delay,
        ));
        let payload =
            json!({"requestId": request_id, "productName": product, "productReportId": report_id});
        webhooks.extend(event(
            shared,
            state,
            "product_generated_success",
            payload,
            external_info.as_ref(),
            delay,
        ));
    }
    Outcome::answer::<E>(&ReportRequestAccepted::new(request_id, "ok")).with_webhooks(webhooks)
}

/// A product report: the product's documented example with this request's envelope.
fn report(
    product: &str,
    request_id: &str,
    report_id: &str,
    tax_id: &str,
    consents: &[Consent],
    external_info: Option<&Value>,
) -> Value {
    let mut body = example(&format!("{}.product", product.replace('_', "-")));
    if !body.is_object() {
        body = example("product-report.webhook");
    }
    body["code"] = json!(200);
    body["message"] = json!("ok");
    body["requestId"] = json!(request_id);
    body["productName"] = json!(product);
    body["productReportId"] = json!(report_id);
    body["productReportTime"] = json!(now());
    body["enquiryCpf"] = json!(tax_id);
    let links: Vec<Value> = consents
        .iter()
        .map(|consent| {
            json!({
                "linkId": consent.link_id,
                "institutionCode": consent.institution_code,
                "consents": [{
                    "consentId": consent.consent_id,
                    "permissions": {"REGISTRATION_ALL": {"permissionsGranted": true, "accountIds": []}},
                }],
            })
        })
        .collect();
    body["links"] = Value::Array(links);
    match external_info {
        Some(info) => body["externalInfo"] = info.clone(),
        None => {
            if let Some(object) = body.as_object_mut() {
                object.remove("externalInfo");
            }
        }
    }
    body
}
