//! The mock's HTTP surface: every endpoint of the index at its method and path template (from
//! the generated [`Endpoint`] constants), the mock's own control routes under `/mock`, and
//! Klavi's error body for anything else. Each endpoint request goes through the same steps:
//! injected latency and faults, the token, the path, query and body checked by the generated
//! types, then its handler.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, RawPathParamsRejection};
use axum::extract::{RawPathParams, State as Extract};
use axum::http::{HeaderMap, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use klavi_types::auth::{GenerateAccessToken, RefreshAccessToken};
use klavi_types::consents::{CreateConsent, GetConsent, GetConsentList, RevokeConsent};
use klavi_types::errors::ErrorBody;
use klavi_types::institutions::{GetInstitutionList, GetInstitutionStatus};
use klavi_types::links::CreateLink;
use klavi_types::reports::{
    RequestBusinessInstitutionReport, RequestBusinessUserReport, RequestPersonalInstitutionReport,
    RequestPersonalUserReport,
};
use klavi_types::tasks::{GetTaskStatus, SubmitMfa};
use klavi_types::{Endpoint, MessageKind, Method, TokenKind, ValidationErrors};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Shared;
use crate::delivery::{self, Webhook};
use crate::handlers::{auth, consents, control, institutions, links, reports, tasks};
use crate::state::{Fault, Logged, State};

/// The parts of a request that passed the token check and its schemas.
pub(crate) struct Parsed<E: Endpoint> {
    pub(crate) path: E::Path,
    pub(crate) query: E::Query,
    pub(crate) body: E::Request,
    /// The request body as JSON (`Null` without one), for echoing members back.
    pub(crate) json: Value,
    /// The link of the `linkToken` presented.
    pub(crate) link_id: Option<String>,
}

/// A handler's answer and the webhooks it triggers.
pub(crate) struct Outcome {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) webhooks: Vec<(Webhook, Duration)>,
    pub(crate) violations: Vec<String>,
    /// An injected fault, with the `Retry-After` seconds of a `429`.
    pub(crate) fault: Option<Option<u64>>,
}

impl Outcome {
    /// A `200` answering endpoint `E`: the body is its generated response type, so that an
    /// answer cannot drift from the schema without a compile error.
    pub(crate) fn answer<E>(response: &E::Response) -> Self
    where
        E: Endpoint,
        E::Response: Serialize,
    {
        Outcome::json(200, to_json(response))
    }

    /// A `200` of a `/mock` control route (the mock's own, not the API's).
    pub(crate) fn control(body: Value) -> Self {
        Outcome::json(200, body)
    }

    fn json(status: u16, body: Value) -> Self {
        Outcome {
            status,
            body,
            webhooks: Vec::new(),
            violations: Vec::new(),
            fault: None,
        }
    }

    /// Klavi's error body (`ErrorBody`): `{statusCode, error, message}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        Outcome::business(status, status, message)
    }

    /// An error whose body's `statusCode` is a business code (HTTP 416: 4001–4009).
    pub(crate) fn business(status: u16, code: u16, message: &str) -> Self {
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("Error");
        let body = ErrorBody::new(i64::from(code), message).with_error(reason);
        Outcome::json(status, to_json(&body))
    }

    /// A `400` naming every violation by code and pointer, never by value.
    pub(crate) fn invalid(errors: &ValidationErrors) -> Self {
        Outcome::violations(errors.iter())
    }

    fn violations<'a>(list: impl Iterator<Item = &'a klavi_types::Violation>) -> Self {
        let violations: Vec<String> = list
            .map(|violation| format!("{} at '{}'", violation.code(), violation.pointer()))
            .collect();
        let mut outcome = Outcome::error(400, &violations.join("; "));
        outcome.violations = violations;
        outcome
    }

    fn injected(fault: Fault) -> Self {
        let (mut outcome, retry_after) = match fault {
            Fault::TooManyRequests { retry_after } => (
                Outcome::error(429, "rate limit exceeded"),
                Some(retry_after),
            ),
            Fault::Unavailable => (Outcome::error(503, "try again later"), None),
            Fault::Internal => (Outcome::error(500, "unexpected error"), None),
            Fault::Status(status) => (Outcome::error(status, "injected fault"), None),
            Fault::Business(code) => (
                Outcome::business(416, code, "injected business error"),
                None,
            ),
        };
        outcome.fault = Some(retry_after);
        outcome
    }

    pub(crate) fn with_webhooks(
        mut self,
        webhooks: impl IntoIterator<Item = (Webhook, Duration)>,
    ) -> Self {
        self.webhooks.extend(webhooks);
        self
    }
}

/// A value of a generated type as JSON (they serialize to JSON without fail).
fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

type Handler<E> = fn(&Arc<Shared>, &mut State, Parsed<E>) -> Outcome;

