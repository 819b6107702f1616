//! Batch validation of a JSON Lines stream (one payload per line) on every core, in bounded
//! memory, results in input order.
//!
//! * **One verdict**: a line is valid exactly when `klavi validate` would say so of the same
//!   payload: both ask the compiled check (`MessageInfo::check_json`), which reads the line
//!   once, builds nothing and allocates nothing while it is valid.
//! * **Every core, reading overlapped**: a thread of its own reads the input, [`READ_BYTES`]
//!   at a time, and gathers it in a shared buffer (`feed`); whenever the checker is idle it
//!   takes every whole line gathered, cuts them into pieces at line breaks, a few per core,
//!   and checks them with rayon (`lines`); the results are reported in input order, with their
//!   line numbers. A valid line is never copied again nor allocated for.
//! * **Bounded memory**: the reader stops reading while [`CHUNK_BYTES`] wait to be taken, and
//!   a line longer than [`MAX_LINE_BYTES`] (its line break not counted) is dropped as soon as
//!   its unfinished part passes the limit, then reported as `payload_too_large` (one whose end
//!   comes in the read that passes the limit is held one read longer, and refused by the
//!   checker): the memory does not grow with the input. The README gives the peak this makes.
//! * **Streaming**: the checker never waits for a read, so a slow producer that waits for its
//!   results before it writes again sees each one as soon as its line is complete.
//! * Blank lines (JSON whitespace only: space, tab, CR) are skipped and not counted; any other
//!   line, a form feed alone included, is a payload.

mod feed;
mod lines;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;

use klavi_types::registry::MessageInfo;
use klavi_types::validation::Violation;
use serde::Serialize;

use crate::render::{self, Located};
use crate::report::locate_violations;

pub use feed::{CHUNK_BYTES, READ_BYTES};

/// The longest line validated (16 MiB, its line break not counted); a longer one is reported
/// as `payload_too_large`.
pub const MAX_LINE_BYTES: usize = crate::MAX_PAYLOAD_BYTES;

/// One violation of a line and its column within the line.
#[derive(Debug)]
pub struct LineError {
    /// The violation.
    pub violation: Violation,
    /// 1-based column (characters) in the line, when located.
    pub column: Option<usize>,
}

/// What one line gave.
#[derive(Debug)]
pub struct LineResult {
    /// 1-based line number.
    pub line: u64,
    /// Its violations in document order (empty when valid).
    pub errors: Vec<LineError>,
}

/// Totals of a run.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Payload lines read (blank lines are skipped and not counted).
    pub lines: u64,
    /// Valid payloads.
    pub valid: u64,
    /// Invalid payloads.
    pub invalid: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Violations by code.
    pub codes: BTreeMap<&'static str, u64>,
}

/// Why a run stopped early.
#[derive(Debug)]
pub enum RunError {
    /// The input could not be read.
    Read(io::Error),
    /// A result could not be written (a closed pipe, a full disk); the totals so far are kept.
    Write(io::Error, Summary),
}

/// Validates every line of `input` as `message`; `report` receives each invalid line in input
/// order, `batch_done` is called after each chunk with the totals so far (flush output there).
///
/// The input is read on a thread of its own (hence `Send + 'static`: pass a `File`, standard
/// input, or an owned `std::io::Cursor`); when `report` or `batch_done` fails, the run returns
/// at once and that thread stops at its next read.
pub fn validate_lines<R: Read + Send + 'static>(
    input: R,
    message: &MessageInfo,
    mut report: impl FnMut(&LineResult) -> io::Result<()>,
    mut batch_done: impl FnMut(&Summary) -> io::Result<()>,
) -> Result<Summary, RunError> {
    let feed = Arc::new(feed::Feed::new(CHUNK_BYTES, MAX_LINE_BYTES));
    let reading = Arc::clone(&feed);
    std::thread::Builder::new()
        .name("klavi-jsonl-read".into())
        .spawn(move || reading.read_all(input, feed::READ_BYTES))
        .map_err(RunError::Read)?;
    // However this returns, the reader stops at its next read.
    let _hang_up = HangUp(&feed);
    let mut summary = Summary::default();
    // The number of the chunk's first line.
    let mut first_line: u64 = 1;
    while let Some(chunk) = feed.next() {
        match chunk {
            feed::Chunk::Failed(error) => return Err(RunError::Read(error)),
            feed::Chunk::TooLong { bytes } => {
                summary.bytes += bytes;
                let result = LineResult {
                    line: first_line,
                    errors: vec![too_long()],
                };
                first_line += 1;
                summary.lines += 1;
                count_invalid(&mut summary, &result);
                report(&result).map_err(|e| RunError::Write(e, take(&mut summary)))?;
            }
            feed::Chunk::Lines(buffer) => {
                summary.bytes += buffer.len() as u64;
                let pieces = lines::check_chunk(&buffer, message);
                // The results own what they hold: the buffer can be filled again already.
                feed.give_back(buffer);
                for piece in pieces {
                    // The totals, when a line is reported, are those of the lines up to it.
                    let mut counted = 0;
                    for invalid in piece.invalid {
                        let valid_before = invalid.payloads_before - counted;
                        summary.valid += valid_before;
                        summary.lines += valid_before + 1;
                        counted = invalid.payloads_before + 1;
                        let result = LineResult {
                            line: first_line + invalid.line - 1,
                            errors: invalid.errors,
                        };
                        count_invalid(&mut summary, &result);
                        report(&result).map_err(|e| RunError::Write(e, take(&mut summary)))?;
                    }
                    summary.valid += piece.payloads - counted;
                    summary.lines += piece.payloads - counted;
                    first_line += piece.lines;
                }
            }
        }
        batch_done(&summary).map_err(|e| RunError::Write(e, take(&mut summary)))?;
    }
    Ok(summary)
}

