//! A stored version read back into the record it was stored from: the inverse of
//! [`VersionRows::push`](crate::versions::VersionRows::push), field for field ([`StoredVersion::into_record`]).
//!
//! Every field of a record is kept in its version row: times to the second (the wire has no fractions), times of
//! day as seconds after midnight, enumerations as their codes, a date-only deadline as its local midnight with a
//! flag. So the rebuilt record equals the one received, and so does its content hash ([`crate::rehash`] checks
//! this for every head it rehashes).

use crate::versions::{
    CheckRecordRow, CheckTaskRow, ControlMeasureRow, DangerRow, HazardSourceRow, RiskEventRow, RiskUnitRow, UnitStopRow,
};
use crate::{Result, StorageError};
use chrono::NaiveTime;
use domain::CompanyCode;
use domain::enums::*;
use domain::records::*;

/// A version row that can be read back into its record.
pub trait StoredVersion {
    /// The record this row was stored from; an error when a stored value is not a valid domain value.
    fn into_record(self) -> Result<Record>;
}

/// The common fields of a row, moved out of it.
macro_rules! common {
    ($r:expr) => {
        Common {
            id: $r.record_id,
            company_code: CompanyCode::parse(&$r.company_code)?,
            deleted: $r.deleted,
            create_date: $r.create_date,
            create_by: $r.create_by,
            update_date: $r.update_date,
            update_by: $r.update_by,
            credit_code: $r.credit_code,
            extra: $r.extra,
        }
    };
}

/// Implements [`StoredVersion`]: the common fields, then the body built from the row's own columns.
macro_rules! stored_version {
    ($row:ty, |$r:ident| $body:expr) => {
        impl StoredVersion for $row {
            fn into_record(self) -> Result<Record> {
                let $r = self;
                let body = $body;
                Ok(Record { common: common!($r), body })
            }
        }
    };
}

/// A code column as its enumeration.
fn code<T>(parse: fn(i64) -> std::result::Result<T, domain::DomainError>, v: i32) -> Result<T> {
    Ok(parse(i64::from(v))?)
}

/// A nullable code column as its enumeration.
fn code_opt<T>(parse: fn(i64) -> std::result::Result<T, domain::DomainError>, v: Option<i32>) -> Result<Option<T>> {
    v.map(|v| code(parse, v)).transpose()
}

/// Seconds after local midnight as a time of day.
fn time_of_day(secs: Option<i32>) -> Result<Option<NaiveTime>> {
    secs.map(|s| {
        u32::try_from(s)
            .ok()
            .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
            .ok_or_else(|| StorageError::Corrupt(format!("time of day {s} s")))
    })
    .transpose()
}

/// A number that must fit a smaller type.
fn fit<T: TryFrom<i64>>(what: &str, v: i64) -> Result<T> {
    T::try_from(v).map_err(|_| StorageError::Corrupt(format!("{what} {v} out of range")))
}

stored_version!(HazardSourceRow, |r| Body::HazardSource(HazardSource {
    hazard_code: r.hazard_code,
    hazard_name: r.hazard_name,
    hazard_level: code(HazardLevel::from_code, r.hazard_level)?,
    responsible_person: r.responsible_person,
    technical_person: r.technical_person,
    operation_person: r.operation_person,
}));

stored_version!(RiskUnitRow, |r| Body::RiskUnit(RiskUnit {
    hazard_code: r.hazard_code,
    hazard_dep: r.hazard_dep,
    hazard_liable_person: r.hazard_liable_person,
    risk_unit_name: r.risk_unit_name,
    risk_class: code_opt(RiskClass::from_code, r.risk_class)?,
}));

stored_version!(RiskEventRow, |r| Body::RiskEvent(RiskEvent {
    risk_unit_id: r.risk_unit_id,
    risk_event_name: r.risk_event_name,
    risk_description: r.risk_description,
}));

stored_version!(ControlMeasureRow, |r| Body::ControlMeasure(ControlMeasure {
    risk_event_id: r.risk_event_id,
    data_src: code(DataSrc::from_code, r.data_src)?,
    risk_measure_desc: r.risk_measure_desc,
    classify1: code(Classify1::from_code, r.classify1)?,
    classify2: Classify2::parse(&r.classify2)?,
    classify3: r.classify3,
    troubleshoot_content: r.troubleshoot_content,
}));

stored_version!(CheckTaskRow, |r| Body::CheckTask(CheckTask {
    risk_measure_id: r.risk_measure_id,
    troubleshoot_content: r.troubleshoot_content,
    check_cycle: Cycle { hundredths: fit("checkCycle × 100", r.check_cycle_hundredths)? },
    check_cycle_unit: CycleUnit::parse(&r.check_cycle_unit)?,
    task_start_time: r.task_start_time,
    work_start_time: time_of_day(r.work_start_secs)?,
    work_end_time: time_of_day(r.work_end_secs)?,
    work_day_type: code(WorkDayType::from_code, r.work_day_type)?,
    work_type: code(WorkType::from_code, r.work_type)?,
    task_num: r.task_num.map(|n| fit("taskNum", n.into())).transpose()?,
}));

stored_version!(CheckRecordRow, |r| Body::CheckRecord(CheckRecord {
    check_task_id: r.check_task_id,
    check_time: r.check_time,
    check_status: code(CheckStatus::from_code, r.check_status)?,
    mobile_me: r.mobile_me,
    is_defend: r.is_defend.map(|v| v != 0),
}));

stored_version!(DangerRow, |r| Body::Danger(Danger {
    hazard_code: r.hazard_code,
    danger_name: r.danger_name,
    danger_level: code(DangerLevel::from_code, r.danger_level)?,
    regist_time: r.regist_time,
    registrant: r.registrant,
    danger_src: code(DangerSrc::from_code, r.danger_src)?,
    danger_manage_type: code(DangerManageType::from_code, r.danger_manage_type)?,
    hazard_danger_type: code(HazardDangerType::from_code, r.hazard_danger_type)?,
    danger_desc: r.danger_desc,
    liable_person: r.liable_person,
    danger_state: code(DangerState::from_code, r.danger_state)?,
    // A date was stored as its local midnight (UTC) with the flag set.
    manage_deadline: r.manage_deadline.map(|t| {
        if r.manage_deadline_is_date { Deadline::Date(domain::time::local_date(t)) } else { Deadline::At(t) }
    }),
    hazard_category: code_opt(HazardCategory::from_code, r.hazard_category)?,
    risk_measure_id: r.risk_measure_id,
    check_record_id: r.check_record_id,
    danger_reason: r.danger_reason,
    control_measures: r.control_measures,
    cost: r.cost,
    check_accept_person: r.check_accept_person,
    check_accept_time: r.check_accept_time,
    check_accept_comment: r.check_accept_comment,
}));

stored_version!(UnitStopRow, |r| Body::UnitStop(UnitStop {
    risk_unit_id: r.risk_unit_id,
    stop_start_time: r.stop_start_time,
    stop_end_time: r.stop_end_time,
    stop_reason: r.stop_reason,
}));
