//! `klavi validate MESSAGE [FILE|-]`: every violation of a JSON payload as one message of the
//! API, from the compiled check of the message (`MessageInfo::check_json`: the list the
//! `diagnostics` feature of klavi-types gives, without `jsonschema`). Malformed JSON and a payload over 16 MiB are invalid
//! payloads (exit status 1), reported like any violation; an unknown message id or an
//! unreadable file is a usage or I/O error (exit status 2).
//!
//! Each violation is located in the source text (line and column, see
//! [`klavi_cli::report`]) and listed in document order, in every format. Pointers are redacted
//! (a member name that may carry personal data shows as `***`) and messages never contain a
//! payload value. `--format human` draws a frame of the payload's own text at each violation,
//! with everything personal, secret or undeclared hidden (see [`klavi_cli::mask`]).
//!
//! A valid product report of a product this version does not type is valid as an envelope; the
//! report says so (a `note:` line, or `notes` in JSON), since its body went unchecked.

use klavi_cli::render::{self, Located};
use klavi_cli::report::{locate_violations, masking_for};
use klavi_types::registry;
use serde::Serialize;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::input::Input;
use crate::output::{CliError, Outcome, Status, detect_style, json_line};

/// The `--format json` report.
#[derive(Serialize)]
struct Report {
    valid: bool,
    errors: Vec<Error>,
    /// What a valid payload leaves unchecked (absent when nothing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// One violation in the `--format json` report.
#[derive(Serialize)]
struct Error {
    pointer: String,
    code: &'static str,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
}

/// Runs `klavi validate`.
pub fn run(args: &ValidateArgs) -> Result<Outcome, CliError> {
    // Check the id before reading: an unknown id must not wait for standard input.
    let Some(message) = registry::message(&args.message) else {
        return Err(crate::message_ids::unknown(
            &args.message,
            "klavi validate <MESSAGE> [FILE|-] [--jsonl] [--format human|json|github]",
        ));
    };
    if args.jsonl {
        return super::validate_jsonl::run(message, args.file.as_deref(), args.format);
    }
    let (source, input) = crate::input::read_input(args.file.as_deref())?;
    let stdin = source == "stdin";
    let (bytes, violations) = match input {
        Input::Bytes(bytes) => {
            let violations = (message.check_json)(&bytes)
                .err()
                .map(|errors| errors.into_iter().collect())
                .unwrap_or_default();
            (bytes, violations)
        }
        Input::TooLarge => (Vec::new(), vec![klavi_cli::payload_too_large("payload")]),
    };
    let status = if violations.is_empty() {
        Status::Valid
    } else {
        Status::Invalid
    };
    let located = locate_violations(&bytes, &violations);
    let notes: Vec<String> = if violations.is_empty() {
        unchecked_body_note(message.id, &bytes)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let stdout = match args.format {
        ValidateFormat::Json => render_json(&located, notes)?,
        ValidateFormat::Human => {
            let mut out = render::human(
                message.id,
                &source,
                &bytes,
                &located,
                &masking_for(message.id, &bytes),
                detect_style(),
            );
            for note in &notes {
                out.push_str(&format!("note: {note}\n"));
            }
            out
        }
        ValidateFormat::Github => {
            let file = (!stdin).then_some(source.as_str());
            render::github(file, None, &located)
        }
    };
    Ok(Outcome { stdout, status })
}

/// For a valid product report whose `productName` chooses no body this version types: that its
/// body was kept, not checked. The name is shown only when it is a product name (snake_case).
///
/// The payload was already checked, so only `productName` is read (the body is skipped, not
/// deserialized a second time) and looked up in the generated list of known names.
fn unchecked_body_note(message_id: &str, bytes: &[u8]) -> Option<String> {
    use klavi_types::reports::ProductReportBody;
    #[derive(serde::Deserialize)]
    struct ProductNameOnly {
        #[serde(rename = "productName")]
        product_name: String,
    }
    if message_id != "product-report.webhook" {
        return None;
    }
    let name = serde_json::from_slice::<ProductNameOnly>(bytes)
        .ok()?
        .product_name;
    if ProductReportBody::KNOWN.contains(&name.as_str()) {
        return None;
    }
    let shown = if klavi_types::formats::ProductName::parse(&name).is_ok() {
        format!("`{name}`")
    } else {
        "this `productName`".to_owned()
    };
    Some(format!(
        "{shown} is not a product this version of klavi-types types: the envelope is checked, \
         the body is kept as exact JSON, unchecked"
    ))
}

fn render_json(located: &[Located<'_>], notes: Vec<String>) -> Result<String, CliError> {
    json_line(&Report {
        notes,
        valid: located.is_empty(),
        errors: located
            .iter()
            .map(|item| Error {
                pointer: item.violation.shown_pointer().into_owned(),
                code: item.violation.code(),
                message: item.violation.message().to_owned(),
                line: item.location.as_ref().map(|l| l.line),
                column: item.location.as_ref().map(|l| l.column),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use klavi_types::validation::Violation;

    use super::*;

    #[test]
    fn json_report_has_the_documented_shape() {
        let violations = [
            Violation::new("/email", "email", "bad"),
            Violation::new("/nope", "required", "missing"),
            Violation::new("/a/b", "x", "nowhere"),
            Violation::new("/529.982", "unknown_field", "`***` is not a member"),
        ];
        let source = b"{\n  \"email\": \"x\", \"529.982\": 1\n}";
        assert_eq!(
            render_json(&locate_violations(source, &violations), Vec::new()),
            Ok(concat!(
                "{\"valid\": false, \"errors\": [",
                "{\"pointer\": \"/nope\", \"code\": \"required\", \"message\": \"missing\", \"line\": 1, \"column\": 1}, ",
                "{\"pointer\": \"/email\", \"code\": \"email\", \"message\": \"bad\", \"line\": 2, \"column\": 12}, ",
                "{\"pointer\": \"/***\", \"code\": \"unknown_field\", \"message\": \"`***` is not a member\", \"line\": 2, \"column\": 17}, ",
                "{\"pointer\": \"/a/b\", \"code\": \"x\", \"message\": \"nowhere\", \"line\": null, \"column\": null}]}\n"
            )
            .to_owned())
        );
        assert_eq!(
            render_json(&[], Vec::new()),
            Ok("{\"valid\": true, \"errors\": []}\n".to_owned())
        );
        assert_eq!(
            render_json(&[], vec!["n".to_owned()]),
            Ok("{\"valid\": true, \"errors\": [], \"notes\": [\"n\"]}\n".to_owned())
        );
    }
}
