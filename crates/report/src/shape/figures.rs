//! The published shape of figures (`metrics.md` §8): what `GET /api/v1/metrics` and `dualprev metrics` answer.

use metrics::aggregate::Aggregate;
use metrics::figure::Figure;
use serde::Serialize;

/// A figure: numerator, denominator and rate (`null` when the denominator is 0).
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"num": 12, "den": 15, "rate": 0.8})))]
pub struct FigureView {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
    /// num / den, unrounded; null when den is 0.
    pub rate: Option<f64>,
}

impl From<Figure> for FigureView {
    fn from(f: Figure) -> Self {
        FigureView { num: f.num, den: f.den, rate: f.rate() }
    }
}

/// A period with its bounds.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodView {
    /// `2026-W47`, `2026-11`, `2026-11R` or `2026-11-01..2026-12-01`.
    pub label: String,
    /// Start (Asia/Shanghai).
    pub from: String,
    /// End, exclusive (Asia/Shanghai).
    pub to: String,
}

impl From<domain::Period> for PeriodView {
    fn from(p: domain::Period) -> Self {
        let (t0, t1) = p.bounds_utc();
        PeriodView { label: p.label(), from: domain::time::format_local(t0), to: domain::time::format_local(t1) }
    }
}

/// Active units per risk class.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitsByClass {
    /// 重大 (red).
    pub major: u64,
    /// 较大 (orange).
    pub large: u64,
    /// 一般 (yellow).
    pub general: u64,
    /// 低 (blue).
    pub low: u64,
}

/// One row of figures: an enterprise, a city, a batch or the province.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FigureRow {
    /// Company code, city code, batch (`1`, `2`, `unknown`) or `province`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Enterprises summed in this row.
    pub enterprises: u64,
    /// 安全风险分析完成率 (at the end of the period).
    pub risk_analysis: FigureView,
    /// 排查任务完成率.
    pub task_completion: FigureView,
    /// 包保 task completion.
    pub baobao_completion: FigureView,
    /// 隐患整改率.
    pub rectification: FigureView,
    /// On-time rectification.
    pub rectification_on_time: FigureView,
    /// 重大隐患整改率.
    pub major_rectification: FigureView,
    /// 重大 on-time rectification.
    pub major_rectification_on_time: FigureView,
    /// 累计整改率.
    pub cumulative_rectification: FigureView,
    /// Overdue dangers at min(end, asOf).
    pub overdue_dangers: u64,
    /// Overdue 重大 dangers.
    pub overdue_major_dangers: u64,
    /// Open 重大 dangers.
    pub open_major_dangers: u64,
    /// Active units by risk class.
    pub units_by_risk_class: UnitsByClass,
    /// Data quality (`metrics.md` §9): late entries, held and rejected records. Never part of a score.
    pub data_quality: DataQualityView,
    /// Warning handling (`metrics.md` §11): only in city and province rows of a calendar month or a report month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub handling: Option<super::handling::HandlingFigures>,
}

/// Data quality of a row (`metrics.md` §9, 防止“两张皮”).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataQualityView {
    /// `lateShare`: check records (not deleted) with `checkTime` in the period whose first version was received more
    /// than 24 h after `checkTime` / all of them; rate null when there are none.
    pub late_check_records: FigureView,
    /// Dangers registered in the period whose first version was received more than 24 h after `registTime` / all of
    /// them.
    pub late_dangers: FigureView,
    /// Records held for a missing parent at T = min(end, asOf).
    pub held_records: u64,
    /// When the oldest held record was received (Asia/Shanghai); null when none is held.
    pub oldest_held_at: Option<String>,
    /// Its age at T, in hours (rounded down); null when none is held.
    pub oldest_held_hours: Option<i64>,
    /// Records rejected in batches received in [start, T).
    pub rejected_records: u64,
    /// The same by error code (`docs/data-exchange.md` codes).
    pub rejected_by_code: std::collections::BTreeMap<String, u64>,
}

impl DataQualityView {
    /// The view of a group's figures and intake at T.
    pub fn new(a: &Aggregate, intake: Option<&crate::quality::IntakeSums>, t: chrono::NaiveDateTime) -> Self {
        let intake = intake.cloned().unwrap_or_default();
        DataQualityView {
            late_check_records: a.lateness.checks.into(),
            late_dangers: a.lateness.dangers.into(),
            held_records: intake.held,
            oldest_held_at: intake.oldest_held.map(domain::time::format_local),
            oldest_held_hours: intake.oldest_held.map(|o| (t - o).num_hours()),
            rejected_records: intake.rejected_total(),
            rejected_by_code: intake.rejected,
        }
    }
}

impl FigureRow {
    /// A row from a group, with its data quality.
    pub fn new(key: String, name: String, a: &Aggregate, data_quality: DataQualityView) -> FigureRow {
        let r = &a.rectification;
        FigureRow {
            key,
            name,
            enterprises: a.enterprises,
            risk_analysis: a.risk_analysis.into(),
            task_completion: a.task_completion.into(),
            baobao_completion: a.baobao_completion.into(),
            rectification: r.all.into(),
            rectification_on_time: r.on_time.into(),
            major_rectification: r.major.into(),
            major_rectification_on_time: r.major_on_time.into(),
            cumulative_rectification: r.cumulative.into(),
            overdue_dangers: a.dangers.overdue,
            overdue_major_dangers: a.dangers.overdue_major,
            open_major_dangers: a.dangers.open_major,
            units_by_risk_class: UnitsByClass {
                major: a.units_by_class[0],
                large: a.units_by_class[1],
                general: a.units_by_class[2],
                low: a.units_by_class[3],
            },
            data_quality,
            handling: None,
        }
    }
}

/// `GET /api/v1/metrics`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MetricsResponse {
    /// The period.
    pub period: PeriodView,
    /// What was known at this moment (Asia/Shanghai).
    pub as_of: String,
    /// `enterprise`, `city`, `batch` or `province`.
    pub by: String,
    /// The rows.
    pub rows: Vec<FigureRow>,
}

/// The figures of a period under some knowledge, in the published shape (the API's `/metrics` and the CLI's
/// `dualprev metrics`): one row per group, with its data quality at T = min(end, asOf).
pub fn metrics_response(
    known: &crate::Known,
    period: domain::Period,
    by: crate::By,
    intake: &crate::quality::Intake,
) -> Result<MetricsResponse, storage::StorageError> {
    let lines = known.lines(period);
    let groups = crate::figures::group(&lines, by)?;
    let sums = intake.by_group(&lines, by);
    let t = period.bounds_utc().1.min(known.as_of);
    Ok(MetricsResponse {
        period: period.into(),
        as_of: domain::time::format_local(known.as_of),
        by: by.name().to_owned(),
        rows: groups
            .iter()
            .map(|g| {
                let quality = DataQualityView::new(&g.figures, sums.get(&g.key), t);
                FigureRow::new(g.key.clone(), g.name.clone(), &g.figures, quality)
            })
            .collect(),
    })
}
