//! The registry of the 176 enterprises of the notice's annex, shipped as data (`data/registry-annex.csv`).
//!
//! How the annex was read is told in `docs/registry.md`. Enterprise codes are not in the annex: each enterprise gets
//! a deterministic provisional code, its city's 4-digit prefix followed by its position within the city in annex
//! order on 5 digits, flagged [`EnterpriseFlag::ProvisionalCode`] until an import replaces it.

use crate::{City, CompanyCode, ConstructionBatch, DomainError, Enterprise, EnterpriseFlag};

/// The shipped annex rows: `annexNo,cityCode,name,batch,flags`.
pub const ANNEX_CSV: &str = include_str!("../data/registry-annex.csv");

/// The enterprises of the annex with their provisional codes, in annex order.
pub fn annex_enterprises() -> Result<Vec<Enterprise>, DomainError> {
    enterprises_of(ANNEX_CSV)
}

/// The enterprises of annex rows (CSV text with the header `annexNo,cityCode,name,batch,flags`).
fn enterprises_of(text: &str) -> Result<Vec<Enterprise>, DomainError> {
    let mut per_city = [0u32; City::ALL.len()];
    let mut out = Vec::new();
    for record in crate::csv_text::reader(text, false).records() {
        let record = record.map_err(|e| DomainError::BadEnum { field: "registry-annex.csv", value: e.to_string() })?;
        let (n, line) = crate::csv_text::line_of(text, &record);
        if n == 1 {
            continue;
        }
        let bad = || DomainError::BadEnum { field: "registry-annex.csv", value: format!("line {n}: {line}") };
        let cols: Vec<&str> = record.iter().collect();
        let [no, city, name, batch, flags] = cols[..] else { return Err(bad()) };
        let city = City::from_code(city)?;
        let idx = City::ALL.iter().position(|c| *c == city).ok_or_else(bad)?;
        per_city[idx] += 1;
        let mut flags = EnterpriseFlag::parse_list(flags)?;
        flags.push(EnterpriseFlag::ProvisionalCode);
        flags.sort();
        out.push(Enterprise {
            code: CompanyCode::provisional(city, per_city[idx]),
            name: name.to_owned(),
            city,
            batch: ConstructionBatch::parse(batch)?,
            flags,
            annex_no: Some(no.parse().map_err(|_| bad())?),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const NOTICE: &str = include_str!("../../../docs/source/notice-jinyingji-2022-105.txt");

    /// The annex table as printed: per row number, the non-empty cells (city name, enterprise name, batch), in the
    /// positions the lost merged cells left them.
    fn annex_cells() -> BTreeMap<u32, Vec<String>> {
        let start = NOTICE.find("序号\t地市名称").expect("annex header");
        NOTICE[start..]
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect();
                let no = cells.first()?.parse::<u32>().ok()?;
                Some((no, cells[1..].iter().map(|c| c.to_string()).collect()))
            })
            .collect()
    }

    #[test]
    fn registry_agrees_with_every_cell_of_the_annex() {
        let reg = annex_enterprises().unwrap();
        let cells = annex_cells();
        assert_eq!(reg.len(), 176);
        assert_eq!(cells.len(), 176);
        for e in &reg {
            let no = e.annex_no.unwrap();
            let row = &cells[&no];
            let mut name = None;
            let mut batch = ConstructionBatch::Unknown;
            for cell in row {
                if let Some(city) = City::from_name(cell) {
                    assert_eq!(city, e.city, "row {no}: the annex names {cell} on this row");
                } else if cell.ends_with("批次") {
                    batch = ConstructionBatch::parse(cell).unwrap();
                } else {
                    assert!(name.replace(cell.as_str()).is_none(), "row {no} has two names");
                }
            }
            let printed = name.unwrap();
            assert_eq!(batch, e.batch, "row {no}");
            assert_eq!(e.has(EnterpriseFlag::BatchUnknown), batch == ConstructionBatch::Unknown, "row {no}");
            let remark = "（未接入风险预警系统）";
            assert_eq!(printed.replace(remark, ""), e.name, "row {no}");
            assert_eq!(printed.contains(remark), e.has(EnterpriseFlag::NotConnected), "row {no}");
        }
    }

    #[test]
    fn cities_are_contiguous_groups_holding_their_name_cells() {
        let reg = annex_enterprises().unwrap();
        let cells = annex_cells();
        for city in City::ALL {
            let nos: Vec<u32> = reg.iter().filter(|e| e.city == city).map(|e| e.annex_no.unwrap()).collect();
            let (first, last) = (nos[0], nos[nos.len() - 1]);
            assert_eq!(nos.len() as u32, last - first + 1, "{} is not one block", city.name());
            // Every row that prints this city's name lies inside its block.
            for (no, row) in &cells {
                if row.iter().any(|c| City::from_name(c) == Some(city)) {
                    assert!((first..=last).contains(no), "{} printed on row {no}", city.name());
                }
            }
            // Within a city, the annex lists batch 1 before batch 2.
            let batches: Vec<ConstructionBatch> = reg
                .iter()
                .filter(|e| e.city == city && e.batch != ConstructionBatch::Unknown)
                .map(|e| e.batch)
                .collect();
            assert!(batches.is_sorted(), "{} batches out of order", city.name());
        }
    }

    #[test]
    fn provisional_codes_are_unique_and_follow_the_rule() {
        let reg = annex_enterprises().unwrap();
        let mut codes: Vec<&str> = reg.iter().map(|e| e.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 176);
        assert!(
            reg.iter().all(|e| e.code.as_str().starts_with(e.city.prefix()) && e.has(EnterpriseFlag::ProvisionalCode))
        );
        assert_eq!(reg[0].code.as_str(), "140100001");
        let unknown: Vec<_> =
            reg.iter().filter(|e| e.batch == ConstructionBatch::Unknown).map(|e| e.annex_no).collect();
        assert_eq!(unknown, [Some(80)]);
        let nc: Vec<_> = reg.iter().filter(|e| e.has(EnterpriseFlag::NotConnected)).map(|e| e.annex_no).collect();
        assert_eq!(nc, [Some(78)]);
    }

    #[test]
    fn a_quoted_name_may_hold_a_comma() {
        let text = "annexNo,cityCode,name,batch,flags\n1,140100,\"太原某化工有限公司（一厂, 二厂）\",1,\n";
        let reg = enterprises_of(text).unwrap();
        assert_eq!(reg.len(), 1);
        assert_eq!(reg[0].name, "太原某化工有限公司（一厂, 二厂）");
        assert_eq!(reg[0].batch, ConstructionBatch::parse("1").unwrap());
        let err = enterprises_of("annexNo,cityCode,name,batch,flags\n1,140100,太原某化工有限公司（一厂, 二厂）,1,\n");
        assert!(err.unwrap_err().to_string().contains("line 2: 1,140100,"), "an unquoted comma makes six fields");
    }
}
