//! `POST /api/v1/evaluations/{week}/revisions`: a correction of a stored week (`metrics.md` §6). The week is
//! evaluated again from everything known now and stored as its next revision; the earlier revisions stay readable
//! (`GET /api/v1/evaluations?week=&revision=`).

use super::figures::parse_period;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::figures::known;
use actix_web::{HttpResponse, post, web};
use domain::Code;
use domain::Period;
use report::shape::{EvaluationRow, evaluation_rows, to_stored};
use serde::{Deserialize, Serialize};
use storage::events::NewEvent;
use utoipa::ToSchema;

/// The longest reason kept, in characters.
pub const MAX_REASON: usize = 500;

/// Body of `POST /api/v1/evaluations/{week}/revisions`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevisionBody {
    /// Why the week is corrected (required; at most 500 characters), e.g. the data that arrived late.
    pub reason: String,
}

/// What changed for one enterprise between the published revision and the new one.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevisedRow {
    /// The enterprise.
    pub company_code: String,
    /// Its row in the revision that was published; null when it was not evaluated there.
    pub before: Option<EvaluationRow>,
    /// Its row in the new revision; null when it is no longer evaluated.
    pub after: Option<EvaluationRow>,
}

/// Answer of `POST /api/v1/evaluations/{week}/revisions`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevisionAnswer {
    /// The week.
    pub week: String,
    /// The new revision.
    pub revision: i32,
    /// What it knew; it is published from this moment (Asia/Shanghai).
    pub as_of: String,
    /// Enterprises whose score, grade, vetoes, components or weekly figures changed, or that were added or left out.
    pub changed: Vec<RevisedRow>,
}

/// Stores a correction of a stored week as its next revision. Refused when the week is not stored yet (422
/// `week_not_stored`: it is still provisional), when nothing published would change (422 `no_change`), or without a
/// reason (422 `reason_required`). Raises a `evaluation.revised` event.
#[utoipa::path(tag = "figures", params(("week" = String, Path, description = "an ISO week, e.g. 2026-W47")),
    request_body = RevisionBody, security(("bearer" = [])), responses(
    (status = 201, description = "the new revision", body = RevisionAnswer),
    (status = 400, description = "bad week", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the province", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`week_not_stored`, `no_change` or `reason_required`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/evaluations/{week}/revisions")]
pub async fn revise_week(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<RevisionBody>,
) -> ApiResult<HttpResponse> {
    let week = parse_period(&path.into_inner())?;
    if !matches!(week, Period::Week { .. }) {
        return Err(ApiError::bad_request(
            Code::BadPeriod,
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let reason = body.into_inner().reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ApiError::unprocessable(
            Code::ReasonRequired,
            format!("更正须说明原因（1–{MAX_REASON} 字）/ a correction needs a reason of 1–{MAX_REASON} characters"),
        ));
    }
    let known = known(&state, None, None, week.bounds_utc().0).await?;
    let label = week.label();
    let Some(published) = known.published(week) else {
        return Err(ApiError::unprocessable(
            Code::WeekNotStored,
            format!("{label} 的评估尚未发布（仍为临时结果），无需更正 / {label} is not stored yet (provisional)"),
        ));
    };
    let before = report::shape::stored_rows(&known, published)
        .map_err(|e| ApiError::Internal(format!("stored evaluation: {e}")))?;
    let after = evaluation_rows(&known, week);
    let changed = differences(&before, &after);
    if changed.is_empty() {
        return Err(ApiError::unprocessable(
            Code::NoChange,
            format!("重新评估 {label} 的结果与已发布的一致 / evaluating {label} again changes nothing published"),
        ));
    }
    let rows = to_stored(&label, known.as_of, &after).map_err(|e| ApiError::Internal(e.to_string()))?;
    let (key, actor, as_of) = (label.clone(), caller.claims.sub.clone(), known.as_of);
    let revision = state
        .db(move |c| storage::evaluations::revise(c, &key, as_of, &actor, &reason, &rows))
        .await?
        .ok_or_else(|| ApiError::Internal(format!("{label} lost its stored revisions")))?;
    // Province-wide, so a count only: which enterprises changed is read from the revision in scope.
    let data = serde_json::json!({"week": label, "revision": revision, "changed": changed.len()});
    let at = state.clock.now_utc();
    crate::changes::emit(&state, vec![NewEvent::new("evaluation.revised", None, None, &data, at)]).await;
    let answer = RevisionAnswer { week: label, revision, as_of: domain::time::format_local(as_of), changed };
    Ok(HttpResponse::Created().json(answer))
}

/// What a correction compares: score, grade, vetoes, the components and the three weekly figures.
fn published_part(r: &EvaluationRow) -> impl PartialEq + use<'_> {
    let fig = |f: &report::shape::FigureView| (f.num, f.den);
    (
        (r.score, &r.grade, &r.vetoes, r.a, r.b, r.baobao_deduction, r.few_dangers_deduction),
        (fig(&r.task_completion), fig(&r.baobao_completion), fig(&r.rectification), r.overdue_major_dangers),
    )
}

/// The enterprises whose published evaluation differs (see [`published_part`]), or that appear in one revision only.
fn differences(before: &[EvaluationRow], after: &[EvaluationRow]) -> Vec<RevisedRow> {
    use std::collections::BTreeMap;
    let mut all: BTreeMap<&str, (Option<&EvaluationRow>, Option<&EvaluationRow>)> = BTreeMap::new();
    for r in before {
        all.entry(r.company_code.as_str()).or_default().0 = Some(r);
    }
    for r in after {
        all.entry(r.company_code.as_str()).or_default().1 = Some(r);
    }
    let same = |a: &EvaluationRow, b: &EvaluationRow| published_part(a) == published_part(b);
    all.into_iter()
        .filter(|(_, (b, a))| !matches!((b, a), (Some(b), Some(a)) if same(b, a)))
        .map(|(code, (b, a))| RevisedRow {
            company_code: code.to_owned(),
            before: b.cloned(),
            after: a.map(|a| EvaluationRow { provisional: false, ..a.clone() }),
        })
        .collect()
}
