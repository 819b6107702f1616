//! Consents: created awaiting authorisation, authorised by the simulated end user (at once,
//! after a delay, or when a test says so), read, listed by tax id, revoked; each change sends
//! its event.

use std::sync::Arc;
use std::time::Duration;

use klavi_types::common::OkResponse;
use klavi_types::consents::{
    Consent, ConsentStatus, CreateConsent, CreateConsentResponse, GetConsent, GetConsentList,
    GetConsentListResponse, Permission, RevokeConsent, ValidityPeriod,
};
use klavi_types::tax_id::{UnverifiedCnpj, UnverifiedCpf};
use serde_json::json;

use crate::Shared;
use crate::config::Authorisation;
use crate::delivery::{self, Webhook};
use crate::handlers::institutions::in_outage;
use crate::handlers::{event, in_days, now};
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// The permissions a mock consent asks for and is granted.
const PERMISSIONS: [Permission; 4] = [
    Permission::AccountsAll,
    Permission::CreditCardsAll,
    Permission::CreditOperationsAll,
    Permission::RegistrationAll,
];

/// `POST /data/v1/consents`: `409` for an `externalTrackId` already used (it must be unique
/// per request), `416` 4004 for an institution in outage, `416` 4003 past the link's consent
/// limit, else a consent `AWAITING_AUTHORISATION`, authorised as configured.
pub(crate) fn create(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<CreateConsent>,
) -> Outcome {
    let body = &request.body;
    let track_id = body.external_track_id.clone();
    if state.track_ids.contains_key(&track_id) {
        return Outcome::error(409, "externalTrackId must be unique per request");
    }
    let config = &shared.config;
    let code = body.institution_code.as_str();
    if in_outage(code) || config.unavailable_institutions.iter().any(|c| c == code) {
        return Outcome::business(
            416,
            4004,
            "Invalid institution: institution in outage or no permission",
        );
    }
    let link_id = request.link_id.unwrap_or_default();
    let open = state
        .consents
        .values()
        .filter(|consent| consent.link_id == link_id)
        .filter(|consent| {
            !matches!(
                consent.status,
                ConsentStatus::Rejected | ConsentStatus::Revoked
            )
        })
        .count();
    if open >= config.consents_per_link {
        return Outcome::business(
            416,
            4003,
            "Invalid consent request: consents exceed the limit",
        );
    }
    state.track_ids.insert(track_id, ());
    let consent_id = state.id();
    let days = match body.validity_period {
        ValidityPeriod::Indefinite => 36_500,
        _ => 365,
    };
    let expire_at = in_days(days);
    let consent = Consent::new(
        consent_id.clone(),
        link_id,
        body.external_track_id.clone(),
        // As Klavi echoes them: the canonical bare form (`as_str`), `""` when absent.
        UnverifiedCpf::new(
            body.personal_tax_id
                .map_or_else(String::new, |cpf| cpf.as_str().to_owned()),
        ),
        UnverifiedCnpj::new(
            body.business_tax_id
                .map_or_else(String::new, |cnpj| cnpj.as_str().to_owned()),
        ),
        body.institution_code.clone(),
        ConsentStatus::AwaitingAuthorisation,
        PERMISSIONS.to_vec(),
        Vec::new(),
        expire_at,
        now(),
        now(),
    );
    state.consents.insert(consent_id.clone(), consent);
    let redirect = format!("https://auth.mockbank.example/auth?consent={consent_id}");
    let mut outcome = Outcome::answer::<CreateConsent>(&CreateConsentResponse::new(
        consent_id.clone(),
        redirect,
        expire_at,
    ));
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
    if consent.status != ConsentStatus::AwaitingAuthorisation {
        return Err(DecideError::NotAwaiting);
    }
    let (status, name) = if authorise {
        (ConsentStatus::Authorised, "consent_authorised")
    } else {
        (ConsentStatus::Rejected, "consent_rejected")
    };
    consent.status = status;
    consent.updated_at = now();
    if authorise {
        consent.permissions_granted = PERMISSIONS.to_vec();
    }
    let payload = json!({
        "personalTaxId": consent.personal_tax_id,
        "businessTaxId": consent.business_tax_id,
        "linkId": consent.link_id,
        "consents": {
            "consentId": consent.consent_id,
            "externalTrackId": consent.external_track_id,
            "institutionCode": consent.institution_code,
        },
    });
    let link_id = consent.link_id.clone();
    state.consents.reweigh(consent_id);
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
        Some(consent) => Outcome::answer::<GetConsent>(consent),
        None => Outcome::error(404, "consent not found"),
    }
}

/// `GET /data/v1/consents`: the consents of the tax id (and link) asked for, oldest first.
pub(crate) fn list(_: &Arc<Shared>, state: &mut State, request: Parsed<GetConsentList>) -> Outcome {
    let query = &request.query;
    let matches = |consent: &&Consent| {
        query
            .personal_tax_id
            .as_ref()
            .is_none_or(|cpf| consent.personal_tax_id.as_received() == cpf.as_str())
            && query
                .business_tax_id
                .as_ref()
                .is_none_or(|cnpj| consent.business_tax_id.as_received() == cnpj.as_str())
            && query
                .link_id
                .as_ref()
                .is_none_or(|link| consent.link_id == *link)
    };
    let list: GetConsentListResponse = state.consents.values().filter(matches).cloned().collect();
    Outcome::answer::<GetConsentList>(&list)
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
    consent.status = ConsentStatus::Revoked;
    consent.updated_at = now();
    let payload = json!({
        "personalTaxId": consent.personal_tax_id,
        "businessTaxId": consent.business_tax_id,
        "linkId": consent.link_id,
        "consentId": consent.consent_id,
    });
    let webhook = event(
        shared,
        state,
        "consent_revoked",
        payload,
        None,
        Duration::ZERO,
    );
    Outcome::answer::<RevokeConsent>(&OkResponse::new("ok")).with_webhooks(webhook)
}
