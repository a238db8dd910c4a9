//! The published shapes of acceptances (验收).

use domain::time::format_local;
use report::acceptance::{grade_key, parse_grade};
use report::monthly::AcceptanceLine;
use report::shape::FigureView;
use serde::{Deserialize, Serialize};
use storage::acceptance::Acceptance;
use utoipa::ToSchema;

/// Body of `POST /api/v1/acceptances`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"companyCode": "140300002", "acceptedOn": "2026-11-20", "experts": ["张三", "李四"],
    "grade": "中", "findings": "隐患排查记录不全", "rectifyBy": "2026-12-20"}))]
pub struct AcceptanceBody {
    /// The enterprise (one of the caller's city).
    pub company_code: String,
    /// The local date of the acceptance, `YYYY-MM-DD`, not in the future.
    pub accepted_on: String,
    /// The experts' names (at least one, none blank).
    pub experts: Vec<String>,
    /// 优, 良, 中 or 差 (or excellent, good, fair, poor).
    pub grade: String,
    /// What the experts found.
    #[serde(default)]
    pub findings: String,
    /// The rectification deadline, `YYYY-MM-DD`; required when the grade is 中 or 差.
    pub rectify_by: Option<String>,
    /// The local date of the re-check after rectification (given together with `recheckGrade`).
    pub recheck_on: Option<String>,
    /// The re-check's grade; when present it replaces `grade` for the city's pass status.
    pub recheck_grade: Option<String>,
}

/// A stored acceptance.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceView {
    /// The acceptance's id.
    pub id: i64,
    /// The enterprise.
    pub company_code: String,
    /// Its city.
    pub city_code: String,
    /// The local date of the acceptance.
    pub accepted_on: String,
    /// The experts.
    pub experts: Vec<String>,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// What the experts found.
    pub findings: String,
    /// The rectification deadline.
    pub rectify_by: Option<String>,
    /// The re-check's date.
    pub recheck_on: Option<String>,
    /// The re-check's grade.
    pub recheck_grade: Option<String>,
    /// The grade that counts: the re-check's when there is one.
    pub effective_grade: String,
    /// The key of the effective grade: `excellent`, `good`, `fair` or `poor`.
    pub effective_grade_key: String,
    /// Who recorded it (the token's subject, e.g. `city:140300`).
    pub recorded_by: String,
    /// When (Asia/Shanghai).
    pub recorded_at: String,
}

impl From<&Acceptance> for AcceptanceView {
    fn from(a: &Acceptance) -> Self {
        let r = &a.record;
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        AcceptanceView {
            id: a.id,
            company_code: r.company_code.clone(),
            city_code: r.city.code().to_owned(),
            accepted_on: day(r.accepted_on),
            experts: r.experts.clone(),
            grade: r.grade.clone(),
            findings: r.findings.clone(),
            rectify_by: r.rectify_by.map(day),
            recheck_on: r.recheck_on.map(day),
            recheck_grade: r.recheck_grade.clone(),
            effective_grade: a.effective_grade().to_owned(),
            effective_grade_key: parse_grade(a.effective_grade()).map(grade_key).unwrap_or_default().to_owned(),
            recorded_by: r.recorded_by.clone(),
            recorded_at: format_local(r.recorded_at),
        }
    }
}

/// A city's acceptance status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceCityView {
    /// City code.
    pub city_code: String,
    /// City name.
    pub city_name: String,
    /// Registered enterprises.
    pub registered: u64,
    /// Enterprises with an acceptance on record.
    pub accepted: u64,
    /// 优良率: current effective grade 优 or 良 over registered enterprises.
    pub excellent_good: FigureView,
    /// Enterprises under rectification (current effective grade 中 or 差).
    pub rectifying: u64,
    /// Whether the city can pass (优良率 100 %).
    pub passes: bool,
}

impl From<AcceptanceLine> for AcceptanceCityView {
    fn from(l: AcceptanceLine) -> Self {
        AcceptanceCityView {
            city_code: l.city,
            city_name: l.name,
            registered: l.registered,
            accepted: l.accepted,
            excellent_good: l.excellent_good.into(),
            rectifying: l.rectifying,
            passes: l.passes,
        }
    }
}

/// A registered enterprise with its current acceptance.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseAcceptance {
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub company_name: String,
    /// Its city.
    pub city_code: String,
    /// Its current acceptance (latest by date, then id), null when none is recorded.
    pub current: Option<AcceptanceView>,
}

/// `GET /api/v1/acceptances`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcceptancesResponse {
    /// One line per city in scope, in GB/T 2260 order.
    pub cities: Vec<AcceptanceCityView>,
    /// Every registered enterprise in scope, by city and code.
    pub enterprises: Vec<EnterpriseAcceptance>,
}
