//! What the fake Klavi server remembers: tokens, links, consents, report requests, the faults
//! waiting to be served, and a log of every answer (for the tests' assertions).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A fault served instead of the real answer, before the request is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After: <seconds>`.
    TooManyRequests { retry_after: u64 },
    /// `503 Service Unavailable`.
    Unavailable,
    /// `500 Internal Server Error`.
    Internal,
}

/// Random faults "now and then": each request fails with probability `per_mille / 1000`,
/// from a seeded generator so that a failing run can be replayed.
#[derive(Clone, Copy, Debug)]
pub struct Chaos {
    pub seed: u64,
    pub per_mille: u64,
}

/// One answer of the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub endpoint: &'static str,
    pub status: u16,
}

/// One webhook delivery (all its attempts).
#[derive(Clone, Debug)]
pub struct Delivery {
    pub url: String,
    pub kind: &'static str,
    pub statuses: Vec<Option<u16>>,
}

pub struct Link {
    pub personal_tax_id: String,
    pub business_tax_id: String,
    pub products_callback_url: Option<Value>,
    pub external_info: Option<Value>,
}

pub struct State {
    pub access_tokens: HashMap<String, Instant>,
    pub link_tokens: HashMap<String, String>,
    pub links: HashMap<String, Link>,
    pub consents: Vec<Value>,
    pub token_lifetime: Duration,
    pub faults: HashMap<&'static str, VecDeque<Fault>>,
    pub chaos: Option<Chaos>,
    pub chaos_state: u64,
    pub log: Vec<Logged>,
    pub deliveries: Vec<Delivery>,
    pub next_id: u64,
}

impl State {
    pub fn new(token_lifetime: Duration, chaos: Option<Chaos>) -> Self {
        State {
            access_tokens: HashMap::new(),
            link_tokens: HashMap::new(),
            links: HashMap::new(),
            consents: Vec::new(),
            token_lifetime,
            faults: HashMap::new(),
            chaos,
            chaos_state: chaos.map_or(1, |chaos| chaos.seed | 1),
            log: Vec::new(),
            deliveries: Vec::new(),
            next_id: 0,
        }
    }

    /// A fresh id shaped like Klavi's UUIDs.
    pub fn id(&mut self) -> String {
        self.next_id += 1;
        format!("{:08x}-8a16-41ee-b636-{:012x}", self.next_id, self.next_id)
    }

    /// A fresh opaque token (JWT-shaped, like Klavi's).
    pub fn token(&mut self, kind: &str) -> String {
        let id = self.id();
        format!("eyJ{kind}.{id}.c2lnbmF0dXJl")
    }

    /// The fault to serve for `endpoint`, if any: an injected one first, else chaos.
    pub fn take_fault(&mut self, endpoint: &'static str, is_post: bool) -> Option<Fault> {
        if let Some(fault) = self.faults.get_mut(endpoint).and_then(VecDeque::pop_front) {
            return Some(fault);
        }
        let chaos = self.chaos?;
        // xorshift64*
        let mut x = self.chaos_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.chaos_state = x;
        let roll = x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32;
        if roll % 1000 >= chaos.per_mille {
            return None;
        }
        Some(match roll % 3 {
            0 => Fault::TooManyRequests { retry_after: 0 },
            1 => Fault::Unavailable,
            // A 500 only where the client may retry it without creating a duplicate.
            _ if is_post => Fault::Unavailable,
            _ => Fault::Internal,
        })
    }
}
