//! The published shape of weekly evaluations (`metrics.md` §8): rows, revisions and 优良率. A stored row is this
//! row's JSON, so what the weekly job stored is served back byte for byte in meaning.

use super::figures::FigureView;
use crate::Known;
use crate::published::StoredWeek;
use serde::{Deserialize, Serialize};
use storage::evaluations::RevisionRow;

/// One enterprise's weekly evaluation with every component.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EvaluationRow {
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub name: String,
    /// Its city.
    pub city_code: String,
    /// Its batch: `1`, `2` or `unknown`.
    pub batch: String,
    /// E = max(0, (A + B) × α), one decimal.
    pub score: f64,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// A = 50 × task completion rate − 包保 deduction.
    pub a: f64,
    /// B = 50 × rectification rate − few-dangers deduction.
    pub b: f64,
    /// 包保 deduction.
    pub baobao_deduction: f64,
    /// Few-dangers deduction.
    pub few_dangers_deduction: f64,
    /// 0 under a veto, else 1.
    pub alpha: u8,
    /// `no_data`, `no_tasks`, `not_in_use`, `major_overdue`.
    pub vetoes: Vec<String>,
    /// 排查任务完成率 of the week.
    pub task_completion: FigureView,
    /// 包保 completion of the week.
    pub baobao_completion: FigureView,
    /// 隐患整改率 of the week.
    pub rectification: FigureView,
    /// Overdue 重大 dangers at the end of the week (the `major_overdue` veto, and the first rank tie-break).
    #[serde(default)]
    pub overdue_major_dangers: u64,
    /// True while the week is not stored: computed live, it may still change (`metrics.md` §6).
    #[serde(default)]
    pub provisional: bool,
}

/// One stored revision of a week.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RevisionView {
    /// 1 for the weekly job's evaluation, then one more per correction.
    pub revision: i32,
    /// What it knew, and when it was published (Asia/Shanghai).
    pub as_of: String,
    /// Who stored it: `job`, or the person or token that corrected the week.
    pub actor: String,
    /// Why (empty for revision 1).
    pub reason: String,
    /// Enterprises evaluated.
    pub enterprises: i32,
}

impl From<&RevisionRow> for RevisionView {
    fn from(r: &RevisionRow) -> Self {
        RevisionView {
            revision: r.revision,
            as_of: domain::time::format_local(r.as_of),
            actor: r.actor.clone(),
            reason: r.reason.clone(),
            enterprises: r.enterprises,
        }
    }
}

/// 优良率 of a group.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupRate {
    /// `city` or `batch`.
    pub by: String,
    /// City code, or batch `1`, `2`, `unknown`.
    pub key: String,
    /// 优良率.
    pub rate: FigureView,
}

/// 优良率 per city and per batch of evaluation rows.
pub fn excellent_good(rows: &[EvaluationRow]) -> Vec<GroupRate> {
    let mut groups: std::collections::BTreeMap<(&str, &str), metrics::figure::Figure> = Default::default();
    for r in rows {
        let good = metrics::figure::Figure::new(u64::from(r.grade == "优" || r.grade == "良"), 1);
        *groups.entry(("city", r.city_code.as_str())).or_default() += good;
        *groups.entry(("batch", r.batch.as_str())).or_default() += good;
    }
    groups
        .into_iter()
        .map(|((by, key), f)| GroupRate { by: by.to_owned(), key: key.to_owned(), rate: f.into() })
        .collect()
}

/// The evaluation rows of a week computed live under some knowledge (provisional until stored).
pub fn evaluation_rows(known: &Known, week: domain::Period) -> Vec<EvaluationRow> {
    known
        .evaluations(week)
        .into_iter()
        .map(|(l, e)| EvaluationRow {
            company_code: l.enterprise.code.to_string(),
            name: l.enterprise.name.clone(),
            city_code: l.enterprise.city.code().to_owned(),
            batch: l.enterprise.batch.key().to_owned(),
            score: e.score,
            grade: e.grade.label().to_owned(),
            a: e.a,
            b: e.b,
            baobao_deduction: e.baobao_deduction,
            few_dangers_deduction: e.few_dangers_deduction,
            alpha: e.alpha,
            vetoes: e.vetoes.iter().map(|v| v.key().to_owned()).collect(),
            task_completion: l.figures.task_completion.into(),
            baobao_completion: l.figures.baobao_completion.into(),
            rectification: l.figures.rectification.all.into(),
            overdue_major_dangers: l.figures.dangers.overdue_major,
            provisional: true,
        })
        .collect()
}

/// The rows of a stored revision for the enterprises in `known`'s scope, as stored.
pub fn stored_rows(known: &Known, week: &StoredWeek) -> Result<Vec<EvaluationRow>, serde_json::Error> {
    known
        .registry
        .iter()
        .filter_map(|e| week.rows.get(e.code.as_str()))
        .map(|r| {
            let mut row: EvaluationRow = serde_json::from_str(&r.payload)?;
            row.overdue_major_dangers = r.parsed.overdue_major();
            row.provisional = false;
            Ok(row)
        })
        .collect()
}

/// Rows to store for a week (revision is set when stored): each row's JSON with `provisional` false.
pub fn to_stored(
    week: &str,
    as_of: chrono::NaiveDateTime,
    rows: &[EvaluationRow],
) -> Result<Vec<storage::evaluations::EvaluationRow>, serde_json::Error> {
    rows.iter()
        .map(|r| {
            let r = EvaluationRow { provisional: false, ..r.clone() };
            Ok(storage::evaluations::EvaluationRow {
                week: week.to_owned(),
                company_code: r.company_code.clone(),
                as_of,
                score_tenths: (r.score * 10.0).round() as i32,
                grade: r.grade.clone(),
                payload: serde_json::to_string(&r)?,
                revision: 1,
            })
        })
        .collect()
}
