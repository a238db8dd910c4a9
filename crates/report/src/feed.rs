//! The early-warning model feed (预警模型输入): one row per enterprise and ISO week, versioned for the monitoring
//! system's integrators (`docs/early-warning-feed.md`). Fields follow `research/domain.md` §6.

use crate::figures::Known;
use domain::Period;
use metrics::figure::Figure;

/// The version of the feed's schema; raised on any incompatible change (fields are only ever added within a version).
pub const SCHEMA_VERSION: u32 = 1;

/// One enterprise's inputs for one week.
#[derive(Debug, Clone)]
pub struct FeedRow {
    /// The enterprise.
    pub company_code: String,
    /// Its city.
    pub city_code: String,
    /// 安全风险分析完成率 at the end of the week.
    pub risk_analysis: Figure,
    /// 排查任务完成率 of the week.
    pub check: Figure,
    /// 包保 completion of the week.
    pub check_baobao: Figure,
    /// 隐患整改率 of the week.
    pub danger: Figure,
    /// On-time rectification of the week.
    pub danger_on_time: Figure,
    /// Overdue dangers at the end of the week.
    pub overdue: u64,
    /// Overdue 重大 dangers.
    pub overdue_major: u64,
    /// Open 重大 dangers.
    pub open_major: u64,
    /// Dangers registered in the week.
    pub dangers_found: u64,
    /// Active units by risk class 1–4.
    pub units_by_risk_level: [u64; 4],
    /// The evaluation score E.
    pub score: f64,
    /// A.
    pub a: f64,
    /// B.
    pub b: f64,
    /// 包保 deduction.
    pub baobao_deduction: f64,
    /// Few-dangers deduction.
    pub few_dangers_deduction: f64,
    /// Whether a veto applies.
    pub veto: bool,
    /// The veto keys.
    pub vetoes: Vec<&'static str>,
    /// The grade (运行等级).
    pub run_level: &'static str,
    /// When data was last received (UTC), at or before the end of the week.
    pub last_data_at: Option<chrono::NaiveDateTime>,
    /// Whether every table with data received some in the last 7 days of the week.
    pub data_complete: bool,
    /// The stored revision the evaluation (score, components, vetoes, grade, the three weekly rates and the overdue
    /// 重大 count) was read from; `None` while the week is not stored.
    pub revision: Option<i32>,
}

/// The feed for a week. Once the week is stored, its evaluation is read from the published revision (`metrics.md`
/// §6) and only the enterprises it evaluated are listed; until then everything is computed live (`revision` null).
pub fn rows(known: &Known, week: Period) -> Vec<FeedRow> {
    let (t0, t1) = week.bounds_utc();
    let mut published = crate::standings::week_evaluations(known, week);
    known
        .lines(week)
        .into_iter()
        .filter_map(|line| {
            let p = published.remove(line.enterprise.code.as_str())?;
            let (e, f) = (&p.evaluation, &line.figures);
            let stored = known.published(week).and_then(|w| w.rows.get(line.enterprise.code.as_str()));
            let stored = stored.map(|r| &r.parsed);
            let found = known
                .snapshot(line.enterprise.code.as_str())
                .map_or(0, |s| s.dangers.iter().filter(|d| d.regist_time >= t0 && d.regist_time < t1).count() as u64);
            Some(FeedRow {
                company_code: line.enterprise.code.to_string(),
                city_code: line.enterprise.city.code().to_owned(),
                risk_analysis: f.risk_analysis,
                check: p.task,
                check_baobao: stored.map_or(f.baobao_completion, |s| s.baobao_completion),
                danger: stored.map_or(f.rectification.all, |s| s.rectification),
                danger_on_time: f.rectification.on_time,
                overdue: f.dangers.overdue,
                overdue_major: p.overdue_major,
                open_major: f.dangers.open_major,
                dangers_found: found,
                units_by_risk_level: f.units_by_class,
                score: e.score,
                a: e.a,
                b: e.b,
                baobao_deduction: e.baobao_deduction,
                few_dangers_deduction: e.few_dangers_deduction,
                veto: e.alpha == 0,
                vetoes: e.vetoes.iter().map(|v| v.key()).collect(),
                run_level: e.grade.label(),
                last_data_at: f.last_data,
                data_complete: f.connection == domain::connection::Connection::Connected,
                revision: p.revision,
            })
        })
        .collect()
}
