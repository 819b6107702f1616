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
    let (name, body) = crate::input::read_input(args.file.as_deref())?;
    let crate::input::Input::Bytes(body) = body else {
        return Err(CliError(format!(
            "cannot read `{}`: the body is larger than {} MiB, the most `klavi` reads",
            sanitize(&name),
            klavi_cli::MAX_PAYLOAD_BYTES >> 20
        )));
    };
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

/// The secret key held by the environment variable `name`. The messages name the variable
/// only when its name [looks like one](shown_variable): a key passed by mistake as the name is
/// never echoed.
fn secret_from_env(name: &str) -> Result<Secret, CliError> {
    let shown = shown_variable(name);
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(CliError(format!(
            "--secret-env {shown} is not a valid environment variable name"
        )));
    }
    match std::env::var_os(name).map(OsString::into_string) {
        None => Err(CliError(format!(
            "environment variable {shown} (--secret-env) is not set; export the partner's \
             secretKey in it"
        ))),
        Some(Ok(value)) if value.is_empty() => Err(CliError(format!(
            "environment variable {shown} (--secret-env) is empty"
        ))),
        Some(Ok(value)) => Ok(Secret::new(value)),
        Some(Err(_)) => Err(CliError(format!(
            "environment variable {shown} (--secret-env) is not valid UTF-8"
        ))),
    }
}

/// How a `--secret-env` name is shown: in backquotes when it looks like an environment
/// variable's name (upper case letters, digits and `_`, a letter first, at most 48 characters,
/// no run of three digits, and an `_` or at most 16 characters: `KLAVI_SECRET_KEY`), else a
/// note that it is not shown, since it may be the key itself.
fn shown_variable(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut digits = 0;
    let looks_like_a_variable = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.len() <= 48
        && (name.contains('_') || bytes.len() <= 16)
        && bytes.iter().all(|&b| {
            digits = if b.is_ascii_digit() { digits + 1 } else { 0 };
            digits < 3 && (b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        });
    if looks_like_a_variable {
        format!("`{name}`")
    } else {
        "(its name is not shown: it does not look like a variable name; pass the name of the \
         variable holding the key, such as KLAVI_SECRET_KEY, never the key itself)"
            .to_owned()
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

    #[test]
    fn variable_names_are_shown_only_when_they_look_like_one() {
        for name in ["KLAVI_SECRET_KEY", "SECRET", "KEY_V2", "A"] {
            assert_eq!(shown_variable(name), format!("`{name}`"));
        }
        for name in [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "a3f1c2d4e5b6",
            "SECRET2024KEY",
            "ABCDEFGHIJKLMNOPQRSTU",
            "klavi_secret_key",
            "KEY WITH SPACE",
            "",
        ] {
            assert!(
                !shown_variable(name).contains(name) || name.is_empty(),
                "{name}"
            );
        }
    }
}
