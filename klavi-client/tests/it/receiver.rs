//! The axum receiver against deliveries a real network sends, one replica: the delivery
//! contract (an event done only when its handler succeeds; failures, panics, time-outs and
//! hang-ups leave it to a redelivery; a redelivery during processing is retryable), events
//! without an id, batches, and the deliveries it refuses (forged, stale, malformed, oversized,
//! slow) with the right status, before reading the body where the headers settle it, and with
//! an answer that leaks nothing.
#![cfg(feature = "axum")]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::routing::post;
use klavi_client::receiver::WebhookReceiver;
use klavi_types::reports::ProductReport;
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, headers_for};
use klavi_types::webhooks::Event;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "partner-secret-key-7f3a";
const CPF: &str = "28001238938";

/// What the handler does with the next delivery of an event id (then `Ok`).
#[derive(Debug, Clone, Copy)]
enum Act {
    Fail,
    Panic,
    Sleep(Duration),
}

/// The partner's handler: records each event it completes, in order, and follows its plan.
#[derive(Clone, Default)]
struct Partner {
    handled: Arc<Mutex<Vec<String>>>,
    plan: Arc<Mutex<HashMap<String, VecDeque<Act>>>>,
}

#[derive(Debug)]
struct Failed;

impl Partner {
    fn plan(&self, id: &str, acts: &[Act]) {
        self.plan
            .lock()
            .unwrap()
            .insert(id.to_owned(), acts.iter().copied().collect());
    }

    fn handled(&self) -> Vec<String> {
        self.handled.lock().unwrap().clone()
    }

    async fn handle(self, name: String, id: String) -> Result<(), Failed> {
        let act = self
            .plan
            .lock()
            .unwrap()
            .get_mut(&id)
            .and_then(VecDeque::pop_front);
        match act {
            Some(Act::Fail) => return Err(Failed),
            Some(Act::Panic) => panic!("the partner's handler panics"),
            Some(Act::Sleep(pause)) => tokio::time::sleep(pause).await,
            None => {}
        }
        self.handled.lock().unwrap().push(format!("{name}:{id}"));
        Ok(())
    }
}

async fn start(receiver: WebhookReceiver) -> (String, Partner) {
    let partner = Partner::default();
    let events = partner.clone();
    let reports = partner.clone();
    let router = Router::new()
        .route(
            "/events",
            post(receiver.events(move |event: Event| {
                let id = event.event_id.clone().unwrap_or_else(|| "-".to_owned());
                events.clone().handle(event.event_name.to_string(), id)
            })),
        )
        .route(
            "/reports",
            post(receiver.reports(move |report: ProductReport| {
                reports
                    .clone()
                    .handle("report".to_owned(), report.product_report_id.clone())
            })),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), partner)
}

fn receiver() -> WebhookReceiver {
    WebhookReceiver::new(Secret::new(SECRET)).with_tolerance(Duration::from_secs(300))
}

fn event_object(id: Option<&str>, name: &str) -> String {
    let id = id.map_or(String::new(), |id| format!(r#""eventId": "{id}", "#));
    format!(
        r#"{{"partnerAppId": "12345678", {id}"eventType": "api", "eventName": "{name}",
             "eventTime": "2026-12-04T10:00:00.000Z",
             "payload": {{"personalTaxId": "{CPF}", "businessTaxId": "", "linkId": "l-1"}}}}"#
    )
}

