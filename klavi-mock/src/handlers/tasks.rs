//! Open Data tasks: the docs have no page that creates one, so a test creates it through the
//! mock (`POST /mock/links/{linkId}/tasks`); it then needs MFA (`mfaId` 22, type `basic`) until
//! `POST /tasks/{taskId}/mfa` sends that `mfaId`.

use std::sync::Arc;

use klavi_types::common::OkResponse;
use klavi_types::tasks::{
    GetTaskStatus, GetTaskStatusResponse, MfaBasic, MfaInfo, SubmitMfa, TaskStatus,
};

use crate::Shared;
use crate::routes::{Outcome, Parsed};
use crate::state::{State, Task};

/// The `mfaId` a new task asks for.
pub(crate) const MFA_ID: i64 = 22;

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
            status: TaskStatus::NeedMfa,
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
    let mut body = GetTaskStatusResponse::new(200, "ok", task.status.clone());
    if task.status == TaskStatus::NeedMfa {
        body = body.with_mfa_info(MfaInfo::Basic(MfaBasic::new(task.mfa_id)));
    }
    Outcome::answer::<GetTaskStatus>(&body)
}

/// `POST /data/v1/tasks/{taskId}/mfa`: the right `mfaId` completes the task (compared as a
/// number, read by the generated type: `22.0` is `22`); another is a `400`, as is a task that
/// does not need MFA.
pub(crate) fn submit_mfa(
    _: &Arc<Shared>,
    state: &mut State,
    request: Parsed<SubmitMfa>,
) -> Outcome {
    let mfa_id = request.body.mfa_id;
    let Some(task) = find(
        state,
        request.path.task_id.as_str(),
        request.link_id.as_deref(),
    ) else {
        return Outcome::error(404, "task not found");
    };
    if task.status != TaskStatus::NeedMfa {
        return Outcome::error(400, "the task does not need MFA");
    }
    if mfa_id != task.mfa_id {
        return Outcome::error(400, "mfaId is not the one the task asked for");
    }
    task.status = TaskStatus::Success;
    Outcome::answer::<SubmitMfa>(&OkResponse::new("ok"))
}
