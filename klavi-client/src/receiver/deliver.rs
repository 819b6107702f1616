//! Processing one verified delivery: its events split and read (every one, before any is
//! handled), each keyed, then handled in order under a lease: claimed, handed to the handler
//! in a task of its own, completed or released by what the handler did.

use std::future::Future;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use klavi_types::reports::ProductReport;
use klavi_types::webhooks::Event;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::body::VerifiedBody;
use super::rejection::{DeliveryOutcome, WebhookRejection};
use super::store::{Claim, DeliveryStore, LeaseToken, StoreError, StoreErrorKind};

/// What a receiver delivers to a handler: API events (a batch) or a product report (one).
pub trait Deliverable: DeserializeOwned + klavi_types::CheckJson + Send + 'static {
    /// The key's namespace in the store: `event` or `report`.
    const NAMESPACE: &'static str;
    /// Whether a delivery may be an array of them (events) or is always one (reports).
    const BATCHES: bool;
    /// The id Klavi gives it for de-duplication (`eventId`, `productReportId`), if any.
    fn delivery_id(&self) -> Option<&str>;
}

impl Deliverable for Event {
    const NAMESPACE: &'static str = "event";
    const BATCHES: bool = true;

    fn delivery_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }
}

impl Deliverable for ProductReport {
    const NAMESPACE: &'static str = "report";
    const BATCHES: bool = false;

    fn delivery_id(&self) -> Option<&str> {
        Some(self.product_report_id.as_str())
    }
}

/// Ids longer than this are keyed by their SHA-256 (a store key stays short).
const LONGEST_ID_KEPT: usize = 128;

/// The store key of one item: `event:id:<eventId>`, or, without an id, `event:body:<SHA-256 of
/// the item's signed bytes>` (a replay of the same signed item has the same key).
pub(crate) fn key_of(namespace: &str, id: Option<&str>, raw: &[u8]) -> String {
    match id {
        Some(id) if !id.is_empty() && id.len() <= LONGEST_ID_KEPT => format!("{namespace}:id:{id}"),
        Some(id) if !id.is_empty() => {
            format!("{namespace}:id-sha256:{}", hex::encode(Sha256::digest(id)))
        }
        _ => format!("{namespace}:body:{}", hex::encode(Sha256::digest(raw))),
    }
}

/// The byte ranges of the delivery's items: each element of a top-level array (when `T`
/// batches), or the whole body.
fn split<T: Deliverable>(body: &[u8]) -> Result<Vec<Range<usize>>, WebhookRejection> {
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    if !(T::BATCHES && first == Some(&b'[')) {
        return Ok(std::iter::once(0..body.len()).collect());
    }
    let items: Vec<&RawValue> =
        serde_json::from_slice(body).map_err(|error| WebhookRejection::InvalidPayload {
            pointer: String::new(),
            line: error.line(),
            column: error.column(),
        })?;
    let start = body.as_ptr() as usize;
    Ok(items
        .iter()
        .map(|item| {
            let offset = item.get().as_ptr() as usize - start;
            offset..offset + item.get().len()
        })
        .collect())
}

/// The line and column (1-based) of byte `offset` of `body`.
fn position(body: &[u8], offset: usize) -> (usize, usize) {
    let before = &body[..offset];
    let line_start = before
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |at| at + 1);
    let lines = before.iter().filter(|byte| **byte == b'\n').count();
    (lines + 1, offset - line_start + 1)
}

/// `pointer` within the delivery: under `/index` for an element of a batch.
fn within(index: Option<usize>, pointer: &str) -> String {
    match index {
        Some(index) => format!("/{index}{pointer}"),
        None => pointer.to_owned(),
    }
}