fn event(id: &str, name: &str) -> String {
    format!("[{}]", event_object(Some(id), name))
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

async fn deliver(url: &str, body: &str) -> (u16, String) {
    post_signed(url, body, body, SystemTime::now()).await
}

fn answer(processed: usize, duplicates: usize) -> String {
    format!(r#"{{"status":"processed","processed":{processed},"duplicates":{duplicates}}}"#)
}

#[tokio::test]
async fn an_event_is_done_only_when_its_handler_succeeds() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/events");
    let now = SystemTime::now();

    let first = event("e-1", "link_created");
    assert_eq!(deliver(&url, &first).await, (200, answer(1, 0)));
    // Klavi's redelivery, and a replay with a fresh timestamp: acknowledged, not handled.
    let later = now + Duration::from_secs(60);
    assert_eq!(
        post_signed(&url, &first, &first, later).await,
        (200, answer(0, 1))
    );

    // A handler that fails, then one that panics: each leaves the event to the redelivery.
    partner.plan("e-2", &[Act::Fail, Act::Panic]);
    let second = event("e-2", "consent_authorised");
    let (status, body) = deliver(&url, &second).await;
    assert_eq!(
        (status, body.contains("handler_failed")),
        (500, true),
        "{body}"
    );
    let (status, body) = deliver(&url, &second).await;
    assert_eq!(
        (status, body.contains("handler_panicked")),
        (500, true),
        "{body}"
    );
    assert_eq!(deliver(&url, &second).await, (200, answer(1, 0)));
    assert_eq!(deliver(&url, &second).await, (200, answer(0, 1)));

    // Out of order: a revocation before the authorisation it follows; both handled, as sent.
    assert_eq!(deliver(&url, &event("e-4", "consent_revoked")).await.0, 200);
    assert_eq!(
        deliver(&url, &event("e-3", "consent_authorised")).await.0,
        200
    );
    assert_eq!(
        partner.handled(),
        [
            "link_created:e-1",
            "consent_authorised:e-2",
            "consent_revoked:e-4",
            "consent_authorised:e-3"
        ]
    );
}

#[tokio::test]
async fn a_redelivery_during_processing_is_retryable_and_a_hang_up_stops_nothing() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/events");
    partner.plan("e-5", &[Act::Sleep(Duration::from_millis(1500))]);
    let body = event("e-5", "link_created");

    // The sender gives up after 300 ms (Klavi after 10 s) and hangs up.
    let mut request = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
        .post(&url)
        .body(body.clone());
    for (name, value) in headers_for(&Secret::new(SECRET), body.as_bytes(), SystemTime::now()) {
        request = request.header(name, value);
    }
    assert!(request.send().await.unwrap_err().is_timeout());

    // Its redelivery finds the event in progress: retryable, not acknowledged.
    let response = {
        let mut request = reqwest::Client::new().post(&url).body(body.clone());
        for (name, value) in headers_for(&Secret::new(SECRET), body.as_bytes(), SystemTime::now()) {
            request = request.header(name, value);
        }
        request.send().await.unwrap()
    };
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    assert!(response.text().await.unwrap().contains("in_progress"));
    assert!(partner.handled().is_empty());

    // The handler went on without the sender and finished: the next redelivery is done.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(partner.handled(), ["link_created:e-5"]);
    assert_eq!(deliver(&url, &body).await, (200, answer(0, 1)));
}

#[tokio::test]
async fn a_handler_past_its_lease_is_stopped_and_the_event_handled_again() {
    let (base, partner) = start(receiver().with_lease(Duration::from_secs(1))).await;
    let url = format!("{base}/events");
    partner.plan("e-6", &[Act::Sleep(Duration::from_secs(30))]);
    let body = event("e-6", "link_created");
    let started = Instant::now();
    let (status, answer_body) = deliver(&url, &body).await;
    // Four fifths of the lease, then stopped and released.
    assert_eq!(status, 503, "{answer_body}");
    assert!(answer_body.contains("handler_timeout"), "{answer_body}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(deliver(&url, &body).await, (200, answer(1, 0)));
    assert_eq!(partner.handled(), ["link_created:e-6"]);
}

#[tokio::test]
async fn an_event_without_an_id_is_keyed_by_its_signed_bytes() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/events");
    let body = format!("[{}]", event_object(None, "link_created"));
    // Replayed three times with fresh timestamps: handled once.
    for (round, expected) in [answer(1, 0), answer(0, 1), answer(0, 1)]
        .into_iter()
        .enumerate()
    {
        let at = SystemTime::now() + Duration::from_secs(round as u64);
        assert_eq!(post_signed(&url, &body, &body, at).await, (200, expected));
    }
    // Another event without an id (other bytes) is another key.
    let other = body.replace("10:00:00.000Z", "10:00:01.000Z");
    assert_eq!(deliver(&url, &other).await, (200, answer(1, 0)));
    assert_eq!(partner.handled(), ["link_created:-", "link_created:-"]);
}

