//! The mock answers each row of the docs' error table (klavi-api.md §17.2) with its status and,
//! for HTTP 416, its business code in `statusCode`: one request (or more) per row, over real
//! HTTP, and a check that no row of the table went untried.

use crate::common;

use std::collections::BTreeSet;

use klavi_mock::{
    Authorisation, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Fault, MockConfig, MockKlavi,
};
use serde_json::{Value, json};

const CPF: &str = "28001238938";
const CNPJ: &str = "11444777000161";

/// The docs' table: (HTTP status, business code in `statusCode` for a 416).
const TABLE: &[(u16, Option<u16>)] = &[
    (400, None),
    (401, None),
    (403, None),
    (404, None),
    (409, None),
    (416, Some(4001)),
    (416, Some(4002)),
    (416, Some(4003)),
    (416, Some(4004)),
    (416, Some(4005)),
    (416, Some(4006)),
    (416, Some(4007)),
    (416, Some(4008)),
    (416, Some(4009)),
    (429, None),
    (500, None),
    (502, None),
    (503, None),
    (504, None),
];

/// A request: (method, path, token, body).
type Request<'a> = (&'a str, &'a str, Option<&'a str>, Option<Value>);

/// A `POST` of `body` to `path` with `token`.
fn post<'a>(path: &'a str, token: Option<&'a str>, body: Value) -> Request<'a> {
    ("POST", path, token, Some(body))
}

/// The four report endpoints: (path, tax id, whether user-level).
const REPORTS: [(&str, &str, bool); 4] = [
    ("/data/v1/personal/institution-data", CPF, false),
    ("/data/v1/personal/user-data", CPF, true),
    ("/data/v1/business/user-data", CNPJ, true),
    ("/data/v1/business/institution-data", CNPJ, false),
];

struct Api {
    mock: MockKlavi,
    http: reqwest::Client,
    tried: BTreeSet<(u16, Option<u16>)>,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let base_url = self.mock.base_url();
        let body = body.map(Value::to_string);
        common::call(&self.http, &base_url, method, path, token, body).await
    }

    /// Sends a request and checks the answer is the row `(status, business code)` with
    /// Klavi's error body, recording the row as tried.
    async fn expect(
        &mut self,
        row: (u16, Option<u16>),
        what: &str,
        (method, path, token, body): Request<'_>,
    ) -> Value {
        let (status, answer) = self.call(method, path, token, body.as_ref()).await;
        let code = row.1.unwrap_or(row.0);
        assert_eq!(status, row.0, "{what}: {answer}");
        assert_eq!(answer["statusCode"], code, "{what}: {answer}");
        assert!(
            answer["error"].is_string() && answer["message"].is_string(),
            "{what}: {answer}"
        );
        assert!(
            TABLE.contains(&row),
            "{row:?} is not a row of the docs' table"
        );
        self.tried.insert(row);
        answer
    }

    async fn ok(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let (status, answer) = self.call(method, path, token, Some(&body)).await;
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer
    }
}

