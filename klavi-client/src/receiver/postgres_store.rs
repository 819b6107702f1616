//! [`PostgresStore`] (feature `postgres`): the [`DeliveryStore`] of every replica in one
//! PostgreSQL table. A row holds the holder's lease token while an event is processed and none
//! once it was done, with the time its lease or its retention ends (the server's clock, so
//! replicas need not agree on theirs).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deadpool_postgres::tokio_postgres::{self, NoTls};
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio::sync::OnceCell;

use super::store::{
    BoxFuture, Claim, DeliveryStore, LeaseToken, StoreError, StoreErrorKind, expiry_millis,
};

/// The default table.
pub const DEFAULT_TABLE: &str = "klavi_webhook_deliveries";

/// Expired rows are deleted at most this often, by the claim that finds the time has come.
const PURGE_EVERY: Duration = Duration::from_secs(60);

/// Leases and done markers in a PostgreSQL table, shared by every replica.
///
/// ```no_run
/// use klavi_client::receiver::{PostgresStore, WebhookReceiver};
/// use klavi_types::secret::Secret;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = PostgresStore::connect("host=127.0.0.1 user=partner dbname=partner").await?;
/// let receiver = WebhookReceiver::new(Secret::new("the partner's secretKey")).with_store(store);
/// # Ok(()) }
/// ```
///
/// The table is created on first use if it does not exist
/// ([`PostgresStore::create_table_sql`] gives the statements, for a migration of your own).
/// Rows past their expiry are deleted by the store about once a minute. `connect` opens a pool
/// of up to 16 connections without TLS; for TLS or other settings, build a
/// `deadpool_postgres::Pool` yourself and use [`PostgresStore::from_pool`].
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    table: String,
    created: Arc<OnceCell<()>>,
    /// Unix seconds of the last purge.
    purged: Arc<AtomicU64>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

fn pool_error(operation: &'static str, error: PoolError) -> StoreError {
    let kind = match &error {
        PoolError::Timeout(_) => StoreErrorKind::TimedOut,
        PoolError::Backend(error) => kind_of(error),
        _ => StoreErrorKind::Unavailable,
    };
    StoreError::new(operation, kind).with_source(error)
}

/// What a driver error says about the server: a connection that failed or broke, or an
/// answer refusing the statement.
fn kind_of(error: &tokio_postgres::Error) -> StoreErrorKind {
    if error.as_db_error().is_some() {
        StoreErrorKind::Refused
    } else {
        StoreErrorKind::Unavailable
    }
}

/// A store error from a statement's error (the statements bind every value, so the driver's
/// text quotes none).
fn query_error(operation: &'static str, error: tokio_postgres::Error) -> StoreError {
    StoreError::new(operation, kind_of(&error)).with_source(error)
}

/// Whether `name` is a plain lower-case SQL identifier (it is written into the statements).
fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && name.len() <= 63
}

impl PostgresStore {
    /// Connects to the server described by `config`, a libpq connection string
    /// (`host=… port=… user=… password=… dbname=…`) or URL (`postgresql://…`), with a pool of
    /// up to 16 connections, each attempt and wait limited to 5 s.
    ///
    /// # Errors
    ///
    /// [`StoreError`] if `config` is not a connection string. The server is first reached on
    /// the first delivery.
    pub async fn connect(config: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = config.parse().map_err(|error| {
            StoreError::new("connect", StoreErrorKind::Refused).with_source(error)
        })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|error| {
                StoreError::new("connect", StoreErrorKind::Refused).with_source(error)
            })?;
        Ok(PostgresStore::from_pool(pool))
    }

    /// A store on a pool the application already has (its TLS, its sizes).
    pub fn from_pool(pool: Pool) -> Self {
        PostgresStore {
            pool,
            table: DEFAULT_TABLE.to_owned(),
            created: Arc::new(OnceCell::new()),
            purged: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Uses the table `table` instead of [`DEFAULT_TABLE`].
    ///
    /// # Errors
    ///
    /// [`StoreError`] ([`StoreErrorKind::Refused`]) unless `table` is a lower-case SQL
    /// identifier (letters, digits, `_`; at most 63 bytes).
    pub fn with_table(mut self, table: &str) -> Result<Self, StoreError> {
        if !is_identifier(table) {
            return Err(StoreError::new("with_table", StoreErrorKind::Refused));
        }
        table.clone_into(&mut self.table);
        self.created = Arc::new(OnceCell::new());
        Ok(self)
    }

    /// The statements that create the table (and its expiry index) if they do not exist.
    pub fn create_table_sql(&self) -> String {
        let table = &self.table;
        format!(
            "CREATE TABLE IF NOT EXISTS {table} (\n\
             \x20   key        text        PRIMARY KEY,\n\
             \x20   lease      text,\n\
             \x20   expires_at timestamptz NOT NULL\n\
             );\n\
             CREATE INDEX IF NOT EXISTS {table}_expires_at ON {table} (expires_at);"
        )
    }

    async fn client(
        &self,
        operation: &'static str,
    ) -> Result<deadpool_postgres::Object, StoreError> {
        let client = self
            .pool
            .get()
            .await
            .map_err(|error| pool_error(operation, error))?;
        self.created
            .get_or_try_init(|| async {
                client
                    .batch_execute(&self.create_table_sql())
                    .await
                    .map_err(|error| query_error("create table", error))
            })
            .await?;
        Ok(client)
    }

    /// Deletes the rows past their expiry, if the last purge is a minute old.
    async fn purge_if_due(&self, client: &deadpool_postgres::Object) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let last = self.purged.load(Ordering::Relaxed);
        if now.saturating_sub(last) < PURGE_EVERY.as_secs()
            || self
                .purged
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let statement = format!("DELETE FROM {} WHERE expires_at <= now()", self.table);
        if let Err(error) = client.execute(statement.as_str(), &[]).await {
            tracing::warn!(
                error = %query_error("purge", error),
                "klavi webhook: expired deliveries not purged"
            );
        }
    }
}

