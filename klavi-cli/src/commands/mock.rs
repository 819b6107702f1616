//! `klavi mock`: runs [`klavi_mock`], a local Klavi Data API sandbox, until interrupted
//! (SIGINT or SIGTERM end it cleanly, finishing the requests in flight).
//!
//! Unlike the other commands it prints as it goes: the base URL and the credentials it accepts
//! on standard output when it is ready (one JSON line with `--format json`, for scripts; the
//! documented default keys in full, keys given by flag or environment not at all), then
//! one line per request and per webhook attempt on standard error (method, path template,
//! status, latency, violation codes: never a value), unless `--quiet`.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Args;
use klavi_mock::{
    Authorisation, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Faults, MockConfig, MockKlavi,
};
use klavi_types::secret::Secret;

use crate::cli::Format;
use crate::output::{CliError, Outcome};

/// Arguments of `klavi mock`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi mock\n  \
    klavi mock --port 8080 --webhook-url http://127.0.0.1:3000/klavi/events\n  \
    klavi mock --fail-rate 0.2 --status 429 --status 503 --latency 50ms\n  \
    klavi mock --authorise-after manual   # then POST /mock/consents/{consentId}/authorise\n\n\
    The mock's own routes (no token): POST /mock/consents/{consentId}/authorise and /reject, \
    POST /mock/links/{linkId}/tasks, POST /mock/tokens/expire, GET /mock/requests, \
    GET /mock/deliveries.\n\n\
    Exit status: 0 after SIGINT or SIGTERM, 2 when the address cannot be bound.")]
pub struct MockArgs {
    /// The port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The accessKey `POST /auth` accepts.
    #[arg(long, env = "KLAVI_MOCK_ACCESS_KEY", default_value = DEFAULT_ACCESS_KEY, hide_env_values = true)]
    pub access_key: String,
    /// The secretKey `POST /auth` accepts (and webhooks are signed with).
    #[arg(long, env = "KLAVI_MOCK_SECRET_KEY", default_value = DEFAULT_SECRET_KEY, hide_env_values = true)]
    pub secret_key: String,
    /// Where API events (link_created, consent_authorised, …) are delivered.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// Where product reports go when neither the request nor the link names a
    /// productsCallbackURL.
    #[arg(long, value_name = "URL")]
    pub products_webhook_url: Option<String>,
    /// Sign webhooks with this key instead of the secretKey.
    #[arg(long, env = "KLAVI_MOCK_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// The probability of an injected fault per request, from 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub fail_rate: f64,
    /// A status the injected faults answer with (repeat for several; default 503).
    #[arg(long = "status", value_name = "STATUS", value_parser = parse_status)]
    pub statuses: Vec<u16>,
    /// Retry-After seconds sent with an injected 429.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u64,
    /// Latency added before every answer (`50ms`, `1s`, `0.5s`).
    #[arg(long, default_value = "0ms", value_parser = parse_duration)]
    pub latency: Duration,
    /// When the simulated end user authorises a consent: a delay (`0s`: at once) or `manual`.
    #[arg(long, default_value = "0s", value_parser = parse_authorisation)]
    pub authorise_after: Authorisation,
    /// How long after a report request its reports are delivered.
    #[arg(long, default_value = "0s", value_parser = parse_duration)]
    pub report_delay: Duration,
    /// expireIn of the access tokens, in seconds.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    pub token_lifetime: u64,
    /// The most entries kept of each kind (access tokens, links, consents, tasks, logged
    /// requests, deliveries); past it the oldest is evicted, so memory stays bounded.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub capacity: u64,
    /// The bytes the mock may hold in those entries, in MiB (about their heap size: the JSON
    /// length of what requests gave it); past it the oldest are evicted.
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub memory_budget: u64,
    /// The most consents a link may hold that are not REJECTED or REVOKED (one more: 416,
    /// business code 4003).
    #[arg(long, default_value_t = 20)]
    pub consents_per_link: usize,
    /// An institution in outage: consents there get 416, business code 4004 (repeat for
    /// several).
    #[arg(long = "unavailable-institution", value_name = "CODE")]
    pub unavailable_institutions: Vec<String>,
    /// Seeds the fault generator, to replay a run.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print no request log.
    #[arg(long)]
    pub quiet: bool,
    /// How the start-up banner is printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err("expected a probability from 0 to 1, such as 0.1".to_owned()),
    }
}

fn parse_status(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(status) if (400..600).contains(&status) => Ok(status),
        _ => Err("expected an HTTP error status from 400 to 599, such as 429".to_owned()),
    }
}

/// `250ms`, `2s`, `0.5s`, `1m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let error = || {
        format!(
            "expected a duration such as 50ms, 2s or 0.5s, not `{}`",
            crate::output::sanitize(text)
        )
    };
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or((text, ""), |at| text.split_at(at));
    let number: f64 = number.parse().map_err(|_| error())?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        _ => return Err(error()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| error())
}

