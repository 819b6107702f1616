//! [`WebhookReceiver`]: the receiver's settings (key, tolerance, limits, store, lease,
//! retention) and the axum handlers it makes from a partner's event and report handlers.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use klavi_types::reports::ProductReport;
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{DEFAULT_TOLERANCE, Verifier};
use klavi_types::webhooks::Event;

use super::body::{BodyLimits, read_verified};
use super::deliver::{Deliverable, Processing, keyed_items};
use super::memory::MemoryStore;
use super::rejection::{DeliveryOutcome, WebhookRejection};
use super::store::{BoxFuture, DeliveryStore};

/// How deliveries are checked and processed. Cheap to clone: clones share the store and the
/// memory budget.
///
/// ```
/// use std::time::Duration;
///
/// use klavi_client::receiver::{MemoryStore, WebhookReceiver};
/// use klavi_types::secret::Secret;
///
/// let receiver = WebhookReceiver::new(Secret::new("the partner's secretKey"))
///     .with_store(MemoryStore::default())
///     .with_lease(Duration::from_secs(30))
///     .with_retention(Duration::from_secs(3 * 24 * 3600));
/// assert_eq!(receiver.lease(), Duration::from_secs(30));
/// ```
#[derive(Clone)]
pub struct WebhookReceiver {
    verifier: Verifier,
    limits: BodyLimits,
    budget_bytes: usize,
    processing: Processing,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("verifier", &self.verifier)
            .field("max_body", &self.limits.max_body)
            .field("body_timeout", &self.limits.timeout)
            .field("body_budget", &self.budget_bytes)
            .field("lease", &self.processing.lease)
            .field("retention", &self.processing.retention)
            .field("store_timeout", &self.processing.store_timeout)
            .finish_non_exhaustive()
    }
}

/// 16 MiB: the largest body accepted by default.
pub const DEFAULT_MAX_BODY: usize = 16 << 20;
/// 64 MiB: the bytes of body held at once by all requests, by default.
pub const DEFAULT_BODY_BUDGET: usize = 64 << 20;
/// 10 seconds: how long a body may take to arrive (Klavi's own timeout for a delivery).
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// 60 seconds: how long a claimed event is reserved for the replica processing it.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// 7 days: how long an event processed to success is remembered.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// 5 seconds: how long one store operation may take.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(5);

impl WebhookReceiver {
    /// A receiver of deliveries signed with `secret_key` (the partner's `secretKey`), with the
    /// defaults: the timestamp within five minutes ([`DEFAULT_TOLERANCE`]), bodies up to
    /// [`DEFAULT_MAX_BODY`] read within [`DEFAULT_BODY_TIMEOUT`] under a budget of
    /// [`DEFAULT_BODY_BUDGET`], a [`MemoryStore`], leases of [`DEFAULT_LEASE`], done markers
    /// kept for [`DEFAULT_RETENTION`].
    pub fn new(secret_key: Secret) -> Self {
        WebhookReceiver {
            verifier: Verifier::new(secret_key).with_tolerance(DEFAULT_TOLERANCE),
            limits: BodyLimits::new(DEFAULT_MAX_BODY, DEFAULT_BODY_TIMEOUT, DEFAULT_BODY_BUDGET),
            budget_bytes: DEFAULT_BODY_BUDGET,
            processing: Processing {
                store: Arc::new(MemoryStore::default()),
                lease: DEFAULT_LEASE,
                retention: DEFAULT_RETENTION,
                store_timeout: DEFAULT_STORE_TIMEOUT,
            },
        }
    }

