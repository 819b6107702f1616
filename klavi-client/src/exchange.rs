//! One HTTP exchange: the request sent, the answer's status, `Retry-After` and body read up to
//! the size limit. Failures are reduced to what is safe to report (reqwest's errors carry the
//! URL, whose query may hold a CPF).

use std::time::{Duration, SystemTime};

use klavi_types::secret::Secret;
use klavi_types::{Endpoint, Method, TokenKind};

use crate::error::TransportKind;
use crate::retry::{Outcome, parse_retry_after};

/// One call's fixed parts.
pub(crate) struct Call {
    pub(crate) endpoint: &'static str,
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) url: String,
    /// The JSON body, shared by every attempt without a copy.
    pub(crate) body: Option<bytes::Bytes>,
    /// Repeating it cannot create a second resource.
    pub(crate) idempotent: bool,
}

impl Call {
    /// A call of endpoint `E` at `base` + `path` (its parameters filled in), with `body`.
    pub(crate) fn of<E: Endpoint>(base: &str, path: &str, body: Option<Vec<u8>>) -> Self {
        Call {
            endpoint: E::ID,
            method: E::METHOD,
            path_template: E::PATH,
            url: format!("{base}{path}"),
            body: body.map(bytes::Bytes::from),
            idempotent: is_idempotent(E::METHOD, E::TOKEN),
        }
    }
}

/// Whether repeating a call cannot create a second resource: every method but `POST`, and
/// `POST /auth` (a second token is harmless). `POST /links`, `/consents`, the report requests
/// and `/mfa` are not repeated after an answer that may mean they were processed.
pub(crate) fn is_idempotent(method: Method, token: TokenKind) -> bool {
    method != Method::Post || token == TokenKind::None
}

/// An HTTP answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

/// Why an exchange gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    Transport(TransportKind),
    TimedOut,
    TooLarge,
}

impl Failure {
    /// The outcome for the retry policy; `None` for a body over the limit, which another
    /// attempt would not change.
    pub(crate) fn outcome(self) -> Option<Outcome> {
        match self {
            Failure::Transport(kind) => Some(Outcome::Transport(kind)),
            Failure::TimedOut => Some(Outcome::TimedOut),
            Failure::TooLarge => None,
        }
    }
}

impl From<reqwest::Error> for Failure {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Failure::TimedOut
        } else if error.is_connect() {
            Failure::Transport(TransportKind::Connect)
        } else if error.is_body() || error.is_decode() {
            Failure::Transport(TransportKind::Body)
        } else {
            Failure::Transport(TransportKind::Send)
        }
    }
}

/// Sends `call` once with `bearer` and reads the answer, at most `limit` body bytes.
pub(crate) async fn transmit(
    http: &reqwest::Client,
    call: &Call,
    bearer: Option<&Secret>,
    limit: usize,
) -> Result<Answer, Failure> {
    // `Method` is non-exhaustive: go through its request-line spelling, which any later method
    // also has.
    let method = reqwest::Method::from_bytes(call.method.as_str().as_bytes())
        .map_err(|_| Failure::Transport(TransportKind::Connect))?;
    let mut request = http
        .request(method, call.url.as_str())
        .header(reqwest::header::ACCEPT, "application/json");
    if let Some(token) = bearer {
        let mut value =
            reqwest::header::HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
                .map_err(|_| Failure::Transport(TransportKind::Connect))?;
        value.set_sensitive(true);
        request = request.header(reqwest::header::AUTHORIZATION, value);
    }
    if let Some(body) = &call.body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone());
    }
    let mut response = request.send().await?;
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(Failure::TooLarge);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, SystemTime::now()));
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(Failure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}
