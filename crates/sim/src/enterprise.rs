//! One simulated enterprise: its generation and its versions, table by table, in the order they are served.

use crate::checks::{self, CheckMeta, CheckRow};
use crate::dangers;
use crate::master;
use crate::page::Key;
use crate::plan::Plan;
use crate::profile::{Ctx, EnterpriseProfile};
use crate::tasks::{self, monthly_checks};
use chrono::{NaiveDateTime, TimeDelta};
use domain::ExchangeTable;
use domain::records::Record;
use std::sync::OnceLock;

/// Every version of every record of one enterprise.
pub(crate) struct EntWorld {
    pub(crate) profile: EnterpriseProfile,
    /// The versions of each table (in `ExchangeTable::ALL` order) sorted by (updateDate, id); the check record
    /// slot stays empty (see `checks`).
    tables: [Vec<Record>; 8],
    /// The check record versions, sorted by (updateDate, id).
    pub(crate) checks: Vec<CheckRow>,
    pub(crate) meta: CheckMeta,
    /// The check records as [`Record`]s, made on first request.
    check_records: OnceLock<Vec<Record>>,
}

fn slot(table: ExchangeTable) -> usize {
    ExchangeTable::ALL.iter().position(|t| *t == table).unwrap_or(0)
}

impl EntWorld {
    /// Generates an enterprise.
    pub(crate) fn generate(ctx: &Ctx<'_>) -> EntWorld {
        let mut plan = Plan::skeleton(ctx);
        tasks::plan_tasks(ctx, &mut plan);
        // The share of checks that find a hazard, sized on the tasks of the start (so that it does not depend on the
        // world's end) to give about 60 % of the enterprise's monthly dangers.
        let initial: f64 =
            plan.tasks.iter().filter(|t| t.created < ctx.t0 + TimeDelta::days(1)).map(monthly_checks).sum();
        let found = if initial > 0.0 { (ctx.profile.dangers_per_month * 0.6 / initial).min(0.3) } else { 0.0 };
        if ctx.profile.fault == Some(crate::Fault::OutOfOrder) {
            tasks::late_tasks(ctx, &mut plan);
        }
        let mut checks = checks::generate(ctx, &plan, found);
        checks.sort_unstable_by_key(CheckRow::key);
        let meta = CheckMeta {
            company: ctx.company.clone(),
            style: ctx.style,
            t0: ctx.t0,
            task_ids: plan.tasks.iter().map(|t| t.id.clone()).collect(),
            staff: ctx.staff.clone(),
            devices: ctx.devices.clone(),
        };
        let mut tables: [Vec<Record>; 8] = Default::default();
        master::records(ctx, &plan, &mut tables);
        tables[slot(ExchangeTable::Danger)] = dangers::generate(ctx, &plan, &checks, &meta);
        for t in &mut tables {
            t.sort_unstable_by(|a, b| (a.common.update_date, &a.common.id).cmp(&(b.common.update_date, &b.common.id)));
        }
        EntWorld { profile: ctx.profile.clone(), tables, checks, meta, check_records: OnceLock::new() }
    }

    /// Every version of a table, ordered by (updateDate, id).
    pub(crate) fn records(&self, table: ExchangeTable) -> &[Record] {
        match table {
            ExchangeTable::CheckRecord => {
                self.check_records.get_or_init(|| self.checks.iter().map(|r| self.meta.record(r)).collect())
            }
            other => &self.tables[slot(other)],
        }
    }

    /// How many versions a table has.
    pub(crate) fn versions(&self, table: ExchangeTable) -> usize {
        match table {
            ExchangeTable::CheckRecord => self.checks.len(),
            other => self.tables[slot(other)].len(),
        }
    }

    /// How many distinct records a table has.
    pub(crate) fn distinct(&self, table: ExchangeTable) -> usize {
        match table {
            // A check record has a second version only to delete it.
            ExchangeTable::CheckRecord => self.checks.iter().filter(|r| !r.deleted).count(),
            other => {
                let mut ids: Vec<&str> = self.tables[slot(other)].iter().map(|r| r.common.id.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                ids.len()
            }
        }
    }

    /// At most `limit` versions with updateDate ≥ `since` and (updateDate, id) > `after`, in order, and whether more
    /// follow. `None` when `after` names an id that cannot be one of this enterprise's.
    pub(crate) fn page(
        &self,
        table: ExchangeTable,
        since: Option<NaiveDateTime>,
        after: Option<&Key>,
        limit: usize,
    ) -> Option<(Vec<Record>, bool)> {
        if table == ExchangeTable::CheckRecord {
            let secs = |t: NaiveDateTime| (t - self.meta.t0).num_seconds();
            let from = since.map_or(0, |s| self.checks.partition_point(|r| i64::from(r.update) < secs(s)));
            let past = match after {
                Some(k) => {
                    let key = (secs(k.update), crate::ids::parse_id(&k.id)?);
                    self.checks.partition_point(|r| (i64::from(r.update), r.id128()) <= key)
                }
                None => 0,
            };
            let start = from.max(past).min(self.checks.len());
            let stop = (start + limit).min(self.checks.len());
            let page = self.checks[start..stop].iter().map(|r| self.meta.record(r)).collect();
            return Some((page, stop < self.checks.len()));
        }
        let all = &self.tables[slot(table)];
        let from = since.map_or(0, |s| all.partition_point(|r| r.common.update_date < s));
        let past = after.map_or(0, |k| {
            all.partition_point(|r| (r.common.update_date, r.common.id.as_str()) <= (k.update, k.id.as_str()))
        });
        let start = from.max(past).min(all.len());
        let stop = (start + limit).min(all.len());
        Some((all[start..stop].to_vec(), stop < all.len()))
    }
}
