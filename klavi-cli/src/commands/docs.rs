//! `klavi docs check` and `klavi docs import COPY`: keep the schemas in step with Klavi's docs.
//! Each endpoint's page, as published, is kept in `schemas/docs/`: its API block
//! (`ENDPOINT.block.txt`, flattened, lower-cased) and its rendered text (`ENDPOINT.page.txt`,
//! further copies `ENDPOINT.page-2.txt`…). `check` compares every kept copy with the schemas,
//! reports drift and says which endpoints no copy watches; `import` merges a copy into the
//! schemas without dropping hand-written rules. Differences the project chose deliberately are
//! listed, with their reason, in `schemas/docs/accepted.json`. Reading, drift, the survey and
//! the import are [`klavi_cli::docs`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use klavi_cli::docs;
use klavi_schema::load::{DirSource, Documents, load};

use crate::output::{CliError, Outcome, Status, sanitize};

/// Arguments of `klavi docs`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  klavi docs check\n  \
    klavi docs import schemas/docs/create-consent.page.txt --write\n\n\
    The kept copies are `schemas/docs/ENDPOINT.block.txt` (API blocks) and\n\
    `schemas/docs/ENDPOINT.page.txt` (pages; `ENDPOINT.page-2.txt` for another copy); accepted\n\
    differences, with their reasons, are in `schemas/docs/accepted.json`.")]
pub struct DocsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DocsCommand,
    /// The schema directory (with `endpoints.json` and `docs/`).
    #[arg(long, global = true, default_value = "schemas", value_name = "DIR")]
    pub schemas: PathBuf,
}

/// The `docs` subcommands.
#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Compare every kept copy of the docs (API blocks and pages) with the schemas; exit 1 on
    /// drift.
    #[command(
        after_help = "Examples:\n  klavi docs check\n  klavi docs check --schemas path/to/schemas\n\n\
        Each copy is read as far as it goes; a list it stops in reports no removal. The last\n\
        lines say how many endpoints the kept copies watch, and why the others are not.\n\n\
        Exit status: 0 no drift, 1 drift, 2 a copy, its name or header, or a schema cannot be read."
    )]
    Check,
    /// Merge a copy of the docs (an API block or a page) into its endpoint's schemas and print
    /// them (or write them).
    #[command(
        after_help = "Examples:\n  klavi docs import schemas/docs/create-consent.page.txt --write\n  \
        klavi docs import schemas/docs/create-link.block.txt\n  \
        klavi docs import new-page.txt --endpoint get-task-status\n\n\
        Fields the schema already declares are kept as written (formats, rules, enums, examples);\n\
        new ones get a skeleton (type, description). A rendered page keeps the wire names; a\n\
        block or page text is lower case, so its new names are reported on standard error as\n\
        undecided, as is a field whose type the copy does not give."
    )]
    Import(ImportArgs),
}

/// Arguments of `klavi docs import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The copy of the docs: an API block or a page's text (`schemas/docs/ID.page.txt`).
    #[arg(value_name = "COPY")]
    pub copy: PathBuf,
    /// The endpoint the copy documents (an id of `klavi endpoints`); by default the one a kept
    /// copy is named after, else the one whose method and path the copy shows.
    #[arg(long, value_name = "ID")]
    pub endpoint: Option<String>,
    /// Write the merged schemas over the message files instead of printing them.
    #[arg(long)]
    pub write: bool,
}

fn documents(schemas: &Path) -> Result<Documents, CliError> {
    let mut source = DirSource::new(schemas);
    load(&mut source, "endpoints.json").map_err(|errors| {
        CliError(format!(
            "cannot load the schemas in `{}`:\n{errors}",
            sanitize(&schemas.display().to_string())
        ))
    })
}

/// Reads a docs block, with the same 16 MiB bound as every input (a docs page is a few
/// kilobytes; `/dev/zero` must not exhaust memory).
fn read(path: &Path) -> Result<String, CliError> {
    let shown = sanitize(&path.display().to_string()).into_owned();
    let bytes = match crate::input::read_input(Some(path))? {
        (_, crate::input::Input::Bytes(bytes)) => bytes,
        (_, crate::input::Input::TooLarge) => {
            return Err(CliError(format!(
                "cannot read `{shown}`: larger than {} MiB, the most `klavi` reads",
                klavi_cli::MAX_PAYLOAD_BYTES >> 20
            )));
        }
    };
    String::from_utf8(bytes)
        .map_err(|error| CliError(format!("cannot read `{shown}`: not UTF-8 ({error})")))
}

