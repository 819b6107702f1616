//! Renderings of located violations for `klavi validate` and `klavi check-fixtures`: code
//! frames for people and GitHub Actions workflow commands.
//!
//! A frame shows a window of the payload's own text around the violation (one line before and
//! after when the line is short, a cut of at most [`WINDOW`] characters around the span when it
//! is long) with everything the [masking](crate::mask) hides replaced by `*`, and unsafe
//! characters by `�`. Pointers are [redacted](klavi_types::validation::pointer::redact) and
//! messages [sanitized](crate::text::sanitize). Each frame costs O([`WINDOW`]): rendering is
//! linear in the number of violations, whatever the size of the payload or of its lines.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use klavi_types::validation::pointer::unescape_token;
use klavi_types::validation::{Code, Violation};

use crate::locate::Location;
use crate::mask::Masking;
use crate::text::{is_unsafe_char, sanitize};

/// The most characters of a line a frame shows.
pub const WINDOW: usize = 100;

/// How many characters before the span a cut line keeps.
const LEAD: usize = 40;

/// A violation and where it lies in the source text, when known.
#[derive(Clone, Debug)]
pub struct Located<'a> {
    /// The violation.
    pub violation: &'a Violation,
    /// Where it lies, if anywhere.
    pub location: Option<Location>,
}

/// How the output is decorated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// ANSI colors (a terminal, and `NO_COLOR` unset).
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }
}

/// The pointer of `violation` as shown: redacted, sanitized, `(root)` for the whole payload.
pub fn shown_pointer(violation: &Violation) -> String {
    match violation.shown_pointer().as_ref() {
        "" => "(root)".to_owned(),
        pointer => sanitize(pointer).into_owned(),
    }
}

/// The human report: a header line, then one frame per violation located in the source (a
/// plain line for the others), in the order given.
pub fn human(
    message: &str,
    source_name: &str,
    source: &[u8],
    located: &[Located<'_>],
    masking: &Masking,
    style: Style,
) -> String {
    let (message, source_name) = (sanitize(message), sanitize(source_name));
    if located.is_empty() {
        return format!("valid: {message} ({source_name})\n");
    }
    let count = located.len();
    let noun = if count == 1 {
        "violation"
    } else {
        "violations"
    };
    let mut out = format!("invalid: {message} ({source_name}): {count} {noun}\n");
    for item in located {
        out.push('\n');
        frame(&mut out, &source_name, source, item, masking, style);
    }
    out
}

/// One violation: `error[code]: pointer: message`, then the frame when it is located.
fn frame(
    out: &mut String,
    source_name: &str,
    source: &[u8],
    item: &Located<'_>,
    masking: &Masking,
    style: Style,
) {
    let violation = item.violation;
    let _ = writeln!(
        out,
        "{}: {}: {}",
        style.paint("1;31", &format!("error[{}]", violation.code())),
        shown_pointer(violation),
        sanitize(violation.message())
    );
    let Some(location) = &item.location else {
        return;
    };
    let _ = writeln!(
        out,
        " --> {source_name}:{}:{}",
        location.line, location.column
    );
    let shown = Shown { source, masking };
    let line = shown.line_at(location);
    let previous = location
        .previous_line_start
        .filter(|_| !line.cut_before)
        .map(|start| (location.line - 1, shown.whole_line(start)));
    let next = line
        .next_line_start
        .filter(|_| !line.cut_after)
        .map(|start| (location.line + 1, shown.whole_line(start)));
    let width = (location.line + usize::from(next.is_some()))
        .to_string()
        .len();
    let gutter = |number: Option<usize>| match number {
        Some(number) => format!("{number:>width$} | "),
        None => format!("{:width$} | ", ""),
    };
    let _ = writeln!(out, "{}", gutter(None).trim_end());
    if let Some((number, text)) = &previous {
        let _ = writeln!(out, "{}{}", gutter(Some(*number)), text.text);
    }
    let _ = writeln!(out, "{}{}", gutter(Some(location.line)), line.text);
    let marker = format!(
        "{}{} {}",
        " ".repeat(line.marker.start),
        "^".repeat(line.marker.len().max(1)),
        label(violation)
    );
    let _ = writeln!(out, "{}{}", gutter(None), style.paint("31", &marker));
    if let Some((number, text)) = &next {
        let _ = writeln!(out, "{}{}", gutter(Some(*number)), text.text);
    }
}

/// The label under the highlighted text.
fn label(violation: &Violation) -> String {
    match Code::from_code(violation.code()) {
        Some(Code::UnknownField) => "unknown member".to_owned(),
        Some(Code::DuplicateMember) => "second copy of this member".to_owned(),
        Some(Code::InvalidJson) => "not JSON from here".to_owned(),
        Some(Code::Required | Code::DependentRequired) => {
            let pointer = violation.shown_pointer();
            let token = pointer.rsplit('/').next().unwrap_or_default();
            let member = unescape_token(token).unwrap_or(Cow::Borrowed(token));
            format!("`{}` is missing from this object", sanitize(&member))
        }
        _ => violation.code().to_owned(),
    }
}

/// A line (or a cut of it) as shown.
struct ShownLine {
    /// The text, masked and made safe, with `...` where it is cut.
    text: String,
    /// The columns (0-based, in `text`) to underline.
    marker: Range<usize>,
    /// Text of the line precedes the window.
    cut_before: bool,
    /// Text of the line follows the window.
    cut_after: bool,
    /// Where the next line starts, when the end of this one was reached.
    next_line_start: Option<usize>,
}

/// The payload's text as frames show it.
struct Shown<'a> {
    source: &'a [u8],
    masking: &'a Masking,
}

