//! Figures of a period: per enterprise from its snapshot, then grouped by city, batch or province.

use crate::published::{Published, StoredWeek};
use chrono::NaiveDateTime;
use domain::calendar::WorkCalendar;
use domain::snapshot::EnterpriseSnapshot;
use domain::{City, Enterprise, Period};
use metrics::aggregate::{Aggregate, aggregate};
use metrics::enterprise::{EnterpriseFigures, Window, compute};
use metrics::evaluation::{Evaluation, evaluate};
use std::collections::HashMap;
use std::sync::Arc;
use storage::registry::{self, Filter};
use storage::snapshot::{self, Scope};
use storage::{DbConnection, StorageError};

/// What was known at a moment about the enterprises in scope: the registry and each enterprise's snapshot.
/// Cheap to clone: the snapshots and the calendar are shared.
#[derive(Debug, Clone)]
pub struct Known {
    /// The knowledge moment (UTC), also the moment figures are computed at (T = min(t1, asOf)).
    pub as_of: NaiveDateTime,
    /// The registered enterprises in scope, by city and code.
    pub registry: Vec<Enterprise>,
    snapshots: Arc<HashMap<String, Arc<EnterpriseSnapshot>>>,
    calendar: Arc<WorkCalendar>,
    published: Published,
    /// The earliest window start the snapshots hold every check for (`report::cache` leaves out the rows of stored
    /// months no window from then on needs).
    since: NaiveDateTime,
}

/// Where what was known at a moment comes from: the figures service's histories ([`crate::service::Figures`]), or
/// the stored versions loaded for the one question ([`FromVersions`]: the reference, and one-shot commands).
pub trait Source {
    /// What was known at `at` for a scope (every city when `None`), asked at `now`, for figures of windows starting
    /// at or after `since` ([`since`]).
    fn known_at(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        at: NaiveDateTime,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Result<Known, StorageError>;
}

/// The earliest window start of the figures of `period` together with those of its previous period and the ISO
/// weeks ending in either (rank changes, standings, the monthly report): a week ending in the previous period starts
/// up to 7 days before it.
pub fn since(period: Period) -> NaiveDateTime {
    period.previous().bounds_utc().0 - chrono::TimeDelta::days(7)
}

/// Knowledge loaded from the stored versions at each question ([`Known::load`]).
#[derive(Debug, Clone)]
pub struct FromVersions(pub WorkCalendar);

impl Source for FromVersions {
    fn known_at(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        at: NaiveDateTime,
        _now: NaiveDateTime,
        _since: NaiveDateTime,
    ) -> Result<Known, StorageError> {
        Known::load(conn, city, at, self.0.clone())
    }
}

/// One enterprise with its figures.
#[derive(Debug, Clone)]
pub struct Line {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Its figures for the period.
    pub figures: EnterpriseFigures,
}

/// How to group figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One row per enterprise.
    Enterprise,
    /// Per city (GB/T 2260).
    City,
    /// Per construction batch.
    Batch,
    /// One row for the province.
    Province,
}

impl By {
    /// Parses `enterprise`, `city`, `batch` or `province`.
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "enterprise" => Some(By::Enterprise),
            "city" => Some(By::City),
            "batch" => Some(By::Batch),
            "province" => Some(By::Province),
            _ => None,
        }
    }

    /// The name used in APIs.
    pub fn name(self) -> &'static str {
        match self {
            By::Enterprise => "enterprise",
            By::City => "city",
            By::Batch => "batch",
            By::Province => "province",
        }
    }
}

/// A group's figures with its key and display name.
#[derive(Debug, Clone)]
pub struct Group {
    /// The key: company code, city code, batch (`1`, `2`, `unknown`) or `province`.
    pub key: String,
    /// The display name.
    pub name: String,
    /// The summed figures.
    pub figures: Aggregate,
}

impl Known {
    /// Loads the registry (one city, or all), the snapshots known at `as_of` and the stored evaluations.
    pub fn load(
        conn: &mut DbConnection,
        city: Option<City>,
        as_of: NaiveDateTime,
        calendar: WorkCalendar,
    ) -> Result<Known, StorageError> {
        let registry: Vec<Enterprise> =
            registry::list(conn, Filter { city, batch: None })?.into_iter().map(|r| r.enterprise).collect();
        let scope = Scope { companies: city.map(|_| registry.iter().map(|e| e.code.to_string()).collect()) };
        let snapshots =
            snapshot::load(conn, &scope, as_of)?.into_iter().map(|s| (s.company.to_string(), Arc::new(s))).collect();
        let published = Published::load(conn)?;
        let (snapshots, calendar) = (Arc::new(snapshots), Arc::new(calendar));
        Ok(Known { as_of, registry, snapshots, calendar, published, since: NaiveDateTime::MIN })
    }

