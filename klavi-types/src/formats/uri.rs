//! Absolute URIs (`format: uri`) and absolute http(s) URLs.

use super::{FormatError, plain_uri, string_format};

/// An absolute URI (RFC 3986) of any scheme, e.g. an app link `myapp://klavi/callback`.
///
/// Checked with the `fluent-uri` parser, the one the `jsonschema` crate's `uri` format uses.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AbsoluteUri(String);

const NOT_URI: FormatError = crate::validation::messages::URI;

impl AbsoluteUri {
    /// Parses an absolute URI.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        check_uri(text)?;
        Ok(AbsoluteUri(text.to_owned()))
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        check_uri(&text)?;
        Ok(AbsoluteUri(text))
    }

    /// The URI text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// RFC 3986 absolute URI: the plain shape is accepted on the spot, anything else is parsed by
/// `fluent-uri`.
pub(crate) fn check_uri(text: &str) -> Result<(), FormatError> {
    if plain_uri::is_plain_uri(text) {
        return Ok(());
    }
    fluent_uri::Uri::parse(text)
        .map(|_| ())
        .map_err(|_| NOT_URI)
}

/// An absolute `http` or `https` URL with a host, e.g. `https://www.yourdomain.com/yourpath`.
///
/// Implements `schemas/common.json#/$defs/HttpUrl`: a valid URI (`format: uri`) matching
/// `^https?://[^/?#]`. The scheme must be lower case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpUrl(String);

const NOT_HTTP_URL: FormatError = crate::validation::messages::HTTP_URL;

impl HttpUrl {
    /// Parses an http(s) URL.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        check_http(text)?;
        Ok(HttpUrl(text.to_owned()))
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        check_http(&text)?;
        Ok(HttpUrl(text))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn check_http(text: &str) -> Result<(), FormatError> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or(NOT_HTTP_URL)?;
    match rest.chars().next() {
        Some('/' | '?' | '#') | None => return Err(NOT_HTTP_URL),
        Some(_) => {}
    }
    check_uri(text).map_err(|_| NOT_HTTP_URL)
}

// `Debug` without what may be personal data or a secret (user information, query, fragment,
// path segments that are not identifiers: `private_url_parts`), as a log line of a request
// shows it; `Display` and `as_str` give the URL whole.
super::plain_text_impls!(AbsoluteUri, super::private_parts::masked_url);
super::plain_text_impls!(HttpUrl, super::private_parts::masked_url);

string_format!(
    AbsoluteUri,
    r#"{"type": "string", "format": "uri", "description": "An absolute URI (RFC 3986) of any scheme."}"#
);
string_format!(
    HttpUrl,
    r#"{"type": "string", "format": "uri", "pattern": "^https?://[^/?#]", "description": "An absolute http or https URL with a host."}"#
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls() {
        for ok in [
            "https://www.yourdomain.com/yourpath",
            "http://localhost:8080/x?y=1#z",
            "https://a",
        ] {
            assert!(HttpUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://x",
            "https://",
            "https:///path",
            "HTTPS://x",
            "https://a b",
            "//x",
            "",
            "https://x/%zz",
        ] {
            assert_eq!(
                HttpUrl::parse(bad).map_err(|e| e.code()),
                Err("http_url"),
                "{bad}"
            );
        }
    }

    #[test]
    fn absolute_uris() {
        for ok in ["myapp://klavi/callback", "https://x", "urn:isbn:1", "a:"] {
            assert!(AbsoluteUri::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "/relative", "no scheme", "1a:x", "a b:c"] {
            assert_eq!(
                AbsoluteUri::parse(bad).map_err(|e| e.code()),
                Err("uri"),
                "{bad}"
            );
        }
    }
}
