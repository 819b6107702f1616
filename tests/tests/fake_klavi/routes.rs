//! The fake server's routes: one per endpoint, registered from the generated [`Endpoint`]
//! constants (method, path template, token kind), and the handlers behind them.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use klavi_types::auth::{GenerateAccessToken, GenerateAccessTokenRequest, RefreshAccessToken};
use klavi_types::consents::{
    CreateConsent, CreateConsentRequest, GetConsent, GetConsentList, GetConsentListQuery,
    RevokeConsent,
};
use klavi_types::formats::UtcDateTime;
use klavi_types::institutions::GetInstitutionList;
use klavi_types::links::{CreateLink, CreateLinkRequest};
use klavi_types::reports::{
    RequestBusinessInstitutionReport, RequestBusinessUserReport, RequestPersonalInstitutionReport,
    RequestPersonalUserReport,
};
use klavi_types::{Endpoint, Method, TokenKind, Validate, ValidationErrors};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Shared;
use super::delivery::{self, Webhook};
use super::state::{Fault, Link, Logged, State};

/// What a handler sees of a request that passed the fault and token checks.
struct Input<'a> {
    /// The path parameter (`consentId`), when the template has one.
    param: Option<String>,
    query: Option<&'a str>,
    body: &'a [u8],
    /// The link of the `linkToken` presented.
    link_id: Option<String>,
}

/// A handler's answer and the webhooks it triggers.
struct Outcome {
    status: u16,
    body: Value,
    webhooks: Vec<Webhook>,
}

impl Outcome {
    fn ok(body: Value) -> Self {
        Outcome {
            status: 200,
            body,
            webhooks: Vec::new(),
        }
    }

    fn error(status: u16, reason: &str, message: &str) -> Self {
        Outcome {
            status,
            body: json!({"statusCode": status, "error": reason, "message": message}),
            webhooks: Vec::new(),
        }
    }

    /// A `400` naming every violation by code and pointer (never by value).
    fn invalid(errors: &ValidationErrors) -> Self {
        let message = errors
            .iter()
            .map(|violation| format!("{} at '{}'", violation.code(), violation.pointer()))
            .collect::<Vec<_>>()
            .join("; ");
        Outcome::error(400, "Bad Request", &message)
    }
}

type Handler = fn(&Shared, &mut State, &Input<'_>) -> Outcome;

/// Every route of the fake API.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            GenerateAccessToken::PATH,
            route::<GenerateAccessToken>(auth),
        )
        .route(
            RefreshAccessToken::PATH,
            route::<RefreshAccessToken>(refresh),
        )
        .route(CreateLink::PATH, route::<CreateLink>(create_link))
        .route(
            GetInstitutionList::PATH,
            route::<GetInstitutionList>(institutions),
        )
        .route(
            CreateConsent::PATH,
            route::<CreateConsent>(create_consent).merge(route::<GetConsentList>(list_consents)),
        )
        .route(GetConsent::PATH, route::<GetConsent>(get_consent))
        .route(RevokeConsent::PATH, route::<RevokeConsent>(revoke_consent))
        .route(
            RequestPersonalInstitutionReport::PATH,
            route::<RequestPersonalInstitutionReport>(report::<RequestPersonalInstitutionReport>),
        )
        .route(
            RequestPersonalUserReport::PATH,
            route::<RequestPersonalUserReport>(report::<RequestPersonalUserReport>),
        )
        .route(
            RequestBusinessUserReport::PATH,
            route::<RequestBusinessUserReport>(report::<RequestBusinessUserReport>),
        )
        .route(
            RequestBusinessInstitutionReport::PATH,
            route::<RequestBusinessInstitutionReport>(report::<RequestBusinessInstitutionReport>),
        )
        .with_state(shared)
}

/// The method router of endpoint `E`, answering through `handle`.
fn route<E: Endpoint + 'static>(handle: Handler) -> MethodRouter<Arc<Shared>> {
    let service = move |Extract(shared): Extract<Arc<Shared>>,
                        uri: Uri,
                        headers: HeaderMap,
                        body: Bytes| async move {
        dispatch::<E>(&shared, &uri, &headers, &body, handle)
    };
    match E::METHOD {
        Method::Get => get(service),
        Method::Post => post(service),
        Method::Put => put(service),
        Method::Patch => patch(service),
        Method::Delete => delete(service),
        // `Method` is non-exhaustive; every method the index can name is served above.
        other => unreachable!("no route for {other}: add it here"),
    }
}

