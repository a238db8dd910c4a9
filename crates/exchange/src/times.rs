//! The time forms of the wire: local (Asia/Shanghai) datetimes, dates and times of day, without a time zone.
//!
//! Parsing is done by hand on bytes: it is on the hot path of validation and much faster than a format string.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// The earliest year accepted in a datetime or date. Older values are not real records of this programme (a
/// `0001-01-01` default of an enterprise database would make metrics expand task instances over two millennia).
pub const MIN_YEAR: i32 = 1970;

/// The epoch milliseconds read as a datetime: the 13-digit integers, 2001-09-09 to 2286-11-20. A 14-digit number
/// (`20260430100000`, the compact form sent as a number) is outside it and stays `bad_type`.
pub const EPOCH_MS: std::ops::RangeInclusive<i64> = 1_000_000_000_000..=9_999_999_999_999;

/// Why a datetime or date text was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeError {
    /// Not one of the accepted forms (a time zone, a `T`, fractions of seconds, …).
    Shape,
    /// The right form, but no such date or time (2026-02-30, 25:00:00).
    Impossible,
    /// A real date before [`MIN_YEAR`].
    TooOld,
}

/// Reads ASCII digits as a number; `None` if any byte is not a digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// Splits a datetime text into year, month, day, hour, minute and second, by its shape only.
fn datetime_parts(s: &str) -> Option<[u32; 6]> {
    let b = s.as_bytes();
    match b.len() {
        19 if b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' && b[16] == b':' => Some([
            digits(&b[0..4])?,
            digits(&b[5..7])?,
            digits(&b[8..10])?,
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        ]),
        14 => Some([
            digits(&b[0..4])?,
            digits(&b[4..6])?,
            digits(&b[6..8])?,
            digits(&b[8..10])?,
            digits(&b[10..12])?,
            digits(&b[12..14])?,
        ]),
        _ => None,
    }
}

/// A date from its parts, checking that it exists and is not before [`MIN_YEAR`].
fn date_of(y: u32, m: u32, d: u32) -> Result<NaiveDate, TimeError> {
    let year = i32::try_from(y).map_err(|_| TimeError::Impossible)?;
    let date = NaiveDate::from_ymd_opt(year, m, d).ok_or(TimeError::Impossible)?;
    if year < MIN_YEAR { Err(TimeError::TooOld) } else { Ok(date) }
}

/// Parses a local datetime, telling why it failed.
pub(crate) fn datetime(s: &str) -> Result<NaiveDateTime, TimeError> {
    let [y, mo, d, h, mi, se] = datetime_parts(s).ok_or(TimeError::Shape)?;
    let time = NaiveTime::from_hms_opt(h, mi, se).ok_or(TimeError::Impossible)?;
    Ok(date_of(y, mo, d)?.and_time(time))
}

/// Parses a local date `yyyy-MM-dd`, telling why it failed.
pub(crate) fn date(s: &str) -> Result<NaiveDate, TimeError> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(TimeError::Shape);
    }
    let part = |r: std::ops::Range<usize>| digits(&b[r]).ok_or(TimeError::Shape);
    date_of(part(0..4)?, part(5..7)?, part(8..10)?)
}

/// Parses a local datetime of the wire: exactly `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`.
///
/// Anything else is refused: a time zone (`Z`, `+08:00`), a `T` separator, fractions of seconds, single-digit
/// fields, impossible dates (`2026-02-30`), leap seconds and years before [`MIN_YEAR`]. The result is the local
/// (Asia/Shanghai) wall-clock time; convert with [`domain::time::local_to_utc`].
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    datetime(s).ok()
}

/// Parses a local date of the wire: exactly `yyyy-MM-dd` (a real date, not before [`MIN_YEAR`]).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    date(s).ok()
}

