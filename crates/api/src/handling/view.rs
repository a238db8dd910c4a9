//! The views of a case's handling: its state, deadlines, escalations, the actions the caller may take now, and its
//! timeline. Times are Asia/Shanghai.

use super::scope::allowed;
use crate::auth::Caller;
use domain::handling::{Action, Escalation, HandlingState};
use domain::time::format_local;
use serde::Serialize;
use storage::handling::actions::StepRow;
use storage::handling::cases::CaseRow;
use utoipa::ToSchema;

/// A file attached to an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    /// The SHA-256 of its content.
    pub sha256: String,
    /// Its name.
    pub name: String,
    /// Its media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Where to fetch it (`/api/v1/attachments/{sha256}`).
    pub url: String,
}

/// One step of a timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    /// `sign`, `respond`, `verify`, `return`, `supervise`, `note`, or a system step: `opened`, `cleared`,
    /// `reopened`, `escalated`.
    pub action: String,
    /// Its Chinese label.
    pub action_label: String,
    /// The username, or `system`.
    pub actor: String,
    /// The actor's role, for people.
    pub role: Option<String>,
    /// When.
    pub at: String,
    /// The note: measures, reason, instruction, or what the platform saw.
    pub note: String,
    /// The deadline a supervision set.
    pub deadline: Option<String>,
    /// Files attached.
    pub attachments: Vec<FileView>,
    /// The state before (actions).
    pub from_state: Option<String>,
    /// The state after (actions).
    pub to_state: Option<String>,
}

/// One escalation of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EscalationView {
    /// `unsigned`, `supervision_overdue` or `returned_twice`.
    pub reason: String,
    /// Its Chinese label.
    pub reason_label: String,
    /// When.
    pub at: String,
}

/// The handling of a warning: one case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HandlingView {
    /// The case number.
    pub case_id: i64,
    /// `pending_sign`, `signed`, `handling`, `pending_verify` or `closed`.
    pub state: String,
    /// 待签收, 已签收, 处置中, 待核销 or 已办结.
    pub state_label: String,
    /// When the warning opened.
    pub opened_at: String,
    /// By when it must be signed.
    pub sign_due: String,
    /// By when it must be closed (the supervision deadline once supervised).
    pub close_due: String,
    /// When it was signed, and by whom.
    pub signed_at: Option<String>,
    /// Who signed it.
    pub signed_by: Option<String>,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// Who closed it (`system` when a non-red cause cleared).
    pub closed_by: Option<String>,
    /// When its cause cleared (a red case still needs verifying).
    pub cleared_at: Option<String>,
    /// When the province supervised it (挂牌督办).
    pub supervised_at: Option<String>,
    /// The supervision deadline.
    pub supervise_deadline: Option<String>,
    /// Times returned.
    pub returns: i32,
    /// 0 (not escalated) to 3: how many reasons escalated it to the province.
    pub escalation_level: i32,
    /// When it was first escalated.
    pub escalated_at: Option<String>,
    /// Its escalations (in the item answers; empty in lists).
    pub escalations: Vec<EscalationView>,
    /// The actions the caller may take now.
    pub actions: Vec<String>,
    /// The timeline, oldest first (in the item answers; empty in lists).
    pub timeline: Vec<StepView>,
}

/// A case with its warning, as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseView {
    /// The warning's id.
    pub warning_id: String,
    /// The warning's kind.
    pub kind: String,
    /// `red`, `orange` or `yellow`.
    pub level: String,
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub company_name: String,
    /// Its city.
    pub city_code: String,
    /// What was wrong when it opened.
    pub detail: String,
    /// The handling.
    pub handling: HandlingView,
}

/// The handling view of a case for a caller; `steps` and `escalations` fill the item answers.
pub fn handling_view(
    caller: &Caller,
    case: &CaseRow,
    steps: &[StepRow],
    escalations: &[(String, chrono::NaiveDateTime)],
) -> HandlingView {
    let state = case.handling_state();
    let t = |x: Option<chrono::NaiveDateTime>| x.map(format_local);
    HandlingView {
        case_id: case.id,
        state: state.key().into(),
        state_label: state.label().into(),
        opened_at: format_local(case.opened_at),
        sign_due: format_local(case.sign_due),
        close_due: format_local(case.close_due),
        signed_at: t(case.signed_at),
        signed_by: case.signed_by.clone(),
        closed_at: t(case.closed_at),
        closed_by: case.closed_by.clone(),
        cleared_at: t(case.cleared_at),
        supervised_at: t(case.supervised_at),
        supervise_deadline: t(case.supervise_deadline),
        returns: case.returns,
        escalation_level: case.escalation_level,
        escalated_at: t(case.escalated_at),
        escalations: escalations
            .iter()
            .map(|(reason, at)| EscalationView {
                reason: reason.clone(),
                reason_label: Escalation::parse(reason).map_or("", Escalation::label).into(),
                at: format_local(*at),
            })
            .collect(),
        actions: allowed(caller, case).into_iter().map(|a| a.key().to_owned()).collect(),
        timeline: steps.iter().map(step_view).collect(),
    }
}

fn step_view(s: &StepRow) -> StepView {
    let label = Action::parse(&s.action).map(Action::label).unwrap_or(match s.action.as_str() {
        "opened" => "预警产生",
        "cleared" => "原因消除",
        "reopened" => "原因再现",
        "escalated" => "升级至省级",
        _ => "",
    });
    let state_key = |k: &Option<String>| k.as_deref().and_then(HandlingState::parse).map(|x| x.key().to_owned());
    StepView {
        action: s.action.clone(),
        action_label: label.into(),
        actor: s.actor.clone(),
        role: s.role.clone(),
        at: format_local(s.at),
        note: s.note.clone(),
        deadline: s.deadline.map(format_local),
        attachments: s
            .files()
            .into_iter()
            .map(|f| FileView {
                url: format!("/api/v1/attachments/{}", f.sha256),
                sha256: f.sha256,
                name: f.name,
                content_type: f.content_type,
                size: f.size,
            })
            .collect(),
        from_state: state_key(&s.from_state),
        to_state: state_key(&s.to_state),
    }
}

/// A case as lists show it (no timeline, no escalations).
pub fn case_view(caller: &Caller, case: &CaseRow, company_name: &str) -> CaseView {
    CaseView {
        warning_id: case.warning_id.clone(),
        kind: case.kind.clone(),
        level: case.level.clone(),
        company_code: case.company_code.clone(),
        company_name: company_name.to_owned(),
        city_code: case.city_code.clone(),
        detail: case.detail.clone(),
        handling: handling_view(caller, case, &[], &[]),
    }
}
