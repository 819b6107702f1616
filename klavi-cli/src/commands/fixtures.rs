//! `klavi check-fixtures FILE...`: validates payload files named after their message
//! (`anything.MESSAGE.json`, e.g. `signup.create-link.request.json`), so that a repository's
//! fixtures can be checked by a pre-commit hook or CI without a configuration file.

use std::path::{Path, PathBuf};

use clap::Args;
use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry;

use crate::output::{CliError, Outcome, Status};

/// Arguments of `klavi check-fixtures`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi check-fixtures tests/fixtures/*.json\n  \
    klavi check-fixtures signup.create-link.request.json consents.get-consent-list.response.json\n\n\
    A file's message is the longest message id its name ends with, before `.json`\n\
    (`x.create-link.request.json` → `create-link.request`). Exit status: 0 all valid,\n\
    1 any invalid, 2 a file that cannot be read or whose name names no message.")]
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

/// Runs `klavi check-fixtures`.
pub fn run(args: &FixturesArgs) -> Result<Outcome, CliError> {
    let diagnostics = Diagnostics::new();
    let mut stdout = String::new();
    let mut invalid = 0;
    for path in &args.files {
        let display = path.display().to_string();
        let shown = crate::output::sanitize(&display);
        let message = message_of(path).ok_or_else(|| {
            CliError(format!(
                "{shown}: the file name names no message (expected `NAME.MESSAGE.json`, e.g. `x.create-link.request.json`)"
            ))
        })?;
        let bytes = std::fs::read(path).map_err(|error| CliError(format!("{shown}: {error}")))?;
        let violations = diagnostics
            .check(message, &bytes)
            .map_err(|error| CliError(error.to_string()))?;
        if violations.is_empty() {
            stdout.push_str(&format!("valid: {shown} ({message})\n"));
        } else {
            invalid += 1;
            stdout.push_str(&format!(
                "invalid: {shown} ({message}): {} violation{}\n",
                violations.len(),
                if violations.len() == 1 { "" } else { "s" }
            ));
            for violation in &violations {
                stdout.push_str(&format!("  {violation}\n"));
            }
        }
    }
    let status = if invalid == 0 {
        Status::Valid
    } else {
        Status::Invalid
    };
    Ok(Outcome { stdout, status })
}
