//! What a mock remembers: tokens and their expiry, links, consents, tasks, the faults waiting
//! to be served, and the logs of requests and webhook deliveries, each bounded.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use klavi_types::consents::Consent;
use serde_json::Value;

use crate::bounded::{BoundedLog, BoundedMap, Weigh};
use crate::config::{Faults, MockConfig};

/// A fault served instead of the next answer of an endpoint, before the request is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After: <seconds>`.
    TooManyRequests {
        /// The `Retry-After` seconds.
        retry_after: u64,
    },
    /// `503 Service Unavailable`.
    Unavailable,
    /// `500 Internal Server Error`.
    Internal,
    /// Any status, with Klavi's error body.
    Status(u16),
    /// `416` with a business code in the body's `statusCode`: what no request can provoke in
    /// the mock, such as 4007 (product request failed), 4008 and 4009 (eco products: no Open
    /// Finance consent available, KYC needed).
    Business(u16),
}

/// One request the mock answered. Holds no value of the request: the log is safe to print.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Logged {
    /// The endpoint id (`create-link`), or `mock` for the mock's own routes, or `unknown`.
    pub endpoint: &'static str,
    /// The method.
    pub method: String,
    /// The path template (`/data/v1/consents/{consentId}`), never the path with its values;
    /// `(no route)` for a path the mock does not serve.
    pub path: &'static str,
    /// The status answered.
    pub status: u16,
    /// Whether the answer was an injected fault.
    pub fault: bool,
    /// The violations of a `400` as `code at pointer`.
    pub violations: Vec<String>,
    /// How long the answer took, latency injected included.
    pub latency: Duration,
}

/// One webhook and every attempt to deliver it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// Where it was sent.
    pub url: String,
    /// `event` (an API event) or `report` (a product report).
    pub kind: &'static str,
    /// The event's `eventName` or the report's `productName`.
    pub name: String,
    /// The `eventId` or the report's `productReportId`.
    pub id: String,
    /// The status of each attempt (`None`: no answer).
    pub statuses: Vec<Option<u16>>,
}

impl Delivery {
    /// Whether an attempt got a `2xx`.
    pub fn delivered(&self) -> bool {
        self.statuses
            .iter()
            .any(|status| status.is_some_and(|code| (200..300).contains(&code)))
    }
}

/// A link.
pub(crate) struct Link {
    pub(crate) personal_tax_id: String,
    pub(crate) business_tax_id: String,
    pub(crate) products_callback_url: Option<Value>,
    pub(crate) external_info: Option<Value>,
}

/// An Open Data task.
pub(crate) struct Task {
    pub(crate) link_id: String,
    pub(crate) status: klavi_types::tasks::TaskStatus,
    pub(crate) mfa_id: i64,
}

/// A link token: its link and expiry.
pub(crate) struct LinkToken {
    pub(crate) link_id: String,
    pub(crate) expires_at: Instant,
}

/// The kinds of entries a mock keeps, each with an equal share of
/// [`MockConfig::memory_budget`].
const KINDS: usize = 8;

/// What a mock remembers. Every collection holds at most [`MockConfig::capacity`] entries, the
/// oldest evicted first (expired tokens go before that), so memory stays bounded under any
/// load.
pub(crate) struct State {
    pub(crate) access_tokens: BoundedMap<Instant>,
    pub(crate) link_tokens: BoundedMap<LinkToken>,
    pub(crate) links: BoundedMap<Link>,
    /// In creation order, as `GET /consents` lists them.
    pub(crate) consents: BoundedMap<Consent>,
    pub(crate) track_ids: BoundedMap<()>,
    pub(crate) tasks: BoundedMap<Task>,
    pub(crate) token_lifetime: Duration,
    pub(crate) injected: HashMap<&'static str, VecDeque<Fault>>,
    pub(crate) faults: Faults,
    pub(crate) random: fastrand::Rng,
    pub(crate) log: BoundedLog<Logged>,
    pub(crate) deliveries: BoundedLog<Delivery>,
    next_id: u64,
}

impl State {
    pub(crate) fn new(config: &MockConfig) -> Self {
        let capacity = config.capacity;
        let budget = config.memory_budget / KINDS;
        State {
            access_tokens: BoundedMap::new(capacity, budget),
            link_tokens: BoundedMap::new(capacity, budget),
            links: BoundedMap::new(capacity, budget),
            consents: BoundedMap::new(capacity, budget),
            track_ids: BoundedMap::new(capacity, budget),
            tasks: BoundedMap::new(capacity, budget),
            token_lifetime: config.token_lifetime,
            injected: HashMap::new(),
            random: fastrand::Rng::with_seed(config.faults.seed),
            faults: config.faults.clone(),
            log: BoundedLog::new(capacity, budget),
            deliveries: BoundedLog::new(capacity, budget),
            next_id: 0,
        }
    }

    /// A fresh id shaped like Klavi's UUIDs.
    pub(crate) fn id(&mut self) -> String {
        self.next_id += 1;
        let salt = self.random.u64(..) & 0xffff_ffff_ffff;
        format!("{:08x}-8a16-41ee-b636-{salt:012x}", self.next_id)
    }

    /// A fresh opaque token, JWT-shaped like Klavi's.
    pub(crate) fn token(&mut self, kind: &str) -> String {
        let id = self.id();
        let salt = self.random.u64(..);
        format!("eyJ{kind}.{id}.{salt:016x}")
    }

    /// The fault to serve for `endpoint`: an injected one first, else a random one.
    pub(crate) fn take_fault(&mut self, endpoint: &'static str) -> Option<Fault> {
        if let Some(fault) = self
            .injected
            .get_mut(endpoint)
            .and_then(VecDeque::pop_front)
        {
            return Some(fault);
        }
        if self.faults.rate <= 0.0 || self.random.f64() >= self.faults.rate {
            return None;
        }
        let statuses = &self.faults.statuses;
        let status = match statuses.len() {
            0 => 503,
            n => statuses[self.random.usize(..n)],
        };
        Some(match status {
            429 => Fault::TooManyRequests {
                retry_after: self.faults.retry_after,
            },
            503 => Fault::Unavailable,
            500 => Fault::Internal,
            other => Fault::Status(other),
        })
    }

    /// The consent with id `id`.
    pub(crate) fn consent_mut(&mut self, id: &str) -> Option<&mut Consent> {
        self.consents.get_mut(id)
    }
}

impl Weigh for Link {
    fn weight(&self) -> usize {
        self.personal_tax_id.len()
            + self.business_tax_id.len()
            + self.products_callback_url.as_ref().map_or(0, Weigh::weight)
            + self.external_info.as_ref().map_or(0, Weigh::weight)
    }
}

impl Weigh for LinkToken {
    fn weight(&self) -> usize {
        self.link_id.len()
    }
}

impl Weigh for Task {
    fn weight(&self) -> usize {
        self.link_id.len() + self.status.as_str().len()
    }
}

impl Weigh for Consent {
    /// Its JSON text's length: a typed consent holds about that in strings.
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(0, |text| text.len())
    }
}

impl Weigh for Logged {
    fn weight(&self) -> usize {
        self.method.len() + self.violations.iter().map(|v| v.len() + 24).sum::<usize>()
    }
}

impl Weigh for Delivery {
    fn weight(&self) -> usize {
        self.url.len() + self.name.len() + self.id.len() + 4 * self.statuses.len()
    }
}
