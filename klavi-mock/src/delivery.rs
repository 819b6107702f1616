//! Webhook delivery as Klavi does it (klavi-api.md §19): a JSON `POST` signed with HMAC-SHA256
//! of the body (`X-Klavi-Signature`, `X-Klavi-Timestamp`, signed again per attempt); any `2xx`
//! is delivered, anything else is retried with exponential backoff.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use klavi_types::webhook_signature::headers_for;

use crate::Shared;
use crate::state::Delivery;

/// A webhook waiting to be sent.
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) body: Vec<u8>,
}

/// Sends `webhook` after `delay`, in the background, recording every attempt's status.
pub(crate) fn spawn(shared: Arc<Shared>, webhook: Webhook, delay: Duration) {
    spawn_in_order(shared, vec![(webhook, delay)]);
}

/// Sends `webhooks` one after the other, in the background (each after its delay, counted
/// from the end of the one before, and after its redeliveries): the webhooks of one request
/// arrive in the order Klavi would send them (`product_request_received`, the report,
/// `product_generated_success`). The deliveries are recorded at once, in that order.
pub(crate) fn spawn_in_order(shared: Arc<Shared>, webhooks: Vec<(Webhook, Duration)>) {
    if webhooks.is_empty() {
        return;
    }
    let first = {
        let mut state = shared.lock();
        let mut first = None;
        for (webhook, _) in &webhooks {
            let sequence = state.deliveries.push(Delivery {
                url: webhook.url.clone(),
                kind: webhook.kind,
                name: webhook.name.clone(),
                id: webhook.id.clone(),
                statuses: Vec::new(),
            });
            first.get_or_insert(sequence);
        }
        first.unwrap_or_default()
    };
    tokio::spawn(async move {
        for (offset, (webhook, delay)) in (0..).zip(webhooks) {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            deliver(&shared, &webhook, first + offset).await;
        }
    });
}

/// Delivers one webhook, retrying as Klavi does, recording each attempt in the delivery log
/// entry `sequence` (unless the log dropped it since).
async fn deliver(shared: &Shared, webhook: &Webhook, sequence: u64) {
    let redelivery = shared.config.redelivery;
    let mut backoff = redelivery.backoff;
    for attempt in 0..=redelivery.retries {
        let mut request = shared
            .http
            .post(&webhook.url)
            .timeout(redelivery.timeout)
            .header("content-type", "application/json")
            .body(webhook.body.clone());
        let signing_key = shared.config.signing_key();
        for (name, value) in headers_for(signing_key, &webhook.body, SystemTime::now()) {
            request = request.header(name, value);
        }
        let status = request
            .send()
            .await
            .ok()
            .map(|response| response.status().as_u16());
        if let Some(delivery) = shared.lock().deliveries.get_mut(sequence) {
            delivery.statuses.push(status);
        }
        if shared.config.log_requests {
            let answer = status.map_or_else(|| "no answer".to_owned(), |code| code.to_string());
            tracing::info!(
                "webhook {} {} (attempt {}) -> {answer}",
                webhook.kind,
                webhook.name,
                attempt + 1
            );
        }
        if status.is_some_and(|status| (200..300).contains(&status)) {
            return;
        }
        if attempt < redelivery.retries {
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
        }
    }
}
