//! `klavi validate MESSAGE --jsonl [FILE|-]`: a JSON Lines stream, one payload per line, in
//! bounded memory on every core (see [`klavi_cli::jsonl`]). Results stream to standard output as
//! they are found (invalid lines only, then a summary); a progress line goes to standard error
//! when it is a terminal.
//!
//! A closed standard output (`| head -1`) ends the run quietly with the verdict of the lines
//! read so far; any other write error (a full disk) is reported as such, exit status 2.

use std::cell::RefCell;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;

use klavi_cli::jsonl::{Output, RunError, Summary, validate_lines, write_result, write_summary};
use klavi_types::registry::MessageInfo;

use crate::cli::ValidateFormat;
use crate::output::{CliError, Outcome, Status, sanitize};
use crate::progress::Progress;

/// Runs `klavi validate --jsonl`.
pub fn run(
    message: &MessageInfo,
    file: Option<&Path>,
    format: ValidateFormat,
) -> Result<Outcome, CliError> {
    let input: Box<dyn Read + Send> = match file {
        Some(path) if path != Path::new("-") => {
            Box::new(std::fs::File::open(path).map_err(|error| {
                let shown = path.display().to_string();
                CliError(format!("cannot read `{}`: {error}", sanitize(&shown)))
            })?)
        }
        _ => Box::new(io::stdin()),
    };
    let file_name = file
        .filter(|path| *path != Path::new("-"))
        .map(|path| path.display().to_string());
    let output = match format {
        ValidateFormat::Human => Output::Human,
        ValidateFormat::Json => Output::Json,
        ValidateFormat::Github => Output::Github(file_name.as_deref()),
    };
    let progress = RefCell::new(
        io::stderr()
            .is_terminal()
            .then(|| Progress::new(io::stderr())),
    );
    let stdout = io::stdout();
    let out = RefCell::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let result = validate_lines(
        input,
        message,
        |line| write_result(&mut *out.borrow_mut(), line, output),
        |summary: &Summary| {
            if let Some(progress) = progress.borrow_mut().as_mut() {
                progress.update(summary.lines, summary.invalid);
            }
            // Each chunk's results reach the reader as soon as it is checked: a producer may
            // be waiting for them before it writes more.
            out.borrow_mut().flush()
        },
    );
    let mut out = out.into_inner();
    if let Some(progress) = progress.into_inner() {
        progress.finish();
    }
    let summary = match result {
        Ok(summary) => summary,
        Err(RunError::Read(error)) => {
            return Err(CliError(format!("cannot read the input: {error}")));
        }
        Err(RunError::Write(error, summary)) => return write_failed(&error, &summary),
    };
    let finished = if format == ValidateFormat::Github {
        Ok(())
    } else {
        write_summary(&mut out, &summary, format == ValidateFormat::Json)
    }
    .and_then(|()| out.flush());
    if let Err(error) = finished {
        return write_failed(&error, &summary);
    }
    Ok(Outcome {
        stdout: String::new(),
        status: verdict(&summary),
    })
}

/// The exit status of the lines read: invalid when any is.
fn verdict(summary: &Summary) -> Status {
    if summary.invalid == 0 {
        Status::Valid
    } else {
        Status::Invalid
    }
}

/// A write failed: a closed pipe ends quietly with the verdict so far; anything else is an
/// error.
fn write_failed(error: &io::Error, summary: &Summary) -> Result<Outcome, CliError> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return Ok(Outcome {
            stdout: String::new(),
            status: verdict(summary),
        });
    }
    Err(CliError(format!("cannot write the results: {error}")))
}
