//! A report for people and programs: the violations of one payload, each located in its text,
//! in document order (line, then column; violations that lead nowhere last, in the library's
//! order), and the [masking](crate::mask) that frames draw with.

use klavi_types::JsonSyntaxError;
use klavi_types::registry;
use klavi_types::validation::{Code, Violation};

use crate::locate::{Location, Request, Target, locate_all, positions};
use crate::mask::Masking;
use crate::render::Located;

/// What the pointer of a violation with `code` names: an unknown member's name, the second
/// copy of a duplicate member, else a value.
pub fn target_of(code: &str) -> Target {
    match Code::from_code(code) {
        Some(Code::UnknownField) => Target::Key,
        Some(Code::DuplicateMember) => Target::SecondKey,
        _ => Target::Value,
    }
}

/// Whether `violation` is malformed JSON (located by its position, not by a pointer).
fn is_syntax_error(violation: &Violation) -> bool {
    violation.code() == Code::InvalidJson.as_str()
}

/// Every violation with its place in `source`, sorted in document order. Malformed JSON is
/// located where reading stopped (the same line and column as its message), an unknown member
/// at its name, a duplicate member at its second copy, anything else at its value (or, for a
/// missing member, at its object's `{`). Two passes over `source` in all.
pub fn locate_violations<'a>(source: &[u8], violations: &'a [Violation]) -> Vec<Located<'a>> {
    let requests: Vec<Request<'_>> = violations
        .iter()
        .filter(|v| !is_syntax_error(v))
        .map(|v| Request {
            pointer: v.pointer(),
            target: target_of(v.code()),
        })
        .collect();
    let mut found = locate_all(source, &requests).into_iter();
    let syntax = violations
        .iter()
        .any(is_syntax_error)
        .then(|| JsonSyntaxError::find(source))
        .flatten()
        .map(|error| syntax_location(source, &error));
    let mut located: Vec<Located<'a>> = violations
        .iter()
        .map(|violation| Located {
            violation,
            location: if is_syntax_error(violation) {
                syntax.clone()
            } else {
                found.next().flatten()
            },
        })
        .collect();
    // Document order; `too_many_violations` (at the root, so at 1:1) stays last, where the
    // library puts it: it says that the list before it is cut.
    located.sort_by_key(|item| {
        let cut = item.violation.code() == TOO_MANY_VIOLATIONS;
        let at = item
            .location
            .as_ref()
            .map_or((usize::MAX, usize::MAX), |l| (l.line, l.column));
        (cut, at)
    });
    located
}

/// The code of the violation that ends a list cut at its limit.
const TOO_MANY_VIOLATIONS: &str = "too_many_violations";

/// Where a syntax error lies: its offset, one character wide (empty at the end of the text).
fn syntax_location(source: &[u8], error: &JsonSyntaxError) -> Location {
    let position = positions(source, &[error.offset])[0];
    let end = (error.offset + 1).min(source.len());
    Location {
        span: error.offset..end.max(error.offset),
        line: error.line,
        column: error.column,
        line_start: position.line_start,
        previous_line_start: position.previous_line_start,
    }
}

/// The masking of `source` read as `message_id` (everything but punctuation hidden for an
/// unknown id).
pub fn masking_for(message_id: &str, source: &[u8]) -> Masking {
    Masking::new(
        registry::message(message_id).map(|info| info.places),
        source,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(source: &str, violations: &[Violation]) -> Vec<(String, Option<(usize, usize)>)> {
        locate_violations(source.as_bytes(), violations)
            .into_iter()
            .map(|item| {
                (
                    item.violation.code().to_owned(),
                    item.location.map(|l| (l.line, l.column)),
                )
            })
            .collect()
    }

    #[test]
    fn violations_come_in_document_order() {
        let source = "{\n \"b\": 1,\n \"a\": 2, \"a\": 3,\n \"zz\": {}\n}";
        let violations = [
            Violation::new("/a", "duplicate_member", "m"),
            Violation::new("/nowhere/x", "lost", "m"),
            Violation::new("/b", "type", "m"),
            Violation::new("/zz", "unknown_field", "m"),
            Violation::new("/zz/q", "required", "m"),
        ];
        assert_eq!(
            order(source, &violations),
            [
                ("type".to_owned(), Some((2, 7))),
                ("duplicate_member".to_owned(), Some((3, 10))),
                ("unknown_field".to_owned(), Some((4, 2))),
                ("required".to_owned(), Some((4, 8))),
                ("lost".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_cut_list_ends_with_too_many_violations_as_the_library_gives_it() {
        let source = "{\n \"b\": 1\n}";
        let violations = [
            Violation::new("/b", "type", "m"),
            Violation::new("", "too_many_violations", "m"),
        ];
        assert_eq!(
            order(source, &violations),
            [
                ("type".to_owned(), Some((2, 7))),
                ("too_many_violations".to_owned(), Some((1, 1))),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_located_like_their_message_says() {
        for source in [
            "{\"a\": \"\u{e9}\u{1}\"}",
            "{\"a\": 1e400}",
            "{\"a\": \"\\ud800\"}",
            "\n\n  {\"a\": }",
            "{\"a\": 1",
            "",
        ] {
            let violation = klavi_types::JsonSyntaxError::find(source.as_bytes())
                .expect("not JSON")
                .to_violation();
            let located = locate_violations(source.as_bytes(), std::slice::from_ref(&violation));
            let location = located[0].location.as_ref().expect("located");
            let said = format!("at line {}, column {}:", location.line, location.column);
            assert!(
                violation.message().contains(&said),
                "{source:?}: {}",
                violation.message()
            );
        }
        let nested = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let violation = klavi_types::JsonSyntaxError::find(nested.as_bytes())
            .unwrap()
            .to_violation();
        let located = locate_violations(nested.as_bytes(), std::slice::from_ref(&violation));
        assert_eq!(located[0].location.as_ref().map(|l| l.column), Some(128));
        let broken = b"{\"a\": \"\xff\"}";
        let violation = klavi_types::JsonSyntaxError::find(broken)
            .unwrap()
            .to_violation();
        let located = locate_violations(broken, std::slice::from_ref(&violation));
        assert_eq!(located[0].location.as_ref().map(|l| l.column), Some(8));
    }
}
