//! A small, complete Klavi Data API client on top of `klavi-types` and `reqwest`: one generic
//! [`KlaviClient::send`] for every endpoint (through the [`Endpoint`] trait), validation before
//! anything leaves the process, the access token obtained, refreshed and renewed on its own,
//! and retries with exponential backoff where retrying is safe.
//!
//! The workspace test `tests/tests/client_flow.rs` compiles this very file and runs it against
//! the fake Klavi server; `main.rs` next to it is a command-line driver.
//!
//! # Retry policy
//!
//! | Answer | Retried? |
//! |---|---|
//! | `429 Too Many Requests` | always, after `Retry-After` seconds (capped by [`Config::max_retry_after`]), else backoff |
//! | `503 Service Unavailable` | always: the server says it did not process the request |
//! | `500`, `502`, `504`, a broken connection after sending | only idempotent calls (`GET`, `PUT`, `DELETE`, and `POST /auth`): a `POST /links` may have been processed, and repeating it would create a second link |
//! | connection refused (nothing was sent) | always |
//! | `401` on an access-token call | once, after getting a new token |
//! | any other status | never: [`ClientError::Api`] |
//!
//! Backoff is exponential from [`Config::base_backoff`], doubled per attempt, capped at
//! [`Config::max_backoff`], with up to 50 % jitter; at most [`Config::max_attempts`] attempts.
//!
//! # Privacy
//!
//! Tokens and keys are [`Secret`]s; no error message here carries a URL (query strings carry
//! CPFs), a body, a token or a decoder message that could quote a value.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use klavi_types::auth::{GenerateAccessToken, GenerateAccessTokenRequest, RefreshAccessToken};
use klavi_types::errors::ErrorBody;
use klavi_types::secret::Secret;
use klavi_types::{Endpoint, Method, TokenKind, Validate, ValidationErrors};

/// The most bytes read from one response body.
pub const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// Where and how to call the API.
#[derive(Clone, Debug)]
pub struct Config {
    /// Scheme and host, without a trailing slash (`https://api-sandbox.klavi.ai`).
    pub base_url: String,
    /// The application's `accessKey`.
    pub access_key: Secret,
    /// The application's `secretKey` (also the webhook signing key).
    pub secret_key: Secret,
    /// Attempts per call, the first one included.
    pub max_attempts: u32,
    /// The first backoff delay.
    pub base_backoff: Duration,
    /// The longest backoff delay.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one fails the call with the 429.
    pub max_retry_after: Duration,
    /// Refresh the access token when less than this is left of its lifetime.
    pub refresh_margin: Duration,
    /// Timeout of one HTTP exchange.
    pub request_timeout: Duration,
}

