//! `GET /api/v1/rankings`: enterprises by score, cities by 优良率, with rank change (`metrics.md` §7).

use super::figures::{parse_as_of, parse_city, parse_period};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::figures::cached_json;
use actix_web::{get, web};
use domain::Code;
use report::shape::{FigureView, PeriodView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/rankings`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct RankingQuery {
    /// A period; for longer than a week, an enterprise's score is the mean of its weekly scores over the ISO weeks
    /// ending within it.
    pub period: String,
    /// `enterprises` or `cities`.
    pub of: String,
    /// Enterprises of this city only (a city token ranking enterprises: its own city).
    pub city: Option<String>,
    /// Knowledge moment, RFC 3339 (default: now).
    pub as_of: Option<String>,
}

/// A ranked row.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RankingRow {
    /// 1-based rank.
    pub rank: usize,
    /// Company code or city code.
    pub key: String,
    /// Name.
    pub name: String,
    /// Enterprises: the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Enterprises: the grade of the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Cities: 优良率.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excellent_good_rate: Option<FigureView>,
    /// Cities: the mean score of the evaluated enterprises.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_score: Option<f64>,
    /// Previous rank − this rank (positive = moved up); null without a previous rank.
    pub rank_change: Option<i64>,
}

/// `GET /api/v1/rankings`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RankingsResponse {
    /// The period.
    pub period: PeriodView,
    /// `enterprises` or `cities`.
    pub of: String,
    /// What was known at this moment (Asia/Shanghai).
    pub as_of: String,
    /// The ISO weeks whose scores count: the week itself, or for a longer period the weeks ending within it that
    /// have ended at `asOf` (`metrics.md` §7).
    pub weeks: Vec<String>,
    /// True when a week that counts is not stored yet: its scores are computed live and may still change
    /// (`metrics.md` §6). A ranking of stored weeks is read from the stored evaluations alone and never moves.
    pub provisional: bool,
    /// The counted weeks not stored yet (the provisional ones).
    pub provisional_weeks: Vec<String>,
    /// `ranked`, or `no_complete_week` when no week of a longer period has ended at `asOf` (the first days of a
    /// month or report month): `rows` is then empty and [`RankingsResponse::notice`] says when the first week ends.
    pub status: String,
    /// When the first week of the period ends (Asia/Shanghai), for `no_complete_week`; otherwise null.
    pub first_week_ends: Option<String>,
    /// What a reader is told instead of an empty table, for `no_complete_week` (zh-CN / English); otherwise null.
    pub notice: Option<String>,
    /// Rows in rank order.
    pub rows: Vec<RankingRow>,
}

/// Rankings of a period. A city token may rank the cities (aggregates only) and its own enterprises.
#[utoipa::path(tag = "figures", params(RankingQuery), security(("bearer" = [])), responses(
    (status = 200, description = "ranked rows", body = RankingsResponse),
    (status = 400, description = "bad period, of, city or asOf", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/rankings")]
pub async fn get_rankings(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<RankingQuery>,
) -> ApiResult<actix_web::HttpResponse> {
    let period = parse_period(&q.period)?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let requested = parse_city(q.city.as_deref())?;
    let of = q.of.clone();
    let scope = match of.as_str() {
        "enterprises" => caller.city_scope(requested)?,
        "cities" if requested.is_some() => {
            return Err(ApiError::bad_request(
                Code::BadQuery,
                "城市排名不接受 city 参数 / the city ranking takes no city filter",
            ));
        }
        // Every city's aggregate is visible to a city bureau; no enterprise detail is returned.
        "cities" => None,
        other => {
            return Err(ApiError::bad_request(
                Code::BadOf,
                format!("of 必须是 enterprises 或 cities / of must be enterprises or cities: {other:?}"),
            ));
        }
    };
    let key = format!("rankings|{}|{of}|{scope:?}", period.label());
    let span = (report::figures::since(period), period.bounds_utc().1);
    cached_json(&state, key, scope, as_of, span, move |known| async move { Ok(rankings(&known, period, &of)) }).await
}

/// The ranking of a period under some knowledge.
fn rankings(known: &report::Known, period: domain::Period, of: &str) -> RankingsResponse {
    let rows = if of == "enterprises" {
        let names: std::collections::HashMap<String, String> =
            known.registry.iter().map(|e| (e.code.to_string(), e.name.clone())).collect();
        report::standings::rank_enterprises(known, period)
            .into_iter()
            .map(|r| RankingRow {
                rank: r.rank,
                name: names.get(&r.row.company).cloned().unwrap_or_default(),
                key: r.row.company,
                score: Some(r.row.score),
                grade: Some(r.row.grade.label().to_owned()),
                excellent_good_rate: None,
                mean_score: None,
                rank_change: r.change,
            })
            .collect()
    } else {
        report::standings::rank_cities(known, period)
            .into_iter()
            .map(|r| RankingRow {
                rank: r.rank,
                name: domain::City::from_code(&r.row.city).map(|c| c.name().to_owned()).unwrap_or_default(),
                key: r.row.city,
                score: None,
                grade: None,
                excellent_good_rate: Some(r.row.excellent_good.into()),
                mean_score: r.row.mean_score,
                rank_change: r.change,
            })
            .collect()
    };
    let weeks = report::standings::counted_weeks(known, period).iter().map(|w| w.label()).collect();
    let provisional_weeks: Vec<String> =
        report::standings::provisional_weeks(known, period).iter().map(|w| w.label()).collect();
    let until = report::standings::no_complete_week_until(period, known.as_of);
    let notice = until.map(|t| {
        let day = domain::time::utc_to_local(t).format("%Y年%-m月%-d日 %H:%M");
        format!(
            "本期尚无完整评估周，排名将在首个评估周结束（{day}）后生成 / no evaluation week of this period has ended \
             yet; the first ranking exists once the first week ends"
        )
    });
    RankingsResponse {
        period: period.into(),
        of: of.to_owned(),
        as_of: domain::time::format_local(known.as_of),
        weeks,
        provisional: !provisional_weeks.is_empty(),
        provisional_weeks,
        status: if until.is_some() { "no_complete_week" } else { "ranked" }.to_owned(),
        first_week_ends: until.map(domain::time::format_local),
        notice,
        rows,
    }
}
