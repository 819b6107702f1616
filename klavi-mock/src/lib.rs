//! A local Klavi Data API sandbox, for a partner's tests and for trying an integration
//! without credentials: `klavi mock` on the command line, [`MockKlavi::start`] in a test.
//!
//! * **Every endpoint of the index** at its documented method and path under `/data/v1`.
//! * **Checked as the schemas say.** Each request's path, query and body are read by the
//!   generated `klavi-types` (unknown members, bad CPFs and CNPJs, broken rules refused), and
//!   its token is checked; a bad request gets Klavi's error body `{statusCode, error,
//!   message}` (the generated `ErrorBody`) with the status of the docs' error table
//!   (klavi-api.md §17.2), checked row by row by `tests/it/error_table.rs`:
//!
//!   | status | when |
//!   |---|---|
//!   | `400` | a malformed request: a value of the wrong JSON type, a missing or unknown member, a bad tax id, invalid JSON; the message names each violation by code and JSON Pointer, never by value |
//!   | `401` | a missing, unknown or expired token |
//!   | `403` | a valid token of the other kind |
//!   | `404` | an unknown (or evicted) consent, task, link or route |
//!   | `405` | a known path with another method (any method, `FOO` included) |
//!   | `409` | an `externalTrackId` used before, a consent decided before |
//!   | `413` | a body over 2 MB |
//!   | `416` 4001 | a report no `AUTHORISED` consent covers |
//!   | `416` 4002 | a report product not onboarded, of the other level (`pj_` on a personal report), not a product name, or `all` at institution level |
//!   | `416` 4003 | a consent past the link's limit ([`MockConfig::consents_per_link`]) |
//!   | `416` 4004 | a consent at an institution in outage (`isOutage` in the sample list, or [`MockConfig::unavailable_institutions`]) |
//!   | `416` 4005 | a report with no product, or `all` beside another |
//!   | `416` 4006 | a `productsCallbackURL` with `all` beside another key, a key that is no product, or a value that is no URL |
//!   | `416` 4007–4009 | injected only ([`Fault::Business`]): a product request that failed, and the eco products' missing consent or KYC, which no sandbox request can provoke |
//!   | `429`, `5xx` | injected ([`Faults`], [`MockKlavi::inject`]) |
//!
//!   Which violations are business errors is the schemas' word (`x-klavi-business-errors`,
//!   see `klavi_types::registry::MessageInfo::business_error`), not the mock's: a body whose
//!   every violation breaks such a rule gets its `416`; one with any other violation is
//!   malformed, a `400` (the docs say which code a rule has, not which wins when a request
//!   breaks both; this is our choice). The docs give 4003 without the limit: 20 open consents
//!   per link is ours. Numbers are compared as numbers: `mfaId` written `22.0` is `22`.
//! * **State, bounded.** Links and their `linkToken`s (which expire with the link), consents
//!   (read, listed by tax id and link, revoked), Open Data tasks, access tokens that expire:
//!   at most [`MockConfig::capacity`] of each (10,000 by default), and as many logged requests
//!   and deliveries, all within [`MockConfig::memory_budget`] bytes (64 MiB by default);
//!   past either the oldest is evicted (expired tokens first), so memory stays bounded under
//!   any load, megabyte `externalInfo`s included. Every answer is built from the endpoint's generated response type.
//! * **Webhooks signed as Klavi signs them** (HMAC-SHA256 of the body with the `secretKey`,
//!   `X-Klavi-Signature` and `X-Klavi-Timestamp`), redelivered on failure 5 times with backoff
//!   from 250 ms: `link_created` when a link is created, `consent_authorised` when the
//!   simulated end user authorises ([`Authorisation`]), `consent_rejected` and
//!   `consent_revoked`, and for a report request `product_request_received`, one product
//!   report per product (built from the product's documented example) and
//!   `product_generated_success`.
//! * **Faults** ([`Faults`]): a rate of random `429`/`5xx` answers and added latency, or
//!   faults queued for one endpoint ([`MockKlavi::inject`]); a faulted request is never
//!   processed.
//! * **Logs that hold no personal data**: endpoint, method, path template, status, latency and
//!   violation codes ([`MockKlavi::log`], `GET /mock/requests`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = klavi_mock::MockKlavi::start().await.expect("a loopback port");
//! let answer = reqwest::Client::new()
//!     .post(format!("{}/data/v1/auth", mock.base_url()))
//!     .body(r#"{"accessKey": "klavi-mock-access-key", "secretKey": "klavi-mock-secret-key"}"#)
//!     .send()
//!     .await
//!     .unwrap();
//! assert_eq!(answer.status(), 200);
//! assert_eq!(mock.count("generate-access-token", 200), 1);
//! # }
//! ```
//!
//! The mock's own routes, which need no token: `POST /mock/consents/{consentId}/authorise`
//! and `/reject` (the end user's decision, with [`Authorisation::Manual`]),
//! `POST /mock/links/{linkId}/tasks` (an Open Data task needing MFA: the docs have no page
//! that creates one), `POST /mock/tokens/expire`, `GET /mock/requests` and
//! `GET /mock/deliveries`.

mod bounded;
mod config;
mod delivery;
mod handlers;
mod routes;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use config::{
    Authorisation, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Faults, MockConfig, Redelivery,
};
pub use handlers::reports::known_products;
pub use state::{Delivery, Fault, Logged};

use state::State;

