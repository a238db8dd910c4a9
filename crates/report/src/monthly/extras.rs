//! The sections of the monthly report that come from records outside the exchange data (expert acceptance and spot
//! checks), as known at the report's `asOf`: records entered later do not change a report made earlier.

use super::build::Extras;
use crate::acceptance::{city_lines, spot_lines};
use crate::figures::Known;
use domain::Period;
use domain::enums::DangerLevel;
use std::collections::HashMap;
use storage::content::DangerContent;
use storage::{DbConnection, StorageError, acceptance, spot_checks};

/// Loads the acceptance status of every city, the spot checks drawn in the report month, its held and rejected
/// records and the handling of the warning cases opened in it, as known at `known.as_of`.
pub fn load(conn: &mut DbConnection, known: &Known, month: Period) -> Result<Extras, StorageError> {
    let as_of = known.as_of;
    let accepted: Vec<_> =
        acceptance::list(conn, None)?.into_iter().filter(|a| a.record.recorded_at <= as_of).collect();
    let draws: Vec<_> = spot_checks::draws(conn, None)?.into_iter().filter(|d| d.draw.drawn_at <= as_of).collect();
    let ids: Vec<i64> = draws.iter().map(|d| d.id).collect();
    let findings: Vec<_> =
        spot_checks::findings(conn, &ids)?.into_iter().filter(|f| f.finding.recorded_at <= as_of).collect();
    let (t0, t1) = month.bounds_utc();
    Ok(Extras {
        acceptance: city_lines(&known.registry, &accepted),
        spot_checks: spot_lines(&draws, &findings, &known.registry, t0, t1),
        intake: crate::quality::Intake::load(conn, month, as_of)?,
        major_dangers: major_dangers(conn, known)?,
        handling: storage::handling::figures::by_city(conn, t0, t1, None, as_of)?,
    })
}

/// The stored content of every 重大 danger known, by company and id (the overdue list shows what they say).
fn major_dangers(
    conn: &mut DbConnection,
    known: &Known,
) -> Result<HashMap<(String, String), DangerContent>, StorageError> {
    let mut out = HashMap::new();
    for e in &known.registry {
        let Some(s) = known.snapshot(e.code.as_str()) else { continue };
        let ids: Vec<String> =
            s.dangers.iter().filter(|d| d.level == DangerLevel::Major).map(|d| d.id.clone()).collect();
        if ids.is_empty() {
            continue;
        }
        for (id, c) in storage::content::dangers(conn, &e.code, &ids)? {
            out.insert((e.code.to_string(), id), c);
        }
    }
    Ok(out)
}
