//! The axum receiver against deliveries a real network sends: authentic ones (accepted once,
//! redeliveries and replays acknowledged as duplicates), tampered, re-serialized, stale,
//! malformed and oversized ones (refused with the right status and a body that leaks nothing),
//! and events arriving out of order.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::routing::post;
use klavi_client::receiver::{KlaviEvents, KlaviReport, WebhookReceiver};
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, headers_for};

const SECRET: &str = "partner-secret-key-7f3a";
const CPF: &str = "28001238938";

#[derive(Clone)]
struct App {
    receiver: Arc<WebhookReceiver>,
    handled: Arc<Mutex<Vec<String>>>,
    fail_next: Arc<Mutex<bool>>,
}

impl FromRef<App> for Arc<WebhookReceiver> {
    fn from_ref(app: &App) -> Self {
        Arc::clone(&app.receiver)
    }
}

async fn events(
    axum::extract::State(app): axum::extract::State<App>,
    events: KlaviEvents,
) -> StatusCode {
    if std::mem::take(&mut *app.fail_next.lock().unwrap()) {
        events.release().await;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let mut handled = app.handled.lock().unwrap();
    for event in events.iter() {
        handled.push(format!(
            "{}:{}",
            event.event_name,
            event.event_id.as_deref().unwrap_or("-")
        ));
    }
    StatusCode::NO_CONTENT
}

async fn report(
    axum::extract::State(app): axum::extract::State<App>,
    report: KlaviReport,
) -> StatusCode {
    app.handled
        .lock()
        .unwrap()
        .push(format!("report:{}", report.product_report_id));
    StatusCode::NO_CONTENT
}

async fn start(max_body: usize) -> (String, App) {
    let app = App {
        receiver: Arc::new(
            WebhookReceiver::new(Secret::new(SECRET))
                .with_tolerance(Duration::from_secs(300))
                .with_max_body(max_body),
        ),
        handled: Arc::default(),
        fail_next: Arc::default(),
    };
    let router = Router::new()
        .route("/events", post(events))
        .route("/reports", post(report))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), app)
}

fn event(id: &str, name: &str) -> String {
    format!(
        r#"[{{"partnerAppId": "12345678", "eventId": "{id}", "eventType": "api", "eventName": "{name}",
             "eventTime": "2026-12-04T10:00:00.000Z",
             "payload": {{"personalTaxId": "{CPF}", "businessTaxId": "", "linkId": "l-1"}}}}]"#
    )
}

