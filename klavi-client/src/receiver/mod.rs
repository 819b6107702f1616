//! A webhook receiver for axum (feature `axum`): extractors that read the raw body, verify
//! `X-Klavi-Signature` and `X-Klavi-Timestamp`, de-duplicate by id, and yield typed values:
//! [`KlaviEvents`] (the API events, `WebhookEvents`) and [`KlaviReport`] (a `ProductReport`).
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::{Router, routing::post};
//! use klavi_client::receiver::{KlaviEvents, KlaviReport, WebhookReceiver};
//! use klavi_types::secret::Secret;
//!
//! async fn events(events: KlaviEvents) -> &'static str {
//!     for event in events.iter() {
//!         println!("{}", event.event_name);
//!     }
//!     "ok"
//! }
//!
//! async fn report(report: KlaviReport) -> &'static str {
//!     println!("{} for request {}", report.product_name, report.request_id);
//!     "ok"
//! }
//!
//! # async fn run() {
//! let receiver = Arc::new(WebhookReceiver::new(Secret::new("the partner's secretKey")));
//! let app: Router = Router::new()
//!     .route("/klavi/events", post(events))
//!     .route("/klavi/reports", post(report))
//!     .with_state(receiver);
//! # }
//! ```
//!
//! # What is refused, and how
//!
//! | Delivery | Answer | Body |
//! |---|---|---|
//! | no `X-Klavi-Signature`, or not 64 hex digits, or not the HMAC of the body as received (tampered, re-serialized, another key) | `401` | `{"error": "signature_missing"}`, `signature_malformed`, `signature_mismatch` |
//! | `X-Klavi-Timestamp` missing, not Unix seconds, or further from now than the tolerance (a captured delivery replayed later) | `401` | `timestamp_missing`, `timestamp_invalid`, `timestamp_stale` |
//! | a body over the limit (16 MiB by default) | `413` | `body_too_large` |
//! | authentic, but not JSON of the expected shape | `400` | `invalid_payload`, with the JSON Pointer and line/column, never a value |
//! | authentic, every id already seen (Klavi's redelivery, or a replay) | `200` | `{"status": "duplicate"}`: acknowledged so that Klavi stops redelivering, and the handler does not run |
//!
//! The signature is checked before anything is parsed; a body is never echoed; none of these
//! answers or their `tracing` lines carries the body, a header value or the key.
//!
//! # De-duplication
//!
//! Klavi redelivers until it gets a `2xx` and recommends de-duplicating by `eventId` (product
//! reports: `productReportId`); the timestamp is not covered by the signature, so de-duplication
//! is also what stops a replay with a fresh timestamp. The receiver *claims* each id through a
//! [`Deduplicate`] store before the handler runs: [`InMemoryDeduplicate`] (the default) for one
//! process and tests; implement the trait on a database for several instances. A handler that
//! fails after the claim should call [`KlaviEvents::release`] (or [`KlaviReport::release`])
//! before answering with an error, so that Klavi's redelivery is processed. Events without an
//! id are always passed on.

mod dedup;
mod extract;
mod rejection;

pub use dedup::{Deduplicate, InMemoryDeduplicate};
pub use extract::{KlaviEvents, KlaviReport, WebhookReceiver};
pub use rejection::WebhookRejection;
