//! What the mock's test files share: one request over real HTTP, its answer as JSON.

use serde_json::Value;

/// Sends `method path` to the mock at `base_url`, with a bearer `token` and a JSON `body` when
/// given; (status, the answer as JSON, `Null` when it is not JSON).
pub async fn call(
    http: &reqwest::Client,
    base_url: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> (u16, Value) {
    let mut request = http.request(
        reqwest::Method::from_bytes(method.as_bytes()).expect("a method"),
        format!("{base_url}{path}"),
    );
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
