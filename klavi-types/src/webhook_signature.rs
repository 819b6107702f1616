//! Authenticity of Klavi webhooks: the `X-Klavi-Signature` HMAC and the `X-Klavi-Timestamp`
//! header (klavi-api.md §19).
//!
//! Klavi signs every event webhook and product report with HMAC-SHA256 keyed with the
//! partner's `secretKey` and sends the lower-case hex digest in [`SIGNATURE_HEADER`] and the
//! sending time, in Unix seconds, in [`TIMESTAMP_HEADER`].
//!
//! * **Verify the raw body.** [`verify`] and [`Verifier::verify`] compute the HMAC over the
//!   request body *exactly as received*, byte for byte. Klavi's Node sample computes it over
//!   `JSON.stringify(body)` of a parsed body, which only works while re-serializing happens to
//!   reproduce the bytes Klavi sent; parsing and re-serializing (in any language) may reorder
//!   members, change whitespace, number spellings or string escapes, and then an authentic
//!   request is rejected. Read the body as bytes, verify, and only then parse it.
//! * **Constant time.** The digest is compared with [`Mac::verify_slice`], which does not leak
//!   how many leading bytes matched. Upper- or lower-case hex and surrounding ASCII whitespace
//!   are accepted in the header value; anything that is not 64 hex digits is
//!   [`SignatureError::Malformed`].
//! * **The timestamp is NOT covered by the HMAC.** Klavi's documentation does not say the
//!   timestamp is signed, and it cannot be checked to be: an attacker who captured a request
//!   can replay it with a fresh `X-Klavi-Timestamp`. The tolerance of
//!   [`Verifier::with_tolerance`] therefore only limits replays of captured requests whose
//!   timestamp header was left unchanged. To be safe against replays, de-duplicate deliveries
//!   by the envelope's `eventId` (product reports: `productReportId`), as Klavi recommends;
//!   Klavi itself retries deliveries, so duplicates also arrive legitimately.
//! * **Private.** Nothing here logs or formats the secret key or the signature: the
//!   [`SignatureError`] messages name the failed check only. Nothing here panics.
//!
//! When payload encryption (AES-256) is switched on in the Console, the documentation does not
//! say whether the HMAC covers the ciphertext or the plaintext; verify the body as received.
//!
//! # Example: a web handler
//!
//! ```
//! use std::time::{Duration, SystemTime};
//!
//! use klavi_types::secret::Secret;
//! use klavi_types::webhook_signature::{
//!     SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier, headers_for,
//! };
//!
//! /// What a web framework hands to a handler: header lookup and the raw body bytes.
//! struct Request {
//!     headers: Vec<(String, String)>,
//!     body: Vec<u8>,
//! }
//!
//! impl Request {
//!     fn header(&self, name: &str) -> Option<&str> {
//!         self.headers
//!             .iter()
//!             .find(|(key, _)| key.eq_ignore_ascii_case(name))
//!             .map(|(_, value)| value.as_str())
//!     }
//! }
//!
//! /// Returns the HTTP status to answer with.
//! fn klavi_webhook(verifier: &Verifier, request: &Request) -> u16 {
//!     let Some(signature) = request.header(SIGNATURE_HEADER) else {
//!         return 401;
//!     };
//!     let timestamp = request.header(TIMESTAMP_HEADER);
//!     if let Err(error) = verifier.verify(&request.body, signature, timestamp, SystemTime::now()) {
//!         // Safe to log: the message and code never contain the secret or the signature.
//!         eprintln!("rejected Klavi webhook: {error} [{}]", error.code());
//!         return 401;
//!     }
//!     // Authentic: only now parse the body, then de-duplicate by `eventId`.
//!     let _events: serde_json::Value = match serde_json::from_slice(&request.body) {
//!         Ok(events) => events,
//!         Err(_) => return 400,
//!     };
//!     200
//! }
//!
//! // The secret key comes from configuration, never from source code.
//! let secret = Secret::new("partner-secret-key");
//! let verifier = Verifier::new(secret.clone()).with_tolerance(Duration::from_secs(300));
//!
//! // A delivery as Klavi would send it (signed here with the test helper `headers_for`).
//! let body = br#"[{"eventId":"1495468585434-0e73d1719173766fe4dfe1a8","eventName":"link_created"}]"#;
//! let request = Request {
//!     headers: headers_for(&secret, body, SystemTime::now())
//!         .map(|(name, value)| (name.to_owned(), value))
//!         .to_vec(),
//!     body: body.to_vec(),
//! };
//! assert_eq!(klavi_webhook(&verifier, &request), 200);
//!
//! // One changed byte and the request is rejected.
//! let mut forged = request;
//! forged.body[10] ^= 0x20;
//! assert_eq!(klavi_webhook(&verifier, &forged), 401);
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// The header carrying the hex HMAC-SHA256 digest of the body: `X-Klavi-Signature`.
pub const SIGNATURE_HEADER: &str = "X-Klavi-Signature";