    /// Accepts timestamps within `tolerance` of now (before or after).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.verifier = self.verifier.with_tolerance(tolerance);
        self
    }

    /// Keeps leases and done markers in `store`: a [`MemoryStore`] for one process, a shared
    /// store (`RedisStore`, `PostgresStore`) for several replicas.
    #[must_use]
    pub fn with_store(mut self, store: impl DeliveryStore) -> Self {
        self.processing.store = Arc::new(store);
        self
    }

    /// The same, with a store already shared.
    #[must_use]
    pub fn with_shared_store(mut self, store: Arc<dyn DeliveryStore>) -> Self {
        self.processing.store = store;
        self
    }

    /// Refuses bodies over `bytes` with `413` (from `Content-Length` before reading, or as
    /// soon as the body grows past it).
    #[must_use]
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.limits = BodyLimits::new(bytes, self.limits.timeout, self.budget_bytes);
        self
    }

    /// Gives each body `timeout` to arrive, from the first byte awaited to the last (`408`
    /// past it): a trickled body holds a connection that long at most.
    #[must_use]
    pub fn with_body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.timeout = timeout;
        self
    }

    /// Holds at most `bytes` of bodies at once (at least the largest body), read or being
    /// processed, across every request of this receiver and its clones. A request that finds
    /// it spent waits a quarter of a second at most, then gets `503 receiver_busy`.
    #[must_use]
    pub fn with_body_budget(mut self, bytes: usize) -> Self {
        self.budget_bytes = bytes;
        self.limits = BodyLimits::new(self.limits.max_body, self.limits.timeout, bytes);
        self
    }

    /// Reserves a claimed event for `lease` (at least a second). The handler may run for four
    /// fifths of it and is stopped past that; a replica that dies leaves the event to the
    /// others once the lease ends.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.processing.lease = lease.max(Duration::from_secs(1));
        self
    }

    /// Remembers events processed to success for `retention`: a redelivery or replay within it
    /// is acknowledged without running the handler.
    #[must_use]
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.processing.retention = retention;
        self
    }

    /// Gives each store operation `timeout` (`503 store_unavailable` past it).
    #[must_use]
    pub fn with_store_timeout(mut self, timeout: Duration) -> Self {
        self.processing.store_timeout = timeout;
        self
    }

    /// The store.
    pub fn store(&self) -> &dyn DeliveryStore {
        self.processing.store.as_ref()
    }

    /// The lease.
    pub fn lease(&self) -> Duration {
        self.processing.lease
    }

    /// The retention.
    pub fn retention(&self) -> Duration {
        self.processing.retention
    }

    /// Processes one delivery of API events with `handler`, called once per event not done
    /// before, in the order sent: checks, reads and verifies it, reads every event, then
    /// handles each under a lease. The processing runs in a task of its own, so that a sender
    /// hanging up does not stop a handler half-way.
    pub async fn accept_events<H, Fut, E>(
        &self,
        request: Request,
        handler: Arc<H>,
    ) -> DeliveryOutcome
    where
        H: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        self.accept::<Event, H, Fut, E>(request, handler).await
    }

    /// Processes one product report delivery with `handler`, unless it was processed before.
    pub async fn accept_report<H, Fut, E>(
        &self,
        request: Request,
        handler: Arc<H>,
    ) -> DeliveryOutcome
    where
        H: Fn(ProductReport) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        self.accept::<ProductReport, H, Fut, E>(request, handler)
            .await
    }

    async fn accept<T, H, Fut, E>(&self, request: Request, handler: Arc<H>) -> DeliveryOutcome
    where
        T: Deliverable,
        H: Fn(T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        let stopped = |rejection: WebhookRejection| DeliveryOutcome {
            processed: 0,
            duplicates: 0,
            stopped: Some(rejection),
        };
        let (parts, body) = request.into_parts();
        let body = match read_verified(&self.verifier, &self.limits, &parts.headers, body).await {
            Ok(body) => body,
            Err(rejection) => return stopped(rejection),
        };
        let items = match keyed_items::<T>(&body.bytes) {
            Ok(items) => items,
            Err(rejection) => return stopped(rejection),
        };
        let processing = self.processing.clone();
        let task = tokio::spawn(processing.run::<T, H, Fut, E>(body, items, handler));
        match task.await {
            Ok(outcome) => outcome,
            // `run` does not panic; a runtime shutting down cancels it.
            Err(_) => stopped(WebhookRejection::StoreUnavailable),
        }
    }

    /// An axum handler for the events route: `post(receiver.events(handler))`.
    ///
    /// `handler` gets each event not processed before; `Ok(())` records it as done, an error,
    /// a panic or running past the lease leaves it to a redelivery (see the
    /// [module documentation](super) for the contract).
    pub fn events<H, Fut, E>(
        &self,
        handler: H,
    ) -> impl Fn(Request) -> BoxFuture<'static, Response> + Clone + Send + Sync + 'static
    where
        H: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        self.route::<Event, H, Fut, E>(handler)
    }

    /// An axum handler for the reports route: `post(receiver.reports(handler))`.
    pub fn reports<H, Fut, E>(
        &self,
        handler: H,
    ) -> impl Fn(Request) -> BoxFuture<'static, Response> + Clone + Send + Sync + 'static
    where
        H: Fn(ProductReport) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        self.route::<ProductReport, H, Fut, E>(handler)
    }

    fn route<T, H, Fut, E>(
        &self,
        handler: H,
    ) -> impl Fn(Request) -> BoxFuture<'static, Response> + Clone + Send + Sync + 'static
    where
        T: Deliverable,
        H: Fn(T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        let receiver = Arc::new(self.clone());
        let handler = Arc::new(handler);
        move |request: Request| {
            let receiver = Arc::clone(&receiver);
            let handler = Arc::clone(&handler);
            Box::pin(async move {
                receiver
                    .accept::<T, H, Fut, E>(request, handler)
                    .await
                    .into_response()
            })
        }
    }
}
