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

const INVALID: FormatError = FormatError::new(
    "email",
    "not a valid e-mail address (expected `name@example.com`)",
);

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
        // RFC 5321 allows an empty quoted local part, which `email_address` rejects (the
        // `jsonschema` crate special-cases it the same way).
        if let Some(domain) = text.strip_prefix("\"\"@") {
            return Self::check(&format!("\"a\"@{domain}"));
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
