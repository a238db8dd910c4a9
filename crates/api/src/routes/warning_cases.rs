//! `GET /api/v1/warning-cases`: the handling cases, open and closed, with filters and counts by state — what the
//! dashboard's 预警处置 page lists (`docs/warnings.md`).

use super::figures::parse_city;
use super::warnings::company_scope;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::handling::view::{CaseView, case_view};
use actix_web::{get, web};
use domain::Code;
use domain::handling::HandlingState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use storage::handling::cases::Filter;
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/warning-cases`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct CaseQuery {
    /// One city (a city: its own only).
    pub city: Option<String>,
    /// One enterprise (an enterprise: itself only).
    pub company: Option<String>,
    /// One state: `pending_sign`, `signed`, `handling`, `pending_verify`, `closed` (or its Chinese label), or
    /// `open` for every state but closed.
    pub state: Option<String>,
    /// `red`, `orange` or `yellow`.
    pub level: Option<String>,
    /// A warning kind (`overdue_major_danger` …).
    pub kind: Option<String>,
    /// `true`: escalated only; `false`: not escalated.
    pub escalated: Option<bool>,
    /// `true`: supervised (挂牌督办) only; `false`: not supervised.
    pub supervised: Option<bool>,
    /// At most this many rows (1–500, default 100).
    pub limit: Option<i64>,
    /// Skip this many rows.
    pub offset: Option<i64>,
}

/// `GET /api/v1/warning-cases`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CasesResponse {
    /// How many cases match the filters.
    pub total: i64,
    /// Cases in the caller's scope (city and company filters only) by state key, every state present.
    pub counts: BTreeMap<String, i64>,
    /// The page of cases, newest first.
    pub rows: Vec<CaseView>,
}

/// Handling cases, newest first: province all, a city its own, an enterprise its own, the service role all.
#[utoipa::path(tag = "figures", params(CaseQuery), security(("bearer" = [])), responses(
    (status = 200, description = "cases", body = CasesResponse),
    (status = 400, description = "a bad filter", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/warning-cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<CaseQuery>,
) -> ApiResult<web::Json<CasesResponse>> {
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let company = company_scope(&caller, q.company.as_deref())?;
    let bad = |what: &str, v: &str| ApiError::bad_request(Code::BadQuery, format!("{what} 无效 / bad {what}: {v:?}"));
    let (state_key, open) = match q.state.as_deref() {
        None => (None, false),
        Some("open") => (None, true),
        Some(s) => (Some(HandlingState::parse(s).ok_or_else(|| bad("state", s))?.key().to_owned()), false),
    };
    if let Some(l) = q.level.as_deref().filter(|l| !["red", "orange", "yellow"].contains(l)) {
        return Err(bad("level", l));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(bad("limit", &format!("{limit}")));
    }
    let scope = Filter { city: city.map(|c| c.code().to_owned()), company, ..Default::default() };
    let filter = Filter {
        state: state_key,
        open,
        level: q.level.clone(),
        kind: q.kind.clone(),
        escalated: q.escalated,
        supervised: q.supervised,
        ..scope.clone()
    };
    let offset = q.offset.unwrap_or(0);
    let (rows, total, by_state, names) = state
        .db(move |c| {
            let rows = storage::handling::cases::list(c, &filter, limit, offset)?;
            let total = storage::handling::cases::count(c, &filter)?;
            let by_state = storage::handling::cases::counts(c, &scope)?;
            let codes: Vec<String> = rows.iter().map(|r| r.company_code.clone()).collect();
            let names = storage::handling::cases::company_names(c, &codes)?;
            Ok((rows, total, by_state, names))
        })
        .await?;
    let mut counts: BTreeMap<String, i64> = HandlingState::ALL.iter().map(|s| (s.key().to_owned(), 0)).collect();
    for (k, n) in by_state {
        *counts.entry(k).or_default() += n;
    }
    let rows =
        rows.iter().map(|r| case_view(&caller, r, names.get(&r.company_code).map_or("", String::as_str))).collect();
    Ok(web::Json(CasesResponse { total, counts, rows }))
}
