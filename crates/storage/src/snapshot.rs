//! Loads each enterprise's records as known at a moment `asOf`: per record its latest version received at or before
//! `asOf`, with its deletion time (see `domain::snapshot`).

use crate::schema::*;
use crate::{DbConnection, Result, StorageError};
use chrono::{NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use domain::enums::*;
use domain::records::{Cycle, Deadline};
use domain::snapshot::*;
use domain::{CompanyCode, ExchangeTable};
use std::collections::{BTreeMap, BTreeSet};

/// Which enterprises to load.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Only these enterprises; `None` for all.
    pub companies: Option<Vec<String>>,
}

/// One version as read: company, id, updateDate, deleted, createDate, received_at, and the table's own columns.
type Version<T> = (String, String, NaiveDateTime, bool, NaiveDateTime, NaiveDateTime, T);

/// Per company, the latest version of each record with its life, when each record's first version was received
/// (aligned with `records`), and the received times.
struct Folded<T> {
    records: BTreeMap<String, Vec<(Life, T)>>,
    first_received: BTreeMap<String, Vec<NaiveDateTime>>,
    received: BTreeMap<String, BTreeSet<NaiveDateTime>>,
}

/// Folds versions sorted by (company, id, updateDate) into the latest version of each record.
fn fold<T>(rows: Vec<Version<T>>) -> Folded<T> {
    let mut out = Folded { records: BTreeMap::new(), first_received: BTreeMap::new(), received: BTreeMap::new() };
    let mut iter = rows.into_iter().peekable();
    while let Some((company, id, update, deleted, created, received, payload)) = iter.next() {
        let mut versions = vec![(update, deleted)];
        let times = out.received.entry(company.clone()).or_default();
        times.insert(received);
        let (mut latest, mut created, mut first) = (payload, created, received);
        while let Some(next) = iter.next_if(|n| n.0 == company && n.1 == id) {
            versions.push((next.2, next.3));
            latest = next.6;
            created = next.4;
            first = first.min(next.5);
            times.insert(next.5);
        }
        let life = Life { created, deleted: deletion_time(versions) };
        out.first_received.entry(company.clone()).or_default().push(first);
        out.records.entry(company).or_default().push((life, latest));
    }
    out
}

pub(crate) fn bad(what: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(what.to_string())
}

pub(crate) fn code<E>(parse: fn(i64) -> std::result::Result<E, domain::DomainError>, v: i32) -> Result<E> {
    parse(i64::from(v)).map_err(bad)
}

pub(crate) fn time_of_day(secs: Option<i32>) -> Option<NaiveTime> {
    secs.and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(s).ok()?, 0))
}

/// Selects a table's versions known at `as_of` for the scope, sorted for [`fold`].
macro_rules! versions {
    ($conn:expr, $t:ident, $scope:expr, $as_of:expr, ($($col:ident),+ $(,)?) as $ty:ty) => {{
        let mut q = $t::table
            .filter($t::received_at.le($as_of))
            .select((
                $t::company_code, $t::record_id, $t::update_date, $t::deleted, $t::create_date, $t::received_at,
                ($($t::$col,)+),
            ))
            .order(($t::company_code.asc(), $t::record_id.asc(), $t::update_date.asc()))
            .into_boxed();
        if let Some(c) = &$scope.companies {
            q = q.filter($t::company_code.eq_any(c.clone()));
        }
        let rows: Vec<Version<$ty>> = q.load($conn)?;
        fold(rows)
    }};
}

/// Enterprises loaded per round: bounds the rows held in memory while loading (a province-year enterprise has about
/// 100,000 check record versions).
const ROUND: usize = 2;

/// Loads the snapshots of the enterprises in scope (only those with any record known at `as_of`), a few
/// enterprises at a time.
pub fn load(conn: &mut DbConnection, scope: &Scope, as_of: NaiveDateTime) -> Result<Vec<EnterpriseSnapshot>> {
    let companies: Vec<String> = match &scope.companies {
        Some(c) => c.clone(),
        None => crate::schema::enterprises::table.select(crate::schema::enterprises::company_code).load(conn)?,
    };
    let mut out = Vec::new();
    for round in companies.chunks(ROUND) {
        out.extend(load_round(conn, &Scope { companies: Some(round.to_vec()) }, as_of)?);
    }
    out.sort_by(|a, b| a.company.cmp(&b.company));
    Ok(out)
}

