//! Reads enterprises' histories (`domain::history`) from the stored versions: the small tables whole, the check
//! records folded into compact rows, and the check versions received since a history was last brought up to date.
//! `storage::snapshot` stays the reference: a history's snapshot at any T equals what it loads at T (tested).

use crate::schema::*;
use crate::snapshot::{bad, code, time_of_day};
use crate::stored::Checks;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::CompanyCode;
use domain::check_fold::CheckVersion;
use domain::enums::*;
use domain::history::{EnterpriseHistory, Version};
use domain::records::{Cycle, Deadline};
use domain::snapshot::*;
use std::collections::BTreeMap;

/// A version as read: company, id, updateDate, seq, deleted, createDate, received_at, and the table's own columns.
type Raw<T> = (String, String, NaiveDateTime, i64, bool, NaiveDateTime, NaiveDateTime, T);

/// Histories by company code.
pub type Histories = BTreeMap<String, EnterpriseHistory>;

/// Selects a small table's versions for some companies (all when `None`), sorted by (company, id, updateDate, seq).
macro_rules! raw {
    ($conn:expr, $t:ident, $companies:expr, ($($col:ident),+ $(,)?) as $ty:ty) => {{
        let mut q = $t::table
            .select((
                $t::company_code, $t::record_id, $t::update_date, $t::seq, $t::deleted, $t::create_date,
                $t::received_at, ($($t::$col,)+),
            ))
            .order(($t::company_code.asc(), $t::record_id.asc(), $t::update_date.asc(), $t::seq.asc()))
            .into_boxed();
        if let Some(c) = $companies {
            q = q.filter($t::company_code.eq_any(c.to_vec()));
        }
        let rows: Vec<Raw<$ty>> = q.load($conn)?;
        rows
    }};
}

/// The history of a company, created empty on first use.
fn entry<'a>(out: &'a mut Histories, company: &str) -> Result<&'a mut EnterpriseHistory> {
    if !out.contains_key(company) {
        let code = CompanyCode::parse(company).map_err(bad)?;
        out.insert(company.to_owned(), EnterpriseHistory::empty(code));
    }
    out.get_mut(company).ok_or_else(|| bad("history"))
}

/// Converts raw rows into versions per company.
fn versions<T, R>(
    out: &mut Histories,
    rows: Vec<Raw<T>>,
    mut row: impl FnMut(&str, T, Life) -> Result<R>,
    slot: impl Fn(&mut EnterpriseHistory) -> &mut Vec<Version<R>>,
) -> Result<()> {
    for (company, id, update, seq, deleted, created, received, cols) in rows {
        let life = Life { created, deleted: None };
        let r = row(&id, cols, life)?;
        slot(entry(out, &company)?).push(Version { id, update, seq, deleted, created, received, row: r });
    }
    Ok(())
}

/// Reads every version of the small tables (hazard sources to tasks, dangers, stops) of some companies (all when
/// `None`) into histories without checks; the small tables of a history already in `out` are replaced.
pub fn load_small(conn: &mut DbConnection, companies: Option<&[String]>, out: &mut Histories) -> Result<()> {
    for h in out.values_mut().filter(|h| companies.is_none_or(|c| c.iter().any(|x| x == h.company.as_str()))) {
        let keep = (h.task_ids.clone(), h.checks.clone(), h.check_received.clone(), h.check_seq);
        *h = EnterpriseHistory::empty(h.company.clone());
        (h.task_ids, h.checks, h.check_received, h.check_seq) = keep;
    }
    let rows = raw!(conn, hazard_source_versions, companies, (hazard_code) as (String,));
    versions(out, rows, |_, (hazard_code,), life| Ok(HazardRow { hazard_code, life }), |h| &mut h.hazards)?;
    let rows = raw!(conn, risk_unit_versions, companies, (hazard_code, risk_class) as (String, Option<i32>));
    versions(
        out,
        rows,
        |id, (hazard_code, class), life| {
            let risk_class = class.map(|c| code(RiskClass::from_code, c)).transpose()?;
            Ok(UnitRow { id: id.to_owned(), hazard_code, risk_class, life })
        },
        |h| &mut h.units,
    )?;
    let rows = raw!(conn, risk_event_versions, companies, (risk_unit_id) as (String,));
    versions(out, rows, |id, (unit_id,), life| Ok(EventRow { id: id.to_owned(), unit_id, life }), |h| &mut h.events)?;
    let rows = raw!(conn, control_measure_versions, companies, (risk_event_id, data_src) as (String, i32));
    versions(
        out,
        rows,
        |id, (event_id, src), life| {
            Ok(MeasureRow { id: id.to_owned(), event_id, data_src: code(DataSrc::from_code, src)?, life })
        },
        |h| &mut h.measures,
    )?;
    load_tasks(conn, companies, out)?;
    load_dangers_and_stops(conn, companies, out)
}

