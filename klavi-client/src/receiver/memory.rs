//! [`MemoryStore`]: the [`DeliveryStore`] of one process (the default, and the store of tests):
//! leases and done markers in a map, each expiring at its own time, the number of keys bounded.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::store::{BoxFuture, Claim, DeliveryStore, LeaseToken, StoreError, StoreErrorKind};

/// Keys, leases and done markers in this process's memory.
///
/// It has the semantics of the shared stores (leases that expire, done markers kept for the
/// retention) but not their reach: a second replica or a restart starts with an empty store,
/// so an event delivered to both may be processed twice. Use `RedisStore` or `PostgresStore`
/// (features `redis`, `postgres`) as soon as more than one process receives.
///
/// At most `capacity` keys are held. When a new key finds the store full, keys past their
/// expiry are dropped first; if none is, the done marker closest to its expiry is dropped
/// (counted by [`MemoryStore::evicted`]); leases are never dropped before they expire. A store
/// full of leases refuses new keys with [`StoreErrorKind::Full`] (the receiver answers `503`,
/// and the sender retries).
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<String, Entry>,
    /// Every entry by (expiry, sequence): the next to expire first.
    by_expiry: BTreeSet<(Instant, u64, Kind, String)>,
    next_sequence: u64,
    evicted: u64,
}

#[derive(Debug)]
struct Entry {
    kind: Kind,
    lease: Option<LeaseToken>,
    expires: Instant,
    sequence: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Leased,
    Done,
}

/// `now + duration`, or a century later if that overflows (a lease or retention of
/// `Duration::MAX` never expires in practice, and never panics).
fn deadline(now: Instant, duration: Duration) -> Instant {
    now.checked_add(duration)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

impl MemoryStore {
    /// A store holding at most `capacity` keys (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        MemoryStore {
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// How many keys it holds (expired ones included until they are dropped).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many done markers were dropped before their retention ended, to make room.
    pub fn evicted(&self) -> u64 {
        self.lock().evicted
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn claim_now(&self, key: &str, lease: Duration, now: Instant) -> Result<Claim, StoreError> {
        let mut state = self.lock();
        if let Some(entry) = state.entries.get(key)
            && entry.expires > now
        {
            return Ok(match entry.kind {
                Kind::Done => Claim::Done,
                Kind::Leased => Claim::InProgress,
            });
        }
        state.remove(key);
        if state.entries.len() >= self.capacity {
            state.make_room(now);
        }
        if state.entries.len() >= self.capacity {
            return Err(StoreError::new("claim", StoreErrorKind::Full));
        }
        let token = LeaseToken::random();
        state.insert(key, Kind::Leased, Some(token.clone()), deadline(now, lease));
        Ok(Claim::Acquired(token))
    }

    fn complete_now(
        &self,
        key: &str,
        token: &LeaseToken,
        retention: Duration,
        now: Instant,
    ) -> bool {
        let mut state = self.lock();
        if !state.holds(key, token, now) {
            return false;
        }
        state.remove(key);
        state.insert(key, Kind::Done, None, deadline(now, retention));
        true
    }
}

impl State {
    fn holds(&self, key: &str, token: &LeaseToken, now: Instant) -> bool {
        self.entries.get(key).is_some_and(|entry| {
            entry.kind == Kind::Leased && entry.expires > now && entry.lease.as_ref() == Some(token)
        })
    }

    fn insert(&mut self, key: &str, kind: Kind, lease: Option<LeaseToken>, expires: Instant) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.by_expiry
            .insert((expires, sequence, kind, key.to_owned()));
        self.entries.insert(
            key.to_owned(),
            Entry {
                kind,
                lease,
                expires,
                sequence,
            },
        );
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_expiry
                .remove(&(entry.expires, entry.sequence, entry.kind, key.to_owned()));
        }
    }

    /// Drops every expired key; if none was, the done marker next to expire.
    fn make_room(&mut self, now: Instant) {
        let mut dropped = false;
        while let Some(first) = self.by_expiry.first() {
            if first.0 > now {
                break;
            }
            let key = first.3.clone();
            self.remove(&key);
            dropped = true;
        }
        if dropped {
            return;
        }
        let oldest_done = self
            .by_expiry
            .iter()
            .find(|(_, _, kind, _)| *kind == Kind::Done)
            .map(|(_, _, _, key)| key.clone());
        if let Some(key) = oldest_done {
            self.remove(&key);
            self.evicted += 1;
        }
    }
}

