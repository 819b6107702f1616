//! `klavi validate MESSAGE --jsonl [FILE|-]`: a JSON Lines stream, one payload per line, in
//! constant memory on every core (see [`klavi_cli::jsonl`]). Results stream to standard output as
//! they are found (invalid lines only, then a summary); a progress line goes to standard error
//! when it is a terminal.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry::MessageInfo;

use crate::cli::ValidateFormat;
use crate::output::{CliError, Outcome, Status, sanitize};
use klavi_cli::jsonl::{Summary, validate_lines, write_result, write_summary};

/// Runs `klavi validate --jsonl`.
pub fn run(
    message: &MessageInfo,
    file: Option<&Path>,
    format: ValidateFormat,
) -> Result<Outcome, CliError> {
    let input: Box<dyn BufRead> = match file {
        Some(path) if path != Path::new("-") => {
            let file = std::fs::File::open(path).map_err(|error| {
                let shown = path.display().to_string();
                CliError(format!("cannot read `{}`: {error}", sanitize(&shown)))
            })?;
            Box::new(BufReader::with_capacity(1 << 20, file))
        }
        _ => Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
    };
    let json = format == ValidateFormat::Json;
    let file_name = file
        .filter(|path| *path != Path::new("-"))
        .map(|path| sanitize(&path.display().to_string()).into_owned());
    let progress = io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed}, {per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let diagnostics = Diagnostics::new();
    let result = validate_lines(
        input,
        message,
        &diagnostics,
        |line| match format {
            ValidateFormat::Github => {
                for violation in &line.violations {
                    let file = file_name
                        .as_deref()
                        .map(|f| format!("file={},", escape_property(f)))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "::error {file}line={},title={}::{}: {}",
                        line.line,
                        violation.code(),
                        escape_data(violation.pointer()),
                        escape_data(violation.message())
                    )?;
                }
                Ok(())
            }
            _ => write_result(&mut out, line, json),
        },
        |summary: &Summary| {
            if let Some(bar) = &progress {
                bar.set_position(summary.lines);
                bar.set_message(format!(
                    "{} payloads, {} invalid",
                    summary.lines, summary.invalid
                ));
            }
        },
    );
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(summary) => summary,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(Outcome {
                stdout: String::new(),
                status: Status::Invalid,
            });
        }
        Err(error) => return Err(CliError(format!("cannot read the input: {error}"))),
    };
    let written = if format == ValidateFormat::Github {
        Ok(())
    } else {
        write_summary(&mut out, &summary, json)
    }
    .and_then(|()| out.flush());
    if let Err(error) = written
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        return Err(CliError(format!("cannot write the results: {error}")));
    }
    let status = if summary.invalid == 0 {
        Status::Valid
    } else {
        Status::Invalid
    };
    Ok(Outcome {
        stdout: String::new(),
        status,
    })
}

/// GitHub workflow-command data escaping.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub workflow-command property escaping.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