/// Posts `body` signed for `signed` (the same bytes unless tampering) at `at`.
async fn post_signed(url: &str, body: &str, signed: &str, at: SystemTime) -> (u16, String) {
    let mut request = reqwest::Client::new().post(url).body(body.to_owned());
    for (name, value) in headers_for(&Secret::new(SECRET), signed.as_bytes(), at) {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn authentic_deliveries_are_handled_once() {
    let (base, app) = start(1 << 20).await;
    let url = format!("{base}/events");
    let body = event("e-1", "link_created");
    let now = SystemTime::now();
    assert_eq!(post_signed(&url, &body, &body, now).await.0, 204);
    // Klavi's redelivery, and a replay with a fresh timestamp: acknowledged, not handled.
    let (status, answer) = post_signed(&url, &body, &body, now + Duration::from_secs(60)).await;
    assert_eq!(
        (status, answer.as_str()),
        (200, r#"{"status":"duplicate"}"#)
    );
    // A handler that fails releases its claim: the redelivery is handled.
    *app.fail_next.lock().unwrap() = true;
    let second = event("e-2", "consent_authorised");
    assert_eq!(post_signed(&url, &second, &second, now).await.0, 500);
    assert_eq!(post_signed(&url, &second, &second, now).await.0, 204);
    // Out of order: a revocation before the authorisation it follows; both handled, as sent.
    let revoked = event("e-4", "consent_revoked");
    let authorised = event("e-3", "consent_authorised");
    assert_eq!(post_signed(&url, &revoked, &revoked, now).await.0, 204);
    assert_eq!(
        post_signed(&url, &authorised, &authorised, now).await.0,
        204
    );
    assert_eq!(
        *app.handled.lock().unwrap(),
        [
            "link_created:e-1",
            "consent_authorised:e-2",
            "consent_revoked:e-4",
            "consent_authorised:e-3"
        ]
    );
}

#[tokio::test]
async fn forged_stale_and_malformed_deliveries_are_refused_without_leaking() {
    let (base, app) = start(4096).await;
    let url = format!("{base}/events");
    let body = event("e-1", "link_created");
    let now = SystemTime::now();
    let cases: Vec<(&str, String, String, SystemTime, u16, &str)> = vec![
        // The signature of another body.
        (
            "tampered",
            body.replace("l-1", "l-2"),
            body.clone(),
            now,
            401,
            "signature_mismatch",
        ),
        // Parsed and re-serialized: the same JSON, other bytes.
        (
            "re-serialized",
            serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&body).unwrap())
                .unwrap(),
            body.clone(),
            now,
            401,
            "signature_mismatch",
        ),
        // A captured delivery replayed an hour later, its timestamp unchanged.
        (
            "stale",
            body.clone(),
            body.clone(),
            now - Duration::from_secs(3600),
            401,
            "timestamp_stale",
        ),
        // Authentic but not events.
        (
            "malformed",
            r#"[{"eventName": 42}]"#.to_owned(),
            r#"[{"eventName": 42}]"#.to_owned(),
            now,
            400,
            "invalid_payload",
        ),
        (
            "not JSON",
            "{".to_owned(),
            "{".to_owned(),
            now,
            400,
            "invalid_payload",
        ),
        (
            "too large",
            format!("[{}]", " ".repeat(5000)),
            format!("[{}]", " ".repeat(5000)),
            now,
            413,
            "body_too_large",
        ),
    ];
    for (name, sent, signed, at, status, code) in cases {
        let (answer_status, answer) = post_signed(&url, &sent, &signed, at).await;
        assert_eq!(answer_status, status, "{name}: {answer}");
        assert!(answer.contains(code), "{name}: {answer}");
        for leak in [SECRET, CPF, "l-1", "link_created", "42"] {
            assert!(!answer.contains(leak), "{name} leaks {leak}: {answer}");
        }
    }
    // No signature at all; a malformed one; no timestamp.
    let client = reqwest::Client::new();
    let answer = client.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert!(answer.text().await.unwrap().contains("signature_missing"));
    let answer = client
        .post(&url)
        .header(SIGNATURE_HEADER, "zz")
        .header(TIMESTAMP_HEADER, "1")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert!(answer.text().await.unwrap().contains("signature_malformed"));
    let [(name, signature), _] = headers_for(&Secret::new(SECRET), body.as_bytes(), now);
    let answer = client
        .post(&url)
        .header(name, signature)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert!(answer.text().await.unwrap().contains("timestamp_missing"));
    // Nothing refused reached the handler, and nothing refused was claimed.
    assert!(app.handled.lock().unwrap().is_empty());
    assert_eq!(post_signed(&url, &body, &body, now).await.0, 204);
}

#[tokio::test]
async fn reports_are_deduplicated_by_product_report_id() {
    let (base, app) = start(1 << 20).await;
    let url = format!("{base}/reports");
    let example = klavi_types::registry::message("pf-balance.product")
        .unwrap()
        .examples()
        .remove(0)
        .to_string();
    assert_eq!(
        post_signed(&url, &example, &example, SystemTime::now())
            .await
            .0,
        204
    );
    assert_eq!(
        post_signed(&url, &example, &example, SystemTime::now())
            .await
            .0,
        200
    );
    assert_eq!(app.handled.lock().unwrap().len(), 1);
    // Events are not a report.
    let body = event("e-9", "link_created");
    let (status, answer) = post_signed(&url, &body, &body, SystemTime::now()).await;
    assert_eq!(
        (status, answer.contains("invalid_payload")),
        (400, true),
        "{answer}"
    );
}
