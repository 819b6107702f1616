//! The parts of a URL that may carry personal data or a secret, found once for every place
//! that shows a URL without them: the URL types' `Debug` and the CLI's code frames.

use std::ops::Range;

use crate::registry::is_shareable_text;

/// The byte ranges of `url` that may carry personal data or a secret: its user information
/// (before the `@`), each path segment that is not [shareable](is_shareable_text) (a CPF in
/// `/clientes/52998224725`), its query (after the `?`) and its fragment (after the `#`). The
/// markers themselves, the scheme, the host and the port are not in them. Sorted, disjoint,
/// never empty.
///
/// ```
/// let url = "https://joao:senha@example.com/clientes/52998224725/ok?cpf=1#x";
/// let hidden: Vec<&str> = klavi_types::formats::private_url_parts(url)
///     .into_iter()
///     .map(|range| &url[range])
///     .collect();
/// assert_eq!(hidden, ["joao:senha", "52998224725", "cpf=1", "x"]);
/// ```
pub fn private_url_parts(url: &str) -> Vec<Range<usize>> {
    let text = url.as_bytes();
    let mut parts = Vec::new();
    let end = text.len();
    let tail = text
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(end);
    let mut path_start = 0;
    if let Some(colon) = text[..tail].iter().position(|&b| b == b':') {
        path_start = colon + 1;
        if text[path_start..tail].starts_with(b"//") {
            let authority = path_start + 2;
            let authority_end = text[authority..tail]
                .iter()
                .position(|&b| b == b'/')
                .map_or(tail, |p| authority + p);
            let user_end = text[authority..authority_end]
                .iter()
                .rposition(|&b| b == b'@');
            if let Some(user_end) = user_end
                && user_end > 0
            {
                parts.push(authority..authority + user_end);
            }
            path_start = authority_end;
        }
    }
    let mut segment_start = path_start;
    for at in path_start..=tail {
        if at == tail || text[at] == b'/' {
            let segment = &url[segment_start..at];
            if !segment.is_empty() && !is_shareable_text(segment) {
                parts.push(segment_start..at);
            }
            segment_start = at + 1;
        }
    }
    // The query, then the fragment, each after its marker.
    let mut from = tail;
    while from < end {
        let next = text[from + 1..]
            .iter()
            .position(|&b| b == b'#')
            .map_or(end, |p| from + 1 + p);
        if next > from + 1 {
            parts.push(from + 1..next);
        }
        from = next;
    }
    parts
}

/// `url` with each of its [private parts](private_url_parts) written as `*`, one per
/// character.
pub(crate) fn masked_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    for part in private_url_parts(url) {
        out.push_str(&url[at..part.start]);
        out.extend(std::iter::repeat_n('*', url[part.clone()].chars().count()));
        at = part.end;
    }
    out.push_str(&url[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::masked_url;

    #[test]
    fn the_private_parts_of_urls_are_masked() {
        let cases = [
            ("https://example.com", "https://example.com"),
            ("https://example.com/back", "https://example.com/back"),
            (
                "https://app.example.com/retorno?cpf=52998224725&nome=Joao+Souza",
                "https://app.example.com/retorno?*******************************",
            ),
            (
                "https://joao:Senha%40123@app.example.com:8443/back#joao",
                "https://****************@app.example.com:8443/back#****",
            ),
            ("https://a@b@example.com/x", "https://***@example.com/x"),
            (
                "https://x.com/clientes/529.982.247-25/ok?",
                "https://x.com/clientes/**************/ok?",
            ),
            ("mailto:joao@example.com", "mailto:****************"),
            ("myapp://klavi/callback", "myapp://klavi/callback"),
            ("https://x.com/#", "https://x.com/#"),
            ("https://x.com?a#b", "https://x.com?*#*"),
            ("https://x.com/ação", "https://x.com/****"),
        ];
        for (url, masked) in cases {
            assert_eq!(masked_url(url), masked, "{url}");
        }
    }
}
