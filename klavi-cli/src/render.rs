//! Renderings of located violations for `klavi validate`: code frames for people (drawn by
//! `miette`) and GitHub Actions workflow commands.
//!
//! Personal data: a code frame shows the payload's own text, but every string value at the
//! pointer of a violation about a CPF, a CNPJ or an e-mail address is masked (`"*****"`, same
//! number of characters) before anything is drawn, so those values never reach the output.

use std::fmt::{self, Write as _};
use std::ops::Range;

use klavi_types::validation::Violation;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

use crate::locate::{self, Location, Target};
use crate::output::{TermStyle, sanitize};

/// A violation and where it lies in the source text, when known.
pub struct Located<'a> {
    /// The violation.
    pub violation: &'a Violation,
    /// Where its pointer lands in the source, if anywhere.
    pub location: Option<Location>,
}

/// What the pointer of a violation with `code` names: an unknown member's key, else a value.
pub fn target_of(code: &str) -> Target {
    if code == "unknown_field" {
        Target::Key
    } else {
        Target::Value
    }
}

/// `true` for the codes whose value is personal data to mask (tax ids and e-mail addresses).
fn is_personal(code: &str) -> bool {
    code.starts_with("cpf_") || code.starts_with("cnpj_") || code == "email"
}

/// The text shown in code frames: `source` with the personal values of `violations` and the
/// `sensitive` pointers (every value the schema marks as personal data or a secret) masked,
/// control characters (other than newlines and tabs) and bidirectional controls replaced, or
/// `None` when `source` is not UTF-8.
pub fn display_text(
    source: &[u8],
    violations: &[Violation],
    sensitive: &[String],
) -> Option<String> {
    let text = std::str::from_utf8(source).ok()?;
    let mut masked: Vec<Range<usize>> = Vec::new();
    let pointers = violations
        .iter()
        .filter(|v| is_personal(v.code()))
        .map(Violation::pointer)
        .chain(sensitive.iter().map(String::as_str));
    for pointer in pointers {
        locate::string_values(source, pointer, |span| {
            // Inside the quotes.
            masked.push(span.start + 1..span.end - 1);
        });
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let replacement = if masked.iter().any(|range| range.contains(&at)) {
            '*'
        } else {
            match c {
                '\n' | '\t' => c,
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => c,
                // Still JSON whitespace, so the masked text can be located again.
                '\r' => ' ',
                '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}' => char::REPLACEMENT_CHARACTER,
                _ if c.is_control() => char::REPLACEMENT_CHARACTER,
                _ => c,
            }
        };
        out.push(replacement);
    }
    Some(out)
}

/// The human report: a header line, then one code frame per violation located in the source
/// (one plain line for the others).
pub fn human(
    message: &str,
    source_name: &str,
    source: &[u8],
    violations: &[Violation],
    style: TermStyle,
) -> String {
    let (message, source_name) = (sanitize(message), sanitize(source_name));
    if violations.is_empty() {
        return format!("valid: {message} ({source_name})\n");
    }
    let count = violations.len();
    let noun = if count == 1 {
        "violation"
    } else {
        "violations"
    };
    let mut out = format!("invalid: {message} ({source_name}): {count} {noun}\n");
    // Frames are drawn from the masked text, located again (masking may change byte lengths).
    let sensitive = crate::sensitive::pointers(&message, source);
    let text = display_text(source, violations, &sensitive);
    let named = text
        .as_ref()
        .map(|text| NamedSource::new(source_name.as_ref(), text.clone()));
    let theme = match (style.terminal, style.color) {
        (false, _) => GraphicalTheme::none(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (true, true) => GraphicalTheme::unicode(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(120)
        .with_links(false)
        .with_urls(false);
    for violation in violations {
        let location = match (&text, violation.code()) {
            (_, "invalid_json") | (None, _) => None,
            (Some(text), code) => {
                locate::locate(text.as_bytes(), violation.pointer(), target_of(code))
            }
        };
        let pointer = match violation.pointer() {
            "" => "(root)".into(),
            pointer => sanitize(pointer),
        };
        let frame = match (&named, location) {
            (Some(named), Some(location)) => {
                let diagnostic = Frame {
                    code: violation.code(),
                    message: format!("{pointer}: {}", sanitize(violation.message())),
                    source: named,
                    span: location.span,
                    label: label(violation),
                };
                let mut rendered = String::new();
                handler
                    .render_report(&mut rendered, &diagnostic)
                    .ok()
                    .map(|()| rendered)
            }
            _ => None,
        };
        match frame {
            Some(rendered) => {
                out.push('\n');
                out.push_str(&rendered);
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {pointer}: {} [{}]",
                    sanitize(violation.message()),
                    violation.code()
                );
            }
        }
    }
    out
}

/// The label under the highlighted text.
fn label(violation: &Violation) -> String {
    match violation.code() {
        "unknown_field" => "unknown member".to_owned(),
        "required" | "dependent_required" => {
            let member = violation.pointer().rsplit('/').next().unwrap_or_default();
            let member = member.replace("~1", "/").replace("~0", "~");
            format!("`{}` is missing from this object", sanitize(&member))
        }
        code => code.to_owned(),
    }
}

/// One violation as a `miette` diagnostic.
#[derive(Debug)]
struct Frame<'a> {
    code: &'static str,
    message: String,
    source: &'a NamedSource<String>,
    span: Range<usize>,
    label: String,
}

impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame<'_> {}

impl Diagnostic for Frame<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = SourceSpan::from(self.span.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            span,
        ))))
    }
}

