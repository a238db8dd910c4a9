//! The change feed (`GET /api/v1/changes`, `docs/integration.md`): events appended by ingestion, the jobs and the
//! change detector, read by cursor, scoped by role, woken by a [`Signal`] for long-polls and the webhook worker.

pub mod detect;
pub mod route;
pub mod worker;

pub use worker::{ChangeConfig, start_change_worker};

use crate::AppState;
use crate::auth::{Caller, Role};
use storage::events::{EventRow, NewEvent, Scope};

/// The kinds of event, as they appear in `kind`.
pub const KINDS: [&str; 16] = [
    "batch.stored",
    storage::held::DISCARDED_EVENT,
    "figure.changed",
    "evaluation.published",
    "evaluation.revised",
    "warning.opened",
    "warning.closed",
    "warning.signed",
    "warning.responded",
    "warning.verified",
    "warning.returned",
    "warning.supervised",
    "warning.noted",
    "warning.escalated",
    "report.frozen",
    "report.revised",
];

/// Kinds the service role does not see (enterprise record-level detail).
pub const NOT_FOR_SERVICE: [&str; 2] = ["batch.stored", storage::held::DISCARDED_EVENT];

/// Wakes long-polls and the webhook worker when events were appended in this process (other processes are noticed
/// by polling, at most a second later). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Signal {
    tx: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
}

impl Default for Signal {
    fn default() -> Self {
        Signal { tx: std::sync::Arc::new(tokio::sync::watch::channel(0).0) }
    }
}

impl Signal {
    /// Says that events were appended.
    pub fn bump(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that sees the next [`Signal::bump`].
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.tx.subscribe()
    }
}

/// The events a role may see: province everything; a city its own and province-wide events that carry no
/// enterprise detail; an enterprise its own; the service role everything but [`NOT_FOR_SERVICE`].
pub fn scope_of(role: Role, city: Option<&str>, company: Option<&str>) -> Scope {
    match role {
        Role::Province => Scope::All,
        Role::City => Scope::City(city.unwrap_or_default().to_owned()),
        Role::Enterprise => Scope::Company(company.unwrap_or_default().to_owned()),
        Role::Service => Scope::AllBut(NOT_FOR_SERVICE.iter().map(|k| (*k).to_owned()).collect()),
        // The administrators see no business events (the policy gives them no feed either): no company matches "".
        Role::Sysadmin | Role::Secadmin | Role::Auditor => Scope::Company(String::new()),
    }
}

/// The scope of a caller.
pub fn caller_scope(caller: &Caller) -> Scope {
    scope_of(caller.role(), caller.claims.city_code.as_deref(), caller.claims.company_code.as_deref())
}

/// An event as consumers see it (the feed's lines and the webhooks' bodies).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The cursor: strictly increasing; resume with `after=<cursor>`.
    pub cursor: i64,
    /// When it happened (Asia/Shanghai, `+08:00`).
    pub at: String,
    /// `batch.stored`, `records.discarded`, `figure.changed`, `evaluation.published`, `evaluation.revised`,
    /// `warning.opened`, `warning.closed`, `warning.signed` … `warning.escalated`, `report.frozen` or `report.revised`.
    pub kind: String,
    /// The city it concerns (GB/T 2260), absent for province-wide events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city_code: Option<String>,
    /// The enterprise it concerns, absent when it carries no enterprise detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_code: Option<String>,
    /// The kind's data (`docs/integration.md` gives each shape).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<EventRow> for Event {
    fn from(r: EventRow) -> Self {
        Event {
            cursor: r.seq,
            at: domain::time::format_local(r.at),
            kind: r.kind,
            city_code: r.city_code,
            company_code: r.company_code,
            data: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Appends events after the work they report has committed, and wakes the readers. A failure is logged, not
/// returned: the work itself succeeded.
pub async fn emit(state: &AppState, events: Vec<NewEvent>) {
    if events.is_empty() {
        return;
    }
    match state.db(move |c| Ok(storage::events::append_now(c, &events)?)).await {
        Ok(_) => state.changes.bump(),
        Err(e) => tracing::error!(error = %e, "change feed events could not be appended"),
    }
}