/// Every route of the mock.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route(
            GenerateAccessToken::PATH,
            route::<GenerateAccessToken>(auth::generate),
        )
        .route(
            RefreshAccessToken::PATH,
            route::<RefreshAccessToken>(auth::refresh),
        )
        .route(CreateLink::PATH, route::<CreateLink>(links::create))
        .route(
            GetInstitutionList::PATH,
            route::<GetInstitutionList>(institutions::list),
        )
        .route(
            GetInstitutionStatus::PATH,
            route::<GetInstitutionStatus>(institutions::status),
        )
        .route(
            CreateConsent::PATH,
            route::<CreateConsent>(consents::create).merge(route::<GetConsentList>(consents::list)),
        )
        .route(GetConsent::PATH, route::<GetConsent>(consents::get))
        .route(
            RevokeConsent::PATH,
            route::<RevokeConsent>(consents::revoke),
        )
        .route(
            RequestPersonalInstitutionReport::PATH,
            route::<RequestPersonalInstitutionReport>(reports::request),
        )
        .route(
            RequestPersonalUserReport::PATH,
            route::<RequestPersonalUserReport>(reports::request),
        )
        .route(
            RequestBusinessUserReport::PATH,
            route::<RequestBusinessUserReport>(reports::request),
        )
        .route(
            RequestBusinessInstitutionReport::PATH,
            route::<RequestBusinessInstitutionReport>(reports::request),
        )
        .route(GetTaskStatus::PATH, route::<GetTaskStatus>(tasks::status))
        .route(SubmitMfa::PATH, route::<SubmitMfa>(tasks::submit_mfa));
    api.merge(control::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

async fn not_found(Extract(shared): Extract<Arc<Shared>>, method: HttpMethod) -> Response {
    answer(
        &shared,
        "unknown",
        method.as_str(),
        "(no route)",
        Outcome::error(404, "no such route"),
        Instant::now(),
    )
}

async fn method_not_allowed(Extract(shared): Extract<Arc<Shared>>, method: HttpMethod) -> Response {
    answer(
        &shared,
        "unknown",
        method.as_str(),
        "(no route)",
        Outcome::error(405, "method not allowed on this path"),
        Instant::now(),
    )
}

/// The method router of endpoint `E`, answering through `handle`.
fn route<E>(handle: Handler<E>) -> MethodRouter<Arc<Shared>>
where
    E: Endpoint + 'static,
    E::Path: DeserializeOwned,
    E::Query: DeserializeOwned,
    E::Request: DeserializeOwned + klavi_types::CheckJson,
{
    let service = move |Extract(shared): Extract<Arc<Shared>>,
                        params: Result<RawPathParams, RawPathParamsRejection>,
                        uri: Uri,
                        headers: HeaderMap,
                        body: Result<Bytes, BytesRejection>| async move {
        let started = Instant::now();
        let latency = shared.config.faults.latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let outcome = match body {
            Ok(body) => process::<E>(&shared, params, &uri, &headers, &body, handle),
            // Over axum's 2 MB default (Klavi's requests are a few kilobytes), or broken off.
            Err(rejection) => Outcome::error(
                rejection.status().as_u16(),
                "the request body is too large or could not be read",
            ),
        };
        answer(
            &shared,
            E::ID,
            E::METHOD.as_str(),
            E::PATH,
            outcome,
            started,
        )
    };
    match method_filter(E::METHOD) {
        Some(method) => on(method, service),
        // No method is served: every request gets the `405`, and the test holding the routes
        // to the index fails.
        None => MethodRouter::new(),
    }
}

/// The method filter of an index method, each its own (never a default), so a request with
/// another method, or one axum has no filter for (`FOO`), gets the `405` of
/// `method_not_allowed`.
fn method_filter(method: Method) -> Option<MethodFilter> {
    Some(match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Patch => MethodFilter::PATCH,
        Method::Delete => MethodFilter::DELETE,
        _ => return None,
    })
}

/// Faults, then the token, then path, query and body, then the handler.
fn process<E>(
    shared: &Arc<Shared>,
    params: Result<RawPathParams, RawPathParamsRejection>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    handle: Handler<E>,
) -> Outcome
where
    E: Endpoint,
    E::Path: DeserializeOwned,
    E::Query: DeserializeOwned,
    E::Request: DeserializeOwned + klavi_types::CheckJson,
{
    let mut state = shared.lock();
    if let Some(fault) = state.take_fault(E::ID) {
        return Outcome::injected(fault);
    }
    let link_id = match check_token(&state, E::TOKEN, headers) {
        Ok(link_id) => link_id,
        Err(refused) => return *refused,
    };
    match parse::<E>(params, uri.query(), body, link_id) {
        Ok(parsed) => handle(shared, &mut state, parsed),
        Err(refused) => *refused,
    }
}