impl Config {
    /// Defaults: 5 attempts, backoff 250 ms to 8 s, `Retry-After` up to 60 s, refresh 60 s
    /// before expiry, 30 s per exchange.
    pub fn new(base_url: impl Into<String>, access_key: Secret, secret_key: Secret) -> Self {
        Config {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            access_key,
            secret_key,
            max_attempts: 5,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            refresh_margin: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a call failed. `Display` never prints a token, a URL or a payload value.
#[derive(Debug)]
pub enum ClientError {
    /// The outgoing message broke its schema; nothing was sent.
    Invalid(ValidationErrors),
    /// A link-token endpoint was called through [`KlaviClient::send`].
    NeedsLinkToken(&'static str),
    /// The endpoint needs a kind of token this client does not know (`TokenKind` is
    /// non-exhaustive: a newer `klavi-types` may add one); nothing was sent.
    UnsupportedToken {
        /// The endpoint id.
        endpoint: &'static str,
        /// The token kind, as `TokenKind::as_str` spells it.
        kind: &'static str,
    },
    /// The API answered with an error status that is not retried (or retries ran out).
    Api {
        /// The endpoint id.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// The error body, when it had the documented shape.
        body: Option<ErrorBody>,
    },
    /// No HTTP answer: connection, timeout or body errors (retries ran out).
    Transport {
        /// The endpoint id.
        endpoint: &'static str,
        /// What failed (`connect`, `timeout`, `body`, `request`).
        kind: &'static str,
    },
    /// The response body is larger than [`MAX_RESPONSE_BYTES`].
    TooLarge {
        /// The endpoint id.
        endpoint: &'static str,
    },
    /// The 2xx body does not have the documented shape.
    Decode {
        /// The endpoint id.
        endpoint: &'static str,
        /// Line of the problem in the body.
        line: usize,
        /// Column of the problem in the body.
        column: usize,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Invalid(errors) => write!(f, "request not sent: {errors}"),
            ClientError::NeedsLinkToken(endpoint) => {
                write!(
                    f,
                    "`{endpoint}` needs a link token: use send_with_link_token"
                )
            }
            ClientError::UnsupportedToken { endpoint, kind } => {
                write!(
                    f,
                    "`{endpoint}` needs a `{kind}` token, which this client cannot send"
                )
            }
            ClientError::Api {
                endpoint,
                status,
                body,
            } => {
                write!(f, "`{endpoint}` answered HTTP {status}")?;
                if let Some(body) = body {
                    write!(f, " (statusCode {})", body.status_code)?;
                }
                Ok(())
            }
            ClientError::Transport { endpoint, kind } => {
                write!(f, "`{endpoint}` failed without an answer ({kind})")
            }
            ClientError::TooLarge { endpoint } => write!(
                f,
                "`{endpoint}` answered with more than {MAX_RESPONSE_BYTES} bytes"
            ),
            ClientError::Decode {
                endpoint,
                line,
                column,
            } => write!(
                f,
                "`{endpoint}` answered with an unexpected body (line {line}, column {column})"
            ),
        }
    }
}

impl std::error::Error for ClientError {}

/// What the client did besides the calls themselves (for logs and tests).
#[derive(Debug, Default)]
pub struct Stats {
    /// `POST /auth` exchanges that returned a token.
    pub authentications: AtomicU64,
    /// `GET /refresh` exchanges that returned a token.
    pub refreshes: AtomicU64,
    /// Retries after 429, 5xx or a transport error.
    pub retries: AtomicU64,
    /// Calls repeated after a 401 with a new token.
    pub renewals_after_401: AtomicU64,
}

struct CachedToken {
    token: Secret,
    expires_at: Instant,
}

/// One HTTP answer.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// A Klavi Data API client. Cheap to share behind an `Arc`; concurrent calls share one token.
pub struct KlaviClient {
    http: reqwest::Client,
    config: Config,
    token: tokio::sync::Mutex<Option<CachedToken>>,
    stats: Stats,
}

impl KlaviClient {
    /// A client for `config`.
    ///
    /// # Errors
    ///
    /// When the HTTP client cannot be built (no TLS backend for an `https` base URL, say).
    pub fn new(config: Config) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .build()?;
        Ok(KlaviClient {
            http,
            config,
            token: tokio::sync::Mutex::new(None),
            stats: Stats::default(),
        })
    }

    /// Counters of authentications, refreshes and retries.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Calls an endpoint that needs the access token (or none): validates `path`, `query` and
    /// `body`, sends, retries as the [module](self) describes, and decodes the response.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn send<E: Endpoint>(
        &self,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
    ) -> Result<E::Response, ClientError> {
        if E::TOKEN == TokenKind::Link {
            return Err(ClientError::NeedsLinkToken(E::ID));
        }
        self.execute::<E>(None, path, query, body).await
    }

    /// Calls an endpoint with the front-end `linkToken` of a link (institutions, consents,
    /// tasks). Endpoints of other token kinds use their own token as [`KlaviClient::send`] does.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn send_with_link_token<E: Endpoint>(
        &self,
        link_token: &Secret,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
    ) -> Result<E::Response, ClientError> {
        self.execute::<E>(Some(link_token), path, query, body).await
    }

