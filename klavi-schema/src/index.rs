//! The endpoint index (`schemas/endpoints.json`): which endpoints exist and which files hold
//! their messages.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};

/// The HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as written on the wire (`"POST"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The Rust variant name in `klavi_types::Method`.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
        }
    }

    fn parse(text: &str) -> Option<Method> {
        Some(match text {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
}

/// Which bearer token an endpoint needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenKind {
    /// No `Authorization` header (credentials travel in the body).
    None,
    /// The backend `accessToken` from `POST /auth`.
    Access,
    /// The front-end `linkToken` from `POST /links`.
    Link,
}

impl TokenKind {
    /// The token kind as written in the index (`"access"`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::None => "none",
            TokenKind::Access => "access",
            TokenKind::Link => "link",
        }
    }

    /// The Rust variant name in `klavi_types::TokenKind`.
    pub fn variant(self) -> &'static str {
        match self {
            TokenKind::None => "None",
            TokenKind::Access => "Access",
            TokenKind::Link => "Link",
        }
    }
}

/// The role of a message in an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    /// The path parameters.
    Path,
    /// The URL query parameters.
    Query,
    /// The JSON request body.
    Request,
    /// The JSON response body of a success.
    Response,
}

impl MessageKind {
    /// All kinds, in the order messages are listed.
    pub const ALL: [MessageKind; 4] = [
        MessageKind::Path,
        MessageKind::Query,
        MessageKind::Request,
        MessageKind::Response,
    ];

    /// The kind as written in message ids (`create-link.request`).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Path => "path",
            MessageKind::Query => "query",
            MessageKind::Request => "request",
            MessageKind::Response => "response",
        }
    }

    /// The Rust variant name in `klavi_types::MessageKind`.
    pub fn variant(self) -> &'static str {
        match self {
            MessageKind::Path => "Path",
            MessageKind::Query => "Query",
            MessageKind::Request => "Request",
            MessageKind::Response => "Response",
        }
    }
}

/// One endpoint of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSpec {
    /// Kebab-case id, e.g. `create-link`.
    pub id: String,
    /// Human title, e.g. `Create a Link`.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/data/v1/consents/{consentId}`, parsed once.
    pub path: PathTemplate,
    /// Bearer token the endpoint needs.
    pub token: TokenKind,
    /// Rust module the endpoint's types go to.
    pub module: String,
    /// The docs page the endpoint is documented on.
    pub docs: String,
    /// `true` when the path is not confirmed by the docs.
    pub path_uncertain: bool,
    /// Message files by kind, relative to the schema directory.
    pub messages: BTreeMap<MessageKind, String>,
}

impl EndpointSpec {
    /// The message id of one of this endpoint's messages (`create-link.request`).
    pub fn message_id(&self, kind: MessageKind) -> String {
        format!("{}.{}", self.id, kind.as_str())
    }
}

/// An endpoint's path template (`/data/v1/consents/{consentId}`): literal text and named
/// parameters, parsed once when the index is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    text: String,
    segments: Vec<PathSegment>,
}

/// One piece of a [`PathTemplate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text taken as written (`/data/v1/consents/`).
    Literal(String),
    /// A parameter (`consentId` of `{consentId}`), filled from the endpoint's `path` message.
    Parameter(String),
}

impl PathTemplate {
    /// Parses a template; `None` unless every `{` opens a non-empty parameter name closed by
    /// `}` and no `}` stands alone.
    pub fn parse(text: &str) -> Option<PathTemplate> {
        let mut segments = Vec::new();
        let mut rest = text;
        while let Some(brace) = rest.find(['{', '}']) {
            let after = rest[brace..].strip_prefix('{')?;
            let (name, tail) = after.split_once('}')?;
            if name.is_empty() || name.contains('{') {
                return None;
            }
            if brace > 0 {
                segments.push(PathSegment::Literal(rest[..brace].to_owned()));
            }
            segments.push(PathSegment::Parameter(name.to_owned()));
            rest = tail;
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        Some(PathTemplate {
            text: text.to_owned(),
            segments,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The literal parts and parameters, in order.
    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// The parameter names, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Parameter(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A message that belongs to no endpoint: an error body, a webhook, redirect parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandaloneSpec {
    /// Message id (`webhook.event`): a kebab-case name, a dot, and a kebab-case role.
    pub id: String,
    /// Human title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// Whether the client sends it (strict) or receives it (lenient): its kind.
    pub kind: MessageKind,
    /// Rust module of its types.
    pub module: String,
    /// The schema file.
    pub file: String,
    /// The docs page.
    pub docs: String,
}

/// The parsed index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// Module name → module documentation.
    pub modules: BTreeMap<String, String>,
    /// Endpoints in index order.
    pub endpoints: Vec<EndpointSpec>,
    /// Messages of no endpoint, in index order.
    pub standalone: Vec<StandaloneSpec>,
    /// Where the API is served (sandbox, production), in index order.
    pub servers: Vec<ServerSpec>,
}

/// A base URL of the API (`servers` in the index; the OpenAPI document's `servers`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSpec {
    /// Its name (`sandbox`).
    pub name: String,
    /// The base URL, `https://` without a trailing `/`.
    pub url: String,
    /// What it is, and where the fact comes from.
    pub description: String,
}

const INDEX_KEYS: &[&str] = &["$comment", "modules", "endpoints", "standalone", "servers"];
const SERVER_KEYS: &[&str] = &["name", "url", "description"];
const STANDALONE_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "kind",
    "module",
    "file",
    "docs",
];
const ENDPOINT_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "method",
    "path",
    "token",
    "module",
    "docs",
    "pathUncertain",
    "messages",
    "businessCodes",
];

