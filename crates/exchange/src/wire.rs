//! Writing a record back in the wire form: the inverse of validation (used by the simulator, pull answers and
//! tests: `validate_record(to_wire(r)) == r`).

use crate::coded::{Coded, code_text};
use crate::times::{format_date, format_datetime, format_time_of_day};
use chrono::NaiveDateTime;
use domain::records::{Body, Common, Cycle, Deadline, Record};
use domain::time::utc_to_local;
use serde_json::{Map, Value};

/// A record builder that leaves out absent values.
struct Out(Map<String, Value>);

impl Out {
    fn put(&mut self, f: &str, v: impl Into<Value>) {
        self.0.insert(f.to_owned(), v.into());
    }
    fn text(&mut self, f: &str, v: &Option<String>) {
        if let Some(s) = v {
            self.put(f, s.as_str());
        }
    }
    fn time(&mut self, f: &str, utc: NaiveDateTime) {
        self.put(f, format_datetime(utc_to_local(utc)));
    }
    fn opt_time(&mut self, f: &str, utc: Option<NaiveDateTime>) {
        if let Some(t) = utc {
            self.time(f, t);
        }
    }
    fn code<E: Coded>(&mut self, e: E) {
        self.put(E::FIELD, code_text(e));
    }
    fn opt_code<E: Coded>(&mut self, e: Option<E>) {
        if let Some(e) = e {
            self.code(e);
        }
    }
    /// A person kept as JSON text goes back as the object it was.
    fn person(&mut self, f: &str, v: &Option<String>) {
        if let Some(s) = v {
            let value = serde_json::from_str(s).unwrap_or_else(|_| Value::from(s.as_str()));
            self.put(f, value);
        }
    }
}

/// A check cycle as a JSON number: whole numbers as integers, others as the nearest `f64` (e.g. `2.5`).
fn cycle(c: Cycle) -> Value {
    if c.hundredths.is_multiple_of(100) {
        Value::from(c.hundredths / 100)
    } else {
        Value::from(f64::from(c.hundredths) / 100.0)
    }
}

fn common(o: &mut Out, c: &Common) {
    o.put("id", c.id.as_str());
    o.put("companyCode", c.company_code.as_str());
    o.put("deleted", if c.deleted { "1" } else { "0" });
    o.time("createDate", c.create_date);
    o.put("createBy", c.create_by.as_str());
    o.time("updateDate", c.update_date);
    o.put("updateBy", c.update_by.as_str());
    o.text("tyshxydm", &c.credit_code);
}

fn body(o: &mut Out, b: &Body) {
    match b {
        Body::HazardSource(h) => {
            o.put("hazardCode", h.hazard_code.as_str());
            o.put("hazardName", h.hazard_name.as_str());
            o.code(h.hazard_level);
            o.person("responsiblePerson", &h.responsible_person);
            o.person("technicalPerson", &h.technical_person);
            o.person("operationPerson", &h.operation_person);
        }
        Body::RiskUnit(u) => {
            o.put("hazardCode", u.hazard_code.as_str());
            o.put("hazardDep", u.hazard_dep.as_str());
            o.put("hazardLiablePerson", u.hazard_liable_person.as_str());
            o.put("riskUnitName", u.risk_unit_name.as_str());
            o.opt_code(u.risk_class);
        }
        Body::RiskEvent(e) => {
            o.put("riskUnitId", e.risk_unit_id.as_str());
            o.put("riskEventName", e.risk_event_name.as_str());
            o.text("riskDescription", &e.risk_description);
        }
        Body::ControlMeasure(m) => {
            o.put("riskEventId", m.risk_event_id.as_str());
            o.code(m.data_src);
            o.put("riskMeasureDesc", m.risk_measure_desc.as_str());
            o.code(m.classify1);
            o.put("classify2", m.classify2.code());
            o.text("classify3", &m.classify3);
            o.put("troubleshootContent", m.troubleshoot_content.as_str());
        }
        Body::CheckTask(t) => {
            o.put("riskMeasureId", t.risk_measure_id.as_str());
            o.put("troubleshootContent", t.troubleshoot_content.as_str());
            o.put("checkCycle", cycle(t.check_cycle));
            o.put("checkCycleUnit", t.check_cycle_unit.label());
            o.time("taskStartTime", t.task_start_time);
            if let Some(w) = t.work_start_time {
                o.put("workStartTime", format_time_of_day(w));
            }
            if let Some(w) = t.work_end_time {
                o.put("workEndTime", format_time_of_day(w));
            }
            o.code(t.work_day_type);
            o.code(t.work_type);
            if let Some(n) = t.task_num {
                o.put("taskNum", n);
            }
        }
        Body::CheckRecord(c) => {
            o.put("checkTaskId", c.check_task_id.as_str());
            o.time("checkTime", c.check_time);
            o.code(c.check_status);
            o.text("mobileMe", &c.mobile_me);
            if let Some(d) = c.is_defend {
                o.put("isDefend", if d { "1" } else { "0" });
            }
        }
        Body::Danger(d) => danger(o, d),
        Body::UnitStop(s) => {
            o.put("riskUnitId", s.risk_unit_id.as_str());
            o.time("stopStartTime", s.stop_start_time);
            o.opt_time("stopEndTime", s.stop_end_time);
            o.put("stopReason", s.stop_reason.as_str());
        }
    }
}

fn danger(o: &mut Out, d: &domain::records::Danger) {
    o.put("hazardCode", d.hazard_code.as_str());
    o.put("dangerName", d.danger_name.as_str());
    o.code(d.danger_level);
    o.time("registTime", d.regist_time);
    o.put("registrant", d.registrant.as_str());
    o.code(d.danger_src);
    o.code(d.danger_manage_type);
    o.code(d.hazard_danger_type);
    o.put("dangerDesc", d.danger_desc.as_str());
    o.put("liablePerson", d.liable_person.as_str());
    o.code(d.danger_state);
    match d.manage_deadline {
        Some(Deadline::Date(day)) => o.put("dangerManageDeadline", format_date(day)),
        Some(Deadline::At(t)) => o.time("dangerManageDeadline", t),
        None => {}
    }
    o.opt_code(d.hazard_category);
    o.text("riskMeasureId", &d.risk_measure_id);
    o.text("checkRecordId", &d.check_record_id);
    o.text("dangerReason", &d.danger_reason);
    o.text("controlMeasures", &d.control_measures);
    o.text("cost", &d.cost);
    o.text("checkAcceptPerson", &d.check_accept_person);
    o.opt_time("checkAcceptTime", d.check_accept_time);
    o.text("checkAcceptComment", &d.check_accept_comment);
}

/// A record in the wire form: camelCase fields, local times as `yyyy-MM-dd HH:mm:ss`, enumerations as strings of
/// their codes (`"1"`), `checkCycle` and `taskNum` as numbers, work hours as `H:mm:ss`, the deadline as
/// `yyyy-MM-dd` or a datetime, persons as objects, absent optional fields left out, and the `extra` fields merged
/// back in (a defined field always wins over an extra one of the same name).
pub fn to_wire(r: &Record) -> Value {
    let mut o = Out(Map::new());
    common(&mut o, &r.common);
    body(&mut o, &r.body);
    if let Some(Ok(Value::Object(extra))) = r.common.extra.as_deref().map(serde_json::from_str::<Value>) {
        for (k, v) in extra {
            o.0.entry(k).or_insert(v);
        }
    }
    Value::Object(o.0)
}
