//! Every endpoint of the index through its named method, against `klavi mock` over real
//! HTTP; API errors, timeouts, size limits and refused connections.

use std::time::Duration;

use klavi_client::{ClientError, Config, Environment, KlaviClient, NAMED_ENDPOINTS};
use klavi_mock::{MockConfig, MockKlavi};
use klavi_types::consents::{
    ConsentPath, ConsentStatus, CreateConsentRequest, GetConsentListQuery,
};
use klavi_types::errors::StatusCode;
use klavi_types::from_json_str;
use klavi_types::links::CreateLinkRequest;
use klavi_types::secret::Secret;
use klavi_types::tasks::{SubmitMfaRequest, TaskPath};

const CPF: &str = "28001238938";
const CNPJ: &str = "11222333000181";

fn client(mock: &MockKlavi) -> KlaviClient {
    let config = mock.config();
    let mut client = Config::new(
        Environment::Custom(mock.base_url()),
        config.access_key.clone(),
        config.secret_key.clone(),
    );
    client.base_backoff = Duration::from_millis(5);
    KlaviClient::new(client).unwrap()
}

fn link_request(tax_key: &str, tax_id: &str) -> CreateLinkRequest {
    from_json_str(&format!(
        r#"{{"{tax_key}": "{tax_id}", "redirectURL": "https://www.yourdomain.com/back"}}"#
    ))
    .unwrap()
}