/// Faults, then tokens, then the handler; logs the answer and starts the webhooks.
fn dispatch<E: Endpoint>(
    shared: &Arc<Shared>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    handle: Handler,
) -> Response {
    let mut state = shared.lock();
    let bearer = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let (outcome, retry_after) = match state.take_fault(E::ID, E::METHOD == Method::Post) {
        Some(Fault::TooManyRequests { retry_after }) => (
            Outcome::error(429, "Too Many Requests", "rate limit exceeded"),
            Some(retry_after),
        ),
        Some(Fault::Unavailable) => (
            Outcome::error(503, "Service Unavailable", "try again later"),
            None,
        ),
        Some(Fault::Internal) => (
            Outcome::error(500, "Internal Server Error", "unexpected error"),
            None,
        ),
        None => {
            let link_id = match (E::TOKEN, bearer) {
                (TokenKind::None, _) => Ok(None),
                (TokenKind::Access, Some(token))
                    if state
                        .access_tokens
                        .get(token)
                        .is_some_and(|expiry| *expiry > Instant::now()) =>
                {
                    Ok(None)
                }
                (TokenKind::Link, Some(token)) if state.link_tokens.contains_key(token) => {
                    Ok(state.link_tokens.get(token).cloned())
                }
                _ => Err(Outcome::error(
                    401,
                    "Unauthorized",
                    "Invalid or expired token",
                )),
            };
            let outcome = match link_id {
                Ok(link_id) => {
                    let input = Input {
                        param: path_parameter(E::PATH, uri.path()),
                        query: uri.query(),
                        body,
                        link_id,
                    };
                    handle(shared, &mut state, &input)
                }
                Err(refused) => refused,
            };
            (outcome, None)
        }
    };
    state.log.push(Logged {
        endpoint: E::ID,
        status: outcome.status,
    });
    drop(state);
    for webhook in outcome.webhooks {
        delivery::spawn(Arc::clone(shared), webhook);
    }
    let status = StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [("content-type", "application/json")],
        outcome.body.to_string(),
    )
        .into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    response
}

/// The value of the template's one `{parameter}` segment in `path`.
fn path_parameter(template: &str, path: &str) -> Option<String> {
    template
        .split('/')
        .zip(path.split('/'))
        .find(|(pattern, _)| pattern.starts_with('{'))
        .map(|(_, value)| value.to_owned())
}

/// Parses and validates a request body with its generated type.
fn parse<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<(T, Value), Outcome> {
    let typed = klavi_types::from_json::<T>(body).map_err(|errors| Outcome::invalid(&errors))?;
    let value = serde_json::from_slice(body)
        .map_err(|_| Outcome::error(400, "Bad Request", "invalid JSON"))?;
    Ok((typed, value))
}

fn now() -> String {
    UtcDateTime::from(time::OffsetDateTime::now_utc()).to_string()
}

fn in_days(days: i64) -> String {
    UtcDateTime::from(time::OffsetDateTime::now_utc() + time::Duration::days(days)).to_string()
}

/// The first example of a message's schema (the fake answers with the documented samples).
fn example(message: &str) -> Value {
    klavi_types::registry::message(message)
        .and_then(|info| serde_json::from_str::<Value>(info.schema).ok())
        .and_then(|schema| schema.get("examples")?.get(0).cloned())
        .unwrap_or(Value::Null)
}

fn issue_access_token(state: &mut State) -> Value {
    let token = state.token("access");
    let lifetime = state.token_lifetime;
    state
        .access_tokens
        .insert(token.clone(), Instant::now() + lifetime);
    json!({"accessToken": token, "expireIn": lifetime.as_secs()})
}

