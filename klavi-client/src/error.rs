//! What can go wrong with a call, as values a program can match on.
//!
//! No variant carries, and no `Display` or `Debug` text prints, a token, a key, a URL (query
//! strings carry CPFs), a request or response body, a decoder message that could quote a value,
//! or any text of the server's: of an API error body only its numeric `statusCode` is kept (a
//! server may echo a CPF, an e-mail or the keys in `error` or `message`).

use std::time::Duration;

use klavi_types::ValidationErrors;
use klavi_types::errors::{ErrorBody, StatusCode};

/// The `statusCode` of an error body, if it is one and the code is an HTTP status or a
/// business code (100 to 9999: a longer number could be a tax id a server echoed).
pub(crate) fn code_of(body: &[u8]) -> Option<StatusCode> {
    let body: ErrorBody = serde_json::from_slice(body).ok()?;
    let number = status_code_number(&body.status_code);
    (100..=9999).contains(&number).then_some(body.status_code)
}

/// Why a [`crate::KlaviClient`] call failed.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The outgoing path, query or body broke its schema; nothing was sent. The violations
    /// carry JSON Pointers, codes and messages, with personal values masked.
    #[error("`{endpoint}`: request not sent: {errors}")]
    Invalid {
        /// The endpoint id (`create-link`).
        endpoint: &'static str,
        /// Every violation.
        errors: ValidationErrors,
    },
    /// The API answered with an error status that is not retried, or retries ran out.
    #[error("`{endpoint}` answered HTTP {status}{}", code_suffix(code.as_ref()))]
    Api {
        /// The endpoint id.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// The `statusCode` of the error body, when it had the documented `{statusCode, error,
        /// message}` shape: the HTTP status again, or for a `416` the business code
        /// (4001–4009). Its `error` and `message` texts are not kept.
        code: Option<StatusCode>,
    },
    /// The request body could not be serialized (a hand-built value of a generated type the
    /// validation let through); nothing was sent.
    #[error("`{endpoint}`: request not sent: its body could not be serialized")]
    Encode {
        /// The endpoint id.
        endpoint: &'static str,
    },
    /// No HTTP answer: the connection could not be made, broke while sending, or the response
    /// body could not be read (after the retries the [policy](crate#retries) allows).
    #[error("`{endpoint}` failed without an answer ({kind})")]
    Transport {
        /// The endpoint id.
        endpoint: &'static str,
        /// What failed.
        kind: TransportKind,
    },
    /// An exchange took longer than [`crate::Config::request_timeout`] (and was not
    /// retried), or the whole call longer than [`crate::Config::deadline`].
    #[error("`{endpoint}` timed out ({kind}, after {after:?})")]
    Timeout {
        /// The endpoint id.
        endpoint: &'static str,
        /// Which limit.
        kind: TimeoutKind,
        /// The limit that was reached.
        after: Duration,
    },
    /// A `2xx` body that does not have the documented shape. Responses are read leniently
    /// (unknown members ignored, unknown enum values kept), so this means a missing member or a
    /// value of the wrong JSON type.
    #[error(
        "`{endpoint}` answered with an unexpected body at `{pointer}` (line {line}, column {column}): {category}"
    )]
    Decode {
        /// The endpoint id.
        endpoint: &'static str,
        /// JSON Pointer (wire names) of the value that could not be read; `""` for the root.
        pointer: String,
        /// Line of the problem in the body (1-based).
        line: usize,
        /// Column of the problem in the body (1-based).
        column: usize,
        /// `syntax`, `data` (the wrong type or a missing member) or `eof`.
        category: &'static str,
    },
    /// The response body is larger than [`crate::Config::max_response_bytes`].
    #[error("`{endpoint}` answered with more than {limit} bytes")]
    TooLarge {
        /// The endpoint id.
        endpoint: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A link-token endpoint was called through [`crate::KlaviClient::send`]; use
    /// [`crate::KlaviClient::send_with_link_token`] with the link's `linkToken`.
    #[error("`{endpoint}` needs a link token: use send_with_link_token")]
    NeedsLinkToken {
        /// The endpoint id.
        endpoint: &'static str,
    },
    /// The endpoint needs a kind of token this client does not know (`TokenKind` is
    /// non-exhaustive); nothing was sent.
    #[error("`{endpoint}` needs a `{kind}` token, which this client cannot send")]
    UnsupportedToken {
        /// The endpoint id.
        endpoint: &'static str,
        /// The token kind, as `TokenKind::as_str` spells it.
        kind: &'static str,
    },
}

