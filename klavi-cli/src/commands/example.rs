//! `klavi example MESSAGE`: a valid payload of a message, taken from its schema's examples
//! (the docs' own where they exist), pretty-printed.

use clap::Args;
use klavi_types::registry;

use crate::output::{CliError, Outcome};

/// Arguments of `klavi example`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi example create-link.request\n  \
    klavi example create-link.request --index 1 > link.json && klavi validate create-link.request link.json\n  \
    klavi example webhook.event --all")]
pub struct ExampleArgs {
    /// The message id, such as `create-link.request` (see `klavi messages`).
    #[arg(value_name = "MESSAGE", value_parser = crate::message_ids::MessageIdParser, hide_possible_values = true)]
    pub message: String,
    /// Which example (0-based) when the schema has several.
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// Print every example, as a JSON array.
    #[arg(long, conflicts_with = "index")]
    pub all: bool,
}

/// The usage line an unknown message id is answered with.
const USAGE: &str = "klavi example <MESSAGE> [--index N | --all]";

/// Runs `klavi example`.
pub fn run(args: &ExampleArgs) -> Result<Outcome, CliError> {
    let info = registry::message(&args.message)
        .ok_or_else(|| crate::message_ids::unknown(&args.message, USAGE))?;
    let examples = info.examples();
    let chosen = if args.all {
        serde_json::Value::Array(examples)
    } else {
        let count = examples.len();
        examples.into_iter().nth(args.index).ok_or_else(|| {
            CliError(format!(
                "`{}` has {count} example(s); --index {} is out of range",
                info.id, args.index
            ))
        })?
    };
    let mut stdout = serde_json::to_string_pretty(&chosen)
        .map_err(|error| CliError(format!("cannot print the example: {error}")))?;
    stdout.push('\n');
    Ok(Outcome::valid(stdout))
}
