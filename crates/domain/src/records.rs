//! The records of the exchange tables, as typed values: what validation produces and storage keeps.
//!
//! Times are naive UTC (converted from the wire's Asia/Shanghai local time); times of day (work hours) stay local.
//! Text is kept exactly as sent (4-byte UTF-8 included). Fields the contract does not name are kept as a JSON object
//! in [`Common::extra`], so nothing an enterprise sends is lost.

use crate::CompanyCode;
use crate::enums::{
    CheckStatus, Classify1, Classify2, CycleUnit, DangerLevel, DangerManageType, DangerSrc, DangerState, DataSrc,
    HazardCategory, HazardDangerType, HazardLevel, RiskClass, WorkDayType, WorkType,
};
use crate::table::{ExchangeTable, ParentRef};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hex digits of [`Record::content_hash`].
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The fields every record carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Common {
    /// The record id: a UUID of 32 or 36 characters, unique per table and enterprise.
    pub id: String,
    /// The enterprise.
    pub company_code: CompanyCode,
    /// Soft deletion (`deleted` = "1").
    pub deleted: bool,
    /// `createDate`, UTC.
    pub create_date: NaiveDateTime,
    /// `createBy`.
    pub create_by: String,
    /// `updateDate`, UTC: orders the versions of a record.
    pub update_date: NaiveDateTime,
    /// `updateBy`.
    pub update_by: String,
    /// `tyshxydm`, when sent (its check character was verified).
    pub credit_code: Option<String>,
    /// Fields the contract does not name, as a JSON object, when any were sent.
    pub extra: Option<String>,
}

/// 风险分析对象 (hazard source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardSource {
    /// `hazardCode` (≤ 36).
    pub hazard_code: String,
    /// `hazardName`.
    pub hazard_name: String,
    /// `hazardLevel` 1–4.
    pub hazard_level: HazardLevel,
    /// `responsiblePerson` {name, phone, post} as a JSON object.
    pub responsible_person: Option<String>,
    /// `technicalPerson` as a JSON object.
    pub technical_person: Option<String>,
    /// `operationPerson` as a JSON object.
    pub operation_person: Option<String>,
}

/// 安全风险分析单元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskUnit {
    /// `hazardCode` of the parent hazard source.
    pub hazard_code: String,
    /// `hazardDep` (≤ 200).
    pub hazard_dep: String,
    /// `hazardLiablePerson` (≤ 20).
    pub hazard_liable_person: String,
    /// `riskUnitName` (≤ 200).
    pub risk_unit_name: String,
    /// `riskClass` 1–4.
    pub risk_class: Option<RiskClass>,
}

/// 安全风险事件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskEvent {
    /// `riskUnitId` of the parent unit.
    pub risk_unit_id: String,
    /// `riskEventName` (≤ 500).
    pub risk_event_name: String,
    /// `riskDescription`.
    pub risk_description: Option<String>,
}

/// 管控措施.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlMeasure {
    /// `riskEventId` of the parent event.
    pub risk_event_id: String,
    /// `dataSrc`.
    pub data_src: DataSrc,
    /// `riskMeasureDesc` (≤ 4000).
    pub risk_measure_desc: String,
    /// `classify1`.
    pub classify1: Classify1,
    /// `classify2` (its prefix equals `classify1`).
    pub classify2: Classify2,
    /// `classify3` (≤ 100).
    pub classify3: Option<String>,
    /// `troubleshootContent`.
    pub troubleshoot_content: String,
}

/// A check cycle: a positive number with at most two decimals, in hundredths (`2.5` → 250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    /// The cycle × 100.
    pub hundredths: u32,
}

/// 隐患排查任务.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckTask {
    /// `riskMeasureId` of the parent measure.
    pub risk_measure_id: String,
    /// `troubleshootContent` (≤ 1000).
    pub troubleshoot_content: String,
    /// `checkCycle`.
    pub check_cycle: Cycle,
    /// `checkCycleUnit`.
    pub check_cycle_unit: CycleUnit,
    /// `taskStartTime`, UTC.
    pub task_start_time: NaiveDateTime,
    /// `workStartTime`, local time of day (required for 小时).
    pub work_start_time: Option<NaiveTime>,
    /// `workEndTime`, local time of day (required for 小时).
    pub work_end_time: Option<NaiveTime>,
    /// `workDayType` (default 每天).
    pub work_day_type: WorkDayType,
    /// `workType` (default 日常).
    pub work_type: WorkType,
    /// `taskNum` (required for 包保 tasks).
    pub task_num: Option<u8>,
}

/// 隐患排查记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// `checkTaskId` of the parent task.
    pub check_task_id: String,
    /// `checkTime`, UTC.
    pub check_time: NaiveDateTime,
    /// `checkStatus`.
    pub check_status: CheckStatus,
    /// `mobileMe` (device id).
    pub mobile_me: Option<String>,
    /// `isDefend` 0/1.
    pub is_defend: Option<bool>,
}

/// `dangerManageDeadline`: a date (meaning the end of that local day) or a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    /// A local date: the deadline is 24:00 of that day.
    Date(NaiveDate),
    /// A moment, UTC.
    At(NaiveDateTime),
}

