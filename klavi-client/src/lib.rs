//! An async client for the Klavi Data API, built on the generated types of [`klavi_types`].
//!
//! * **Validated before sending.** Every path, query and body is checked against its schema;
//!   an invalid one is a [`ClientError::Invalid`] listing every violation, and nothing leaves
//!   the process.
//! * **Tokens on their own.** The access token is obtained from `POST /auth`, cached, refreshed
//!   with `GET /refresh` before it expires (when less than [`Config::refresh_margin`] is left,
//!   or half its life for a token shorter than twice the margin), and renewed once when the
//!   API answers `401`; link-token endpoints take the link's `linkToken`. One renewal at a
//!   time: the calls waiting for it share its token, or its failure (refused keys cost one
//!   `POST /auth` however many calls wait, then a backoff before the next attempt).
//! * **Safe retries** with exponential backoff and jitter, only where repeating cannot create
//!   a second link, consent or report ([below](#retries)), a timeout per exchange and a
//!   deadline per call, and response bodies bounded in size.
//! * **Errors a program can match** ([`ClientError`]), none of which, nor any `tracing` line,
//!   carries a token, key, URL, body, personal value or any text of the server's (an error
//!   body keeps its numeric `statusCode` only: a server may echo a CPF or the keys).
//! * **Never a panic** on what a server sends or a configuration holds: an `expireIn` of
//!   `u64::MAX` seconds, a deadline or `Retry-After` of any size (instants are capped 30 years
//!   ahead).
//! * **`tracing` spans**: `klavi_request` per call with `endpoint`, `method`, `path` (the
//!   template), `status`, `attempts` and `latency_ms`, and a `debug` event per attempt; a
//!   token exchange made for a call has a `klavi_request` span of its own inside the call's.
//! * **https** with rustls and the system's roots (the `rustls` feature: aws-lc-rs, whose build
//!   compiles C; without it an https base URL is [`ConfigError::TlsFeature`] and the crate
//!   builds with no C toolchain); plain `http` for loopback, such as a local `klavi mock`, and
//!   then never through a proxy
//!   (`HTTP_PROXY` would get the keys and the token in clear; https goes through a proxy as an
//!   encrypted tunnel).
//! * **A webhook receiver for axum** (feature `axum`): each event handed to your handler once,
//!   on any number of replicas (stores: in memory, Redis with feature `redis`, PostgreSQL with
//!   feature `postgres`); see `receiver`.
//!
//! ```no_run
//! use klavi_client::{Config, Environment, KlaviClient};
//! use klavi_types::links::CreateLinkRequest;
//! use klavi_types::secret::Secret;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = KlaviClient::new(Config::new(
//!     Environment::Sandbox,
//!     Secret::new(std::env::var("KLAVI_ACCESS_KEY")?),
//!     Secret::new(std::env::var("KLAVI_SECRET_KEY")?),
//! ))?;
//! let request: CreateLinkRequest = klavi_types::from_json_str(
//!     r#"{"personalTaxId": "280.012.389-38", "redirectURL": "https://example.com/back"}"#,
//! )?;
//! let link = client.create_link(&request).await?;
//! let institutions = client.get_institution_list(&link.link_token).await?;
//! println!("{} institutions for link {}", institutions.len(), link.link_id);
//! # Ok(())
//! # }
//! ```
//!
//! # Retries
//!
//! | Outcome of an attempt | Retried? |
//! |---|---|
//! | `429 Too Many Requests` | always: after `Retry-After` (seconds or an HTTP date) up to [`Config::max_retry_after`], else with backoff; a longer `Retry-After` ends the call with the `429` |
//! | `503 Service Unavailable` | always: the server did not process the request |
//! | `500`, `502`, `504`, a connection broken after sending, an exchange timeout | only idempotent calls (`GET`, `DELETE`, `POST /auth`): a `POST /links` may have been processed, and repeating it would create a second link |
//! | connection refused or unreachable (nothing was sent) | always |
//! | `401` on an access-token call | once, with a new token |
//! | a body over [`Config::max_response_bytes`], any other status | never |
//!
//! The backoff starts at [`Config::base_backoff`], doubles per attempt up to
//! [`Config::max_backoff`], and loses up to half of itself to random jitter. A call makes at
//! most [`Config::max_attempts`] attempts per exchange and never waits past its
//! [`Config::deadline`]: when the next wait would end after it, the last error is returned.

// docs.rs badges the receiver with the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod config;
mod decode;
mod endpoints;
mod error;
mod exchange;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod receiver;
mod retry;
mod token;

pub use client::{KlaviClient, Stats};
pub use config::{Config, Environment};
pub use endpoints::{NAMED_ENDPOINTS, PathOf, QueryOf, RequestOf, ResponseOf};
pub use error::{ClientError, ConfigError, TimeoutKind, TransportKind};
pub use klavi_types;

/// The README's Rust examples, compiled as doctests.
#[doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))]
#[cfg(doctest)]
pub struct ReadmeDoctests;