#[tokio::test]
async fn every_row_of_the_docs_error_table_is_answered_as_documented() {
    let config = MockConfig {
        consents_per_link: 2,
        unavailable_institutions: vec!["999".to_owned()],
        authorisation: Authorisation::Manual,
        ..MockConfig::default()
    };
    let mut api = Api {
        mock: MockKlavi::start_with(config).await.unwrap(),
        http: reqwest::Client::new(),
        tried: BTreeSet::new(),
    };
    let keys = json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY});
    let access = api.ok("POST", "/data/v1/auth", None, keys).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = Some(access.as_str());
    let link = api
        .ok(
            "POST",
            "/data/v1/links",
            access,
            json!({"personalTaxId": CPF, "businessTaxId": CNPJ}),
        )
        .await;
    let link_id = link["linkId"].as_str().unwrap().to_owned();
    let link_token = link["linkToken"].as_str().unwrap().to_owned();
    let link_token = Some(link_token.as_str());
    let consent = |track: &str, institution: &str| {
        json!({"externalTrackId": track, "personalTaxId": CPF, "institutionCode": institution,
               "redirectURL": "https://example.com/consent", "validityPeriod": 12})
    };

    // 400: a malformed request (a value of the wrong JSON type, a member missing) stays a
    // 400 even beside a business rule's violation.
    for body in [
        json!({"taxId": CPF, "products": "pf_balance"}),
        json!({"products": []}),
        json!({"taxId": CPF, "products": [], "colour": "blue"}),
    ] {
        api.expect(
            (400, None),
            "malformed",
            post("/data/v1/personal/user-data", access, body),
        )
        .await;
    }
    // 401, 403, 404.
    api.expect(
        (401, None),
        "no token",
        ("GET", "/data/v1/refresh", None, None),
    )
    .await;
    api.expect(
        (403, None),
        "a link token for the access token",
        ("GET", "/data/v1/refresh", link_token, None),
    )
    .await;
    api.expect(
        (404, None),
        "an unknown consent",
        ("GET", "/data/v1/consents/nope", access, None),
    )
    .await;

    // 409, then 4004 and 4003 on Create a Consent.
    let first = api
        .ok(
            "POST",
            "/data/v1/consents",
            link_token,
            consent("t-1", "260"),
        )
        .await;
    api.expect(
        (409, None),
        "an externalTrackId used before",
        post("/data/v1/consents", link_token, consent("t-1", "260")),
    )
    .await;
    api.expect(
        (416, Some(4004)),
        "an institution in outage",
        post("/data/v1/consents", link_token, consent("t-2", "999")),
    )
    .await;
    api.ok(
        "POST",
        "/data/v1/consents",
        link_token,
        consent("t-3", "260"),
    )
    .await;
    api.expect(
        (416, Some(4003)),
        "a third open consent on a link limited to two",
        post("/data/v1/consents", link_token, consent("t-4", "260")),
    )
    .await;
    // A rejected consent no longer counts.
    api.mock
        .reject_consent(first["consentId"].as_str().unwrap())
        .unwrap();
    let consent_id = api
        .ok(
            "POST",
            "/data/v1/consents",
            link_token,
            consent("t-5", "260"),
        )
        .await["consentId"]
        .as_str()
        .unwrap()
        .to_owned();

    // 4001: no AUTHORISED consent covers the report; then one does.
    let report = json!({"taxId": CPF, "linkId": link_id, "products": ["pf_balance"]});
    api.expect(
        (416, Some(4001)),
        "no authorised consent",
        post("/data/v1/personal/user-data", access, report.clone()),
    )
    .await;
    api.mock.authorise_consent(&consent_id).unwrap();
    api.ok("POST", "/data/v1/personal/user-data", access, report)
        .await;

    // 4005 and 4002 on each report endpoint: no product; `all` where only products go, or a
    // name that is no product, or a product of the other level.
    for (path, tax_id, user_level) in REPORTS {
        let body = |products: Value| json!({"taxId": tax_id, "institutionCode": "260", "products": products});
        let body = |products: Value| {
            let mut body = body(products);
            if user_level {
                body.as_object_mut().unwrap().remove("institutionCode");
            }
            body
        };
        api.expect(
            (416, Some(4005)),
            &format!("{path}: no product"),
            post(path, access, body(json!([]))),
        )
        .await;
        api.expect(
            (416, Some(4002)),
            &format!("{path}: not a product"),
            post(path, access, body(json!(["Balance!"]))),
        )
        .await;
        if user_level {
            api.expect(
                (416, Some(4005)),
                &format!("{path}: all with a product"),
                post(path, access, body(json!(["all", "pf_balance"]))),
            )
            .await;
        } else {
            api.expect(
                (416, Some(4002)),
                &format!("{path}: all at institution level"),
                post(path, access, body(json!(["all"]))),
            )
            .await;
        }
    }
    let wrong_level = json!({"taxId": CPF, "linkId": link_id, "products": ["pj_balance"]});
    api.expect(
        (416, Some(4002)),
        "a business product on a personal report",
        post("/data/v1/personal/user-data", access, wrong_level),
    )
    .await;

    // 4006: productsCallbackURL with `all` beside another key, or a value that is no URL,
    // on a link and on a report.
    for callbacks in [
        json!({"all": "https://example.com/a", "other": "https://example.com/b"}),
        json!({"pf_balance": "not a url"}),
        json!({"Not A Product": "https://example.com/a"}),
    ] {
        api.expect(
            (416, Some(4006)),
            "a bad productsCallbackURL on a link",
            post(
                "/data/v1/links",
                access,
                json!({"productsCallbackURL": callbacks.clone()}),
            ),
        )
        .await;
        let report =
            json!({"taxId": CPF, "products": ["pf_balance"], "productsCallbackURL": callbacks});
        api.expect(
            (416, Some(4006)),
            "a bad productsCallbackURL on a report",
            post("/data/v1/personal/user-data", access, report),
        )
        .await;
    }
    // A value of the wrong JSON type there is malformed: 400.
    api.expect(
        (400, None),
        "a productsCallbackURL that is no object",
        post("/data/v1/links", access, json!({"productsCallbackURL": 7})),
    )
    .await;

    // 4007, 4008, 4009 (no request provokes them in a sandbox: injected), 429 and 5xx.
    let report = json!({"taxId": CPF, "linkId": link_id, "products": ["pf_balance"]});
    let injected = [
        (Fault::Business(4007), (416, Some(4007))),
        (Fault::Business(4008), (416, Some(4008))),
        (Fault::Business(4009), (416, Some(4009))),
        (Fault::TooManyRequests { retry_after: 2 }, (429, None)),
        (Fault::Internal, (500, None)),
        (Fault::Status(502), (502, None)),
        (Fault::Unavailable, (503, None)),
        (Fault::Status(504), (504, None)),
    ];
    for (fault, row) in injected {
        api.mock.inject("request-personal-user-report", [fault]);
        let request = post("/data/v1/personal/user-data", access, report.clone());
        api.expect(row, "injected", request).await;
    }

    let untried: Vec<_> = TABLE
        .iter()
        .filter(|row| !api.tried.contains(row))
        .collect();
    assert!(
        untried.is_empty(),
        "rows of the docs' table no request tried: {untried:?}"
    );
}