/// The header carrying the sending time in Unix seconds: `X-Klavi-Timestamp`. It is not
/// covered by the HMAC (see the [module documentation](self)).
pub const TIMESTAMP_HEADER: &str = "X-Klavi-Timestamp";

/// A reasonable tolerance for [`Verifier::with_tolerance`]: five minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The length in bytes of an HMAC-SHA256 digest (64 hex digits).
const DIGEST_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// The HMAC keyed with `secret_key`, or `None` if the key were rejected (HMAC accepts keys of
/// any length, so it never is).
fn keyed(secret_key: &Secret) -> Option<HmacSha256> {
    HmacSha256::new_from_slice(secret_key.expose_secret().as_bytes()).ok()
}

/// The lower-case hex HMAC-SHA256 of `body` keyed with `secret_key`: the value Klavi sends in
/// [`SIGNATURE_HEADER`].
///
/// A helper for tests and fake servers; receivers call [`verify`] or [`Verifier::verify`],
/// which compare in constant time (comparing this string with `==` would not).
pub fn sign(secret_key: &Secret, body: &[u8]) -> String {
    keyed(secret_key).map_or_else(String::new, |mut mac| {
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    })
}

/// Checks that `signature_hex` (the value of [`SIGNATURE_HEADER`]) is the HMAC-SHA256 of the
/// raw `body` keyed with `secret_key`.
///
/// `body` must be the request body exactly as received, never JSON parsed and re-serialized.
/// The comparison runs in constant time. Upper- and lower-case hex digits and surrounding
/// ASCII whitespace are accepted. The timestamp is not checked; see [`Verifier`].
///
/// # Errors
///
/// [`SignatureError::Malformed`] when `signature_hex` is not 64 hex digits (empty, wrong
/// length, other characters), [`SignatureError::Mismatch`] when it is the digest of another
/// body or of another key.
pub fn verify(secret_key: &Secret, body: &[u8], signature_hex: &str) -> Result<(), SignatureError> {
    let signature = digest_of(signature_hex)?;
    let mut mac = keyed(secret_key).ok_or(SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&signature)
        .map_err(|_| SignatureError::Mismatch)
}

/// The digest a signature header spells: 64 hex digits (either case), surrounding ASCII
/// whitespace ignored.
fn digest_of(signature_hex: &str) -> Result<[u8; DIGEST_LEN], SignatureError> {
    let mut digest = [0u8; DIGEST_LEN];
    hex::decode_to_slice(signature_hex.trim_ascii(), &mut digest)
        .map_err(|_| SignatureError::Malformed)?;
    Ok(digest)
}

/// Both webhook headers for `body` sent at `now`: `[(SIGNATURE_HEADER, hex digest),
/// (TIMESTAMP_HEADER, Unix seconds)]`, as Klavi sends them.
///
/// A helper for tests and fake servers. A `now` before 1970 gives the timestamp `0`.
pub fn headers_for(
    secret_key: &Secret,
    body: &[u8],
    now: SystemTime,
) -> [(&'static str, String); 2] {
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    [
        (SIGNATURE_HEADER, sign(secret_key, body)),
        (TIMESTAMP_HEADER, seconds.to_string()),
    ]
}

/// Verifies webhook deliveries: the signature always, the timestamp when a tolerance is set.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// use klavi_types::secret::Secret;
/// use klavi_types::webhook_signature::{SignatureError, Verifier, sign};
///
/// let secret = Secret::new("partner-secret-key");
/// let body = br#"[{"eventId":"1"}]"#;
/// let signature = sign(&secret, body);
/// let now = UNIX_EPOCH + Duration::from_secs(1_740_716_924);
///
/// let verifier = Verifier::new(secret).with_tolerance(Duration::from_secs(300));
/// assert_eq!(verifier.verify(body, &signature, Some("1740716924"), now), Ok(()));
/// assert_eq!(
///     verifier.verify(body, &signature, Some("1740716000"), now),
///     Err(SignatureError::StaleTimestamp)
/// );
/// assert_eq!(
///     verifier.verify(body, &signature, None, now),
///     Err(SignatureError::MissingTimestamp)
/// );
/// ```
///
/// The timestamp is **not** covered by the HMAC, so the tolerance only limits replays of
/// captured requests whose timestamp header was left unchanged; de-duplicate by `eventId` too
/// (see the [module documentation](self)).
///
/// `Debug` prints the secret key as `[REDACTED]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    secret: Secret,
    tolerance: Option<Duration>,
}

