//! Webhook delivery as Klavi does it (klavi-api.md §19): a JSON `POST` signed with the
//! partner's `secretKey` (`X-Klavi-Signature`, `X-Klavi-Timestamp`), any 2xx is delivered,
//! anything else is retried up to 5 times with exponential backoff from 250 ms.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use klavi_types::webhook_signature::headers_for;

use super::Shared;
use super::state::Delivery;

/// Retries after the first attempt (Klavi's default).
const RETRIES: u32 = 5;

/// A webhook waiting to be sent.
pub struct Webhook {
    pub url: String,
    pub kind: &'static str,
    pub body: Vec<u8>,
}

/// Sends `webhook` in the background, recording every attempt's status in the state.
pub fn spawn(shared: Arc<Shared>, webhook: Webhook) {
    let index = {
        let mut state = shared.lock();
        state.deliveries.push(Delivery {
            url: webhook.url.clone(),
            kind: webhook.kind,
            statuses: Vec::new(),
        });
        state.deliveries.len() - 1
    };
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(250);
        for _ in 0..=RETRIES {
            let mut request = shared
                .http
                .post(&webhook.url)
                .header("content-type", "application/json")
                .body(webhook.body.clone());
            for (name, value) in headers_for(&shared.secret_key, &webhook.body, SystemTime::now()) {
                request = request.header(name, value);
            }
            let status = request
                .send()
                .await
                .ok()
                .map(|response| response.status().as_u16());
            shared.lock().deliveries[index].statuses.push(status);
            if status.is_some_and(|status| (200..300).contains(&status)) {
                return;
            }
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    });
}