#[tokio::test]
async fn a_batch_stops_at_its_first_failure_and_its_redelivery_skips_what_was_done() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/events");
    partner.plan("b-2", &[Act::Fail]);
    let batch = format!(
        "[{}, {}, {}]",
        event_object(Some("b-1"), "link_created"),
        event_object(Some("b-2"), "consent_authorised"),
        event_object(Some("b-3"), "consent_revoked")
    );
    let (status, body) = deliver(&url, &batch).await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        r#"{"error":"handler_failed","processed":1,"duplicates":0}"#
    );
    assert_eq!(deliver(&url, &batch).await, (200, answer(2, 1)));
    assert_eq!(
        partner.handled(),
        [
            "link_created:b-1",
            "consent_authorised:b-2",
            "consent_revoked:b-3"
        ]
    );
    // One malformed event refuses the whole batch before any is handled.
    let broken = format!(
        "[{}, {{\"eventName\": 42}}]",
        event_object(Some("b-4"), "link_created")
    );
    let (status, body) = deliver(&url, &broken).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(r#""pointer":"/1/eventName""#), "{body}");
    assert_eq!(partner.handled().len(), 3);
}

#[tokio::test]
async fn a_member_repeated_anywhere_in_an_event_refuses_the_delivery() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/events");
    let payload = event("r-1", "link_created")
        .replace(r#""linkId": "l-1""#, r#""linkId": "l-1", "linkId": "l-2""#);
    let external = format!(
        "[{}]",
        event_object(Some("r-2"), "link_created")
            .replace("}}", r#"}, "externalInfo": {"a": {"b": 1, "b": 2}}}"#)
    );
    for (body, pointer) in [
        (payload, "/0/payload/linkId"),
        (external, "/0/externalInfo/a/b"),
    ] {
        let (status, answer) = deliver(&url, &body).await;
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer.contains(&format!(r#""pointer":"{pointer}""#)),
            "{answer}"
        );
        assert!(!answer.contains("l-2"), "{answer}");
    }
    assert!(partner.handled().is_empty());
}

#[tokio::test]
async fn forged_stale_and_malformed_deliveries_are_refused_without_leaking() {
    let (base, partner) = start(receiver().with_max_body(4096)).await;
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
        let (answer_status, answer_text) = post_signed(&url, &sent, &signed, at).await;
        assert_eq!(answer_status, status, "{name}: {answer_text}");
        assert!(answer_text.contains(code), "{name}: {answer_text}");
        for leak in [SECRET, CPF, "l-1", "link_created", "42"] {
            assert!(
                !answer_text.contains(leak),
                "{name} leaks {leak}: {answer_text}"
            );
        }
    }
    // No signature at all; a malformed one; no timestamp.
    let client = reqwest::Client::new();
    let refused = client.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("signature_missing"));
    let refused = client
        .post(&url)
        .header(SIGNATURE_HEADER, "zz")
        .header(TIMESTAMP_HEADER, "1")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("signature_malformed")
    );
    let [(name, signature), _] = headers_for(&Secret::new(SECRET), body.as_bytes(), now);
    let refused = client
        .post(&url)
        .header(name, signature)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("timestamp_missing"));
    // Nothing refused reached the handler, and nothing refused was claimed.
    assert!(partner.handled().is_empty());
    assert_eq!(deliver(&url, &body).await, (200, answer(1, 0)));
}

