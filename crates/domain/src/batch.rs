//! Construction batches (建设批次) of the notice's annex.

use crate::DomainError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The construction batch of an enterprise: 第一批次, 第二批次, or unknown when the annex gives none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ConstructionBatch {
    /// 第一批次, due by 2022-06-30.
    First,
    /// 第二批次, due by 2022-12-31.
    Second,
    /// The annex gives no batch for this enterprise; never guessed.
    Unknown,
}

impl ConstructionBatch {
    /// All batches, unknown last.
    pub const ALL: [ConstructionBatch; 3] =
        [ConstructionBatch::First, ConstructionBatch::Second, ConstructionBatch::Unknown];

    /// The key used in APIs and CSV: `"1"`, `"2"` or `"unknown"`.
    pub fn key(self) -> &'static str {
        match self {
            ConstructionBatch::First => "1",
            ConstructionBatch::Second => "2",
            ConstructionBatch::Unknown => "unknown",
        }
    }

    /// The number used in the registry CSV: `Some(1)`, `Some(2)` or `None`.
    pub fn number(self) -> Option<u8> {
        match self {
            ConstructionBatch::First => Some(1),
            ConstructionBatch::Second => Some(2),
            ConstructionBatch::Unknown => None,
        }
    }

    /// The Chinese label, e.g. `"第一批次"`.
    pub fn label(self) -> &'static str {
        match self {
            ConstructionBatch::First => "第一批次",
            ConstructionBatch::Second => "第二批次",
            ConstructionBatch::Unknown => "批次未知",
        }
    }

    /// The construction deadline of the batch, the one source of it (report, API, dashboard): the first batch by
    /// the end of the first half of 2022, the second by the end of 2022; an enterprise of no known batch by the end of
    /// 2022, when the notice wants every major-hazard enterprise covered ([`Batch::deadline_basis`]).
    pub fn deadline(self) -> Option<NaiveDate> {
        match self {
            ConstructionBatch::First => NaiveDate::from_ymd_opt(2022, 6, 30),
            ConstructionBatch::Second | ConstructionBatch::Unknown => NaiveDate::from_ymd_opt(2022, 12, 31),
        }
    }

    /// Where the notice (晋应急发〔2022〕105号) sets the deadline of [`Batch::deadline`], in its words.
    pub fn deadline_basis(self) -> &'static str {
        match self {
            ConstructionBatch::First => {
                "2022年上半年，太原市、长治市、晋城市、晋中市、临汾市和运城市作为……先行城市，……率先开展建设任务，并取得有效的工作成果"
            }
            ConstructionBatch::Second => {
                "其余各市可根据实际情况推进工作，2022年下半年完成建设任务……2022年底完成建设任务"
            }
            ConstructionBatch::Unknown => "2022年底前，基本实现危险化学品重大危险源企业双重预防机制数字化建设全覆盖",
        }
    }

    /// Parses `1`, `2`, `第一批次`, `第二批次`, `unknown` or an empty string (unknown).
    pub fn parse(s: &str) -> Result<ConstructionBatch, DomainError> {
        match s.trim() {
            "1" | "第一批次" => Ok(ConstructionBatch::First),
            "2" | "第二批次" => Ok(ConstructionBatch::Second),
            "" | "unknown" => Ok(ConstructionBatch::Unknown),
            other => Err(DomainError::BadBatch(other.to_owned())),
        }
    }

    /// Builds a batch from the number stored in the database (`None` = unknown).
    pub fn from_number(n: Option<i32>) -> Result<ConstructionBatch, DomainError> {
        match n {
            Some(1) => Ok(ConstructionBatch::First),
            Some(2) => Ok(ConstructionBatch::Second),
            None => Ok(ConstructionBatch::Unknown),
            Some(other) => Err(DomainError::BadBatch(other.to_string())),
        }
    }
}

impl fmt::Display for ConstructionBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl TryFrom<String> for ConstructionBatch {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ConstructionBatch::parse(&s)
    }
}

impl From<ConstructionBatch> for String {
    fn from(b: ConstructionBatch) -> String {
        b.key().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_labels_and_empty() {
        assert_eq!(ConstructionBatch::parse("1"), Ok(ConstructionBatch::First));
        assert_eq!(ConstructionBatch::parse("第二批次"), Ok(ConstructionBatch::Second));
        assert_eq!(ConstructionBatch::parse(""), Ok(ConstructionBatch::Unknown));
        assert_eq!(ConstructionBatch::parse("3").unwrap_err().code(), "bad_batch");
        assert_eq!(ConstructionBatch::from_number(Some(2)), Ok(ConstructionBatch::Second));
        assert!(ConstructionBatch::from_number(Some(0)).is_err());
    }

    #[test]
    fn deadlines_follow_the_notice() {
        assert_eq!(ConstructionBatch::First.deadline().map(|d| d.to_string()).as_deref(), Some("2022-06-30"));
        assert_eq!(ConstructionBatch::Second.deadline().map(|d| d.to_string()).as_deref(), Some("2022-12-31"));
        assert_eq!(ConstructionBatch::Unknown.deadline().map(|d| d.to_string()).as_deref(), Some("2022-12-31"));
        let notice = include_str!("../../../docs/source/notice-jinyingji-2022-105.txt");
        for b in ConstructionBatch::ALL {
            for part in b.deadline_basis().split("……") {
                assert!(notice.contains(part), "{b:?}: the notice says {part:?}");
            }
        }
    }
}
