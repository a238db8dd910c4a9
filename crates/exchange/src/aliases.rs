//! Field aliases: names that deployed enterprise clients send for a field of the contract, read as that field with
//! an `alias_used` warning in the receipt so that vendors can converge (`docs/data-exchange.md` §10).
//!
//! Only spellings seen in the national field lists (`research/domain.md` §1) are here. `riskLevel` is deliberately
//! not an alias of `riskClass`: the clients that send it code the levels 0–3, not 1–4, so reading it as `riskClass`
//! would shift every level by one.

use domain::ExchangeTable;

/// One alias of a field of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    /// The table whose records may carry it.
    pub table: ExchangeTable,
    /// The name some clients send.
    pub alias: &'static str,
    /// The field of the contract it stands for.
    pub field: &'static str,
    /// Where the spelling comes from, for the documentation.
    pub source: &'static str,
}

/// Every alias, in one table.
pub const ALIASES: [Alias; 2] = [
    Alias {
        table: ExchangeTable::Danger,
        alias: "dangersSrc",
        field: "dangerSrc",
        source: "国家接口客户端（S1）的拼写 / the spelling of the national client (S1)",
    },
    Alias {
        table: ExchangeTable::Danger,
        alias: "recordId",
        field: "checkRecordId",
        source: "S3 接收端的字段名 / the field name of the S3 receiver",
    },
];

/// The field `name` stands for in a record of `table`, when it is an alias.
pub(crate) fn field_of(table: ExchangeTable, name: &str) -> Option<&'static Alias> {
    ALIASES.iter().find(|a| a.table == table && a.alias == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_stands_for_a_field_of_its_table_and_is_none_itself() {
        for a in ALIASES {
            let fields = crate::fields(a.table);
            assert!(fields.contains(&a.field), "{} is not a field of {}", a.field, a.table);
            assert!(!fields.contains(&a.alias) && !crate::tables::COMMON_FIELDS.contains(&a.alias), "{}", a.alias);
        }
        assert_eq!(field_of(ExchangeTable::Danger, "dangersSrc").map(|a| a.field), Some("dangerSrc"));
        assert_eq!(field_of(ExchangeTable::CheckRecord, "dangersSrc"), None);
    }
}
