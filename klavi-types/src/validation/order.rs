//! The order of a report: violations sorted by JSON Pointer, then code, each said once; every
//! reader of a payload (the compiled check, the diagnostics) lists them this way.

use super::{Code, Violation};

/// At one pointer, a definition's format and pattern failures map to the same violation: keep
/// it once; and a wrong type makes a failed enum redundant. Returns the violations sorted by
/// pointer, then code; of two equal ones the first (the schema's) stays, the sort being stable.
///
/// Sorting first makes both checks neighbour comparisons: no hashing, no copied pointers (a
/// `HashSet` of them took 12% of checking a payload with five violations).
pub(crate) fn dedupe(mut violations: Vec<Violation>) -> Vec<Violation> {
    violations.sort_by(by_pointer_then_code);
    violations.dedup_by(|later, earlier| {
        later.pointer() == earlier.pointer() && later.code() == earlier.code()
    });
    if !violations.iter().any(|v| v.code() == Code::Enum.as_str()) {
        return violations;
    }
    // A value of the wrong type is not one of the enum's values either, and a map key refused
    // by its enumeration is an invalid key (the typed reader says `enum` of the key, the
    // schema's `propertyNames` `invalid_key`): say each once. Sorted, the violations at one
    // pointer are next to each other.
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
                    .any(|w| {
                        w.code() == Code::Type.as_str() || w.code() == Code::InvalidKey.as_str()
                    })
        })
        .collect();
    let mut redundant = redundant.into_iter();
    violations.retain(|_| !redundant.next().unwrap_or(false));
    violations
}

/// The order of reported violations: by JSON Pointer, then by code.
fn by_pointer_then_code(a: &Violation, b: &Violation) -> std::cmp::Ordering {
    a.pointer().cmp(b.pointer()).then(a.code().cmp(b.code()))
}