/// An API event envelope (§19.1), as a one-element array like Klavi's sample.
fn event(
    shared: &Shared,
    state: &mut State,
    name: &str,
    payload: Value,
    external_info: Option<&Value>,
) -> Option<Webhook> {
    let url = shared.event_webhook_url.clone()?;
    let mut envelope = json!({
        "partnerAppId": "12345678",
        "eventId": state.id(),
        "eventType": "api",
        "eventName": name,
        "eventTime": now(),
        "payload": payload,
    });
    if let Some(info) = external_info {
        envelope["externalInfo"] = info.clone();
    }
    Some(Webhook {
        url,
        kind: "event",
        body: json!([envelope]).to_string().into_bytes(),
    })
}

fn auth(shared: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    let request = match parse::<GenerateAccessTokenRequest>(input.body) {
        Ok((request, _)) => request,
        Err(refused) => return refused,
    };
    if request.access_key.expose_secret() != shared.access_key
        || request.secret_key != shared.secret_key
    {
        return Outcome::error(401, "Unauthorized", "Invalid accessKey or secretKey");
    }
    Outcome::ok(issue_access_token(state))
}

fn refresh(_: &Shared, state: &mut State, _: &Input<'_>) -> Outcome {
    Outcome::ok(issue_access_token(state))
}

fn create_link(shared: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    let (_, request) = match parse::<CreateLinkRequest>(input.body) {
        Ok(parsed) => parsed,
        Err(refused) => return refused,
    };
    let link_id = state.id();
    let link_token = state.token("link");
    let link = Link {
        personal_tax_id: text(&request, "personalTaxId"),
        business_tax_id: text(&request, "businessTaxId"),
        products_callback_url: request.get("productsCallbackURL").cloned(),
        external_info: request.get("externalInfo").cloned(),
    };
    let payload = json!({
        "personalTaxId": link.personal_tax_id,
        "businessTaxId": link.business_tax_id,
        "linkId": link_id,
    });
    let webhook = event(
        shared,
        state,
        "link_created",
        payload,
        link.external_info.as_ref(),
    );
    state
        .link_tokens
        .insert(link_token.clone(), link_id.clone());
    state.links.insert(link_id.clone(), link);
    Outcome {
        status: 200,
        body: json!({
            "linkId": link_id,
            "linkURL": format!("https://conecte-sandbox.klavi.ai/path?v={link_token}"),
            "linkToken": link_token,
            "expireIn": 1800,
        }),
        webhooks: webhook.into_iter().collect(),
    }
}

/// A tax id of a request as a plain digit string (`""` when absent), as Klavi echoes it.
fn text(request: &Value, key: &str) -> String {
    request
        .get(key)
        .and_then(Value::as_str)
        .map(|id| id.chars().filter(char::is_ascii_alphanumeric).collect())
        .unwrap_or_default()
}

fn institutions(_: &Shared, _: &mut State, _: &Input<'_>) -> Outcome {
    Outcome::ok(example("get-institution-list.response"))
}

fn create_consent(shared: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    let (_, request) = match parse::<CreateConsentRequest>(input.body) {
        Ok(parsed) => parsed,
        Err(refused) => return refused,
    };
    let link_id = input.link_id.clone().unwrap_or_default();
    let consent_id = state.id();
    let permissions = json!([
        "ACCOUNTS_ALL",
        "CREDIT_CARDS_ALL",
        "CREDIT_OPERATIONS_ALL",
        "REGISTRATION_ALL"
    ]);
    let months = request
        .get("validityPeriod")
        .and_then(Value::as_i64)
        .unwrap_or(12);
    let expire_at = in_days(months * 30);
    // The end user authorises at once: the fake has no bank to redirect to.
    let consent = json!({
        "consentId": consent_id,
        "linkId": link_id,
        "externalTrackId": request["externalTrackId"],
        "personalTaxId": text(&request, "personalTaxId"),
        "businessTaxId": text(&request, "businessTaxId"),
        "institutionCode": request["institutionCode"],
        "status": "AUTHORISED",
        "permissionsApply": permissions,
        "permissionsGranted": permissions,
        "expireAt": expire_at,
        "createdAt": now(),
        "updatedAt": now(),
    });
    let payload = json!({
        "personalTaxId": consent["personalTaxId"],
        "businessTaxId": consent["businessTaxId"],
        "linkId": link_id,
        "consents": {
            "consentId": consent_id,
            "externalTrackId": consent["externalTrackId"],
            "institutionCode": consent["institutionCode"],
        },
    });
    let external_info = state
        .links
        .get(&link_id)
        .and_then(|link| link.external_info.clone());
    let webhook = event(
        shared,
        state,
        "consent_authorised",
        payload,
        external_info.as_ref(),
    );
    state.consents.push(consent);
    Outcome {
        status: 200,
        body: json!({
            "consentId": consent_id,
            "consentRedirectURL": format!("https://auth.mockbank.example/auth?consent={consent_id}"),
            "expireAt": expire_at,
        }),
        webhooks: webhook.into_iter().collect(),
    }
}