/// The link of a valid token of the endpoint's kind; `401` for a missing, unknown or expired
/// token, `403` for a valid token of the other kind ("the token lacks the permission").
fn check_token(
    state: &State,
    kind: TokenKind,
    headers: &HeaderMap,
) -> Result<Option<String>, Box<Outcome>> {
    if kind == TokenKind::None {
        return Ok(None);
    }
    let bearer = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let now = Instant::now();
    let access = bearer.and_then(|token| state.access_tokens.get(token));
    let link = bearer.and_then(|token| state.link_tokens.get(token));
    match kind {
        TokenKind::Access => match (access, link) {
            (Some(expiry), _) if *expiry > now => Ok(None),
            (None, Some(link)) if link.expires_at > now => Err(Box::new(Outcome::error(
                403,
                "this endpoint needs the access token, not a link token",
            ))),
            _ => Err(Box::new(Outcome::error(401, "Invalid or expired token"))),
        },
        TokenKind::Link => match (link, access) {
            (Some(link), _) if link.expires_at > now => Ok(Some(link.link_id.clone())),
            (None, Some(expiry)) if *expiry > now => Err(Box::new(Outcome::error(
                403,
                "this endpoint needs the link's linkToken, not the access token",
            ))),
            _ => Err(Box::new(Outcome::error(
                401,
                "Invalid or expired link token",
            ))),
        },
        _ => Err(Box::new(Outcome::error(401, "unsupported token kind"))),
    }
}

/// Reads the path parameters, query and body into the endpoint's generated types.
fn parse<E>(
    params: Result<RawPathParams, RawPathParamsRejection>,
    query: Option<&str>,
    body: &[u8],
    link_id: Option<String>,
) -> Result<Parsed<E>, Box<Outcome>>
where
    E: Endpoint,
    E::Path: DeserializeOwned,
    E::Query: DeserializeOwned,
    E::Request: DeserializeOwned + klavi_types::CheckJson,
{
    let mut members = serde_json::Map::new();
    match &params {
        Ok(params) => {
            for (name, value) in params {
                members.insert(name.to_owned(), Value::String(value.to_owned()));
            }
        }
        Err(RawPathParamsRejection::MissingPathParams(_)) => {}
        Err(_) => {
            return Err(Box::new(Outcome::error(
                400,
                "a path parameter is not UTF-8",
            )));
        }
    }
    let path = klavi_types::from_json_value::<E::Path>(&Value::Object(members))
        .map_err(|errors| Box::new(Outcome::invalid(&errors)))?;
    let query = klavi_types::from_query_string::<E::Query>(query.unwrap_or(""))
        .map_err(|errors| Box::new(Outcome::invalid(&errors)))?;
    let (body, json) = if E::HAS_BODY {
        let typed = klavi_types::from_json::<E::Request>(body)
            .map_err(|errors| Box::new(every_violation::<E>(body, errors)))?;
        (typed, serde_json::from_slice(body).unwrap_or(Value::Null))
    } else {
        // A body where none is expected is ignored, as HTTP servers do for `GET`.
        let empty = klavi_types::from_json::<E::Request>(b"{}")
            .map_err(|errors| Box::new(Outcome::invalid(&errors)))?;
        (empty, Value::Null)
    };
    Ok(Parsed {
        path,
        query,
        body,
        json,
        link_id,
    })
}

/// The answer to a body the typed path refused: serde stops at the first value it cannot
/// read, so the compiled check lists them all (the typed path's own violation should it find
/// none); then [`refused`].
#[cold]
fn every_violation<E>(body: &[u8], first: ValidationErrors) -> Outcome
where
    E: Endpoint,
    E::Request: klavi_types::CheckJson,
{
    match klavi_types::check_json::<E::Request>(body) {
        Err(violations) => refused::<E>(&violations),
        Ok(()) => refused::<E>(&first),
    }
}

/// The answer to a request body's violations: the docs' business error when every violation
/// breaks a rule the schemas give a code for (`x-klavi-business-errors`: `416` with `4005`
/// for an empty `products`…), else a `400` listing them all (a malformed request: a value of
/// the wrong JSON type, a missing or unknown member).
fn refused<E: Endpoint>(errors: &ValidationErrors) -> Outcome {
    let business = klavi_types::registry::endpoint(E::ID)
        .and_then(|info| {
            info.messages
                .iter()
                .find(|message| message.kind == MessageKind::Request)
        })
        .and_then(|message| message.business_error(errors));
    let mut outcome = Outcome::violations(errors.iter());
    if let Some(error) = business {
        let violations = std::mem::take(&mut outcome.violations);
        outcome = Outcome::business(error.status, error.code, error.message);
        outcome.violations = violations;
    }
    outcome
}

/// Logs the answer, starts its webhooks and writes it.
pub(crate) fn answer(
    shared: &Arc<Shared>,
    endpoint: &'static str,
    method: &str,
    path: &'static str,
    outcome: Outcome,
    started: Instant,
) -> Response {
    let latency = started.elapsed();
    let logged = Logged {
        endpoint,
        method: method.to_owned(),
        path,
        status: outcome.status,
        fault: outcome.fault.is_some(),
        violations: outcome.violations.clone(),
        latency,
    };
    if shared.config.log_requests {
        let violations = if logged.violations.is_empty() {
            String::new()
        } else {
            format!(": {}", logged.violations.join("; "))
        };
        tracing::info!(
            "{method} {path} ({endpoint}) -> {} in {} ms{violations}",
            outcome.status,
            latency.as_millis()
        );
    }
    shared.lock().log.push(logged);
    delivery::spawn_in_order(Arc::clone(shared), outcome.webhooks);
    let status = StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [("content-type", "application/json")],
        outcome.body.to_string(),
    )
        .into_response();
    if let Some(Some(seconds)) = outcome.fault {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    response
}
