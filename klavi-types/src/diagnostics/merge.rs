//! Merging the reports of one payload: the schema's, the typed check's and the duplicate
//! members', each possibly cut at [`MAX_VIOLATIONS`], into one list sorted by pointer, without
//! a violation said twice, cut once.

use crate::validation::{Code, MAX_VIOLATIONS, Violation, too_many_violations};

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

/// At one pointer, a definition's format and pattern failures map to the same violation: keep
/// it once; and a wrong type makes a failed enum redundant. Returns the violations sorted by
/// pointer, then code; of two equal ones the first (the schema's) stays, the sort being stable.
///
/// Sorting first makes both checks neighbour comparisons: no hashing, no copied pointers (a
/// `HashSet` of them took 12% of checking a payload with five violations).
pub(super) fn dedupe(mut violations: Vec<Violation>) -> Vec<Violation> {
    violations.sort_by(by_pointer_then_code);
    violations.dedup_by(|later, earlier| {
        later.pointer() == earlier.pointer() && later.code() == earlier.code()
    });
    // A value of the wrong type is not one of the enum's values either: say it once. Sorted,
    // the violations at one pointer are next to each other.
    let redundant: Vec<bool> = violations
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.code() == Code::Enum.as_str()
                && violations
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|w| w.pointer() == v.pointer())
                    .any(|w| w.code() == Code::Type.as_str())
        })
        .collect();
    let mut redundant = redundant.into_iter();
    violations.retain(|_| !redundant.next().unwrap_or(false));
    violations
}

/// Whether `pointer` is `base` or below it.
fn is_at_or_under(pointer: &str, base: &str) -> bool {
    pointer
        .strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The order of reported violations: by JSON Pointer, then by code.
fn by_pointer_then_code(a: &Violation, b: &Violation) -> std::cmp::Ordering {
    a.pointer().cmp(b.pointer()).then(a.code().cmp(b.code()))
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