/// Loads the snapshots of a few enterprises.
fn load_round(conn: &mut DbConnection, scope: &Scope, as_of: NaiveDateTime) -> Result<Vec<EnterpriseSnapshot>> {
    let mut snaps: Snaps = BTreeMap::new();
    let hazards = versions!(conn, hazard_source_versions, scope, as_of, (hazard_code) as (String,));
    for (company, rows) in hazards.records {
        let s = entry(&mut snaps, &company)?;
        s.hazards = rows.into_iter().map(|(life, (hazard_code,))| HazardRow { hazard_code, life }).collect();
    }
    let mut received: Received = Vec::new();
    received.extend(hazards.received.into_iter().map(|(c, t)| (c, ExchangeTable::HazardSource, t)));
    let units = versions!(
        conn,
        risk_unit_versions,
        scope,
        as_of,
        (record_id, hazard_code, risk_class) as (String, String, Option<i32>)
    );
    for (company, rows) in units.records {
        let s = entry(&mut snaps, &company)?;
        for (life, (id, hazard_code, risk_class)) in rows {
            let risk_class = risk_class.map(|c| code(RiskClass::from_code, c)).transpose()?;
            s.units.push(UnitRow { id, hazard_code, risk_class, life });
        }
    }
    received.extend(units.received.into_iter().map(|(c, t)| (c, ExchangeTable::RiskUnit, t)));
    let events = versions!(conn, risk_event_versions, scope, as_of, (record_id, risk_unit_id) as (String, String));
    for (company, rows) in events.records {
        entry(&mut snaps, &company)?.events =
            rows.into_iter().map(|(life, (id, unit_id))| EventRow { id, unit_id, life }).collect();
    }
    received.extend(events.received.into_iter().map(|(c, t)| (c, ExchangeTable::RiskEvent, t)));
    let measures = versions!(
        conn,
        control_measure_versions,
        scope,
        as_of,
        (record_id, risk_event_id, data_src) as (String, String, i32)
    );
    for (company, rows) in measures.records {
        let s = entry(&mut snaps, &company)?;
        for (life, (id, event_id, data_src)) in rows {
            s.measures.push(MeasureRow { id, event_id, data_src: code(DataSrc::from_code, data_src)?, life });
        }
    }
    received.extend(measures.received.into_iter().map(|(c, t)| (c, ExchangeTable::ControlMeasure, t)));
    load_tasks_and_below(conn, scope, as_of, &mut snaps, &mut received)?;
    for (company, table, at) in received {
        entry(&mut snaps, &company)?.received.push((table, at.into_iter().collect::<Vec<_>>().into()));
    }
    Ok(snaps.into_values().collect())
}

/// The task columns read.
pub(crate) type TaskCols = (String, String, NaiveDateTime, i64, String, Option<i32>, Option<i32>, i32, i32);
/// The danger columns read.
pub(crate) type DangerCols = (String, i32, i32, NaiveDateTime, Option<NaiveDateTime>, bool, i32, Option<NaiveDateTime>);

/// Per company and table, the distinct receive times.
type Received = Vec<(String, ExchangeTable, BTreeSet<NaiveDateTime>)>;

/// Snapshots by company code.
type Snaps = BTreeMap<String, EnterpriseSnapshot>;

/// The snapshot of a company, created empty on first use.
fn entry<'a>(snaps: &'a mut Snaps, company: &str) -> Result<&'a mut EnterpriseSnapshot> {
    if !snaps.contains_key(company) {
        let code = CompanyCode::parse(company).map_err(bad)?;
        snaps.insert(company.to_owned(), EnterpriseSnapshot::empty(code));
    }
    snaps.get_mut(company).ok_or_else(|| bad("snapshot"))
}

