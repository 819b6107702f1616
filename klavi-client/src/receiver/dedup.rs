//! Where the receiver remembers the ids it has seen: the [`Deduplicate`] trait, and
//! [`InMemoryDeduplicate`], a bounded in-process store.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// A boxed future, as the object-safe [`Deduplicate`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store of the webhook ids already processed, shared by every request of a receiver.
///
/// `claim` must be atomic: of two deliveries of one id racing each other, exactly one gets
/// `true` (with a database: `INSERT … ON CONFLICT DO NOTHING` and whether a row was inserted).
pub trait Deduplicate: Send + Sync + 'static {
    /// Claims `id`: `true` the first time, `false` when it was claimed before and not released.
    fn claim<'a>(&'a self, id: &'a str) -> BoxFuture<'a, bool>;

    /// Forgets a claim, so that the next delivery of `id` is processed (the handler failed).
    fn release<'a>(&'a self, id: &'a str) -> BoxFuture<'a, ()>;
}

/// The ids of the last `capacity` claims, in memory: enough for one process and for tests
/// (Klavi redelivers within minutes). Oldest claims are forgotten first.
#[derive(Debug)]
pub struct InMemoryDeduplicate {
    capacity: usize,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl InMemoryDeduplicate {
    /// A store remembering the last `capacity` ids (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        InMemoryDeduplicate {
            capacity: capacity.max(1),
            seen: Mutex::new(Seen::default()),
        }
    }

    /// How many ids it holds.
    pub fn len(&self) -> usize {
        self.lock().ids.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for InMemoryDeduplicate {
    /// Remembers the last 100,000 ids.
    fn default() -> Self {
        InMemoryDeduplicate::with_capacity(100_000)
    }
}

impl Deduplicate for InMemoryDeduplicate {
    fn claim<'a>(&'a self, id: &'a str) -> BoxFuture<'a, bool> {
        let mut seen = self.lock();
        let first = seen.ids.insert(id.to_owned());
        if first {
            seen.order.push_back(id.to_owned());
            while seen.order.len() > self.capacity {
                if let Some(oldest) = seen.order.pop_front() {
                    seen.ids.remove(&oldest);
                }
            }
        }
        Box::pin(std::future::ready(first))
    }

    fn release<'a>(&'a self, id: &'a str) -> BoxFuture<'a, ()> {
        let mut seen = self.lock();
        if seen.ids.remove(id) {
            seen.order.retain(|held| held != id);
        }
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn claims_once_releases_and_forgets_the_oldest() {
        let store = InMemoryDeduplicate::with_capacity(2);
        assert!(store.claim("a").await);
        assert!(!store.claim("a").await);
        store.release("a").await;
        assert!(store.claim("a").await);
        assert!(store.claim("b").await);
        assert!(store.claim("c").await);
        assert_eq!(store.len(), 2);
        // "a" was the oldest: forgotten.
        assert!(store.claim("a").await);
        assert!(!store.claim("c").await);
    }
}