/// One GitHub Actions `::error` workflow command per violation; `file` is `None` for standard
/// input (the annotation then names no file).
pub fn github(file: Option<&str>, located: &[Located<'_>]) -> String {
    let mut out = String::new();
    for item in located {
        let violation = item.violation;
        let mut properties = Vec::new();
        if let Some(file) = file {
            properties.push(format!("file={}", escape_property(&sanitize(file))));
        }
        if let Some(location) = &item.location {
            properties.push(format!("line={}", location.line));
            properties.push(format!("col={}", location.column));
        }
        properties.push(format!("title={}", escape_property(violation.code())));
        let pointer = match violation.pointer() {
            "" => "(root)".into(),
            pointer => sanitize(pointer),
        };
        let _ = writeln!(
            out,
            "::error {}::{}",
            properties.join(","),
            escape_data(&format!("{pointer}: {}", sanitize(violation.message())))
        );
    }
    out
}

/// Escapes the message of a workflow command (`%`, `\r`, `\n`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command (the message's escapes plus `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: TermStyle = TermStyle {
        terminal: false,
        color: false,
    };

    #[test]
    fn personal_values_are_masked_with_the_same_length() {
        let source = "{\"personalTaxId\": \"123.456.789-00\", \"email\": \"joão@x\", \"a\": \"k\"}";
        let violations = [
            Violation::new("/personalTaxId", "cpf_check_digit", "m"),
            Violation::new("/email", "email", "m"),
            Violation::new("/a", "max_length", "m"),
        ];
        assert_eq!(
            display_text(source.as_bytes(), &violations, &[]).as_deref(),
            Some("{\"personalTaxId\": \"**************\", \"email\": \"******\", \"a\": \"k\"}")
        );
        // Duplicates are all masked; non-strings are left alone.
        let source = "{\"email\": \"a@b\", \"email\": 5, \"email\": \"c@d\"}";
        assert_eq!(
            display_text(source.as_bytes(), &violations[1..2], &[]).as_deref(),
            Some("{\"email\": \"***\", \"email\": 5, \"email\": \"***\"}")
        );
    }

    #[test]
    fn control_and_bidi_characters_are_replaced() {
        let source = "{\"a\": \"x\u{202E}y\", \"b\":\r1}\r\n";
        assert_eq!(
            display_text(source.as_bytes(), &[], &[]).as_deref(),
            Some("{\"a\": \"x\u{FFFD}y\", \"b\": 1}\r\n")
        );
        assert_eq!(display_text(b"\xff", &[], &[]), None);
    }

    #[test]
    fn human_report_without_a_location_is_one_line() {
        let violations = [Violation::new(
            "",
            "invalid_json",
            "invalid JSON at line 1, column 1: x",
        )];
        assert_eq!(
            human("create-link.request", "stdin", b"x", &violations, PLAIN),
            "invalid: create-link.request (stdin): 1 violation\n  (root): invalid JSON at line 1, column 1: x [invalid_json]\n"
        );
        assert_eq!(human("m", "f", b"{}", &[], PLAIN), "valid: m (f)\n");
    }

    #[test]
    fn human_report_draws_a_frame_at_the_value() {
        let source = b"{\n  \"email\": \"a@b\",\n  \"x\": 1\n}\n";
        let violations = [Violation::new("/x", "max", "too big")];
        let text = human("m", "f.json", source, &violations, PLAIN);
        assert!(
            text.starts_with("invalid: m (f.json): 1 violation\n"),
            "{text}"
        );
        assert!(text.contains("/x: too big"), "{text}");
        assert!(text.contains("[f.json:3:8]"), "{text}");
        assert!(text.is_ascii(), "{text}");
    }

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }

    #[test]
    fn github_commands_are_escaped() {
        let violation = Violation::new("/a\nb", "code", "100% wrong\r\nreally");
        let located = [Located {
            violation: &violation,
            location: Some(Location {
                span: 0..1,
                line: 2,
                column: 3,
            }),
        }];
        assert_eq!(
            github(Some("dir,x/a:b%.json"), &located),
            "::error file=dir%2Cx/a%3Ab%25.json,line=2,col=3,title=code::/a\\nb: 100%25 wrong\\r\\nreally\n"
        );
        let located = [Located {
            violation: &violation,
            location: None,
        }];
        assert_eq!(
            github(None, &located),
            "::error title=code::/a\\nb: 100%25 wrong\\r\\nreally\n"
        );
    }
}