/// Runs `klavi docs`.
pub fn run(args: &DocsArgs) -> Result<Outcome, CliError> {
    match &args.command {
        DocsCommand::Check => check(&args.schemas),
        DocsCommand::Import(import) => run_import(&args.schemas, import),
    }
}

fn check(schemas: &Path) -> Result<Outcome, CliError> {
    let documents = documents(schemas)?;
    let dir = schemas.join("docs");
    let accepted = accepted(schemas)?;
    let mut copies = Vec::new();
    for path in kept_files(&dir)? {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        copies.push(
            docs::read_copy(&file, &read(&path)?)
                .map_err(|error| CliError(format!("docs/{}: {error}", sanitize(&file))))?,
        );
    }
    let survey = docs::survey(&documents, copies, &accepted)
        .map_err(|error| CliError(format!("docs/{error}")))?;
    let status = if survey.is_in_step() {
        Status::Valid
    } else {
        Status::Invalid
    };
    Ok(Outcome {
        stdout: render_survey(&survey),
        status,
    })
}

/// The differences `docs/accepted.json` accepts (none without the file).
fn accepted(schemas: &Path) -> Result<Vec<docs::Accepted>, CliError> {
    match std::fs::read_to_string(schemas.join("docs/accepted.json")) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|error| CliError(format!("invalid docs/accepted.json: {error}"))),
        Err(_) => Ok(Vec::new()),
    }
}

/// Every kept copy in `dir` (`*.txt`; a `.txt` file whose name is not a kept copy's is an
/// error, so that a misnamed page is not silently left unchecked), sorted.
fn kept_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|error| {
        CliError(format!(
            "cannot list `{}`: {error}",
            sanitize(&dir.display().to_string())
        ))
    })?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".txt") {
            continue;
        }
        if docs::CopyName::parse(&name).is_none() {
            return Err(CliError(format!(
                "docs/{}: not a kept copy's name: call it ENDPOINT.page.txt (ENDPOINT.page-2.txt \
                 for a second copy) or ENDPOINT.block.txt, ENDPOINT an id of `klavi endpoints`",
                sanitize(&name)
            )));
        }
        files.push(entry.path());
    }
    files.sort();
    Ok(files)
}

/// The report of `klavi docs check`: a line per copy (its drift below it), the entries of
/// `accepted.json` no longer needed, and which endpoints are watched.
fn render_survey(survey: &docs::Survey) -> String {
    let mut out = String::new();
    for copy in &survey.copies {
        let mut notes = vec![format!("{}: {} field(s)", copy.endpoint, copy.fields)];
        if copy.accepted > 0 {
            notes.push(format!("{} accepted difference(s)", copy.accepted));
        }
        if copy.fields == 0 && copy.whole.is_empty() && copy.superseded.is_none() {
            notes.push("nothing in it the check can read: it watches nothing".to_owned());
        }
        if let Some((newer, set_aside)) = &copy.superseded {
            let lists: Vec<&str> = set_aside.iter().map(|l| l.describe()).collect();
            notes.push(if lists.is_empty() {
                format!("superseded by {newer}, which gives no list whole")
            } else {
                format!("superseded by {newer} on its {}", lists.join(", "))
            });
        }
        match &copy.ending {
            Some(ending) if ending.location.is_some() => {
                notes.push(format!("{ending}, and nothing past it is compared"));
            }
            Some(_) if copy.form == docs::Form::PageText && copy.whole.is_empty() => {
                notes.push(
                    "page text without a table: only the parameters its prose names are compared"
                        .to_owned(),
                );
            }
            Some(_) => {
                let set_aside = copy
                    .superseded
                    .as_ref()
                    .map(|(_, locations)| locations.as_slice())
                    .unwrap_or_default();
                let partial: Vec<&str> = docs::Location::ALL
                    .into_iter()
                    .filter(|l| !copy.whole.contains(l) && !set_aside.contains(l))
                    .map(docs::Location::describe)
                    .collect();
                notes.push(format!(
                    "the copy stops early: its {} are compared as far as it goes",
                    partial.join(", ")
                ));
            }
            None => {}
        }
        let verdict = if copy.drift.is_empty() {
            "in step"
        } else {
            "drift"
        };
        out.push_str(&format!(
            "{verdict}: {} ({})\n",
            copy.file,
            notes.join("; ")
        ));
        for d in &copy.drift {
            out.push_str(&format!(
                "  {} {} [{}]: {}\n",
                d.message,
                d.field,
                d.kind.as_str(),
                d.detail
            ));
        }
    }
    for entry in &survey.stale {
        out.push_str(&format!(
            "stale: docs/accepted.json accepts `{} {} [{}]` ({}), which no longer differs: remove it\n",
            entry.message, entry.field, entry.kind, entry.reason
        ));
    }
    out.push_str(&format!(
        "watching {} of {} endpoints\n",
        survey.watched.len(),
        survey.endpoints()
    ));
    for unwatched in &survey.unwatched {
        out.push_str(&format!(
            "not watched: {}: {}\n",
            unwatched.endpoint, unwatched.reason
        ));
    }
    out
}