/// The task columns read.
type TaskCols = (String, NaiveDateTime, i64, String, Option<i32>, Option<i32>, i32, i32);

fn load_tasks(conn: &mut DbConnection, companies: Option<&[String]>, out: &mut Histories) -> Result<()> {
    let rows = raw!(
        conn,
        check_task_versions,
        companies,
        (
            risk_measure_id,
            task_start_time,
            check_cycle_hundredths,
            check_cycle_unit,
            work_start_secs,
            work_end_secs,
            work_day_type,
            work_type
        ) as TaskCols
    );
    versions(
        out,
        rows,
        |id, (measure_id, start, hundredths, unit, ws, we, day_type, work_type), life| {
            Ok(TaskRow {
                id: id.to_owned(),
                measure_id,
                start,
                cycle: Cycle { hundredths: u32::try_from(hundredths).map_err(bad)? },
                unit: CycleUnit::parse(&unit).map_err(bad)?,
                work_hours: time_of_day(ws).zip(time_of_day(we)),
                work_day_type: code(WorkDayType::from_code, day_type)?,
                work_type: code(WorkType::from_code, work_type)?,
                life,
            })
        },
        |h| &mut h.tasks,
    )
}

/// The danger columns read.
type DangerCols = (i32, i32, NaiveDateTime, Option<NaiveDateTime>, bool, i32, Option<NaiveDateTime>);

fn load_dangers_and_stops(conn: &mut DbConnection, companies: Option<&[String]>, out: &mut Histories) -> Result<()> {
    let rows = raw!(
        conn,
        danger_versions,
        companies,
        (
            danger_level,
            danger_manage_type,
            regist_time,
            manage_deadline,
            manage_deadline_is_date,
            danger_state,
            check_accept_time
        ) as DangerCols
    );
    versions(
        out,
        rows,
        |id, (level, manage, regist, deadline, is_date, state, accept), life| {
            let deadline =
                deadline.map(|d| if is_date { Deadline::Date(domain::time::local_date(d)) } else { Deadline::At(d) });
            Ok(DangerRow {
                id: id.to_owned(),
                level: code(DangerLevel::from_code, level)?,
                manage_type: code(DangerManageType::from_code, manage)?,
                regist_time: regist,
                deadline,
                state: code(DangerState::from_code, state)?,
                accept_time: accept,
                first_received: life.created,
            })
        },
        |h| &mut h.dangers,
    )?;
    let rows = raw!(
        conn,
        unit_stop_versions,
        companies,
        (risk_unit_id, stop_start_time, stop_end_time) as (String, NaiveDateTime, Option<NaiveDateTime>)
    );
    versions(out, rows, |_, (unit_id, start, end), _| Ok(StopRow { unit_id, start, end }), |h| &mut h.stops)
}

/// A check record version as read.
type CheckRaw = (String, i64, NaiveDateTime, bool, NaiveDateTime, String, NaiveDateTime, i32);

fn check_version(r: CheckRaw) -> Result<CheckVersion> {
    let (id, seq, update, deleted, received, task_id, check_time, status) = r;
    let status = code(CheckStatus::from_code, status)?;
    Ok(CheckVersion { id, seq, update, deleted, received, task_id, check_time, status })
}

/// Selects check record versions of one company, filtered.
macro_rules! checks {
    ($conn:expr, $company:expr, $filter:expr) => {{
        let rows: Vec<CheckRaw> = check_record_versions::table
            .filter(check_record_versions::company_code.eq($company))
            .filter($filter)
            .select((
                check_record_versions::record_id,
                check_record_versions::seq,
                check_record_versions::update_date,
                check_record_versions::deleted,
                check_record_versions::received_at,
                check_record_versions::check_task_id,
                check_record_versions::check_time,
                check_record_versions::check_status,
            ))
            .load($conn)?;
        rows.into_iter().map(check_version).collect::<Result<Vec<_>>>()?
    }};
}

/// Every check record version of one company.
pub fn all_checks(conn: &mut DbConnection, company: &str) -> Result<Vec<CheckVersion>> {
    Ok(checks!(conn, company, check_record_versions::seq.gt(0_i64)))
}

