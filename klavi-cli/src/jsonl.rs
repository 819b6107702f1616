//! Batch validation of a JSON Lines stream (one payload per line) in bounded memory: lines are
//! gathered into batches, each batch is validated on every core (rayon), and its results are
//! written, in input order, before the next batch is read.
//!
//! * **One verdict**: a line is valid exactly when `klavi validate` would say so of the same
//!   payload: both ask the compiled check (`MessageInfo::check_json`), which reads the line
//!   once, builds nothing and allocates nothing while it is valid.
//! * **Bounded memory**: a line longer than [`MAX_LINE_BYTES`] (its line break not counted) is
//!   never held (it is skipped and reported as `payload_too_large`), and a batch holds at most
//!   [`BATCH_LINES`] lines and [`BATCH_BYTES`] bytes of payload, a single longer line alone:
//!   whatever the number of cores, at most [`BATCH_BYTES`] of payload are being validated at
//!   once. The README gives the peak this makes.
//! * **Streaming**: a batch is also closed whenever the input has nothing more buffered, so a
//!   slow producer sees each result as soon as its line is validated.
//! * Blank lines (JSON whitespace only: space, tab, CR) are skipped and not counted; any other
//!   line, a form feed alone included, is a payload.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};

use klavi_types::registry::MessageInfo;
use klavi_types::validation::Violation;
use rayon::prelude::*;
use serde::Serialize;

use crate::render::{self, Located};
use crate::report::locate_violations;

/// How many lines a batch holds at most.
pub const BATCH_LINES: usize = 8192;

/// How many payload bytes a batch holds at most (a single longer line makes a batch alone).
pub const BATCH_BYTES: usize = 16 << 20;

/// The longest line validated (16 MiB, its line break not counted); a longer one is reported
/// as `payload_too_large`.
pub const MAX_LINE_BYTES: usize = crate::MAX_PAYLOAD_BYTES;