/// `sql` prepared on `client` (cached per connection).
async fn prepare(
    client: &deadpool_postgres::Object,
    operation: &'static str,
    sql: &str,
) -> Result<tokio_postgres::Statement, StoreError> {
    client
        .prepare_cached(sql)
        .await
        .map_err(|error| query_error(operation, error))
}

/// Milliseconds as the `float8` the statements add to `now()`.
fn millis(duration: Duration) -> f64 {
    expiry_millis(duration) as f64
}

impl DeliveryStore for PostgresStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let client = self.client("claim").await?;
            self.purge_if_due(&client).await;
            let token = LeaseToken::random();
            let table = &self.table;
            // A new row, or one past its expiry taken over; `RETURNING` says which happened.
            let statement = format!(
                "INSERT INTO {table} AS t (key, lease, expires_at) \
                 VALUES ($1, $2, now() + $3 * interval '1 millisecond') \
                 ON CONFLICT (key) DO UPDATE SET lease = EXCLUDED.lease, expires_at = EXCLUDED.expires_at \
                 WHERE t.expires_at <= now() \
                 RETURNING lease"
            );
            let statement = prepare(&client, "claim", &statement).await?;
            let taken = client
                .query_opt(&statement, &[&key, &token.as_str(), &millis(lease)])
                .await
                .map_err(|error| query_error("claim", error))?;
            if taken.is_some() {
                return Ok(Claim::Acquired(token));
            }
            let statement = format!("SELECT lease FROM {table} WHERE key = $1");
            let statement = prepare(&client, "claim", &statement).await?;
            let row = client
                .query_opt(&statement, &[&key])
                .await
                .map_err(|error| query_error("claim", error))?;
            Ok(match row {
                Some(row) if row.get::<_, Option<String>>(0).is_none() => Claim::Done,
                // Held by another, or deleted between the two statements: try again later.
                _ => Claim::InProgress,
            })
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
        retention: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let client = self.client("complete").await?;
            let statement = format!(
                "UPDATE {} SET lease = NULL, expires_at = now() + $3 * interval '1 millisecond' \
                 WHERE key = $1 AND lease = $2 AND expires_at > now()",
                self.table
            );
            let statement = prepare(&client, "complete", &statement).await?;
            let updated = client
                .execute(&statement, &[&key, &token.as_str(), &millis(retention)])
                .await
                .map_err(|error| query_error("complete", error))?;
            Ok(updated == 1)
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a LeaseToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client("release").await?;
            let statement = format!("DELETE FROM {} WHERE key = $1 AND lease = $2", self.table);
            let statement = prepare(&client, "release", &statement).await?;
            client
                .execute(&statement, &[&key, &token.as_str()])
                .await
                .map_err(|error| query_error("release", error))?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_name_the_table() {
        for good in ["klavi_webhook_deliveries", "_t", "t1"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in [
            "",
            "1t",
            "T",
            "t;drop table x",
            "t-1",
            "\"t\"",
            &"t".repeat(64),
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
