//! `klavi validate MESSAGE [FILE|-]`: every violation of a JSON payload as one message of the
//! API, from [`Diagnostics::check`]. Malformed JSON is an invalid payload (exit status 1)
//! reported with its line and column; an unknown message id or an unreadable file is a usage
//! or I/O error (exit status 2).
//!
//! Only the library's violations are printed (pointer, code, message), and their messages
//! never contain payload values; nothing here adds one.

use std::io::Read;
use std::path::Path;

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry;
use klavi_types::validation::Violation;
use serde::Serialize;

use crate::cli::{Format, ValidateArgs};
use crate::output::{CliError, Outcome, Status, json_line, sanitize};

/// The `--format json` report.
#[derive(Serialize)]
struct Report<'a> {
    valid: bool,
    errors: Vec<Error<'a>>,
}

/// One violation in the `--format json` report.
#[derive(Serialize)]
struct Error<'a> {
    pointer: &'a str,
    code: &'a str,
    message: &'a str,
}

/// Runs `klavi validate`.
pub fn run(args: &ValidateArgs) -> Result<Outcome, CliError> {
    // Check the id before reading: an unknown id must not wait for standard input.
    if registry::message(&args.message).is_none() {
        return Err(super::unknown_message(&args.message));
    }
    let (source, bytes) = read_input(args.file.as_deref())?;
    let violations = Diagnostics::new()
        .check(&args.message, &bytes)
        .map_err(|_| super::unknown_message(&args.message))?;
    let status = if violations.is_empty() {
        Status::Valid
    } else {
        Status::Invalid
    };
    let stdout = match args.format {
        Format::Json => render_json(&violations)?,
        Format::Human => render_human(&args.message, &source, &violations),
    };
    Ok(Outcome { stdout, status })
}

/// Reads `file`, or standard input for `None` and `-`; returns a name for the source too.
fn read_input(file: Option<&Path>) -> Result<(String, Vec<u8>), CliError> {
    match file {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            std::fs::read(path)
                .map(|bytes| (name, bytes))
                .map_err(|error| {
                    CliError(format!(
                        "cannot read `{}`: {error}",
                        sanitize(&path.display().to_string())
                    ))
                })
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|error| CliError(format!("cannot read standard input: {error}")))?;
            Ok(("stdin".to_owned(), bytes))
        }
    }
}

fn render_json(violations: &[Violation]) -> Result<String, CliError> {
    json_line(&Report {
        valid: violations.is_empty(),
        errors: violations
            .iter()
            .map(|v| Error {
                pointer: v.pointer(),
                code: v.code(),
                message: v.message(),
            })
            .collect(),
    })
}

fn render_human(message: &str, source: &str, violations: &[Violation]) -> String {
    let (message, source) = (sanitize(message), sanitize(source));
    if violations.is_empty() {
        return format!("valid: {message} ({source})\n");
    }
    let count = violations.len();
    let noun = if count == 1 {
        "violation"
    } else {
        "violations"
    };
    let mut out = format!("invalid: {message} ({source}): {count} {noun}\n");
    for violation in violations {
        let pointer = match violation.pointer() {
            "" => "(root)".into(),
            pointer => sanitize(pointer),
        };
        out.push_str(&format!(
            "  {pointer}: {} [{}]\n",
            sanitize(violation.message()),
            violation.code()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_report_names_the_root() {
        let violations = [Violation::new(
            "",
            "invalid_json",
            "invalid JSON at line 1, column 1: x",
        )];
        assert_eq!(
            render_human("create-link.request", "stdin", &violations),
            "invalid: create-link.request (stdin): 1 violation\n  (root): invalid JSON at line 1, column 1: x [invalid_json]\n"
        );
        assert_eq!(render_human("m", "f", &[]), "valid: m (f)\n");
    }

    #[test]
    fn json_report_has_the_documented_shape() {
        let violations = [Violation::new("/email", "email", "bad")];
        assert_eq!(
            render_json(&violations),
            Ok("{\"valid\": false, \"errors\": [{\"pointer\": \"/email\", \"code\": \"email\", \"message\": \"bad\"}]}\n".to_owned())
        );
        assert_eq!(
            render_json(&[]),
            Ok("{\"valid\": true, \"errors\": []}\n".to_owned())
        );
    }
}
