//! `klavi messages`: every message id the other commands take (`validate`, `example`,
//! `schema`, `check-fixtures`), with what it is (the suffix of the id: `request`, `response`,
//! `query`, `path`, `event`, `payload`, `webhook`, `product`), its endpoint's method and path
//! when it has one, and its Rust type. Endpoint messages first, in registry order, then the
//! messages of no endpoint (error body, redirects, webhooks, report products).

use klavi_types::registry::{self, MessageInfo};
use serde::Serialize;

use crate::cli::{Format, MessagesArgs};
use crate::output::{CliError, Outcome, json_line, table};

/// One message, as printed by `--format json`.
#[derive(Serialize)]
struct Message {
    id: &'static str,
    kind: &'static str,
    endpoint: Option<&'static str>,
    method: Option<&'static str>,
    path: Option<&'static str>,
    #[serde(rename = "type")]
    type_name: &'static str,
}

impl From<&'static MessageInfo> for Message {
    fn from(info: &'static MessageInfo) -> Self {
        let endpoint = info.endpoint.and_then(registry::endpoint);
        Message {
            id: info.id,
            kind: info.id.rsplit_once('.').map_or("", |(_, kind)| kind),
            endpoint: info.endpoint,
            method: endpoint.map(|e| e.method.as_str()),
            path: endpoint.map(|e| e.path),
            type_name: info.type_name,
        }
    }
}

/// Runs `klavi messages`.
pub fn run(args: &MessagesArgs) -> Result<Outcome, CliError> {
    let filter = args.filter.as_deref().map(str::to_ascii_lowercase);
    let messages: Vec<Message> = registry::messages()
        .filter(|m| filter.as_deref().is_none_or(|f| m.id.contains(f)))
        .map(Message::from)
        .collect();
    if messages.is_empty() {
        let filter = args.filter.as_deref().unwrap_or_default();
        return Err(CliError(format!(
            "no message id contains `{}`; every message id: `klavi messages`",
            crate::message_ids::shown(filter)
        )));
    }
    let stdout = match args.format {
        Format::Json => json_line(&messages)?,
        Format::Human => render_human(&messages),
    };
    Ok(Outcome::valid(stdout))
}

fn render_human(messages: &[Message]) -> String {
    let rows: Vec<[String; 4]> = messages
        .iter()
        .map(|m| {
            let endpoint = match (m.method, m.path) {
                (Some(method), Some(path)) => format!("{method} {path}"),
                _ => "-".to_owned(),
            };
            [
                m.id.to_owned(),
                m.kind.to_owned(),
                endpoint,
                m.type_name.to_owned(),
            ]
        })
        .collect();
    table(["ID", "KIND", "ENDPOINT", "TYPE"], &rows)
}
