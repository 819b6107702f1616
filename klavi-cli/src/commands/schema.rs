//! `klavi schema MESSAGE`: prints the bundled JSON Schema (draft 2020-12, self-contained) that
//! `klavi validate` checks a message against.

use klavi_types::registry;

use crate::cli::SchemaArgs;
use crate::output::{CliError, Outcome};

/// Runs `klavi schema`.
pub fn run(args: &SchemaArgs) -> Result<Outcome, CliError> {
    let info = registry::message(&args.message)
        .ok_or_else(|| crate::message_ids::unknown(&args.message, "klavi schema <MESSAGE>"))?;
    let mut stdout = match serde_json::from_str::<serde_json::Value>(info.schema) {
        Ok(value) => {
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| info.schema.to_owned())
        }
        Err(_) => info.schema.to_owned(),
    };
    stdout.push('\n');
    Ok(Outcome::valid(stdout))
}
