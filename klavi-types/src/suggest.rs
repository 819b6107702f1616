//! "Did you mean" hints for misspelled wire names and ids (the `klavi` CLI uses them for message
//! ids too).

/// The candidate closest to `name`: an exact case-insensitive match first, then the smallest
/// edit distance not above a third of the name's length.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Some(exact);
    }
    let length = name.chars().count();
    let limit = (length / 3).max(2);
    // The edit distance is at least the difference in length: a candidate too much shorter or
    // longer is never within the limit, and is not measured (a hostile member name of a
    // megabyte against every declared name would cost seconds).
    let mut within_reach = candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .peekable();
    within_reach.peek()?;
    let name = name.to_ascii_lowercase();
    within_reach
        .map(|c| (strsim::levenshtein(&name, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;
    use proptest::prelude::*;

    /// `closest` without the length filter: every candidate measured.
    fn measuring_all<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
        if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name)) {
            return Some(exact);
        }
        let limit = (name.chars().count() / 3).max(2);
        let name = name.to_ascii_lowercase();
        candidates
            .iter()
            .map(|c| (strsim::levenshtein(&name, &c.to_ascii_lowercase()), *c))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    proptest! {
        #[test]
        fn the_length_filter_changes_no_answer(
            name in "[a-eA-Eé]{0,14}",
            candidates in proptest::collection::vec("[a-eA-Eé]{0,10}", 0..6),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            prop_assert_eq!(
                closest(&name, candidates.iter().copied()),
                measuring_all(&name, &candidates)
            );
        }
    }

    #[test]
    fn suggestions() {
        let names = ["redirectURL", "appRedirectURLKey", "appLink", "email"];
        assert_eq!(closest("redirectUrl", names), Some("redirectURL"));
        assert_eq!(
            closest("appRedirectUrlKey", names),
            Some("appRedirectURLKey")
        );
        assert_eq!(closest("emial", names), Some("email"));
        assert_eq!(closest("zzzzzz", names), None);
        // The length filter: one edit more than a third of the length is out of reach.
        assert_eq!(closest("emailxx", names), Some("email"));
        assert_eq!(closest("emailxxx", names), None);
        assert_eq!(closest("emai", names), Some("email"));
        assert_eq!(closest(&"x".repeat(1 << 20), names), None);
    }
}