/// The registered enterprises' codes.
pub fn companies(conn: &mut DbConnection) -> Result<Vec<String>> {
    Ok(enterprises::table.select(enterprises::company_code).order(enterprises::company_code.asc()).load(conn)?)
}

/// Builds the histories of some companies (all registered when `None`) from every stored version, two enterprises'
/// checks at a time. Enterprises without any version are left out.
pub fn build(conn: &mut DbConnection, companies: Option<&[String]>) -> Result<Histories> {
    let mut out = Histories::new();
    load_small(conn, companies, &mut out)?;
    let codes: Vec<String> = match companies {
        Some(c) => c.to_vec(),
        None => self::companies(conn)?,
    };
    for company in codes {
        let versions = all_checks(conn, &company)?;
        if versions.is_empty() && !out.contains_key(&company) {
            continue;
        }
        entry(&mut out, &company)?.build_checks(&versions);
    }
    Ok(out)
}

/// Folds into a history the check versions its company stored after [`EnterpriseHistory::check_seq`]; its small
/// tables must be current. `stored` is what the change feed says those batches stored ([`crate::stored`]): with
/// [`Checks::Through`] only the versions up to its seq are read (later ones are folded with their own events), on
/// PostgreSQL from the partitions of the months since its moment only; [`Checks::Nothing`] reads none;
/// [`Checks::Unknown`] (or `None`: a history read whole) reads every version after the history's seq. Returns how
/// many versions were folded in, and the rows of months before the resident ones that changed: the caller writes
/// them to their stored months (`storage::months::write_fold`).
pub fn fold_new(conn: &mut DbConnection, h: &mut EnterpriseHistory, stored: Option<Checks>) -> Result<Folded> {
    let company = h.company.to_string();
    let t = std::time::Instant::now();
    let after = check_record_versions::seq.gt(h.check_seq);
    let new = match stored.unwrap_or(Checks::Unknown) {
        Checks::Nothing => Vec::new(),
        // SQLite is not partitioned, and a bound on receipt could only mislead its planner.
        Checks::Through { through, .. } if matches!(conn, DbConnection::Sqlite(_)) => {
            checks!(conn, &company, after.and(check_record_versions::seq.le(through)))
        }
        Checks::Through { since, through } => {
            let filter =
                after.and(check_record_versions::seq.le(through)).and(check_record_versions::received_at.ge(since));
            checks!(conn, &company, filter)
        }
        Checks::Unknown => checks!(conn, &company, after),
    };
    if new.is_empty() {
        let older = h.fold_checks(&[], &[]);
        return Ok(Folded { versions: 0, older });
    }
    let mut ids: Vec<String> = new.iter().map(|v| v.id.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    let reading_new = t.elapsed();
    let (bounded, since, open) = crate::heads::by_first_receipt(conn, &h.company, ids)?;
    let heads = t.elapsed() - reading_new;
    let mut old = Vec::new();
    if let Some(since) = since {
        for chunk in bounded.chunks(500) {
            // Every version of these records was received at or after `since`: PostgreSQL reads only those months'
            // partitions.
            let filter = check_record_versions::record_id
                .eq_any(chunk.to_vec())
                .and(check_record_versions::received_at.ge(since))
                .and(check_record_versions::seq.le(h.check_seq));
            let found = checks!(conn, &company, filter);
            old.extend(found.into_iter().filter(|v| v.seq <= h.check_seq));
        }
    }
    for chunk in open.chunks(500) {
        // By record id only, so that the planner takes the record index; a bound on seq here made SQLite scan the
        // enterprise's `(company_code, seq)` index instead (78 ms for 500 records of the largest one).
        let found = checks!(conn, &company, check_record_versions::record_id.eq_any(chunk.to_vec()));
        old.extend(found.into_iter().filter(|v| v.seq <= h.check_seq));
    }
    let reading_old = t.elapsed() - reading_new - heads;
    let older = h.fold_checks(&old, &new);
    // Where a batch's fold goes, for `DUALPREV_LOG=storage=debug`.
    let folding = t.elapsed() - reading_new - heads - reading_old;
    tracing::debug!(%company, new = new.len(), old = old.len(), ?reading_new, ?heads, ?reading_old, ?folding, "folded");
    Ok(Folded { versions: new.len(), older })
}

/// What [`fold_new`] folded.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// Check record versions folded in.
    pub versions: usize,
    /// Rows of months before the resident ones that changed (empty when every month is resident).
    pub older: domain::months::OldRows,
}
