//! The parameters a page names in its prose. The report pages explain their parameters in
//! sentences rather than lists (a `Parameter` table whose first row is `products`,
//! "`productsCallbackURL` With this parameter, you can…", "`- taxId`: If you only submit this
//! parameter…"), and one kept copy (Personal User-level Report) is nothing but that prose,
//! flattened to lower case. [`mentions`] finds those names: each is a body parameter the page
//! speaks of, of unknown type and required-ness, and prose never makes a list whole (a
//! parameter it does not name is not one the docs dropped).

use std::collections::HashSet;

use super::block::{DocField, Location};

/// The words that follow a parameter's name in the docs' prose, lower case.
const AFTER_A_NAME: [&[&str]; 3] = [
    &["with", "this", "parameter"],
    &["if", "you", "submit", "this", "parameter"],
    &["if", "you", "only", "submit", "this", "parameter"],
];

/// A word as a parameter name: `- taxId:` gives `taxId`; `None` unless it is an identifier
/// (a letter, then letters, digits or `_`).
fn name_of(word: &str) -> Option<&str> {
    let name = word.trim_start_matches('-').trim_end_matches([':', ',']);
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// A word without its punctuation, lower case, for matching the words of a pattern.
fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase()
}

/// Words that, before a pattern, make it a sentence about the reader rather than a parameter:
/// "any content you *want* with this parameter".
const PRONOUNS: [&str; 4] = ["you", "we", "they", "i"];

/// The body parameters the prose of `lines` names, in order, each once. On a `rendered` page a
/// name starts its line (`productsCallbackURL` above "With this parameter…", `- taxId: If you
/// only submit this parameter`); in text flattened onto one line, any word may be one, but not
/// after a pronoun, and never `parameter(s)` itself.
pub(crate) fn mentions(lines: &[&str], rendered: bool) -> Vec<DocField> {
    // Every word, with whether it starts its line (a bullet's `-` left out).
    let words: Vec<(&str, bool)> = lines
        .iter()
        .flat_map(|line| {
            line.trim_start_matches(['-', ' '])
                .split_whitespace()
                .enumerate()
                .map(|(at, word)| (word, at == 0))
        })
        .collect();
    let mut names: Vec<&str> = Vec::new();
    // Each name once, however long the text (a set, not a scan of the names so far).
    let mut seen: HashSet<&str> = HashSet::new();
    for (at, (word, starts_line)) in words.iter().enumerate() {
        let following = |pattern: &[&str]| {
            pattern.len() < words.len() - at
                && pattern
                    .iter()
                    .zip(&words[at + 1..])
                    .all(|(expected, (word, _))| bare(word) == *expected)
        };
        let after_a_pronoun = at
            .checked_sub(1)
            .is_some_and(|before| PRONOUNS.contains(&bare(words[before].0).as_str()));
        let named = if AFTER_A_NAME.iter().any(|pattern| following(pattern)) {
            name_of(word).filter(|name| {
                (!rendered || *starts_line)
                    && !after_a_pronoun
                    && !name.eq_ignore_ascii_case("parameter")
                    && !name.eq_ignore_ascii_case("parameters")
            })
        } else if *starts_line && word.eq_ignore_ascii_case("parameter") {
            // The heading of a `Parameter` table: its first row's name follows.
            words.get(at + 1).and_then(|(next, _)| name_of(next))
        } else {
            None
        };
        if let Some(name) = named
            && seen.insert(name)
        {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| DocField {
            location: Location::Body,
            name: name.to_owned(),
            required: None,
            ty: String::new(),
            description: "(named in the page's prose)".to_owned(),
            partial: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lines: &[&str]) -> Vec<String> {
        mentions(lines, lines.len() > 1)
            .into_iter()
            .map(|f| f.name)
            .collect()
    }

    #[test]
    fn rendered_prose() {
        let lines = [
            "Parameter",
            "products",
            "productsCallbackURL",
            "With this parameter, you can submit specific or all reports.",
            "Please note that the parameter all is mutually exclusive with the parameters other.",
            "- taxId: If you only submit this parameter, the backend aggregates.",
            "- linkId: If you submit this parameter and taxId(Required), …",
            "- product list: One or more products",
            "You can submit any content you want with this parameter, and Klavi saves it.",
            "the redirectURL with the link_id and external_info parameters",
            "With this parameter, you can submit specific reports.",
            "Send it to Klavi if you submit this parameter alone.",
        ];
        assert_eq!(
            names(&lines),
            ["products", "productsCallbackURL", "taxId", "linkId"]
        );
    }

    #[test]
    fn flattened_prose() {
        let lines = [
            "parameter products all all overview productscallbackurl with this parameter, you can submit … the parameter all is mutually exclusive … taxid if you only submit this parameter, the klavi backend … linkid if you submit this parameter a content you want with this parameter external info parameters with this parameter",
        ];
        assert_eq!(
            names(&lines),
            ["products", "productscallbackurl", "taxid", "linkid"]
        );
    }

    #[test]
    fn no_pattern_no_name() {
        for lines in [
            &[][..],
            &["parameter"],
            &["with this parameter"],
            &["1.2 with this parameter", "parameter (x)"],
            &["you can submit this parameter"],
        ] {
            assert!(names(lines).is_empty(), "{lines:?}");
        }
    }
}