fn parse_authorisation(text: &str) -> Result<Authorisation, String> {
    if text == "manual" {
        return Ok(Authorisation::Manual);
    }
    parse_duration(text)
        .map(Authorisation::After)
        .map_err(|error| format!("{error}, or `manual`"))
}

/// The mock's configuration from the arguments.
pub fn config(args: &MockArgs) -> MockConfig {
    let defaults = Faults::default();
    MockConfig {
        access_key: Secret::new(args.access_key.clone()),
        secret_key: Secret::new(args.secret_key.clone()),
        webhook_secret: args.webhook_secret.clone().map(Secret::new),
        webhook_url: args.webhook_url.clone(),
        products_webhook_url: args.products_webhook_url.clone(),
        token_lifetime: Duration::from_secs(args.token_lifetime),
        authorisation: args.authorise_after,
        report_delay: args.report_delay,
        faults: Faults {
            rate: args.fail_rate,
            statuses: if args.statuses.is_empty() {
                defaults.statuses.clone()
            } else {
                args.statuses.clone()
            },
            retry_after: args.retry_after,
            latency: args.latency,
            seed: args.seed.unwrap_or(defaults.seed),
        },
        capacity: usize::try_from(args.capacity).unwrap_or(usize::MAX),
        memory_budget: usize::try_from(args.memory_budget << 20).unwrap_or(usize::MAX),
        consents_per_link: args.consents_per_link,
        unavailable_institutions: args.unavailable_institutions.clone(),
        log_requests: !args.quiet,
        ..MockConfig::default()
    }
}

/// Runs `klavi mock` until SIGINT or SIGTERM.
pub fn run(args: &MockArgs) -> Result<Outcome, CliError> {
    if !args.quiet {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_ansi(false)
            .try_init();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError(format!("cannot start the runtime: {error}")))?;
    runtime.block_on(async {
        let address = SocketAddr::new(args.host, args.port);
        let mock = MockKlavi::bind(config(args), address)
            .await
            .map_err(|error| CliError(format!("cannot listen on {address}: {error}")))?;
        // The handlers are in place before the banner says the mock is up: a script that
        // reads the banner and sends SIGTERM at once gets the graceful stop.
        let interrupted = Interrupted::listen();
        // A closed standard output must not stop the mock: the banner is best effort.
        let _ = print_banner(&mock, args.format);
        interrupted.wait().await;
        mock.shutdown().await;
        Ok(Outcome::valid(String::new()))
    })
}

/// A credential for the banner: the documented default in full (it is public), one the user
/// gave as `None` (they know it, and the CLI prints no secret).
fn shown(value: &Secret, default: &str) -> Option<String> {
    (value.expose_secret() == default).then(|| default.to_owned())
}

fn print_banner(mock: &MockKlavi, format: Format) -> std::io::Result<()> {
    let config = mock.config();
    let access_key = shown(&config.access_key, DEFAULT_ACCESS_KEY);
    let secret_key = shown(&config.secret_key, DEFAULT_SECRET_KEY);
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            let banner = serde_json::json!({
                "baseUrl": mock.base_url(),
                "accessKey": access_key,
                "secretKey": secret_key,
                "webhookUrl": config.webhook_url,
            });
            writeln!(stdout, "{banner}")?;
        }
        Format::Human => {
            let given = |flag: &str| format!("as given ({flag})");
            writeln!(stdout, "klavi mock: a local Klavi Data API sandbox")?;
            writeln!(stdout, "  base URL   {}", mock.base_url())?;
            let access = access_key.unwrap_or_else(|| given("--access-key"));
            writeln!(stdout, "  accessKey  {access}")?;
            let secret = secret_key.unwrap_or_else(|| given("--secret-key"));
            writeln!(stdout, "  secretKey  {secret}")?;
            match &config.webhook_url {
                Some(url) => writeln!(stdout, "  events to  {}", crate::output::sanitize(url))?,
                None => writeln!(
                    stdout,
                    "  events     not sent (--webhook-url URL to receive them)"
                )?,
            }
            writeln!(stdout, "Ctrl-C stops it.")?;
        }
    }
    stdout.flush()
}

/// SIGINT (Ctrl-C) and, on Unix, SIGTERM, listened for from [`Interrupted::listen`] on.
struct Interrupted {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Interrupted {
    /// Installs the handlers now (inside the runtime).
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupted {
                signals: signal(SignalKind::interrupt())
                    .and_then(|interrupt| Ok((interrupt, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        Interrupted {}
    }

    /// Waits for one of the signals.
    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = self.signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("50ms"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        for bad in ["", "5", "ms", "-1s", "1h", "1e999s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_authorisation("manual"), Ok(Authorisation::Manual));
        assert!(parse_rate("1.5").is_err() && parse_status("200").is_err());
    }
}
