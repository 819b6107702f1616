//! The client against `klavi mock`, over real HTTP on loopback: the whole flow (token, link,
//! institutions, consent create/read/list/revoke, report request), then every fault the real
//! API can throw (expired token, 401, 429 with `Retry-After`, 5xx, random faults), and the
//! signed webhooks the mock delivers, verified by a receiver the test runs itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use klavi_types::consents::{
    ConsentPath, ConsentStatus, CreateConsent, CreateConsentRequest, GetConsent, GetConsentList,
    GetConsentListQuery, RevokeConsent,
};
use klavi_types::institutions::GetInstitutionList;
use klavi_types::links::{CreateLink, CreateLinkRequest};
use klavi_types::reports::{
    ProductReport, RequestPersonalUserReport, RequestPersonalUserReportRequest,
};
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier};
use klavi_types::webhooks::{EventName, WebhookEvents};
use klavi_types::{Empty, from_json_str};

use klavi_client::{ClientError, Config, Environment, KlaviClient};
use klavi_mock::{Fault, Faults, MockConfig, MockKlavi};

const ACCESS_KEY: &str = "partner-access-key";
const SECRET_KEY: &str = "partner-secret-key-7f3a";
const CPF: &str = "28001238938";
/// The event the receiver refuses once.
const LINK_CREATED: &[u8] = br#""link_created""#;

/// A verified webhook delivery.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    body: Vec<u8>,
}

/// The partner's webhook endpoint: verifies every delivery, refuses the first `link_created`
/// event with a 500 (so that the fake's redelivery is exercised), and keeps what it accepted.
///
/// Deliveries run concurrently, so "the first to arrive" is not always the link's event: the
/// refusal is tied to the event's content, not to arrival order.
#[derive(Default)]
struct Receiver {
    accepted: Mutex<Vec<Received>>,
    refused_first: AtomicBool,
    rejected_signatures: Mutex<usize>,
}

