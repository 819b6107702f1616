//! What the Klavi Data API's HTTP statuses mean (docs §17.2, "Open Finance codes and errors"),
//! and whether a client should retry. The error *body* is [`crate::errors::ErrorBody`].
//!
//! ```
//! use klavi_types::http_status::{self, Retry};
//!
//! let meaning = http_status::meaning(429).unwrap();
//! assert_eq!(meaning.retry, Retry::WithBackoff);
//! assert_eq!(http_status::meaning(416).unwrap().retry, Retry::No);
//! assert!(http_status::meaning(418).is_none());
//! ```

/// Whether a request that got a status is worth sending again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Retry {
    /// No: the request itself is wrong (fix it first).
    No,
    /// After refreshing the access token (or authenticating again).
    AfterNewToken,
    /// Later, with exponential backoff (honour `Retry-After` when present).
    WithBackoff,
}

/// The documented meaning of one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StatusMeaning {
    /// The status code.
    pub status: u16,
    /// What it means for this API.
    pub summary: &'static str,
    /// Whether to retry.
    pub retry: Retry,
}

const fn row(status: u16, summary: &'static str, retry: Retry) -> StatusMeaning {
    StatusMeaning {
        status,
        summary,
        retry,
    }
}

/// Every status the docs describe.
pub const STATUSES: &[StatusMeaning] = &[
    row(200, "Success.", Retry::No),
    row(201, "Success: created.", Retry::No),
    row(400, "Malformed request.", Retry::No),
    row(
        401,
        "The access token is invalid or expired.",
        Retry::AfterNewToken,
    ),
    row(403, "The token lacks the permission.", Retry::No),
    row(404, "Resource not found.", Retry::No),
    row(409, "Conflict (usually an idempotency key).", Retry::No),
    row(
        416,
        "Business processing error: see `statusCode` (4001–4009) in the body.",
        Retry::No,
    ),
    row(422, "Missing required parameters.", Retry::No),
    row(
        429,
        "Rate limit exceeded (TPS set per customer).",
        Retry::WithBackoff,
    ),
    row(500, "Server error.", Retry::WithBackoff),
    row(502, "Server error (bad gateway).", Retry::WithBackoff),
    row(503, "Server error (unavailable).", Retry::WithBackoff),
    row(504, "Server error (gateway timeout).", Retry::WithBackoff),
];

/// The documented meaning of `status`, if the docs describe it.
pub fn meaning(status: u16) -> Option<&'static StatusMeaning> {
    STATUSES.iter().find(|m| m.status == status)
}
