//! `klavi check-fixtures FILE...`: validates payload files named after their message
//! (`anything.MESSAGE.json`, e.g. `signup.create-link.request.json`), so that a repository's
//! fixtures can be checked by a pre-commit hook or CI without a configuration file.
//!
//! Every file gets its result, in the order given: `valid`, `invalid` (each violation with its
//! line and column, in document order, pointers redacted), or `error` for a file that cannot
//! be read or whose name names no message. Each is read with the 16 MiB bound (a larger one,
//! or an endless special file, is an invalid `payload_too_large` result). Exit status: 2 if any
//! file could not be checked, else 1 if any is invalid, else 0.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use klavi_cli::render::shown_pointer;
use klavi_cli::report::locate_violations;
use klavi_types::registry;
use klavi_types::validation::Violation;

use crate::input::Input;
use crate::output::{CliError, Outcome, Status, sanitize};

/// Arguments of `klavi check-fixtures`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi check-fixtures tests/fixtures/*.json\n  \
    klavi check-fixtures signup.create-link.request.json consents.get-consent-list.response.json\n\n\
    A file's message is the longest message id its name ends with, before `.json`\n\
    (`x.create-link.request.json` → `create-link.request`). Every file gets a result.\n\
    Exit status: 2 if a file cannot be read or its name names no message, else 1 if any\n\
    is invalid, else 0.")]
pub struct FixturesArgs {
    /// The files to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// The message a fixture file is for, from its name.
pub fn message_of(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".json")?;
    registry::messages()
        .map(|m| m.id)
        .filter(|id| stem == *id || stem.ends_with(&format!(".{id}")))
        .max_by_key(|id| id.len())
}

/// What the file name of a fixture that names no message most likely meant: the hint for its
/// last two dot-separated parts (`x.create-link.requst.json` → `create-link.request`), else for
/// its last one.
fn misspelled_message(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let mut parts = stem.rsplitn(3, '.');
    let last = parts.next()?;
    let two = parts.next().map(|before| format!("{before}.{last}"));
    two.and_then(|two| crate::message_ids::hint(&two))
        .or_else(|| crate::message_ids::hint(last))
}

/// What checking one file gave.
enum FileResult {
    Checked(&'static str, Vec<Violation>, Vec<u8>),
    Unchecked(String),
}

/// Runs `klavi check-fixtures`.
pub fn run(args: &FixturesArgs) -> Result<Outcome, CliError> {
    let mut stdout = String::new();
    let (mut invalid, mut unchecked) = (false, false);
    for path in &args.files {
        let shown = sanitize(&path.display().to_string()).into_owned();
        match check(path) {
            FileResult::Unchecked(why) => {
                unchecked = true;
                let _ = writeln!(stdout, "error: {shown}: {why}");
            }
            FileResult::Checked(message, violations, _) if violations.is_empty() => {
                let _ = writeln!(stdout, "valid: {shown} ({message})");
            }
            FileResult::Checked(message, violations, bytes) => {
                invalid = true;
                let count = violations.len();
                let _ = writeln!(
                    stdout,
                    "invalid: {shown} ({message}): {count} violation{}",
                    if count == 1 { "" } else { "s" }
                );
                for item in locate_violations(&bytes, &violations) {
                    let at = item
                        .location
                        .map(|l| format!("line {}, column {}: ", l.line, l.column))
                        .unwrap_or_default();
                    let _ = writeln!(
                        stdout,
                        "  {at}{}: {} [{}]",
                        shown_pointer(item.violation),
                        sanitize(item.violation.message()),
                        item.violation.code()
                    );
                }
            }
        }
    }
    let status = if unchecked {
        Status::Unchecked
    } else if invalid {
        Status::Invalid
    } else {
        Status::Valid
    };
    Ok(Outcome { stdout, status })
}

/// Checks one file.
fn check(path: &Path) -> FileResult {
    let Some(message) = message_of(path) else {
        let hint = misspelled_message(path)
            .map(|hint| format!("; {hint}"))
            .unwrap_or_default();
        return FileResult::Unchecked(format!(
            "the file name names no message (expected `NAME.MESSAGE.json`, e.g. \
             `x.create-link.request.json`; every message id: `klavi messages`){hint}"
        ));
    };
    match crate::input::read_input(Some(path)) {
        Err(error) => FileResult::Unchecked(
            error
                .0
                .rsplit_once(": ")
                .map_or(error.0.clone(), |(_, why)| why.to_owned()),
        ),
        Ok((_, Input::TooLarge)) => FileResult::Checked(
            message,
            vec![klavi_cli::payload_too_large("file")],
            Vec::new(),
        ),
        Ok((_, Input::Bytes(bytes))) => match klavi_types::registry::message(message) {
            Some(info) => {
                let violations = (info.check_json)(&bytes)
                    .err()
                    .map(|errors| errors.into_iter().collect())
                    .unwrap_or_default();
                FileResult::Checked(message, violations, bytes)
            }
            None => FileResult::Unchecked(format!("unknown message `{message}`")),
        },
    }
}