async fn start_receiver(receiver: Arc<Receiver>) -> String {
    async fn deliver(
        State(receiver): State<Arc<Receiver>>,
        uri: axum::http::Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let verifier =
            Verifier::new(Secret::new(SECRET_KEY)).with_tolerance(Duration::from_secs(300));
        let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        let Some(signature) = header(SIGNATURE_HEADER) else {
            return StatusCode::UNAUTHORIZED;
        };
        if verifier
            .verify(
                &body,
                signature,
                header(TIMESTAMP_HEADER),
                SystemTime::now(),
            )
            .is_err()
        {
            *receiver.rejected_signatures.lock().unwrap() += 1;
            return StatusCode::UNAUTHORIZED;
        }
        let is_link_created = body
            .windows(LINK_CREATED.len())
            .any(|window| window == LINK_CREATED);
        if is_link_created && !receiver.refused_first.swap(true, Ordering::SeqCst) {
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
        receiver.accepted.lock().unwrap().push(Received {
            path: uri.path().to_owned(),
            body: body.to_vec(),
        });
        StatusCode::NO_CONTENT
    }
    let app = Router::new()
        .route("/klavi/events", post(deliver))
        .route("/klavi/reports", post(deliver))
        .with_state(receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn client_config(fake: &MockKlavi) -> Config {
    let mut config = Config::new(
        Environment::Custom(fake.base_url()),
        Secret::new(ACCESS_KEY),
        Secret::new(SECRET_KEY),
    );
    // Fast backoff keeps the test quick; Retry-After is still honoured as sent.
    config.base_backoff = Duration::from_millis(5);
    config.max_backoff = Duration::from_millis(50);
    config.refresh_margin = Duration::from_secs(0);
    config
}

async fn fake(webhook_url: Option<String>, faults: Option<Faults>) -> MockKlavi {
    MockKlavi::start_with(MockConfig {
        access_key: Secret::new(ACCESS_KEY),
        secret_key: Secret::new(SECRET_KEY),
        token_lifetime: Duration::from_secs(1800),
        webhook_url,
        // What "all" stands for: one product, one report.
        products: vec!["pf_categorized_checking_l3".to_owned()],
        faults: faults.unwrap_or_default(),
        ..MockConfig::default()
    })
    .await
    .expect("a loopback port")
}

fn link_request(webhooks: &str) -> CreateLinkRequest {
    from_json_str(&format!(
        r#"{{"personalTaxId": "280.012.389-38", "email": "maria.silva@example.com",
            "phone": "+55 11 91234-5678", "institutionCode": "260",
            "redirectURL": "https://www.yourdomain.com/klavi/return",
            "productsCallbackURL": {{"all": "{webhooks}/klavi/reports"}},
            "externalInfo": {{"myTraceId": "trace-1"}}}}"#
    ))
    .expect("a valid link request")
}

/// The consent-list query by the test's CPF, typed masked as a user would.
fn by_cpf() -> GetConsentListQuery {
    let mut query = GetConsentListQuery::new();
    query.personal_tax_id = Some(klavi_types::tax_id::Cpf::parse("280.012.389-38").unwrap());
    query
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn events(receiver: &Receiver) -> Vec<EventName> {
    receiver
        .accepted
        .lock()
        .unwrap()
        .iter()
        .filter(|received| received.path == "/klavi/events")
        .flat_map(|received| {
            serde_json::from_slice::<WebhookEvents>(&received.body)
                .expect("an event delivery decodes")
                .0
                .into_iter()
                .map(|event| event.event_name)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_flow_with_signed_webhooks() {
    let receiver = Arc::new(Receiver::default());
    let webhooks = start_receiver(Arc::clone(&receiver)).await;
    let fake = fake(Some(format!("{webhooks}/klavi/events")), None).await;
    let client = KlaviClient::new(client_config(&fake)).unwrap();

    // An invalid request never leaves the process, and its error names no personal value.
    let mut invalid = link_request(&webhooks);
    invalid.app_link = Some(serde_json::from_str(r#""myapp://klavi/return""#).unwrap());
    let Err(ClientError::Invalid { errors, .. }) =
        client.send::<CreateLink>(&Empty, &Empty, &invalid).await
    else {
        panic!("an appLink without appRedirectURLKey must be refused before sending");
    };
    assert_eq!(
        errors.iter().next().map(|violation| violation.pointer()),
        Some("/appRedirectURLKey")
    );
    assert!(!errors.to_string().contains(CPF));
    assert!(
        fake.log().is_empty(),
        "nothing reached the server: {:?}",
        fake.log()
    );

    // Link, institutions, consent.
    let link = client
        .send::<CreateLink>(&Empty, &Empty, &link_request(&webhooks))
        .await
        .unwrap();
    let institutions = client
        .send_with_link_token::<GetInstitutionList>(&link.link_token, &Empty, &Empty, &Empty)
        .await
        .unwrap();
    assert_eq!(institutions.len(), 2);
    let Err(ClientError::NeedsLinkToken { .. }) = client
        .send::<GetInstitutionList>(&Empty, &Empty, &Empty)
        .await
    else {
        panic!("a link-token endpoint needs the link token");
    };
    let consent_request: CreateConsentRequest = from_json_str(
        r#"{"externalTrackId": "track-1", "personalTaxId": "28001238938",
            "institutionCode": "260", "redirectURL": "https://www.yourdomain.com/klavi/consent",
            "validityPeriod": 12}"#,
    )
    .unwrap();
    let created = client
        .send_with_link_token::<CreateConsent>(&link.link_token, &Empty, &Empty, &consent_request)
        .await
        .unwrap();
    let path = ConsentPath::new(created.consent_id.clone());
    let consent = client
        .send::<GetConsent>(&path, &Empty, &Empty)
        .await
        .unwrap();
    assert_eq!(consent.status, ConsentStatus::Authorised);
    assert_eq!(consent.link_id, link.link_id);
    assert_eq!(consent.personal_tax_id.as_received(), CPF);

    // List by CPF (sent masked in the query, as the user typed it).
    let query = by_cpf();
    let listed = client
        .send::<GetConsentList>(&Empty, &query, &Empty)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);

    // A report, delivered to the link's productsCallbackURL.
    let report_request: RequestPersonalUserReportRequest = from_json_str(&format!(
        r#"{{"taxId": "{CPF}", "linkId": "{}", "products": ["all"]}}"#,
        link.link_id
    ))
    .unwrap();
    let requested = client
        .send::<RequestPersonalUserReport>(&Empty, &Empty, &report_request)
        .await
        .unwrap();

    // Revoke, then read it back.
    let revoked = client
        .send::<RevokeConsent>(&path, &Empty, &Empty)
        .await
        .unwrap();
    assert_eq!(revoked.message, "ok");
    let consent = client
        .send::<GetConsent>(&path, &Empty, &Empty)
        .await
        .unwrap();
    assert_eq!(consent.status, ConsentStatus::Revoked);

    // One authentication for the whole flow; no retries; the server never saw a 4xx.
    assert_eq!(client.stats().authentications.load(Ordering::Relaxed), 1);
    assert_eq!(client.stats().retries.load(Ordering::Relaxed), 0);
    assert!(
        fake.log().iter().all(|logged| logged.status == 200),
        "{:?}",
        fake.log()
    );

    // The webhooks: five events and a report, each verified; the link's event was refused
    // once and redelivered.
    wait_for("five events and a report", || {
        receiver.accepted.lock().unwrap().len() == 6
    })
    .await;
    let mut names = events(&receiver);
    names.sort_by_key(|name| name.to_string());
    assert_eq!(
        names,
        [
            EventName::ConsentAuthorised,
            EventName::ConsentRevoked,
            EventName::LinkCreated,
            EventName::ProductGeneratedSuccess,
            EventName::ProductRequestReceived,
        ]
    );
    let accepted = receiver.accepted.lock().unwrap().clone();
    let report = accepted
        .iter()
        .find(|received| received.path == "/klavi/reports")
        .expect("the product report");
    let report: ProductReport = serde_json::from_slice(&report.body).unwrap();
    assert_eq!(report.request_id, requested.request_id);
    assert_eq!(report.enquiry_cpf.as_received(), CPF);
    // The receiver accepts a webhook before the server's delivery task records the 204: wait
    // for every delivery to have its final status, or this races (seen once under load).
    wait_for("every delivery's final status", || {
        fake.deliveries().iter().all(|delivery| {
            delivery
                .statuses
                .last()
                .is_some_and(|status| status.is_some_and(|code| (200..300).contains(&code)))
        })
    })
    .await;
    let deliveries = fake.deliveries();
    let targets: Vec<_> = deliveries
        .iter()
        .map(|delivery| (delivery.kind, delivery.url.trim_start_matches(&webhooks)))
        .collect();
    assert_eq!(
        targets,
        [
            ("event", "/klavi/events"),
            ("event", "/klavi/events"),
            ("event", "/klavi/events"),
            ("report", "/klavi/reports"),
            ("event", "/klavi/events"),
            ("event", "/klavi/events"),
        ]
    );
    assert_eq!(deliveries[0].statuses, [Some(500), Some(204)]);
    assert!(
        deliveries[1..]
            .iter()
            .all(|delivery| delivery.statuses == [Some(204)])
    );
    assert_eq!(*receiver.rejected_signatures.lock().unwrap(), 0);

    // A forged delivery (the right signature of another body) is refused by the receiver.
    let body = br#"[{"eventName":"consent_revoked","eventTime":"2026-01-01T00:00:00Z"}]"#;
    let other = br#"[{"eventName":"link_created","eventTime":"2026-01-01T00:00:00Z"}]"#;
    let headers = klavi_types::webhook_signature::headers_for(
        &Secret::new(SECRET_KEY),
        other,
        SystemTime::now(),
    );
    let mut forged = reqwest::Client::new()
        .post(format!("{webhooks}/klavi/events"))
        .body(body.to_vec());
    for (name, value) in headers {
        forged = forged.header(name, value);
    }
    assert_eq!(forged.send().await.unwrap().status().as_u16(), 401);
    assert_eq!(*receiver.rejected_signatures.lock().unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_refreshed_renewed_and_replaced() {
    let fake = fake(None, None).await;
    let mut config = client_config(&fake);
    config.refresh_margin = Duration::from_secs(60);
    let client = KlaviClient::new(config).unwrap();
    let everything = by_cpf();
    let list = || client.send::<GetConsentList>(&Empty, &everything, &Empty);

    // A token due for its refresh (less than the margin left, or, for a token shorter than
    // twice the margin, half its life gone) is refreshed before use, once.
    fake.set_token_lifetime(Duration::from_secs(2));
    list().await.unwrap();
    list().await.unwrap();
    assert_eq!(client.stats().refreshes.load(Ordering::Relaxed), 0);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    list().await.unwrap();
    list().await.unwrap();
    assert_eq!(client.stats().authentications.load(Ordering::Relaxed), 1);
    assert_eq!(client.stats().refreshes.load(Ordering::Relaxed), 1);
    assert_eq!(fake.count("refresh-access-token", 200), 1);

    // A token the server expired early: one 401, a new token, the call repeated.
    fake.set_token_lifetime(Duration::from_secs(1800));
    list().await.unwrap();
    fake.expire_access_tokens();
    list().await.unwrap();
    assert_eq!(fake.count("get-consent-list", 401), 1);
    assert_eq!(client.stats().renewals_after_401.load(Ordering::Relaxed), 1);
    assert_eq!(client.stats().authentications.load(Ordering::Relaxed), 2);

    // A token past its expireIn: replaced through /auth before use (no 401, no refresh).
    fake.set_token_lifetime(Duration::from_secs(1));
    let fresh = KlaviClient::new(client_config(&fake)).unwrap();
    let list = || fresh.send::<GetConsentList>(&Empty, &everything, &Empty);
    list().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    list().await.unwrap();
    assert_eq!(fresh.stats().authentications.load(Ordering::Relaxed), 2);
    assert_eq!(fresh.stats().renewals_after_401.load(Ordering::Relaxed), 0);
    assert_eq!(fake.count("get-consent-list", 401), 1);

    // Wrong credentials: the documented 401 body, not retried.
    let mut wrong = client_config(&fake);
    wrong.secret_key = Secret::new("not-the-secret");
    let wrong = KlaviClient::new(wrong).unwrap();
    let error = wrong
        .send::<GetConsentList>(&Empty, &by_cpf(), &Empty)
        .await
        .unwrap_err();
    let ClientError::Api {
        status: 401,
        code: Some(code),
        ..
    } = &error
    else {
        panic!("expected the auth 401, got {error:?}");
    };
    assert_eq!(serde_json::to_value(code).unwrap(), 401);
    // The server's own words (`Invalid accessKey or secretKey`) are not kept.
    assert!(!format!("{error} {error:?}").contains("Invalid"));
    assert!(!format!("{error} {error:?}").contains("not-the-secret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_server_errors_are_retried_where_safe() {
    let fake = fake(None, None).await;
    let client = KlaviClient::new(client_config(&fake)).unwrap();
    let everything = by_cpf();
    let list = || client.send::<GetConsentList>(&Empty, &everything, &Empty);
    list().await.unwrap();

    // 429 with Retry-After: 1 is honoured as sent.
    fake.inject(
        "get-consent-list",
        [Fault::TooManyRequests { retry_after: 1 }],
    );
    let started = Instant::now();
    list().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));

    // GET: 500 and 503 are retried.
    fake.inject(
        "get-consent-list",
        [Fault::Internal, Fault::Unavailable, Fault::Internal],
    );
    list().await.unwrap();
    assert_eq!(client.stats().retries.load(Ordering::Relaxed), 4);

    // POST /links: 503 (not processed) is retried, 500 (maybe processed) is not.
    let request = link_request("http://127.0.0.1:9");
    fake.inject("create-link", [Fault::Unavailable]);
    client
        .send::<CreateLink>(&Empty, &Empty, &request)
        .await
        .unwrap();
    fake.inject("create-link", [Fault::Internal]);
    let error = client
        .send::<CreateLink>(&Empty, &Empty, &request)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ClientError::Api { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(fake.count("create-link", 200), 1);

    // Attempts run out: the last status is reported.
    fake.inject("get-consent-list", [Fault::Unavailable; 5]);
    let error = list().await.unwrap_err();
    assert!(
        matches!(error, ClientError::Api { status: 503, .. }),
        "{error:?}"
    );

    // A Retry-After longer than the client accepts fails at once with the 429.
    fake.inject(
        "get-consent-list",
        [Fault::TooManyRequests { retry_after: 3600 }],
    );
    let started = Instant::now();
    let error = list().await.unwrap_err();
    assert!(
        matches!(error, ClientError::Api { status: 429, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_faults_never_fail_a_call() {
    let fake = fake(
        None,
        Some(Faults {
            seed: 0x5eed_c0ff_ee15_900d,
            rate: 0.15,
            // A 500 on the link's POST would rightly not be retried.
            statuses: vec![429, 503],
            retry_after: 0,
            ..Faults::default()
        }),
    )
    .await;
    let mut config = client_config(&fake);
    config.max_attempts = 10;
    let client = KlaviClient::new(config).unwrap();
    let link = client
        .send::<CreateLink>(&Empty, &Empty, &link_request("http://127.0.0.1:9"))
        .await
        .unwrap();
    for round in 0..200 {
        let query = by_cpf();
        client
            .send::<GetConsentList>(&Empty, &query, &Empty)
            .await
            .unwrap_or_else(|error| panic!("round {round}: {error}"));
        client
            .send_with_link_token::<GetInstitutionList>(&link.link_token, &Empty, &Empty, &Empty)
            .await
            .unwrap_or_else(|error| panic!("round {round}: {error}"));
    }
    let faults = fake
        .log()
        .iter()
        .filter(|logged| [429, 500, 503].contains(&logged.status))
        .count();
    assert!(faults > 20, "only {faults} faults in 400 calls");
    assert_eq!(
        client.stats().retries.load(Ordering::Relaxed),
        u64::try_from(faults).unwrap()
    );
}
