//! The outcome side: dangers (隐患) and unit stops (停用/检修).

use crate::reader::{Reader, TEXT_LIMIT};
use crate::tables::risk::HAZARD_CODE_MAX;
use domain::enums::{DangerManageType, DangerState};
use domain::records::{Danger, Deadline, UnitStop};
use domain::time::local_date;
use serde_json::Value;

pub(crate) const DANGER: [&str; 21] = [
    "hazardCode",
    "dangerName",
    "dangerLevel",
    "registTime",
    "registrant",
    "dangerSrc",
    "dangerManageType",
    "hazardDangerType",
    "dangerDesc",
    "liablePerson",
    "dangerState",
    "dangerManageDeadline",
    "hazardCategory",
    "riskMeasureId",
    "checkRecordId",
    "dangerReason",
    "controlMeasures",
    "cost",
    "checkAcceptPerson",
    "checkAcceptTime",
    "checkAcceptComment",
];
pub(crate) const UNIT_STOP: [&str; 4] = ["riskUnitId", "stopStartTime", "stopEndTime", "stopReason"];

/// Reads `cost` (资金, 万元): a string kept as sent, or a number kept as its JSON text.
fn cost(r: &mut Reader<'_>) -> Option<Option<String>> {
    match r.get("cost") {
        Some(Value::Number(n)) => Some(Some(n.to_string())),
        _ => r.opt_str("cost", TEXT_LIMIT),
    }
}

pub(crate) fn danger(r: &mut Reader<'_>) -> Option<Danger> {
    let hazard_code = r.req_str("hazardCode", HAZARD_CODE_MAX);
    let danger_name = r.req_str("dangerName", 300);
    let danger_level = r.req_enum();
    let regist_time = r.req_datetime("registTime");
    let registrant = r.req_str("registrant", TEXT_LIMIT);
    let danger_src = r.req_enum();
    let danger_manage_type: Option<DangerManageType> = r.req_enum();
    let hazard_danger_type = r.req_enum();
    let danger_desc = r.req_str("dangerDesc", TEXT_LIMIT);
    let liable_person = r.req_str("liablePerson", TEXT_LIMIT);
    let danger_state: Option<DangerState> = r.req_enum();
    let manage_deadline = r.opt_deadline("dangerManageDeadline");
    let hazard_category = r.opt_enum();
    let risk_measure_id = r.opt_id("riskMeasureId");
    let check_record_id = r.opt_id("checkRecordId");
    let danger_reason = r.opt_str("dangerReason", TEXT_LIMIT);
    let control_measures = r.opt_str("controlMeasures", TEXT_LIMIT);
    let cost = cost(r);
    let check_accept_person = r.opt_str("checkAcceptPerson", TEXT_LIMIT);
    let check_accept_time = r.opt_datetime("checkAcceptTime");
    let check_accept_comment = r.opt_str("checkAcceptComment", TEXT_LIMIT);

    let mut ok = true;
    if danger_manage_type == Some(DangerManageType::Deadline) && manage_deadline == Some(None) {
        r.missing_because(
            "dangerManageDeadline",
            "dangerManageType 为 1（限期整改）时",
            "when dangerManageType is 1 (限期整改)",
        );
        ok = false;
    }
    if danger_state == Some(DangerState::Accepted) {
        for (f, absent) in [
            ("checkAcceptPerson", check_accept_person == Some(None)),
            ("checkAcceptTime", check_accept_time == Some(None)),
        ] {
            if absent {
                r.missing_because(f, "dangerState 为 9（已验收）时", "when dangerState is 9 (已验收)");
                ok = false;
            }
        }
    }
    if let (Some(regist), Some(Some(deadline))) = (regist_time, manage_deadline) {
        let day = match deadline {
            Deadline::Date(d) => d,
            Deadline::At(t) => local_date(t),
        };
        if day < local_date(regist) {
            r.inconsistent(
                "dangerManageDeadline",
                "dangerManageDeadline 不能早于 registTime 的日期",
                "dangerManageDeadline must not be before the date of registTime",
            );
            ok = false;
        }
    }
    if let (Some(regist), Some(Some(accepted))) = (regist_time, check_accept_time)
        && accepted < regist
    {
        r.inconsistent(
            "checkAcceptTime",
            "checkAcceptTime 不能早于 registTime",
            "checkAcceptTime must not be before registTime",
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(Danger {
        hazard_code: hazard_code?,
        danger_name: danger_name?,
        danger_level: danger_level?,
        regist_time: regist_time?,
        registrant: registrant?,
        danger_src: danger_src?,
        danger_manage_type: danger_manage_type?,
        hazard_danger_type: hazard_danger_type?,
        danger_desc: danger_desc?,
        liable_person: liable_person?,
        danger_state: danger_state?,
        manage_deadline: manage_deadline?,
        hazard_category: hazard_category?,
        risk_measure_id: risk_measure_id?,
        check_record_id: check_record_id?,
        danger_reason: danger_reason?,
        control_measures: control_measures?,
        cost: cost?,
        check_accept_person: check_accept_person?,
        check_accept_time: check_accept_time?,
        check_accept_comment: check_accept_comment?,
    })
}

pub(crate) fn unit_stop(r: &mut Reader<'_>) -> Option<UnitStop> {
    let risk_unit_id = r.req_id("riskUnitId");
    let stop_start_time = r.req_datetime("stopStartTime");
    let stop_end_time = r.opt_datetime("stopEndTime");
    let stop_reason = r.req_str("stopReason", TEXT_LIMIT);
    if let (Some(start), Some(Some(end))) = (stop_start_time, stop_end_time)
        && end < start
    {
        r.inconsistent(
            "stopEndTime",
            "stopEndTime 不能早于 stopStartTime",
            "stopEndTime must not be before stopStartTime",
        );
        return None;
    }
    Some(UnitStop {
        risk_unit_id: risk_unit_id?,
        stop_start_time: stop_start_time?,
        stop_end_time: stop_end_time?,
        stop_reason: stop_reason?,
    })
}
