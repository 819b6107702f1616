//! The Rust examples of the READMEs as a user copies them, so that CI builds each one where the
//! README says to put it, in a new project outside the workspace, from the packaged crates
//! (`.ci/consumer`).
//!
//! The rule a README follows, checked here: every ```` ```rust ```` block (`rust`,
//! `rust,no_run`, `rust,ignore`, indented in a list item or not) is a whole file, and the
//! paragraph (or list item) right before it says
//!
//! * where the file goes: one code span `src/main.rs`, `examples/NAME.rs` or `tests/NAME.rs`;
//! * what the project needs first: the code spans that start with `cargo add `, after the
//!   `cargo add` lines of a ```` ```sh ```` block right before that paragraph, if there is one
//!   (at least one: a new project has no dependency);
//! * how it runs, if CI should run it: a code span that starts with `cargo run` or
//!   `cargo test` (without one, CI only builds it: a program that needs real credentials, a
//!   server, a Redis).
//!
//! No line of an example may be a rustdoc hidden line (`# …`): GitHub shows those.

use std::fmt::Write as _;

/// The READMEs that hold examples: every `README.md` one directory below `root` (each
/// package's, which crates.io shows), sorted.
pub fn readmes(root: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let readme = entry?.path().join("README.md");
        if readme.is_file() {
            found.push(readme);
        }
    }
    found.sort();
    Ok(found)
}

/// One example: a file of a new project, what to run before writing it, and how to run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Where it is: `README.md:123` (the line of its opening fence).
    pub origin: String,
    /// Where it goes in the project (`src/main.rs`, `examples/first_link.rs`).
    pub file: String,
    /// The `cargo add` lines, in order.
    pub setup: Vec<String>,
    /// The line that runs it (`cargo run --example first_link`), if CI should run it.
    pub run: Option<String>,
    /// The file's text.
    pub source: String,
}

/// A paragraph or a fenced block of a Markdown text.
enum Item {
    Paragraph {
        text: String,
    },
    Code {
        info: String,
        line: usize,
        body: String,
    },
}

/// Every example of `text` (the README called `name`), or every way it breaks the rule.
pub fn examples(name: &str, text: &str) -> Result<Vec<Example>, Vec<String>> {
    let items = items(text).map_err(|problem| vec![format!("{name}: {problem}")])?;
    let mut examples = Vec::new();
    let mut problems = Vec::new();
    for (at, item) in items.iter().enumerate() {
        let Item::Code { info, line, body } = item else {
            continue;
        };
        if info.split(',').next() != Some("rust") {
            continue;
        }
        let origin = format!("{name}:{line}");
        match example(&items[..at], origin.clone(), body) {
            Ok(example) => examples.push(example),
            Err(problem) => problems.push(format!("{origin}: {problem}")),
        }
    }
    if problems.is_empty() {
        Ok(examples)
    } else {
        Err(problems)
    }
}

/// The example whose block is `body`, after `before`.
fn example(before: &[Item], origin: String, body: &str) -> Result<Example, String> {
    let Some(Item::Paragraph { text }) = before.last() else {
        return Err("no paragraph right before the block says where it goes".to_owned());
    };
    let spans = code_spans(text);
    let files: Vec<&str> = spans.iter().copied().filter(|s| is_file(s)).collect();
    let file = match files[..] {
        [file] => file.to_owned(),
        [] => {
            return Err(
                "the paragraph before the block names no file (`src/main.rs`, \
                 `examples/NAME.rs` or `tests/NAME.rs`)"
                    .to_owned(),
            );
        }
        _ => return Err(format!("the paragraph before the block names {files:?}")),
    };
    let mut setup = Vec::new();
    if let [.., Item::Code { info, body, .. }, Item::Paragraph { .. }] = before
        && info == "sh"
    {
        setup.extend(
            body.lines()
                .map(str::trim)
                .filter(|line| line.starts_with("cargo add "))
                .map(str::to_owned),
        );
    }
    setup.extend(
        spans
            .iter()
            .filter(|s| s.starts_with("cargo add "))
            .map(|s| (*s).to_owned()),
    );
    if setup.is_empty() {
        return Err(
            "the paragraph before the block gives no `cargo add` line: a new project has no \
             dependency"
                .to_owned(),
        );
    }
    let runs: Vec<&str> = spans
        .iter()
        .copied()
        .filter(|s| s.starts_with("cargo run") || s.starts_with("cargo test"))
        .collect();
    let run = match runs[..] {
        [] => None,
        [run] => Some(run.to_owned()),
        _ => return Err(format!("the paragraph before the block runs {runs:?}")),
    };
    if let Some(hidden) = body
        .lines()
        .find(|line| line.trim() == "#" || line.trim_start().starts_with("# "))
    {
        return Err(format!(
            "a rustdoc hidden line, which GitHub shows: `{}`",
            hidden.trim()
        ));
    }
    Ok(Example {
        origin,
        file,
        setup,
        run,
        source: body.to_owned(),
    })
}

