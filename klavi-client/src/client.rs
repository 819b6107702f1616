//! [`KlaviClient`]: validation before sending, the token for each endpoint, the retry loop
//! under the call's deadline, and the `tracing` span of every call.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use klavi_types::auth::{GenerateAccessToken, GenerateAccessTokenRequest, RefreshAccessToken};
use klavi_types::secret::Secret;
use klavi_types::{Endpoint, TokenKind, Validate};
use tracing::Instrument;

use crate::config::Config;
use crate::decode::decode;
use crate::error::{ClientError, ConfigError, TimeoutKind};
use crate::exchange::{Answer, Call, Failure, transmit};
use crate::retry::{Decision, Outcome, backoff, decide};
use crate::token::{CachedToken, Failed, Freshness, TokenState, freshness, later};

/// What the client did besides the calls themselves, for metrics and tests.
#[derive(Debug, Default)]
pub struct Stats {
    /// `POST /auth` exchanges that returned a token.
    pub authentications: AtomicU64,
    /// `GET /refresh` exchanges that returned a token.
    pub refreshes: AtomicU64,
    /// Attempts repeated after a `429`, a `5xx`, a transport failure or a timeout.
    pub retries: AtomicU64,
    /// Calls repeated once with a new token after a `401`.
    pub renewals_after_401: AtomicU64,
}

/// A Klavi Data API client. Cheap to share behind an `Arc`: concurrent calls share one
/// connection pool and one access token.
pub struct KlaviClient {
    http: reqwest::Client,
    config: Config,
    token: tokio::sync::Mutex<TokenState>,
    generations: AtomicU64,
    /// Token renewals attempted, read before waiting for the lock: a caller that finds it grew
    /// while it waited shares that renewal's outcome instead of trying again.
    renewals: AtomicU64,
    stats: Stats,
}

/// Which token exchange to make.
#[derive(Clone, Copy)]
enum TokenRequest<'a> {
    /// `POST /auth` with the application's keys.
    Authenticate,
    /// `GET /refresh` with the current token.
    Refresh(&'a Secret),
}

