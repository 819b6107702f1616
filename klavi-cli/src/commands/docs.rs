//! `klavi docs check` and `klavi docs import BLOCK`: keep the schemas in step with Klavi's docs.
//! Each endpoint's API block, as published (flattened, lower-cased), is kept in
//! `schemas/docs/ENDPOINT.block.txt`; `check` compares every kept block with the schemas and
//! reports drift; `import` merges a block into the schemas without dropping hand-written rules.
//! Differences the project chose deliberately are listed, with their reason, in
//! `schemas/docs/accepted.json`. Parsing, drift and import are [`klavi_cli::docs`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use klavi_cli::docs::{self, Drift};
use klavi_schema::load::{DirSource, Documents, load};

use crate::output::{CliError, Outcome, Status, sanitize};

/// Arguments of `klavi docs`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  klavi docs check\n  \
    klavi docs import schemas/docs/create-link.block.txt --write\n\n\
    The kept API blocks are `schemas/docs/*.block.txt`; accepted differences, with their\n\
    reasons, are in `schemas/docs/accepted.json`.")]
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
    /// Compare every kept API block with the schemas; exit 1 on drift.
    #[command(
        after_help = "Examples:\n  klavi docs check\n  klavi docs check --schemas path/to/schemas\n\n\
        Exit status: 0 no drift, 1 drift, 2 a block or schema cannot be read."
    )]
    Check,
    /// Merge an API block into its endpoint's schemas and print them (or write them).
    #[command(
        after_help = "Examples:\n  klavi docs import schemas/docs/create-link.block.txt\n  \
        klavi docs import new-page.txt --write\n\n\
        Fields the schema already declares are kept as written (formats, rules, enums, examples);\n\
        new ones get a skeleton under the block's lower-case name, reported on standard error\n\
        because the block lost their casing."
    )]
    Import(ImportArgs),
}

/// Arguments of `klavi docs import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The API block (the docs page's text).
    #[arg(value_name = "BLOCK")]
    pub block: PathBuf,
    /// Write the merged schemas over the message files instead of printing them.
    #[arg(long)]
    pub write: bool,
}

/// One accepted difference.
#[derive(Debug, serde::Deserialize)]
struct Accepted {
    message: String,
    field: String,
    kind: String,
    reason: String,
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
    let accepted: Vec<Accepted> = match std::fs::read_to_string(dir.join("accepted.json")) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|error| CliError(format!("invalid docs/accepted.json: {error}")))?,
        Err(_) => Vec::new(),
    };
    let mut blocks: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| CliError(format!("cannot list `{}`: {error}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".block.txt"))
        .collect();
    blocks.sort();
    let mut stdout = String::new();
    let mut drifted = 0;
    let mut used = vec![false; accepted.len()];
    for path in &blocks {
        let block = docs::parse_block(&read(path)?)
            .map_err(|error| CliError(format!("{}: {error}", path.display())))?;
        let all = docs::check(&documents, &block)
            .map_err(|error| CliError(format!("{}: {error}", path.display())))?;
        let (ok, drift): (Vec<Drift>, Vec<Drift>) = all.into_iter().partition(|d| {
            let hit = accepted.iter().position(|a| {
                a.message == d.message
                    && (a.field == d.field || a.field == "*")
                    && a.kind == d.kind.as_str()
            });
            if let Some(i) = hit {
                used[i] = true;
            }
            hit.is_some()
        });
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A copy cut off is compared as far as it goes; say where that is.
        let ending = block
            .ending
            .as_ref()
            .map(|ending| format!("; {ending}, and nothing past it is compared"))
            .unwrap_or_default();
        if drift.is_empty() {
            stdout.push_str(&format!(
                "in step: {name} ({} accepted difference(s){ending})\n",
                ok.len()
            ));
        } else {
            drifted += drift.len();
            stdout.push_str(&format!("drift: {name}\n"));
            if let Some(ending) = &block.ending {
                stdout.push_str(&format!("  ({ending}, and nothing past it is compared)\n"));
            }
            for d in &drift {
                stdout.push_str(&format!(
                    "  {} {} [{}]: {}\n",
                    d.message,
                    d.field,
                    d.kind.as_str(),
                    d.detail
                ));
            }
        }
    }
    for (entry, used) in accepted.iter().zip(&used) {
        if !used {
            drifted += 1;
            stdout.push_str(&format!(
                "stale: docs/accepted.json accepts `{} {} [{}]` ({}), which no longer differs: remove it\n",
                entry.message, entry.field, entry.kind, entry.reason
            ));
        }
    }
    let status = if drifted == 0 {
        Status::Valid
    } else {
        Status::Invalid
    };
    Ok(Outcome { stdout, status })
}

fn run_import(schemas: &Path, args: &ImportArgs) -> Result<Outcome, CliError> {
    let block = docs::parse_block(&read(&args.block)?)
        .map_err(|error| CliError(format!("{}: {error}", args.block.display())))?;
    let documents = documents(schemas).ok();
    let import = docs::import(documents.as_ref(), &block);
    let endpoint = documents
        .as_ref()
        .and_then(|d| docs::endpoint_of(d, &block));
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
                std::fs::write(&path, format!("{text}\n")).map_err(|error| {
                    CliError(format!("cannot write `{}`: {error}", path.display()))
                })?;
                stdout.push_str(&format!("wrote {}\n", path.display()));
            }
            _ => stdout.push_str(&format!(
                "// {} {} {}\n{text}\n",
                block.method,
                block.path,
                kind.as_str()
            )),
        }
    }
    Ok(Outcome::valid(stdout))
}
