//! What of a payload's own text may be shown in a code frame, decided by the message's places
//! ([`klavi_types::registry::Place`], which the generator derives from the schema) in one read
//! of the text ([`crate::scan`]).
//!
//! A frame shows the payload around a violation, so everything it could show is classified:
//!
//! * a value **the schema marks personal or secret** (`format` `cpf`, `cnpj` or `email`,
//!   `x-klavi-personal-data`, `x-klavi-secret`, a tax id kept as received) is hidden whatever
//!   its JSON type: a string, a number, every scalar and member name inside an array or object;
//! * the value of an **undeclared member** (one no schema node at that place names: a
//!   misspelled member, an unknown member of a response, anything inside a free-form object
//!   such as `externalInfo`) is unknown data and hidden the same way, and so is any JSON (`{}`);
//! * a **member name that the schema does not declare** (an undeclared member's, a map key)
//!   is data too: shown only when it [cannot carry personal data](is_shareable_name); inside a
//!   hidden value, every name is hidden;
//! * a **value under a hidden name** (a map key that may be an e-mail) is hidden too;
//! * a declared member's **scalar value** is shown only when its declared type cannot carry
//!   personal data and the value is one of that type ([`Shown`], from the schema): a literal;
//!   a number of at most ten integer digits; an enum's declared value; a valid date, date-time,
//!   product name or amount; free text only when it is an identifier or a UUID
//!   ([`klavi_types::registry::is_shareable_text`]); a valid URL with its user information,
//!   query, fragment and each path segment that is not an identifier masked. A value of
//!   another type, or that fails its format (an e-mail where a URL goes, a CPF where a status
//!   goes), is hidden whole.
//!
//! Hidden text keeps its length in characters (each becomes `*`) and the JSON punctuation
//! around it, so lines and columns stay true.

use std::ops::Range;

use klavi_types::registry::{Place, Shown};
use klavi_types::validation::pointer::is_shareable_name;

use crate::scan::{Event, Scanner, decode_into};

/// What of a payload's text is hidden: ranges found by the schema, and everything (but JSON
/// punctuation and whitespace) from the point where the text stops being JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masking {
    /// Sorted, disjoint byte ranges: the contents of a string (without its quotes), a number or
    /// a literal, a member name's contents.
    ranges: Vec<Range<usize>>,
    /// From this offset on, every character but `{}[]:,"` and whitespace is hidden.
    hide_from: usize,
}

impl Masking {
    /// The masking of `source`, read as the message whose places are `places`
    /// ([`klavi_types::registry::MessageInfo::places`]). With no places, everything but
    /// punctuation is hidden.
    pub fn new(places: Option<&[Place]>, source: &[u8]) -> Self {
        match places {
            Some(places) => hidden_ranges(Guide { places }, source),
            None => Masking {
                ranges: Vec::new(),
                hide_from: 0,
            },
        }
    }

    /// A masking that hides nothing but text that is not JSON (for tests of the frames).
    #[cfg(test)]
    pub fn showing_all(source: &[u8]) -> Self {
        let mut scanner = Scanner::new(source);
        scanner.by_ref().for_each(drop);
        Masking {
            ranges: Vec::new(),
            hide_from: if scanner.failed() {
                scanner.offset()
            } else {
                source.len()
            },
        }
    }

    /// Whether the character starting at byte `at` is hidden.
    pub fn hides(&self, at: usize, c: char) -> bool {
        if at >= self.hide_from {
            return !matches!(
                c,
                '{' | '}' | '[' | ']' | ':' | ',' | '"' | ' ' | '\t' | '\n' | '\r'
            );
        }
        let index = self.ranges.partition_point(|range| range.end <= at);
        self.ranges
            .get(index)
            .is_some_and(|range| range.start <= at)
    }
}