    async fn execute<E: Endpoint>(
        &self,
        link_token: Option<&Secret>,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
    ) -> Result<E::Response, ClientError> {
        // Nothing leaves the process unless all three parts are valid.
        path.validate().map_err(ClientError::Invalid)?;
        query.validate().map_err(ClientError::Invalid)?;
        body.validate().map_err(ClientError::Invalid)?;
        let mut url = format!("{}{}", self.config.base_url, E::path(path));
        if let Some(query) = E::query_string(query) {
            url.push('?');
            url.push_str(&query);
        }
        let payload = if E::HAS_BODY {
            // Serializing a validated generated type cannot fail (string keys, finite numbers).
            Some(serde_json::to_vec(body).map_err(|_| ClientError::Decode {
                endpoint: E::ID,
                line: 0,
                column: 0,
            })?)
        } else {
            None
        };
        let call = Call {
            endpoint: E::ID,
            method: E::METHOD,
            url: &url,
            body: payload.as_deref(),
            idempotent: E::METHOD != Method::Post || E::TOKEN == TokenKind::None,
        };
        let answer = match E::TOKEN {
            TokenKind::None => self.call_with_retries(&call, None).await?,
            TokenKind::Link => match link_token {
                Some(token) => self.call_with_retries(&call, Some(token)).await?,
                None => return Err(ClientError::NeedsLinkToken(E::ID)),
            },
            TokenKind::Access => {
                let token = self.access_token(false).await?;
                match self.call_with_retries(&call, Some(&token)).await {
                    Err(ClientError::Api { status: 401, .. }) => {
                        self.stats
                            .renewals_after_401
                            .fetch_add(1, Ordering::Relaxed);
                        let token = self.access_token(true).await?;
                        self.call_with_retries(&call, Some(&token)).await?
                    }
                    other => other?,
                }
            }
            other => {
                return Err(ClientError::UnsupportedToken {
                    endpoint: E::ID,
                    kind: other.as_str(),
                });
            }
        };
        decode::<E::Response>(E::ID, &answer.body)
    }

    /// The access token: the cached one while it has more than the refresh margin left,
    /// refreshed when it is about to expire, a new one from `POST /auth` when it expired, was
    /// refused (`renew`), or refreshing failed. One caller at a time renews it.
    async fn access_token(&self, renew: bool) -> Result<Secret, ClientError> {
        let mut cached = self.token.lock().await;
        let now = Instant::now();
        if let Some(current) = cached.as_ref().filter(|_| !renew) {
            if current.expires_at > now + self.config.refresh_margin {
                return Ok(current.token.clone());
            }
            if current.expires_at > now
                && let Ok(fresh) = self.refresh(&current.token).await
            {
                self.stats.refreshes.fetch_add(1, Ordering::Relaxed);
                let token = fresh.token.clone();
                *cached = Some(fresh);
                return Ok(token);
            }
        }
        let fresh = self.authenticate().await?;
        self.stats.authentications.fetch_add(1, Ordering::Relaxed);
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn authenticate(&self) -> Result<CachedToken, ClientError> {
        let request = GenerateAccessTokenRequest::new(
            self.config.access_key.clone(),
            self.config.secret_key.clone(),
        );
        let body = serde_json::to_vec(&request).map_err(|_| ClientError::Decode {
            endpoint: GenerateAccessToken::ID,
            line: 0,
            column: 0,
        })?;
        let url = format!("{}{}", self.config.base_url, GenerateAccessToken::PATH);
        let call = Call {
            endpoint: GenerateAccessToken::ID,
            method: GenerateAccessToken::METHOD,
            url: &url,
            body: Some(&body),
            idempotent: true,
        };
        let answer = self.call_with_retries(&call, None).await?;
        let token: <GenerateAccessToken as Endpoint>::Response =
            decode(GenerateAccessToken::ID, &answer.body)?;
        Ok(cache(token.access_token, token.expire_in.as_duration()))
    }

    async fn refresh(&self, current: &Secret) -> Result<CachedToken, ClientError> {
        let url = format!("{}{}", self.config.base_url, RefreshAccessToken::PATH);
        let call = Call {
            endpoint: RefreshAccessToken::ID,
            method: RefreshAccessToken::METHOD,
            url: &url,
            body: None,
            idempotent: true,
        };
        let answer = self.call_with_retries(&call, Some(current)).await?;
        let token: <RefreshAccessToken as Endpoint>::Response =
            decode(RefreshAccessToken::ID, &answer.body)?;
        Ok(cache(token.access_token, token.expire_in.as_duration()))
    }

    /// Sends `call` until it gets a 2xx, a status not worth retrying, or runs out of attempts.
    async fn call_with_retries(
        &self,
        call: &Call<'_>,
        bearer: Option<&Secret>,
    ) -> Result<Answer, ClientError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.config.max_attempts;
            let wait = match self.transmit(call, bearer).await {
                Ok(answer) if (200..300).contains(&answer.status) => return Ok(answer),
                Ok(answer) => {
                    let retry = match answer.status {
                        429 => match answer.retry_after {
                            Some(wait) if wait <= self.config.max_retry_after => Some(wait),
                            Some(_) => None,
                            None => Some(self.backoff(attempt)),
                        },
                        503 => Some(self.backoff(attempt)),
                        500 | 502 | 504 if call.idempotent => Some(self.backoff(attempt)),
                        _ => None,
                    };
                    match retry {
                        Some(wait) if !last => wait,
                        _ => {
                            return Err(ClientError::Api {
                                endpoint: call.endpoint,
                                status: answer.status,
                                body: serde_json::from_slice(&answer.body).ok(),
                            });
                        }
                    }
                }
                Err(failure) => {
                    let retry = failure.nothing_sent || call.idempotent;
                    if last || !retry || failure.kind == "too_large" {
                        return Err(failure.into_error(call.endpoint));
                    }
                    self.backoff(attempt)
                }
            };
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
        }
    }

    /// One HTTP exchange, the body read up to [`MAX_RESPONSE_BYTES`].
    async fn transmit(
        &self,
        call: &Call<'_>,
        bearer: Option<&Secret>,
    ) -> Result<Answer, TransportFailure> {
        // `Method` is non-exhaustive: go through its request-line spelling, which any later
        // method also has.
        let method =
            reqwest::Method::from_bytes(call.method.as_str().as_bytes()).map_err(|_| {
                TransportFailure {
                    kind: "request",
                    nothing_sent: true,
                }
            })?;
        let mut request = self
            .http
            .request(method, call.url)
            .header("accept", "application/json");
        if let Some(token) = bearer {
            request = request.bearer_auth(token.expose_secret());
        }
        if let Some(body) = call.body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_vec());
        }
        let mut response = request.send().await.map_err(TransportFailure::from)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(TransportFailure::from)? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(TransportFailure {
                    kind: "too_large",
                    nothing_sent: false,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// The delay before attempt `attempt + 1`: exponential, capped, with up to 50 % jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .config
            .base_backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.config.max_backoff);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        let jitter = capped.mul_f64(f64::from(nanos % 1000) / 2000.0);
        capped - jitter
    }
}