/// Reads one item as `T`; a failure is located within the whole delivery.
fn read_item<T: Deliverable>(
    body: &[u8],
    range: &Range<usize>,
    index: Option<usize>,
) -> Result<T, WebhookRejection> {
    crate::decode::decode::<T>("webhook", &body[range.clone()]).map_err(|error| {
        let (pointer, line, column) = match error {
            crate::ClientError::Decode {
                pointer,
                line,
                column,
                ..
            } => (pointer, line, column),
            _ => (String::new(), 1, 1),
        };
        // Where the item starts, to turn its line and column into the delivery's.
        let (item_line, item_column) = position(body, range.start);
        WebhookRejection::InvalidPayload {
            pointer: within(index, &pointer),
            line: line + item_line - 1,
            column: if line == 1 {
                column + item_column - 1
            } else {
                column
            },
        }
    })
}

/// Refuses an item that repeats a member name in any of its objects (`payload` and
/// `externalInfo` included, which the typed reader keeps as maps): readers disagree on which
/// copy counts. The compiled check finds them; its other findings (the schema's rules, which a
/// server's own data may break) are not reasons to refuse a delivery.
fn refuse_repeated_members<T: Deliverable>(
    body: &[u8],
    range: &Range<usize>,
    index: Option<usize>,
) -> Result<(), WebhookRejection> {
    let Err(violations) = klavi_types::check_json::<T>(&body[range.clone()]) else {
        return Ok(());
    };
    let Some(repeated) = violations
        .as_slice()
        .iter()
        .find(|violation| violation.code() == "duplicate_member")
    else {
        return Ok(());
    };
    // Where the item starts: the check gives the pointer of the second copy, not its place.
    let (line, column) = position(body, range.start);
    Err(WebhookRejection::InvalidPayload {
        pointer: within(index, repeated.pointer()),
        line,
        column,
    })
}