impl Verifier {
    /// A verifier of signatures made with `secret_key` that ignores the timestamp.
    pub fn new(secret_key: Secret) -> Self {
        Verifier {
            secret: secret_key,
            tolerance: None,
        }
    }

    /// Also requires [`TIMESTAMP_HEADER`] to be present, a non-negative integer of Unix
    /// seconds, and within `tolerance` of the current time, before or after it (clocks drift
    /// both ways). [`DEFAULT_TOLERANCE`] is five minutes.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// The timestamp tolerance, if the timestamp is checked.
    pub fn tolerance(&self) -> Option<Duration> {
        self.tolerance
    }

    /// Checks what the headers alone can settle, before a body is read: the signature is 64
    /// hex digits, and (when a tolerance is set) the timestamp is present and within it. A
    /// receiver calls this first, so that a forged or stale delivery costs no body read;
    /// [`Verifier::verify`] then checks the HMAC of the body (and repeats these checks).
    ///
    /// # Errors
    ///
    /// [`SignatureError::Malformed`], [`SignatureError::MissingTimestamp`],
    /// [`SignatureError::InvalidTimestamp`] or [`SignatureError::StaleTimestamp`]; never
    /// [`SignatureError::Mismatch`], which needs the body.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// use klavi_types::secret::Secret;
    /// use klavi_types::webhook_signature::{SignatureError, Verifier};
    ///
    /// let verifier = Verifier::new(Secret::new("k")).with_tolerance(Duration::from_secs(300));
    /// let now = UNIX_EPOCH + Duration::from_secs(1_740_716_924);
    /// let digest = "0".repeat(64);
    /// assert_eq!(verifier.check_headers(&digest, Some("1740716900"), now), Ok(()));
    /// assert_eq!(
    ///     verifier.check_headers("abc", Some("1740716900"), now),
    ///     Err(SignatureError::Malformed)
    /// );
    /// assert_eq!(
    ///     verifier.check_headers(&digest, Some("1740000000"), now),
    ///     Err(SignatureError::StaleTimestamp)
    /// );
    /// ```
    pub fn check_headers(
        &self,
        signature_hex: &str,
        timestamp: Option<&str>,
        now: SystemTime,
    ) -> Result<(), SignatureError> {
        digest_of(signature_hex)?;
        match self.tolerance {
            None => Ok(()),
            Some(tolerance) => check_timestamp(timestamp, tolerance, now),
        }
    }

    /// Verifies one delivery: `body` exactly as received, the values of [`SIGNATURE_HEADER`]
    /// and [`TIMESTAMP_HEADER`] (`None` when absent), and the current time (pass
    /// [`SystemTime::now`]; tests pass a fixed time).
    ///
    /// The signature is checked first, as by [`verify`]; then, when a tolerance is set, the
    /// timestamp: it may be surrounded by ASCII whitespace, must otherwise be ASCII digits
    /// only, and must lie within the tolerance of `now` truncated to whole seconds. Without a
    /// tolerance the timestamp is ignored.
    ///
    /// # Errors
    ///
    /// The first failed check: [`SignatureError::Malformed`], [`SignatureError::Mismatch`],
    /// [`SignatureError::MissingTimestamp`], [`SignatureError::InvalidTimestamp`] or
    /// [`SignatureError::StaleTimestamp`].
    pub fn verify(
        &self,
        body: &[u8],
        signature_hex: &str,
        timestamp: Option<&str>,
        now: SystemTime,
    ) -> Result<(), SignatureError> {
        verify(&self.secret, body, signature_hex)?;
        match self.tolerance {
            None => Ok(()),
            Some(tolerance) => check_timestamp(timestamp, tolerance, now),
        }
    }
}