/// Parses the index document; `file` is its name for error messages.
pub fn parse_index(file: &str, document: &Value) -> Result<Index, SchemaErrors> {
    let mut errors = SchemaErrors::default();
    let error = |pointer: String, message: String| {
        SchemaError::new(SchemaErrorKind::Index, file, pointer, message)
    };
    let Some(root) = document.as_object() else {
        return Err(error(String::new(), "the index must be a JSON object".into()).into());
    };
    for key in root.keys() {
        if !INDEX_KEYS.contains(&key.as_str()) {
            errors.push(error(
                crate::pointer::join("", key),
                format!("unknown index key `{key}` (expected one of {INDEX_KEYS:?})"),
            ));
        }
    }
    let mut modules = BTreeMap::new();
    match root.get("modules").map(Value::as_object) {
        Some(Some(map)) => {
            for (name, doc) in map {
                match doc.as_str() {
                    Some(doc) => {
                        if !is_module_name(name) {
                            errors.push(error(
                                crate::pointer::join("/modules", name),
                                format!(
                                    "module name `{name}` must be a snake_case Rust identifier that is not a keyword"
                                ),
                            ));
                        }
                        // Kept even when misnamed, so that its endpoints are not reported too.
                        modules.insert(name.clone(), doc.to_owned());
                    }
                    None => errors.push(error(
                        crate::pointer::join("/modules", name),
                        "a module's documentation must be a string".into(),
                    )),
                }
            }
        }
        _ => errors.push(error(
            "/modules".into(),
            "`modules` must be an object mapping module names to their documentation".into(),
        )),
    }
    let mut endpoints: Vec<EndpointSpec> = Vec::new();
    match root.get("endpoints").map(Value::as_array) {
        Some(Some(list)) => {
            for (i, entry) in list.iter().enumerate() {
                let at = format!("/endpoints/{i}");
                match parse_endpoint(entry, &at, &modules) {
                    Ok(endpoint) => {
                        if endpoints.iter().any(|e| e.id == endpoint.id) {
                            errors.push(SchemaError::new(
                                SchemaErrorKind::NameCollision,
                                file,
                                format!("{at}/id"),
                                format!("endpoint id `{}` is used twice", endpoint.id),
                            ));
                        }
                        endpoints.push(endpoint);
                    }
                    Err(list) => {
                        for (pointer, message) in list {
                            errors.push(error(pointer, message));
                        }
                    }
                }
            }
        }
        _ => errors.push(error(
            "/endpoints".into(),
            "`endpoints` must be an array".into(),
        )),
    }
    let mut standalone: Vec<StandaloneSpec> = Vec::new();
    if let Some(list) = root.get("standalone") {
        match list.as_array() {
            Some(list) => {
                for (i, entry) in list.iter().enumerate() {
                    let at = format!("/standalone/{i}");
                    match parse_standalone(entry, &at, &modules) {
                        Ok(spec) => {
                            let taken = standalone.iter().any(|s| s.id == spec.id)
                                || endpoints.iter().any(|e| {
                                    e.messages.keys().any(|k| e.message_id(*k) == spec.id)
                                });
                            if taken {
                                errors.push(SchemaError::new(
                                    SchemaErrorKind::NameCollision,
                                    file,
                                    format!("{at}/id"),
                                    format!("message id `{}` is used twice", spec.id),
                                ));
                            }
                            standalone.push(spec);
                        }
                        Err(list) => {
                            for (pointer, message) in list {
                                errors.push(error(pointer, message));
                            }
                        }
                    }
                }
            }
            None => errors.push(error(
                "/standalone".into(),
                "`standalone` must be an array".into(),
            )),
        }
    }
    let mut servers = Vec::new();
    if let Some(list) = root.get("servers") {
        match list.as_array() {
            Some(list) => {
                for (i, entry) in list.iter().enumerate() {
                    match parse_server(entry, &format!("/servers/{i}")) {
                        Ok(server) => servers.push(server),
                        Err(list) => {
                            for (pointer, message) in list {
                                errors.push(error(pointer, message));
                            }
                        }
                    }
                }
            }
            None => errors.push(error(
                "/servers".into(),
                "`servers` must be an array".into(),
            )),
        }
    }
    errors.into_result(Index {
        modules,
        endpoints,
        standalone,
        servers,
    })
}

