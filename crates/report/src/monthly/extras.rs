//! The sections of the monthly report that come from records outside the exchange data (expert acceptance and spot
//! checks), loaded as of the report's `asOf`.

use super::build::Extras;
use crate::figures::Known;
use domain::Period;
use storage::{DbConnection, StorageError};

/// Loads the acceptance and spot-check sections as known at `known.as_of`, for the report month.
pub fn load(_conn: &mut DbConnection, _known: &Known, _month: Period) -> Result<Extras, StorageError> {
    Ok(Extras::default())
}