/// One call's fixed parts.
struct Call<'a> {
    endpoint: &'static str,
    method: Method,
    url: &'a str,
    body: Option<&'a [u8]>,
    idempotent: bool,
}

/// A failed exchange, reduced to what is safe to report (reqwest's errors carry the URL).
struct TransportFailure {
    kind: &'static str,
    nothing_sent: bool,
}

impl From<reqwest::Error> for TransportFailure {
    fn from(error: reqwest::Error) -> Self {
        let kind = if error.is_connect() {
            "connect"
        } else if error.is_timeout() {
            "timeout"
        } else if error.is_body() || error.is_decode() {
            "body"
        } else {
            "request"
        };
        TransportFailure {
            kind,
            nothing_sent: error.is_connect(),
        }
    }
}

impl TransportFailure {
    fn into_error(self, endpoint: &'static str) -> ClientError {
        if self.kind == "too_large" {
            ClientError::TooLarge { endpoint }
        } else {
            ClientError::Transport {
                endpoint,
                kind: self.kind,
            }
        }
    }
}

fn cache(token: Secret, lifetime: Duration) -> CachedToken {
    CachedToken {
        token,
        expires_at: Instant::now() + lifetime,
    }
}

/// Decodes a response leniently (responses are never rejected for their values) and keeps
/// only the position of a failure: serde's message may quote the offending value.
fn decode<T: serde::de::DeserializeOwned>(
    endpoint: &'static str,
    body: &[u8],
) -> Result<T, ClientError> {
    serde_json::from_slice(body).map_err(|error| ClientError::Decode {
        endpoint,
        line: error.line(),
        column: error.column(),
    })
}
