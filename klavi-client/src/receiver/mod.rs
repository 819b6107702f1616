//! A webhook receiver for axum (feature `axum`): it checks each delivery's
//! `X-Klavi-Signature` and `X-Klavi-Timestamp`, reads its events, and hands each event not
//! processed before to the partner's handler, once, whatever the number of replicas.
//!
//! ```no_run
//! use axum::{Router, routing::post};
//! use klavi_client::receiver::WebhookReceiver;
//! use klavi_types::reports::ProductReport;
//! use klavi_types::secret::Secret;
//! use klavi_types::webhooks::Event;
//!
//! #[derive(Debug)]
//! struct Retry;
//!
//! async fn on_event(event: Event) -> Result<(), Retry> {
//!     println!("{}", event.event_name);
//!     Ok(()) // done: never handed over again. Err(_) or a panic: handled on redelivery.
//! }
//!
//! async fn on_report(report: ProductReport) -> Result<(), Retry> {
//!     println!("{} for request {}", report.product_name, report.request_id);
//!     Ok(())
//! }
//!
//! # async fn run() {
//! let receiver = WebhookReceiver::new(Secret::new("the partner's secretKey"));
//! let app: Router = Router::new()
//!     .route("/klavi/events", post(receiver.events(on_event)))
//!     .route("/klavi/reports", post(receiver.reports(on_report)));
//! # }
//! ```
//!
//! # The delivery contract
//!
//! Each event has a key: `eventId` (product reports: `productReportId`), or, for an event
//! without one, the SHA-256 of its signed bytes. The receiver *claims* the key in its
//! [`DeliveryStore`] before handing the event to the handler: a **lease** that expires
//! ([`WebhookReceiver::with_lease`], 60 s by default). The key becomes **done** only when the
//! handler returns `Ok(())`, and stays done for the retention
//! ([`WebhookReceiver::with_retention`], 7 days by default): a redelivery or a replay within it
//! is answered `200` without running the handler. A handler that returns an error, panics or
//! runs past four fifths of the lease gives the lease back, and the sender's redelivery
//! processes the event. A redelivery that arrives while another replica holds the lease gets
//! `503 in_progress`, never `200`. The handler runs in a task of its own: a sender that hangs
//! up (Klavi waits 10 s) does not stop it. A replica that dies mid-way leaves the event to the
//! others when its lease ends.
//!
//! What the handler must still make idempotent itself: a crash (or a store that stays
//! unreachable until the lease ends) after its side effects and before the key is recorded as
//! done. The event is then processed again; key the side effects by `eventId` (or
//! `productReportId`) where they allow it. And what no receiver can do: Klavi retries five
//! times within about a minute, so an event whose handler keeps failing past that is not
//! redelivered; hand events to a queue of your own if handlers may fail for longer.
//!
//! Events of a batch (an array) are handled in order; the delivery stops at the first event in
//! progress elsewhere or failing, and its redelivery skips those done.
//!
//! # Stores
//!
//! | Store | Reach | Feature |
//! |---|---|---|
//! | [`MemoryStore`] (the default) | one process: a restart or a second replica forgets | — |
//! | `RedisStore` | every replica; survives a Redis restart with persistence (AOF) on | `redis` |
//! | `PostgresStore` | every replica; one table | `postgres` |
//!
//! A store that cannot answer (unreachable, or slower than
//! [`WebhookReceiver::with_store_timeout`]) makes the receiver answer `503`: the sender
//! retries, and no event is acknowledged that was not processed.
//!
//! # What is refused, and how
//!
//! Everything the headers settle is checked before a body byte is read.
//!
//! | Delivery | Answer | `error` |
//! |---|---|---|
//! | no `X-Klavi-Signature`, or not 64 hex digits | `401` | `signature_missing`, `signature_malformed` |
//! | `X-Klavi-Timestamp` missing, not Unix seconds, or further from now than the tolerance | `401` | `timestamp_missing`, `timestamp_invalid`, `timestamp_stale` |
//! | `Content-Length` or body over the limit (16 MiB by default) | `413` | `body_too_large` |
//! | a body not as long as declared, or broken off | `400` | `body_unreadable` |
//! | a body slower than the body timeout (10 s by default) | `408` | `body_timeout` |
//! | the bodies in flight already hold the memory budget (64 MiB by default) | `503` | `receiver_busy` |
//! | not the HMAC of the body as received (tampered, re-serialized, another key) | `401` | `signature_mismatch` |
//! | authentic, but an event that is not JSON of the expected shape | `400` | `invalid_payload`, with the JSON Pointer and line/column, never a value |
//! | an event in progress on another delivery | `503` | `in_progress` |
//! | the store unavailable | `503` | `store_unavailable` |
//! | the handler failed, panicked, ran out of time | `500`, `500`, `503` | `handler_failed`, `handler_panicked`, `handler_timeout` |
//!
//! Every event done: `200 {"status": "processed", "processed": n, "duplicates": m}`. Every
//! answer carries the counts; a `503` carries `Retry-After: 1`. None of the answers or their
//! `tracing` lines carries the body, a header value, the key or the handler's error.
//!
//! # In front of the receiver
//!
//! The receiver bounds the memory of bodies and the time of each read; it does not bound the
//! number of connections. Put a concurrency limit and a request timeout in front, as for any
//! public endpoint (e.g. `tower::limit::ConcurrencyLimitLayer` and
//! `tower_http::timeout::TimeoutLayer`, or the proxy's own).

mod body;
mod deliver;
mod memory;
#[cfg(feature = "postgres")]
mod postgres_store;
#[cfg(feature = "redis")]
mod redis_store;
mod rejection;
mod settings;
mod store;

pub use deliver::Deliverable;
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres_store::{DEFAULT_TABLE, PostgresStore};
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub use rejection::{DeliveryOutcome, WebhookRejection};
pub use settings::{
    DEFAULT_BODY_BUDGET, DEFAULT_BODY_TIMEOUT, DEFAULT_LEASE, DEFAULT_MAX_BODY, DEFAULT_RETENTION,
    DEFAULT_STORE_TIMEOUT, WebhookReceiver,
};
pub use store::{BoxFuture, Claim, DeliveryStore, LeaseToken, StoreError, StoreErrorKind};
