//! `klavi webhook verify --secret-env VAR --signature HEX [--timestamp T] [--tolerance SECONDS]
//! [FILE|-]`: checks that a webhook body is authentic with
//! [`klavi_types::webhook_signature`].
//!
//! The secret key is read from the environment variable named by `--secret-env`, never from
//! an argument, so that it stays out of shell history and process listings; it is never
//! printed. The body is read byte-exact from FILE or standard input: the HMAC covers the bytes
//! as Klavi sent them, so nothing is trimmed, added or re-serialized.
//!
//! Exit status: 0 authentic, 1 not authentic (bad or malformed signature, missing, invalid or
//! stale timestamp), 2 usage or I/O error (unset or empty variable, unreadable file).

use std::ffi::OsString;
use std::time::{Duration, SystemTime};

use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{DEFAULT_TOLERANCE, SignatureError, Verifier};
use serde::Serialize;

use crate::cli::{Format, WebhookArgs, WebhookCommand, WebhookVerifyArgs};
use crate::output::{CliError, Outcome, Status, json_line, sanitize};

/// The `--format json` report.
#[derive(Serialize)]
struct Report {
    authentic: bool,
    code: Option<&'static str>,
    message: Option<&'static str>,
}

/// Runs `klavi webhook`.
pub fn run(args: &WebhookArgs) -> Result<Outcome, CliError> {
    match &args.command {
        WebhookCommand::Verify(args) => verify(args),
    }
}

/// Runs `klavi webhook verify`.
fn verify(args: &WebhookVerifyArgs) -> Result<Outcome, CliError> {
    // Read the key first: a missing variable must not wait for standard input.
    let secret = secret_from_env(&args.secret_env)?;
    let (_, body) = crate::output::read_input(args.file.as_deref())?;
    let verifier = match tolerance(args) {
        Some(tolerance) => Verifier::new(secret).with_tolerance(tolerance),
        None => Verifier::new(secret),
    };
    let verdict = verifier.verify(
        &body,
        &args.signature,
        args.timestamp.as_deref(),
        SystemTime::now(),
    );
    let status = match verdict {
        Ok(()) => Status::Valid,
        Err(_) => Status::Invalid,
    };
    let stdout = match args.format {
        Format::Json => render_json(verdict)?,
        Format::Human => render_human(verdict),
    };
    Ok(Outcome { stdout, status })
}

/// The timestamp tolerance: `--tolerance`, else [`DEFAULT_TOLERANCE`] when `--timestamp` is
/// given, else none (the timestamp is not checked).
fn tolerance(args: &WebhookVerifyArgs) -> Option<Duration> {
    match (args.tolerance, &args.timestamp) {
        (Some(seconds), _) => Some(Duration::from_secs(seconds)),
        (None, Some(_)) => Some(DEFAULT_TOLERANCE),
        (None, None) => None,
    }
}

/// The secret key held by the environment variable `name`. The messages name the variable,
/// never its value.
fn secret_from_env(name: &str) -> Result<Secret, CliError> {
    let shown = sanitize(name);
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(CliError(format!(
            "--secret-env `{shown}` is not a valid environment variable name"
        )));
    }
    match std::env::var_os(name).map(OsString::into_string) {
        None => Err(CliError(format!(
            "environment variable `{shown}` (--secret-env) is not set; export the partner's \
             secretKey in it"
        ))),
        Some(Ok(value)) if value.is_empty() => Err(CliError(format!(
            "environment variable `{shown}` (--secret-env) is empty"
        ))),
        Some(Ok(value)) => Ok(Secret::new(value)),
        Some(Err(_)) => Err(CliError(format!(
            "environment variable `{shown}` (--secret-env) is not valid UTF-8"
        ))),
    }
}

fn render_json(verdict: Result<(), SignatureError>) -> Result<String, CliError> {
    json_line(&match verdict {
        Ok(()) => Report {
            authentic: true,
            code: None,
            message: None,
        },
        Err(error) => Report {
            authentic: false,
            code: Some(error.code()),
            message: Some(error.message()),
        },
    })
}

fn render_human(verdict: Result<(), SignatureError>) -> String {
    match verdict {
        Ok(()) => "authentic\n".to_owned(),
        Err(error) => format!("not authentic: {error} [{}]\n", error.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_report() {
        assert_eq!(render_human(Ok(())), "authentic\n");
        assert_eq!(
            render_human(Err(SignatureError::StaleTimestamp)),
            format!(
                "not authentic: {} [timestamp_stale]\n",
                SignatureError::StaleTimestamp
            )
        );
    }

    #[test]
    fn json_report_has_the_documented_shape() {
        assert_eq!(
            render_json(Ok(())),
            Ok("{\"authentic\": true, \"code\": null, \"message\": null}\n".to_owned())
        );
        let text = render_json(Err(SignatureError::Mismatch)).unwrap_or_default();
        assert!(
            text.starts_with(
                "{\"authentic\": false, \"code\": \"signature_mismatch\", \"message\": \""
            ),
            "{text}"
        );
    }

    #[test]
    fn invalid_variable_names_are_usage_errors() {
        for name in ["", "A=B", "A\0B"] {
            assert!(secret_from_env(name).is_err(), "{name:?}");
        }
    }
}
