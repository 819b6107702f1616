//! A local Klavi Data API sandbox, for a partner's tests and for trying an integration
//! without credentials: `klavi mock` on the command line, [`MockKlavi::start`] in a test.
//!
//! * **Every endpoint of the index** at its documented method and path under `/data/v1`.
//! * **Checked as the schemas say.** Each request's path, query and body are read by the
//!   generated `klavi-types` (unknown members, bad CPFs and CNPJs, broken rules refused), and
//!   its token is checked; a bad request gets Klavi's error body `{statusCode, error,
//!   message}` with the documented status: `400` naming each violation by code and JSON
//!   Pointer (never by value), `401` for a missing, unknown or expired token, `403` for a
//!   valid token of the other kind, `404` for an unknown consent, task, link or route, `405`
//!   for a known path with another method, `409` for an `externalTrackId` used before or a
//!   consent decided before, `416` with a business code for a report no `AUTHORISED` consent
//!   covers (4001), a product not onboarded (4002) or none (4005).
//! * **State.** Links and their `linkToken`s (which expire with the link), consents (read,
//!   listed by tax id and link, revoked), Open Data tasks, access tokens that expire.
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
            state: Mutex::new(State::new(config.token_lifetime, config.faults.clone())),
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

    /// Every answer so far, in order (the `/mock` routes' included).
    pub fn log(&self) -> Vec<Logged> {
        self.shared.lock().log.clone()
    }

    /// How many answers `endpoint` gave with `status`.
    pub fn count(&self, endpoint: &str, status: u16) -> usize {
        self.shared
            .lock()
            .log
            .iter()
            .filter(|logged| logged.endpoint == endpoint && logged.status == status)
            .count()
    }

    /// Every webhook so far, with the status of each delivery attempt.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.clone()
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