/// Numbers are compared as numbers: the `mfaId` a task asks for, written `22.0`, is `22`.
#[tokio::test]
async fn numbers_are_compared_as_numbers() {
    let api = Api {
        mock: MockKlavi::start().await.unwrap(),
        http: reqwest::Client::new(),
        tried: BTreeSet::new(),
    };
    let keys = json!({"accessKey": DEFAULT_ACCESS_KEY, "secretKey": DEFAULT_SECRET_KEY});
    let access = api.ok("POST", "/data/v1/auth", None, keys).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let link = api
        .ok("POST", "/data/v1/links", Some(&access), json!({}))
        .await;
    let link_token = link["linkToken"].as_str().unwrap();
    let task = api
        .mock
        .create_task(link["linkId"].as_str().unwrap())
        .unwrap();
    let path = format!("/data/v1/tasks/{task}/mfa");
    let (status, _) = api
        .call(
            "POST",
            &path,
            Some(link_token),
            Some(&json!({"mfaId": 2.2e1})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, answer) = api
        .call(
            "GET",
            &format!("/data/v1/tasks/{task}/status"),
            Some(link_token),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("success")),
        "{answer}"
    );
    // Beyond 2^53 a fraction may change the number: refused, never read as another.
    let task = api
        .mock
        .create_task(link["linkId"].as_str().unwrap())
        .unwrap();
    let body = r#"{"mfaId": 9007199254740993.0}"#;
    let response = api
        .http
        .post(format!("{}/data/v1/tasks/{task}/mfa", api.mock.base_url()))
        .bearer_auth(link_token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}