/// 隐患信息/治理.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Danger {
    /// `hazardCode` of the hazard source.
    pub hazard_code: String,
    /// `dangerName` (≤ 300).
    pub danger_name: String,
    /// `dangerLevel`.
    pub danger_level: DangerLevel,
    /// `registTime`, UTC.
    pub regist_time: NaiveDateTime,
    /// `registrant`.
    pub registrant: String,
    /// `dangerSrc`.
    pub danger_src: DangerSrc,
    /// `dangerManageType`.
    pub danger_manage_type: DangerManageType,
    /// `hazardDangerType`.
    pub hazard_danger_type: HazardDangerType,
    /// `dangerDesc`.
    pub danger_desc: String,
    /// `liablePerson`.
    pub liable_person: String,
    /// `dangerState`.
    pub danger_state: DangerState,
    /// `dangerManageDeadline` (required for 限期整改).
    pub manage_deadline: Option<Deadline>,
    /// `hazardCategory`.
    pub hazard_category: Option<HazardCategory>,
    /// `riskMeasureId`, when given.
    pub risk_measure_id: Option<String>,
    /// `checkRecordId`, when given.
    pub check_record_id: Option<String>,
    /// `dangerReason`.
    pub danger_reason: Option<String>,
    /// `controlMeasures`.
    pub control_measures: Option<String>,
    /// `cost` (as sent).
    pub cost: Option<String>,
    /// `checkAcceptPerson` (required when accepted).
    pub check_accept_person: Option<String>,
    /// `checkAcceptTime`, UTC (required when accepted).
    pub check_accept_time: Option<NaiveDateTime>,
    /// `checkAcceptComment`.
    pub check_accept_comment: Option<String>,
}

/// 停用/检修记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStop {
    /// `riskUnitId` of the stopped unit.
    pub risk_unit_id: String,
    /// `stopStartTime`, UTC.
    pub stop_start_time: NaiveDateTime,
    /// `stopEndTime`, UTC (open-ended while absent).
    pub stop_end_time: Option<NaiveDateTime>,
    /// `stopReason`.
    pub stop_reason: String,
}

/// The table-specific part of a record.
#[expect(clippy::large_enum_variant, reason = "records live briefly in batches of at most 500; boxing buys nothing")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Body {
    /// A hazard source.
    HazardSource(HazardSource),
    /// A risk unit.
    RiskUnit(RiskUnit),
    /// A risk event.
    RiskEvent(RiskEvent),
    /// A control measure.
    ControlMeasure(ControlMeasure),
    /// A check task.
    CheckTask(CheckTask),
    /// A check record.
    CheckRecord(CheckRecord),
    /// A danger.
    Danger(Danger),
    /// A unit stop.
    UnitStop(UnitStop),
}

/// A valid record of one exchange table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The common fields.
    pub common: Common,
    /// The table-specific fields.
    pub body: Body,
}

impl Record {
    /// The table of the record.
    pub fn table(&self) -> ExchangeTable {
        match &self.body {
            Body::HazardSource(_) => ExchangeTable::HazardSource,
            Body::RiskUnit(_) => ExchangeTable::RiskUnit,
            Body::RiskEvent(_) => ExchangeTable::RiskEvent,
            Body::ControlMeasure(_) => ExchangeTable::ControlMeasure,
            Body::CheckTask(_) => ExchangeTable::CheckTask,
            Body::CheckRecord(_) => ExchangeTable::CheckRecord,
            Body::Danger(_) => ExchangeTable::Danger,
            Body::UnitStop(_) => ExchangeTable::UnitStop,
        }
    }

    /// The key children use to name this record: the `hazardCode` of a hazard source, the `id` of any other record.
    pub fn key(&self) -> &str {
        match &self.body {
            Body::HazardSource(h) => &h.hazard_code,
            _ => &self.common.id,
        }
    }

    /// The parents this record names, with the key of each (absent optional references are left out).
    pub fn parents(&self) -> Vec<(ParentRef, &str)> {
        let refs = self.table().parents();
        let key = |field: &str| -> Option<&str> {
            match (&self.body, field) {
                (Body::RiskUnit(r), "hazardCode") => Some(&r.hazard_code),
                (Body::RiskEvent(r), "riskUnitId") => Some(&r.risk_unit_id),
                (Body::ControlMeasure(r), "riskEventId") => Some(&r.risk_event_id),
                (Body::CheckTask(r), "riskMeasureId") => Some(&r.risk_measure_id),
                (Body::CheckRecord(r), "checkTaskId") => Some(&r.check_task_id),
                (Body::Danger(r), "hazardCode") => Some(&r.hazard_code),
                (Body::Danger(r), "checkRecordId") => r.check_record_id.as_deref(),
                (Body::Danger(r), "riskMeasureId") => r.risk_measure_id.as_deref(),
                (Body::UnitStop(r), "riskUnitId") => Some(&r.risk_unit_id),
                _ => None,
            }
        };
        refs.iter().filter_map(|p| key(p.field).map(|k| (*p, k))).collect()
    }

    /// A hash of everything the enterprise sent (SHA-256 over the canonical JSON, [`to_json`], as 64 lowercase hex
    /// digits), to tell an identical resend (`unchanged`) from a different record with the same `updateDate`
    /// (`conflict`). A collision would take a changed record for an identical one, so the hash is a cryptographic
    /// one (releases before used 64-bit FNV-1a; `storage::rehash` converts what they stored).
    pub fn content_hash(&self) -> String {
        // The derived Serialize writes fields in declaration order, so equal records give equal text.
        let digest = Sha256::digest(to_json(self).as_bytes());
        let mut hex = String::with_capacity(2 * digest.len());
        for b in digest {
            hex.push(char::from(HEX[usize::from(b >> 4)]));
            hex.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        hex
    }
}

/// The JSON form of a record (the form pending records are kept in).
pub fn to_json(r: &Record) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

/// Reads a record back from [`to_json`].
pub fn from_json(s: &str) -> Result<Record, String> {
    serde_json::from_str(s).map_err(|e| e.to_string())
}
