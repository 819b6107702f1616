//! Batch validation of a JSON Lines stream (one payload per line) in constant memory: lines
//! are read in bounded batches, each batch is validated on every core (rayon), and results are
//! written in input order before the next batch is read. Valid lines take the typed fast path
//! only; an invalid line gets the full diagnostic report.
//!
//! Memory is bounded whatever the input: a line longer than [`MAX_LINE_BYTES`] is never held
//! (it is skipped and reported as `payload_too_large`), and a batch holds at most
//! [`BATCH_LINES`] lines and about [`BATCH_BYTES`] bytes.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry::MessageInfo;
use klavi_types::validation::Violation;
use rayon::prelude::*;
use serde::Serialize;

/// How many lines a batch holds at most.
pub const BATCH_LINES: usize = 8192;

/// About how many payload bytes a batch holds at most (it may exceed this by one line).
pub const BATCH_BYTES: usize = 32 << 20;

/// The longest line validated (16 MiB); a longer one is reported as `payload_too_large`.
pub const MAX_LINE_BYTES: usize = crate::MAX_PAYLOAD_BYTES;

/// What one line gave.
#[derive(Debug)]
pub struct LineResult {
    /// 1-based line number.
    pub line: u64,
    /// Its violations (empty when valid).
    pub violations: Vec<Violation>,
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

/// Validates every line of `input` as `message`; `report` receives each invalid line, in input
/// order; `progress` is called after each batch with the totals so far.
pub fn validate_lines<R: BufRead>(
    input: R,
    message: &MessageInfo,
    diagnostics: &Diagnostics,
    mut report: impl FnMut(&LineResult) -> std::io::Result<()>,
    mut progress: impl FnMut(&Summary),
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut input = input;
    let mut number: u64 = 0;
    let mut batch: Vec<(u64, Line)> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        let mut batch_bytes = 0usize;
        loop {
            let mut bytes = Vec::new();
            let Some(read) = read_line(&mut input, &mut bytes, MAX_LINE_BYTES)? else {
                break;
            };
            number += 1;
            summary.bytes += read.consumed;
            let line = if read.too_long {
                Line::TooLong
            } else {
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                batch_bytes += bytes.len();
                Line::Payload(bytes)
            };
            batch.push((number, line));
            if batch.len() == BATCH_LINES || batch_bytes >= BATCH_BYTES {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<LineResult> = batch
            .par_iter()
            .map(|(line, payload)| LineResult {
                line: *line,
                violations: match payload {
                    Line::TooLong => vec![too_large()],
                    Line::Payload(bytes) => match (message.check)(bytes) {
                        Ok(()) => Vec::new(),
                        Err(_) => diagnostics.check(message.id, bytes).unwrap_or_default(),
                    },
                },
            })
            .collect();
        for result in &results {
            summary.lines += 1;
            if result.violations.is_empty() {
                summary.valid += 1;
            } else {
                summary.invalid += 1;
                for violation in &result.violations {
                    *summary.codes.entry(violation.code()).or_default() += 1;
                }
                report(result)?;
            }
        }
        progress(&summary);
    }
    Ok(summary)
}

/// One line of the input, as held in a batch.
enum Line {
    /// Its bytes, without the line break.
    Payload(Vec<u8>),
    /// Longer than [`MAX_LINE_BYTES`]: skipped, not held.
    TooLong,
}

/// The violation of a line longer than [`MAX_LINE_BYTES`].
fn too_large() -> Violation {
    Violation::new(
        String::new(),
        "payload_too_large",
        format!(
            "the line is longer than {} MiB and was not validated",
            MAX_LINE_BYTES >> 20
        ),
    )
}

/// What [`read_line`] read.
struct LineRead {
    /// Bytes consumed from the input, line break included.
    consumed: u64,
    /// The line was longer than the limit: `buf` holds only its first `limit` bytes.
    too_long: bool,
}

/// Reads one line (up to and without `\n`) into `buf`, keeping at most `limit` bytes of it and
/// discarding the rest; `None` at the end of the input.
fn read_line<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<LineRead>> {
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok((consumed > 0).then_some(LineRead { consumed, too_long }));
        }
        let (chunk, found) = match available.iter().position(|&b| b == b'\n') {
            Some(end) => (&available[..end], true),
            None => (available, false),
        };
        let room = limit.saturating_sub(buf.len());
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
    pointer: &'a str,
    code: &'a str,
    message: &'a str,
}

/// Writes an invalid line: `line N: /pointer: message [code]` per violation (human), or one
/// JSON object per line (`{"line", "valid": false, "errors"}`).
pub fn write_result(out: &mut impl Write, result: &LineResult, json: bool) -> std::io::Result<()> {
    if json {
        let line = JsonLine {
            line: result.line,
            valid: false,
            errors: result
                .violations
                .iter()
                .map(|v| JsonError {
                    pointer: v.pointer(),
                    code: v.code(),
                    message: v.message(),
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    } else {
        for violation in &result.violations {
            writeln!(out, "line {}: {violation}", result.line)?;
        }
        Ok(())
    }
}

/// Writes the summary: a human paragraph, or a final JSON line `{"summary": {...}}`.
pub fn write_summary(out: &mut impl Write, summary: &Summary, json: bool) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &serde_json::json!({ "summary": summary }))
            .map_err(std::io::Error::other)?;
        return out.write_all(b"\n");
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

    #[test]
    fn results_come_in_input_order_with_line_numbers_and_a_summary() {
        let message = klavi_types::registry::message("get-consent-list.query").unwrap();
        let diagnostics = Diagnostics::new();
        let mut input = String::new();
        let mut expected_invalid = Vec::new();
        for i in 1..=20_000u64 {
            if i % 997 == 0 {
                input.push_str("{\"linkId\": \"l\"}\n");
                expected_invalid.push(i);
            } else if i % 1499 == 0 {
                input.push('\n');
            } else {
                input.push_str("{\"personalTaxId\": \"28001238938\"}\r\n");
            }
        }
        let mut seen = Vec::new();
        let summary = validate_lines(
            input.as_bytes(),
            message,
            &diagnostics,
            |result| {
                seen.push(result.line);
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(seen, expected_invalid);
        assert_eq!(summary.invalid, expected_invalid.len() as u64);
        assert_eq!(summary.codes.get("missing_one_of"), Some(&summary.invalid));
        assert_eq!(summary.lines + 13, 20_000, "13 blank lines are skipped");
        assert_eq!(summary.valid + summary.invalid, summary.lines);
    }

    #[test]
    fn read_line_keeps_at_most_the_limit_and_counts_every_byte() {
        let text = b"ab\nabcdefgh\n\nlast";
        let mut input = std::io::BufReader::with_capacity(3, &text[..]);
        let mut lines = Vec::new();
        loop {
            let mut buf = Vec::new();
            match read_line(&mut input, &mut buf, 4).unwrap() {
                Some(read) => lines.push((buf, read.consumed, read.too_long)),
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
    fn an_overlong_line_is_reported_not_held() {
        let message = klavi_types::registry::message("get-consent-list.query").unwrap();
        let mut input = b"{\"personalTaxId\": \"28001238938\"}\n".to_vec();
        input.extend(std::iter::repeat_n(b' ', MAX_LINE_BYTES + 10));
        input.extend_from_slice(b"{}\n{\"linkId\": \"l\"}\n");
        let mut invalid = Vec::new();
        let summary = validate_lines(
            &input[..],
            message,
            &Diagnostics::new(),
            |result| {
                invalid.push((result.line, result.violations[0].code()));
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(
            invalid,
            vec![(2, "payload_too_large"), (3, "missing_one_of")]
        );
        assert_eq!(
            summary.bytes,
            input.len() as u64,
            "every byte is counted once"
        );
        assert_eq!((summary.lines, summary.valid), (3, 1));
    }
}
