//! The published shapes of spot checks (抽查).

use domain::time::format_local;
use serde::{Deserialize, Serialize};
use storage::spot_checks::{SpotDraw, SpotFinding};
use utoipa::ToSchema;

/// Body of `POST /api/v1/spot-checks`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"city": "140300", "size": 2, "seed": 20261129}))]
pub struct DrawBody {
    /// The city to sample (GB/T 2260 code).
    pub city: String,
    /// How many enterprises to draw: 1 to the number registered in the city.
    pub size: u32,
    /// The seed, 0 to 2⁵³ − 1; generated and stored when omitted.
    pub seed: Option<u64>,
}

/// Body of `POST /api/v1/spot-checks/{id}/findings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"companyCode": "140300001", "checkedOn": "2026-11-25", "result": "fail",
    "findings": "包保责任人未按期排查"}))]
pub struct FindingBody {
    /// An enterprise of the draw.
    pub company_code: String,
    /// The local date of the check, `YYYY-MM-DD`: not before the draw, not in the future.
    pub checked_on: String,
    /// `pass` or `fail` (or 合格, 不合格).
    pub result: String,
    /// What the check found.
    #[serde(default)]
    pub findings: String,
}

/// A recorded finding.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    /// The finding's id.
    pub id: i64,
    /// The draw.
    pub draw_id: i64,
    /// The enterprise.
    pub company_code: String,
    /// The local date of the check.
    pub checked_on: String,
    /// `pass` or `fail`.
    pub result: String,
    /// 合格 or 不合格.
    pub result_label: String,
    /// What the check found.
    pub findings: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (Asia/Shanghai).
    pub recorded_at: String,
}

impl From<&SpotFinding> for FindingView {
    fn from(f: &SpotFinding) -> Self {
        let r = &f.finding;
        FindingView {
            id: f.id,
            draw_id: r.draw_id,
            company_code: r.company_code.clone(),
            checked_on: r.checked_on.format("%Y-%m-%d").to_string(),
            result: if r.passed { "pass" } else { "fail" }.to_owned(),
            result_label: if r.passed { "合格" } else { "不合格" }.to_owned(),
            findings: r.findings.clone(),
            recorded_by: r.recorded_by.clone(),
            recorded_at: format_local(r.recorded_at),
        }
    }
}

/// One enterprise of a draw, with its current finding.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DrawnEnterprise {
    /// The enterprise.
    pub company_code: String,
    /// Its name (empty when no longer registered).
    pub company_name: String,
    /// Its current finding (latest by date, then id), null while unchecked.
    pub finding: Option<FindingView>,
}

/// A draw.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DrawView {
    /// The draw's id.
    pub id: i64,
    /// The city sampled.
    pub city_code: String,
    /// Its name.
    pub city_name: String,
    /// The seed: the same seed over the same registered enterprises gives the same sample.
    pub seed: u64,
    /// The sample size.
    pub size: u32,
    /// Who drew it (the token's subject).
    pub drawn_by: String,
    /// When (Asia/Shanghai).
    pub drawn_at: String,
    /// The enterprises drawn, in draw order.
    pub companies: Vec<DrawnEnterprise>,
}

impl DrawView {
    /// The view of a draw with its findings (every version) and the enterprise names.
    pub fn new(d: &SpotDraw, findings: &[SpotFinding], names: &dyn Fn(&str) -> String) -> DrawView {
        DrawView {
            id: d.id,
            city_code: d.draw.city.code().to_owned(),
            city_name: d.draw.city.name().to_owned(),
            seed: d.draw.seed,
            size: d.draw.size,
            drawn_by: d.draw.drawn_by.clone(),
            drawn_at: format_local(d.draw.drawn_at),
            companies: d
                .draw
                .companies
                .iter()
                .map(|c| DrawnEnterprise {
                    company_code: c.clone(),
                    company_name: names(c),
                    finding: report::acceptance::current_finding(findings, d.id, c).map(FindingView::from),
                })
                .collect(),
        }
    }
}
