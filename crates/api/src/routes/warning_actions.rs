//! `POST /api/v1/warnings/{id}/actions`: sign, respond, verify, return, supervise or note a warning's open case
//! (`docs/warnings.md`). The answer is the warning as `GET /api/v1/warnings/{id}` gives it afterwards.

use super::exchange::read_body;
use super::warning_item::warning_item;
use super::warnings::WarningView;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::handling::scope::{may_act, not_allowed};
use actix_web::{post, web};
use base64::Engine;
use chrono::NaiveDateTime;
use domain::Code;
use domain::handling::Action;
use serde::Deserialize;
use storage::handling::actions::{Act, Acted};
use storage::handling::attachments::NewFile;
use utoipa::ToSchema;

/// At most this many files an action.
pub const MAX_FILES: usize = 10;
/// At most this many bytes a file (decoded).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// A file attached to an action, its content in base64.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileBody {
    /// Its name, e.g. `整改照片.jpg`.
    pub name: String,
    /// Its media type, e.g. `image/jpeg`.
    pub content_type: String,
    /// The content, base64 (standard alphabet, padded).
    pub data: String,
}

/// The body of an action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionBody {
    /// `sign`, `respond`, `verify`, `return`, `supervise` or `note`.
    pub action: String,
    /// The measures (respond), the reason (return), the instruction (supervise), the text (note); optional for
    /// sign and verify.
    pub note: Option<String>,
    /// Supervise's deadline: RFC 3339 with an offset, or a date (the end of that day, Asia/Shanghai).
    pub deadline: Option<String>,
    /// Respond only: `false` reports progress (处置中); `true`, the default, submits the measures for verification
    /// (待核销).
    pub done: Option<bool>,
    /// Files (respond, note, verify, return, supervise): at most 10, 5 MiB each.
    pub attachments: Option<Vec<FileBody>>,
}

/// Take an action on the open case of a warning. Who may do what: `sign` and `respond` the enterprise (its own) and
/// the city (its own); `verify` and `return` the city and the province; `supervise` the province; `note` all three.
#[utoipa::path(tag = "figures", request_body = ActionBody, security(("bearer" = [])),
    params(("id" = String, Path, description = "the warning's id")),
    responses(
    (status = 200, description = "done; the warning with its handling", body = WarningView),
    (status = 400, description = "not a warning id, or a body that is not JSON", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "outside the caller's scope, or not an action of its role", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no case for this warning", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`action_not_allowed`: the action does not apply in the case's state", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "over 8 MiB", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`bad_action`, `note_required`, `deadline_required`, `bad_attachment`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/warnings/{id}/actions")]
pub async fn post_action(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<web::Json<WarningView>> {
    let id = path.into_inner();
    super::warning_item::company_of(&id)?;
    let raw = read_body(payload).await?;
    let body: ActionBody = serde_json::from_slice(&raw)
        .map_err(|e| ApiError::bad_request(Code::BadJson, format!("请求体无效 / invalid body: {e}")))?;
    let now = state.clock.now_utc();
    let act = checked(&body, &caller, now)?;
    let key = id.clone();
    let case = state
        .db(move |c| storage::handling::cases::latest(c, &key))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("预警 {id} 没有处置记录 / warning {id} has no case")))?;
    may_act(&caller, &case, act.action)?;
    let (case_id, action) = (case.id, act.action);
    let outcome = state.db(move |c| storage::handling::actions::act(c, case_id, &act, now)).await?;
    if let Acted::Refused(s) = outcome {
        return Err(not_allowed(action, s));
    }
    state.changes.bump();
    warning_item(&state, &caller, &id).await.map(web::Json)
}

/// Checks a body and makes the action (422 with its code when a rule is broken).
fn checked(body: &ActionBody, caller: &Caller, now: NaiveDateTime) -> ApiResult<Act> {
    let action = Action::parse(&body.action).ok_or_else(|| {
        ApiError::unprocessable(
            Code::BadAction,
            format!(
                "未知的处置动作 / unknown action {:?}: sign, respond, verify, return, supervise, note",
                body.action
            ),
        )
    })?;
    let note = body.note.as_deref().unwrap_or("").trim().to_owned();
    if action.needs_note() && note.is_empty() {
        return Err(ApiError::unprocessable(
            Code::NoteRequired,
            format!("“{}”须填写说明 / {} needs a note", action.label(), action.key()),
        ));
    }
    if note.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            Code::NoteRequired,
            "说明不能超过 2000 字 / a note is at most 2000 characters",
        ));
    }
    let deadline = body.deadline.as_deref().map(parse_deadline).transpose()?;
    match (action, deadline) {
        (Action::Supervise, None) => {
            return Err(ApiError::unprocessable(
                Code::DeadlineRequired,
                "挂牌督办须给出期限 / supervise needs a deadline",
            ));
        }
        (Action::Supervise, Some(d)) if d <= now => {
            return Err(ApiError::unprocessable(
                Code::DeadlineRequired,
                "督办期限须晚于当前时间 / the deadline must be in the future",
            ));
        }
        (a, Some(_)) if a != Action::Supervise => {
            return Err(ApiError::unprocessable(
                Code::BadAction,
                "只有挂牌督办可设期限 / only supervise takes a deadline",
            ));
        }
        _ => {}
    }
    if body.done.is_some() && action != Action::Respond {
        return Err(ApiError::unprocessable(Code::BadAction, "done 仅用于 respond / done is for respond only"));
    }
    Ok(Act {
        action,
        actor: caller.claims.sub.clone(),
        role: caller.role().key().to_owned(),
        note,
        deadline,
        done: body.done.unwrap_or(true),
        files: files(body.attachments.as_deref().unwrap_or(&[]))?,
    })
}

/// A deadline: RFC 3339 with an offset, or a date meaning the end of that day in Asia/Shanghai.
fn parse_deadline(s: &str) -> ApiResult<NaiveDateTime> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.naive_utc());
    }
    if let Some(next) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.succ_opt()) {
        return Ok(domain::time::local_midnight_utc(next));
    }
    Err(ApiError::unprocessable(
        Code::DeadlineRequired,
        format!("期限格式无效 / bad deadline {s:?}: RFC 3339 with an offset, or YYYY-MM-DD"),
    ))
}

/// The files of a body, decoded and checked.
fn files(list: &[FileBody]) -> ApiResult<Vec<NewFile>> {
    let bad = |detail: String| ApiError::unprocessable(Code::BadAttachment, detail);
    if list.len() > MAX_FILES {
        return Err(bad(format!("附件最多 {MAX_FILES} 个 / at most {MAX_FILES} files")));
    }
    list.iter()
        .map(|f| {
            let name = f.name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(bad("附件名称须为 1–200 字 / a file name is 1–200 characters".into()));
            }
            let ct = f.content_type.trim();
            if ct.split_once('/').is_none_or(|(a, b)| a.is_empty() || b.is_empty()) || ct.len() > 100 {
                return Err(bad(format!("附件 {name} 的类型无效 / bad media type {ct:?}")));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f.data.as_bytes())
                .map_err(|e| bad(format!("附件 {name} 不是有效的 base64 / not base64: {e}")))?;
            if bytes.is_empty() || bytes.len() > MAX_FILE_BYTES {
                return Err(bad(format!("附件 {name} 须为 1 字节至 5 MiB / a file is 1 byte to 5 MiB")));
            }
            Ok(NewFile { name: name.to_owned(), content_type: ct.to_owned(), bytes })
        })
        .collect()
}
