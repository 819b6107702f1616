//! One module per subcommand. Each `run` returns an [`Outcome`] (standard output and verdict)
//! or a [`CliError`] (usage or I/O error) and prints nothing itself.

pub mod codes;
pub mod completions;
pub mod docs;
pub mod endpoints;
pub mod example;
pub mod explain;
pub mod fixtures;
pub mod messages;
#[cfg_attr(not(feature = "mock"), path = "mock_unavailable.rs")]
pub mod mock;
pub mod schema;
pub mod tax_id;
pub mod validate;
pub mod validate_jsonl;
pub mod webhook;

use crate::cli::Command;
use crate::output::{CliError, Outcome};

/// Runs `command`.
pub fn run(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::TaxId(args) => tax_id::run(&args),
        Command::Messages(args) => messages::run(&args),
        Command::Endpoints(args) => endpoints::run(&args),
        Command::Codes(args) => codes::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Webhook(args) => webhook::run(&args),
        Command::Example(args) => example::run(&args),
        Command::Openapi => Ok(Outcome::valid(klavi_types::openapi::document_text())),
        Command::Explain(args) => explain::run(&args),
        Command::CheckFixtures(args) => fixtures::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Mock(args) => mock::run(&args),
    }
}