impl std::fmt::Debug for KlaviClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KlaviClient")
            .field("config", &self.config)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl KlaviClient {
    /// A client for `config`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the base URL or a limit is not usable, or the HTTP client cannot be
    /// built.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.check()?;
        let mut http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .user_agent(concat!("klavi-client/", env!("CARGO_PKG_VERSION")))
            // Redirects would re-send the bearer token to wherever they point.
            .redirect(reqwest::redirect::Policy::none());
        if config.environment.base_url().starts_with("http:") {
            // A proxy (`HTTP_PROXY`) would receive the keys and the token in clear; https goes
            // through a proxy as a tunnel, encrypted end to end.
            http = http.no_proxy();
        }
        let http = http.build().map_err(|_| ConfigError::Http)?;
        Ok(KlaviClient {
            http,
            config,
            token: tokio::sync::Mutex::new(TokenState::default()),
            generations: AtomicU64::new(0),
            renewals: AtomicU64::new(0),
            stats: Stats::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters of authentications, refreshes and retries.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Calls an endpoint that needs the access token (or no token): validates `path`, `query`
    /// and `body` (nothing is sent unless all three are valid), sends with the cached access
    /// token, retries as the [policy](crate#retries) says, and decodes the response.
    ///
    /// # Errors
    ///
    /// See [`ClientError`]; a link-token endpoint gives [`ClientError::NeedsLinkToken`].
    pub async fn send<E: Endpoint>(
        &self,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
    ) -> Result<E::Response, ClientError> {
        if E::TOKEN == TokenKind::Link {
            return Err(ClientError::NeedsLinkToken { endpoint: E::ID });
        }
        self.call::<E>(None, path, query, body).await
    }

    /// Calls an endpoint with the front-end `linkToken` of a link (institutions, consent
    /// creation, tasks); endpoints of other token kinds use their own token, as
    /// [`KlaviClient::send`] does.
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
        self.call::<E>(Some(link_token), path, query, body).await
    }

    /// Gets a new access token from `POST /auth` now and caches it (calls do this on their own
    /// when needed).
    ///
    /// # Errors
    ///
    /// See [`ClientError`]; wrong credentials are an [`ClientError::Api`] `401`.
    pub async fn authenticate(&self) -> Result<Duration, ClientError> {
        let span = request_span::<GenerateAccessToken>();
        let deadline = later(Instant::now(), self.config.deadline);
        self.under_deadline::<GenerateAccessToken, _>(deadline, async {
            let mut state = self.token.lock().await;
            let fresh = self
                .renew(&mut state, TokenRequest::Authenticate, deadline)
                .await?;
            Ok(fresh.lifetime)
        })
        .instrument(span)
        .await
    }

    /// Refreshes the cached access token with `GET /refresh` now (authenticating first when
    /// none is held), and returns the new token's lifetime.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn refresh(&self) -> Result<Duration, ClientError> {
        let span = request_span::<RefreshAccessToken>();
        let deadline = later(Instant::now(), self.config.deadline);
        self.under_deadline::<RefreshAccessToken, _>(deadline, async {
            let mut state = self.token.lock().await;
            let current = match state.cached.as_ref() {
                Some(current) if current.expires_at > Instant::now() => current.token.clone(),
                _ => {
                    self.renew(&mut state, TokenRequest::Authenticate, deadline)
                        .await?
                        .token
                }
            };
            let fresh = self
                .renew(&mut state, TokenRequest::Refresh(&current), deadline)
                .await?;
            Ok(fresh.lifetime)
        })
        .instrument(span)
        .await
    }

    async fn call<E: Endpoint>(
        &self,
        link_token: Option<&Secret>,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
    ) -> Result<E::Response, ClientError> {
        let invalid = |errors| ClientError::Invalid {
            endpoint: E::ID,
            errors,
        };
        path.validate().map_err(invalid)?;
        query.validate().map_err(invalid)?;
        body.validate().map_err(invalid)?;
        let span = request_span::<E>();
        let deadline = later(Instant::now(), self.config.deadline);
        self.under_deadline::<E, _>(
            deadline,
            self.execute::<E>(link_token, path, query, body, deadline),
        )
        .instrument(span)
        .await
    }

    /// Runs `work` until `deadline`, recording the outcome and latency on the current span.
    async fn under_deadline<E: Endpoint, T>(
        &self,
        deadline: Instant,
        work: impl Future<Output = Result<T, ClientError>>,
    ) -> Result<T, ClientError> {
        let started = Instant::now();
        let result = match tokio::time::timeout_at(deadline.into(), work).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Timeout {
                endpoint: E::ID,
                kind: TimeoutKind::Deadline,
                after: self.config.deadline,
            }),
        };
        let span = tracing::Span::current();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(_) => tracing::debug!("klavi call succeeded"),
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                tracing::warn!(error = %error, "klavi call failed");
            }
        }
        result
    }

    async fn execute<E: Endpoint>(
        &self,
        link_token: Option<&Secret>,
        path: &E::Path,
        query: &E::Query,
        body: &E::Request,
        deadline: Instant,
    ) -> Result<E::Response, ClientError> {
        let mut path = E::path(path);
        if let Some(query) = E::query_string(query) {
            path.push('?');
            path.push_str(&query);
        }
        // A validated generated type serializes (string keys, finite numbers); should one
        // not, nothing is sent rather than an empty body.
        let payload = if E::HAS_BODY {
            Some(encode(E::ID, body)?)
        } else {
            None
        };
        let call = Call::of::<E>(self.config.environment.base_url(), &path, payload);
        let answer = match E::TOKEN {
            TokenKind::None => self.with_retries(&call, None, deadline).await?,
            TokenKind::Link => match link_token {
                Some(token) => self.with_retries(&call, Some(token), deadline).await?,
                None => return Err(ClientError::NeedsLinkToken { endpoint: E::ID }),
            },
            TokenKind::Access => {
                let token = self.access_token(None, deadline).await?;
                match self.with_retries(&call, Some(&token.token), deadline).await {
                    Err(ClientError::Api { status: 401, .. }) => {
                        self.stats
                            .renewals_after_401
                            .fetch_add(1, Ordering::Relaxed);
                        tracing::info!("access token refused: renewing it once");
                        let token = self.access_token(Some(token.generation), deadline).await?;
                        self.with_retries(&call, Some(&token.token), deadline)
                            .await?
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

    /// The access token to use: the cached one until it is due for a refresh; refreshed then;
    /// a new one from `POST /auth` when none is held, it expired, refreshing failed, or the API
    /// refused generation `refused`. One caller at a time renews it; the others wait and use
    /// the result, a failure included: a renewal that failed while a caller waited, or within
    /// the backoff after it, is that caller's answer too, without another exchange.
    async fn access_token(
        &self,
        refused: Option<u64>,
        deadline: Instant,
    ) -> Result<CachedToken, ClientError> {
        let renewals_seen = self.renewals.load(Ordering::Acquire);
        let mut state = self.token.lock().await;
        let now = Instant::now();
        let shared_failure = state.shared_failure(renewals_seen, now);
        let current = match freshness(state.cached.as_ref(), now, refused) {
            Freshness::Fresh(token) => return Ok(token.clone()),
            // Still valid: used while the failed refresh's backoff runs.
            Freshness::Expiring(token) if shared_failure.is_some() => return Ok(token.clone()),
            Freshness::Expiring(token) => Some(token.token.clone()),
            Freshness::Missing => None,
        };
        if let Some(error) = shared_failure {
            return Err(error);
        }
        if let Some(current) = &current
            && let Ok(fresh) = self
                .renew(&mut state, TokenRequest::Refresh(current), deadline)
                .await
        {
            return Ok(fresh);
        }
        self.renew(&mut state, TokenRequest::Authenticate, deadline)
            .await
    }

    /// One token exchange under the lock: the token cached on success; on failure, the error
    /// kept for the callers waiting and a backoff set before the next attempt.
    async fn renew(
        &self,
        state: &mut TokenState,
        request: TokenRequest<'_>,
        deadline: Instant,
    ) -> Result<CachedToken, ClientError> {
        let result = self.fetch_token(request, deadline).await;
        let renewal = self.renewals.fetch_add(1, Ordering::AcqRel) + 1;
        match &result {
            Ok(fresh) => {
                state.cached = Some(fresh.clone());
                state.failed = None;
                state.failures_in_a_row = 0;
            }
            Err(error) => {
                state.failures_in_a_row = state.failures_in_a_row.saturating_add(1);
                let pause = backoff(
                    self.config.base_backoff,
                    self.config.max_backoff,
                    state.failures_in_a_row,
                    0.0,
                );
                state.failed = Some(Failed {
                    error: error.clone(),
                    renewal,
                    retry_at: later(Instant::now(), pause),
                });
            }
        }
        result
    }

    /// `POST /auth` (or `GET /refresh` with the current token), decoded and stamped, in a span
    /// of its own: the call's span keeps the call's status and attempts.
    async fn fetch_token(
        &self,
        request: TokenRequest<'_>,
        deadline: Instant,
    ) -> Result<CachedToken, ClientError> {
        let base = self.config.environment.base_url();
        let exchange = async {
            match request {
                TokenRequest::Refresh(current) => {
                    let call = Call::of::<RefreshAccessToken>(base, RefreshAccessToken::PATH, None);
                    let answer = self.with_retries(&call, Some(current), deadline).await?;
                    let response: <RefreshAccessToken as Endpoint>::Response =
                        decode(RefreshAccessToken::ID, &answer.body)?;
                    self.stats.refreshes.fetch_add(1, Ordering::Relaxed);
                    Ok((response.access_token, response.expire_in.as_duration()))
                }
                TokenRequest::Authenticate => {
                    let request = GenerateAccessTokenRequest::new(
                        self.config.access_key.clone(),
                        self.config.secret_key.clone(),
                    );
                    let body = encode(GenerateAccessToken::ID, &request)?;
                    let call = Call::of::<GenerateAccessToken>(
                        base,
                        GenerateAccessToken::PATH,
                        Some(body),
                    );
                    let answer = self.with_retries(&call, None, deadline).await?;
                    let response: <GenerateAccessToken as Endpoint>::Response =
                        decode(GenerateAccessToken::ID, &answer.body)?;
                    self.stats.authentications.fetch_add(1, Ordering::Relaxed);
                    Ok((response.access_token, response.expire_in.as_duration()))
                }
            }
        };
        let span = match request {
            TokenRequest::Refresh(_) => request_span::<RefreshAccessToken>(),
            TokenRequest::Authenticate => request_span::<GenerateAccessToken>(),
        };
        let (token, lifetime) = exchange.instrument(span).await?;
        Ok(CachedToken::new(
            token,
            lifetime,
            self.config.refresh_margin,
            Instant::now(),
            self.generations.fetch_add(1, Ordering::Relaxed) + 1,
        ))
    }

    /// Sends `call` until it gets a `2xx`, an answer not worth retrying, runs out of attempts,
    /// or the next wait would pass the deadline.
    async fn with_retries(
        &self,
        call: &Call,
        bearer: Option<&Secret>,
        deadline: Instant,
    ) -> Result<Answer, ClientError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let result = transmit(&self.http, call, bearer, self.config.max_response_bytes).await;
            let latency_ms = started.elapsed().as_millis() as u64;
            let (outcome, error) = match result {
                Ok(answer) => {
                    tracing::debug!(
                        endpoint = call.endpoint,
                        method = call.method.as_str(),
                        path = call.path_template,
                        attempt,
                        status = answer.status,
                        latency_ms,
                        "klavi attempt"
                    );
                    let span = tracing::Span::current();
                    span.record("status", answer.status);
                    span.record("attempts", attempt);
                    if (200..300).contains(&answer.status) {
                        return Ok(answer);
                    }
                    let outcome = Outcome::Status {
                        status: answer.status,
                        retry_after: answer.retry_after,
                    };
                    let error = ClientError::Api {
                        endpoint: call.endpoint,
                        status: answer.status,
                        code: crate::error::code_of(&answer.body),
                    };
                    (outcome, error)
                }
                Err(failure) => {
                    tracing::debug!(
                        endpoint = call.endpoint,
                        method = call.method.as_str(),
                        path = call.path_template,
                        attempt,
                        failure = ?failure,
                        latency_ms,
                        "klavi attempt failed"
                    );
                    tracing::Span::current().record("attempts", attempt);
                    let error = self.failure_error(call.endpoint, failure);
                    match failure.outcome() {
                        Some(outcome) => (outcome, error),
                        None => return Err(error),
                    }
                }
            };
            let wait = match decide(outcome, call.idempotent, self.config.max_retry_after) {
                Decision::Stop => return Err(error),
                Decision::RetryAfter(wait) => wait,
                Decision::Backoff => backoff(
                    self.config.base_backoff,
                    self.config.max_backoff,
                    attempt,
                    fastrand::f64(),
                ),
            };
            if attempt >= self.config.max_attempts || later(Instant::now(), wait) >= deadline {
                return Err(error);
            }
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tracing::info!(
                endpoint = call.endpoint,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "klavi retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    fn failure_error(&self, endpoint: &'static str, failure: Failure) -> ClientError {
        match failure {
            Failure::Transport(kind) => ClientError::Transport { endpoint, kind },
            Failure::TimedOut => ClientError::Timeout {
                endpoint,
                kind: TimeoutKind::Request,
                after: self.config.request_timeout,
            },
            Failure::TooLarge => ClientError::TooLarge {
                endpoint,
                limit: self.config.max_response_bytes,
            },
        }
    }
}

/// The JSON of a request body; a value that does not serialize is an error, never an empty
/// body sent in its place.
fn encode<T: serde::Serialize>(endpoint: &'static str, body: &T) -> Result<Vec<u8>, ClientError> {
    serde_json::to_vec(body).map_err(|_| ClientError::Encode { endpoint })
}

/// The span of one call: endpoint id, method, path template; status, attempts and latency are
/// recorded as they are known. Never the URL (its query may hold a CPF), a header or a body.
fn request_span<E: Endpoint>() -> tracing::Span {
    tracing::info_span!(
        "klavi_request",
        endpoint = E::ID,
        method = E::METHOD.as_str(),
        path = E::PATH,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TransportKind;
    use crate::exchange::is_idempotent;
    use klavi_types::Method;

    #[test]
    fn only_posts_that_create_something_are_not_idempotent() {
        assert!(is_idempotent(Method::Get, TokenKind::Access));
        assert!(is_idempotent(Method::Delete, TokenKind::Access));
        assert!(is_idempotent(Method::Post, TokenKind::None));
        assert!(!is_idempotent(Method::Post, TokenKind::Access));
        assert!(!is_idempotent(Method::Post, TokenKind::Link));
    }

    #[test]
    fn a_body_that_does_not_serialize_is_an_error_not_an_empty_body() {
        struct Unserializable;
        impl serde::Serialize for Unserializable {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        assert!(matches!(
            encode("create-link", &Unserializable),
            Err(ClientError::Encode {
                endpoint: "create-link"
            })
        ));
        assert_eq!(
            encode("x", &serde_json::json!({"a": 1})).unwrap(),
            br#"{"a":1}"#
        );
    }

    #[test]
    fn a_transport_kind_is_not_lost() {
        let config = crate::Config::new(
            crate::Environment::Custom("http://127.0.0.1:1".into()),
            Secret::new("a"),
            Secret::new("b"),
        );
        let client = KlaviClient::new(config).unwrap();
        let error = client.failure_error("x", Failure::Transport(TransportKind::Body));
        assert!(matches!(
            error,
            ClientError::Transport {
                kind: TransportKind::Body,
                ..
            }
        ));
    }
}
