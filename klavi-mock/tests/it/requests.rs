//! The mock answers a bad request as Klavi documents it, over real HTTP: each status of the
//! module documentation, with Klavi's error body, and a log that names no value.

use crate::common;

use std::time::Duration;

use klavi_mock::{Authorisation, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, MockConfig, MockKlavi};
use serde_json::{Value, json};

const CPF: &str = "28001238938";

struct Api {
    mock: MockKlavi,
    http: reqwest::Client,
}

impl Api {
    async fn start(config: MockConfig) -> Api {
        Api {
            mock: MockKlavi::start_with(config).await.unwrap(),
            http: reqwest::Client::new(),
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, Value) {
        let base_url = self.mock.base_url();
        let body = body.map(str::to_owned);
        common::call(&self.http, &base_url, method, path, token, body).await
    }

    async fn access_token(&self) -> String {
        let body =
            json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY}).to_string();
        let (status, answer) = self.call("POST", "/data/v1/auth", None, Some(&body)).await;
        assert_eq!(status, 200, "{answer}");
        answer["accessToken"].as_str().unwrap().to_owned()
    }

    async fn link(&self, access: &str) -> (String, String) {
        let body =
            json!({"personalTaxId": CPF, "redirectURL": "https://example.com/back"}).to_string();
        let (status, answer) = self
            .call("POST", "/data/v1/links", Some(access), Some(&body))
            .await;
        assert_eq!(status, 200, "{answer}");
        (
            answer["linkId"].as_str().unwrap().to_owned(),
            answer["linkToken"].as_str().unwrap().to_owned(),
        )
    }
}

fn consent_body(track: &str) -> String {
    json!({
        "externalTrackId": track, "personalTaxId": CPF, "institutionCode": "260",
        "redirectURL": "https://example.com/consent", "validityPeriod": 12
    })
    .to_string()
}

/// Klavi's error body: `{statusCode, error, message}`, the HTTP status in `statusCode`
/// unless a business code is given.
fn assert_error(answer: &Value, status_code: u64) {
    assert_eq!(answer["statusCode"], status_code, "{answer}");
    assert!(
        answer["error"].is_string() && answer["message"].is_string(),
        "{answer}"
    );
}

