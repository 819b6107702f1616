//! The kept copies of Klavi's docs, `schemas/docs/ID.block.txt` and `ID.page.txt` (further
//! copies of one endpoint `ID.page-2.txt`, `ID.block-2.txt`…): which endpoint a copy is of (its
//! file name), what its header says (`# source:`, `# truncated:`, `# superseded-by:`), and
//! what it documents, read by the block or the page reader as its name says. [`read_copy`].

use super::block::{Block, parse_block};
use super::page::parse_page;

/// Which reader a kept copy's name calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyKind {
    /// `ID.block.txt`: an API block (quoted or plain).
    Block,
    /// `ID.page.txt`: a page's text (rendered, or flattened to prose).
    Page,
}

/// What a kept copy's name says: `create-link.page-2.txt` is the second page copy of
/// `create-link`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyName {
    /// The endpoint id (`create-link`).
    pub endpoint: String,
    /// Block or page.
    pub kind: CopyKind,
}

impl CopyName {
    /// Reads `ID.block.txt`, `ID.page.txt`, `ID.block-N.txt` or `ID.page-N.txt`; `None` for any
    /// other name.
    pub fn parse(file_name: &str) -> Option<CopyName> {
        let stem = file_name.strip_suffix(".txt")?;
        let (endpoint, kind) = stem.rsplit_once('.')?;
        let (kind, number) = kind.split_once('-').unwrap_or((kind, "1"));
        let kind = match kind {
            "block" => CopyKind::Block,
            "page" => CopyKind::Page,
            _ => return None,
        };
        let numbered = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
        let id = !endpoint.is_empty()
            && endpoint
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        (numbered && id).then(|| CopyName {
            endpoint: endpoint.to_owned(),
            kind,
        })
    }
}

/// A kept copy's header: its leading `# key: value` lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// `# title:` the page's title.
    pub title: Option<String>,
    /// `# source:` the page's URL.
    pub source: Option<String>,
    /// `# truncated: yes`: the copy stops before the page ends.
    pub truncated: bool,
    /// `# superseded-by: FILE`: a newer copy of the same page, in the same directory, whose
    /// word wins on every list it gives whole.
    pub superseded_by: Option<String>,
}

impl Header {
    /// Reads the header of `text`; an unknown key or a `truncated` other than `yes` or `no` is
    /// an error (a misspelt `# superseded-by:` must not pass unnoticed).
    pub fn parse(text: &str) -> Result<(Header, &str), String> {
        let mut header = Header::default();
        let mut rest = text;
        while let Some(line) = rest.strip_prefix("# ") {
            let (line, next) = line.split_once('\n').unwrap_or((line, ""));
            let (key, value) = line
                .split_once(':')
                .ok_or_else(|| format!("header line `# {line}` has no `key: value`"))?;
            let value = value.trim().to_owned();
            match key.trim() {
                "title" => header.title = Some(value),
                "source" => header.source = Some(value),
                "truncated" => {
                    header.truncated = match value.as_str() {
                        "yes" => true,
                        "no" => false,
                        _ => return Err(format!("`# truncated: {value}`: say yes or no")),
                    }
                }
                "superseded-by" => header.superseded_by = Some(value),
                other => {
                    return Err(format!(
                        "unknown header `# {other}:` (title, source, truncated, superseded-by)"
                    ));
                }
            }
            rest = next;
        }
        Ok((header, rest))
    }
}

/// One kept copy, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptCopy {
    /// Its file name (`create-link.page.txt`).
    pub file: String,
    /// What the name says.
    pub name: CopyName,
    /// What the header says.
    pub header: Header,
    /// What the copy documents, as far as it goes.
    pub block: Block,
}

/// Reads the kept copy `file_name` whose text is `text`.
pub fn read_copy(file_name: &str, text: &str) -> Result<KeptCopy, String> {
    let name = CopyName::parse(file_name).ok_or_else(|| {
        format!(
            "`{file_name}` is not a kept copy's name (ID.block.txt, ID.page.txt, ID.page-2.txt…)"
        )
    })?;
    let (header, body) = Header::parse(text)?;
    let block = match name.kind {
        CopyKind::Block => parse_block(body)?,
        CopyKind::Page => parse_page(body, header.truncated),
    };
    Ok(KeptCopy {
        file: file_name.to_owned(),
        name,
        header,
        block,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (file, expected) in [
            (
                "create-link.page.txt",
                Some(("create-link", CopyKind::Page)),
            ),
            (
                "create-link.page-2.txt",
                Some(("create-link", CopyKind::Page)),
            ),
            (
                "submit-mfa.block.txt",
                Some(("submit-mfa", CopyKind::Block)),
            ),
            (
                "submit-mfa.block-12.txt",
                Some(("submit-mfa", CopyKind::Block)),
            ),
            ("accepted.json", None),
            ("x.page-.txt", None),
            ("x.page-a.txt", None),
            ("X.page.txt", None),
            (".page.txt", None),
            ("x.pages.txt", None),
            ("x.page.md", None),
        ] {
            let got = CopyName::parse(file);
            assert_eq!(
                got.as_ref().map(|n| (n.endpoint.as_str(), n.kind)),
                expected,
                "{file}"
            );
        }
    }

    #[test]
    fn headers() {
        let (header, rest) = Header::parse(
            "# source: https://docs.klavi.ai/x\n# truncated: yes\n# superseded-by: x.page.txt\nGET\n",
        )
        .unwrap();
        assert_eq!(header.source.as_deref(), Some("https://docs.klavi.ai/x"));
        assert!(header.truncated);
        assert_eq!(header.superseded_by.as_deref(), Some("x.page.txt"));
        assert_eq!(rest, "GET\n");
        assert_eq!(Header::parse("GET").unwrap().0, Header::default());
        for bad in [
            "# truncated: maybe\n",
            "# superseeded-by: x\n",
            "# no colon\n",
        ] {
            assert!(Header::parse(bad).is_err(), "{bad}");
        }
    }
}