/// Whether a code span names a file an example may be.
fn is_file(span: &str) -> bool {
    let named = |dir: &str| {
        span.strip_prefix(dir)
            .and_then(|rest| rest.strip_suffix(".rs"))
            .is_some_and(|stem| {
                !stem.is_empty()
                    && stem
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            })
    };
    span == "src/main.rs" || named("examples/") || named("tests/")
}

/// The code spans of a paragraph (single backticks).
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The paragraphs and fenced blocks of `text`, in order. A paragraph is cut at the start of
/// its last list item, so that a block in a list item belongs to that item alone.
fn items(text: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines().enumerate();
    let flush = |paragraph: &mut Vec<&str>, items: &mut Vec<Item>| {
        if paragraph.is_empty() {
            return;
        }
        let item_start = paragraph
            .iter()
            .rposition(|line| {
                let line = line.trim_start();
                line.starts_with("* ") || line.starts_with("- ")
            })
            .unwrap_or(0);
        items.push(Item::Paragraph {
            text: paragraph[item_start..].join(" "),
        });
        paragraph.clear();
    };
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            flush(&mut paragraph, &mut items);
            let indent = line.len() - trimmed.len();
            let mut body = String::new();
            let mut closed = false;
            for (_, inner) in lines.by_ref() {
                if inner.trim() == "```" {
                    closed = true;
                    break;
                }
                let cut = inner.len() - inner.trim_start().len();
                let _ = writeln!(body, "{}", &inner[cut.min(indent)..]);
            }
            if !closed {
                return Err(format!("the block at line {} is not closed", index + 1));
            }
            items.push(Item::Code {
                info: info.trim().to_owned(),
                line: index + 1,
                body,
            });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut items);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut items);
    Ok(items)
}

/// What `cargo add` lines add, as `(crate, dev, features)`: enough to write a manifest that
/// holds every crate the examples need (which `cargo vendor` then fetches), not a full
/// `cargo add`. Features written `crate/feature` go to that crate; bare ones to the line's
/// only crate.
pub fn added_crates(line: &str) -> Result<Vec<(String, bool, Vec<String>)>, String> {
    let mut words = line.split_whitespace();
    if words.next() != Some("cargo") || words.next() != Some("add") {
        return Err(format!("not a `cargo add` line: `{line}`"));
    }
    let mut crates: Vec<(String, bool, Vec<String>)> = Vec::new();
    let mut features: Vec<String> = Vec::new();
    let mut dev = false;
    while let Some(word) = words.next() {
        match word {
            "--dev" => dev = true,
            "--features" | "-F" => {
                let list = words
                    .next()
                    .ok_or_else(|| format!("`{word}` without features in `{line}`"))?;
                features.extend(list.split([',', ' ']).map(str::to_owned));
            }
            _ if word.starts_with("--features=") => {
                features.extend(word["--features=".len()..].split(',').map(str::to_owned));
            }
            _ if word.starts_with('-') => {
                return Err(format!("`{word}` is not supported here, in `{line}`"));
            }
            name => crates.push((name.to_owned(), dev, Vec::new())),
        }
    }
    for feature in features.into_iter().filter(|f| !f.is_empty()) {
        match feature.split_once('/') {
            Some((name, feature)) => match crates.iter_mut().find(|(n, ..)| n == name) {
                Some((.., list)) => list.push(feature.to_owned()),
                None => return Err(format!("`{name}/{feature}` names no crate of `{line}`")),
            },
            None if crates.len() == 1 => crates[0].2.push(feature),
            None => return Err(format!("`{feature}` is ambiguous in `{line}`")),
        }
    }
    if crates.is_empty() {
        return Err(format!("no crate in `{line}`"));
    }
    for entry in &mut crates {
        entry.1 = dev;
    }
    Ok(crates)
}

#[cfg(test)]
mod tests;
