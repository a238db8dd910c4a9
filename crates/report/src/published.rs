//! Published weekly evaluations (`metrics.md` §6, "published means stored"). Once a week is stored, every score,
//! grade, veto, rank and 优良率 published for it is read from here, never recomputed. A revision is published from
//! its `asOf`: what was published at a moment T is the newest revision whose `asOf` is at or before T.

use chrono::NaiveDateTime;
use metrics::evaluation::Evaluation;
use metrics::figure::Figure;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use storage::evaluations::{self, RevisionRow};
use storage::{DbConnection, StorageError};

/// What the platform reads back from a stored evaluation (the stored JSON has more: names, figure rates).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredEvaluation {
    /// The enterprise.
    pub company_code: String,
    /// Score, grade, A, B, the deductions, α and the vetoes.
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// 排查任务完成率 of the week.
    pub task_completion: Figure,
    /// 包保 completion of the week.
    pub baobao_completion: Figure,
    /// 隐患整改率 of the week.
    pub rectification: Figure,
    /// Overdue 重大 dangers at the end of the week. Rows stored before this field existed lack it; see
    /// [`StoredEvaluation::overdue_major`].
    #[serde(default)]
    pub overdue_major_dangers: Option<u64>,
}

impl StoredEvaluation {
    /// Overdue 重大 dangers at the end of the week (a rank tie-break). For rows stored without the count: 0 without
    /// the `major_overdue` veto (exact: the veto fires on any), 1 under it (at least one).
    pub fn overdue_major(&self) -> u64 {
        self.overdue_major_dangers
            .unwrap_or_else(|| u64::from(self.evaluation.vetoes.contains(&metrics::evaluation::Veto::MajorOverdue)))
    }
}

/// One stored row: the JSON as stored (served as is) and what the platform reads from it.
#[derive(Debug, Clone)]
pub struct StoredRow {
    /// The stored JSON.
    pub payload: String,
    /// Its parsed components.
    pub parsed: StoredEvaluation,
}

/// One stored revision of a week.
#[derive(Debug, Clone)]
pub struct StoredWeek {
    /// When, by whom and why it was stored.
    pub meta: RevisionRow,
    /// Its rows by enterprise code.
    pub rows: BTreeMap<String, StoredRow>,
}

/// Every stored revision of every week. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Published {
    weeks: Arc<HashMap<String, Vec<Arc<StoredWeek>>>>,
    count: i64,
}

impl Published {
    /// Reads every stored revision.
    pub fn load(conn: &mut DbConnection) -> Result<Published, StorageError> {
        let metas = evaluations::revisions(conn)?;
        let count = i64::try_from(metas.len()).unwrap_or(i64::MAX);
        let mut rows: HashMap<(String, i32), BTreeMap<String, StoredRow>> = HashMap::new();
        for r in evaluations::all_rows(conn)? {
            let parsed: StoredEvaluation = serde_json::from_str(&r.payload).map_err(|e| {
                StorageError::Corrupt(format!("stored evaluation {} {} r{}: {e}", r.week, r.company_code, r.revision))
            })?;
            rows.entry((r.week, r.revision))
                .or_default()
                .insert(r.company_code, StoredRow { payload: r.payload, parsed });
        }
        let mut weeks: HashMap<String, Vec<Arc<StoredWeek>>> = HashMap::new();
        for meta in metas {
            let rows = rows.remove(&(meta.week.clone(), meta.revision)).unwrap_or_default();
            weeks.entry(meta.week.clone()).or_default().push(Arc::new(StoredWeek { meta, rows }));
        }
        Ok(Published { weeks: Arc::new(weeks), count })
    }

    /// How many revisions this holds (see [`evaluations::revision_count`]).
    pub fn count(&self) -> i64 {
        self.count
    }

    /// The revision of a week published at `moment`: the newest whose `asOf` is at or before it.
    pub fn at(&self, week: &str, moment: NaiveDateTime) -> Option<&StoredWeek> {
        self.weeks.get(week)?.iter().rev().find(|w| w.meta.as_of <= moment).map(|w| w.as_ref())
    }

    /// One revision of a week.
    pub fn revision(&self, week: &str, revision: i32) -> Option<&StoredWeek> {
        self.weeks.get(week)?.iter().find(|w| w.meta.revision == revision).map(|w| w.as_ref())
    }

    /// Every revision of a week, oldest first.
    pub fn revisions(&self, week: &str) -> Vec<&RevisionRow> {
        self.weeks.get(week).map(|v| v.iter().map(|w| &w.meta).collect()).unwrap_or_default()
    }
}