impl Shown<'_> {
    /// The line of `location`, cut around its span when long.
    fn line_at(&self, location: &Location) -> ShownLine {
        let span = &location.span;
        let start = if location.column <= LEAD + 1 {
            location.line_start
        } else {
            back_chars(self.source, span.start, LEAD).max(location.line_start)
        };
        let cut_before = start > location.line_start;
        let mut text = String::new();
        if cut_before {
            text.push_str("...");
        }
        let (end, reached_end, marker) = self.push_window(&mut text, start, Some(span));
        let cut_after = !reached_end;
        if cut_after {
            text.push_str("...");
        }
        let next_line_start =
            (reached_end && self.source.get(end) == Some(&b'\n')).then_some(end + 1);
        ShownLine {
            text,
            marker,
            cut_before,
            cut_after,
            next_line_start,
        }
    }

    /// The line starting at `start`, cut after [`WINDOW`] characters.
    fn whole_line(&self, start: usize) -> ShownLine {
        let mut text = String::new();
        let (_, reached_end, _) = self.push_window(&mut text, start, None);
        if !reached_end {
            text.push_str("...");
        }
        ShownLine {
            text,
            marker: 0..0,
            cut_before: false,
            cut_after: !reached_end,
            next_line_start: None,
        }
    }

    /// Appends up to [`WINDOW`] characters from `start` to the end of the line; returns where
    /// it stopped, whether that is the end of the line (or text), and the columns of `span`
    /// (relative to the start of `text`).
    fn push_window(
        &self,
        text: &mut String,
        start: usize,
        span: Option<&Range<usize>>,
    ) -> (usize, bool, Range<usize>) {
        let offset = text.chars().count();
        let mut marker: Option<Range<usize>> = None;
        let mut column = offset;
        let mut at = start;
        let mut shown = 0;
        while shown < WINDOW {
            let Some((c, len)) = char_at(self.source, at) else {
                break;
            };
            if c == '\n' || (c == '\r' && self.source.get(at + 1) == Some(&b'\n')) {
                break;
            }
            if let Some(span) = span
                && span.contains(&at)
            {
                let marked = marker.get_or_insert(column..column);
                marked.end = column + 1;
            }
            text.push(if self.masking.hides(at, c) {
                '*'
            } else if c == '\t' {
                ' '
            } else if is_unsafe_char(c) {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            });
            column += 1;
            shown += 1;
            at += len;
        }
        let reached_end = match char_at(self.source, at) {
            None => true,
            Some(('\n', _)) => true,
            Some(('\r', _)) => self.source.get(at + 1) == Some(&b'\n'),
            Some(_) => false,
        };
        let stop = if self.source.get(at) == Some(&b'\r') {
            at + 1
        } else {
            at
        };
        // An empty span (a `{` is never empty; the end of the text can be) marks where it is.
        let marker = marker.unwrap_or_else(|| {
            let at = span.map_or(offset, |_| column);
            at..at + 1
        });
        (stop, reached_end, marker)
    }
}

