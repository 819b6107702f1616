//! JSON Pointers (RFC 6901) of violations: escaping a member name into a reference token, and
//! redacting the tokens that may carry personal data before a pointer is shown.
//!
//! A pointer names members by the payload's own keys. Declared member names come from the
//! schemas and are safe to show, but an undeclared member's name or a map's key is data: a
//! partner can send `{"52998224725": …}` or key a map by e-mail address. Whatever prints a
//! pointer for people (a violation's `Display` and `Debug`, the `klavi` CLI in every format)
//! shows a token only when it [cannot carry personal data](is_shareable_name), and
//! [`REDACTED`] otherwise. [`crate::validation::Violation::pointer`] itself stays exact, so a
//! program can still resolve it against the payload it holds.

use std::borrow::Cow;

/// What a redacted reference token is shown as.
pub const REDACTED: &str = "***";

/// The longest member name shown as it is.
const MAX_SHOWN_NAME: usize = 64;

/// The longest run of digits a shown member name may hold: `v2`, `line10` pass; the 8 to 14
/// digits of a CEP, phone number, CPF or CNPJ do not.
const MAX_DIGIT_RUN: usize = 2;

/// The most digits an all-digit token may have to be shown: an array index (a 16 MiB payload
/// holds fewer than ten million items), too short to be a CPF, CNPJ, CEP or phone number.
const MAX_INDEX_DIGITS: usize = 7;

/// `name` as a reference token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape_token(name: &str) -> Cow<'_, str> {
    // Bytes, not `contains(['~', '/'])`: that pattern searched char by char, a twentieth of
    // the time of an invalid request's list (`perf`).
    if name.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(name.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(name)
    }
}

/// A reference token decoded (`~1` → `/`, `~0` → `~`): the inverse of [`escape_token`];
/// `None` for a `~` followed by anything else.
pub fn unescape_token(token: &str) -> Option<Cow<'_, str>> {
    if !token.contains('~') {
        return Some(Cow::Borrowed(token));
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '~' => match chars.next()? {
                '0' => '~',
                '1' => '/',
                _ => return None,
            },
            c => c,
        });
    }
    Some(Cow::Owned(out))
}

/// Appends `/name`, escaped, to `pointer`.
pub fn push_token(pointer: &mut String, name: &str) {
    pointer.push('/');
    pointer.push_str(&escape_token(name));
}

/// Whether a member name (or reference token) taken from a payload may be shown as it is: it
/// cannot carry personal data. The rule:
///
/// * an array index: at most seven digits, no leading zero; or
/// * an identifier: at most 64 ASCII characters, a letter, `_` or `$` first, then letters,
///   digits, `_`, `-` and `$`, with no run of more than two digits (so no `@`, no `.`, no
///   space, no accented or control character, no CPF, CNPJ, CEP or phone number).
///
/// Every name the schemas declare is such an identifier. A person's name written as one
/// identifier (`mariaSilva`) passes: the rule keeps what can be told apart from the schema's
/// vocabulary, and line and column still lead to what it hides.
pub fn is_shareable_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let Some(&first) = bytes.first() else {
        return true;
    };
    if first.is_ascii_digit() {
        return bytes.len() <= MAX_INDEX_DIGITS
            && (bytes.len() == 1 || first != b'0')
            && bytes.iter().all(u8::is_ascii_digit);
    }
    if bytes.len() > MAX_SHOWN_NAME
        || !(first.is_ascii_alphabetic() || matches!(first, b'_' | b'$'))
    {
        return false;
    }
    let mut digits = 0;
    bytes.iter().all(|&b| {
        digits = if b.is_ascii_digit() { digits + 1 } else { 0 };
        digits <= MAX_DIGIT_RUN && (b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'))
    })
}

/// Whether an escaped reference token may be shown (see [`is_shareable_name`]); `~0` and `~1`
/// stand for `~` and `/`, which no shareable name holds.
fn is_shareable_token(token: &str) -> bool {
    !token.contains('~') && is_shareable_name(token)
}

/// `pointer` with every reference token that may carry personal data replaced by
/// [`REDACTED`]; borrowed when nothing is replaced. Text that is not a pointer (it does not
/// start with `/`) is judged as one token.
pub fn redact(pointer: &str) -> Cow<'_, str> {
    let (lead, tokens) = match pointer.strip_prefix('/') {
        Some(rest) => ("/", rest),
        None if pointer.is_empty() => return Cow::Borrowed(pointer),
        None => ("", pointer),
    };
    if tokens.split('/').all(is_shareable_token) {
        return Cow::Borrowed(pointer);
    }
    let mut out = String::with_capacity(pointer.len());
    out.push_str(lead);
    for (index, token) in tokens.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        out.push_str(if is_shareable_token(token) {
            token
        } else {
            REDACTED
        });
    }
    Cow::Owned(out)
}

/// Whether `pointer` is `base` or below it.
pub fn is_at_or_under(pointer: &str, base: &str) -> bool {
    pointer
        .strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_carry_personal_data_are_shareable() {
        for name in [
            "",
            "0",
            "42",
            "9999999",
            "personalTaxId",
            "appRedirectURLKey",
            "pf_credit_card",
            "v2",
            "line10",
            "x-klavi-extra",
            "_id",
            "$ref",
            &"a".repeat(64),
        ] {
            assert!(is_shareable_name(name), "{name:?}");
        }
        for name in [
            "52998224725",
            "529.982.247-25",
            "12ABC34501DE35",
            "12.ABC.345/01DE-35",
            "maria@example.com",
            "maria.silva",
            "Maria Silva",
            "João",
            "tel11987654321",
            "cep01310100",
            "10000000",
            "007",
            "a\nline 7: forged",
            "a\u{202e}b",
            "-x",
            &"a".repeat(65),
        ] {
            assert!(!is_shareable_name(name), "{name:?}");
        }
    }

    #[test]
    fn redaction_replaces_only_the_data_bearing_tokens() {
        assert_eq!(redact(""), "");
        assert_eq!(
            redact("/productsCallbackURL/all"),
            "/productsCallbackURL/all"
        );
        assert!(matches!(redact("/a/0/b"), Cow::Borrowed(_)));
        assert_eq!(redact("/52998224725"), "/***");
        assert_eq!(
            redact("/productsCallbackURL/maria@example.com"),
            "/productsCallbackURL/***"
        );
        assert_eq!(redact("/a~1b/c"), "/***/c");
        assert_eq!(redact("/x/"), "/x/");
        // Text that is not a pointer is judged whole.
        assert_eq!(redact("52998224725"), "***");
        assert_eq!(redact("a/529.982"), "a/***");
        assert_eq!(redact("name"), "name");
    }

    #[test]
    fn tokens_are_escaped_once() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_token("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape_token("~01").as_deref(), Some("~1"));
        assert_eq!(unescape_token("plain").as_deref(), Some("plain"));
        assert_eq!(unescape_token("a~2"), None);
        assert_eq!(unescape_token("a~"), None);
        assert!(matches!(escape_token("plain"), Cow::Borrowed(_)));
        let mut pointer = String::new();
        push_token(&mut pointer, "a/b");
        push_token(&mut pointer, "0");
        assert_eq!(pointer, "/a~1b/0");
    }
}
