//! Merging the reports of one payload: the schema's, the typed check's and the duplicate
//! members', each possibly cut at [`MAX_VIOLATIONS`], into one list sorted by pointer, without
//! a violation said twice, cut once.

use crate::validation::pointer::is_at_or_under;
use crate::validation::{Code, MAX_VIOLATIONS, Violation, dedupe, too_many_violations};

/// One list of the three reports. The typed reader meets every copy of a duplicate member, the
/// schema only the last: what it says of a copy would point at the wrong one, so the duplicate
/// alone is reported there. Each list may have been cut: the merged one is cut once, closed by
/// the first cut's own explanation.
pub(super) fn merge(
    schema: Vec<Violation>,
    typed: Option<Vec<Violation>>,
    duplicates: Vec<Violation>,
) -> Vec<Violation> {
    let mut violations = schema;
    if let Some(typed) = typed {
        violations.extend(typed.into_iter().filter(|violation| {
            !duplicates
                .iter()
                .any(|duplicate| is_at_or_under(violation.pointer(), duplicate.pointer()))
        }));
    }
    violations.extend(duplicates);
    let is_cut = |v: &Violation| v.code() == Code::TooManyViolations.as_str();
    let cut = violations
        .iter()
        .position(is_cut)
        .map(|at| violations.remove(at));
    violations.retain(|v| !is_cut(v));
    let mut violations = dedupe(violations);
    if cut.is_some() || violations.len() > MAX_VIOLATIONS {
        violations.truncate(MAX_VIOLATIONS);
        violations.push(cut.unwrap_or_else(too_many_violations));
    }
    violations
}

/// The schema's list of one payload, deduplicated and cut at [`MAX_VIOLATIONS`]: one schema
/// error may map to many violations (every unexpected member), so the cut is made here; `>=`
/// also closes a list that stopped exactly at the limit.
pub(super) fn cut_schema_list(out: Vec<Violation>) -> Vec<Violation> {
    let mut out = dedupe(out);
    if out.len() >= MAX_VIOLATIONS {
        out.truncate(MAX_VIOLATIONS);
        out.push(too_many_violations());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pointer: &str, code: Code) -> Violation {
        Violation::new(pointer, code, "m")
    }

    fn codes(list: &[Violation]) -> Vec<(&str, &str)> {
        list.iter().map(|v| (v.pointer(), v.code())).collect()
    }

    #[test]
    fn sorted_once_each_and_a_wrong_type_hides_the_enum() {
        let merged = dedupe(vec![
            v("/b", Code::Enum),
            v("/a", Code::Uri),
            v("/b", Code::Type),
            v("/a", Code::Uri),
        ]);
        assert_eq!(codes(&merged), [("/a", "uri"), ("/b", "type")]);
    }

    #[test]
    fn a_duplicate_silences_the_typed_report_below_it() {
        let merged = merge(
            vec![v("/x", Code::Required)],
            Some(vec![v("/d/0", Code::Type), v("/e", Code::Type)]),
            vec![v("/d", Code::DuplicateMember)],
        );
        assert_eq!(
            codes(&merged),
            [
                ("/d", "duplicate_member"),
                ("/e", "type"),
                ("/x", "required")
            ]
        );
    }

    #[test]
    fn a_cut_list_is_cut_once_at_the_end() {
        let merged = merge(
            vec![v("/a", Code::Type), too_many_violations()],
            Some(vec![v("/b", Code::Type), too_many_violations()]),
            Vec::new(),
        );
        assert_eq!(
            codes(&merged),
            [("/a", "type"), ("/b", "type"), ("", "too_many_violations")]
        );
        assert!(is_at_or_under("/a/b", "/a") && is_at_or_under("/a", "/a"));
        assert!(!is_at_or_under("/ab", "/a"));
    }
}
