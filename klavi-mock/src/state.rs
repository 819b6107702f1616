//! What a mock remembers: tokens and their expiry, links, consents, tasks, the faults waiting
//! to be served, and the logs of requests and webhook deliveries.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::config::Faults;

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
    pub(crate) status: &'static str,
    pub(crate) mfa_id: u64,
}

/// A link token: its link and expiry.
pub(crate) struct LinkToken {
    pub(crate) link_id: String,
    pub(crate) expires_at: Instant,
}

pub(crate) struct State {
    pub(crate) access_tokens: HashMap<String, Instant>,
    pub(crate) link_tokens: HashMap<String, LinkToken>,
    pub(crate) links: HashMap<String, Link>,
    /// In creation order, as `GET /consents` lists them.
    pub(crate) consents: Vec<Value>,
    pub(crate) track_ids: HashSet<String>,
    pub(crate) tasks: HashMap<String, Task>,
    pub(crate) token_lifetime: Duration,
    pub(crate) injected: HashMap<&'static str, VecDeque<Fault>>,
    pub(crate) faults: Faults,
    pub(crate) random: fastrand::Rng,
    pub(crate) log: Vec<Logged>,
    pub(crate) deliveries: Vec<Delivery>,
    next_id: u64,
}

impl State {
    pub(crate) fn new(token_lifetime: Duration, faults: Faults) -> Self {
        State {
            access_tokens: HashMap::new(),
            link_tokens: HashMap::new(),
            links: HashMap::new(),
            consents: Vec::new(),
            track_ids: HashSet::new(),
            tasks: HashMap::new(),
            token_lifetime,
            injected: HashMap::new(),
            random: fastrand::Rng::with_seed(faults.seed),
            faults,
            log: Vec::new(),
            deliveries: Vec::new(),
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
    pub(crate) fn consent_mut(&mut self, id: &str) -> Option<&mut Value> {
        self.consents
            .iter_mut()
            .find(|consent| consent["consentId"] == id)
    }
}
