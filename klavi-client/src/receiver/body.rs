//! Reading a delivery cheaply: what the headers settle is checked before any body byte is read,
//! the body is read under a time limit and a byte budget shared by every request in flight, then
//! its HMAC is checked.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_LENGTH;
use bytes::Bytes;
use http_body_util::BodyExt;
use klavi_types::webhook_signature::{
    SIGNATURE_HEADER, SignatureError, TIMESTAMP_HEADER, Verifier,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::rejection::WebhookRejection;

/// The budget is counted in KiB, so that a semaphore's `u32` permits cover any body.
const KIB: usize = 1024;

/// How long a request waits for its share of a spent budget before `503 receiver_busy`: long
/// enough to ride out a burst, short enough not to hold a connection for an attacker.
const BUDGET_WAIT: Duration = Duration::from_millis(250);

/// The limits of one receiver's reads.
#[derive(Debug, Clone)]
pub(crate) struct BodyLimits {
    /// The largest body accepted (`413` above).
    pub max_body: usize,
    /// How long reading one body may take, from its first byte awaited to its last.
    pub timeout: Duration,
    /// Bytes of body held at once by all the requests of this receiver, in KiB.
    pub budget: Arc<Semaphore>,
}

impl BodyLimits {
    /// Limits with a budget of `budget_bytes` (at least the largest body).
    pub fn new(max_body: usize, timeout: Duration, budget_bytes: usize) -> Self {
        let kib = budget_bytes.max(max_body).div_ceil(KIB);
        let kib = kib.min(Semaphore::MAX_PERMITS);
        BodyLimits {
            max_body,
            timeout,
            budget: Arc::new(Semaphore::new(kib)),
        }
    }
}

/// A verified body, with the share of the budget it holds until it is dropped.
#[derive(Debug)]
pub(crate) struct VerifiedBody {
    pub bytes: Bytes,
    _budget: Vec<OwnedSemaphorePermit>,
}

/// The value of `name`, if present and visible ASCII.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<Result<&'a str, ()>> {
    headers
        .get(name)
        .map(|value| value.to_str().map_err(|_| ()))
}

/// Checks the headers, reads the body within the limits, verifies its HMAC.
pub(crate) async fn read_verified(
    verifier: &Verifier,
    limits: &BodyLimits,
    headers: &HeaderMap,
    body: Body,
) -> Result<VerifiedBody, WebhookRejection> {
    let signature = match header(headers, SIGNATURE_HEADER) {
        Some(Ok(signature)) => signature,
        _ => return Err(WebhookRejection::MissingSignature),
    };
    let timestamp = match header(headers, TIMESTAMP_HEADER) {
        Some(Ok(timestamp)) => Some(timestamp),
        Some(Err(())) => {
            return Err(WebhookRejection::NotAuthentic(
                SignatureError::InvalidTimestamp,
            ));
        }
        None => None,
    };
    verifier
        .check_headers(signature, timestamp, SystemTime::now())
        .map_err(WebhookRejection::NotAuthentic)?;
    let declared = match header(headers, CONTENT_LENGTH.as_str()) {
        None => None,
        Some(Ok(length)) => match length.parse::<u64>() {
            Ok(length) => Some(length),
            Err(_) => return Err(WebhookRejection::Body { too_large: false }),
        },
        Some(Err(())) => return Err(WebhookRejection::Body { too_large: false }),
    };
    if declared.is_some_and(|length| length > limits.max_body as u64) {
        return Err(WebhookRejection::Body { too_large: true });
    }
    let deadline = Instant::now() + limits.timeout;
    let read = read_within(limits, declared, body, deadline);
    let body = match tokio::time::timeout_at(deadline, read).await {
        Ok(read) => read?,
        Err(_) => return Err(WebhookRejection::BodyTimeout),
    };
    verifier
        .verify(&body.bytes, signature, timestamp, SystemTime::now())
        .map_err(WebhookRejection::NotAuthentic)?;
    Ok(body)
}

/// Takes `kib` of the budget, waiting [`BUDGET_WAIT`] (and until `deadline`) at most.
async fn take_budget(
    limits: &BodyLimits,
    kib: usize,
    deadline: Instant,
) -> Result<OwnedSemaphorePermit, WebhookRejection> {
    let kib = u32::try_from(kib).map_err(|_| WebhookRejection::Body { too_large: true })?;
    let acquire = Arc::clone(&limits.budget).acquire_many_owned(kib);
    let deadline = deadline.min(Instant::now() + BUDGET_WAIT);
    match tokio::time::timeout_at(deadline, acquire).await {
        Ok(Ok(permit)) => Ok(permit),
        // Closed (never: the receiver holds it) or out of time.
        _ => Err(WebhookRejection::Busy),
    }
}

/// Reads the body: with a declared length, its share of the budget first and one allocation of
/// that size; without, the budget chunk by chunk as the body grows.
async fn read_within(
    limits: &BodyLimits,
    declared: Option<u64>,
    body: Body,
    deadline: Instant,
) -> Result<VerifiedBody, WebhookRejection> {
    let mut budget = Vec::new();
    let mut held_kib = 0usize;
    let mut buffer = match declared {
        Some(length) => {
            // At most `max_body` (checked above), so it fits in usize.
            let length = usize::try_from(length).unwrap_or(limits.max_body);
            held_kib = length.div_ceil(KIB);
            budget.push(take_budget(limits, held_kib, deadline).await?);
            Vec::with_capacity(length)
        }
        None => Vec::new(),
    };
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| WebhookRejection::Body { too_large: false })?;
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers
        };
        let length = buffer.len() + chunk.len();
        if length > limits.max_body || declared.is_some_and(|declared| length as u64 > declared) {
            return Err(WebhookRejection::Body {
                too_large: length > limits.max_body,
            });
        }
        let needed_kib = length.div_ceil(KIB);
        if needed_kib > held_kib {
            budget.push(take_budget(limits, needed_kib - held_kib, deadline).await?);
            held_kib = needed_kib;
        }
        buffer.extend_from_slice(&chunk);
    }
    if declared.is_some_and(|declared| buffer.len() as u64 != declared) {
        return Err(WebhookRejection::Body { too_large: false });
    }
    Ok(VerifiedBody {
        bytes: Bytes::from(buffer),
        _budget: budget,
    })
}
