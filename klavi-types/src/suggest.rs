//! "Did you mean" hints for misspelled wire names and ids (the `klavi` CLI uses them for message
//! ids too).

/// The candidate closest to `name`: an exact case-insensitive match first, then the smallest
/// edit distance not above a third of the name's length.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Some(exact);
    }
    let limit = (name.chars().count() / 3).max(2);
    let name = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&name, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

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
    }
}
