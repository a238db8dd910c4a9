//! The content of the monthly report on the 20th (月报): what a city bureau files with the provincial task force,
//! and what the province circulates (排序通报). Plain data, rendered to XLSX and HTML by the sibling modules; every
//! value comes from the figures known at the report's `asOf`, so regenerating from the same `asOf` gives the same
//! bytes.

use chrono::{NaiveDate, NaiveDateTime};
use metrics::figure::Figure;
use serde::{Deserialize, Serialize};

/// Whose report it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportScope {
    /// The province: every city, ranked.
    Province,
    /// One city (its GB/T 2260 code): its enterprises.
    City(String),
}

/// The construction progress of one batch against its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchProgress {
    /// `1`, `2` or `unknown`.
    pub batch: String,
    /// 第一批次, 第二批次, 批次未知.
    pub label: String,
    /// The construction deadline (`Batch::deadline`: batch 1 2022-06-30, batch 2 and unknown 2022-12-31).
    pub deadline: Option<NaiveDate>,
    /// Enterprises registered.
    pub registered: u64,
    /// Enterprises connected (data in the last 7 days in every table that has data) at the report's end.
    pub connected: u64,
    /// Enterprises that sent any accepted data in the report month.
    pub sending: u64,
    /// Enterprises evaluated with a grade in the report month (at least one week ended).
    pub evaluated: u64,
}

/// The figures of one row: a city (province report), an enterprise (city report), or a total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FigureLine {
    /// City code or company code; `total` for the scope's total.
    pub key: String,
    /// Display name.
    pub name: String,
    /// 安全风险分析完成率.
    pub risk_analysis: Figure,
    /// 排查任务完成率.
    pub task_completion: Figure,
    /// 包保任务完成率.
    pub baobao_completion: Figure,
    /// 隐患整改率.
    pub rectification: Figure,
    /// 按期整改率.
    pub rectification_on_time: Figure,
    /// 重大隐患整改率.
    pub major_rectification: Figure,
    /// 累计整改率.
    pub cumulative_rectification: Figure,
    /// 超期隐患 at the report's end.
    pub overdue_dangers: u64,
    /// 超期重大隐患.
    pub overdue_major_dangers: u64,
    /// 未整改重大隐患.
    pub open_major_dangers: u64,
}

/// A ranked city (province report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CityRankLine {
    /// 1-based rank.
    pub rank: u32,
    /// City code.
    pub city: String,
    /// City name.
    pub name: String,
    /// 优良率.
    pub excellent_good: Figure,
    /// Mean score of its evaluated enterprises.
    pub mean_score: Option<f64>,
    /// Rank change against last month (positive = up).
    pub change: Option<i64>,
}

/// A ranked enterprise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseRankLine {
    /// 1-based rank.
    pub rank: u32,
    /// Company code.
    pub company: String,
    /// Name.
    pub name: String,
    /// City name.
    pub city: String,
    /// Mean weekly score over the weeks ending in the report month.
    pub score: f64,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// Rank change against last month.
    pub change: Option<i64>,
}

/// The grade distribution of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GradeLine {
    /// City code, or `total`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Enterprises graded 优.
    pub excellent: u64,
    /// 良.
    pub good: u64,
    /// 中.
    pub fair: u64,
    /// 差.
    pub poor: u64,
    /// 优良率.
    pub excellent_good: Figure,
}

/// An overdue 重大 danger at the report's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OverdueLine {
    /// Company code.
    pub company: String,
    /// Enterprise name.
    pub name: String,
    /// City name.
    pub city: String,
    /// The danger id.
    pub danger: String,
    /// Its effective deadline (UTC).
    pub deadline: NaiveDateTime,
    /// 隐患名称 (empty in reports made before it was shown).
    #[serde(default)]
    pub danger_name: String,
    /// 隐患描述.
    #[serde(default)]
    pub description: String,
    /// 整改责任人.
    #[serde(default)]
    pub liable_person: String,
}

/// An enterprise whose data is stale or whose connection fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionLine {
    /// Company code.
    pub company: String,
    /// Enterprise name.
    pub name: String,
    /// City name.
    pub city: String,
    /// When data was last accepted (UTC), if ever.
    pub last_data_at: Option<NaiveDateTime>,
    /// 已接入, 部分接入 or 未接入.
    pub connection: String,
    /// Registry remark (e.g. 未接入风险预警系统).
    pub remark: String,
}