fn consent_request(track: &str, tax_key: &str, tax_id: &str) -> CreateConsentRequest {
    from_json_str(&format!(
        r#"{{"externalTrackId": "{track}", "{tax_key}": "{tax_id}", "institutionCode": "260",
            "redirectURL": "https://www.yourdomain.com/consent", "validityPeriod": 12}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_through_its_named_method() {
    let mock = MockKlavi::start().await.unwrap();
    let client = client(&mock);

    assert_eq!(
        client.generate_access_token().await.unwrap(),
        Duration::from_secs(1800)
    );
    assert_eq!(
        client.refresh_access_token().await.unwrap(),
        Duration::from_secs(1800)
    );

    // A person: link, institutions, consent, status, reports.
    let link = client
        .create_link(&link_request("personalTaxId", CPF))
        .await
        .unwrap();
    let institutions = client.get_institution_list(&link.link_token).await.unwrap();
    assert_eq!(institutions.len(), 2);
    assert!(
        client
            .get_institution_status(&link.link_token)
            .await
            .unwrap()
            .is_empty()
    );
    let created = client
        .create_consent(
            &link.link_token,
            &consent_request("t-1", "personalTaxId", CPF),
        )
        .await
        .unwrap();
    let statuses = client
        .get_institution_status(&link.link_token)
        .await
        .unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].name, "Nubank");
    let path = ConsentPath::new(created.consent_id.clone());
    let consent = client.get_consent(&path).await.unwrap();
    assert_eq!(consent.status, ConsentStatus::Authorised);
    let mut query = GetConsentListQuery::new();
    query.personal_tax_id = Some(klavi_types::tax_id::Cpf::parse(CPF).unwrap());
    assert_eq!(client.get_consent_list(&query).await.unwrap().len(), 1);
    let user: klavi_client::RequestOf<klavi_types::reports::RequestPersonalUserReport> =
        from_json_str(&format!(
            r#"{{"taxId": "{CPF}", "products": ["pf_balance"]}}"#
        ))
        .unwrap();
    assert!(
        !client
            .request_personal_user_report(&user)
            .await
            .unwrap()
            .request_id
            .is_empty()
    );
    let institution: klavi_client::RequestOf<
        klavi_types::reports::RequestPersonalInstitutionReport,
    > = from_json_str(&format!(
        r#"{{"taxId": "{CPF}", "institutionCode": "260", "products": ["pf_identity"]}}"#
    ))
    .unwrap();
    client
        .request_personal_institution_report(&institution)
        .await
        .unwrap();

    // A company: the business reports.
    let business = client
        .create_link(&link_request("businessTaxId", CNPJ))
        .await
        .unwrap();
    client
        .create_consent(
            &business.link_token,
            &consent_request("t-2", "businessTaxId", CNPJ),
        )
        .await
        .unwrap();
    let user: klavi_client::RequestOf<klavi_types::reports::RequestBusinessUserReport> =
        from_json_str(&format!(r#"{{"taxId": "{CNPJ}", "products": ["all"]}}"#)).unwrap();
    client.request_business_user_report(&user).await.unwrap();
    let institution: klavi_client::RequestOf<
        klavi_types::reports::RequestBusinessInstitutionReport,
    > = from_json_str(&format!(
        r#"{{"taxId": "{CNPJ}", "institutionCode": "260", "products": ["pj_balance"]}}"#
    ))
    .unwrap();
    client
        .request_business_institution_report(&institution)
        .await
        .unwrap();

    // Open Data: a task needing MFA, then the MFA.
    let task_id = mock.create_task(&link.link_id).unwrap();
    let task = TaskPath::new(task_id);
    let status = client
        .get_task_status(&link.link_token, &task)
        .await
        .unwrap();
    let mfa_info = serde_json::to_value(status.mfa_info.as_ref().expect("mfaInfo")).unwrap();
    assert_eq!(mfa_info["mfaType"], "basic");
    let mfa: SubmitMfaRequest =
        from_json_str(&format!(r#"{{"mfaId": {}}}"#, mfa_info["mfaId"])).unwrap();
    assert_eq!(
        client
            .submit_mfa(&link.link_token, &task, &mfa)
            .await
            .unwrap()
            .message,
        "ok"
    );
    let done = client
        .get_task_status(&link.link_token, &task)
        .await
        .unwrap();
    assert!(done.mfa_info.is_none());

    // Revoke last.
    client.revoke_consent(&path).await.unwrap();
    assert_eq!(
        client.get_consent(&path).await.unwrap().status,
        ConsentStatus::Revoked
    );

    // Every endpoint of the index answered 200 at least once, and nothing else was refused.
    for endpoint in NAMED_ENDPOINTS {
        assert!(
            mock.count(endpoint, 200) > 0,
            "{endpoint} was not exercised"
        );
    }
    let refused: Vec<_> = mock
        .log()
        .into_iter()
        .filter(|logged| logged.status != 200)
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_carry_status_body_and_business_code() {
    let mock = MockKlavi::start_with(MockConfig {
        authorisation: klavi_mock::Authorisation::Manual,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = client(&mock);
    let report: klavi_client::RequestOf<klavi_types::reports::RequestPersonalUserReport> =
        from_json_str(&format!(
            r#"{{"taxId": "{CPF}", "products": ["pf_balance"]}}"#
        ))
        .unwrap();
    let error = client
        .request_personal_user_report(&report)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(416));
    assert_eq!(
        error.business_code(),
        Some(&StatusCode::InvalidAuthorisationInfo)
    );
    assert_eq!(
        error.to_string(),
        "`request-personal-user-report` answered HTTP 416 (statusCode 4001)"
    );
    // Not retried: a 416 is the request's own fault.
    assert_eq!(
        client
            .stats()
            .retries
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    let missing = client
        .get_consent(&ConsentPath::new("nope".to_owned()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            ClientError::Api {
                status: 404,
                code: Some(_),
                ..
            }
        ),
        "{missing:?}"
    );
    assert_eq!(missing.business_code(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_base_url_is_checked() {
    let config = |url: &str| {
        Config::new(
            Environment::Custom(url.to_owned()),
            Secret::new("k"),
            Secret::new("s"),
        )
    };
    for good in [
        "http://127.0.0.1:8080",
        "http://localhost:1/",
        "http://[::1]:80",
    ] {
        assert!(KlaviClient::new(config(good)).is_ok(), "{good}");
    }
    // https needs the `rustls` feature; without it, the configuration says so.
    for https in [
        config("https://api.example.com"),
        config("https://[::1]:8443"),
    ]
    .into_iter()
    .chain([Config::new(
        Environment::Sandbox,
        Secret::new("k"),
        Secret::new("s"),
    )]) {
        let built = KlaviClient::new(https);
        if cfg!(feature = "rustls") {
            assert!(built.is_ok());
        } else {
            assert!(matches!(built, Err(klavi_client::ConfigError::TlsFeature)));
        }
    }
    for bad in [
        "http://api.klavi.ai",
        "ftp://127.0.0.1",
        "https://h/data/v1",
        "https://h?x=1",
        "https://u:p@h",
        "not a url",
    ] {
        assert!(KlaviClient::new(config(bad)).is_err(), "{bad}");
    }
    let mut insecure = config("http://10.0.0.5:8080");
    insecure.allow_plain_http = true;
    assert!(KlaviClient::new(insecure).is_ok());
    assert_eq!(Environment::Production.base_url(), "https://api.klavi.ai");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_sizes_and_refused_connections() {
    use klavi_client::{TimeoutKind, TransportKind};
    use std::sync::atomic::Ordering::Relaxed;

    // Every answer takes 300 ms: an exchange timeout of 100 ms, retried for a GET…
    let slow = MockKlavi::start_with(MockConfig {
        faults: klavi_mock::Faults {
            latency: Duration::from_millis(300),
            ..klavi_mock::Faults::default()
        },
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let mut config = Config::new(
        Environment::Custom(slow.base_url()),
        slow.config().access_key.clone(),
        slow.config().secret_key.clone(),
    );
    config.request_timeout = Duration::from_millis(100);
    config.base_backoff = Duration::from_millis(1);
    config.max_attempts = 3;
    let client = KlaviClient::new(config.clone()).unwrap();
    let error = client.generate_access_token().await.unwrap_err();
    assert!(
        matches!(
            error,
            ClientError::Timeout {
                kind: TimeoutKind::Request,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(client.stats().retries.load(Relaxed), 2);
    // …and the whole call bounded by its deadline, whatever the attempts left.
    config.max_attempts = 100;
    config.deadline = Duration::from_millis(350);
    let client = KlaviClient::new(config).unwrap();
    let started = std::time::Instant::now();
    let error = client.generate_access_token().await.unwrap_err();
    assert!(matches!(error, ClientError::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );

    // A body over the limit is refused, not retried.
    let mock = MockKlavi::start().await.unwrap();
    let mut config = Config::new(
        Environment::Custom(mock.base_url()),
        mock.config().access_key.clone(),
        mock.config().secret_key.clone(),
    );
    config.max_response_bytes = 600;
    let small = KlaviClient::new(config).unwrap();
    let link = small
        .create_link(&link_request("personalTaxId", CPF))
        .await
        .unwrap();
    let error = small
        .get_institution_list(&link.link_token)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ClientError::TooLarge { limit: 600, .. }),
        "{error:?}"
    );
    assert_eq!(mock.count("get-institution-list", 200), 1);

    // Nothing listening: retried (nothing was sent), then a transport error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let mut config = Config::new(
        Environment::Custom(format!("http://{address}")),
        Secret::new("k"),
        Secret::new("s"),
    );
    config.base_backoff = Duration::from_millis(1);
    let refused = KlaviClient::new(config).unwrap();
    let error = refused
        .create_link(&link_request("personalTaxId", CPF))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ClientError::Transport {
                kind: TransportKind::Connect,
                endpoint: "generate-access-token"
            }
        ),
        "{error:?}"
    );
    assert_eq!(refused.stats().retries.load(Relaxed), 4);
}

/// The environments' base URLs are the servers of the index the types (and the OpenAPI
/// document) are generated from.
#[test]
fn the_environments_are_the_index_servers() {
    let document = klavi_types::openapi::document();
    let servers: Vec<&str> = document["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .filter_map(|server| server["url"].as_str())
        .collect();
    assert_eq!(
        servers,
        [
            Environment::Sandbox.base_url(),
            Environment::Production.base_url(),
        ]
    );
}
