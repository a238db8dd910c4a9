//! The typed version rows of the eight exchange tables, built from domain records.

use crate::DbConnection;
use crate::schema::*;
use chrono::{NaiveDateTime, Timelike};
use diesel::ExecuteCopyFromDsl;
use diesel::prelude::*;
use domain::records::{Body, Common, Deadline, Record};

/// Declares an insertable version row: the common columns, then the table's own.
macro_rules! version_row {
    ($(#[$meta:meta])* $name:ident, $table:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Insertable, Queryable, Selectable)]
        #[diesel(table_name = $table)]
        // None is NULL (no column has a DEFAULT): SQLite then gets one multi-row INSERT per chunk instead of one
        // statement per row, which diesel uses for rows that may hold DEFAULT.
        #[diesel(treat_none_as_default_value = false)]
        pub struct $name {
            /// The enterprise.
            pub company_code: String,
            /// The record id.
            pub record_id: String,
            /// The batch that brought this version.
            pub batch_id: String,
            /// When the platform accepted this version (UTC).
            pub received_at: NaiveDateTime,
            /// Soft deletion.
            pub deleted: bool,
            /// `createDate` (UTC).
            pub create_date: NaiveDateTime,
            /// `createBy`.
            pub create_by: String,
            /// `updateDate` (UTC).
            pub update_date: NaiveDateTime,
            /// `updateBy`.
            pub update_by: String,
            /// `tyshxydm`.
            pub credit_code: Option<String>,
            /// Unnamed fields as a JSON object.
            pub extra: Option<String>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }
    };
}

version_row!(
    /// A `hazard_source_versions` row.
    HazardSourceRow, hazard_source_versions {
    /// `hazardCode`.
    hazard_code: String,
    /// `hazardName`.
    hazard_name: String,
    /// `hazardLevel`.
    hazard_level: i32,
    /// `responsiblePerson` (JSON).
    responsible_person: Option<String>,
    /// `technicalPerson` (JSON).
    technical_person: Option<String>,
    /// `operationPerson` (JSON).
    operation_person: Option<String>,
});

version_row!(
    /// A `risk_unit_versions` row.
    RiskUnitRow, risk_unit_versions {
    /// `hazardCode`.
    hazard_code: String,
    /// `hazardDep`.
    hazard_dep: String,
    /// `hazardLiablePerson`.
    hazard_liable_person: String,
    /// `riskUnitName`.
    risk_unit_name: String,
    /// `riskClass`.
    risk_class: Option<i32>,
});

version_row!(
    /// A `risk_event_versions` row.
    RiskEventRow, risk_event_versions {
    /// `riskUnitId`.
    risk_unit_id: String,
    /// `riskEventName`.
    risk_event_name: String,
    /// `riskDescription`.
    risk_description: Option<String>,
});

version_row!(
    /// A `control_measure_versions` row.
    ControlMeasureRow, control_measure_versions {
    /// `riskEventId`.
    risk_event_id: String,
    /// `dataSrc`.
    data_src: i32,
    /// `riskMeasureDesc`.
    risk_measure_desc: String,
    /// `classify1`.
    classify1: i32,
    /// `classify2`.
    classify2: String,
    /// `classify3`.
    classify3: Option<String>,
    /// `troubleshootContent`.
    troubleshoot_content: String,
});

version_row!(
    /// A `check_task_versions` row.
    CheckTaskRow, check_task_versions {
    /// `riskMeasureId`.
    risk_measure_id: String,
    /// `troubleshootContent`.
    troubleshoot_content: String,
    /// `checkCycle` × 100.
    check_cycle_hundredths: i64,
    /// `checkCycleUnit` (小时, 天, 周, 月, 年).
    check_cycle_unit: String,
    /// `taskStartTime` (UTC).
    task_start_time: NaiveDateTime,
    /// `workStartTime` as seconds after local midnight.
    work_start_secs: Option<i32>,
    /// `workEndTime` as seconds after local midnight.
    work_end_secs: Option<i32>,
    /// `workDayType`.
    work_day_type: i32,
    /// `workType`.
    work_type: i32,
    /// `taskNum`.
    task_num: Option<i32>,
});

version_row!(
    /// A `check_record_versions` row.
    CheckRecordRow, check_record_versions {
    /// `checkTaskId`.
    check_task_id: String,
    /// `checkTime` (UTC).
    check_time: NaiveDateTime,
    /// `checkStatus`.
    check_status: i32,
    /// `mobileMe`.
    mobile_me: Option<String>,
    /// `isDefend`.
    is_defend: Option<i32>,
});

version_row!(
    /// A `danger_versions` row.
    DangerRow, danger_versions {
    /// `hazardCode`.
    hazard_code: String,
    /// `dangerName`.
    danger_name: String,
    /// `dangerLevel`.
    danger_level: i32,
    /// `registTime` (UTC).
    regist_time: NaiveDateTime,
    /// `registrant`.
    registrant: String,
    /// `dangerSrc`.
    danger_src: i32,
    /// `dangerManageType`.
    danger_manage_type: i32,
    /// `hazardDangerType`.
    hazard_danger_type: i32,
    /// `dangerDesc`.
    danger_desc: String,
    /// `liablePerson`.
    liable_person: String,
    /// `dangerState`.
    danger_state: i32,
    /// `dangerManageDeadline`: a moment (UTC), or for a date its local midnight (UTC).
    manage_deadline: Option<NaiveDateTime>,
    /// Whether the deadline was sent as a date (meaning the end of that day).
    manage_deadline_is_date: bool,
    /// `hazardCategory`.
    hazard_category: Option<i32>,
    /// `riskMeasureId`.
    risk_measure_id: Option<String>,
    /// `checkRecordId`.
    check_record_id: Option<String>,
    /// `dangerReason`.
    danger_reason: Option<String>,
    /// `controlMeasures`.
    control_measures: Option<String>,
    /// `cost`.
    cost: Option<String>,
    /// `checkAcceptPerson`.
    check_accept_person: Option<String>,
    /// `checkAcceptTime` (UTC).
    check_accept_time: Option<NaiveDateTime>,
    /// `checkAcceptComment`.
    check_accept_comment: Option<String>,
});

version_row!(
    /// A `unit_stop_versions` row.
    UnitStopRow, unit_stop_versions {
    /// `riskUnitId`.
    risk_unit_id: String,
    /// `stopStartTime` (UTC).
    stop_start_time: NaiveDateTime,
    /// `stopEndTime` (UTC).
    stop_end_time: Option<NaiveDateTime>,
    /// `stopReason`.
    stop_reason: String,
});

/// Rows of one table, ready for a multi-row insert.
#[derive(Debug, Default)]
pub struct VersionRows {
    hazard_source: Vec<HazardSourceRow>,
    risk_unit: Vec<RiskUnitRow>,
    risk_event: Vec<RiskEventRow>,
    control_measure: Vec<ControlMeasureRow>,
    check_task: Vec<CheckTaskRow>,
    check_record: Vec<CheckRecordRow>,
    danger: Vec<DangerRow>,
    unit_stop: Vec<UnitStopRow>,
}

/// Fills the common columns of a row literal.
macro_rules! row {
    ($ty:ident, $c:expr, $batch:expr, $at:expr, { $($body:tt)* }) => {
        $ty {
            company_code: $c.company_code.to_string(),
            record_id: $c.id.clone(),
            batch_id: $batch.to_owned(),
            received_at: $at,
            deleted: $c.deleted,
            create_date: $c.create_date,
            create_by: $c.create_by.clone(),
            update_date: $c.update_date,
            update_by: $c.update_by.clone(),
            credit_code: $c.credit_code.clone(),
            extra: $c.extra.clone(),
            $($body)*
        }
    };
}

fn secs(t: Option<chrono::NaiveTime>) -> Option<i32> {
    t.map(|t| t.num_seconds_from_midnight() as i32)
}

/// Inserts rows on the concrete connection (diesel's multi-backend connection has no batch insert): on PostgreSQL
/// all of them in one binary `COPY`, on SQLite in chunks of one multi-row INSERT each.
macro_rules! insert_chunks {
    ($conn:expr, $table:path, $rows:expr) => {{
        let mut n = 0;
        match &mut *$conn {
            _ if $rows.is_empty() => {}
            // Backends differ: SQLite has no COPY. On PostgreSQL a multi-row INSERT of 250 rows binds 4,000 values
            // and is parsed and planned anew each time; COPY streams the rows with nothing to plan.
            DbConnection::Postgresql(pg) => {
                n += diesel::copy_from($table).from_insertable($rows.as_slice()).execute(pg)?;
            }
            DbConnection::Sqlite(c) => {
                for chunk in $rows.chunks(CHUNK) {
                    n += diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
        }
        n
    }};
}

impl VersionRows {
    /// Adds the row of one record version.
    pub fn push(&mut self, r: &Record, batch_id: &domain::BatchId, received_at: NaiveDateTime) {
        let batch_id = batch_id.as_str();
        let c: &Common = &r.common;
        match &r.body {
            Body::HazardSource(b) => self.hazard_source.push(row!(HazardSourceRow, c, batch_id, received_at, {
                hazard_code: b.hazard_code.clone(), hazard_name: b.hazard_name.clone(),
                hazard_level: b.hazard_level.code().into(), responsible_person: b.responsible_person.clone(),
                technical_person: b.technical_person.clone(), operation_person: b.operation_person.clone(),
            })),
            Body::RiskUnit(b) => self.risk_unit.push(row!(RiskUnitRow, c, batch_id, received_at, {
                hazard_code: b.hazard_code.clone(), hazard_dep: b.hazard_dep.clone(),
                hazard_liable_person: b.hazard_liable_person.clone(), risk_unit_name: b.risk_unit_name.clone(),
                risk_class: b.risk_class.map(|x| x.code().into()),
            })),
            Body::RiskEvent(b) => self.risk_event.push(row!(RiskEventRow, c, batch_id, received_at, {
                risk_unit_id: b.risk_unit_id.clone(), risk_event_name: b.risk_event_name.clone(),
                risk_description: b.risk_description.clone(),
            })),
            Body::ControlMeasure(b) => self.control_measure.push(row!(ControlMeasureRow, c, batch_id, received_at, {
                risk_event_id: b.risk_event_id.clone(), data_src: b.data_src.code().into(),
                risk_measure_desc: b.risk_measure_desc.clone(), classify1: b.classify1.code().into(),
                classify2: b.classify2.code(), classify3: b.classify3.clone(),
                troubleshoot_content: b.troubleshoot_content.clone(),
            })),
            Body::CheckTask(b) => self.check_task.push(row!(CheckTaskRow, c, batch_id, received_at, {
                risk_measure_id: b.risk_measure_id.clone(), troubleshoot_content: b.troubleshoot_content.clone(),
                check_cycle_hundredths: b.check_cycle.hundredths.into(), check_cycle_unit: b.check_cycle_unit.label().into(),
                task_start_time: b.task_start_time, work_start_secs: secs(b.work_start_time),
                work_end_secs: secs(b.work_end_time), work_day_type: b.work_day_type.code().into(),
                work_type: b.work_type.code().into(), task_num: b.task_num.map(i32::from),
            })),
            Body::CheckRecord(b) => self.check_record.push(row!(CheckRecordRow, c, batch_id, received_at, {
                check_task_id: b.check_task_id.clone(), check_time: b.check_time,
                check_status: b.check_status.code().into(), mobile_me: b.mobile_me.clone(),
                is_defend: b.is_defend.map(i32::from),
            })),
            Body::Danger(b) => {
                let (deadline, is_date) = match b.manage_deadline {
                    Some(Deadline::Date(d)) => (Some(domain::time::local_midnight_utc(d)), true),
                    Some(Deadline::At(t)) => (Some(t), false),
                    None => (None, false),
                };
                self.danger.push(row!(DangerRow, c, batch_id, received_at, {
                    hazard_code: b.hazard_code.clone(), danger_name: b.danger_name.clone(),
                    danger_level: b.danger_level.code().into(), regist_time: b.regist_time,
                    registrant: b.registrant.clone(), danger_src: b.danger_src.code().into(),
                    danger_manage_type: b.danger_manage_type.code().into(),
                    hazard_danger_type: b.hazard_danger_type.code().into(), danger_desc: b.danger_desc.clone(),
                    liable_person: b.liable_person.clone(), danger_state: b.danger_state.code().into(),
                    manage_deadline: deadline, manage_deadline_is_date: is_date,
                    hazard_category: b.hazard_category.map(|x| x.code().into()),
                    risk_measure_id: b.risk_measure_id.clone(), check_record_id: b.check_record_id.clone(),
                    danger_reason: b.danger_reason.clone(), control_measures: b.control_measures.clone(),
                    cost: b.cost.clone(), check_accept_person: b.check_accept_person.clone(),
                    check_accept_time: b.check_accept_time, check_accept_comment: b.check_accept_comment.clone(),
                }))
            }
            Body::UnitStop(b) => self.unit_stop.push(row!(UnitStopRow, c, batch_id, received_at, {
                risk_unit_id: b.risk_unit_id.clone(), stop_start_time: b.stop_start_time,
                stop_end_time: b.stop_end_time, stop_reason: b.stop_reason.clone(),
            })),
        }
    }

    /// How many check record rows it holds.
    pub fn checks(&self) -> usize {
        self.check_record.len()
    }

    /// Inserts every row, one multi-row statement per table and chunk; returns the number of rows written.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        let mut n = 0;
        n += insert_chunks!(conn, hazard_source_versions::table, self.hazard_source);
        n += insert_chunks!(conn, risk_unit_versions::table, self.risk_unit);
        n += insert_chunks!(conn, risk_event_versions::table, self.risk_event);
        n += insert_chunks!(conn, control_measure_versions::table, self.control_measure);
        n += insert_chunks!(conn, check_task_versions::table, self.check_task);
        n += insert_chunks!(conn, check_record_versions::table, self.check_record);
        n += insert_chunks!(conn, danger_versions::table, self.danger);
        n += insert_chunks!(conn, unit_stop_versions::table, self.unit_stop);
        Ok(n)
    }
}

/// Rows per INSERT statement: keeps the bound parameters under SQLite's and PostgreSQL's limits.
const CHUNK: usize = 250;