/// Sends `head` (the request line and headers, without the blank line), then each part of
/// the body after its pause, and returns the answer's status and how long it took; `None`
/// when the connection closes without an answer.
async fn raw(address: &str, head: &str, parts: &[(Duration, &[u8])]) -> (Option<u16>, Duration) {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    for (pause, part) in parts {
        let mut buffer = [0u8; 512];
        // The server may answer before the body is sent: stop sending then.
        if let Ok(Ok(read)) = tokio::time::timeout(*pause, stream.read(&mut buffer)).await {
            answer.extend_from_slice(&buffer[..read]);
            break;
        }
        if stream.write_all(part).await.is_err() {
            break;
        }
    }
    if answer.is_empty() {
        let _ =
            tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    }
    let status = std::str::from_utf8(&answer)
        .ok()
        .and_then(|text| text.split(' ').nth(1))
        .and_then(|code| code.parse().ok());
    (status, started.elapsed())
}

fn head(address: &str, length: usize, signature: &str, timestamp: u64) -> String {
    format!(
        "POST /events HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {length}\r\n{SIGNATURE_HEADER}: {signature}\r\n{TIMESTAMP_HEADER}: {timestamp}"
    )
}

#[tokio::test]
async fn what_the_headers_settle_is_refused_before_the_body_is_read() {
    let receiver = receiver()
        .with_max_body(64 << 10)
        .with_body_timeout(Duration::from_secs(1))
        .with_body_budget(128 << 10);
    let (base, partner) = start(receiver).await;
    let address = base.trim_start_matches("http://").to_owned();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let digest = "ab".repeat(32);
    // A body that would take 10 s to arrive: only a refusal before reading it is quick.
    let slow: Vec<(Duration, &[u8])> = vec![(Duration::from_secs(10), b"[")];
    let quick = Duration::from_secs(3);

    for (name, head, status) in [
        ("malformed signature", head(&address, 1000, "zz", now), 401),
        (
            "stale timestamp",
            head(&address, 1000, &digest, now - 3600),
            401,
        ),
        (
            "declared too large",
            head(&address, 1 << 20, &digest, now),
            413,
        ),
    ] {
        let (answer, took) = raw(&address, &head, &slow).await;
        assert_eq!(answer, Some(status), "{name}");
        assert!(took < quick, "{name} took {took:?}");
    }

    // A trickled body: cut off at the body timeout.
    let (answer, took) = raw(&address, &head(&address, 1000, &digest, now), &slow).await;
    assert_eq!(answer, Some(408));
    assert!(took < quick, "the trickle took {took:?}");

    // Two bodies of 64 KiB being trickled hold the whole 128 KiB budget: a third waits a
    // quarter of a second, then is turned away, and the budget is back once they end.
    let holders: Vec<_> = (0..2)
        .map(|_| {
            let address = address.clone();
            let head = head(&address, 64 << 10, &digest, now);
            tokio::spawn(
                async move { raw(&address, &head, &[(Duration::from_secs(10), b"[")]).await },
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (answer, _) = raw(&address, &head(&address, 1000, &digest, now), &slow).await;
    assert_eq!(answer, Some(503));
    for holder in holders {
        assert_eq!(holder.await.unwrap().0, Some(408));
    }
    assert_eq!(
        deliver(&format!("{base}/events"), &event("e-7", "link_created"))
            .await
            .0,
        200
    );
    assert_eq!(partner.handled(), ["link_created:e-7"]);
}

#[tokio::test]
async fn reports_are_deduplicated_by_product_report_id() {
    let (base, partner) = start(receiver()).await;
    let url = format!("{base}/reports");
    let example = klavi_types::registry::message("pf-balance.product")
        .unwrap()
        .examples()
        .remove(0)
        .to_string();
    assert_eq!(deliver(&url, &example).await, (200, answer(1, 0)));
    assert_eq!(deliver(&url, &example).await, (200, answer(0, 1)));
    assert_eq!(partner.handled().len(), 1);
    // Events are not a report.
    let body = event("e-9", "link_created");
    let (status, answer) = deliver(&url, &body).await;
    assert_eq!(
        (status, answer.contains("invalid_payload")),
        (400, true),
        "{answer}"
    );
}
