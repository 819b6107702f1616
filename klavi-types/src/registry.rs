//! The registry of every generated endpoint and message, for tools that work by message id
//! (the `klavi` CLI, tests): ids, HTTP facts, the source schema and a typed check.

use crate::endpoint::{MessageKind, Method, TokenKind};
use crate::validation::ValidationErrors;

/// One message of an endpoint.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct MessageInfo {
    /// Message id (`create-link.request`).
    pub id: &'static str,
    /// Endpoint id (`create-link`), or `None` for a message of no endpoint (an error body, a
    /// webhook, redirect parameters).
    pub endpoint: Option<&'static str>,
    /// Role of the message.
    pub kind: MessageKind,
    /// The Rust type (`klavi_types::links::CreateLinkRequest`).
    pub type_name: &'static str,
    /// The bundled JSON Schema (draft 2020-12, self-contained).
    pub schema: &'static str,
    /// The typed check: deserialize into the generated type, then `validate()`.
    pub check: fn(&[u8]) -> Result<(), ValidationErrors>,
    /// The typed check, then the value serialized back: the canonical JSON of a valid payload
    /// (tax ids bare, unknown response members dropped, numbers as numbers).
    pub canonical: fn(&[u8]) -> Result<serde_json::Value, ValidationErrors>,
    /// The typed check, then the value's `Debug` rendering (`{:#?}`): what a log line of the
    /// value shows, with personal data and secrets masked.
    pub debug: fn(&[u8]) -> Result<String, ValidationErrors>,
}

/// One endpoint.
#[derive(Clone, Copy, Debug)]
pub struct EndpointInfo {
    /// Kebab-case id (`create-link`).
    pub id: &'static str,
    /// Title from the docs.
    pub title: &'static str,
    /// What it does.
    pub description: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: &'static str,
    /// Bearer token needed.
    pub token: TokenKind,
    /// The docs page.
    pub docs: &'static str,
    /// Whether the docs leave the path uncertain.
    pub path_uncertain: bool,
    /// Its messages, in kind order (path, query, request, response).
    pub messages: &'static [MessageInfo],
}

/// Every endpoint, in index order.
pub fn endpoints() -> &'static [EndpointInfo] {
    crate::GENERATED_ENDPOINTS
}

/// The messages of no endpoint: error bodies, webhooks, redirect parameters.
pub fn standalone() -> &'static [MessageInfo] {
    crate::GENERATED_STANDALONE
}

/// Every message: those of every endpoint, then the standalone ones.
pub fn messages() -> impl Iterator<Item = &'static MessageInfo> {
    endpoints()
        .iter()
        .flat_map(|e| e.messages.iter())
        .chain(standalone())
}

/// The message with id `id` (`create-link.request`).
pub fn message(id: &str) -> Option<&'static MessageInfo> {
    messages().find(|m| m.id == id)
}

/// The endpoint with id `id` (`create-link`).
pub fn endpoint(id: &str) -> Option<&'static EndpointInfo> {
    endpoints().iter().find(|e| e.id == id)
}
