//! Batch validation of a JSON Lines stream (one payload per line) in constant memory: lines
//! are read in bounded batches, each batch is validated on every core (rayon), and results are
//! written in input order before the next batch is read. Valid lines take the typed fast path
//! only; an invalid line gets the full diagnostic report.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry::MessageInfo;
use klavi_types::validation::Violation;
use rayon::prelude::*;
use serde::Serialize;

/// How many lines a batch holds at most (memory is bounded by this times the longest line).
pub const BATCH_LINES: usize = 8192;

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
    let mut lines = input.split(b'\n');
    let mut number: u64 = 0;
    let mut batch: Vec<(u64, Vec<u8>)> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        for line in lines.by_ref() {
            let mut line = line?;
            number += 1;
            summary.bytes += line.len() as u64 + 1;
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch.push((number, line));
            if batch.len() == BATCH_LINES {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<LineResult> = batch
            .par_iter()
            .map(|(line, bytes)| LineResult {
                line: *line,
                violations: match (message.check)(bytes) {
                    Ok(()) => Vec::new(),
                    Err(_) => diagnostics.check(message.id, bytes).unwrap_or_default(),
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
}
