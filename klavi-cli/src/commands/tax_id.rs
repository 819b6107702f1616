//! `klavi tax-id VALUE...`: checks CPFs and CNPJs with the library's strict parsers
//! ([`Cpf::parse`], [`Cnpj::parse`], [`TaxId::parse_any`]).
//!
//! Output is masked (`***.456.789-**`) unless `--reveal` is given, which adds the canonical
//! and formatted values of a valid input, or the input itself of an invalid one. Exit status 0
//! when every value is valid, else 1.

use klavi_types::tax_id::{Cnpj, Cpf, TaxId, TaxIdError};
use serde::Serialize;

use crate::cli::{Format, TaxIdArgs, TaxIdKindArg};
use crate::output::{CliError, Outcome, Status, json_line};

/// The result for one value, as printed by `--format json`.
#[derive(Debug, Serialize)]
struct Checked<'a> {
    input_index: usize,
    kind: &'static str,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    masked: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    canonical: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formatted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// The rejected input itself, only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
}

/// Runs `klavi tax-id`.
pub fn run(args: &TaxIdArgs) -> Result<Outcome, CliError> {
    if args.values.is_empty() {
        return Err(CliError("at least one VALUE is required".to_owned()));
    }
    let results: Vec<Checked<'_>> = args
        .values
        .iter()
        .enumerate()
        .map(|(index, value)| check(index, value, args.kind, args.reveal))
        .collect();
    let status = if results.iter().all(|r| r.valid) {
        Status::Valid
    } else {
        Status::Invalid
    };
    let stdout = match args.format {
        Format::Json => json_line(&results)?,
        Format::Human => render_human(&results),
    };
    Ok(Outcome { stdout, status })
}

fn parse(value: &str, kind: TaxIdKindArg) -> Result<TaxId, TaxIdError> {
    match kind {
        TaxIdKindArg::Cpf => Cpf::parse(value).map(TaxId::Cpf),
        TaxIdKindArg::Cnpj => Cnpj::parse(value).map(TaxId::Cnpj),
        TaxIdKindArg::Any => TaxId::parse_any(value),
    }
}

fn check(input_index: usize, value: &str, kind: TaxIdKindArg, reveal: bool) -> Checked<'_> {
    match parse(value, kind) {
        Ok(id) => Checked {
            input_index,
            kind: id.kind().as_str(),
            valid: true,
            masked: Some(id.to_string()),
            canonical: reveal.then(|| id.as_str().to_owned()),
            formatted: reveal.then(|| id.to_formatted_string()),
            code: None,
            message: None,
            input: None,
        },
        Err(error) => Checked {
            input_index,
            kind: error.kind().as_str(),
            valid: false,
            masked: None,
            canonical: None,
            formatted: None,
            code: Some(error.code()),
            message: Some(error.to_string()),
            input: reveal.then_some(value),
        },
    }
}

fn render_human(results: &[Checked<'_>]) -> String {
    let mut out = String::new();
    for result in results {
        let verdict = if result.valid { "valid" } else { "invalid" };
        let kind = result.kind.to_ascii_uppercase();
        let detail = match (&result.masked, &result.formatted, &result.canonical) {
            (_, Some(formatted), Some(canonical)) => format!("{formatted} ({canonical})"),
            (Some(masked), _, _) => masked.clone(),
            _ => {
                let mut text = format!(
                    "{} [{}]",
                    result.message.as_deref().unwrap_or_default(),
                    result.code.unwrap_or_default()
                );
                if let Some(input) = result.input {
                    // `Debug` quotes the input and escapes its control characters.
                    text.push_str(&format!(" (input: {input:?})"));
                }
                text
            }
        };
        out.push_str(&format!("{verdict:<7} {kind:<4} {detail}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_lines_are_aligned() {
        let results = [
            check(0, "280.012.389-38", TaxIdKindArg::Any, false),
            check(1, "12.ABC.345/01DE-36", TaxIdKindArg::Any, false),
        ];
        assert_eq!(
            render_human(&results),
            "valid   CPF  ***.012.389-**\ninvalid CNPJ the CNPJ check digits do not match [cnpj_check_digit]\n"
        );
    }

    #[test]
    fn reveal_shows_the_full_value() {
        let results = [
            check(0, "28001238938", TaxIdKindArg::Cpf, true),
            check(1, "123", TaxIdKindArg::Cpf, true),
        ];
        assert_eq!(
            render_human(&results),
            "valid   CPF  280.012.389-38 (28001238938)\n\
             invalid CPF  a CPF has 11 digits (bare) or 14 characters (masked DDD.DDD.DDD-DD) [cpf_length] (input: \"123\")\n"
        );
    }
}
