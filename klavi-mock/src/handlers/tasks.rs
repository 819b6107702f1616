//! Open Data tasks: the docs have no page that creates one, so a test creates it through the
//! mock (`POST /mock/links/{linkId}/tasks`); it then needs MFA (`mfaId` 22, type `basic`) until
//! `POST /tasks/{taskId}/mfa` sends that `mfaId`.

use std::sync::Arc;

use klavi_types::tasks::{GetTaskStatus, SubmitMfa};
use serde_json::json;

use crate::Shared;
use crate::routes::{Outcome, Parsed};
use crate::state::{State, Task};

/// The `mfaId` a new task asks for.
pub(crate) const MFA_ID: u64 = 22;

/// Creates a task of link `link_id`, needing MFA; `None` for an unknown link.
pub(crate) fn create(state: &mut State, link_id: &str) -> Option<String> {
    if !state.links.contains_key(link_id) {
        return None;
    }
    let task_id = state.id();
    state.tasks.insert(
        task_id.clone(),
        Task {
            link_id: link_id.to_owned(),
            status: "needMFA",
            mfa_id: MFA_ID,
        },
    );
    Some(task_id)
}

fn find<'a>(state: &'a mut State, task_id: &str, link_id: Option<&str>) -> Option<&'a mut Task> {
    state
        .tasks
        .get_mut(task_id)
        .filter(|task| Some(task.link_id.as_str()) == link_id)
}

/// `GET /data/v1/tasks/{taskId}/status`: a task of another link is not found.
pub(crate) fn status(
    _: &Arc<Shared>,
    state: &mut State,
    request: Parsed<GetTaskStatus>,
) -> Outcome {
    let Some(task) = find(
        state,
        request.path.task_id.as_str(),
        request.link_id.as_deref(),
    ) else {
        return Outcome::error(404, "task not found");
    };
    let mut body = json!({"code": 200, "message": "ok", "status": task.status});
    if task.status == "needMFA" {
        body["mfaInfo"] = json!({"mfaId": task.mfa_id, "mfaType": "basic"});
    }
    Outcome::ok(body)
}

/// `POST /data/v1/tasks/{taskId}/mfa`: the right `mfaId` completes the task; another is a
/// `400`, as is a task that does not need MFA.
pub(crate) fn submit_mfa(
    _: &Arc<Shared>,
    state: &mut State,
    request: Parsed<SubmitMfa>,
) -> Outcome {
    let mfa_id = request.json["mfaId"].as_u64();
    let Some(task) = find(
        state,
        request.path.task_id.as_str(),
        request.link_id.as_deref(),
    ) else {
        return Outcome::error(404, "task not found");
    };
    if task.status != "needMFA" {
        return Outcome::error(400, "the task does not need MFA");
    }
    if mfa_id != Some(task.mfa_id) {
        return Outcome::error(400, "mfaId is not the one the task asked for");
    }
    task.status = "success";
    Outcome::ok(json!({"message": "ok"}))
}
