//! The mock's own routes under `/mock`, for tests and people driving a running mock by hand:
//! play the end user (authorise or reject a consent), create an Open Data task, expire the
//! access tokens, and read the request and delivery logs. They need no token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State as Extract};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::Shared;

use crate::handlers::consents::{DecideError, decide};
use crate::handlers::tasks;
use crate::routes::{Outcome, answer};

/// The control routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/mock/consents/{consentId}/authorise", post(authorise))
        .route("/mock/consents/{consentId}/reject", post(reject))
        .route("/mock/links/{linkId}/tasks", post(create_task))
        .route("/mock/tokens/expire", post(expire_tokens))
        .route("/mock/requests", get(requests))
        .route("/mock/deliveries", get(deliveries))
}

fn reply(shared: &Arc<Shared>, method: &str, path: &'static str, outcome: Outcome) -> Response {
    answer(shared, "mock", method, path, outcome, Instant::now())
}

/// Authorises or rejects a consent as its end user, sending the event.
pub(crate) fn decide_consent(shared: &Arc<Shared>, consent_id: &str, authorise: bool) -> Outcome {
    let decided = decide(shared, &mut shared.lock(), consent_id, authorise);
    match decided {
        Ok(webhook) => Outcome::control(json!({"message": "ok"}))
            .with_webhooks(webhook.map(|webhook| (webhook, Duration::ZERO))),
        Err(DecideError::NotFound) => Outcome::error(404, "consent not found"),
        Err(DecideError::NotAwaiting) => {
            Outcome::error(409, "the consent is not awaiting authorisation")
        }
    }
}

async fn authorise(
    Extract(shared): Extract<Arc<Shared>>,
    Path(consent_id): Path<String>,
) -> Response {
    let outcome = decide_consent(&shared, &consent_id, true);
    reply(
        &shared,
        "POST",
        "/mock/consents/{consentId}/authorise",
        outcome,
    )
}

async fn reject(Extract(shared): Extract<Arc<Shared>>, Path(consent_id): Path<String>) -> Response {
    let outcome = decide_consent(&shared, &consent_id, false);
    reply(
        &shared,
        "POST",
        "/mock/consents/{consentId}/reject",
        outcome,
    )
}

async fn create_task(
    Extract(shared): Extract<Arc<Shared>>,
    Path(link_id): Path<String>,
) -> Response {
    let created = tasks::create(&mut shared.lock(), &link_id);
    let outcome = match created {
        Some(task_id) => Outcome::control(json!({"taskId": task_id, "mfaId": tasks::MFA_ID})),
        None => Outcome::error(404, "link not found"),
    };
    reply(&shared, "POST", "/mock/links/{linkId}/tasks", outcome)
}

async fn expire_tokens(Extract(shared): Extract<Arc<Shared>>) -> Response {
    shared.expire_access_tokens();
    reply(
        &shared,
        "POST",
        "/mock/tokens/expire",
        Outcome::control(json!({"message": "ok"})),
    )
}

async fn requests(Extract(shared): Extract<Arc<Shared>>) -> Response {
    let log: Vec<Value> = shared
        .lock()
        .log
        .iter()
        .map(|logged| {
            json!({
                "endpoint": logged.endpoint,
                "method": logged.method,
                "path": logged.path,
                "status": logged.status,
                "fault": logged.fault,
                "violations": logged.violations,
                "latencyMs": logged.latency.as_secs_f64() * 1000.0,
            })
        })
        .collect();
    reply(
        &shared,
        "GET",
        "/mock/requests",
        Outcome::control(Value::Array(log)),
    )
}

async fn deliveries(Extract(shared): Extract<Arc<Shared>>) -> Response {
    let deliveries: Vec<Value> = shared
        .lock()
        .deliveries
        .iter()
        .map(|delivery| {
            json!({
                "kind": delivery.kind,
                "name": delivery.name,
                "id": delivery.id,
                "statuses": delivery.statuses,
                "delivered": delivery.delivered(),
            })
        })
        .collect();
    reply(
        &shared,
        "GET",
        "/mock/deliveries",
        Outcome::control(Value::Array(deliveries)),
    )
}