/// Stops the reader when dropped.
struct HangUp<'a>(&'a feed::Feed);

impl Drop for HangUp<'_> {
    fn drop(&mut self) {
        self.0.hang_up();
    }
}

/// Counts an invalid line and its violations' codes.
fn count_invalid(summary: &mut Summary, result: &LineResult) {
    summary.invalid += 1;
    for error in &result.errors {
        *summary.codes.entry(error.violation.code()).or_default() += 1;
    }
}

/// The totals, leaving defaults behind (for an error that carries them).
fn take(summary: &mut Summary) -> Summary {
    std::mem::take(summary)
}

/// The violation of a line longer than [`MAX_LINE_BYTES`].
fn too_long() -> LineError {
    LineError {
        violation: crate::payload_too_large("line"),
        column: None,
    }
}

/// The violations of one payload, located and in document order: those of the compiled check
/// (`MessageInfo::check_json`), which allocates nothing for a valid line.
fn check_line(message: &MessageInfo, bytes: &[u8]) -> Vec<LineError> {
    let Err(errors) = (message.check_json)(bytes) else {
        return Vec::new();
    };
    let violations: Vec<_> = errors.into_iter().collect();
    locate_violations(bytes, &violations)
        .into_iter()
        .map(|item| LineError {
            column: item.location.map(|l| l.column),
            violation: item.violation.clone(),
        })
        .collect()
}

/// One invalid line as JSON Lines output.
#[derive(Serialize)]
struct JsonLine<'a> {
    line: u64,
    valid: bool,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    pointer: String,
    code: &'a str,
    message: &'a str,
    column: Option<usize>,
}

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output<'a> {
    /// `line N, column C: /pointer: message [code]`, one per violation.
    Human,
    /// One JSON object per invalid line (`{"line", "valid": false, "errors"}`).
    Json,
    /// GitHub workflow commands, naming this file when it is not standard input.
    Github(Option<&'a str>),
}

/// Writes an invalid line in `output`'s format. Pointers are redacted and every text from the
/// payload is escaped.
pub fn write_result(
    out: &mut impl Write,
    result: &LineResult,
    output: Output<'_>,
) -> io::Result<()> {
    match output {
        Output::Json => {
            let line = JsonLine {
                line: result.line,
                valid: false,
                errors: result
                    .errors
                    .iter()
                    .map(|e| JsonError {
                        pointer: e.violation.shown_pointer().into_owned(),
                        code: e.violation.code(),
                        message: e.violation.message(),
                        column: e.column,
                    })
                    .collect(),
            };
            // Serialized first, so that a write error keeps its kind (a closed pipe).
            let mut text = serde_json::to_vec(&line).map_err(io::Error::other)?;
            text.push(b'\n');
            out.write_all(&text)
        }
        Output::Human => {
            for error in &result.errors {
                let at = match error.column {
                    Some(column) => format!("line {}, column {column}", result.line),
                    None => format!("line {}", result.line),
                };
                writeln!(
                    out,
                    "{at}: {}: {} [{}]",
                    render::shown_pointer(&error.violation),
                    crate::text::sanitize(error.violation.message()),
                    error.violation.code()
                )?;
            }
            Ok(())
        }
        Output::Github(file) => {
            let located: Vec<Located<'_>> = result
                .errors
                .iter()
                .map(|e| Located {
                    violation: &e.violation,
                    location: e.column.map(|column| crate::locate::Location {
                        span: 0..0,
                        line: 1,
                        column,
                        line_start: 0,
                        previous_line_start: None,
                    }),
                })
                .collect();
            out.write_all(render::github(file, Some(result.line), &located).as_bytes())
        }
    }
}