/// The character at byte `at` and its length in bytes; a byte that starts no valid UTF-8
/// character is U+FFFD of length 1.
fn char_at(source: &[u8], at: usize) -> Option<(char, usize)> {
    let rest = source.get(at..).filter(|rest| !rest.is_empty())?;
    let first = rest[0];
    let len = match first {
        0x00..=0x7F => return Some((char::from(first), 1)),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Some((char::REPLACEMENT_CHARACTER, 1)),
    };
    match rest.get(..len).map(std::str::from_utf8) {
        Some(Ok(text)) => text.chars().next().map(|c| (c, len)),
        _ => Some((char::REPLACEMENT_CHARACTER, 1)),
    }
}

/// The offset `count` characters before `at` (or 0).
fn back_chars(source: &[u8], at: usize, count: usize) -> usize {
    let mut at = at.min(source.len());
    for _ in 0..count {
        if at == 0 {
            break;
        }
        at -= 1;
        // Step over continuation bytes (at most three) to the start of the character.
        let mut steps = 0;
        while at > 0 && steps < 3 && source[at] & 0xC0 == 0x80 {
            at -= 1;
            steps += 1;
        }
        if source[at] == b'\n' {
            return at + 1;
        }
    }
    at
}

/// One GitHub Actions `::error` workflow command per violation; `file` is `None` for standard
/// input (the annotation then names no file). `line` is the JSON Lines line the payload is on
/// (the column then counts within it); `None` for a file, where each violation has its own.
pub fn github(file: Option<&str>, line: Option<u64>, located: &[Located<'_>]) -> String {
    let mut out = String::new();
    for item in located {
        let violation = item.violation;
        let mut properties = Vec::new();
        if let Some(file) = file {
            properties.push(format!("file={}", escape_property(&sanitize(file))));
        }
        match (line, &item.location) {
            (Some(line), location) => {
                properties.push(format!("line={line}"));
                if let Some(location) = location {
                    properties.push(format!("col={}", location.column));
                }
            }
            (None, Some(location)) => {
                properties.push(format!("line={}", location.line));
                properties.push(format!("col={}", location.column));
            }
            (None, None) => {}
        }
        properties.push(format!("title={}", escape_property(violation.code())));
        let _ = writeln!(
            out,
            "::error {}::{}",
            properties.join(","),
            escape_data(&format!(
                "{}: {}",
                shown_pointer(violation),
                sanitize(violation.message())
            ))
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
    use crate::locate::{Request, Target, locate_all};

    fn located<'a>(source: &[u8], violations: &'a [Violation]) -> Vec<Located<'a>> {
        let requests: Vec<Request<'_>> = violations
            .iter()
            .map(|v| Request {
                pointer: v.pointer(),
                target: Target::Value,
            })
            .collect();
        locate_all(source, &requests)
            .into_iter()
            .zip(violations)
            .map(|(location, violation)| Located {
                violation,
                location,
            })
            .collect()
    }

    /// The human report of `violations` in `source`, with nothing hidden.
    fn shown_report(source: &str, violations: &[Violation]) -> String {
        human(
            "m",
            "f",
            source.as_bytes(),
            &located(source.as_bytes(), violations),
            &everything_shown(source.as_bytes()),
            Style::default(),
        )
    }

    /// A masking that hides nothing: every value is described, every name is a map key.
    fn everything_shown(source: &[u8]) -> Masking {
        Masking::showing_all(source)
    }

    #[test]
    fn a_frame_shows_the_line_and_its_neighbours() {
        let source = b"{\n  \"email\": \"a@b\",\n  \"x\": 1\n}\n";
        let violations = [Violation::new("/x", "max", "too big")];
        let text = human(
            "m",
            "f.json",
            source,
            &located(source, &violations),
            &everything_shown(source),
            Style::default(),
        );
        assert_eq!(
            text,
            "invalid: m (f.json): 1 violation\n\n\
             error[max]: /x: too big\n \
             --> f.json:3:8\n  \
             |\n\
             2 |   \"email\": \"a@b\",\n\
             3 |   \"x\": 1\n  \
             |        ^ max\n\
             4 | }\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let mut source = String::from("{");
        source.push_str(&"\t".repeat(70_000));
        source.push_str("\"email\": \"bad\"}");
        let violations = [Violation::new("/email", "email", "not an e-mail")];
        let text = shown_report(&source, &violations);
        assert!(text.contains(" --> f:1:70011\n"), "{text}");
        let line = text
            .lines()
            .find(|l| l.starts_with("1 | "))
            .expect("the line");
        assert!(
            line.starts_with("1 | ...") && line.ends_with("\"email\": \"bad\"}"),
            "{line}"
        );
        assert!(line.chars().count() < WINDOW + 10, "{line}");
        let marker = text.lines().find(|l| l.contains('^')).expect("a marker");
        assert_eq!(marker.find('^'), line.find("\"bad\""), "{text}");
    }

    #[test]
    fn hidden_text_and_unsafe_characters_never_show() {
        let source = "{\"a\": \"x\u{202E}y\", \"b\":\r1}";
        let violations = [Violation::new("/b", "c", "m\nforged")];
        let text = shown_report(source, &violations);
        assert!(text.contains("\"x\u{FFFD}y\", \"b\":\u{FFFD}1}"), "{text}");
        assert!(text.contains("error[c]: /b: m\\nforged\n"), "{text}");
        // Text that is not JSON: hidden from where it breaks, raw controls replaced.
        let source = "{\"a\": \"x\u{1b}[2J\"}";
        let violations = [Violation::new("", "invalid_json", "m")];
        let located = [Located {
            violation: &violations[0],
            location: Some(Location {
                span: 8..9,
                line: 1,
                column: 9,
                line_start: 0,
                previous_line_start: None,
            }),
        }];
        let masking = everything_shown(source.as_bytes());
        let text = human(
            "m",
            "f",
            source.as_bytes(),
            &located,
            &masking,
            Style::default(),
        );
        assert!(text.contains("1 | {\"a\": \"**[**\"}\n"), "{text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}'),
            "{text}"
        );
    }

    #[test]
    fn unlocated_violations_are_one_line() {
        let violations = [Violation::new("", "invalid_json", "invalid JSON")];
        let located = [Located {
            violation: &violations[0],
            location: None,
        }];
        assert_eq!(
            human(
                "m",
                "stdin",
                b"x",
                &located,
                &Masking::new(None, b"x"),
                Style::default()
            ),
            "invalid: m (stdin): 1 violation\n\nerror[invalid_json]: (root): invalid JSON\n"
        );
        assert_eq!(
            human(
                "m",
                "f",
                b"{}",
                &[],
                &Masking::new(None, b""),
                Style::default()
            ),
            "valid: m (f)\n"
        );
    }

    #[test]
    fn characters_are_read_whatever_the_bytes() {
        assert_eq!(char_at(b"a", 0), Some(('a', 1)));
        assert_eq!(char_at("é".as_bytes(), 0), Some(('é', 2)));
        assert_eq!(char_at(b"\xff", 0), Some(('\u{FFFD}', 1)));
        assert_eq!(char_at(b"\xc3", 0), Some(('\u{FFFD}', 1)));
        assert_eq!(char_at(b"", 0), None);
        assert_eq!(back_chars("aé\nbéc".as_bytes(), 7, 2), 4);
        assert_eq!(back_chars("aé\nbéc".as_bytes(), 7, 10), 4);
    }

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        let violation = Violation::new("/a\nb", "code", "100% wrong\r\nreally");
        let located = [Located {
            violation: &violation,
            location: None,
        }];
        assert_eq!(
            github(Some("dir,x/a:b%.json"), None, &located),
            "::error file=dir%2Cx/a%3Ab%25.json,title=code::/***: 100%25 wrong\\r\\nreally\n"
        );
        assert_eq!(
            github(None, Some(7), &located),
            "::error line=7,title=code::/***: 100%25 wrong\\r\\nreally\n"
        );
    }
}
