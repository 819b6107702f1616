//! The example app's whole run against `klavi_mock::MockKlavi`, in-process, as the README's
//! two terminals run it.

use std::time::Duration;

use klavi_mock::{DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, MockConfig, MockKlavi};
use klavi_types::secret::Secret;
use partner_app::{Settings, run, summary};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_integration_runs_end_to_end() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public_url = format!("http://{}", listener.local_addr().unwrap());
    let mock = MockKlavi::start_with(MockConfig {
        webhook_url: Some(format!("{public_url}/klavi/events")),
        // The simulated end user takes a moment, as a real one does.
        authorisation: klavi_mock::Authorisation::After(Duration::from_millis(200)),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let settings = Settings {
        base_url: mock.base_url(),
        access_key: Secret::new(DEFAULT_ACCESS_KEY),
        secret_key: Secret::new(DEFAULT_SECRET_KEY),
        public_url,
        product: "pf_categorized_checking_l3".to_owned(),
        wait: Duration::from_secs(20),
        redis_url: None,
    };
    let report = run(settings, listener).await.unwrap();
    assert_eq!(report.product_name, "pf_categorized_checking_l3");
    let summary = summary(&report);
    assert!(
        summary.starts_with("pf_categorized_checking_l3 "),
        "{summary}"
    );
    assert!(summary.contains("checkingAccounts: 1 item(s)"), "{summary}");
    assert!(!summary.contains("28001238938"), "{summary}");
    // One link, one consent, one report request, nothing refused.
    for endpoint in [
        "generate-access-token",
        "create-link",
        "create-consent",
        "request-personal-user-report",
    ] {
        assert_eq!(mock.count(endpoint, 200), 1, "{endpoint}");
    }
    assert!(mock.log().iter().all(|logged| logged.status == 200));
}

#[test]
fn the_app_defaults_to_the_mock_credentials() {
    assert_eq!(partner_app::MOCK_ACCESS_KEY, DEFAULT_ACCESS_KEY);
    assert_eq!(partner_app::MOCK_SECRET_KEY, DEFAULT_SECRET_KEY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_sandbox_running_the_app_says_where_it_looked_and_how_to_start_one() {
    // A port nothing listens on: bound, then closed.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public_url = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        base_url: base_url.clone(),
        access_key: Secret::new(DEFAULT_ACCESS_KEY),
        secret_key: Secret::new(DEFAULT_SECRET_KEY),
        public_url: public_url.clone(),
        product: "pf_categorized_checking_l3".to_owned(),
        wait: Duration::from_secs(1),
        redis_url: None,
    };
    let error = run(settings, listener).await.unwrap_err();
    assert!(error.starts_with("authenticate: "), "{error}");
    assert!(
        error.contains(&format!(
            "hint: nothing answers at {base_url} (KLAVI_BASE_URL)"
        )),
        "{error}"
    );
    assert!(
        error.contains(&format!("-- mock --webhook-url {public_url}/klavi/events")),
        "{error}"
    );
}