fn code_suffix(code: Option<&StatusCode>) -> String {
    code.map(|code| format!(" (statusCode {})", status_code_number(code)))
        .unwrap_or_default()
}

fn status_code_number(code: &StatusCode) -> i64 {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::Number(number)) => number.as_i64().unwrap_or_default(),
        _ => 0,
    }
}

impl ClientError {
    /// The endpoint id of the failed call.
    pub fn endpoint(&self) -> &'static str {
        match self {
            ClientError::Invalid { endpoint, .. }
            | ClientError::Api { endpoint, .. }
            | ClientError::Encode { endpoint }
            | ClientError::Transport { endpoint, .. }
            | ClientError::Timeout { endpoint, .. }
            | ClientError::Decode { endpoint, .. }
            | ClientError::TooLarge { endpoint, .. }
            | ClientError::NeedsLinkToken { endpoint }
            | ClientError::UnsupportedToken { endpoint, .. } => endpoint,
        }
    }

    /// The HTTP status of an [`ClientError::Api`] error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The business code of an HTTP `416` (`statusCode` 4001–4009 in the body, such as
    /// [`StatusCode::InvalidProducts`]); `None` for any other error.
    pub fn business_code(&self) -> Option<&StatusCode> {
        match self {
            ClientError::Api {
                status: 416,
                code: Some(code),
                ..
            } => Some(code),
            _ => None,
        }
    }
}

/// What failed when no HTTP answer came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made (refused, unreachable, DNS, TLS handshake): nothing
    /// was sent.
    Connect,
    /// The connection broke while the request was sent or before the answer's head arrived:
    /// the server may have processed it.
    Send,
    /// The answer's body could not be read to its end.
    Body,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Send => "send",
            TransportKind::Body => "body",
        })
    }
}

/// Which time limit a [`ClientError::Timeout`] reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One exchange ([`crate::Config::request_timeout`]).
    Request,
    /// The whole call ([`crate::Config::deadline`]).
    Deadline,
}

impl std::fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutKind::Request => "request",
            TimeoutKind::Deadline => "deadline",
        })
    }
}

/// Why a [`crate::Config`] was refused by [`crate::KlaviClient::new`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an absolute `http`/`https` URL of a host, without path, query,
    /// fragment or credentials.
    #[error("the base URL must be `https://host[:port]` (or `http://` for a loopback host)")]
    BaseUrl,
    /// An `https` base URL (the sandbox's, production's) in a build without the `rustls`
    /// feature, which brings TLS.
    #[error(
        "an https base URL needs klavi-client's `rustls` feature: `cargo add klavi-client --features rustls`"
    )]
    TlsFeature,
    /// A plain `http` base URL for a host that is not loopback, without
    /// [`crate::Config::allow_plain_http`].
    #[error(
        "plain http to a host that is not loopback would send credentials in clear; use https or set allow_plain_http"
    )]
    PlainHttp,
    /// `max_attempts` is 0.
    #[error("max_attempts must be at least 1")]
    NoAttempts,
    /// `request_timeout` or `deadline` is zero.
    #[error("request_timeout and deadline must be longer than zero")]
    ZeroTimeout,
    /// `max_response_bytes` is 0.
    #[error("max_response_bytes must be at least 1")]
    NoResponseBytes,
    /// `base_backoff` is longer than `max_backoff`.
    #[error("base_backoff must not be longer than max_backoff")]
    Backoff,
    /// The HTTP client could not be built (no TLS backend, say).
    #[error("the HTTP client could not be built")]
    Http,
}
