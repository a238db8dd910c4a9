//! Expert acceptance (验收) per city and the provincial spot checks (抽查), for the API and the monthly report.
//!
//! 晋应急发〔2022〕105号: each city bureau has experts accept every enterprise of its city; an enterprise below
//! standard rectifies by a deadline; the province does not pass a city whose 优良率 is below 100 %. Pure: the
//! callers load the rows from storage.

mod spot;

pub use spot::{current_finding, spot_lines};

use crate::monthly::AcceptanceLine;
use domain::{City, Enterprise};
use metrics::evaluation::Grade;
use metrics::figure::Figure;
use std::collections::BTreeMap;
use storage::acceptance::Acceptance;

/// A grade from its Chinese label (`优`, `良`, `中`, `差`) or its key (`excellent`, `good`, `fair`, `poor`).
pub fn parse_grade(s: &str) -> Option<Grade> {
    match s.trim() {
        "优" | "excellent" => Some(Grade::Excellent),
        "良" | "good" => Some(Grade::Good),
        "中" | "fair" => Some(Grade::Fair),
        "差" | "poor" => Some(Grade::Poor),
        _ => None,
    }
}

/// The key of a grade: `excellent`, `good`, `fair` or `poor`.
pub fn grade_key(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "excellent",
        Grade::Good => "good",
        Grade::Fair => "fair",
        Grade::Poor => "poor",
    }
}

/// The current acceptance of each enterprise among `rows` (every version): its latest by `accepted_on`, then id.
/// By enterprise code.
pub fn current(rows: &[Acceptance]) -> Vec<&Acceptance> {
    let mut latest: BTreeMap<&str, &Acceptance> = BTreeMap::new();
    for a in rows {
        let key = (a.record.accepted_on, a.id);
        latest
            .entry(a.record.company_code.as_str())
            .and_modify(|cur| {
                if key > (cur.record.accepted_on, cur.id) {
                    *cur = a;
                }
            })
            .or_insert(a);
    }
    latest.into_values().collect()
}

/// Whether an acceptance's effective grade (the re-check's when there is one) is 优 or 良. A stored grade that does
/// not parse counts as neither.
pub fn is_excellent_or_good(a: &Acceptance) -> bool {
    parse_grade(a.effective_grade()).is_some_and(Grade::is_excellent_or_good)
}

/// One line per city, all 11 in GB/T 2260 order: registered enterprises, those with an acceptance, 优良率 (current
/// effective grade 优 or 良 over registered), those under rectification (current effective grade 中 or 差), and
/// whether the city passes: 优良率 = 100 % with at least one enterprise registered. `rows` may hold every version;
/// only the current acceptance of each registered enterprise counts, and rows of unregistered codes are ignored.
pub fn city_lines(registry: &[Enterprise], rows: &[Acceptance]) -> Vec<AcceptanceLine> {
    let current: BTreeMap<&str, &Acceptance> =
        current(rows).into_iter().map(|a| (a.record.company_code.as_str(), a)).collect();
    City::ALL
        .into_iter()
        .map(|city| {
            let (mut registered, mut accepted, mut good, mut rectifying) = (0u64, 0u64, 0u64, 0u64);
            for e in registry.iter().filter(|e| e.city == city) {
                registered += 1;
                let Some(a) = current.get(e.code.as_str()) else { continue };
                accepted += 1;
                match parse_grade(a.effective_grade()) {
                    Some(g) if g.is_excellent_or_good() => good += 1,
                    Some(_) => rectifying += 1,
                    None => {}
                }
            }
            AcceptanceLine {
                city: city.code().to_owned(),
                name: city.name().to_owned(),
                registered,
                accepted,
                excellent_good: Figure::new(good, registered),
                rectifying,
                passes: registered > 0 && good == registered,
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
