//! The receiver's settings ([`WebhookReceiver`]) and the extractors: read the body up to the
//! limit, verify, parse, claim the ids.

use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::{FromRef, FromRequest, Request};
use klavi_types::reports::ProductReport;
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{
    DEFAULT_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier,
};
use klavi_types::webhooks::{Event, WebhookEvents};
use serde::de::DeserializeOwned;

use super::dedup::{Deduplicate, InMemoryDeduplicate};
use super::rejection::WebhookRejection;

/// How deliveries are checked: the signing key, the timestamp tolerance, the body limit and
/// the de-duplication store. Put it in the router's state (as `Arc<WebhookReceiver>`, or in a
/// state `S` with `FromRef<S> for Arc<WebhookReceiver>`).
pub struct WebhookReceiver {
    verifier: Verifier,
    dedup: Arc<dyn Deduplicate>,
    max_body: usize,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("verifier", &self.verifier)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl WebhookReceiver {
    /// A receiver of deliveries signed with `secret_key` (the partner's `secretKey`): the
    /// timestamp within five minutes ([`DEFAULT_TOLERANCE`]), bodies up to 16 MiB, ids
    /// remembered in memory ([`InMemoryDeduplicate::default`]).
    pub fn new(secret_key: Secret) -> Self {
        WebhookReceiver {
            verifier: Verifier::new(secret_key).with_tolerance(DEFAULT_TOLERANCE),
            dedup: Arc::new(InMemoryDeduplicate::default()),
            max_body: 16 << 20,
        }
    }

    /// Accepts timestamps within `tolerance` of now (before or after).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.verifier = self.verifier.with_tolerance(tolerance);
        self
    }

    /// Remembers ids in `store` (a database for several instances).
    #[must_use]
    pub fn with_deduplication(mut self, store: impl Deduplicate) -> Self {
        self.dedup = Arc::new(store);
        self
    }

    /// Refuses bodies over `bytes` with `413`.
    #[must_use]
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The de-duplication store.
    pub fn deduplication(&self) -> &dyn Deduplicate {
        self.dedup.as_ref()
    }

    /// Reads and verifies a delivery, then parses it as `T`.
    async fn verified<T: DeserializeOwned>(&self, request: Request) -> Result<T, WebhookRejection> {
        let (parts, body) = request.into_parts();
        let header = |name: &str| parts.headers.get(name).map(|value| value.to_str());
        let signature = match header(SIGNATURE_HEADER) {
            Some(Ok(signature)) => signature.to_owned(),
            _ => return Err(WebhookRejection::MissingSignature),
        };
        let timestamp = match header(TIMESTAMP_HEADER) {
            Some(Ok(timestamp)) => Some(timestamp.to_owned()),
            Some(Err(_)) => {
                return Err(WebhookRejection::NotAuthentic(
                    klavi_types::webhook_signature::SignatureError::InvalidTimestamp,
                ));
            }
            None => None,
        };
        let bytes = axum::body::to_bytes(body, self.max_body)
            .await
            .map_err(|error| WebhookRejection::Body {
                too_large: error.into_inner().is::<http_body_util::LengthLimitError>(),
            })?;
        self.verifier
            .verify(&bytes, &signature, timestamp.as_deref(), SystemTime::now())
            .map_err(WebhookRejection::NotAuthentic)?;
        crate::decode::decode::<T>("webhook", &bytes).map_err(|error| match error {
            crate::ClientError::Decode {
                pointer,
                line,
                column,
                ..
            } => WebhookRejection::InvalidPayload {
                pointer,
                line,
                column,
            },
            _ => WebhookRejection::InvalidPayload {
                pointer: String::new(),
                line: 0,
                column: 0,
            },
        })
    }
}

/// A verified delivery of API events (`link_created`, `consent_authorised`, …), the ones
/// seen before removed: derefs to the events left, in the order sent.
#[derive(Debug)]
pub struct KlaviEvents {
    events: Vec<Event>,
    claimed: Vec<String>,
    receiver: Arc<WebhookReceiver>,
}

impl KlaviEvents {
    /// The events not seen before, in the order sent, consumed.
    pub fn into_inner(self) -> Vec<Event> {
        self.events
    }

    /// The ids this delivery claimed.
    pub fn claimed_ids(&self) -> &[String] {
        &self.claimed
    }

    /// Releases the claimed ids (the handler failed), so that Klavi's redelivery is
    /// processed; answer with an error status after it.
    pub async fn release(self) {
        for id in &self.claimed {
            self.receiver.dedup.release(id).await;
        }
    }
}

impl Deref for KlaviEvents {
    type Target = [Event];

    fn deref(&self) -> &Self::Target {
        &self.events
    }
}

impl<S> FromRequest<S> for KlaviEvents
where
    S: Send + Sync,
    Arc<WebhookReceiver>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Arc::<WebhookReceiver>::from_ref(state);
        // One event, or an array of them (Klavi's examples send an array).
        let events: WebhookEvents = receiver.verified(request).await?;
        let events = events.0.into_vec();
        let had_events = !events.is_empty();
        let mut claimed = Vec::new();
        let mut fresh = Vec::with_capacity(events.len());
        for event in events {
            match event.event_id.clone() {
                Some(id) if receiver.dedup.claim(&id).await => {
                    claimed.push(id);
                    fresh.push(event);
                }
                Some(_) => {}
                None => fresh.push(event),
            }
        }
        if had_events && fresh.is_empty() {
            return Err(WebhookRejection::Duplicate);
        }
        Ok(KlaviEvents {
            events: fresh,
            claimed,
            receiver,
        })
    }
}

/// A verified product report delivery, not seen before: derefs to the `ProductReport`.
#[derive(Debug)]
pub struct KlaviReport {
    report: Box<ProductReport>,
    receiver: Arc<WebhookReceiver>,
}

impl KlaviReport {
    /// The report, consumed.
    pub fn into_inner(self) -> ProductReport {
        *self.report
    }

    /// Releases the report's claimed `productReportId` (the handler failed), so that Klavi's
    /// redelivery is processed; answer with an error status after it.
    pub async fn release(self) {
        self.receiver
            .dedup
            .release(&self.report.product_report_id)
            .await;
    }
}

impl Deref for KlaviReport {
    type Target = ProductReport;

    fn deref(&self) -> &Self::Target {
        &self.report
    }
}

impl<S> FromRequest<S> for KlaviReport
where
    S: Send + Sync,
    Arc<WebhookReceiver>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Arc::<WebhookReceiver>::from_ref(state);
        let report: ProductReport = receiver.verified(request).await?;
        if !receiver.dedup.claim(&report.product_report_id).await {
            return Err(WebhookRejection::Duplicate);
        }
        Ok(KlaviReport {
            report: Box::new(report),
            receiver,
        })
    }
}