/// The items of a verified delivery, every one read once (so that a malformed item refuses
/// the delivery before any is handled) and keyed; only the keys and ranges are kept.
pub(crate) fn keyed_items<T: Deliverable>(
    body: &[u8],
) -> Result<Vec<(Range<usize>, String)>, WebhookRejection> {
    let ranges = split::<T>(body)?;
    let batch = body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[');
    let mut items = Vec::with_capacity(ranges.len());
    for (index, range) in ranges.into_iter().enumerate() {
        let item: T = read_item(body, &range, batch.then_some(index))?;
        refuse_repeated_members::<T>(body, &range, batch.then_some(index))?;
        let key = key_of(T::NAMESPACE, item.delivery_id(), &body[range.clone()]);
        items.push((range, key));
    }
    Ok(items)
}

/// How one receiver runs its handlers.
#[derive(Clone)]
pub(crate) struct Processing {
    pub store: Arc<dyn DeliveryStore>,
    pub lease: Duration,
    pub retention: Duration,
    pub store_timeout: Duration,
}

impl Processing {
    /// How long a handler may run: four fifths of the lease, the rest left to record its result
    /// before another replica may take the key.
    fn handler_limit(&self) -> Duration {
        self.lease.saturating_sub(self.lease / 5)
    }

    async fn bounded<T>(
        &self,
        operation: &'static str,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.store_timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::new(operation, StoreErrorKind::TimedOut)),
        }
    }

    async fn release(&self, key: &str, token: &LeaseToken) {
        if let Err(error) = self
            .bounded("release", self.store.release(key, token))
            .await
        {
            // The lease expires by itself; until then redeliveries are answered `in_progress`.
            tracing::warn!(%error, "klavi webhook: a lease could not be released");
        }
    }

    /// Marks the key done, trying again (the store may be restarting) until the lease ends:
    /// past it, another replica may take the key and process it again.
    async fn complete(
        &self,
        key: &str,
        token: &LeaseToken,
        lease_ends: tokio::time::Instant,
    ) -> Result<bool, StoreError> {
        let mut pause = Duration::from_millis(50);
        loop {
            match self
                .bounded("complete", self.store.complete(key, token, self.retention))
                .await
            {
                Ok(completed) => return Ok(completed),
                Err(error) if tokio::time::Instant::now() + pause >= lease_ends => {
                    return Err(error);
                }
                Err(_) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    /// Handles the items in order, each under a lease; stops at the first that is in progress
    /// elsewhere or fails.
    pub(crate) async fn run<T, H, Fut, E>(
        self,
        body: VerifiedBody,
        items: Vec<(Range<usize>, String)>,
        handler: Arc<H>,
    ) -> DeliveryOutcome
    where
        T: Deliverable,
        H: Fn(T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Send + 'static,
    {
        let mut outcome = DeliveryOutcome {
            processed: 0,
            duplicates: 0,
            stopped: None,
        };
        for (index, (range, key)) in items.iter().enumerate() {
            let claimed = self
                .bounded("claim", self.store.claim(key, self.lease))
                .await;
            let token = match claimed {
                Ok(Claim::Acquired(token)) => token,
                Ok(Claim::Done) => {
                    outcome.duplicates += 1;
                    continue;
                }
                Ok(Claim::InProgress) => {
                    outcome.stopped = Some(WebhookRejection::InProgress);
                    return outcome;
                }
                Err(error) => {
                    tracing::warn!(%error, "klavi webhook: the delivery store failed");
                    outcome.stopped = Some(WebhookRejection::StoreUnavailable);
                    return outcome;
                }
            };
            let lease_ends = tokio::time::Instant::now() + self.lease;
            let batch = items.len() > 1;
            let item = match read_item::<T>(&body.bytes, range, batch.then_some(index)) {
                Ok(item) => item,
                Err(rejection) => {
                    self.release(key, &token).await;
                    outcome.stopped = Some(rejection);
                    return outcome;
                }
            };
            // The handler is called inside its task: a panic while it builds its future is
            // caught as well.
            let call = Arc::clone(&handler);
            let mut task = tokio::spawn(async move { call(item).await });
            let failure = match tokio::time::timeout(self.handler_limit(), &mut task).await {
                Ok(Ok(Ok(()))) => None,
                Ok(Ok(Err(_))) => Some(WebhookRejection::HandlerFailed),
                Ok(Err(join)) if join.is_panic() => Some(WebhookRejection::HandlerPanicked),
                Ok(Err(_)) => Some(WebhookRejection::HandlerFailed),
                Err(_) => {
                    task.abort();
                    Some(WebhookRejection::HandlerTimedOut)
                }
            };
            if let Some(failure) = failure {
                self.release(key, &token).await;
                outcome.stopped = Some(failure);
                return outcome;
            }
            outcome.processed += 1;
            match self.complete(key, &token, lease_ends).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(
                        "klavi webhook: handled after its lease ended; another replica may process it too"
                    );
                }
                Err(error) => {
                    tracing::warn!(%error, "klavi webhook: handled, but not recorded as done");
                    outcome.stopped = Some(WebhookRejection::StoreUnavailable);
                    return outcome;
                }
            }
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_use_the_id_or_the_signed_bytes() {
        assert_eq!(key_of("event", Some("e-1"), b"{}"), "event:id:e-1");
        let long = "x".repeat(200);
        assert!(key_of("event", Some(&long), b"{}").starts_with("event:id-sha256:"));
        let no_id = key_of("event", None, b"{\"a\":1}");
        assert!(no_id.starts_with("event:body:"));
        assert_eq!(no_id, key_of("event", Some(""), b"{\"a\":1}"));
        assert_ne!(no_id, key_of("event", None, b"{\"a\":2}"));
    }

    #[test]
    fn a_batch_is_split_into_its_elements() {
        let body = br#" [ {"a":1} , {"b":[2]} ]"#;
        let ranges = split::<Event>(body).unwrap();
        let texts: Vec<&[u8]> = ranges.iter().map(|range| &body[range.clone()]).collect();
        assert_eq!(texts, [&br#"{"a":1}"#[..], br#"{"b":[2]}"#]);
        assert_eq!(split::<Event>(b"{}").unwrap(), vec![0..2]);
        assert_eq!(split::<ProductReport>(b"[1]").unwrap(), vec![0..3]);
    }
}