/// The masking of `source`, guided by `guide`, in one read.
fn hidden_ranges(guide: Guide<'_>, source: &[u8]) -> Masking {
    let mut hidden = Vec::new();
    let mut stack: Vec<Container> = Vec::new();
    let mut upcoming = guide.root();
    let mut name = String::new();
    let mut scanner = Scanner::new(source);
    for event in scanner.by_ref() {
        match event {
            Event::ObjectStart(_) | Event::ArrayStart(_) => {
                let spot = std::mem::replace(&mut upcoming, Spot::Hidden);
                let array = matches!(event, Event::ArrayStart(_));
                if array {
                    upcoming = guide.item(spot);
                }
                stack.push(Container { spot, array });
            }
            Event::ObjectEnd(_) | Event::ArrayEnd(_) => {
                stack.pop();
                upcoming = next_item(guide, stack.last());
            }
            Event::Key(span) => {
                let Some(container) = stack.last() else {
                    break;
                };
                let inner = span.start + 1..span.end - 1;
                decode_into(&source[inner.clone()], &mut name);
                let inside_hidden = container.spot == Spot::Hidden;
                let (spot, declared) = guide.member(container.spot, &name);
                let hide_name = inside_hidden || (!declared && !is_shareable_name(&name));
                if hide_name && !inner.is_empty() {
                    hidden.push(inner);
                }
                // A value under a hidden name (a map key that may be an e-mail) is hidden too.
                upcoming = if hide_name { Spot::Hidden } else { spot };
            }
            Event::Scalar(span) => {
                let quoted = source.get(span.start) == Some(&b'"');
                let inner = if quoted {
                    span.start + 1..span.end - 1
                } else {
                    span
                };
                match upcoming {
                    Spot::Shown(index) => {
                        let shown = guide.shown(index);
                        if quoted {
                            decode_into(&source[inner.clone()], &mut name);
                            if !shown.shows_text(&name) {
                                hidden.push(inner);
                            } else if matches!(shown, Shown::Format(format) if format.is_url()) {
                                url_private_parts(source, inner, &mut hidden);
                            }
                        } else {
                            let token = std::str::from_utf8(&source[inner.clone()]).unwrap_or("");
                            if !shown.shows_token(token) {
                                hidden.push(inner);
                            }
                        }
                    }
                    Spot::Hidden if !inner.is_empty() => hidden.push(inner),
                    Spot::Hidden => {}
                }
                upcoming = next_item(guide, stack.last());
            }
        }
    }
    let hide_from = if scanner.failed() {
        scanner.offset()
    } else {
        source.len()
    };
    Masking {
        ranges: hidden,
        hide_from,
    }
}

/// Adds to `hidden` the parts of the URL in `source[inner]` (a string's contents, valid as a
/// URL) that may carry personal data or a secret
/// ([`klavi_types::formats::private_url_parts`]: user information, query, fragment, path
/// segments that are not identifiers). A URL written with escapes (`\/`) is hidden whole:
/// offsets into it are not the text's.
fn url_private_parts(source: &[u8], inner: Range<usize>, hidden: &mut Vec<Range<usize>>) {
    let text = &source[inner.clone()];
    match std::str::from_utf8(text) {
        Ok(url) if !text.contains(&b'\\') => hidden.extend(
            klavi_types::formats::private_url_parts(url)
                .into_iter()
                .map(|part| inner.start + part.start..inner.start + part.end),
        ),
        _ if !text.is_empty() => hidden.push(inner),
        _ => {}
    }
}

/// What the next value of `container` is: its item place for an array; for an object, set
/// by the next member name.
fn next_item(guide: Guide<'_>, container: Option<&Container>) -> Spot {
    match container {
        Some(container) if container.array => guide.item(container.spot),
        _ => Spot::Hidden,
    }
}

/// An open object or array and how its contents are shown.
struct Container {
    spot: Spot,
    array: bool,
}

/// How a value is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spot {
    /// Shown; the place (an index of the message's places) says what is inside.
    Shown(usize),
    /// Hidden, with everything inside.
    Hidden,
}

/// The message's places, which decide the spots.
#[derive(Clone, Copy)]
struct Guide<'p> {
    places: &'p [Place],
}

