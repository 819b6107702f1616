//! The example partner service: what a Klavi integration does, end to end, on
//! `klavi-client` and its axum receiver.
//!
//! 1. serves `/klavi/events` and `/klavi/reports`: the receiver verifies each delivery and
//!    hands each event to the app once (in memory, or on Redis when `Settings::redis_url` is
//!    set, so that several replicas of the app share it);
//! 2. authenticates, creates a link for the end user, and waits for `link_created`;
//! 3. creates a consent with the link's token and waits for `consent_authorised` (the mock's
//!    simulated end user authorises it; against Klavi, the user does, at the bank);
//! 4. requests a report and waits for the product report, then returns its summary.
//!
//! `main.rs` runs it against `KLAVI_BASE_URL` (a `klavi mock` by default); the test runs it
//! against `klavi_mock::MockKlavi` in-process.

use std::time::Duration;

use axum::Router;
use axum::routing::post;
use klavi_client::receiver::{RedisStore, WebhookReceiver};
use klavi_client::{Config, Environment, KlaviClient};
use klavi_types::consents::CreateConsentRequest;
use klavi_types::links::CreateLinkRequest;
use klavi_types::reports::{ProductReport, RequestPersonalUserReport};
use klavi_types::secret::Secret;
use klavi_types::webhooks::{Event, EventName};
use tokio::sync::mpsc;

/// The `accessKey` `klavi mock` accepts without flags (`klavi_mock::DEFAULT_ACCESS_KEY`).
pub const MOCK_ACCESS_KEY: &str = "klavi-mock-access-key";
/// The `secretKey` `klavi mock` accepts without flags (`klavi_mock::DEFAULT_SECRET_KEY`).
pub const MOCK_SECRET_KEY: &str = "klavi-mock-secret-key";

/// The end user of the example (a valid sample CPF).
pub const CPF: &str = "280.012.389-38";

/// What the app needs to know.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The Klavi API (or mock) base URL.
    pub base_url: String,
    /// The application's `accessKey`.
    pub access_key: Secret,
    /// The application's `secretKey` (also the webhook signing key).
    pub secret_key: Secret,
    /// This service's own base URL, as Klavi reaches it (`http://127.0.0.1:3000`).
    pub public_url: String,
    /// The product to request.
    pub product: String,
    /// How long to wait for each webhook.
    pub wait: Duration,
    /// A Redis server for the receiver's store (`redis://127.0.0.1:6379/`); in memory when
    /// `None`.
    pub redis_url: Option<String>,
}

/// What reached the webhook routes.
#[derive(Debug)]
enum Received {
    Event(EventName),
    Report(Box<ProductReport>),
}

/// The inbox is gone: the app is shutting down, so the event is left to a redelivery.
#[derive(Debug)]
struct InboxClosed;

/// The webhook routes: each event not processed before goes to the inbox, once.
fn router(receiver: &WebhookReceiver, inbox: mpsc::UnboundedSender<Received>) -> Router {
    let events = inbox.clone();
    let on_event = move |event: Event| {
        println!("event    {} at {}", event.event_name, event.event_time);
        let sent = events.send(Received::Event(event.event_name));
        async move { sent.map_err(|_| InboxClosed) }
    };
    let on_report = move |report: ProductReport| {
        println!(
            "report   {} ({})",
            report.product_name, report.product_report_id
        );
        let sent = inbox.send(Received::Report(Box::new(report)));
        async move { sent.map_err(|_| InboxClosed) }
    };
    Router::new()
        .route("/klavi/events", post(receiver.events(on_event)))
        .route("/klavi/reports", post(receiver.reports(on_report)))
}

/// A product report's summary: its name, id, status code and the size of each list of its
/// body (accounts, transactions…), never a value of the end user.
pub fn summary(report: &ProductReport) -> String {
    let mut lines = vec![format!(
        "{} {} (code {}): request {}",
        report.product_name, report.product_version, report.code, report.request_id
    )];
    // The body is written back beside the envelope: its members are the rest.
    const ENVELOPE: [&str; 10] = [
        "code",
        "message",
        "requestId",
        "productName",
        "productVersion",
        "productReportId",
        "productReportTime",
        "enquiryCpf",
        "links",
        "externalInfo",
    ];
    if let Ok(serde_json::Value::Object(members)) = serde_json::to_value(report) {
        let body = members
            .into_iter()
            .filter(|(member, _)| !ENVELOPE.contains(&member.as_str()));
        for (member, value) in body {
            lines.push(match &value {
                serde_json::Value::Array(items) => {
                    let nested: usize = items
                        .iter()
                        .filter_map(serde_json::Value::as_object)
                        .flat_map(|item| item.values())
                        .filter_map(serde_json::Value::as_array)
                        .map(Vec::len)
                        .sum();
                    format!(
                        "  {member}: {} item(s), {nested} nested record(s)",
                        items.len()
                    )
                }
                _ => format!("  {member}: present"),
            });
        }
    }
    lines.join("\n")
}