fn load_tasks_and_below(
    conn: &mut DbConnection,
    scope: &Scope,
    as_of: NaiveDateTime,
    snaps: &mut Snaps,
    received: &mut Received,
) -> Result<()> {
    let tasks = versions!(
        conn,
        check_task_versions,
        scope,
        as_of,
        (
            record_id,
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
    for (company, rows) in tasks.records {
        let s = entry(snaps, &company)?;
        for (life, (id, measure_id, start, hundredths, unit, ws, we, day_type, work_type)) in rows {
            s.tasks.push(TaskRow {
                id,
                measure_id,
                start,
                cycle: Cycle { hundredths: u32::try_from(hundredths).map_err(bad)? },
                unit: CycleUnit::parse(&unit).map_err(bad)?,
                work_hours: time_of_day(ws).zip(time_of_day(we)),
                work_day_type: code(WorkDayType::from_code, day_type)?,
                work_type: code(WorkType::from_code, work_type)?,
                life,
            });
        }
    }
    received.extend(tasks.received.into_iter().map(|(c, t)| (c, ExchangeTable::CheckTask, t)));
    let checks = versions!(
        conn,
        check_record_versions,
        scope,
        as_of,
        (check_task_id, check_time, check_status) as (String, NaiveDateTime, i32)
    );
    let mut first_received = checks.first_received;
    for (company, rows) in checks.records {
        let firsts = first_received.remove(&company).unwrap_or_default();
        let s = entry(snaps, &company)?;
        let index: std::collections::HashMap<&str, u32> =
            s.tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i as u32)).collect();
        let mut kept = Vec::with_capacity(rows.len());
        for ((life, (task_id, check_time, status)), first) in rows.into_iter().zip(firsts) {
            // A check is stored only once its task is; one whose task is unknown here cannot be due anyway.
            if let (None, Some(&task), Some(at)) = (life.deleted, index.get(task_id.as_str()), epoch_secs(check_time)) {
                let status = code(CheckStatus::from_code, status)?;
                kept.push(CheckRow { task, at, status, late: entered_late(check_time, first) });
            }
        }
        // Sorted by (task, time): the figures find a task's checks by binary search.
        kept.sort_unstable_by_key(|c| (c.task, c.at));
        s.checks = kept.into();
    }
    received.extend(checks.received.into_iter().map(|(c, t)| (c, ExchangeTable::CheckRecord, t)));
    let dangers = versions!(
        conn,
        danger_versions,
        scope,
        as_of,
        (
            record_id,
            danger_level,
            danger_manage_type,
            regist_time,
            manage_deadline,
            manage_deadline_is_date,
            danger_state,
            check_accept_time
        ) as DangerCols
    );
    let mut first_received = dangers.first_received;
    for (company, rows) in dangers.records {
        let firsts = first_received.remove(&company).unwrap_or_default();
        let s = entry(snaps, &company)?;
        for ((life, (id, level, manage, regist, deadline, is_date, state, accept)), first) in
            rows.into_iter().zip(firsts)
        {
            if life.deleted.is_some() {
                continue;
            }
            let deadline =
                deadline.map(|d| if is_date { Deadline::Date(domain::time::local_date(d)) } else { Deadline::At(d) });
            s.dangers.push(DangerRow {
                id,
                level: code(DangerLevel::from_code, level)?,
                manage_type: code(DangerManageType::from_code, manage)?,
                regist_time: regist,
                deadline,
                state: code(DangerState::from_code, state)?,
                accept_time: accept,
                first_received: first,
            });
        }
    }
    received.extend(dangers.received.into_iter().map(|(c, t)| (c, ExchangeTable::Danger, t)));
    let stops = versions!(
        conn,
        unit_stop_versions,
        scope,
        as_of,
        (risk_unit_id, stop_start_time, stop_end_time) as (String, NaiveDateTime, Option<NaiveDateTime>)
    );
    for (company, rows) in stops.records {
        let s = entry(snaps, &company)?;
        for (life, (unit_id, start, end)) in rows {
            if life.deleted.is_none() {
                s.stops.push(StopRow { unit_id, start, end });
            }
        }
    }
    received.extend(stops.received.into_iter().map(|(c, t)| (c, ExchangeTable::UnitStop, t)));
    Ok(())
}
