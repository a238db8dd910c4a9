//! The exchange tables of `data-exchange.md` §2, their national endpoint aliases and their parents.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One of the tables an enterprise sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeTable {
    /// 风险分析对象 (hazard source master data).
    HazardSource,
    /// 安全风险分析单元.
    RiskUnit,
    /// 安全风险事件.
    RiskEvent,
    /// 管控措施.
    ControlMeasure,
    /// 隐患排查任务.
    CheckTask,
    /// 隐患排查记录.
    CheckRecord,
    /// 隐患信息/治理.
    Danger,
    /// 停用/检修记录.
    UnitStop,
}

/// How a child record names its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentRef {
    /// The wire field holding the parent's key.
    pub field: &'static str,
    /// The parent table.
    pub table: ExchangeTable,
    /// Whether the field is required (an optional reference is checked only when present).
    pub required: bool,
}

const fn parent(field: &'static str, table: ExchangeTable, required: bool) -> ParentRef {
    ParentRef { field, table, required }
}

impl ExchangeTable {
    /// All tables, parents before children.
    pub const ALL: [ExchangeTable; 8] = [
        ExchangeTable::HazardSource,
        ExchangeTable::RiskUnit,
        ExchangeTable::RiskEvent,
        ExchangeTable::ControlMeasure,
        ExchangeTable::CheckTask,
        ExchangeTable::CheckRecord,
        ExchangeTable::Danger,
        ExchangeTable::UnitStop,
    ];

    /// The table name used in routes, e.g. `"check_record"`.
    pub fn name(self) -> &'static str {
        match self {
            ExchangeTable::HazardSource => "hazard_source",
            ExchangeTable::RiskUnit => "risk_unit",
            ExchangeTable::RiskEvent => "risk_event",
            ExchangeTable::ControlMeasure => "control_measure",
            ExchangeTable::CheckTask => "check_task",
            ExchangeTable::CheckRecord => "check_record",
            ExchangeTable::Danger => "danger",
            ExchangeTable::UnitStop => "unit_stop",
        }
    }

    /// The national endpoint name accepted as an alias (`data-exchange.md` §4), if any.
    pub fn national_alias(self) -> Option<&'static str> {
        match self {
            ExchangeTable::HazardSource => None,
            ExchangeTable::RiskUnit => Some("sec_security_risk_unit"),
            ExchangeTable::RiskEvent => Some("sec_security_risk_events"),
            ExchangeTable::ControlMeasure => Some("sec_security_risk_control_measures"),
            ExchangeTable::CheckTask => Some("sec_hidden_check_mission"),
            ExchangeTable::CheckRecord => Some("sec_hidden_check_record"),
            ExchangeTable::Danger => Some("sec_hidden_danger_info"),
            ExchangeTable::UnitStop => Some("sec_deactivated_maintenance_record"),
        }
    }

    /// The Chinese label, e.g. `"隐患排查记录"`.
    pub fn label(self) -> &'static str {
        match self {
            ExchangeTable::HazardSource => "风险分析对象",
            ExchangeTable::RiskUnit => "安全风险分析单元",
            ExchangeTable::RiskEvent => "安全风险事件",
            ExchangeTable::ControlMeasure => "管控措施",
            ExchangeTable::CheckTask => "隐患排查任务",
            ExchangeTable::CheckRecord => "隐患排查记录",
            ExchangeTable::Danger => "隐患信息",
            ExchangeTable::UnitStop => "停用检修记录",
        }
    }

    /// The references from a record of this table to its parents.
    pub fn parents(self) -> &'static [ParentRef] {
        use ExchangeTable::*;
        match self {
            HazardSource => &[],
            RiskUnit => const { &[parent("hazardCode", HazardSource, true)] },
            RiskEvent => const { &[parent("riskUnitId", RiskUnit, true)] },
            ControlMeasure => const { &[parent("riskEventId", RiskEvent, true)] },
            CheckTask => const { &[parent("riskMeasureId", ControlMeasure, true)] },
            CheckRecord => const { &[parent("checkTaskId", CheckTask, true)] },
            Danger => {
                const {
                    &[
                        parent("hazardCode", HazardSource, true),
                        parent("checkRecordId", CheckRecord, false),
                        parent("riskMeasureId", ControlMeasure, false),
                    ]
                }
            }
            UnitStop => const { &[parent("riskUnitId", RiskUnit, true)] },
        }
    }

    /// Parses a table name or a national alias.
    pub fn parse(s: &str) -> Result<ExchangeTable, DomainError> {
        ExchangeTable::ALL
            .into_iter()
            .find(|t| t.name() == s || t.national_alias() == Some(s))
            .ok_or_else(|| DomainError::UnknownTable(s.to_owned()))
    }
}

impl fmt::Display for ExchangeTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExchangeTable {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExchangeTable::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_parse() {
        for t in ExchangeTable::ALL {
            assert_eq!(ExchangeTable::parse(t.name()), Ok(t));
            if let Some(alias) = t.national_alias() {
                assert_eq!(ExchangeTable::parse(alias), Ok(t));
            }
        }
        assert_eq!(ExchangeTable::parse("sec_hidden_check_record"), Ok(ExchangeTable::CheckRecord));
        assert_eq!(ExchangeTable::parse("records").unwrap_err().code(), "unknown_table");
    }

    #[test]
    fn parents_come_earlier_in_all() {
        for t in ExchangeTable::ALL {
            for p in t.parents() {
                assert!(p.table < t, "{t} names a later table {}", p.table);
            }
        }
    }
}
