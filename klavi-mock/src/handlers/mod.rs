//! The handlers behind the routes, one module per area of the API, and what they share: the
//! clock in Klavi's format, the documented samples, and API event webhooks.

pub(crate) mod auth;
pub(crate) mod consents;
pub(crate) mod control;
pub(crate) mod institutions;
pub(crate) mod links;
pub(crate) mod reports;
pub(crate) mod tasks;

use std::time::Duration;

use klavi_types::formats::UtcDateTime;
use serde_json::{Value, json};

use crate::Shared;
use crate::delivery::Webhook;
use crate::state::State;

/// Now, as Klavi writes times: UTC with milliseconds (`2026-12-04T16:21:42.123Z`; a whole
/// second has no fraction).
pub(crate) fn now() -> UtcDateTime {
    klavi_time(time::OffsetDateTime::now_utc())
}

/// `days` from now, as Klavi writes times.
pub(crate) fn in_days(days: i64) -> UtcDateTime {
    klavi_time(time::OffsetDateTime::now_utc() + time::Duration::days(days))
}

fn klavi_time(at: time::OffsetDateTime) -> UtcDateTime {
    let millis = at.nanosecond() / 1_000_000 * 1_000_000;
    UtcDateTime::from(at.replace_nanosecond(millis).unwrap_or(at))
}

/// The first example of message `id` (the mock answers with the documented samples).
pub(crate) fn example(id: &str) -> Value {
    klavi_types::registry::message(id)
        .and_then(|info| info.examples().into_iter().next())
        .unwrap_or(Value::Null)
}

/// A tax id as Klavi echoes it: its letters and digits only (`""` when absent).
pub(crate) fn bare_tax_id(request: &Value, key: &str) -> String {
    request
        .get(key)
        .and_then(Value::as_str)
        .map(|id| id.chars().filter(char::is_ascii_alphanumeric).collect())
        .unwrap_or_default()
}

/// An API event (§19.1) as Klavi sends it, a one-element array, to the configured event
/// webhook URL; `None` when none is configured.
pub(crate) fn event(
    shared: &Shared,
    state: &mut State,
    name: &str,
    payload: Value,
    external_info: Option<&Value>,
    delay: Duration,
) -> Option<(Webhook, Duration)> {
    let url = shared.config.webhook_url.clone()?;
    let event_id = state.id();
    let mut envelope = json!({
        "partnerAppId": "12345678",
        "eventId": event_id,
        "eventType": "api",
        "eventName": name,
        "eventTime": now(),
        "payload": payload,
    });
    if let Some(info) = external_info {
        envelope["externalInfo"] = info.clone();
    }
    Some((
        Webhook {
            url,
            kind: "event",
            name: name.to_owned(),
            id: event_id,
            body: json!([envelope]).to_string().into_bytes(),
        },
        delay,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_as_klavi_writes_them() {
        let at = time::macros::datetime!(2026-12-04 16:21:42.123_456_789 -03:00);
        assert_eq!(
            super::klavi_time(at).to_string(),
            "2026-12-04T19:21:42.123Z"
        );
        let whole = time::macros::datetime!(2026-12-04 16:21:42.000_456 UTC);
        assert_eq!(super::klavi_time(whole).to_string(), "2026-12-04T16:21:42Z");
        assert!(super::now().to_string().ends_with('Z'));
    }
}