impl Guide<'_> {
    /// The spot of the root value.
    fn root(self) -> Spot {
        self.spot(0)
    }

    /// The spot of the place at `index`.
    fn spot(self, index: usize) -> Spot {
        match self.places.get(index) {
            Some(place) if !place.hidden => Spot::Shown(index),
            _ => Spot::Hidden,
        }
    }

    /// Which values the place at `index` shows.
    fn shown(self, index: usize) -> Shown {
        self.places
            .get(index)
            .map_or(Shown::Text, |place| place.shown)
    }

    /// The spot of the member `name` of an object at `spot`, and whether the object declares
    /// `name` itself (rather than as a map key, or not at all).
    fn member(self, spot: Spot, name: &str) -> (Spot, bool) {
        let Spot::Shown(index) = spot else {
            return (Spot::Hidden, false);
        };
        let Some(place) = self.places.get(index) else {
            return (Spot::Hidden, false);
        };
        match (place.member(name), place.values) {
            (Some(member), _) => (self.spot(member), true),
            (None, Some(values)) => (self.spot(values), false),
            (None, None) => (Spot::Hidden, false),
        }
    }

    /// The spot of an item of an array at `spot`.
    fn item(self, spot: Spot) -> Spot {
        let Spot::Shown(index) = spot else {
            return Spot::Hidden;
        };
        self.places
            .get(index)
            .and_then(|place| place.items)
            .map_or(Spot::Hidden, |items| self.spot(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(message: &str, source: &str) -> String {
        let info = klavi_types::registry::message(message).expect("a message");
        let masking = Masking::new(Some(info.places), source.as_bytes());
        source
            .char_indices()
            .map(|(at, c)| if masking.hides(at, c) { '*' } else { c })
            .collect()
    }

    #[test]
    fn personal_values_are_hidden_whatever_their_type() {
        assert_eq!(
            shown(
                "create-link.request",
                r#"{"personalTaxId": 52998224725, "email": ["a@b", {"k": 1}], "redirectURL": "https://x.com"}"#
            ),
            r#"{"personalTaxId": ***********, "email": ["***", {"*": *}], "redirectURL": "https://x.com"}"#
        );
        assert_eq!(
            shown(
                "submit-mfa.request",
                r#"{"mfaId": 1, "code": 987123, "password": "44556677"}"#
            ),
            r#"{"mfaId": 1, "code": ******, "password": "********"}"#
        );
    }

    #[test]
    fn undeclared_members_hide_their_values_and_unsafe_names() {
        assert_eq!(
            shown(
                "create-link.request",
                "{\"personalTaxID\": \"529.982.247-25\", \"52998224725\": 1, \"externalInfo\": {\"nome\": \"Maria\"}}"
            ),
            "{\"personalTaxID\": \"**************\", \"***********\": *, \"externalInfo\": {\"nome\": \"*****\"}}"
        );
        // Map keys are data: an e-mail is hidden, and so is its value; a product name is not.
        assert_eq!(
            shown(
                "create-link.request",
                r#"{"productsCallbackURL": {"maria@example.com": "https://x.com/a", "all": "https://x.com/b"}}"#
            ),
            r#"{"productsCallbackURL": {"*****************": "***************", "all": "https://x.com/b"}}"#
        );
    }

    #[test]
    fn values_are_shown_only_when_their_type_cannot_carry_personal_data() {
        let cases = [
            // URLs: user information, query, fragment and path segments that could hold
            // personal data masked; scheme, host, port and plain segments kept.
            (
                "create-link.request",
                r#"{"redirectURL": "https://app.example.com/retorno?cpf=52998224725&nome=Joao+Souza"}"#,
                r#"{"redirectURL": "https://app.example.com/retorno?*******************************"}"#,
            ),
            (
                "create-link.request",
                r#"{"redirectURL": "https://joao:Senha%40123@app.example.com:8443/back#joao"}"#,
                r#"{"redirectURL": "https://****************@app.example.com:8443/back#****"}"#,
            ),
            (
                "create-link.request",
                r#"{"redirectURL": "https://x.com/clientes/52998224725/ok?"}"#,
                r#"{"redirectURL": "https://x.com/clientes/***********/ok?"}"#,
            ),
            // A value that is not one of its declared type: hidden whole.
            (
                "create-link.request",
                r#"{"redirectURL": "ftp://joao.souza@bad"}"#,
                r#"{"redirectURL": "********************"}"#,
            ),
            (
                "create-link.request",
                r#"{"redirectURL": "joao@example.com"}"#,
                r#"{"redirectURL": "****************"}"#,
            ),
            (
                "create-link.request",
                r#"{"redirectURL": 52998224725}"#,
                r#"{"redirectURL": ***********}"#,
            ),
            (
                "create-link.request",
                r#"{"productsCallbackURL": {"all": "529.982.247-25"}}"#,
                r#"{"productsCallbackURL": {"all": "**************"}}"#,
            ),
            // Escapes make offsets differ from the text's: a URL written with them is hidden.
            (
                "create-link.request",
                r#"{"redirectURL": "https:\/\/x.com\/a"}"#,
                r#"{"redirectURL": "******************"}"#,
            ),
            // Free text: an identifier or a UUID is shown, anything else hidden.
            (
                "create-consent.request",
                r#"{"externalTrackId": "order-17", "validityPeriod": 12}"#,
                r#"{"externalTrackId": "order-17", "validityPeriod": 12}"#,
            ),
            (
                "create-consent.request",
                r#"{"externalTrackId": "Joao Souza 52998224725"}"#,
                r#"{"externalTrackId": "**********************"}"#,
            ),
            (
                "create-consent.request",
                r#"{"externalTrackId": "0b6f1a2e-5d4c-4b3a-9e8f-7a6b5c4d3e2f"}"#,
                r#"{"externalTrackId": "0b6f1a2e-5d4c-4b3a-9e8f-7a6b5c4d3e2f"}"#,
            ),
        ];
        for (message, source, expected) in cases {
            assert_eq!(shown(message, source), expected, "{source}");
        }
        // Enums: a declared value is shown, anything else hidden; numbers up to ten digits.
        assert_eq!(
            shown(
                "get-consent-list.response",
                r#"[{"consentId": "c-1", "status": "AUTHORISED"}, {"status": "52998224725"}]"#
            ),
            r#"[{"consentId": "c-1", "status": "AUTHORISED"}, {"status": "***********"}]"#
        );
        assert_eq!(
            shown(
                "submit-mfa.request",
                r#"{"mfaId": 9007199254740990, "code": 1}"#
            ),
            r#"{"mfaId": ****************, "code": *}"#
        );
        assert_eq!(
            shown("submit-mfa.request", r#"{"mfaId": 12345, "code": true}"#),
            r#"{"mfaId": 12345, "code": ****}"#
        );
    }

    #[test]
    fn responses_hide_unknown_members_and_keep_declared_ones() {
        let text = shown(
            "get-consent-list.response",
            r#"[{"consentId": "c-1", "status": "AUTHORISED", "motherName": "Maria", "personalTaxId": "16109277673"}]"#,
        );
        assert!(text.contains("\"consentId\": \"c-1\""), "{text}");
        assert!(text.contains("\"motherName\": \"*****\""), "{text}");
        assert!(!text.contains("16109277673"), "{text}");
    }

    #[test]
    fn text_that_is_not_json_is_hidden_from_where_it_breaks() {
        assert_eq!(
            shown(
                "create-link.request",
                "{\"redirectURL\": \"https://x.com\", \"personalTaxId\": \"529.982.247-25\",}"
            ),
            "{\"redirectURL\": \"https://x.com\", \"personalTaxId\": \"**************\",}"
        );
        assert_eq!(
            shown(
                "create-link.request",
                "{\"redirectURL\": \"https://x.com\", 529.982,"
            ),
            "{\"redirectURL\": \"https://x.com\", *******,"
        );
        let masking = Masking::new(None, b"{\"a\": 1}");
        assert!(masking.hides(2, 'a') && !masking.hides(0, '{'));
    }
}