/// Writes the summary: a human paragraph, or a final JSON line `{"summary": {...}}`.
pub fn write_summary(out: &mut impl Write, summary: &Summary, json: bool) -> io::Result<()> {
    if json {
        let mut text = serde_json::to_vec(&serde_json::json!({ "summary": summary }))
            .map_err(io::Error::other)?;
        text.push(b'\n');
        return out.write_all(&text);
    }
    writeln!(
        out,
        "{} payload(s): {} valid, {} invalid",
        summary.lines, summary.valid, summary.invalid
    )?;
    for (code, count) in &summary.codes {
        writeln!(out, "  {count:>8}  {code}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<(u64, Vec<&'static str>)>, Summary) {
        let message = klavi_types::registry::message("get-consent-list.query").unwrap();
        let mut invalid = Vec::new();
        let summary = validate_lines(
            std::io::Cursor::new(input.to_vec()),
            message,
            |result| {
                invalid.push((
                    result.line,
                    result.errors.iter().map(|e| e.violation.code()).collect(),
                ));
                Ok(())
            },
            |_| Ok(()),
        )
        .map_err(|error| format!("{error:?}"))
        .unwrap();
        (invalid, summary)
    }

    #[test]
    fn results_come_in_input_order_with_line_numbers_and_a_summary() {
        let mut input = String::new();
        let mut expected_invalid = Vec::new();
        for i in 1..=20_000u64 {
            if i % 997 == 0 {
                input.push_str("{\"linkId\": \"l\"}\n");
                expected_invalid.push(i);
            } else if i % 1499 == 0 {
                input.push_str(" \t\r\n");
            } else {
                input.push_str("{\"personalTaxId\": \"28001238938\"}\r\n");
            }
        }
        let (invalid, summary) = run(input.as_bytes());
        let seen: Vec<u64> = invalid.iter().map(|(line, _)| *line).collect();
        assert_eq!(seen, expected_invalid);
        assert_eq!(summary.invalid, expected_invalid.len() as u64);
        assert_eq!(summary.codes.get("missing_one_of"), Some(&summary.invalid));
        assert_eq!(summary.lines + 13, 20_000, "13 blank lines are skipped");
        assert_eq!(summary.valid + summary.invalid, summary.lines);
    }

    #[test]
    fn only_json_whitespace_makes_a_blank_line() {
        let (invalid, summary) = run(b"\x0c\n\n \r\n\x0b\n{\"personalTaxId\": \"28001238938\"}\n");
        assert_eq!(
            invalid,
            vec![(1, vec!["invalid_json"]), (4, vec!["invalid_json"])]
        );
        assert_eq!((summary.lines, summary.valid), (3, 1));
    }

    #[test]
    fn the_limit_counts_the_payload_not_its_line_break() {
        let mut payload = b"{\"personalTaxId\": \"28001238938\"".to_vec();
        payload.resize(MAX_LINE_BYTES - 1, b' ');
        payload.push(b'}');
        for terminator in [&b"\n"[..], b"\r\n", b""] {
            let mut input = payload.clone();
            input.extend_from_slice(terminator);
            let (invalid, summary) = run(&input);
            assert_eq!(invalid, vec![], "{terminator:?}");
            assert_eq!(summary.valid, 1);
        }
        let mut input = payload.clone();
        input.insert(0, b' ');
        input.extend_from_slice(b"\r\n");
        let (invalid, _) = run(&input);
        assert_eq!(invalid, vec![(1, vec!["payload_too_large"])]);
    }

    #[test]
    fn an_overlong_line_is_reported_not_held() {
        let mut input = b"{\"personalTaxId\": \"28001238938\"}\n".to_vec();
        input.extend(std::iter::repeat_n(b' ', MAX_LINE_BYTES + 10));
        input.extend_from_slice(b"{}\n{\"linkId\": \"l\"}\n");
        let (invalid, summary) = run(&input);
        assert_eq!(
            invalid,
            vec![(2, vec!["payload_too_large"]), (3, vec!["missing_one_of"])]
        );
        assert_eq!(
            summary.bytes,
            input.len() as u64,
            "every byte is counted once"
        );
        assert_eq!((summary.lines, summary.valid), (3, 1));
    }

    #[test]
    fn write_errors_keep_the_totals_so_far() {
        let message = klavi_types::registry::message("get-consent-list.query").unwrap();
        let result = validate_lines(
            &b"{}\n{}\n"[..],
            message,
            |_| Err(io::Error::from(io::ErrorKind::BrokenPipe)),
            |_| Ok(()),
        );
        match result {
            Err(RunError::Write(error, summary)) => {
                assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
                assert_eq!(summary.invalid, 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
