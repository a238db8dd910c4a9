//! The sections of the monthly report that come from records outside the exchange data (expert acceptance and spot
//! checks), as known at the report's `asOf`: records entered later do not change a report made earlier.

use super::build::Extras;
use crate::acceptance::{city_lines, spot_lines};
use crate::figures::Known;
use domain::Period;
use storage::{DbConnection, StorageError, acceptance, spot_checks};

/// Loads the acceptance status of every city and the spot checks drawn in the report month, as known at
/// `known.as_of`.
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
    })
}