/// How many entries a mock holds of each kind ([`MockKlavi::held`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Held {
    /// Access tokens not yet forgotten (expired ones go when the next one is issued).
    pub access_tokens: usize,
    /// Links.
    pub links: usize,
    /// Link tokens.
    pub link_tokens: usize,
    /// Consents.
    pub consents: usize,
    /// Open Data tasks.
    pub tasks: usize,
    /// Logged requests.
    pub requests: usize,
    /// Webhook deliveries.
    pub deliveries: usize,
    /// What they weigh together, in bytes: about their size on the heap, at most
    /// [`MockConfig::memory_budget`].
    pub bytes: usize,
}

/// What the handlers share.
pub(crate) struct Shared {
    state: Mutex<State>,
    config: MockConfig,
    http: reqwest::Client,
}

impl Shared {
    /// The state; a handler that panicked while holding it does not poison later requests.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn expire_access_tokens(&self) {
        let now = Instant::now();
        for expiry in self.lock().access_tokens.values_mut() {
            *expiry = now;
        }
    }
}

/// A running mock. It serves until [`MockKlavi::shutdown`], until it is dropped, or until
/// the runtime it was started on ends.
pub struct MockKlavi {
    address: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for MockKlavi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockKlavi")
            .field("address", &self.address)
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl MockKlavi {
    /// A mock with [`MockConfig::default`] on `127.0.0.1`, on a free port.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> std::io::Result<MockKlavi> {
        MockKlavi::start_with(MockConfig::default()).await
    }

    /// A mock with `config` on `127.0.0.1`, on a free port.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start_with(config: MockConfig) -> std::io::Result<MockKlavi> {
        MockKlavi::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// A mock with `config` on `address` (port 0: any free port).
    ///
    /// # Errors
    ///
    /// When `address` cannot be bound (in use, not permitted).
    pub async fn bind(config: MockConfig, address: SocketAddr) -> std::io::Result<MockKlavi> {
        let listener = tokio::net::TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .map_err(std::io::Error::other)?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(&config)),
            config,
            http,
        });
        let app = routes::router(Arc::clone(&shared));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(MockKlavi {
            address,
            shared,
            stop: Some(stop),
            served: Some(served),
        })
    }

    /// `http://127.0.0.1:PORT`: the base URL a client is configured with.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &MockConfig {
        &self.shared.config
    }

    /// Stops accepting connections, finishes the requests in flight, and returns. Webhook
    /// deliveries still pending are abandoned.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            let _ = served.await;
        }
    }

    /// Serves `faults`, in order, as the next answers of `endpoint` (an endpoint id).
    pub fn inject(&self, endpoint: &'static str, faults: impl IntoIterator<Item = Fault>) {
        self.shared
            .lock()
            .injected
            .entry(endpoint)
            .or_default()
            .extend(faults);
    }

    /// Makes every access token issued so far expire now (its next use gets a `401`).
    pub fn expire_access_tokens(&self) {
        self.shared.expire_access_tokens();
    }

    /// Changes `expireIn` of the access tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.lock().token_lifetime = lifetime;
    }

    /// The simulated end user authorises consent `consent_id` (with
    /// [`Authorisation::Manual`], or before a delay ends), which sends `consent_authorised`.
    ///
    /// # Errors
    ///
    /// The status and message the `/mock` route answers: `404` for an unknown consent, `409`
    /// for one not awaiting authorisation.
    pub fn authorise_consent(&self, consent_id: &str) -> Result<(), (u16, String)> {
        self.decide(consent_id, true)
    }

    /// The simulated end user rejects consent `consent_id`, which sends `consent_rejected`.
    ///
    /// # Errors
    ///
    /// As [`MockKlavi::authorise_consent`].
    pub fn reject_consent(&self, consent_id: &str) -> Result<(), (u16, String)> {
        self.decide(consent_id, false)
    }

    fn decide(&self, consent_id: &str, authorise: bool) -> Result<(), (u16, String)> {
        let outcome = handlers::control::decide_consent(&self.shared, consent_id, authorise);
        if outcome.status != 200 {
            let message = outcome.body["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            return Err((outcome.status, message));
        }
        delivery::spawn_in_order(Arc::clone(&self.shared), outcome.webhooks);
        Ok(())
    }

    /// Creates an Open Data task of link `link_id`, needing MFA; `None` for an unknown link.
    pub fn create_task(&self, link_id: &str) -> Option<String> {
        handlers::tasks::create(&mut self.shared.lock(), link_id)
    }

    /// The answers kept (the last [`MockConfig::capacity`]), in order (the `/mock` routes'
    /// included).
    pub fn log(&self) -> Vec<Logged> {
        self.shared.lock().log.iter().cloned().collect()
    }

    /// How many of the answers kept `endpoint` gave with `status`.
    pub fn count(&self, endpoint: &str, status: u16) -> usize {
        self.shared
            .lock()
            .log
            .iter()
            .filter(|logged| logged.endpoint == endpoint && logged.status == status)
            .count()
    }

    /// How many entries the mock holds of each kind, each at most [`MockConfig::capacity`].
    pub fn held(&self) -> Held {
        let state = self.shared.lock();
        Held {
            access_tokens: state.access_tokens.len(),
            links: state.links.len(),
            link_tokens: state.link_tokens.len(),
            consents: state.consents.len(),
            tasks: state.tasks.len(),
            requests: state.log.len(),
            deliveries: state.deliveries.len(),
            bytes: state.access_tokens.weight()
                + state.links.weight()
                + state.link_tokens.weight()
                + state.consents.weight()
                + state.track_ids.weight()
                + state.tasks.weight()
                + state.log.weight()
                + state.deliveries.weight(),
        }
    }

    /// The webhooks kept (the last [`MockConfig::capacity`]), with the status of each
    /// delivery attempt.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.iter().cloned().collect()
    }
}

impl Drop for MockKlavi {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The README's Rust examples, compiled as doctests.
#[doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))]
#[cfg(doctest)]
pub struct ReadmeDoctests;