fn run_import(schemas: &Path, args: &ImportArgs) -> Result<Outcome, CliError> {
    let text = read(&args.copy)?;
    let file = args
        .copy
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = sanitize(&args.copy.display().to_string()).into_owned();
    // A kept copy's name says its form and endpoint; any other file is a block if it reads
    // as one, else a page (its `# truncated:` header, if any, read).
    let (block, named) = match docs::CopyName::parse(&file) {
        Some(name) => {
            let copy = docs::read_copy(&file, &text)
                .map_err(|error| CliError(format!("{shown}: {error}")))?;
            (copy.block, Some(name.endpoint))
        }
        None => {
            let (header, body) = docs::Header::parse(&text)
                .map_err(|error| CliError(format!("{shown}: {error}")))?;
            let block = docs::parse_block(body)
                .unwrap_or_else(|_| docs::parse_page(body, header.truncated));
            (block, None)
        }
    };
    let documents = documents(schemas).ok();
    let wanted = args.endpoint.clone().or(named);
    let endpoint = match (&documents, &wanted) {
        (Some(documents), Some(id)) => Some(
            docs::endpoint_by_id(documents, id)
                .ok_or_else(|| CliError(format!("no endpoint `{}` in the index", sanitize(id))))?,
        ),
        (Some(documents), None) => docs::endpoint_of(documents, &block),
        (None, _) => None,
    };
    // A block names its method and path, so an endpoint the index lacks gets skeletons; a page
    // may show neither.
    if endpoint.is_none() && (block.method.is_empty() || block.path.is_empty()) {
        return Err(CliError(format!(
            "{shown}: the copy shows no method and path: say which endpoint it documents with \
             --endpoint ID (an id of `klavi endpoints`), or name it ID.page.txt"
        )));
    }
    let accepted = if documents.is_some() {
        accepted(schemas)?
    } else {
        Vec::new()
    };
    let import = docs::import(documents.as_ref(), endpoint, &block, &accepted);
    for note in &import.undecided {
        eprintln!("undecided: {note}");
    }
    let mut stdout = String::new();
    for (kind, schema) in &import.schemas {
        let text = serde_json::to_string_pretty(schema)
            .map_err(|error| CliError(format!("cannot print the schema: {error}")))?;
        let file = endpoint.and_then(|e| e.messages.get(kind));
        match (args.write, file) {
            (true, Some(file)) => {
                let path = schemas.join(file);
                let text = format!("{text}\n");
                // A message the copy changes nothing in is left as it is (its formatting too).
                let unchanged = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|old| serde_json::from_str::<serde_json::Value>(&old).ok())
                    .is_some_and(|old| &old == schema);
                if unchanged {
                    stdout.push_str(&format!("unchanged {}\n", path.display()));
                    continue;
                }
                std::fs::write(&path, text).map_err(|error| {
                    CliError(format!("cannot write `{}`: {error}", path.display()))
                })?;
                stdout.push_str(&format!("wrote {}\n", path.display()));
            }
            _ => {
                let (method, path) = endpoint
                    .map(|e| (e.method.as_str().to_owned(), e.path.as_str().to_owned()))
                    .unwrap_or_else(|| (block.method.clone(), block.path.clone()));
                stdout.push_str(&format!("// {method} {path} {}\n{text}\n", kind.as_str()));
            }
        }
    }
    Ok(Outcome::valid(stdout))
}
