//! Consents: created awaiting authorisation, authorised by the simulated end user (at once,
//! after a delay, or when a test says so), read, listed by tax id, revoked; each change sends
//! its event.

use std::sync::Arc;
use std::time::Duration;

use klavi_types::consents::{CreateConsent, GetConsent, GetConsentList, RevokeConsent};
use serde_json::{Value, json};

use crate::Shared;
use crate::config::Authorisation;
use crate::delivery::{self, Webhook};
use crate::handlers::{bare_tax_id, event, in_days, now};
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// The permissions a mock consent asks for and is granted.
const PERMISSIONS: [&str; 4] = [
    "ACCOUNTS_ALL",
    "CREDIT_CARDS_ALL",
    "CREDIT_OPERATIONS_ALL",
    "REGISTRATION_ALL",
];

/// `POST /data/v1/consents`: `409` for an `externalTrackId` already used (it must be unique
/// per request), else a consent `AWAITING_AUTHORISATION`, authorised as configured.
pub(crate) fn create(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<CreateConsent>,
) -> Outcome {
    let json = &request.json;
    let track_id = json["externalTrackId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if !state.track_ids.insert(track_id) {
        return Outcome::error(409, "externalTrackId must be unique per request");
    }
    let link_id = request.link_id.unwrap_or_default();
    let consent_id = state.id();
    let months = json
        .get("validityPeriod")
        .and_then(Value::as_i64)
        .unwrap_or(12);
    let expire_at = in_days(if months == 0 { 36_500 } else { months * 30 });
    let consent = json!({
        "consentId": consent_id,
        "linkId": link_id,
        "externalTrackId": json["externalTrackId"],
        "personalTaxId": bare_tax_id(json, "personalTaxId"),
        "businessTaxId": bare_tax_id(json, "businessTaxId"),
        "institutionCode": json["institutionCode"],
        "status": "AWAITING_AUTHORISATION",
        "permissionsApply": PERMISSIONS,
        "permissionsGranted": [],
        "expireAt": expire_at,
        "createdAt": now(),
        "updatedAt": now(),
    });
    state.consents.push(consent);
    let mut outcome = Outcome::ok(json!({
        "consentId": consent_id,
        "consentRedirectURL": format!("https://auth.mockbank.example/auth?consent={consent_id}"),
        "expireAt": expire_at,
    }));
    match shared.config.authorisation {
        Authorisation::After(delay) if delay.is_zero() => {
            if let Ok(webhooks) = decide(shared, state, &consent_id, true) {
                outcome = outcome.with_webhooks(
                    webhooks
                        .into_iter()
                        .map(|webhook| (webhook, Duration::ZERO)),
                );
            }
        }
        Authorisation::After(delay) => {
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let webhooks = decide(&shared, &mut shared.lock(), &consent_id, true);
                for webhook in webhooks.into_iter().flatten() {
                    delivery::spawn(Arc::clone(&shared), webhook, Duration::ZERO);
                }
            });
        }
        Authorisation::Manual => {}
    }
    outcome
}

/// Why a consent could not be authorised or rejected.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DecideError {
    NotFound,
    NotAwaiting,
}

/// The simulated end user authorises (or rejects) consent `consent_id`: its status changes
/// and the `consent_authorised` (or `consent_rejected`) event is returned to be sent.
pub(crate) fn decide(
    shared: &Shared,
    state: &mut State,
    consent_id: &str,
    authorise: bool,
) -> Result<Option<Webhook>, DecideError> {
    let consent = state.consent_mut(consent_id).ok_or(DecideError::NotFound)?;
    if consent["status"] != "AWAITING_AUTHORISATION" {
        return Err(DecideError::NotAwaiting);
    }
    let (status, name) = if authorise {
        ("AUTHORISED", "consent_authorised")
    } else {
        ("REJECTED", "consent_rejected")
    };
    consent["status"] = json!(status);
    consent["updatedAt"] = json!(now());
    if authorise {
        consent["permissionsGranted"] = json!(PERMISSIONS);
    }
    let payload = json!({
        "personalTaxId": consent["personalTaxId"],
        "businessTaxId": consent["businessTaxId"],
        "linkId": consent["linkId"],
        "consents": {
            "consentId": consent["consentId"],
            "externalTrackId": consent["externalTrackId"],
            "institutionCode": consent["institutionCode"],
        },
    });
    let link_id = consent["linkId"].as_str().unwrap_or_default().to_owned();
    let external_info = state
        .links
        .get(&link_id)
        .and_then(|link| link.external_info.clone());
    Ok(event(
        shared,
        state,
        name,
        payload,
        external_info.as_ref(),
        Duration::ZERO,
    )
    .map(|(webhook, _)| webhook))
}

/// `GET /data/v1/consents/{consentId}`.
pub(crate) fn get(_: &Arc<Shared>, state: &mut State, request: Parsed<GetConsent>) -> Outcome {
    match state.consent_mut(request.path.consent_id.as_str()) {
        Some(consent) => Outcome::ok(consent.clone()),
        None => Outcome::error(404, "consent not found"),
    }
}

/// `GET /data/v1/consents`: the consents of the tax id (and link) asked for.
pub(crate) fn list(_: &Arc<Shared>, state: &mut State, request: Parsed<GetConsentList>) -> Outcome {
    let query = &request.query;
    let matches = |consent: &&Value| {
        query
            .personal_tax_id
            .as_ref()
            .is_none_or(|cpf| consent["personalTaxId"] == cpf.as_str())
            && query
                .business_tax_id
                .as_ref()
                .is_none_or(|cnpj| consent["businessTaxId"] == cnpj.as_str())
            && query
                .link_id
                .as_ref()
                .is_none_or(|link| consent["linkId"] == link.as_str())
    };
    Outcome::ok(Value::Array(
        state.consents.iter().filter(matches).cloned().collect(),
    ))
}

/// `DELETE /data/v1/consents/{consentId}/revoke`: `REVOKED`, and the `consent_revoked` event.
pub(crate) fn revoke(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<RevokeConsent>,
) -> Outcome {
    let Some(consent) = state.consent_mut(request.path.consent_id.as_str()) else {
        return Outcome::error(404, "consent not found");
    };
    consent["status"] = json!("REVOKED");
    consent["updatedAt"] = json!(now());
    let payload = json!({
        "personalTaxId": consent["personalTaxId"],
        "businessTaxId": consent["businessTaxId"],
        "linkId": consent["linkId"],
        "consentId": consent["consentId"],
    });
    let webhook = event(
        shared,
        state,
        "consent_revoked",
        payload,
        None,
        Duration::ZERO,
    );
    Outcome::ok(json!({"message": "ok"})).with_webhooks(webhook)
}