/// How many bytes of input are read ahead.
const READ_BUFFER: usize = 1 << 20;

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
/// order, `batch_done` is called after each batch with the totals so far (flush output there).
pub fn validate_lines<R: Read>(
    input: R,
    message: &MessageInfo,
    mut report: impl FnMut(&LineResult) -> io::Result<()>,
    mut batch_done: impl FnMut(&Summary) -> io::Result<()>,
) -> Result<Summary, RunError> {
    let mut input = BufReader::with_capacity(READ_BUFFER, input);
    let mut summary = Summary::default();
    let mut number: u64 = 0;
    // A batch: its lines' bytes, one after the other in `text` (one buffer, reused, rather than
    // one allocation per line), and each line's number and place in it.
    let mut text: Vec<u8> = Vec::new();
    let mut batch: Vec<(u64, Line)> = Vec::new();
    loop {
        text.clear();
        batch.clear();
        loop {
            // Nothing more buffered: validate what is gathered before waiting for more input.
            if !batch.is_empty() && input.buffer().is_empty() {
                break;
            }
            let start = text.len();
            let read = read_line(&mut input, &mut text, start, MAX_LINE_BYTES + 1)
                .map_err(RunError::Read)?;
            let Some(read) = read else {
                break;
            };
            number += 1;
            summary.bytes += read.consumed;
            // The line break is not part of the payload: `\n` is gone, `\r` before it goes too.
            if text.len() > start && text.last() == Some(&b'\r') && !read.too_long {
                text.pop();
            }
            let size = text.len() - start;
            let line = if read.too_long || size > MAX_LINE_BYTES {
                text.truncate(start);
                Line::TooLong
            } else if text[start..]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
            {
                text.truncate(start);
                continue;
            } else {
                Line::Payload(start..text.len())
            };
            if !batch.is_empty() && text.len() > BATCH_BYTES {
                // This line would pass the budget: it starts the next batch.
                let line_bytes = text.split_off(start);
                validate_batch(&text, &batch, message, &mut summary, &mut report)?;
                batch_done(&summary).map_err(|e| RunError::Write(e, take(&mut summary)))?;
                batch.clear();
                text = line_bytes;
                let moved = match line {
                    Line::Payload(range) => Line::Payload(range.start - start..range.end - start),
                    Line::TooLong => Line::TooLong,
                };
                batch.push((number, moved));
            } else {
                batch.push((number, line));
            }
            if batch.len() == BATCH_LINES || text.len() >= BATCH_BYTES {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        validate_batch(&text, &batch, message, &mut summary, &mut report)?;
        batch_done(&summary).map_err(|e| RunError::Write(e, take(&mut summary)))?;
    }
    Ok(summary)
}

/// The totals, leaving defaults behind (for an error that carries them).
fn take(summary: &mut Summary) -> Summary {
    std::mem::take(summary)
}

/// Validates one batch on every core and reports its invalid lines in order.
fn validate_batch(
    text: &[u8],
    batch: &[(u64, Line)],
    message: &MessageInfo,
    summary: &mut Summary,
    report: &mut impl FnMut(&LineResult) -> io::Result<()>,
) -> Result<(), RunError> {
    let results: Vec<LineResult> = batch
        .par_iter()
        .map(|(line, payload)| LineResult {
            line: *line,
            errors: match payload {
                Line::TooLong => vec![LineError {
                    violation: crate::payload_too_large("line"),
                    column: None,
                }],
                Line::Payload(range) => check_line(message, &text[range.clone()]),
            },
        })
        .collect();
    for result in &results {
        summary.lines += 1;
        if result.errors.is_empty() {
            summary.valid += 1;
            continue;
        }
        summary.invalid += 1;
        for error in &result.errors {
            *summary.codes.entry(error.violation.code()).or_default() += 1;
        }
        report(result).map_err(|e| RunError::Write(e, take(summary)))?;
    }
    Ok(())
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

/// One line of the input, as held in a batch.
enum Line {
    /// Where its bytes are in the batch's text, without the line break.
    Payload(std::ops::Range<usize>),
    /// Longer than [`MAX_LINE_BYTES`]: skipped, not held.
    TooLong,
}

/// What [`read_line`] read.
struct LineRead {
    /// Bytes consumed from the input, line break included.
    consumed: u64,
    /// The line was longer than the limit: `buf` holds only its first `limit` bytes.
    too_long: bool,
}

/// Reads one line (up to and without `\n`) onto the end of `buf` (where the line starts at
/// `start`), keeping at most `limit` bytes of it and discarding the rest; `None` at the end of
/// the input.
fn read_line<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    start: usize,
    limit: usize,
) -> io::Result<Option<LineRead>> {
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok((consumed > 0).then_some(LineRead { consumed, too_long }));
        }
        let (chunk, found) = match memchr::memchr(b'\n', available) {
            Some(end) => (&available[..end], true),
            None => (available, false),
        };
        let room = limit.saturating_sub(buf.len() - start);
        if chunk.len() > room {
            too_long = true;
        }
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(found);
        consumed += used as u64;
        input.consume(used);
        if found {
            return Ok(Some(LineRead { consumed, too_long }));
        }
    }
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
            input,
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
    fn read_line_keeps_at_most_the_limit_and_counts_every_byte() {
        let text = b"ab\nabcdefgh\n\nlast";
        let mut input = std::io::BufReader::with_capacity(3, &text[..]);
        let mut lines = Vec::new();
        // Lines go onto the end of one buffer, as a batch holds them.
        let mut buf = b"earlier".to_vec();
        loop {
            let start = buf.len();
            match read_line(&mut input, &mut buf, start, 4).unwrap() {
                Some(read) => lines.push((buf[start..].to_vec(), read.consumed, read.too_long)),
                None => break,
            }
        }
        assert_eq!(
            lines,
            vec![
                (b"ab".to_vec(), 3, false),
                (b"abcd".to_vec(), 9, true),
                (Vec::new(), 1, false),
                (b"last".to_vec(), 4, false),
            ]
        );
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