/// Parses a time of day of the wire (work hours): `H:mm:ss` or `HH:mm:ss`, and also `H:mm` or `HH:mm` (seconds
/// zero), e.g. `8:00:00`, `08:30`, `17:30:00`. Hours run 0–23; `24:00` is refused.
pub fn parse_time_of_day(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    let colon = b.iter().position(|&c| c == b':')?;
    if !(1..=2).contains(&colon) {
        return None;
    }
    let h = digits(&b[..colon])?;
    let rest = &b[colon + 1..];
    let (m, sec) = match rest.len() {
        2 => (digits(rest)?, 0),
        5 if rest[2] == b':' => (digits(&rest[..2])?, digits(&rest[3..])?),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, sec).filter(|_| sec < 60)
}

/// Formats a local datetime as the wire writes it: `yyyy-MM-dd HH:mm:ss`.
pub fn format_datetime(local: NaiveDateTime) -> String {
    let (d, t) = (local.date(), local.time());
    format!(
        "{} {:02}:{:02}:{:02}",
        format_date(d),
        t.hour(),
        t.minute(),
        t.second().min(59) // a leap second cannot be written on the wire
    )
}

/// Formats a date as `yyyy-MM-dd`.
pub fn format_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Formats a time of day as the contract writes work hours: `H:mm:ss`, e.g. `8:00:00`.
pub fn format_time_of_day(t: NaiveTime) -> String {
    format!("{}:{:02}:{:02}", t.hour(), t.minute(), t.second().min(59))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, s))
    }

    #[test]
    fn both_datetime_forms_parse_to_the_same_local_time() {
        let want = dt(2026, 3, 5, 8, 9, 10);
        assert_eq!(parse_datetime("2026-03-05 08:09:10"), want);
        assert_eq!(parse_datetime("20260305080910"), want);
    }

    #[test]
    fn other_datetime_forms_are_refused_with_their_reason() {
        for s in [
            "2026-03-05T08:09:10",
            "2026-03-05 08:09:10Z",
            "2026-03-05 08:09:10+08:00",
            "2026-03-05 08:09:10.000",
            "2026-3-5 8:09:10",
            "2026/03/05 08:09:10",
            " 2026-03-05 08:09:10",
            "2026030508091",
            "",
        ] {
            assert_eq!(datetime(s), Err(TimeError::Shape), "{s}");
        }
        assert_eq!(datetime("2026-02-30 00:00:00"), Err(TimeError::Impossible));
        assert_eq!(datetime("2026-01-01 24:00:00"), Err(TimeError::Impossible));
        assert_eq!(datetime("2026-01-01 23:59:60"), Err(TimeError::Impossible));
        assert_eq!(datetime("0000-00-00 00:00:00"), Err(TimeError::Impossible));
        assert_eq!(datetime("1969-12-31 23:59:59"), Err(TimeError::TooOld));
    }

    #[test]
    fn dates_and_times_of_day() {
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(date("20260101"), Err(TimeError::Shape));
        let eight = NaiveTime::from_hms_opt(8, 0, 0);
        for s in ["8:00:00", "08:00:00", "8:00", "08:00"] {
            assert_eq!(parse_time_of_day(s), eight, "{s}");
        }
        for s in ["24:00:00", "8:0:00", "800", "8:00:0", "8:60:00", "108:00:00", "8:00:00 ", ":00", "8:00:60"] {
            assert_eq!(parse_time_of_day(s), None, "{s}");
        }
    }

    #[test]
    fn formats_are_the_inverse_of_parsing() {
        let t = dt(2026, 3, 5, 8, 9, 10).unwrap_or_default();
        assert_eq!(format_datetime(t), "2026-03-05 08:09:10");
        assert_eq!(parse_datetime(&format_datetime(t)), Some(t));
        assert_eq!(format_date(t.date()), "2026-03-05");
        assert_eq!(format_time_of_day(t.time()), "8:09:10");
        assert_eq!(parse_time_of_day(&format_time_of_day(t.time())), Some(t.time()));
    }
}