#[tokio::test]
async fn bad_requests_get_the_documented_status_and_body() {
    let api = Api::start(MockConfig {
        authorisation: Authorisation::Manual,
        ..MockConfig::default()
    })
    .await;
    let access = api.access_token().await;

    // 400: every violation by code and pointer, never the value.
    let body = json!({"personalTaxId": "280.012.389-39", "appLink": "myapp://x", "colour": "blue"})
        .to_string();
    let (status, answer) = api
        .call("POST", "/data/v1/links", Some(&access), Some(&body))
        .await;
    assert_eq!(status, 400);
    assert_error(&answer, 400);
    let message = answer["message"].as_str().unwrap();
    for expected in ["/personalTaxId", "/appRedirectURLKey", "/colour"] {
        assert!(message.contains(expected), "{message}");
    }
    assert!(
        !message.contains("28001238939") && !message.contains("blue"),
        "{message}"
    );
    // A query and a path parameter are checked too.
    let (status, answer) = api
        .call(
            "GET",
            "/data/v1/consents?personalTaxId=123",
            Some(&access),
            None,
        )
        .await;
    assert_eq!(
        (
            status,
            answer["message"]
                .as_str()
                .unwrap()
                .contains("/personalTaxId")
        ),
        (400, true)
    );
    let long = "c".repeat(37);
    let (status, _) = api
        .call(
            "GET",
            &format!("/data/v1/consents/{long}"),
            Some(&access),
            None,
        )
        .await;
    assert_eq!(status, 400);
    // A body over the limit: Klavi's error body too, not the framework's text.
    let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(3 << 20));
    let (status, answer) = api
        .call("POST", "/data/v1/links", Some(&access), Some(&huge))
        .await;
    assert_eq!(status, 413);
    assert_error(&answer, 413);
    // Values of the wrong JSON type, in the wrong place: every one listed.
    let body = json!({"personalTaxId": 28001238938_u64, "externalInfo": [], "productsCallbackURL": {"all": 1}}).to_string();
    let (status, answer) = api
        .call("POST", "/data/v1/links", Some(&access), Some(&body))
        .await;
    assert_eq!(status, 400);
    let message = answer["message"].as_str().unwrap();
    for expected in [
        "/personalTaxId",
        "/externalInfo",
        "/productsCallbackURL/all",
    ] {
        assert!(message.contains(expected), "{message}");
    }
    // Malformed JSON.
    let (status, answer) = api
        .call("POST", "/data/v1/links", Some(&access), Some("{"))
        .await;
    assert_eq!(status, 400);
    assert_error(&answer, 400);

    // 401: no token, an unknown one, wrong credentials.
    let (status, answer) = api
        .call(
            "GET",
            "/data/v1/consents?personalTaxId=28001238938",
            None,
            None,
        )
        .await;
    assert_eq!(status, 401);
    assert_error(&answer, 401);
    let (status, _) = api
        .call("GET", "/data/v1/refresh", Some("eyJforged"), None)
        .await;
    assert_eq!(status, 401);
    let wrong = json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": "nope"}).to_string();
    let (status, answer) = api.call("POST", "/data/v1/auth", None, Some(&wrong)).await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (401, Some("Invalid accessKey or secretKey"))
    );

    // 403: a valid token of the other kind.
    let (link_id, link_token) = api.link(&access).await;
    let (status, answer) = api
        .call("GET", "/data/v1/links/institutions", Some(&access), None)
        .await;
    assert_eq!(status, 403);
    assert_error(&answer, 403);
    let (status, _) = api
        .call("GET", "/data/v1/refresh", Some(&link_token), None)
        .await;
    assert_eq!(status, 403);

    // 404: an unknown consent, task, route; 405: a known path, another method. Each answers
    // the error body.
    for (method, path, token, expected) in [
        ("GET", "/data/v1/consents/nope", &access, 404),
        ("GET", "/data/v1/tasks/nope/status", &link_token, 404),
        ("GET", "/data/v1/nothing", &access, 404),
        ("PUT", "/data/v1/links", &access, 405),
    ] {
        let (status, answer) = api.call(method, path, Some(token), None).await;
        assert_eq!(status, expected, "{method} {path}");
        assert_error(&answer, expected.into());
    }

    // 409: an externalTrackId used before.
    let (status, created) = api
        .call(
            "POST",
            "/data/v1/consents",
            Some(&link_token),
            Some(&consent_body("t-1")),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let (status, _) = api
        .call(
            "POST",
            "/data/v1/consents",
            Some(&link_token),
            Some(&consent_body("t-1")),
        )
        .await;
    assert_eq!(status, 409);

    // 416 4001: no AUTHORISED consent yet (authorisation is manual here); then it is.
    let report = json!({"taxId": CPF, "linkId": link_id, "products": ["pf_balance"]}).to_string();
    let (status, answer) = api
        .call(
            "POST",
            "/data/v1/personal/user-data",
            Some(&access),
            Some(&report),
        )
        .await;
    assert_eq!(status, 416);
    assert_error(&answer, 4001);
    let consent_id = created["consentId"].as_str().unwrap();
    let (status, consent) = api
        .call(
            "GET",
            &format!("/data/v1/consents/{consent_id}"),
            Some(&access),
            None,
        )
        .await;
    assert_eq!(
        (status, consent["status"].as_str()),
        (200, Some("AWAITING_AUTHORISATION"))
    );
    api.mock.authorise_consent(consent_id).unwrap();
    assert_eq!(
        api.mock.authorise_consent(consent_id),
        Err((409, "the consent is not awaiting authorisation".to_owned()))
    );
    let (status, answer) = api
        .call(
            "POST",
            "/data/v1/personal/user-data",
            Some(&access),
            Some(&report),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    // 416 4002: a product not onboarded.
    let other =
        json!({"taxId": CPF, "linkId": link_id, "products": ["pf_not_a_product"]}).to_string();
    let (status, answer) = api
        .call(
            "POST",
            "/data/v1/personal/user-data",
            Some(&access),
            Some(&other),
        )
        .await;
    assert_eq!(status, 416);
    assert_error(&answer, 4002);

    // The log names endpoints, templates, statuses and violation codes, never a value.
    let log = format!("{:?}", api.mock.log());
    for value in [CPF, "28001238939", "blue", &link_token, &access, "nope"] {
        assert!(!log.contains(value), "the log shows {value}");
    }
    assert!(log.contains("/data/v1/consents/{consentId}"), "{log}");
}

#[tokio::test]
async fn tokens_expire() {
    let api = Api::start(MockConfig {
        token_lifetime: Duration::from_secs(1),
        link_lifetime: Duration::from_secs(1),
        ..MockConfig::default()
    })
    .await;
    let access = api.access_token().await;
    let (_, link_token) = api.link(&access).await;
    let (status, _) = api
        .call(
            "GET",
            "/data/v1/links/institutions",
            Some(&link_token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _) = api
        .call(
            "GET",
            "/data/v1/links/institutions",
            Some(&link_token),
            None,
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = api
        .call("GET", "/data/v1/refresh", Some(&access), None)
        .await;
    assert_eq!(status, 401);
    // The control route expires tokens at once.
    let access = api.access_token().await;
    let (status, _) = api.call("POST", "/mock/tokens/expire", None, None).await;
    assert_eq!(status, 200);
    let (status, _) = api
        .call("GET", "/data/v1/refresh", Some(&access), None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn random_faults_are_served_before_processing() {
    let api = Api::start(MockConfig {
        faults: klavi_mock::Faults {
            rate: 0.5,
            statuses: vec![429, 502],
            retry_after: 3,
            ..klavi_mock::Faults::default()
        },
        ..MockConfig::default()
    })
    .await;
    let body =
        json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY}).to_string();
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..200 {
        let response = api
            .http
            .post(format!("{}/data/v1/auth", api.mock.base_url()))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 429 {
            assert_eq!(response.headers()["retry-after"], "3");
        }
        *seen.entry(status).or_insert(0) += 1;
    }
    assert_eq!(
        seen.keys().copied().collect::<Vec<_>>(),
        [200, 429, 502],
        "{seen:?}"
    );
    // Only the answered requests issued tokens: a faulted request had no effect.
    let faulted = api.mock.log().iter().filter(|logged| logged.fault).count();
    assert_eq!(faulted, seen[&429] + seen[&502]);
    assert!(
        (60..140).contains(&faulted),
        "{faulted} faults in 200 at rate 0.5"
    );
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let mock = MockKlavi::start().await.unwrap();
    let url = format!("{}/data/v1/links/institutions", mock.base_url());
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 401);
    mock.shutdown().await;
    assert!(reqwest::get(&url).await.is_err());
}
