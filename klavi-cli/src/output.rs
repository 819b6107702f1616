//! Rendering shared by the commands: what a command produces ([`Outcome`], [`CliError`]),
//! one-line JSON with readable separators, aligned tables and escaping of control characters.
//!
//! Commands render into a `String`; `main` writes it once, so a closed pipe or a full disk is
//! handled in a single place and never panics.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, IsTerminal as _, Read};
use std::path::Path;

use klavi_cli::MAX_PAYLOAD_BYTES;
use serde::Serialize;

/// Whether a command found what it was asked to check valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything checked is valid (exit status 0).
    Valid,
    /// Something checked is invalid (exit status 1).
    Invalid,
}

impl Status {
    /// The process exit status: 0 or 1.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Valid => 0,
            Status::Invalid => 1,
        }
    }
}

/// What a command that ran produced: its standard output and its verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Everything to print on standard output.
    pub stdout: String,
    /// The verdict, which gives the exit status.
    pub status: Status,
}

impl Outcome {
    /// A successful outcome printing `stdout`.
    pub fn valid(stdout: String) -> Self {
        Outcome {
            stdout,
            status: Status::Valid,
        }
    }
}

/// A usage or I/O error: printed on standard error, exit status 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

/// How standard output can be decorated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermStyle {
    /// Standard output is a terminal (Unicode drawing allowed); otherwise plain ASCII drawing.
    pub terminal: bool,
    /// Colors are allowed: a terminal, and `NO_COLOR` unset or empty (<https://no-color.org>).
    pub color: bool,
}

impl TermStyle {
    /// The style for this process's standard output.
    pub fn detect() -> Self {
        let terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        TermStyle {
            terminal,
            color: terminal && !no_color,
        }
    }
}

/// A `serde_json` formatter for compact one-line JSON with a space after `:` and `,`
/// (`{"valid": true, "errors": []}`).
struct SpacedFormatter;

impl serde_json::ser::Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

/// `value` as one line of JSON followed by a newline.
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, SpacedFormatter);
    value
        .serialize(&mut serializer)
        .map_err(|error| CliError(format!("cannot render JSON: {error}")))?;
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(|error| CliError(format!("cannot render JSON: {error}")))
}

/// `text` with every control character (newline, escape, …) written as a Rust escape, so that
/// text taken from a payload (a member name) or the command line cannot break a line or drive
/// the terminal.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Renders `rows` under `header` as a table whose columns are separated by two spaces and
/// left-aligned; the last column is not padded (no trailing spaces).
pub fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; N]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index + 1 == N {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header);
    for row in rows {
        line(row.each_ref().map(String::as_str));
    }
    out
}

/// Reads `file`, or standard input for `None` and `-`, up to [`MAX_PAYLOAD_BYTES`]; returns a
/// name for the source too.
pub fn read_input(file: Option<&Path>) -> Result<(String, Vec<u8>), CliError> {
    let (name, reader): (String, Box<dyn Read>) = match file {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|error| CliError(format!("cannot read `{}`: {error}", sanitize(&name))))?;
            (name, Box::new(file))
        }
        _ => ("stdin".to_owned(), Box::new(io::stdin().lock())),
    };
    let bytes = read_bounded(reader, MAX_PAYLOAD_BYTES)
        .map_err(|error| CliError(format!("cannot read `{}`: {error}", sanitize(&name))))?;
    Ok((name, bytes))
}

/// Reads all of `reader`, refusing more than `limit` bytes (an error, without holding them).
fn read_bounded(reader: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(io::Error::other(format!(
            "the input is larger than {} MiB, the most `klavi` reads",
            limit >> 20
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_bounded_refuses_more_than_the_limit() {
        assert_eq!(read_bounded(&b"abcd"[..], 4).unwrap(), b"abcd");
        let error = read_bounded(&b"abcde"[..], 4).unwrap_err();
        assert!(error.to_string().contains("larger than"), "{error}");
    }

    #[test]
    fn json_line_is_spaced_and_one_line() {
        #[derive(Serialize)]
        struct Report<'a> {
            valid: bool,
            errors: &'a [&'a str],
        }
        let text = json_line(&Report {
            valid: false,
            errors: &["a", "b"],
        });
        assert_eq!(
            text,
            Ok("{\"valid\": false, \"errors\": [\"a\", \"b\"]}\n".to_owned())
        );
    }

    #[test]
    fn sanitize_escapes_control_characters() {
        assert_eq!(sanitize("/a\nb\u{1b}"), "/a\\nb\\u{1b}");
        assert!(matches!(sanitize("/plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn table_aligns_without_trailing_spaces() {
        let text = table(
            ["A", "BB", "C"],
            &[
                ["xxx".into(), "y".into(), "".into()],
                ["1".into(), "2".into(), "3".into()],
            ],
        );
        assert_eq!(text, "A    BB  C\nxxx  y\n1    2   3\n");
    }
}
