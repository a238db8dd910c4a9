//! The risk side of the chain: hazard sources, risk units, risk events and control measures.

use crate::ErrorCode;
use crate::reader::{Reader, TEXT_LIMIT};
use domain::enums::{Classify1, Classify2};
use domain::records::{ControlMeasure, HazardSource, RiskEvent, RiskUnit};
use serde_json::Value;

/// The longest `hazardCode`.
pub(crate) const HAZARD_CODE_MAX: usize = 36;

pub(crate) const HAZARD_SOURCE: [&str; 6] =
    ["hazardCode", "hazardName", "hazardLevel", "responsiblePerson", "technicalPerson", "operationPerson"];
pub(crate) const RISK_UNIT: [&str; 5] = ["hazardCode", "hazardDep", "hazardLiablePerson", "riskUnitName", "riskClass"];
pub(crate) const RISK_EVENT: [&str; 3] = ["riskUnitId", "riskEventName", "riskDescription"];
pub(crate) const CONTROL_MEASURE: [&str; 7] =
    ["riskEventId", "dataSrc", "riskMeasureDesc", "classify1", "classify2", "classify3", "troubleshootContent"];

pub(crate) fn hazard_source(r: &mut Reader<'_>) -> Option<HazardSource> {
    let hazard_code = r.req_str("hazardCode", HAZARD_CODE_MAX);
    let hazard_name = r.req_str("hazardName", TEXT_LIMIT);
    let hazard_level = r.req_enum();
    let responsible_person = r.opt_person("responsiblePerson");
    let technical_person = r.opt_person("technicalPerson");
    let operation_person = r.opt_person("operationPerson");
    Some(HazardSource {
        hazard_code: hazard_code?,
        hazard_name: hazard_name?,
        hazard_level: hazard_level?,
        responsible_person: responsible_person?,
        technical_person: technical_person?,
        operation_person: operation_person?,
    })
}

pub(crate) fn risk_unit(r: &mut Reader<'_>) -> Option<RiskUnit> {
    let hazard_code = r.req_str("hazardCode", HAZARD_CODE_MAX);
    let hazard_dep = r.req_str("hazardDep", 200);
    let hazard_liable_person = r.req_str("hazardLiablePerson", 20);
    let risk_unit_name = r.req_str("riskUnitName", 200);
    let risk_class = r.opt_enum();
    Some(RiskUnit {
        hazard_code: hazard_code?,
        hazard_dep: hazard_dep?,
        hazard_liable_person: hazard_liable_person?,
        risk_unit_name: risk_unit_name?,
        risk_class: risk_class?,
    })
}

pub(crate) fn risk_event(r: &mut Reader<'_>) -> Option<RiskEvent> {
    let risk_unit_id = r.req_id("riskUnitId");
    let risk_event_name = r.req_str("riskEventName", 500);
    let risk_description = r.opt_str("riskDescription", TEXT_LIMIT);
    Some(RiskEvent {
        risk_unit_id: risk_unit_id?,
        risk_event_name: risk_event_name?,
        risk_description: risk_description?,
    })
}

/// Reads `classify2`: a string, one of the 17 codes.
fn classify2(r: &mut Reader<'_>) -> Option<Classify2> {
    const F: &str = "classify2";
    match r.get(F) {
        Some(Value::String(s)) if !crate::reader::is_blank(s) => match Classify2::parse(s) {
            Ok(c) => Some(c),
            Err(_) => {
                let list: Vec<&str> = Classify2::all().iter().map(|(code, _)| *code).collect();
                r.bad_enum(F, &list.join("、"));
                None
            }
        },
        None | Some(Value::String(_)) => {
            r.missing(F);
            None
        }
        Some(_) => {
            r.bad_type(F, "字符串（如 \"1-1\"）", "a string (such as \"1-1\")");
            None
        }
    }
}

pub(crate) fn control_measure(r: &mut Reader<'_>) -> Option<ControlMeasure> {
    let risk_event_id = r.req_id("riskEventId");
    let data_src = r.req_enum();
    let risk_measure_desc = r.req_str("riskMeasureDesc", 4000);
    let classify1: Option<Classify1> = r.req_enum();
    let classify2 = classify2(r);
    let classify3 = r.opt_str("classify3", 100);
    let troubleshoot_content = r.req_str("troubleshootContent", TEXT_LIMIT);
    if let (Some(c1), Some(c2)) = (classify1, classify2)
        && c2.major() != c1
    {
        let (a, b) = (c2.code(), c1.code());
        r.fail(
            "classify2",
            ErrorCode::Inconsistent,
            format!("classify2 {a} 不属于 classify1 {b} / classify2 {a} does not belong to classify1 {b}"),
        );
        return None;
    }
    Some(ControlMeasure {
        risk_event_id: risk_event_id?,
        data_src: data_src?,
        risk_measure_desc: risk_measure_desc?,
        classify1: classify1?,
        classify2: classify2?,
        classify3: classify3?,
        troubleshoot_content: troubleshoot_content?,
    })
}
