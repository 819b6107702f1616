//! Violation lists as the tests compare them: the (pointer, code) of each violation, in order
//! (messages are free to differ between readers; pointers and codes are the contract).

use klavi_types::Violation;

/// The (pointer, code) of each violation of `list`, in its order.
pub fn pointers_and_codes(list: &[Violation]) -> Vec<(String, &'static str)> {
    list.iter()
        .map(|v| (v.pointer().to_owned(), v.code()))
        .collect()
}

/// Whether `list` was cut at the limit (it ends with `too_many_violations`).
pub fn is_cut(list: &[Violation]) -> bool {
    list.iter().any(|v| v.code() == "too_many_violations")
}

/// Asserts that the compiled check's list `compiled` gives the diagnostics' verdict (`listed`),
/// and their list (pointer and code, in order) unless either was cut at the limit.
pub fn assert_same_list(compiled: &[Violation], listed: &[Violation], context: &str) {
    assert_eq!(
        compiled.is_empty(),
        listed.is_empty(),
        "{context}: check_json's verdict"
    );
    if !is_cut(compiled) && !is_cut(listed) {
        assert_eq!(
            pointers_and_codes(compiled),
            pointers_and_codes(listed),
            "{context}: check_json's list"
        );
    }
}
