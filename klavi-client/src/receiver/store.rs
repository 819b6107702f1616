//! The delivery store: where every replica of a receiver agrees which webhook keys are being
//! processed (a lease that expires) and which were processed to success (a done marker kept for
//! the retention). [`DeliveryStore`] is the contract; [`MemoryStore`](super::MemoryStore),
//! `RedisStore` and `PostgresStore` implement it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future, as the object-safe [`DeliveryStore`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What [`DeliveryStore::claim`] found for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// The caller holds the key's lease until it expires: it runs the handler, then calls
    /// [`DeliveryStore::complete`] (success) or [`DeliveryStore::release`] (failure).
    Acquired(LeaseToken),
    /// Another caller holds an unexpired lease: the event is being processed elsewhere.
    InProgress,
    /// The key was processed to success within the retention.
    Done,
}

/// Proof of a lease, held by the caller that acquired it. A store completes or releases a
/// lease only for its token, so a lease that expired and was taken by another replica is
/// neither completed nor released by the first.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LeaseToken(String);

impl LeaseToken {
    /// A new random token (128 bits, 32 lower-case hex digits).
    pub fn random() -> Self {
        LeaseToken(format!("{:032x}", fastrand::u128(..)))
    }

    /// The token as text, as a store saves it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LeaseToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LeaseToken({})", self.0)
    }
}

/// A store that could not answer: unreachable, timed out, full, or refusing the statement.
///
/// The receiver answers `503` on it, so that the sender retries; never `200`. The `Display`
/// text is the operation and the kind of failure, never a connection string or a key; the
/// driver's own error is the [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct StoreError {
    operation: &'static str,
    kind: StoreErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Why a store failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The server could not be reached or the connection broke.
    Unavailable,
    /// The server did not answer within the store's time limit.
    TimedOut,
    /// The store holds as many keys as it may ([`MemoryStore`](super::MemoryStore)'s capacity).
    Full,
    /// The server answered with an error or an unexpected reply.
    Refused,
}

impl StoreError {
    /// A failure of `operation` (`claim`, `complete`, `release`, `connect`, …).
    pub fn new(operation: &'static str, kind: StoreErrorKind) -> Self {
        StoreError {
            operation,
            kind,
            source: None,
        }
    }

    /// The same, with the driver's error as its source.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Why it failed.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            StoreErrorKind::Unavailable => "the store is unavailable",
            StoreErrorKind::TimedOut => "the store did not answer in time",
            StoreErrorKind::Full => "the store is full",
            StoreErrorKind::Refused => "the store refused the operation",
        };
        write!(f, "delivery store `{}`: {kind}", self.operation)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// A store of webhook keys shared by every replica of a receiver.
///
/// The receiver calls, for each event of a delivery: [`claim`](Self::claim); when
/// [`Claim::Acquired`], the handler; then [`complete`](Self::complete) if the handler
/// succeeded, [`release`](Self::release) if it failed, panicked or ran out of time. A lease
/// that is neither completed nor released (the process died) expires by itself.
///
/// An implementation must make `claim` atomic: of two callers racing for one key, exactly one
/// gets [`Claim::Acquired`]. Expired leases and done markers past their retention are as if
/// absent. Every method answers within a bounded time or fails with [`StoreError`].
pub trait DeliveryStore: Send + Sync + 'static {
    /// Takes the lease of `key` for `lease` if nobody holds an unexpired one and it is not
    /// done; otherwise says which.
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>>;

    /// Marks `key` done for `retention`, if `token` still holds its lease. `Ok(false)` when it
    /// does not (the lease expired and another caller took it, or it was released).
    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
        retention: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Gives the lease of `key` back if `token` still holds it, so that the next delivery
    /// processes the key at once.
    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

#[cfg(any(feature = "redis", feature = "postgres"))]
/// Milliseconds of `duration` for a store's expiry: at least 1, at most `i64::MAX` (what
/// Redis and PostgreSQL accept), whatever the duration.
pub(crate) fn expiry_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis())
        .unwrap_or(i64::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_errors_name_no_value() {
        assert_ne!(LeaseToken::random(), LeaseToken::random());
        assert_eq!(LeaseToken::random().as_str().len(), 32);
        let error = StoreError::new("claim", StoreErrorKind::TimedOut)
            .with_source(std::io::Error::other("redis://:hunter2@db"));
        assert_eq!(
            error.to_string(),
            "delivery store `claim`: the store did not answer in time"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[cfg(any(feature = "redis", feature = "postgres"))]
    #[test]
    fn expiry_is_clamped() {
        assert_eq!(expiry_millis(Duration::ZERO), 1);
        assert_eq!(expiry_millis(Duration::from_millis(1500)), 1500);
        assert_eq!(expiry_millis(Duration::MAX), i64::MAX);
    }
}
