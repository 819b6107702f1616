//! How a mock is set up: the credentials it accepts, where it delivers webhooks, token
//! lifetimes, when the simulated end user authorises, and the faults it injects.

use std::time::Duration;

use klavi_types::secret::Secret;

/// The `accessKey` a mock accepts when none is given.
pub const DEFAULT_ACCESS_KEY: &str = "klavi-mock-access-key";
/// The `secretKey` a mock accepts (and signs webhooks with) when none is given.
pub const DEFAULT_SECRET_KEY: &str = "klavi-mock-secret-key";

/// When the simulated end user authorises a consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authorisation {
    /// This long after `POST /consents` (zero: at once, before the answer is sent).
    After(Duration),
    /// Only when a test calls `POST /mock/consents/{consentId}/authorise` (or
    /// [`crate::MockKlavi::authorise_consent`]).
    Manual,
}

/// Faults served instead of an answer, before the request is processed (so a faulted
/// request never has an effect): each request fails with probability `rate`, with one of
/// `statuses` picked at random, and every answer is delayed by `latency`.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// The probability of a fault per request, from 0 to 1.
    pub rate: f64,
    /// The statuses served (`429`, `500`, `502`, `503`, `504`…); `503` when empty.
    pub statuses: Vec<u16>,
    /// `Retry-After` seconds sent with a `429`.
    pub retry_after: u64,
    /// Added before every answer.
    pub latency: Duration,
    /// Seeds the generator, so that a failing run can be replayed.
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate: 0.0,
            statuses: vec![503],
            retry_after: 1,
            latency: Duration::ZERO,
            seed: 0x6b6c_6176_6921,
        }
    }
}

/// Klavi's webhook redelivery: any `2xx` is delivered, anything else (or no answer within the
/// timeout) is retried this many times with exponential backoff (klavi-api.md §19).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redelivery {
    /// Retries after the first attempt (Klavi: 5).
    pub retries: u32,
    /// The first backoff (Klavi: 250 ms), doubled per retry.
    pub backoff: Duration,
    /// The timeout of one delivery attempt (Klavi: 10 s).
    pub timeout: Duration,
}

impl Default for Redelivery {
    fn default() -> Self {
        Redelivery {
            retries: 5,
            backoff: Duration::from_millis(250),
            timeout: Duration::from_secs(10),
        }
    }
}

/// A mock's setup. [`MockConfig::default`] is what `klavi mock` runs without flags.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// The `accessKey` accepted by `POST /auth`.
    pub access_key: Secret,
    /// The `secretKey` accepted by `POST /auth`.
    pub secret_key: Secret,
    /// The key webhooks are signed with; Klavi signs with the `secretKey`, which is used when
    /// this is `None`.
    pub webhook_secret: Option<Secret>,
    /// Where API events (`link_created`, `consent_authorised`, …) are delivered: the
    /// Console's global webhook URL. `None`: no events are sent. Webhooks go out over plain
    /// HTTP (a partner's local receiver); the mock has no TLS client.
    pub webhook_url: Option<String>,
    /// Where product reports go when neither the report request nor the link names a
    /// `productsCallbackURL` (the Console's global product webhook).
    pub products_webhook_url: Option<String>,
    /// `expireIn` of the access tokens issued.
    pub token_lifetime: Duration,
    /// `expireIn` of a link (and of its `linkToken`).
    pub link_lifetime: Duration,
    /// When consents are authorised.
    pub authorisation: Authorisation,
    /// How long after a report request its product reports are delivered.
    pub report_delay: Duration,
    /// The products the partner was onboarded with (what `"all"` stands for; others are
    /// refused with the business code 4002). Empty: every product the schemas describe.
    pub products: Vec<String>,
    /// Injected faults.
    pub faults: Faults,
    /// Webhook redelivery.
    pub redelivery: Redelivery,
    /// The most entries the mock keeps of each kind: access tokens, links (and their link
    /// tokens), consents, `externalTrackId`s, tasks, logged requests and webhook deliveries.
    /// Past it the oldest is evicted (expired access tokens first): a request naming an evicted
    /// link or consent gets a `404`, an evicted `externalTrackId` may be used again. The
    /// default is 10,000.
    pub capacity: usize,
    /// The bytes the mock may hold in those entries (about their size on the heap: the JSON
    /// length of what a request gave it, `externalInfo` included), an equal share per kind;
    /// past it the oldest are evicted as past [`MockConfig::capacity`]. With this and the
    /// capacity, memory stays bounded whatever the load, hostile requests of megabytes
    /// included. The default is 64 MiB.
    pub memory_budget: usize,
    /// The most consents a link may hold that are not `REJECTED` or `REVOKED`: one more is
    /// refused with the business code 4003 ("consents exceed the limit"). The docs give the
    /// code but not the limit; the default, 20, is this mock's choice.
    pub consents_per_link: usize,
    /// Institutions in outage or that the partner may not use: a consent at one is refused
    /// with the business code 4004. Empty by default.
    pub unavailable_institutions: Vec<String>,
    /// Answer `/data/v1` requests only, and write nothing (`false`), or also log each request
    /// as a `tracing` event at `info` (method, path template, status, latency; never a
    /// value).
    pub log_requests: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            access_key: Secret::new(DEFAULT_ACCESS_KEY),
            secret_key: Secret::new(DEFAULT_SECRET_KEY),
            webhook_secret: None,
            webhook_url: None,
            products_webhook_url: None,
            token_lifetime: Duration::from_secs(1800),
            link_lifetime: Duration::from_secs(1800),
            authorisation: Authorisation::After(Duration::ZERO),
            report_delay: Duration::ZERO,
            products: Vec::new(),
            faults: Faults::default(),
            redelivery: Redelivery::default(),
            capacity: 10_000,
            memory_budget: 64 << 20,
            consents_per_link: 20,
            unavailable_institutions: Vec::new(),
            log_requests: false,
        }
    }
}

impl MockConfig {
    /// The key webhooks are signed with.
    pub fn signing_key(&self) -> &Secret {
        self.webhook_secret.as_ref().unwrap_or(&self.secret_key)
    }
}