fn find_consent<'a>(state: &'a mut State, input: &Input<'_>) -> Option<&'a mut Value> {
    let id = input.param.as_deref()?;
    state
        .consents
        .iter_mut()
        .find(|consent| consent["consentId"] == id)
}

fn get_consent(_: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    match find_consent(state, input) {
        Some(consent) => Outcome::ok(consent.clone()),
        None => Outcome::error(404, "Not Found", "consent not found"),
    }
}

fn list_consents(_: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    let query = match GetConsentListQuery::from_query_string(input.query.unwrap_or("")) {
        Ok(query) => query,
        Err(errors) => return Outcome::invalid(&errors),
    };
    let matches = |consent: &&Value| {
        query
            .personal_tax_id
            .as_ref()
            .is_none_or(|cpf| consent["personalTaxId"] == cpf.as_str())
            && query
                .business_tax_id
                .as_ref()
                .is_none_or(|cnpj| consent["businessTaxId"] == cnpj.as_str())
            && query
                .link_id
                .as_ref()
                .is_none_or(|link| consent["linkId"] == link.as_str())
    };
    Outcome::ok(Value::Array(
        state.consents.iter().filter(matches).cloned().collect(),
    ))
}

fn revoke_consent(shared: &Shared, state: &mut State, input: &Input<'_>) -> Outcome {
    let Some(consent) = find_consent(state, input) else {
        return Outcome::error(404, "Not Found", "consent not found");
    };
    consent["status"] = json!("REVOKED");
    consent["updatedAt"] = json!(now());
    let payload = json!({
        "personalTaxId": consent["personalTaxId"],
        "businessTaxId": consent["businessTaxId"],
        "linkId": consent["linkId"],
        "consentId": consent["consentId"],
    });
    let webhook = event(shared, state, "consent_revoked", payload, None);
    Outcome {
        status: 200,
        body: json!({"message": "ok"}),
        webhooks: webhook.into_iter().collect(),
    }
}

/// Any report request: answers with a `requestId` and delivers one signed product report per
/// requested product to the one-time `productsCallbackURL`, else the link's (§19.3).
fn report<E: Endpoint>(_: &Shared, state: &mut State, input: &Input<'_>) -> Outcome
where
    E::Request: DeserializeOwned,
{
    let (_, request) = match parse::<E::Request>(input.body) {
        Ok(parsed) => parsed,
        Err(refused) => return refused,
    };
    let request_id = state.id();
    let link = request
        .get("linkId")
        .and_then(Value::as_str)
        .and_then(|id| state.links.get(id));
    let callbacks = request
        .get("productsCallbackURL")
        .or_else(|| link.and_then(|link| link.products_callback_url.as_ref()))
        .cloned()
        .unwrap_or(Value::Null);
    let products: Vec<String> = request["products"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|product| match product {
            "all" => "pf_categorized_checking_l3".to_owned(),
            product => product.to_owned(),
        })
        .collect();
    let mut webhooks = Vec::new();
    for product in products {
        let Some(url) = callbacks
            .get(&product)
            .or_else(|| callbacks.get("all"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let mut body = example("product-report.webhook");
        body["requestId"] = json!(request_id);
        body["productName"] = json!(product);
        body["productReportId"] = json!(state.id());
        body["enquiryCpf"] = json!(text(&request, "taxId"));
        if let Some(info) = request.get("externalInfo") {
            body["externalInfo"] = info.clone();
        }
        webhooks.push(Webhook {
            url: url.to_owned(),
            kind: "report",
            body: body.to_string().into_bytes(),
        });
    }
    Outcome {
        status: 200,
        body: json!({"requestId": request_id, "message": "ok"}),
        webhooks,
    }
}
