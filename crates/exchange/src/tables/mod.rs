//! The table-specific fields of each exchange table (`data-exchange.md` §2): their wire names, how they are read
//! and the cross-field rules.

mod danger;
mod risk;
mod task;

use crate::reader::Reader;
use domain::ExchangeTable;
use domain::records::Body;

/// The fields every table carries.
pub(crate) const COMMON_FIELDS: [&str; 8] =
    ["id", "companyCode", "deleted", "createDate", "createBy", "updateDate", "updateBy", "tyshxydm"];

/// The wire names of the fields of `table` beyond the common ones; any other field is kept as `extra`.
pub fn fields(table: ExchangeTable) -> &'static [&'static str] {
    match table {
        ExchangeTable::HazardSource => &risk::HAZARD_SOURCE,
        ExchangeTable::RiskUnit => &risk::RISK_UNIT,
        ExchangeTable::RiskEvent => &risk::RISK_EVENT,
        ExchangeTable::ControlMeasure => &risk::CONTROL_MEASURE,
        ExchangeTable::CheckTask => &task::CHECK_TASK,
        ExchangeTable::CheckRecord => &task::CHECK_RECORD,
        ExchangeTable::Danger => &danger::DANGER,
        ExchangeTable::UnitStop => &danger::UNIT_STOP,
    }
}

/// Reads the table-specific part of a record; `None` when a problem was recorded.
pub(crate) fn read(table: ExchangeTable, r: &mut Reader<'_>) -> Option<Body> {
    match table {
        ExchangeTable::HazardSource => risk::hazard_source(r).map(Body::HazardSource),
        ExchangeTable::RiskUnit => risk::risk_unit(r).map(Body::RiskUnit),
        ExchangeTable::RiskEvent => risk::risk_event(r).map(Body::RiskEvent),
        ExchangeTable::ControlMeasure => risk::control_measure(r).map(Body::ControlMeasure),
        ExchangeTable::CheckTask => task::check_task(r).map(Body::CheckTask),
        ExchangeTable::CheckRecord => task::check_record(r).map(Body::CheckRecord),
        ExchangeTable::Danger => danger::danger(r).map(Body::Danger),
        ExchangeTable::UnitStop => danger::unit_stop(r).map(Body::UnitStop),
    }
}
