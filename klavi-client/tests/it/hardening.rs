//! The client against a hostile or broken server, and against its own extreme settings: values
//! the schema accepts that once panicked (`expireIn` of `u64::MAX` seconds, as a number or a
//! string; `Duration::MAX` deadlines with a huge `Retry-After`), refused keys under 1,000
//! concurrent calls (one `POST /auth`, not a storm), a token shorter than the refresh margin
//! (refreshed once, not per call), and error bodies that echo personal data and secrets (never
//! in an error's `Display` or `Debug`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use klavi_client::{ClientError, Config, Environment, KlaviClient};
use klavi_types::consents::ConsentPath;
use klavi_types::secret::Secret;

const ACCESS_KEY: &str = "hostile-access-key-1";
const SECRET_KEY: &str = "hostile-secret-key-2";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.the-token";
const CPF: &str = "52998224725";
const EMAIL: &str = "joao.souza@example.com";

/// What the fake answers.
#[derive(Clone)]
struct Script {
    /// `POST /auth`: `Some(expireIn as JSON)` for a token, `None` for `401`.
    auth: Option<serde_json::Value>,
    /// `GET /consents/{id}`: `None` for the documented example, or a status and a body.
    consent: Option<(u16, String, Option<&'static str>)>,
}

#[derive(Clone)]
struct Fake {
    script: Arc<Mutex<Script>>,
    auths: Arc<AtomicUsize>,
    refreshes: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

fn echo_body(status: u16) -> String {
    serde_json::json!({
        "statusCode": status,
        "error": format!("cpf {CPF} e-mail {EMAIL} phone +55 11 91234-5678"),
        "message": format!("Bearer {TOKEN} accessKey {ACCESS_KEY} secretKey {SECRET_KEY}"),
    })
    .to_string()
}

impl Fake {
    async fn start(script: Script) -> (Fake, String) {
        let fake = Fake {
            script: Arc::new(Mutex::new(script)),
            auths: Arc::default(),
            refreshes: Arc::default(),
            calls: Arc::default(),
        };
        let (auth, refresh, consent) = (fake.clone(), fake.clone(), fake.clone());
        let app = Router::new()
            .route(
                "/data/v1/auth",
                post(move || {
                    let fake = auth.clone();
                    async move {
                        fake.auths.fetch_add(1, Ordering::SeqCst);
                        fake.token_answer()
                    }
                }),
            )
            .route(
                "/data/v1/refresh",
                get(move || {
                    let fake = refresh.clone();
                    async move {
                        fake.refreshes.fetch_add(1, Ordering::SeqCst);
                        fake.token_answer()
                    }
                }),
            )
            .route(
                "/data/v1/consents/{id}",
                get(move || {
                    let fake = consent.clone();
                    async move {
                        fake.calls.fetch_add(1, Ordering::SeqCst);
                        match fake.script.lock().unwrap().consent.clone() {
                            Some((status, body, retry_after)) => json(status, body, retry_after),
                            None => json(200, consent_example(), None),
                        }
                    }
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, url)
    }
}

impl Fake {
    /// `POST /auth` and `GET /refresh`: a token with the script's `expireIn`, or `401` with an
    /// echo of the keys.
    fn token_answer(&self) -> Response {
        match self.script.lock().unwrap().auth.clone() {
            Some(expire_in) => json(
                200,
                serde_json::json!({"accessToken": TOKEN, "expireIn": expire_in}).to_string(),
                None,
            ),
            None => json(401, echo_body(401), None),
        }
    }
}

fn consent_example() -> String {
    klavi_types::registry::message("get-consent.response")
        .unwrap()
        .examples()
        .remove(0)
        .to_string()
}

fn json(status: u16, body: String, retry_after: Option<&'static str>) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        body,
    )
        .into_response();
    if let Some(retry_after) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", retry_after.parse().unwrap());
    }
    response
}

fn config(url: &str) -> Config {
    let mut config = Config::new(
        Environment::Custom(url.to_owned()),
        Secret::new(ACCESS_KEY),
        Secret::new(SECRET_KEY),
    );
    config.base_backoff = Duration::from_millis(5);
    config.max_backoff = Duration::from_millis(50);
    config
}

fn consent() -> ConsentPath {
    ConsentPath::new("ac246093-353b-4310-bd9c-c6ce0b278de8".to_owned())
}

#[tokio::test]
async fn an_expire_in_of_any_size_is_a_long_token_not_a_panic() {
    for expire_in in [
        serde_json::json!(18_446_744_073_709_551_615_u64),
        serde_json::json!("9999999999999999999"),
    ] {
        let (fake, url) = Fake::start(Script {
            auth: Some(expire_in.clone()),
            consent: None,
        })
        .await;
        let client = KlaviClient::new(config(&url)).unwrap();
        for _ in 0..3 {
            client.get_consent(&consent()).await.unwrap();
        }
        assert_eq!(fake.auths.load(Ordering::SeqCst), 1, "{expire_in}");
        assert_eq!(fake.refreshes.load(Ordering::SeqCst), 0, "{expire_in}");
        assert!(client.refresh().await.is_ok(), "{expire_in}");
    }
}

#[tokio::test]
async fn durations_of_any_size_never_panic() {
    let (fake, url) = Fake::start(Script {
        auth: Some(serde_json::json!(1800)),
        consent: Some((429, echo_body(429), Some("99999999999999999999"))),
    })
    .await;
    let mut config = config(&url);
    config.deadline = Duration::MAX;
    config.request_timeout = Duration::MAX;
    config.max_retry_after = Duration::MAX;
    config.max_backoff = Duration::MAX;
    config.refresh_margin = Duration::MAX;
    let client = KlaviClient::new(config).unwrap();
    let started = Instant::now();
    // A wait past any deadline is not waited: the call ends with the 429.
    let error = client.get_consent(&consent()).await.unwrap_err();
    assert_eq!(error.status(), Some(429), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A margin longer than the token: refreshed at half its life, not before every call.
    fake.script.lock().unwrap().consent = None;
    for _ in 0..5 {
        client.get_consent(&consent()).await.unwrap();
    }
    assert_eq!(fake.refreshes.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_keys_under_load_cost_one_auth_not_a_storm() {
    let (fake, url) = Fake::start(Script {
        auth: Some(serde_json::json!(1)),
        consent: None,
    })
    .await;
    let mut config = config(&url);
    config.base_backoff = Duration::from_millis(300);
    config.max_backoff = Duration::from_secs(1);
    let client = Arc::new(KlaviClient::new(config).unwrap());
    client.get_consent(&consent()).await.unwrap();
    // The keys are revoked, and the one-second token expires.
    fake.script.lock().unwrap().auth = None;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (auths, refreshes) = (
        fake.auths.load(Ordering::SeqCst),
        fake.refreshes.load(Ordering::SeqCst),
    );
    let calls: Vec<_> = (0..1_000)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { client.get_consent(&consent()).await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert_eq!(error.status(), Some(401), "{error:?}");
        assert_eq!(error.endpoint(), "generate-access-token");
    }
    let storm_auths = fake.auths.load(Ordering::SeqCst) - auths;
    let storm_refreshes = fake.refreshes.load(Ordering::SeqCst) - refreshes;
    eprintln!(
        "hardening: 1,000 concurrent calls with refused keys: {storm_auths} POST /auth, {storm_refreshes} GET /refresh"
    );
    assert_eq!((storm_auths, storm_refreshes), (1, 0));
    // After the backoff, the next call tries again (once).
    tokio::time::sleep(Duration::from_millis(400)).await;
    fake.script.lock().unwrap().auth = Some(serde_json::json!(1800));
    client.get_consent(&consent()).await.unwrap();
    assert_eq!(fake.auths.load(Ordering::SeqCst) - auths, 2);
}

#[tokio::test]
async fn a_token_shorter_than_the_margin_is_refreshed_once_not_per_call() {
    let (fake, url) = Fake::start(Script {
        auth: Some(serde_json::json!(2)),
        consent: None,
    })
    .await;
    let mut config = config(&url);
    config.refresh_margin = Duration::from_secs(60);
    let client = KlaviClient::new(config).unwrap();
    for _ in 0..20 {
        client.get_consent(&consent()).await.unwrap();
    }
    assert_eq!(fake.refreshes.load(Ordering::SeqCst), 0);
    // Half its life gone: refreshed once, by the first call that needs it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for _ in 0..20 {
        client.get_consent(&consent()).await.unwrap();
    }
    assert_eq!(fake.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(fake.auths.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn no_text_of_the_server_reaches_an_error() {
    let (fake, url) = Fake::start(Script {
        auth: Some(serde_json::json!(1800)),
        consent: None,
    })
    .await;
    let client = KlaviClient::new(config(&url)).unwrap();
    let secrets = [CPF, EMAIL, "91234", TOKEN, ACCESS_KEY, SECRET_KEY, "Bearer"];
    for status in [400, 404, 409, 416, 500] {
        fake.script.lock().unwrap().consent = Some((status, echo_body(status), None));
        let error = client.get_consent(&consent()).await.unwrap_err();
        assert_eq!(error.status(), Some(status));
        let shown = format!("{error} {error:?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "{status} shows {secret}: {shown}");
        }
        // A program still gets the status and the code.
        assert!(shown.contains(&status.to_string()), "{shown}");
    }
    // A `statusCode` that is no code (a tax id echoed as a number) is not kept either.
    fake.script.lock().unwrap().consent = Some((
        400,
        format!(r#"{{"statusCode": {CPF}, "error": "x", "message": "y"}}"#),
        None,
    ));
    let error = client.get_consent(&consent()).await.unwrap_err();
    assert!(
        matches!(error, ClientError::Api { code: None, .. }),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(CPF));
    // Refused keys: the auth error hides the echo too.
    fake.script.lock().unwrap().auth = None;
    let client = KlaviClient::new(config(&url)).unwrap();
    let error = client.get_consent(&consent()).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "auth shows {secret}: {shown}");
    }
}

/// Set in the child process of [`credentials_never_go_to_a_proxy_in_clear`].
const PROXY_CHILD: &str = "KLAVI_TEST_PROXY_CHILD";

/// Run by [`credentials_never_go_to_a_proxy_in_clear`] in a child process whose environment
/// names a proxy (a test cannot change its own process's environment safely): the client
/// authenticates against a plain-http loopback mock, then a plain reqwest client (the control)
/// makes one request.
#[tokio::test]
#[ignore = "run by credentials_never_go_to_a_proxy_in_clear, in a child process"]
async fn proxy_child() {
    if std::env::var(PROXY_CHILD).is_err() {
        return;
    }
    let mock = klavi_mock::MockKlavi::start().await.unwrap();
    let client = KlaviClient::new(Config::new(
        Environment::Custom(mock.base_url()),
        Secret::new(klavi_mock::DEFAULT_ACCESS_KEY),
        Secret::new(klavi_mock::DEFAULT_SECRET_KEY),
    ))
    .unwrap();
    client.authenticate().await.unwrap();
    let _ = reqwest::Client::new()
        .get(format!("{}/control", mock.base_url()))
        .send()
        .await;
}

#[tokio::test]
async fn credentials_never_go_to_a_proxy_in_clear() {
    // A proxy that records the request line of every request it gets, and answers 502.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let recorded = Arc::clone(&seen);
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = proxy.accept().await {
            let mut head = vec![0u8; 4096];
            let read = stream.read(&mut head).await.unwrap_or(0);
            let line = String::from_utf8_lossy(&head[..read])
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            recorded.lock().unwrap().push(line);
            let _ = stream
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let exe = std::env::current_exe().unwrap();
    let child = tokio::task::spawn_blocking(move || {
        std::process::Command::new(exe)
            .args(["hardening::proxy_child", "--exact", "--ignored", "--quiet"])
            .env(PROXY_CHILD, "1")
            .env("HTTP_PROXY", &proxy_url)
            .env("http_proxy", &proxy_url)
            .env("ALL_PROXY", &proxy_url)
            .env("all_proxy", &proxy_url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stdout)
    );
    let seen = seen.lock().unwrap().clone();
    // The control went to the proxy (so the environment was in force); the client did not.
    assert!(
        seen.iter().any(|line| line.contains("/control")),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|line| line.contains("/data/v1/")),
        "{seen:?}"
    );
}
