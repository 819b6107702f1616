//! Where and how the client calls the API: the environment (base URL), the application's
//! credentials, and the limits of retries, timeouts and response sizes.

use std::time::Duration;

use klavi_types::secret::Secret;

use crate::error::ConfigError;

/// The Klavi environment to call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-sandbox.klavi.ai` (klavi-api.md, "Base URLs").
    Sandbox,
    /// `https://api.klavi.ai`. The docs give this host for Klavi's other products and the same
    /// host scheme for the Data API; sandbox and production credentials differ.
    Production,
    /// Any base URL: scheme and host (and port), such as a `klavi mock` on
    /// `http://127.0.0.1:8080`. Plain `http` is accepted for loopback hosts only unless
    /// [`Config::allow_plain_http`] is set: credentials and personal data would cross the
    /// network in clear.
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Sandbox => "https://api-sandbox.klavi.ai",
            Environment::Production => "https://api.klavi.ai",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// How the client is set up. [`Config::new`] gives the defaults; every field is public so that
/// a program can change what it needs:
///
/// ```
/// use std::time::Duration;
/// use klavi_client::{Config, Environment};
/// use klavi_types::secret::Secret;
///
/// let mut config = Config::new(Environment::Sandbox, Secret::new("key"), Secret::new("secret"));
/// config.max_attempts = 3;
/// config.deadline = Duration::from_secs(20);
/// assert_eq!(config.environment.base_url(), "https://api-sandbox.klavi.ai");
/// ```
///
/// `Debug` prints the keys as `[REDACTED]`.
#[derive(Clone, Debug)]
pub struct Config {
    /// Which API to call.
    pub environment: Environment,
    /// The application's `accessKey`.
    pub access_key: Secret,
    /// The application's `secretKey` (Klavi also signs webhooks with it).
    pub secret_key: Secret,
    /// Attempts per exchange, the first one included (at least 1).
    pub max_attempts: u32,
    /// The first backoff delay; doubled per attempt.
    pub base_backoff: Duration,
    /// The longest backoff delay.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the call with the `429`.
    pub max_retry_after: Duration,
    /// Refresh the access token when less than this is left of its lifetime.
    pub refresh_margin: Duration,
    /// Timeout of one HTTP exchange (connect, send, and read the whole response).
    pub request_timeout: Duration,
    /// Timeout of a whole call: getting a token, every attempt and every wait between them.
    pub deadline: Duration,
    /// The most bytes read from one response body.
    pub max_response_bytes: usize,
    /// Accept a plain `http` base URL whose host is not loopback.
    pub allow_plain_http: bool,
}

impl Config {
    /// The defaults: 5 attempts, backoff 250 ms doubling to 8 s with up to 50 % jitter,
    /// `Retry-After` honoured up to 60 s, the token refreshed 60 s before it expires, 30 s per
    /// exchange, 120 s per call, responses up to 16 MiB.
    pub fn new(environment: Environment, access_key: Secret, secret_key: Secret) -> Self {
        Config {
            environment,
            access_key,
            secret_key,
            max_attempts: 5,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            refresh_margin: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(120),
            max_response_bytes: 16 << 20,
            allow_plain_http: false,
        }
    }

    /// Checks the base URL (an absolute `http`/`https` URL with a host and no path, query or
    /// fragment; `https` only with the `rustls` feature; plain `http` only for loopback unless
    /// allowed) and the limits. Durations of
    /// any size are accepted (`Duration::MAX` means no limit); instants are computed without
    /// overflow.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        let base = self.environment.base_url();
        let url = reqwest::Url::parse(base).map_err(|_| ConfigError::BaseUrl)?;
        let host = url.host_str().ok_or(ConfigError::BaseUrl)?;
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !matches!(url.path(), "" | "/")
            || url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(ConfigError::BaseUrl);
        }
        match url.scheme() {
            "https" if cfg!(feature = "rustls") => {}
            "https" => return Err(ConfigError::TlsFeature),
            "http" if loopback || self.allow_plain_http => {}
            "http" => return Err(ConfigError::PlainHttp),
            _ => return Err(ConfigError::BaseUrl),
        }
        if self.max_attempts == 0 {
            return Err(ConfigError::NoAttempts);
        }
        if self.request_timeout.is_zero() || self.deadline.is_zero() {
            return Err(ConfigError::ZeroTimeout);
        }
        if self.max_response_bytes == 0 {
            return Err(ConfigError::NoResponseBytes);
        }
        if self.base_backoff > self.max_backoff {
            return Err(ConfigError::Backoff);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(
            Environment::Custom("http://127.0.0.1:8080".into()),
            Secret::new("a"),
            Secret::new("b"),
        )
    }

    #[test]
    fn limits_are_checked_and_durations_of_any_size_accepted() {
        assert!(config().check().is_ok());
        let mut huge = config();
        huge.deadline = Duration::MAX;
        huge.request_timeout = Duration::MAX;
        huge.max_backoff = Duration::MAX;
        huge.max_retry_after = Duration::MAX;
        huge.refresh_margin = Duration::MAX;
        assert!(huge.check().is_ok());
        let mut empty = config();
        empty.max_response_bytes = 0;
        assert!(matches!(empty.check(), Err(ConfigError::NoResponseBytes)));
        let mut inverted = config();
        inverted.base_backoff = Duration::from_secs(10);
        inverted.max_backoff = Duration::from_secs(1);
        assert!(matches!(inverted.check(), Err(ConfigError::Backoff)));
        let mut none = config();
        none.max_attempts = 0;
        assert!(matches!(none.check(), Err(ConfigError::NoAttempts)));
    }
}
