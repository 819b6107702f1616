//! A fake Klavi Data API on loopback, for the client tests: `POST /auth` and `GET /refresh`
//! with expiring tokens, links, institutions, consents (create, read, list, revoke), report
//! requests, `401` for expired tokens, injected and random `429` (with `Retry-After`), `500` and
//! `503`, and signed webhook delivery (events and product reports) with Klavi's retries.
//!
//! It is strict the way the real API should be: every request body and query is parsed and
//! validated with the generated `klavi-types` (a `400` names the violation codes and
//! pointers, never the values), every token is checked, and every answer is logged so that a
//! test can assert exactly what reached the server.

mod delivery;
mod routes;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use klavi_types::secret::Secret;

use state::State;
pub use state::{Chaos, Delivery, Fault, Logged};

/// How the fake server is set up.
pub struct FakeConfig {
    /// The application's `accessKey`.
    pub access_key: String,
    /// The application's `secretKey` (also the webhook signing key).
    pub secret_key: Secret,
    /// `expireIn` of the access tokens it issues.
    pub token_lifetime: Duration,
    /// Where API events (`link_created`, `consent_authorised`, …) are delivered (the
    /// Console's global webhook URL).
    pub event_webhook_url: Option<String>,
    /// Random faults.
    pub chaos: Option<Chaos>,
}

/// What the handlers share.
pub struct Shared {
    state: Mutex<State>,
    access_key: String,
    secret_key: Secret,
    event_webhook_url: Option<String>,
    http: reqwest::Client,
}

impl Shared {
    /// The state; a handler that panicked while holding it does not poison later tests.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running fake server; it stops when the test's runtime ends.
pub struct FakeKlavi {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl FakeKlavi {
    /// Binds `127.0.0.1:0` and serves in the background.
    pub async fn start(config: FakeConfig) -> FakeKlavi {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(config.token_lifetime, config.chaos)),
            access_key: config.access_key,
            secret_key: config.secret_key,
            event_webhook_url: config.event_webhook_url,
            http: reqwest::Client::new(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let app = routes::router(Arc::clone(&shared));
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeKlavi { address, shared }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves `faults`, in order, to the next requests of `endpoint` (an endpoint id).
    pub fn inject(&self, endpoint: &'static str, faults: impl IntoIterator<Item = Fault>) {
        self.shared
            .lock()
            .faults
            .entry(endpoint)
            .or_default()
            .extend(faults);
    }

    /// Makes every access token issued so far expire now (the next use gets a 401).
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for expiry in self.shared.lock().access_tokens.values_mut() {
            *expiry = now;
        }
    }

    /// Changes `expireIn` of the tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.lock().token_lifetime = lifetime;
    }

    /// Every answer so far, in order.
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

    /// Every webhook delivery so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.clone()
    }
}
