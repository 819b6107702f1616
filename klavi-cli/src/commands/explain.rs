//! `klavi explain CODE`: what a violation code means and how to fix it.

use clap::Args;
use klavi_types::validation::{all_codes, code_info};

use crate::output::{CliError, Outcome};

/// Arguments of `klavi explain`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi explain cpf_check_digit\n  \
    klavi explain mutually_exclusive\n\n\
    Every code is listed by `klavi codes`.")]
pub struct ExplainArgs {
    /// The violation code, as printed in brackets by `klavi validate` (`cpf_check_digit`).
    #[arg(value_name = "CODE")]
    pub code: String,
}

/// Runs `klavi explain`.
pub fn run(args: &ExplainArgs) -> Result<Outcome, CliError> {
    let code = args
        .code
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    match code_info(code) {
        Some(info) => Ok(Outcome::valid(format!(
            "{}\n\n  What it means: {}\n  How to fix it: {}\n",
            info.code, info.summary, info.fix
        ))),
        None => {
            let codes: Vec<&str> = all_codes().map(|info| info.code).collect();
            let closest = codes
                .iter()
                .map(|c| (strsim::levenshtein(c, code), *c))
                .min()
                .filter(|(distance, _)| *distance <= 3)
                .map(|(_, c)| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(CliError(format!(
                "unknown code `{}`{closest}; `klavi codes` lists them all",
                crate::output::sanitize(code)
            )))
        }
    }
}
