//! Rendering shared by the commands: what a command produces ([`Outcome`], [`CliError`]),
//! one-line JSON with readable separators, aligned tables. (Reading the input is `input.rs`.)
//!
//! Commands render into a `String`; `main` writes it once, so a closed pipe or a full disk is
//! handled in a single place and never panics.

use std::fmt::{self, Write as _};
use std::io::{self, IsTerminal as _};

use klavi_cli::render::Style;
pub use klavi_cli::text::sanitize;
use serde::Serialize;

/// Whether a command found what it was asked to check valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything checked is valid (exit status 0).
    Valid,
    /// Something checked is invalid (exit status 1).
    Invalid,
    /// Something could not be checked at all, such as an unreadable file among others whose
    /// results are printed (exit status 2).
    Unchecked,
}

impl Status {
    /// The process exit status: 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Valid => 0,
            Status::Invalid => 1,
            Status::Unchecked => 2,
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

/// How this process's standard output is decorated: colors on a terminal, unless `NO_COLOR` is
/// set and not empty (<https://no-color.org>).
pub fn detect_style() -> Style {
    let terminal = io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: terminal && !no_color,
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

#[cfg(test)]
mod tests {
    use super::*;

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