/// One entry of `servers`: `{name, url, description}`, the URL `https://` with a host and no
/// trailing `/`.
fn parse_server(entry: &Value, at: &str) -> Result<ServerSpec, Vec<(String, String)>> {
    let mut entry = Entry::new(entry, at, "a server", SERVER_KEYS)?;
    let name = entry.text("name");
    let url = entry.text("url");
    let description = entry.text("description");
    let host = url.strip_prefix("https://").unwrap_or_default();
    if host.is_empty() || host.ends_with('/') || host.contains(char::is_whitespace) {
        entry.problem(
            "url",
            "`url` must be `https://HOST` (a path is allowed) without a trailing `/`".into(),
        );
    }
    if entry.problems.is_empty() {
        Ok(ServerSpec {
            name,
            url,
            description,
        })
    } else {
        Err(entry.problems)
    }
}

fn parse_standalone(
    entry: &Value,
    at: &str,
    modules: &BTreeMap<String, String>,
) -> Result<StandaloneSpec, Vec<(String, String)>> {
    let mut entry = Entry::new(entry, at, "a standalone message", STANDALONE_KEYS)?;
    let id = entry.text("id");
    let title = entry.text("title");
    let description = entry.text("description");
    let kind_text = entry.text("kind");
    let module = entry.text("module");
    let file = entry.text("file");
    let docs = entry.text("docs");
    let mut problems = std::mem::take(&mut entry.problems);
    let id_ok = id
        .split_once('.')
        .is_some_and(|(name, role)| is_kebab(name) && is_kebab(role));
    if !id.is_empty() && !id_ok {
        problems.push((
            format!("{at}/id"),
            format!("message id `{id}` must be `name.role` in kebab-case (`webhook.event`)"),
        ));
    }
    let kind = MessageKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind_text);
    if kind.is_none() && !kind_text.is_empty() {
        problems.push((
            format!("{at}/kind"),
            format!("unknown kind `{kind_text}` (path, query, request or response)"),
        ));
    }
    if !module.is_empty() && !modules.contains_key(&module) {
        problems.push((
            format!("{at}/module"),
            format!("module `{module}` is not declared in `modules`"),
        ));
    }
    match (kind, problems.is_empty()) {
        (Some(kind), true) => Ok(StandaloneSpec {
            id,
            title,
            description,
            kind,
            module,
            file,
            docs,
        }),
        _ => Err(problems),
    }
}

/// Reads the members of one index entry, collecting every problem with its pointer.
struct Entry<'v> {
    object: &'v serde_json::Map<String, Value>,
    at: &'v str,
    problems: Vec<(String, String)>,
}

impl<'v> Entry<'v> {
    /// The entry at `at`, whose keys must be among `allowed`; `what` names it in errors.
    fn new(
        value: &'v Value,
        at: &'v str,
        what: &str,
        allowed: &[&str],
    ) -> Result<Self, Vec<(String, String)>> {
        let Some(object) = value.as_object() else {
            return Err(vec![(at.to_owned(), format!("{what} must be an object"))]);
        };
        let problems = object
            .keys()
            .filter(|key| !allowed.contains(&key.as_str()))
            .map(|key| {
                (
                    crate::pointer::join(at, key),
                    format!("unknown key `{key}` in {what} (expected one of {allowed:?})"),
                )
            })
            .collect();
        Ok(Entry {
            object,
            at,
            problems,
        })
    }

    /// A required string member (recorded as a problem, and `""`, when missing).
    fn text(&mut self, key: &str) -> String {
        match self.object.get(key).and_then(Value::as_str) {
            Some(value) => value.to_owned(),
            None => {
                self.problems.push((
                    crate::pointer::join(self.at, key),
                    format!("`{key}` is required and must be a string"),
                ));
                String::new()
            }
        }
    }

    /// Records a problem at the member `key`.
    fn problem(&mut self, key: &str, message: String) {
        self.problems
            .push((crate::pointer::join(self.at, key), message));
    }
}

