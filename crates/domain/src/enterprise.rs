//! Registered enterprises and their registry flags.

use crate::{City, CompanyCode, ConstructionBatch, DomainError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A registry flag: something the annex or an import says about an enterprise that figures and reports must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseFlag {
    /// The annex row gives no construction batch; the batch is unknown, never guessed.
    BatchUnknown,
    /// The annex marks the enterprise 未接入风险预警系统 (not connected to the risk monitoring system).
    NotConnected,
    /// The enterprise code is a generated test code, to be replaced by `dualprev registry import`.
    ProvisionalCode,
}

impl EnterpriseFlag {
    /// All flags, in the order they are printed.
    pub const ALL: [EnterpriseFlag; 3] =
        [EnterpriseFlag::BatchUnknown, EnterpriseFlag::NotConnected, EnterpriseFlag::ProvisionalCode];

    /// The stable key, e.g. `"batch_unknown"`.
    pub fn key(self) -> &'static str {
        match self {
            EnterpriseFlag::BatchUnknown => "batch_unknown",
            EnterpriseFlag::NotConnected => "not_connected",
            EnterpriseFlag::ProvisionalCode => "provisional_code",
        }
    }

    /// The Chinese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            EnterpriseFlag::BatchUnknown => "批次未知",
            EnterpriseFlag::NotConnected => "未接入风险预警系统",
            EnterpriseFlag::ProvisionalCode => "临时编码",
        }
    }

    /// Parses a `;`-separated list of flag keys (an empty string is no flag), sorted and without repeats.
    pub fn parse_list(s: &str) -> Result<Vec<EnterpriseFlag>, DomainError> {
        let mut flags = s
            .split(';')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(EnterpriseFlag::from_str)
            .collect::<Result<Vec<_>, _>>()?;
        flags.sort();
        flags.dedup();
        Ok(flags)
    }

    /// Joins flags with `;`, the form used in CSV and the database.
    pub fn join(flags: &[EnterpriseFlag]) -> String {
        flags.iter().map(|f| f.key()).collect::<Vec<_>>().join(";")
    }
}

impl fmt::Display for EnterpriseFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for EnterpriseFlag {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EnterpriseFlag::ALL.into_iter().find(|f| f.key() == s).ok_or_else(|| DomainError::UnknownFlag(s.to_owned()))
    }
}

/// A registered enterprise: a row of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// The 9-digit enterprise code (provisional until imported, see [`EnterpriseFlag::ProvisionalCode`]).
    pub code: CompanyCode,
    /// The enterprise name as in the annex (remarks such as 未接入风险预警系统 are flags, not part of the name).
    pub name: String,
    /// The city the enterprise belongs to.
    pub city: City,
    /// The construction batch.
    pub batch: ConstructionBatch,
    /// Registry flags, sorted.
    pub flags: Vec<EnterpriseFlag>,
    /// The row number (序号) in the notice's annex, when the enterprise comes from it.
    pub annex_no: Option<u32>,
}

impl Enterprise {
    /// Whether the enterprise carries a flag.
    pub fn has(&self, flag: EnterpriseFlag) -> bool {
        self.flags.contains(&flag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_lists_round_trip_sorted() {
        let flags = EnterpriseFlag::parse_list("provisional_code; batch_unknown;provisional_code").unwrap();
        assert_eq!(flags, vec![EnterpriseFlag::BatchUnknown, EnterpriseFlag::ProvisionalCode]);
        assert_eq!(EnterpriseFlag::join(&flags), "batch_unknown;provisional_code");
        assert_eq!(EnterpriseFlag::parse_list("").unwrap(), vec![]);
        assert_eq!(EnterpriseFlag::parse_list("late").unwrap_err().code(), "unknown_flag");
    }
}
