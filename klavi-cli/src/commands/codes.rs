//! `klavi codes`: every stable violation code ([`all_codes`]) with what it means; `--format json`
//! adds how to fix it.

use klavi_types::validation::{CodeInfo, all_codes};
use serde::Serialize;

use crate::cli::{CodesArgs, Format};
use crate::output::{CliError, Outcome, json_line, table};

/// One code, as printed by `--format json`.
#[derive(Serialize)]
struct Code {
    code: &'static str,
    summary: &'static str,
    fix: &'static str,
}

impl From<CodeInfo> for Code {
    fn from(info: CodeInfo) -> Self {
        Code {
            code: info.code,
            summary: info.summary,
            fix: info.fix,
        }
    }
}

/// Runs `klavi codes`.
pub fn run(args: &CodesArgs) -> Result<Outcome, CliError> {
    let stdout = match args.format {
        Format::Json => json_line(&all_codes().map(Code::from).collect::<Vec<_>>())?,
        Format::Human => {
            let rows: Vec<[String; 2]> = all_codes()
                .map(|info| [info.code.to_owned(), info.summary.to_owned()])
                .collect();
            table(["CODE", "SUMMARY"], &rows)
        }
    };
    Ok(Outcome::valid(stdout))
}
