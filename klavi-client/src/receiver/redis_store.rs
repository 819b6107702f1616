//! [`RedisStore`] (feature `redis`): the [`DeliveryStore`] of every replica on one Redis (or
//! Valkey) server. A key holds `lease:<token>` while an event is processed and `done` once it
//! was, each with its expiry; three short Lua scripts make claim, complete and release atomic.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{ErrorKind, RedisError, Script};

use super::store::{
    BoxFuture, Claim, DeliveryStore, LeaseToken, StoreError, StoreErrorKind, expiry_millis,
};

/// Sets a lease unless the key holds one or is done; answers which.
const CLAIM: &str = r"
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'acquired'
end
if current == 'done' then return 'done' end
return 'in_progress'
";

/// Turns the caller's own lease into a done marker.
const COMPLETE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0
";

/// Deletes the caller's own lease.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Leases and done markers on a Redis server, shared by every replica.
///
/// ```no_run
/// use klavi_client::receiver::{RedisStore, WebhookReceiver};
/// use klavi_types::secret::Secret;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?;
/// let receiver = WebhookReceiver::new(Secret::new("the partner's secretKey")).with_store(store);
/// # Ok(()) }
/// ```
///
/// Keys are `klavi:webhook:` (see [`RedisStore::with_prefix`]) followed by the event's key,
/// and expire by themselves: nothing to clean up. The connection reconnects by itself after a
/// server restart; while it cannot, the receiver answers `503`. Done markers survive a restart
/// only if the server persists them: run Redis with `appendonly yes` (with RDB snapshots
/// alone, the markers of the last minutes are lost, and those events would be processed again
/// on redelivery).
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    claim: Script,
    complete: Script,
    release: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// A store error of `operation` from a Redis error: the message is the kind only (a Redis
/// error may quote the URL it failed to reach).
fn store_error(operation: &'static str, error: RedisError) -> StoreError {
    let kind = if error.is_timeout() {
        StoreErrorKind::TimedOut
    } else if error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.kind() == ErrorKind::Client
    {
        StoreErrorKind::Unavailable
    } else {
        StoreErrorKind::Refused
    };
    StoreError::new(operation, kind).with_source(error)
}

impl RedisStore {
    /// Connects to the server at `url` (`redis://[:password@]host:port/db`, `rediss://` for
    /// TLS if the `redis` crate was built with it). Gives up on a connection attempt after 5 s
    /// and on an answer after 5 s.
    ///
    /// # Errors
    ///
    /// [`StoreError`] if the URL is not one, or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|error| store_error("connect", error))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|error| store_error("connect", error))?;
        Ok(RedisStore::from_connection(connection))
    }

    /// A store on a connection the application already has.
    pub fn from_connection(connection: ConnectionManager) -> Self {
        RedisStore {
            connection,
            prefix: "klavi:webhook:".to_owned(),
            claim: Script::new(CLAIM),
            complete: Script::new(COMPLETE),
            release: Script::new(RELEASE),
        }
    }

    /// Puts the store's keys under `prefix` instead of `klavi:webhook:` (two receivers of
    /// different partner accounts on one server).
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Runs `script` on the store's key for `key`, with the lease value of `token` and, when
    /// given, an expiry in milliseconds.
    async fn run<T: redis::FromRedisValue>(
        &self,
        operation: &'static str,
        script: &Script,
        key: &str,
        token: &LeaseToken,
        expiry: Option<Duration>,
    ) -> Result<T, StoreError> {
        let mut invocation = script.key(format!("{}{key}", self.prefix));
        invocation.arg(format!("lease:{}", token.as_str()));
        if let Some(expiry) = expiry {
            invocation.arg(expiry_millis(expiry));
        }
        let mut connection = self.connection.clone();
        invocation
            .invoke_async(&mut connection)
            .await
            .map_err(|error| store_error(operation, error))
    }
}

impl DeliveryStore for RedisStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let token = LeaseToken::random();
            let answer: String = self
                .run("claim", &self.claim, key, &token, Some(lease))
                .await?;
            match answer.as_str() {
                "acquired" => Ok(Claim::Acquired(token)),
                "done" => Ok(Claim::Done),
                "in_progress" => Ok(Claim::InProgress),
                _ => Err(StoreError::new("claim", StoreErrorKind::Refused)),
            }
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
        retention: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let completed: i64 = self
                .run("complete", &self.complete, key, token, Some(retention))
                .await?;
            Ok(completed == 1)
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let _: i64 = self.run("release", &self.release, key, token, None).await?;
            Ok(())
        })
    }
}
