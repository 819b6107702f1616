//! Message ids as the command line reads them: every id offered to shell completion, and, for
//! a word that is not an id, what to say instead of the list of all 56 (the closest id, the
//! messages of an endpoint, the usage line, and `klavi messages`).

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use klavi_types::registry;

use klavi_types::validation::pointer::is_shareable_name;

use crate::output::CliError;

/// The value parser of a `MESSAGE` argument: any text is taken (an unknown id gets
/// [`unknown`]'s error, which says more than clap's), and every message id is a possible
/// value, so completion scripts complete ids. The argument hides the possible values from
/// `--help` (`hide_possible_values`): `klavi messages` lists them with what each is.
#[derive(Clone, Copy, Debug, Default)]
pub struct MessageIdParser;

impl TypedValueParser for MessageIdParser {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            registry::messages().map(|m| PossibleValue::new(m.id)),
        ))
    }
}

/// The error for `id`, read where a message id was expected and naming none. `usage` is the
/// command's usage line (`klavi validate <MESSAGE> [FILE|-]`).
pub fn unknown(id: &str, usage: &str) -> CliError {
    let shown = shown(id);
    let hint = hint(id).map(|hint| format!("; {hint}")).unwrap_or_default();
    let order = if looks_like_a_file(id) {
        " (the message id comes first, then the file)"
    } else {
        ""
    };
    CliError(format!(
        "unknown message `{shown}`{hint}\nusage: {usage}{order}\nevery message id, with what \
         it is: `klavi messages`"
    ))
}

/// `word` as an error may show it: as it is when each of its dot-separated parts [cannot carry
/// personal data](is_shareable_name) (`pf-balance`, `payload.json`), else one `*` per character
/// (a tax id or an e-mail given where the id goes).
pub fn shown(word: &str) -> String {
    if word.split('.').all(is_shareable_name) {
        word.to_owned()
    } else {
        "*".repeat(word.chars().count().min(64))
    }
}

/// What `word`, which is not a message id, most likely meant: an endpoint's messages, the
/// messages of the same name with another suffix (`pf-balance` → `pf-balance.product`), or the
/// closest id.
pub fn hint(word: &str) -> Option<String> {
    if let Some(endpoint) = registry::endpoint(word) {
        let ids: Vec<&str> = endpoint.messages.iter().map(|m| m.id).collect();
        return Some(format!(
            "`{word}` is an endpoint, its messages are: {}",
            ids.join(", ")
        ));
    }
    let stem = stem(word);
    let same_stem: Vec<&str> = registry::messages()
        .map(|m| m.id)
        .filter(|id| stem_of(id).eq_ignore_ascii_case(stem))
        .collect();
    if let [only] = same_stem[..] {
        return Some(format!("did you mean `{only}`?"));
    }
    if !same_stem.is_empty() {
        return Some(format!("did you mean one of {}?", quoted(&same_stem)));
    }
    let ids = registry::messages().map(|m| m.id);
    if let Some(closest) = klavi_types::suggest::closest(word, ids) {
        return Some(format!("did you mean `{closest}`?"));
    }
    // A misspelled name with no suffix or the wrong one: the closest name, then its ids.
    let stems = registry::messages().map(|m| stem_of(m.id));
    let closest = klavi_types::suggest::closest(stem, stems)?;
    let ids: Vec<&str> = registry::messages()
        .map(|m| m.id)
        .filter(|id| stem_of(id) == closest)
        .collect();
    match ids[..] {
        [only] => Some(format!("did you mean `{only}`?")),
        _ => Some(format!("did you mean one of {}?", quoted(&ids))),
    }
}

/// The name of a message id without its suffix (`pf-balance.product` → `pf-balance`).
fn stem_of(id: &str) -> &str {
    id.rsplit_once('.').map_or(id, |(stem, _)| stem)
}

/// The name of a word read as an id: without a suffix that a message id could have.
fn stem(word: &str) -> &str {
    match word.rsplit_once('.') {
        Some((stem, suffix))
            if registry::messages()
                .any(|m| m.id.rsplit_once('.').map(|(_, s)| s) == Some(suffix)) =>
        {
            stem
        }
        _ => word,
    }
}

fn quoted(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    quoted.join(", ")
}

/// Whether `word` reads as a file name rather than a message id (`payload.json`, `-`,
/// `dir/x`).
fn looks_like_a_file(word: &str) -> bool {
    word == "-"
        || word.contains(['/', '\\'])
        || word.to_ascii_lowercase().ends_with(".json")
        || word.to_ascii_lowercase().ends_with(".jsonl")
        || std::path::Path::new(word).is_file()
}

#[cfg(test)]
mod tests {
    use super::{hint, unknown};

    #[test]
    fn hints_name_what_the_word_most_likely_meant() {
        let cases = [
            ("pf-balance", "did you mean `pf-balance.product`?"),
            ("PF-Balance", "did you mean `pf-balance.product`?"),
            ("pf-balanse", "did you mean `pf-balance.product`?"),
            ("create-link.req", "did you mean `create-link.request`?"),
            (
                "create-link",
                "`create-link` is an endpoint, its messages are: create-link.request, \
                 create-link.response",
            ),
            ("webhook", "did you mean `webhook.event`?"),
            ("pf-balance.request", "did you mean `pf-balance.product`?"),
        ];
        for (word, expected) in cases {
            assert_eq!(hint(word).as_deref(), Some(expected), "{word}");
        }
        assert_eq!(hint("zzzzzzzzzzzzzzzzzzzzzzzz"), None);
    }

    #[test]
    fn an_unknown_id_gets_the_usage_line_and_klavi_messages_not_every_id() {
        let error = unknown("payload.json", "klavi validate <MESSAGE> [FILE|-]").0;
        assert_eq!(
            error,
            "unknown message `payload.json`\nusage: klavi validate <MESSAGE> [FILE|-] (the \
             message id comes first, then the file)\nevery message id, with what it is: `klavi \
             messages`"
        );
        let error = unknown("pf-balance", "klavi example <MESSAGE>").0;
        assert!(error.starts_with(
            "unknown message `pf-balance`; did you mean `pf-balance.product`?\nusage: klavi \
             example <MESSAGE>\n"
        ));
        assert!(!error.contains("create-link.request"), "{error}");
    }

    #[test]
    fn a_tax_id_or_an_e_mail_where_the_id_goes_is_not_echoed() {
        for word in [
            "52998224725",
            "529.982.247-25",
            "12.ABC.345/01DE-35",
            "joao@example.com",
        ] {
            let error = unknown(word, "klavi schema <MESSAGE>").0;
            assert!(!error.contains(word), "{error}");
            assert!(error.starts_with("unknown message `***"), "{error}");
        }
    }
}
