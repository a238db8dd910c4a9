//! The inspection side: check tasks and check records.

use crate::reader::{Reader, TEXT_LIMIT};
use domain::enums::{CycleUnit, WorkDayType, WorkType};
use domain::records::{CheckRecord, CheckTask};
use serde_json::Value;

pub(crate) const CHECK_TASK: [&str; 10] = [
    "riskMeasureId",
    "troubleshootContent",
    "checkCycle",
    "checkCycleUnit",
    "taskStartTime",
    "workStartTime",
    "workEndTime",
    "workDayType",
    "workType",
    "taskNum",
];
pub(crate) const CHECK_RECORD: [&str; 5] = ["checkTaskId", "checkTime", "checkStatus", "mobileMe", "isDefend"];

/// Reads `checkCycleUnit`: one of 小时, 天, 周, 月, 年.
fn cycle_unit(r: &mut Reader<'_>) -> Option<CycleUnit> {
    const F: &str = "checkCycleUnit";
    match r.get(F) {
        Some(Value::String(s)) if !crate::reader::is_blank(s) => match CycleUnit::parse(s) {
            Ok(u) => Some(u),
            Err(_) => {
                r.bad_enum(F, "小时、天、周、月、年");
                None
            }
        },
        None | Some(Value::String(_)) => {
            r.missing(F);
            None
        }
        Some(_) => {
            r.bad_type(F, "字符串（小时、天、周、月、年）", "a string (小时, 天, 周, 月, 年)");
            None
        }
    }
}

pub(crate) fn check_task(r: &mut Reader<'_>) -> Option<CheckTask> {
    let risk_measure_id = r.req_id("riskMeasureId");
    let troubleshoot_content = r.req_str("troubleshootContent", 1000);
    let check_cycle = r.req_cycle("checkCycle");
    let check_cycle_unit = cycle_unit(r);
    let task_start_time = r.req_datetime("taskStartTime");
    let work_start_time = r.opt_time_of_day("workStartTime");
    let work_end_time = r.opt_time_of_day("workEndTime");
    let work_day_type = r.opt_enum::<WorkDayType>().map(|t| t.unwrap_or(WorkDayType::EveryDay));
    let work_type = r.opt_enum::<WorkType>().map(|t| t.unwrap_or(WorkType::Routine));
    let max_num = work_type.and_then(WorkType::max_task_num).unwrap_or(10);
    let task_num = r.opt_small("taskNum", max_num);

    let mut ok = true;
    if let (Some(unit), Some(cycle)) = (check_cycle_unit, check_cycle)
        && unit.is_calendar()
        && !cycle.hundredths.is_multiple_of(100)
    {
        let u = unit.label();
        r.inconsistent(
            "checkCycle",
            &format!("checkCycleUnit 为「{u}」时 checkCycle 必须为整数"),
            &format!("checkCycle must be a whole number when checkCycleUnit is {u}"),
        );
        ok = false;
    }
    if check_cycle_unit == Some(CycleUnit::Hour) {
        for (f, t) in [("workStartTime", work_start_time), ("workEndTime", work_end_time)] {
            if t == Some(None) {
                r.missing_because(f, "checkCycleUnit 为「小时」时", "when checkCycleUnit is 小时");
                ok = false;
            }
        }
    }
    if let (Some(Some(start)), Some(Some(end))) = (work_start_time, work_end_time)
        && start == end
    {
        r.inconsistent(
            "workEndTime",
            "workEndTime 不能与 workStartTime 相同",
            "workEndTime must differ from workStartTime",
        );
        ok = false;
    }
    if let (Some(wt), Some(None)) = (work_type, task_num)
        && wt.is_baobao()
    {
        r.missing_because("taskNum", "workType 不为 0（包保任务）时", "when workType is not 0 (a 包保 task)");
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(CheckTask {
        risk_measure_id: risk_measure_id?,
        troubleshoot_content: troubleshoot_content?,
        check_cycle: check_cycle?,
        check_cycle_unit: check_cycle_unit?,
        task_start_time: task_start_time?,
        work_start_time: work_start_time?,
        work_end_time: work_end_time?,
        work_day_type: work_day_type?,
        work_type: work_type?,
        task_num: task_num?,
    })
}

pub(crate) fn check_record(r: &mut Reader<'_>) -> Option<CheckRecord> {
    let check_task_id = r.req_id("checkTaskId");
    let check_time = r.req_datetime("checkTime");
    let check_status = r.req_enum();
    let mobile_me = r.opt_str("mobileMe", TEXT_LIMIT);
    let is_defend = r.opt_flag("isDefend");
    Some(CheckRecord {
        check_task_id: check_task_id?,
        check_time: check_time?,
        check_status: check_status?,
        mobile_me: mobile_me?,
        is_defend: is_defend?,
    })
}