impl Default for MemoryStore {
    /// Holds at most 1,000,000 keys (about 150 MB when full).
    fn default() -> Self {
        MemoryStore::with_capacity(1_000_000)
    }
}

impl DeliveryStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(std::future::ready(self.claim_now(
            key,
            lease,
            Instant::now(),
        )))
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
        retention: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(std::future::ready(Ok(self.complete_now(
            key,
            token,
            retention,
            Instant::now(),
        ))))
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut state = self.lock();
        if state.holds(key, token, Instant::now()) {
            state.remove(key);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn acquired(claim: Result<Claim, StoreError>) -> LeaseToken {
        match claim {
            Ok(Claim::Acquired(token)) => token,
            other => panic!("expected a lease, got {other:?}"),
        }
    }

    #[test]
    fn a_lease_blocks_until_completed_released_or_expired() {
        let store = MemoryStore::with_capacity(10);
        let t0 = Instant::now();
        let token = acquired(store.claim_now("a", SECOND, t0));
        assert_eq!(store.claim_now("a", SECOND, t0).unwrap(), Claim::InProgress);
        // Released: claimable at once.
        let mut state = store.lock();
        assert!(state.holds("a", &token, t0));
        state.remove("a");
        drop(state);
        let token = acquired(store.claim_now("a", SECOND, t0));
        // Expired: claimable by another, and the first can no longer complete it.
        let later = t0 + 2 * SECOND;
        let second = acquired(store.claim_now("a", SECOND, later));
        assert!(!store.complete_now("a", &token, SECOND, later));
        assert!(store.complete_now("a", &second, 10 * SECOND, later));
        assert_eq!(store.claim_now("a", SECOND, later).unwrap(), Claim::Done);
        // Retention over: processed again.
        acquired(store.claim_now("a", SECOND, later + 11 * SECOND));
    }

    #[test]
    fn room_is_made_from_expired_keys_then_the_oldest_done_marker_never_a_lease() {
        let store = MemoryStore::with_capacity(2);
        let t0 = Instant::now();
        let a = acquired(store.claim_now("a", SECOND, t0));
        assert!(store.complete_now("a", &a, 100 * SECOND, t0));
        acquired(store.claim_now("b", 100 * SECOND, t0));
        // Full: the done marker "a" goes (counted), the lease "b" stays.
        acquired(store.claim_now("c", 100 * SECOND, t0));
        assert_eq!(store.evicted(), 1);
        assert_eq!(store.claim_now("b", SECOND, t0).unwrap(), Claim::InProgress);
        // Full of leases: refused, not forgotten.
        let error = store.claim_now("d", SECOND, t0).unwrap_err();
        assert_eq!(error.kind(), StoreErrorKind::Full);
        // Once they expire, there is room again without evicting anything.
        acquired(store.claim_now("d", SECOND, t0 + 101 * SECOND));
        assert_eq!(store.evicted(), 1);
    }

    #[test]
    fn huge_durations_do_not_panic() {
        let store = MemoryStore::default();
        let token = acquired(store.claim_now("a", Duration::MAX, Instant::now()));
        assert!(store.complete_now("a", &token, Duration::MAX, Instant::now()));
        assert_eq!(
            store.claim_now("a", Duration::MAX, Instant::now()).unwrap(),
            Claim::Done
        );
    }
}
