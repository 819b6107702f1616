//! `GET /links/institutions` (the documented sample list) and `GET /links/institutions/status`
//! (the status of each consent of the link).

use std::sync::Arc;

use klavi_types::institutions::{GetInstitutionList, GetInstitutionStatus};
use serde_json::{Value, json};

use crate::Shared;
use crate::handlers::example;
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// `GET /data/v1/links/institutions`.
pub(crate) fn list(_: &Arc<Shared>, _: &mut State, _: Parsed<GetInstitutionList>) -> Outcome {
    Outcome::ok(example("get-institution-list.response"))
}

/// The display name of an institution of the sample list, else its code.
pub(crate) fn name_of(code: &str) -> String {
    example("get-institution-list.response")
        .as_array()
        .into_iter()
        .flatten()
        .find(|institution| institution["institutionCode"] == code)
        .and_then(|institution| institution["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| code.to_owned())
}

/// `GET /data/v1/links/institutions/status`: one row per consent of the link's
/// institutions, the latest consent of each.
pub(crate) fn status(
    _: &Arc<Shared>,
    state: &mut State,
    request: Parsed<GetInstitutionStatus>,
) -> Outcome {
    let link_id = request.link_id.unwrap_or_default();
    let mut rows: Vec<Value> = Vec::new();
    for consent in state
        .consents
        .iter()
        .filter(|consent| consent["linkId"] == link_id.as_str())
    {
        let code = consent["institutionCode"].as_str().unwrap_or_default();
        rows.retain(|row| row["institutionCode"] != code);
        rows.push(json!({
            "institutionCode": code,
            "name": name_of(code),
            "status": consent["status"],
        }));
    }
    Outcome::ok(Value::Array(rows))
}
