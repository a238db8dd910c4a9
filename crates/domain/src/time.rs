//! Local time of the platform: Asia/Shanghai.
//!
//! China has kept UTC+8 without daylight saving since 1991, so Asia/Shanghai is the fixed offset +08:00 for every
//! date the platform handles. Times are stored as naive UTC and shown in local time.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeDelta, TimeZone, Utc,
};

/// The offset of Asia/Shanghai from UTC, in seconds.
pub const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

/// How far in the future of its receipt a datetime of a record may lie: later ones are refused on ingest
/// (`future_time`, `exchange`), so no stored `checkTime` is later than its version's receipt plus this.
pub const FUTURE_LEEWAY: TimeDelta = TimeDelta::minutes(10);

/// The Asia/Shanghai offset.
pub fn shanghai() -> FixedOffset {
    // 8 hours is within the ±24 h range that `east_opt` accepts, so the fallback is never taken.
    FixedOffset::east_opt(SHANGHAI_OFFSET_SECS).unwrap_or(Utc.fix())
}

/// Converts a local (Asia/Shanghai) wall-clock time to naive UTC.
pub fn local_to_utc(local: NaiveDateTime) -> NaiveDateTime {
    local - TimeDelta::seconds(SHANGHAI_OFFSET_SECS.into())
}

/// Converts naive UTC to local (Asia/Shanghai) wall-clock time.
pub fn utc_to_local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + TimeDelta::seconds(SHANGHAI_OFFSET_SECS.into())
}

/// The UTC instant of local midnight at the start of `date`.
pub fn local_midnight_utc(date: NaiveDate) -> NaiveDateTime {
    local_to_utc(date.and_time(NaiveTime::MIN))
}

/// A naive UTC instant as a zoned local time, e.g. `2026-11-23T00:00:00+08:00`.
pub fn to_shanghai(utc: NaiveDateTime) -> DateTime<FixedOffset> {
    shanghai().from_utc_datetime(&utc)
}

/// A naive UTC instant in RFC 3339 with the +08:00 offset, e.g. `2026-11-23T00:00:00+08:00`.
pub fn format_local(utc: NaiveDateTime) -> String {
    to_shanghai(utc).to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// The local calendar date of a naive UTC instant.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    utc_to_local(utc).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn converts_between_local_and_utc() {
        assert_eq!(local_to_utc(dt("2026-11-23 00:00:00")), dt("2026-11-22 16:00:00"));
        assert_eq!(utc_to_local(dt("2026-11-22 16:00:00")), dt("2026-11-23 00:00:00"));
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(local_midnight_utc(d), dt("2026-11-22 16:00:00"));
        assert_eq!(format_local(dt("2026-11-22 16:00:00")), "2026-11-23T00:00:00+08:00");
        assert_eq!(local_date(dt("2026-11-22 16:00:00")), d);
        assert_eq!(local_date(dt("2026-11-22 15:59:59")), d.pred_opt().unwrap());
    }
}
