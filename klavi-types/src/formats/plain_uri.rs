//! The fast acceptance of plain absolute URIs, the shape nearly every URL in a request has:
//! `scheme:` then, optionally, `//host[:port]`, then path, query and fragment, with no
//! percent-encoding, no user information and no IP literal.
//!
//! Every URI [`is_plain_uri`] accepts is valid RFC 3986 (a proptest holds it to `fluent-uri`,
//! the full check), so accepting it without the full parse changes no verdict; anything else,
//! valid or not, goes the full way. The host and the tail are scanned 16 bytes at a time
//! (`crate::simd`), no allocation: many times fewer instructions than the full parse on the
//! URLs of a Create a Link request.

use crate::simd::{URI_HOST, URI_TAIL, uri_stop};

/// `ALPHA / DIGIT / "+" / "-" / "."`: the characters of a scheme after its first letter.
fn is_scheme_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.')
}

/// `true` only for a valid absolute URI of the plain shape described in the module docs;
/// `false` says nothing (the full check decides). One pass over the bytes: the scheme byte by
/// byte, the host and the tail 16 bytes at a time ([`uri_stop`]).
pub(super) fn is_plain_uri(text: &str) -> bool {
    let bytes = text.as_bytes();
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut i = 1;
    while bytes.get(i).copied().is_some_and(is_scheme_byte) {
        i += 1;
    }
    if bytes.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    // "//" authority, as a host name and an optional numeric port; it ends at the path, the
    // query or the fragment. Without "//", what follows is a path (absolute, rootless or
    // empty), which the tail's alphabet covers.
    if bytes[i..].starts_with(b"//") {
        i = uri_stop(bytes, i + 2, URI_HOST);
        if bytes.get(i) == Some(&b':') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if !matches!(bytes.get(i), None | Some(b'/' | b'?' | b'#')) {
            return false;
        }
    }
    // Path, query ("?" onwards) and fragment ("#" onwards) share one alphabet; only one "#".
    let mut fragment = false;
    loop {
        i = uri_stop(bytes, i, URI_TAIL);
        match bytes.get(i) {
            None => return true,
            Some(b'#') if !fragment => {
                fragment = true;
                i += 1;
            }
            Some(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::is_plain_uri;

    #[test]
    fn the_usual_shapes_take_the_fast_path() {
        for uri in [
            "https://acme.com.br/klavi/return",
            "https://www.yourdomain.com/yourpath?a=1&b=two#top",
            "http://localhost:8080/x",
            "myapp://klavi/callback",
            "urn:isbn:0451450523",
            "mailto:maria@example.com",
            "a:",
            "file:///etc/hosts",
        ] {
            assert!(is_plain_uri(uri), "{uri}");
        }
    }

    #[test]
    fn other_shapes_go_the_full_way() {
        for uri in [
            "",
            "1a:x",
            "no scheme",
            "https://user@host/",
            "https://[::1]/",
            "https://x/%20",
            "https://x:8o/",
            "https://x/a b",
            "https://x/#a#b",
            "https://é.br/",
        ] {
            assert!(!is_plain_uri(uri), "{uri}");
        }
    }

    /// Plain URLs with any one byte replaced by any ASCII byte, at every position: whatever
    /// the fast path accepts, `fluent-uri` accepts.
    #[test]
    fn every_single_substitution_accepted_fast_is_valid() {
        for uri in [
            "https://acme.com.br:8443/klavi/return?x=1&y=2#f",
            "myapp://klavi/callback",
            "urn:isbn:1",
        ] {
            for at in 0..uri.len() {
                for byte in 0..=127u8 {
                    let mut bytes = uri.as_bytes().to_vec();
                    bytes[at] = byte;
                    let s = String::from_utf8(bytes).expect("ASCII");
                    if is_plain_uri(&s) {
                        assert!(fluent_uri::Uri::parse(s.as_str()).is_ok(), "{s:?}");
                    }
                }
            }
        }
    }

    /// Strings over every character the grammar treats specially, alone or spliced into a
    /// plain URL.
    fn near_uris() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "aZ09+-._~!$&'()*,;=:@/?#[]% \"<>\\^`{|}é\u{7f}"
            .chars()
            .collect();
        let random = prop::collection::vec(prop::sample::select(alphabet.clone()), 0..24)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        let base = prop::sample::select(vec![
            "https://acme.com.br/klavi/return?x=1#f",
            "myapp://klavi/callback",
            "urn:isbn:1",
            "http://h:80/",
        ]);
        let spliced = (
            base,
            any::<prop::sample::Index>(),
            prop::collection::vec(prop::sample::select(alphabet), 1..4),
        )
            .prop_map(|(uri, at, insert)| {
                let mut chars: Vec<char> = uri.chars().collect();
                let i = at.index(chars.len() + 1);
                chars.splice(i..i, insert);
                chars.into_iter().collect()
            });
        prop_oneof![random, spliced]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The fast path never accepts what the full check rejects.
        #[test]
        fn the_fast_path_accepts_only_valid_uris(uri in near_uris()) {
            if is_plain_uri(&uri) {
                prop_assert!(fluent_uri::Uri::parse(uri.as_str()).is_ok(), "{:?}", uri);
            }
        }
    }
}
