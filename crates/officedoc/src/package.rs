//! The zip package: stored entries in a fixed order, dated the document's date.

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::OfficeDocError;

/// The package of `parts` (name, bytes), in the order given.
///
/// Entries are stored, not deflated: the bytes then depend on no compression library (a frozen report regenerated
/// after an upgrade of `zlib-rs` or `flate2` is still identical), at the price of a larger file. Each entry is dated
/// `date` at 00:00 (1980-01-01 00:00 when the year is outside the 1980–2107 that zip can hold) and has Unix
/// permissions 0644, which also fixes the "made by" system to Unix on every platform.
pub(crate) fn zip(parts: &[(&str, Vec<u8>)], date: NaiveDate) -> Result<Vec<u8>, OfficeDocError> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip_time(date))
        .unix_permissions(0o644);
    let size = parts.iter().map(|(name, bytes)| name.len() * 2 + bytes.len() + 100).sum::<usize>() + 22;
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(size)));
    for (name, bytes) in parts {
        zip.start_file(*name, options).map_err(OfficeDocError::render)?;
        zip.write_all(bytes).map_err(OfficeDocError::render)?;
    }
    Ok(zip.finish().map_err(OfficeDocError::render)?.into_inner())
}

/// The zip timestamp of `date` at midnight.
fn zip_time(date: NaiveDate) -> DateTime {
    let (Ok(year), Ok(month), Ok(day)) =
        (u16::try_from(date.year()), u8::try_from(date.month()), u8::try_from(date.day()))
    else {
        return DateTime::default();
    };
    DateTime::from_date_and_time(year, month, day, 0, 0, 0).unwrap_or_default()
}