fn parse_endpoint(
    entry: &Value,
    at: &str,
    modules: &BTreeMap<String, String>,
) -> Result<EndpointSpec, Vec<(String, String)>> {
    let mut entry = Entry::new(entry, at, "an endpoint", ENDPOINT_KEYS)?;
    let id = entry.text("id");
    let title = entry.text("title");
    let description = entry.text("description");
    let method_text = entry.text("method");
    let path = entry.text("path");
    let token_text = entry.text("token");
    let module = entry.text("module");
    let docs = entry.text("docs");
    if !id.is_empty() && !is_kebab(&id) {
        entry.problem(
            "id",
            format!("endpoint id `{id}` must be kebab-case (`create-link`)"),
        );
    }
    let method = Method::parse(&method_text);
    if method.is_none() && !method_text.is_empty() {
        entry.problem(
            "method",
            format!("unknown method `{method_text}` (GET, POST, PUT, PATCH or DELETE)"),
        );
    }
    let template = PathTemplate::parse(&path);
    if !path.is_empty() && !path.starts_with('/') {
        entry.problem("path", "a path must start with `/`".into());
    } else if template.is_none() {
        entry.problem(
            "path",
            format!(
                "path `{path}` is not a valid template: each parameter is a name in braces (`/consents/{{consentId}}`), and every `{{` has its `}}`"
            ),
        );
    }
    let token = match token_text.as_str() {
        "none" => Some(TokenKind::None),
        "access" => Some(TokenKind::Access),
        "link" => Some(TokenKind::Link),
        "" => None,
        other => {
            entry.problem(
                "token",
                format!("unknown token kind `{other}` (none, access or link)"),
            );
            None
        }
    };
    if !module.is_empty() && !modules.contains_key(&module) {
        entry.problem(
            "module",
            format!("module `{module}` is not declared in `modules`"),
        );
    }
    let object = entry.object;
    let mut problems = std::mem::take(&mut entry.problems);
    let path_uncertain = match object.get("pathUncertain") {
        None => false,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => {
            problems.push((
                format!("{at}/pathUncertain"),
                "`pathUncertain` must be a boolean".into(),
            ));
            false
        }
    };
    // The business codes the docs give the endpoint (read by the OpenAPI document).
    if let Some(codes) = object.get("businessCodes") {
        let ok = codes.as_array().is_some_and(|codes| {
            codes.iter().all(|code| {
                code.as_u64()
                    .is_some_and(|code| (1..=65_535).contains(&code))
            })
        });
        if !ok {
            problems.push((
                format!("{at}/businessCodes"),
                "`businessCodes` must be an array of integers from 1 to 65535 (`[4001, 4005]`)"
                    .into(),
            ));
        }
    }
    let mut messages = BTreeMap::new();
    match object.get("messages").and_then(Value::as_object) {
        Some(map) => {
            for (kind, file) in map {
                let kind_value = MessageKind::ALL.into_iter().find(|k| k.as_str() == kind);
                match (kind_value, file.as_str()) {
                    (Some(kind), Some(file)) => {
                        messages.insert(kind, file.to_owned());
                    }
                    (None, _) => problems.push((
                        crate::pointer::join(&format!("{at}/messages"), kind),
                        format!("unknown message kind `{kind}` (path, query, request or response)"),
                    )),
                    (_, None) => problems.push((
                        crate::pointer::join(&format!("{at}/messages"), kind),
                        "a message file must be a string".into(),
                    )),
                }
            }
        }
        None => problems.push((
            format!("{at}/messages"),
            "`messages` is required and must be an object".into(),
        )),
    }
    match (method, token, template, problems.is_empty()) {
        (Some(method), Some(token), Some(path), true) => Ok(EndpointSpec {
            id,
            title,
            description,
            method,
            path,
            token,
            module,
            docs,
            path_uncertain,
            messages,
        }),
        _ => Err(problems),
    }
}

fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_module_name(text: &str) -> bool {
    text.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !crate::names::is_keyword(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_splits_into_literals_and_parameters() {
        let template = PathTemplate::parse("/data/v1/consents/{consentId}/items/{n}").unwrap();
        assert_eq!(
            template.segments(),
            [
                PathSegment::Literal("/data/v1/consents/".into()),
                PathSegment::Parameter("consentId".into()),
                PathSegment::Literal("/items/".into()),
                PathSegment::Parameter("n".into()),
            ]
        );
        assert_eq!(
            template.parameters().collect::<Vec<_>>(),
            ["consentId", "n"]
        );
        assert_eq!(
            template.to_string(),
            "/data/v1/consents/{consentId}/items/{n}"
        );
        let plain = PathTemplate::parse("/data/v1/links").unwrap();
        assert_eq!(plain.parameters().count(), 0);
        assert_eq!(plain.segments().len(), 1);
    }

    #[test]
    fn broken_braces_are_not_a_template() {
        for text in ["/a/{", "/a/}", "/a/{}", "/a/{{b}}", "/a/{b", "/a/b}/c"] {
            assert_eq!(PathTemplate::parse(text), None, "{text}");
        }
    }
}
