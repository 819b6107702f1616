//! `klavi endpoints`: every endpoint of the registry, in registry order, with its HTTP method,
//! path, bearer token and message ids (the ids `klavi validate` takes).

use klavi_types::registry::{self, EndpointInfo};
use serde::Serialize;

use crate::cli::{EndpointsArgs, Format};
use crate::output::{CliError, Outcome, json_line, table};

/// One endpoint, as printed by `--format json`.
#[derive(Serialize)]
struct Endpoint {
    id: &'static str,
    title: &'static str,
    method: &'static str,
    path: &'static str,
    token: &'static str,
    docs: &'static str,
    path_uncertain: bool,
    messages: Vec<&'static str>,
}

impl From<&'static EndpointInfo> for Endpoint {
    fn from(info: &'static EndpointInfo) -> Self {
        Endpoint {
            id: info.id,
            title: info.title,
            method: info.method.as_str(),
            path: info.path,
            token: info.token.as_str(),
            docs: info.docs,
            path_uncertain: info.path_uncertain,
            messages: info.messages.iter().map(|m| m.id).collect(),
        }
    }
}

/// Runs `klavi endpoints`.
pub fn run(args: &EndpointsArgs) -> Result<Outcome, CliError> {
    let endpoints: Vec<Endpoint> = registry::endpoints().iter().map(Endpoint::from).collect();
    let stdout = match args.format {
        Format::Json => json_line(&endpoints)?,
        Format::Human => render_human(&endpoints),
    };
    Ok(Outcome::valid(stdout))
}

fn render_human(endpoints: &[Endpoint]) -> String {
    let rows: Vec<[String; 5]> = endpoints
        .iter()
        .map(|e| {
            let path = if e.path_uncertain {
                format!("{} (uncertain)", e.path)
            } else {
                e.path.to_owned()
            };
            [
                e.method.to_owned(),
                path,
                e.token.to_owned(),
                e.id.to_owned(),
                e.messages.join(", "),
            ]
        })
        .collect();
    table(["METHOD", "PATH", "TOKEN", "ID", "MESSAGES"], &rows)
}
