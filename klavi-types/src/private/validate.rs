//! The rules of the generated `validate()` (twin of klavi-schema's `emit/validate.rs`): each
//! checks one schema keyword and records a violation with the message the diagnostics give for
//! the same keyword (`validation::messages`): borrowed from the literal the generated code
//! passes (`__check_message!` and kin) where the schema fixes its words.

use crate::validation::{Code, Path, ValidationErrors, messages};

/// `minLength`, counted in characters as JSON Schema does.
pub fn min_length(
    value: &str,
    min: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if (value.chars().count() as u64) < min {
        out.add(at, Code::MinLength, message);
    }
}

/// `maxLength`, counted in characters.
pub fn max_length(
    value: &str,
    max: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if value.chars().count() as u64 > max {
        out.add(at, Code::MaxLength, message);
    }
}

/// `minItems`.
pub fn min_items(
    len: usize,
    min: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if (len as u64) < min {
        out.add(at, Code::MinItems, message);
    }
}

/// `maxItems`.
pub fn max_items(
    len: usize,
    max: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if len as u64 > max {
        out.add(at, Code::MaxItems, message);
    }
}

/// `minimum`.
pub fn minimum(
    value: i64,
    min: i64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if value < min {
        out.add(at, Code::Minimum, message);
    }
}

/// `maximum`.
pub fn maximum(
    value: i64,
    max: i64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if value > max {
        out.add(at, Code::Maximum, message);
    }
}

/// `dependentRequired`, or an `if`/`then`'s `required` (the same code): `missing` is required
/// because another member is present, or has a value. Reported at the missing member's
/// pointer, with `message`, the literal the generated code borrows (`__check_message!`'s
/// `dependent_required` or `conditional_required`: it names the reason).
pub fn dependent_required(
    at: &Path<'_>,
    missing: &'static str,
    message: &'static str,
    out: &mut ValidationErrors,
) {
    out.add(&at.key(missing), Code::DependentRequired, message);
}

/// `anyOf` of `required` lists: none is complete.
pub fn any_of_required(at: &Path<'_>, alternatives: &[&[&str]], out: &mut ValidationErrors) {
    out.add(
        at,
        Code::MissingOneOf,
        messages::missing_one_of(alternatives.iter().map(|names| names.iter())),
    );
}

/// An array item that may only stand alone (`"all"` in `products`).
pub fn alone_item<'a>(
    items: impl Iterator<Item = &'a str>,
    len: usize,
    item: &'static str,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    let mut items = items;
    if len > 1 && items.any(|i| i == item) {
        out.add(at, Code::MutuallyExclusive, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        check: impl FnOnce(&Path<'_>, &mut ValidationErrors),
    ) -> Vec<(String, &'static str, String)> {
        let mut out = ValidationErrors::new();
        check(&Path::root(), &mut out);
        out.iter()
            .map(|v| (v.pointer().to_owned(), v.code(), v.message().to_owned()))
            .collect()
    }

    #[test]
    fn lengths_count_characters() {
        assert!(
            run(|at, out| min_length("é", 1, crate::__check_message!(min_length, 1), at, out))
                .is_empty()
        );
        assert_eq!(
            run(|at, out| min_length("", 1, crate::__check_message!(min_length, 1), at, out)),
            [(String::new(), "min_length", "must not be empty".to_owned())]
        );
        assert!(
            run(|at, out| max_length("éé", 2, crate::__check_message!(max_length, 2), at, out))
                .is_empty()
        );
        assert_eq!(
            run(|at, out| max_length("abc", 2, crate::__check_message!(max_length, 2), at, out))[0]
                .1,
            "max_length"
        );
    }

    #[test]
    fn bounds_and_items() {
        assert_eq!(
            run(|at, out| minimum(-1, 0, crate::__check_message!(minimum, 0), at, out))[0].2,
            "must be at least 0"
        );
        assert_eq!(
            run(|at, out| maximum(3, 2, crate::__check_message!(maximum, 2), at, out))[0].2,
            "must be at most 2"
        );
        assert_eq!(
            run(|at, out| min_items(0, 1, crate::__check_message!(min_items, 1), at, out))[0].1,
            "min_items"
        );
        assert_eq!(
            run(|at, out| max_items(3, 2, crate::__check_message!(max_items, 2), at, out))[0].1,
            "max_items"
        );
        assert!(
            run(|at, out| max_items(2, 2, crate::__check_message!(max_items, 2), at, out))
                .is_empty()
        );
    }

    #[test]
    fn requirements_point_at_the_missing_member() {
        assert_eq!(
            run(|at, out| dependent_required(
                at,
                "appRedirectURLKey",
                crate::__check_message!(dependent_required, "appRedirectURLKey", "appLink"),
                out
            )),
            [(
                "/appRedirectURLKey".to_owned(),
                "dependent_required",
                "`appRedirectURLKey` is required when `appLink` is present".to_owned()
            )]
        );
        assert_eq!(
            run(|at, out| dependent_required(
                at,
                "m",
                crate::__check_message!(conditional_required, "m", "`t` is 1"),
                out
            ))[0]
                .2,
            "`m` is required when `t` is 1"
        );
        assert_eq!(
            run(|at, out| any_of_required(at, &[&["a"], &["b", "c"]], out))[0].2,
            "one of `a` or `b` and `c` is required"
        );
    }

    #[test]
    fn an_alone_item_is_alone() {
        assert!(
            run(|at, out| alone_item(
                ["all"].into_iter(),
                1,
                "all",
                crate::__check_message!(alone_item, "all"),
                at,
                out
            ))
            .is_empty()
        );
        assert_eq!(
            run(|at, out| alone_item(
                ["all", "x"].into_iter(),
                2,
                "all",
                crate::__check_message!(alone_item, "all"),
                at,
                out
            ))[0]
                .1,
            "mutually_exclusive"
        );
    }
}
