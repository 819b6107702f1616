//! `klavi validate MESSAGE [FILE|-]`: every violation of a JSON payload as one message of the
//! API, from [`Diagnostics::check`]. Malformed JSON is an invalid payload (exit status 1)
//! reported with its line and column; an unknown message id or an unreadable file is a usage
//! or I/O error (exit status 2).
//!
//! Each violation is located in the source text (line and column, see [`crate::locate`]).
//! `--format json` and `--format github` print only the library's violations (pointer, code,
//! message, position), whose messages never contain payload values. `--format human` draws a
//! code frame of the payload's own text at each violation, with every CPF, CNPJ and e-mail
//! value that is in violation masked (see [`crate::render`]).

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry;
use klavi_types::validation::Violation;
use serde::Serialize;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::locate::{self, Location};
use crate::output::{CliError, Outcome, Status, TermStyle, json_line};
use crate::render::{self, Located};

/// The `--format json` report.
#[derive(Serialize)]
struct Report<'a> {
    valid: bool,
    errors: Vec<Error<'a>>,
}

/// One violation in the `--format json` report.
#[derive(Serialize)]
struct Error<'a> {
    pointer: &'a str,
    code: &'a str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

/// Runs `klavi validate`.
pub fn run(args: &ValidateArgs) -> Result<Outcome, CliError> {
    // Check the id before reading: an unknown id must not wait for standard input.
    let Some(message) = registry::message(&args.message) else {
        return Err(super::unknown_message(&args.message));
    };
    if args.jsonl {
        return super::validate_jsonl::run(message, args.file.as_deref(), args.format);
    }
    let (source, bytes) = crate::output::read_input(args.file.as_deref())?;
    let stdin = source == "stdin";
    let violations = Diagnostics::new()
        .check(&args.message, &bytes)
        .map_err(|_| super::unknown_message(&args.message))?;
    let status = if violations.is_empty() {
        Status::Valid
    } else {
        Status::Invalid
    };
    let stdout = match args.format {
        ValidateFormat::Json => render_json(&locate_all(&bytes, &violations))?,
        ValidateFormat::Human => render::human(
            &args.message,
            &source,
            &bytes,
            &violations,
            TermStyle::detect(),
        ),
        ValidateFormat::Github => {
            let file = (!stdin).then_some(source.as_str());
            render::github(file, &locate_all(&bytes, &violations))
        }
    };
    Ok(Outcome { stdout, status })
}

/// Every violation with its place in `bytes`: malformed JSON where the parser stopped, an
/// unknown member at its key, anything else at its value (or, for a missing member, at its
/// object).
fn locate_all<'a>(bytes: &[u8], violations: &'a [Violation]) -> Vec<Located<'a>> {
    violations
        .iter()
        .map(|violation| Located {
            violation,
            location: match violation.code() {
                "invalid_json" => syntax_error_location(bytes),
                code => locate::locate(bytes, violation.pointer(), render::target_of(code)),
            },
        })
        .collect()
}

/// Where `serde_json` stops reading malformed `bytes` (its column counts bytes; ours counts
/// characters).
fn syntax_error_location(bytes: &[u8]) -> Option<Location> {
    let error = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).err()?;
    let line_start = match error.line() {
        0 => return None,
        1 => 0,
        line => {
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .nth(line - 2)?
                .0
                + 1
        }
    };
    let offset = (line_start + error.column().saturating_sub(1)).min(bytes.len());
    let (line, column) = locate::line_column(bytes, offset);
    let end = (offset + 1).min(bytes.len());
    Some(Location {
        span: offset..end,
        line,
        column,
    })
}

fn render_json(located: &[Located<'_>]) -> Result<String, CliError> {
    json_line(&Report {
        valid: located.is_empty(),
        errors: located
            .iter()
            .map(|item| Error {
                pointer: item.violation.pointer(),
                code: item.violation.code(),
                message: item.violation.message(),
                line: item.location.as_ref().map(|l| l.line),
                column: item.location.as_ref().map(|l| l.column),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_report_has_the_documented_shape() {
        let violations = [
            Violation::new("/email", "email", "bad"),
            Violation::new("/nope", "required", "missing"),
            Violation::new("/a/b", "x", "nowhere"),
        ];
        let source = b"{\n  \"email\": \"x\"\n}";
        assert_eq!(
            render_json(&locate_all(source, &violations)),
            Ok(concat!(
                "{\"valid\": false, \"errors\": [",
                "{\"pointer\": \"/email\", \"code\": \"email\", \"message\": \"bad\", \"line\": 2, \"column\": 12}, ",
                "{\"pointer\": \"/nope\", \"code\": \"required\", \"message\": \"missing\", \"line\": 1, \"column\": 1}, ",
                "{\"pointer\": \"/a/b\", \"code\": \"x\", \"message\": \"nowhere\", \"line\": null, \"column\": null}]}\n"
            )
            .to_owned())
        );
        assert_eq!(
            render_json(&[]),
            Ok("{\"valid\": true, \"errors\": []}\n".to_owned())
        );
    }

    #[test]
    fn malformed_json_is_located_where_the_parser_stopped() {
        let source = "{\"é\": 1,\n  \"phone\": }".as_bytes();
        let location = syntax_error_location(source);
        assert_eq!(location.map(|l| (l.line, l.column)), Some((2, 12)));
        let location = syntax_error_location("{\"é\": }".as_bytes());
        assert_eq!(location.map(|l| (l.line, l.column)), Some((1, 7)));
        let location = syntax_error_location(b"{\"a\": 1");
        assert_eq!(location.map(|l| (l.line, l.column)), Some((1, 7)));
        assert_eq!(syntax_error_location(b"{}"), None);
    }
}