/// Checks the value of [`TIMESTAMP_HEADER`] against `now` and `tolerance`.
fn check_timestamp(
    timestamp: Option<&str>,
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let timestamp = timestamp
        .ok_or(SignatureError::MissingTimestamp)?
        .trim_ascii();
    // `u64::from_str` would also take a leading `+`.
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::InvalidTimestamp);
    }
    let sent = timestamp
        .parse::<u64>()
        .map_err(|_| SignatureError::InvalidTimestamp)?;
    let now = unix_seconds(now);
    let skew = now.abs_diff(i128::from(sent));
    match u64::try_from(skew) {
        Ok(skew) if Duration::from_secs(skew) <= tolerance => Ok(()),
        _ => Err(SignatureError::StaleTimestamp),
    }
}

/// `time` in whole Unix seconds, rounded down (negative before 1970).
fn unix_seconds(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i128::from(since.as_secs()),
        Err(error) => {
            let before = error.duration();
            -i128::from(before.as_secs()) - i128::from(before.subsec_nanos() > 0)
        }
    }
}

/// Why a webhook delivery is not authentic.
///
/// The messages name the failed check only: never the secret key, the signature or the body.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureError {
    /// The signature is not 64 hex digits (empty, wrong length or other characters).
    Malformed,
    /// The signature is not the HMAC of this body with this key: the body was altered, or the
    /// key is not the one Klavi signs with.
    Mismatch,
    /// A tolerance is set and the timestamp header is absent.
    MissingTimestamp,
    /// The timestamp is not a non-negative integer of Unix seconds.
    InvalidTimestamp,
    /// The timestamp is further from the current time than the tolerance (past or future).
    StaleTimestamp,
}

impl SignatureError {
    /// A stable machine-readable code: `signature_malformed`, `signature_mismatch`,
    /// `timestamp_missing`, `timestamp_invalid` or `timestamp_stale`.
    pub fn code(self) -> &'static str {
        match self {
            SignatureError::Malformed => "signature_malformed",
            SignatureError::Mismatch => "signature_mismatch",
            SignatureError::MissingTimestamp => "timestamp_missing",
            SignatureError::InvalidTimestamp => "timestamp_invalid",
            SignatureError::StaleTimestamp => "timestamp_stale",
        }
    }

    /// A human-readable message (the `Display` text), without any secret or header value.
    pub fn message(self) -> &'static str {
        match self {
            SignatureError::Malformed => {
                "the X-Klavi-Signature header is not a 64-digit hex HMAC-SHA256 digest"
            }
            SignatureError::Mismatch => {
                "the X-Klavi-Signature header does not match the body \
                 (the body was altered or the secret key is wrong)"
            }
            SignatureError::MissingTimestamp => "the X-Klavi-Timestamp header is missing",
            SignatureError::InvalidTimestamp => {
                "the X-Klavi-Timestamp header is not a non-negative integer of Unix seconds"
            }
            SignatureError::StaleTimestamp => {
                "the X-Klavi-Timestamp header is outside the allowed tolerance of the current time"
            }
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SignatureError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_rounds_down() {
        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1_999)), 1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1)), -1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(2)), -2);
    }

    #[test]
    fn timestamp_tolerance_is_inclusive_and_symmetric() {
        let now = UNIX_EPOCH + Duration::from_millis(1_000_900);
        let tolerance = Duration::from_secs(10);
        assert_eq!(check_timestamp(Some("990"), tolerance, now), Ok(()));
        assert_eq!(check_timestamp(Some("1010"), tolerance, now), Ok(()));
        assert_eq!(
            check_timestamp(Some("989"), tolerance, now),
            Err(SignatureError::StaleTimestamp)
        );
        assert_eq!(
            check_timestamp(Some("1011"), tolerance, now),
            Err(SignatureError::StaleTimestamp)
        );
        assert_eq!(
            check_timestamp(Some(&u64::MAX.to_string()), tolerance, now),
            Err(SignatureError::StaleTimestamp)
        );
        assert_eq!(
            check_timestamp(Some("+1000"), tolerance, now),
            Err(SignatureError::InvalidTimestamp)
        );
        assert_eq!(
            check_timestamp(Some("99999999999999999999999"), tolerance, now),
            Err(SignatureError::InvalidTimestamp)
        );
    }
}
