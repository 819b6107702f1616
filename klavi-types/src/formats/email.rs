//! E-mail addresses (`format: email`), masked wherever they could be logged.

use std::fmt;
use std::str::FromStr;

use super::{FormatError, string_format};

/// An e-mail address (RFC 5321 mailbox). Personal data: `Debug` and `Display` are masked; read it
/// with [`Email::expose`].
///
/// Semantics follow the `jsonschema` crate's `email` format (the project's oracle): the
/// `email_address` crate's parser, an ASCII local part, and a domain that is an ASCII host name
/// (labels of letters, digits and hyphens, at most 63 bytes, 253 in all) or an address literal
/// (`[192.0.2.1]`, `[IPv6:…]`). Punycode labels (`xn--…`) are accepted without being decoded.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const INVALID: FormatError = crate::validation::messages::EMAIL;

impl Email {
    /// Parses an e-mail address.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        Self::check(text)?;
        Ok(Email(text.to_owned()))
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        Self::check(&text)?;
        Ok(Email(text))
    }

    /// Whether `text` is a valid e-mail address (no allocation).
    pub fn is_valid(text: &str) -> bool {
        Self::check(text).is_ok()
    }

    fn check(text: &str) -> Result<(), FormatError> {
        if is_plain_address(text) {
            return Ok(());
        }
        // Every address has an `@` (RFC 5321 `Mailbox`): without one, the full parse is not
        // needed to say no.
        if !text.as_bytes().contains(&b'@') {
            return Err(INVALID);
        }
        Self::check_fully(text)
    }

    /// The full check: `email_address` (which allocates), then the domain's own rules.
    #[cold]
    fn check_fully(text: &str) -> Result<(), FormatError> {
        // RFC 5321 allows an empty quoted local part, which `email_address` rejects (the
        // `jsonschema` crate special-cases it the same way).
        if let Some(domain) = text.strip_prefix("\"\"@") {
            return Self::check_fully(&format!("\"a\"@{domain}"));
        }
        let parsed = email_address::EmailAddress::from_str(text).map_err(|_| INVALID)?;
        if !parsed.local_part().is_ascii() {
            return Err(INVALID);
        }
        let domain = parsed.domain();
        let ok = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            Some(literal) => match literal.get(..5) {
                Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                    literal[5..].parse::<std::net::Ipv6Addr>().is_ok()
                }
                _ => literal.parse::<std::net::Ipv4Addr>().is_ok(),
            },
            None => is_ascii_hostname(domain),
        };
        if ok { Ok(()) } else { Err(INVALID) }
    }

    /// The address itself. Personal data: do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Same as [`Email::expose`]; used by serialization.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fast path: an ASCII dot-atom local part of at most 64 bytes, one `@`, and an ASCII
/// hostname. Every such address passes [`Email::check_fully`] (its local part is
/// `email_address`'s dot-atom, its domain satisfies both domain checks), so accepting it here
/// changes no verdict; anything else goes the full way. Allocation-free, ~10× faster.
fn is_plain_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let atext = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(b);
    !local.is_empty()
        && local.len() <= 64
        && local
            .as_bytes()
            .split(|&b| b == b'.')
            .all(|atom| !atom.is_empty() && atom.iter().all(atext))
        && is_ascii_hostname(domain)
}

fn is_ascii_hostname(host: &str) -> bool {
    let bytes = host.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 || bytes.ends_with(b".") {
        return false;
    }
    bytes.split(|&b| b == b'.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with(b"-")
            && !label.ends_with(b"-")
            && label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && !(label.len() >= 4 && &label[2..4] == b"--" && !label.starts_with(b"xn--"))
    })
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***@***)")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***@***")
    }
}

string_format!(
    Email,
    r#"{"type": "string", "format": "email", "description": "An e-mail address (RFC 5321 mailbox)."}"#
);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Email, is_plain_address};

    #[test]
    fn plain_addresses_take_the_fast_path_and_others_do_not() {
        for plain in [
            "maria@example.com",
            "a.b+c@x.com.br",
            "o'neil@a-b.io",
            "x@localhost",
        ] {
            assert!(is_plain_address(plain), "{plain}");
            assert!(Email::check_fully(plain).is_ok(), "{plain}");
        }
        for other in [
            "\"a b\"@x.com",
            "a@[127.0.0.1]",
            "é@x.com",
            ".a@x.com",
            "a..b@x.com",
        ] {
            assert!(!is_plain_address(other), "{other}");
        }
        assert!(Email::is_valid("\"a b\"@x.com") && Email::is_valid("a@[127.0.0.1]"));
        assert!(!Email::is_valid("a..b@x.com") && !Email::is_valid("not-an-email"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The fast path never accepts what the full check rejects.
        #[test]
        fn the_fast_path_accepts_nothing_the_full_check_rejects(
            text in prop_oneof![
                "[a-zA-Z0-9.!#'+_~-]{0,70}@[a-zA-Z0-9.-]{0,70}",
                prop::collection::vec(
                    prop::sample::select("aZ09.@-_+'\"[]< é!~".chars().collect::<Vec<_>>()),
                    0..80,
                )
                .prop_map(|chars| chars.into_iter().collect::<String>()),
            ]
        ) {
            if is_plain_address(&text) {
                prop_assert!(Email::check_fully(&text).is_ok(), "{:?}", text);
            }
        }
    }
}