    /// Knowledge assembled from parts (used by the cache), holding every check of windows starting at or after
    /// `since`.
    pub fn from_parts(
        as_of: NaiveDateTime,
        registry: Vec<Enterprise>,
        snapshots: Arc<HashMap<String, Arc<EnterpriseSnapshot>>>,
        calendar: Arc<WorkCalendar>,
        published: Published,
        since: NaiveDateTime,
    ) -> Known {
        Known { as_of, registry, snapshots, calendar, published, since }
    }

    /// The revision of an ISO week published at this knowledge moment; `None` while the week is provisional
    /// (`metrics.md` §6).
    pub fn published(&self, week: Period) -> Option<&StoredWeek> {
        self.published.at(&week.label(), self.as_of)
    }

    /// Every stored revision.
    pub fn all_published(&self) -> &Published {
        &self.published
    }

    /// The snapshot of one enterprise, when it has any record.
    pub fn snapshot(&self, company: &str) -> Option<&EnterpriseSnapshot> {
        self.snapshots.get(company).map(|s| s.as_ref())
    }

    /// The calendar used.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    /// The computation window of a period under this knowledge.
    pub fn window(&self, period: Period) -> Window {
        let (t0, t1) = period.bounds_utc();
        // A window before `since` would miss the checks of stored months: every caller asks for its windows' start.
        debug_assert!(t0 >= self.since, "period {} starts before the knowledge's {}", period.label(), self.since);
        if t0 < self.since {
            tracing::error!(period = %period.label(), since = %self.since, "figures of a window the knowledge does not hold");
        }
        Window { t0, t1, as_of: self.as_of }
    }

    /// The figures of every registered enterprise in scope for a period (an enterprise without data has empty
    /// figures, and is still listed).
    pub fn lines(&self, period: Period) -> Vec<Line> {
        let w = self.window(period);
        self.registry
            .iter()
            .map(|e| {
                let empty;
                let snap = match self.snapshots.get(e.code.as_str()) {
                    Some(s) => s.as_ref(),
                    None => {
                        empty = EnterpriseSnapshot::empty(e.code.clone());
                        &empty
                    }
                };
                Line { enterprise: e.clone(), figures: compute(snap, w, &self.calendar) }
            })
            .collect()
    }

    /// The evaluation of every enterprise in scope for an ISO week, computed live from the records (what the weekly
    /// job stores; a published figure reads [`Known::published`] first).
    pub fn evaluations(&self, week: Period) -> Vec<(Line, Evaluation)> {
        self.lines(week)
            .into_iter()
            .map(|l| {
                let e = evaluate(&l.figures);
                (l, e)
            })
            .collect()
    }
}

/// The key of the group a line belongs to.
pub fn group_key(l: &Line, by: By) -> String {
    match by {
        By::Enterprise => l.enterprise.code.to_string(),
        By::City => l.enterprise.city.code().to_owned(),
        By::Batch => l.enterprise.batch.key().to_owned(),
        By::Province => "province".to_owned(),
    }
}

/// Groups lines.
pub fn group(lines: &[Line], by: By) -> Result<Vec<Group>, StorageError> {
    let key = |l: &Line| group_key(l, by);
    let rows: Vec<(String, &EnterpriseFigures)> = lines.iter().map(|l| (key(l), &l.figures)).collect();
    let groups = aggregate(&rows).map_err(|e| StorageError::Corrupt(format!("aggregation: {e}")))?;
    let names: HashMap<String, String> = lines
        .iter()
        .map(|l| {
            let name = match by {
                By::Enterprise => l.enterprise.name.clone(),
                By::City => l.enterprise.city.name().to_owned(),
                By::Batch => l.enterprise.batch.label().to_owned(),
                By::Province => "山西省".to_owned(),
            };
            (key(l), name)
        })
        .collect();
    Ok(groups
        .into_iter()
        .map(|g| Group { name: names.get(&g.key).cloned().unwrap_or_default(), key: g.key.clone(), figures: g })
        .collect())
}