/// Runs the whole integration on `listener` (where webhooks arrive) and returns the report.
///
/// # Errors
///
/// A message saying which step failed (never a token or personal value).
pub async fn run(
    settings: Settings,
    listener: tokio::net::TcpListener,
) -> Result<ProductReport, String> {
    let (inbox, mut received) = mpsc::unbounded_channel();
    let mut receiver = WebhookReceiver::new(settings.secret_key.clone());
    if let Some(url) = &settings.redis_url {
        let store = RedisStore::connect(url)
            .await
            .map_err(|error| format!("redis: {error}"))?;
        receiver = receiver.with_store(store);
        println!("store    redis (shared by every replica)");
    }
    let app = router(&receiver, inbox);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = KlaviClient::new(Config::new(
        Environment::Custom(settings.base_url.clone()),
        settings.access_key.clone(),
        settings.secret_key.clone(),
    ))
    .map_err(|error| format!("client: {error}"))?;
    let step =
        |what: &'static str| move |error: klavi_client::ClientError| format!("{what}: {error}");

    let lifetime = client.generate_access_token().await.map_err(|error| {
        let hint = match &error {
            klavi_client::ClientError::Transport {
                kind: klavi_client::TransportKind::Connect,
                ..
            } => format!(
                "\nhint: nothing answers at {} (KLAVI_BASE_URL). Start the sandbox in another \
                 terminal: cargo run -q -p klavi-cli --features mock -- mock --webhook-url \
                 {}/klavi/events",
                settings.base_url, settings.public_url
            ),
            _ => String::new(),
        };
        format!("authenticate: {error}{hint}")
    })?;
    println!("token    valid for {}s", lifetime.as_secs());
    let link: CreateLinkRequest = klavi_types::from_json_str(&format!(
        r#"{{"personalTaxId": "{CPF}", "redirectURL": "https://example.com/klavi/return",
            "productsCallbackURL": {{"all": "{}/klavi/reports"}},
            "externalInfo": {{"orderId": "example-1"}}}}"#,
        settings.public_url
    ))
    .map_err(|errors| format!("link request: {errors}"))?;
    let link = client
        .create_link(&link)
        .await
        .map_err(step("create link"))?;
    println!("link     {}", link.link_id);
    wait_for_event(&mut received, EventName::LinkCreated, settings.wait).await?;

    let consent: CreateConsentRequest = klavi_types::from_json_str(&format!(
        r#"{{"externalTrackId": "example-{}", "personalTaxId": "{CPF}", "institutionCode": "260",
            "redirectURL": "https://example.com/klavi/consent", "validityPeriod": 12}}"#,
        link.link_id
    ))
    .map_err(|errors| format!("consent request: {errors}"))?;
    let consent = client
        .create_consent(&link.link_token, &consent)
        .await
        .map_err(step("create consent"))?;
    println!(
        "consent  {} (the end user authorises it at the bank)",
        consent.consent_id
    );
    wait_for_event(&mut received, EventName::ConsentAuthorised, settings.wait).await?;

    let request: klavi_client::RequestOf<RequestPersonalUserReport> =
        klavi_types::from_json_str(&format!(
            r#"{{"taxId": "{CPF}", "linkId": "{}", "products": ["{}"]}}"#,
            link.link_id, settings.product
        ))
        .map_err(|errors| format!("report request: {errors}"))?;
    let requested = client
        .request_personal_user_report(&request)
        .await
        .map_err(step("request report"))?;
    println!("request  {}", requested.request_id);
    let report = tokio::time::timeout(settings.wait, async {
        loop {
            match received.recv().await {
                Some(Received::Report(report)) if report.request_id == requested.request_id => {
                    return Ok(*report);
                }
                Some(_) => {}
                None => return Err("the webhook server stopped".to_owned()),
            }
        }
    })
    .await
    .map_err(|_| "no product report arrived".to_owned())??;
    server.abort();
    Ok(report)
}

async fn wait_for_event(
    received: &mut mpsc::UnboundedReceiver<Received>,
    name: EventName,
    wait: Duration,
) -> Result<(), String> {
    tokio::time::timeout(wait, async {
        while let Some(message) = received.recv().await {
            if matches!(&message, Received::Event(event) if *event == name) {
                return Ok(());
            }
        }
        Err("the webhook server stopped".to_owned())
    })
    .await
    .map_err(|_| {
        format!("no {name} event arrived (is the mock's --webhook-url this app's /klavi/events?)")
    })?
}
