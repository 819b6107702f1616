//! The mock serves exactly the generated index (an endpoint added to the schemas gets a route,
//! not a silent `404`), answers another method `405`, and holds at most its capacity of each
//! kind of entry however many requests it gets.

use crate::common;

use klavi_mock::{DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, MockConfig, MockKlavi};
use klavi_types::TokenKind;
use serde_json::{Value, json};

/// The path of an index template with every parameter filled in (`{consentId}` → `x`).
fn filled(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        path.push('x');
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    path.push_str(rest);
    path
}

async fn status(mock: &MockKlavi, method: &str, path: &str) -> (u16, Value) {
    let http = reqwest::Client::new();
    common::call(&http, &mock.base_url(), method, path, None, None).await
}

#[tokio::test]
async fn every_endpoint_of_the_index_is_served_and_nothing_else() {
    let mock = MockKlavi::start().await.unwrap();
    let endpoints = klavi_types::registry::endpoints();
    assert_eq!(endpoints.len(), 15);
    for endpoint in endpoints {
        let path = filled(endpoint.path);
        // Without a token (or a body): the endpoint's own refusal, never "no such route".
        let (got, answer) = status(&mock, endpoint.method.as_str(), &path).await;
        let expected = if endpoint.token == TokenKind::None {
            400
        } else {
            401
        };
        assert_eq!(got, expected, "{} {path}: {answer}", endpoint.method);
        let logged = mock.log().pop().unwrap();
        assert_eq!((logged.endpoint, logged.path), (endpoint.id, endpoint.path));
        // Any method the index does not give this path: 405, Klavi's error body.
        let served: Vec<&str> = endpoints
            .iter()
            .filter(|other| filled(other.path) == path)
            .map(|other| other.method.as_str())
            .collect();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "FOO"] {
            if served.contains(&method) {
                continue;
            }
            let (got, answer) = status(&mock, method, &path).await;
            assert_eq!(
                (got, &answer["statusCode"]),
                (405, &json!(405)),
                "{method} {path}"
            );
        }
    }
    // Under /data/v1, only the index's paths are routes.
    let (got, _) = status(&mock, "GET", "/data/v1/links/x").await;
    assert_eq!(got, 404);
}

#[tokio::test]
async fn memory_is_bounded_by_the_capacity_under_any_load() {
    let capacity = 40;
    let mock = MockKlavi::start_with(MockConfig {
        capacity,
        consents_per_link: 1_000,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let call = |path: &str, token: Option<&str>, body: Value| {
        let mut request = http
            .post(format!("{}{path}", mock.base_url()))
            .body(body.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            serde_json::from_str::<Value>(&response.text().await.unwrap()).unwrap()
        }
    };
    let keys = json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY});
    let mut links = Vec::new();
    for i in 0..(3 * capacity) {
        let access = call("/data/v1/auth", None, keys.clone()).await;
        let access = access["accessToken"].as_str().unwrap().to_owned();
        let link = call("/data/v1/links", Some(&access), json!({})).await;
        let link_token = link["linkToken"].as_str().unwrap().to_owned();
        let consent = json!({"externalTrackId": format!("t-{i}"), "personalTaxId": "28001238938",
            "institutionCode": "260", "redirectURL": "https://example.com/c", "validityPeriod": 12});
        let consent = call("/data/v1/consents", Some(&link_token), consent).await;
        mock.create_task(link["linkId"].as_str().unwrap());
        links.push((
            access,
            link_token,
            consent["consentId"].as_str().unwrap().to_owned(),
        ));
    }
    let held = mock.held();
    for (kind, count) in [
        ("access tokens", held.access_tokens),
        ("links", held.links),
        ("link tokens", held.link_tokens),
        ("consents", held.consents),
        ("tasks", held.tasks),
        ("requests", held.requests),
    ] {
        assert_eq!(count, capacity, "{kind}: {held:?}");
    }
    // The oldest were evicted, the newest kept.
    let (_, first_link_token, first_consent) = &links[0];
    let (access, _, last_consent) = links.last().unwrap();
    let get = |consent: &str| {
        http.get(format!("{}/data/v1/consents/{consent}", mock.base_url()))
            .bearer_auth(access)
            .send()
    };
    assert_eq!(get(first_consent).await.unwrap().status(), 404);
    assert_eq!(get(last_consent).await.unwrap().status(), 200);
    let institutions = http
        .get(format!("{}/data/v1/links/institutions", mock.base_url()))
        .bearer_auth(first_link_token)
        .send()
        .await
        .unwrap();
    assert_eq!(institutions.status(), 401);
    assert_eq!(mock.log().len(), capacity);
}

#[tokio::test]
async fn megabyte_requests_stay_within_the_memory_budget() {
    let budget = 32 << 20;
    let mock = MockKlavi::start_with(MockConfig {
        memory_budget: budget,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let keys = json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY});
    let answer = http
        .post(format!("{}/data/v1/auth", mock.base_url()))
        .body(keys.to_string())
        .send()
        .await
        .unwrap();
    let answer: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    let access = answer["accessToken"].as_str().unwrap().to_owned();
    // 40 links of 1 MB of `externalInfo` each: 40 MB asked, 4 MiB (the links' share) kept.
    let filler = "x".repeat(1 << 20);
    let mut last = String::new();
    for i in 0..40 {
        let body = json!({"externalInfo": {"n": i, "filler": filler}}).to_string();
        let response = http
            .post(format!("{}/data/v1/links", mock.base_url()))
            .bearer_auth(&access)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let link: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        last = link["linkId"].as_str().unwrap().to_owned();
    }
    let held = mock.held();
    assert!(held.bytes <= budget, "{held:?}");
    assert!(held.links < 40, "{held:?}");
    // What is kept is whole: the newest link is there, its token too.
    assert!(held.links >= 1 && held.link_tokens == 40, "{held:?}");
    let report = json!({"taxId": "28001238938", "linkId": last, "products": ["pf_balance"]});
    let response = http
        .post(format!("{}/data/v1/personal/user-data", mock.base_url()))
        .bearer_auth(&access)
        .body(report.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        416,
        "the newest link is known: no consent, not 404"
    );
}
