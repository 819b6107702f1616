//! The client's `tracing` output names the endpoint, method, path template, status, attempts
//! and latency of each call, and never a token, key, tax id or body.
//!
//! Alone in its test binary: `tracing` caches per call site whether anyone listens, and a
//! test running beside this one without a subscriber could leave a site disabled while this
//! one's thread-local subscriber is being registered.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use klavi_client::{Config, Environment, KlaviClient};
use klavi_mock::MockKlavi;
use klavi_types::consents::{ConsentPath, GetConsentListQuery};
use klavi_types::links::CreateLinkRequest;

const CPF: &str = "28001238938";

fn link_request() -> CreateLinkRequest {
    klavi_types::from_json_str(&format!(
        r#"{{"personalTaxId": "{CPF}", "redirectURL": "https://www.yourdomain.com/back"}}"#
    ))
    .unwrap()
}

/// A `tracing` writer that keeps everything written.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// One thread: the subscriber is the thread's default, and the mock runs on the same thread.
#[tokio::test(flavor = "current_thread")]
async fn tracing_names_the_call_never_a_secret_or_personal_value() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mock = MockKlavi::start().await.unwrap();
    let mut config = Config::new(
        Environment::Custom(mock.base_url()),
        mock.config().access_key.clone(),
        mock.config().secret_key.clone(),
    );
    config.base_backoff = Duration::from_millis(5);
    let client = KlaviClient::new(config).unwrap();
    mock.inject("create-link", [klavi_mock::Fault::Unavailable]);
    let link = client.create_link(&link_request()).await.unwrap();
    let mut query = GetConsentListQuery::new();
    query.personal_tax_id = Some(klavi_types::tax_id::Cpf::parse(CPF).unwrap());
    client.get_consent_list(&query).await.unwrap();
    let missing = ConsentPath::new("nope".to_owned());
    client.get_consent(&missing).await.unwrap_err();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "klavi_request",
        "endpoint=\"create-link\"",
        "path=\"/data/v1/consents/{consentId}\"",
        "status=503",
        "status=404",
        "attempts=2",
        "latency_ms=",
        "klavi retrying",
        // The token exchange a call makes has a span of its own (inside the call's), so the
        // call's span records the call's status and attempts, not those of `POST /auth`.
        "klavi_request{endpoint=\"create-link\" method=\"POST\" path=\"/data/v1/links\"}:klavi_request{endpoint=\"generate-access-token\"",
    ] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
    let config = mock.config();
    for secret in [
        CPF,
        link.link_token.expose_secret(),
        config.access_key.expose_secret(),
        config.secret_key.expose_secret(),
        "eyJ",
    ] {
        assert!(
            !text.contains(secret),
            "the log shows a secret or personal value:\n{text}"
        );
    }
}
