//! The `klavi` command-line tool: validates Klavi Data API payloads against the bundled
//! schemas, checks CPFs and CNPJs, and lists the endpoints and violation codes.
//!
//! Exit status: 0 success (valid), 1 invalid payload or tax id, 2 usage or I/O error.
//! Results go to standard output, errors to standard error. A closed standard output (`klavi
//! endpoints | head -1`) ends the output quietly and keeps the exit status of the verdict.

mod cli;
mod commands;
mod input;
mod message_ids;
mod output;
mod progress;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

/// The exit status of usage and I/O errors.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout (status 0), usage errors to stderr (status 2);
            // a closed stream is not worth a panic.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_ERROR));
        }
    };
    match commands::run(cli.command) {
        Ok(outcome) => match write_stdout(&outcome.stdout) {
            Ok(()) => ExitCode::from(outcome.status.exit_code()),
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                ExitCode::from(outcome.status.exit_code())
            }
            Err(error) => {
                report(&format!("cannot write standard output: {error}"));
                ExitCode::from(USAGE_ERROR)
            }
        },
        Err(error) => {
            report(&error.to_string());
            ExitCode::from(USAGE_ERROR)
        }
    }
}

fn write_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Prints `message` on standard error, ignoring a failure to do so.
fn report(message: &str) {
    let _ = writeln!(io::stderr().lock(), "error: {message}");
}