/// An enterprise needing follow-up (重点跟进帮扶): graded 差 or 中, or under a veto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpLine {
    /// Company code.
    pub company: String,
    /// Enterprise name.
    pub name: String,
    /// City name.
    pub city: String,
    /// Mean score of the month.
    pub score: f64,
    /// Grade of the month.
    pub grade: String,
    /// The vetoes of its weeks, in Chinese (无数据, 系统未使用, 重大隐患超期), without repeats.
    pub vetoes: Vec<String>,
}

/// Expert acceptance (验收) of one city's enterprises: a city passes only when the 优良率 of its acceptances is 100 %
/// (every registered enterprise accepted with 优 or 良, counting the re-check grade when there is one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceLine {
    /// City code.
    pub city: String,
    /// City name.
    pub name: String,
    /// Registered enterprises.
    pub registered: u64,
    /// Enterprises with an acceptance on record.
    pub accepted: u64,
    /// Enterprises whose current acceptance grade is 优 or 良 over registered enterprises.
    pub excellent_good: Figure,
    /// Enterprises under rectification (graded 中 or 差, no passing re-check yet).
    pub rectifying: u64,
    /// Whether the city can pass (优良率 100 %).
    pub passes: bool,
}

/// One enterprise drawn for a spot check (抽查) in the report period, with its finding when recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotCheckLine {
    /// The draw's id.
    pub draw: i64,
    /// City name.
    pub city: String,
    /// When the sample was drawn (UTC).
    pub drawn_at: NaiveDateTime,
    /// Company code.
    pub company: String,
    /// Enterprise name.
    pub name: String,
    /// 合格, 不合格, or 待检查 when no finding is recorded yet.
    pub result: String,
    /// The findings, empty when none is recorded.
    pub findings: String,
}

/// The monthly report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyReport {
    /// The month whose 20th ends the report period, e.g. `2026-11`.
    pub month: String,
    /// The report period [from, to) as local dates: the previous month's 20th to this month's 20th.
    pub from: NaiveDate,
    /// See `from`.
    pub to: NaiveDate,
    /// Province or one city.
    pub scope: ReportScope,
    /// The title, e.g. 山西省危险化学品企业双重预防机制数字化建设运行情况月报（2026年11月）.
    pub title: String,
    /// What was known when the report was made (UTC): its cut-off.
    pub as_of: NaiveDateTime,
    /// 1 for the report of the 20th; later corrections count up.
    pub revision: u32,
    /// What a revision changed (empty for revision 1).
    pub note: String,
    /// 建设进度 per batch.
    pub progress: Vec<BatchProgress>,
    /// The scope's total for this report month.
    pub total: FigureLine,
    /// The scope's total for the previous report month (本月与上月对比).
    pub previous_total: FigureLine,
    /// Per city (province report) or per enterprise (city report).
    pub lines: Vec<FigureLine>,
    /// The city ranking (province report; a city report shows it too, every city's aggregate).
    pub city_ranking: Vec<CityRankLine>,
    /// The enterprise ranking (the province's or the city's).
    pub enterprise_ranking: Vec<EnterpriseRankLine>,
    /// Grade distribution per city and in total.
    pub grades: Vec<GradeLine>,
    /// Overdue 重大 dangers at the end of the report period.
    pub overdue_major: Vec<OverdueLine>,
    /// Enterprises with stale or failing connections.
    pub connections: Vec<ConnectionLine>,
    /// Enterprises needing follow-up.
    pub follow_up: Vec<FollowUpLine>,
    /// Expert acceptance per city (验收).
    pub acceptance: Vec<AcceptanceLine>,
    /// Spot checks drawn in the report period (抽查).
    pub spot_checks: Vec<SpotCheckLine>,
    /// Data quality (`metrics.md` §9a): the total, then per city or enterprise. Empty in reports made before it was.
    #[serde(default)]
    pub data_quality: Vec<QualityLine>,
    /// 预警处置 (`metrics.md` §11): the total, then per city. Empty in reports made before it was shown.
    #[serde(default)]
    pub handling: Vec<super::handling::HandlingLine>,
}

/// Data quality of the scope's total, a city or an enterprise for the report month (数据质量, 防止“两张皮”).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityLine {
    /// `total`, a city code or a company code.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Check records entered more than 24 h after `checkTime` / check records of the month.
    pub late_checks: Figure,
    /// Dangers entered more than 24 h after `registTime` / dangers registered in the month.
    pub late_dangers: Figure,
    /// Records held for a missing parent at the end of the month.
    pub held: u64,
    /// Records rejected in the month's batches.
    pub rejected: u64,
    /// The rejections by error code, most frequent first, e.g. `bad_enum 3；missing_field 1`.
    pub rejected_by_code: String,
}
