//! `GET /links/institutions` (the documented sample list) and `GET /links/institutions/status`
//! (the status of each consent of the link).

use std::sync::{Arc, OnceLock};

use klavi_types::institutions::{
    ConnectionStatus, GetInstitutionList, GetInstitutionListResponse, GetInstitutionStatus,
    GetInstitutionStatusResponse, InstitutionStatus,
};

use crate::Shared;
use crate::handlers::example;
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// The documented sample list, read once through its generated type.
fn institutions() -> &'static GetInstitutionListResponse {
    static LIST: OnceLock<GetInstitutionListResponse> = OnceLock::new();
    LIST.get_or_init(|| {
        serde_json::from_value(example("get-institution-list.response")).unwrap_or_default()
    })
}

/// `GET /data/v1/links/institutions`.
pub(crate) fn list(_: &Arc<Shared>, _: &mut State, _: Parsed<GetInstitutionList>) -> Outcome {
    Outcome::answer::<GetInstitutionList>(institutions())
}

/// The display name of an institution of the sample list, else its code.
pub(crate) fn name_of(code: &str) -> String {
    institutions()
        .iter()
        .find(|institution| institution.institution_code == code)
        .map_or_else(|| code.to_owned(), |institution| institution.name.clone())
}

/// Whether the sample list marks institution `code` as in outage (`isOutage`).
pub(crate) fn in_outage(code: &str) -> bool {
    institutions()
        .iter()
        .any(|institution| institution.institution_code == code && institution.is_outage)
}

/// `GET /data/v1/links/institutions/status`: one row per institution of the link's
/// consents, with the status of the latest consent there.
pub(crate) fn status(
    _: &Arc<Shared>,
    state: &mut State,
    request: Parsed<GetInstitutionStatus>,
) -> Outcome {
    let link_id = request.link_id.unwrap_or_default();
    let mut rows: Vec<InstitutionStatus> = Vec::new();
    for consent in state
        .consents
        .values()
        .filter(|consent| consent.link_id == link_id)
    {
        let code = consent.institution_code.as_str();
        rows.retain(|row| row.institution_code != code);
        let Ok(status) = consent.status.as_str().parse::<ConnectionStatus>();
        rows.push(InstitutionStatus::new(code, name_of(code), status));
    }
    Outcome::answer::<GetInstitutionStatus>(&GetInstitutionStatusResponse(rows))
}
