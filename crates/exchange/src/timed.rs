//! The time accessors of [`Reader`]: datetimes (local on the wire, UTC in the record), dates, deadlines and times
//! of day.

use crate::ErrorCode;
use crate::reader::Reader;
use crate::times::{self, TimeError};
use chrono::{NaiveDateTime, NaiveTime};
use domain::records::Deadline;
use domain::time::local_to_utc;
use serde_json::Value;

/// The accepted datetime forms, for messages ("must be …").
const FORMS_ZH: &str = "北京时间 yyyy-MM-dd HH:mm:ss 或 yyyyMMddHHmmss，不带时区";
const FORMS_EN: &str = "local time (Asia/Shanghai) as yyyy-MM-dd HH:mm:ss or yyyyMMddHHmmss, without a time zone";

/// A shortened, escaped copy of a rejected value for messages.
fn shown(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    format!("{short:?}")
}

impl<'a> Reader<'a> {
    /// A string holding a time: `Ok(None)` when absent or blank, `Err` when not a string (recorded). `zh`/`en`
    /// describe the accepted forms.
    fn time_text(&mut self, f: &str, zh: &str, en: &str) -> Result<Option<&'a str>, ()> {
        match self.get(f) {
            None => Ok(None),
            Some(Value::String(s)) if crate::reader::is_blank(s) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => {
                self.bad_type(f, &format!("字符串：{zh}"), &format!("a string: {en}"));
                Err(())
            }
        }
    }

    /// Records a time text that is not accepted, saying why; `zh`/`en` describe the accepted forms.
    fn bad_time(&mut self, f: &str, s: &str, why: TimeError, zh: &str, en: &str) {
        let v = shown(s);
        let msg = match why {
            TimeError::Shape => format!("{f} 必须为{zh}，收到 {v} / {f} must be {en}, got {v}"),
            TimeError::Impossible => format!("{f} 不是有效的日期时间：{v} / {f} is not a real date or time: {v}"),
            TimeError::TooOld => {
                let y = times::MIN_YEAR;
                format!("{f} 早于 {y} 年：{v} / {f} is before the year {y}: {v}")
            }
        };
        self.fail(f, ErrorCode::BadFormat, msg);
    }

    /// Converts a parsed local datetime to UTC, recording `future_time` when it is after [`Reader::latest`].
    fn utc_checked(&mut self, f: &str, s: &str, local: NaiveDateTime) -> Option<NaiveDateTime> {
        let utc = local_to_utc(local);
        if utc > self.latest {
            let msg =
                format!("{f} {s} 晚于接收时间超过 10 分钟 / {f} {s} is more than 10 minutes after the time of receipt");
            self.fail(f, ErrorCode::FutureTime, msg);
            return None;
        }
        Some(utc)
    }

    /// A datetime sent as epoch milliseconds (a JSON integer of 13 digits, Java's default for `Date`): the moment,
    /// truncated to the second, with an `epoch_time` warning; `None` when the value is not such a number.
    fn epoch(&mut self, f: &str) -> Option<NaiveDateTime> {
        let ms = self.get(f)?.as_i64().filter(|ms| times::EPOCH_MS.contains(ms))?;
        let utc = chrono::DateTime::from_timestamp(ms.div_euclid(1000), 0)?.naive_utc();
        let local = times::format_datetime(domain::time::utc_to_local(utc));
        let message = format!(
            "{f} 以毫秒时间戳 {ms} 发送，已按 {local}（北京时间）读取；请改用 yyyy-MM-dd HH:mm:ss / {f} was sent as \
             epoch milliseconds {ms} and read as {local} (Asia/Shanghai); please send yyyy-MM-dd HH:mm:ss"
        );
        self.warn(f, ErrorCode::EpochTime, message);
        Some(utc)
    }

    fn datetime(&mut self, f: &str, required: bool) -> Option<Option<NaiveDateTime>> {
        if let Some(utc) = self.epoch(f) {
            if utc > self.latest {
                let msg =
                    format!("{f} 晚于接收时间超过 10 分钟 / {f} is more than 10 minutes after the time of receipt");
                self.fail(f, ErrorCode::FutureTime, msg);
                return None;
            }
            return Some(Some(utc));
        }
        let s = match self.time_text(f, FORMS_ZH, FORMS_EN).ok()? {
            Some(s) => s,
            None if required => {
                self.missing(f);
                return None;
            }
            None => return Some(None),
        };
        match times::datetime(s) {
            Ok(local) => self.utc_checked(f, s, local).map(Some),
            Err(why) => {
                self.bad_time(f, s, why, FORMS_ZH, FORMS_EN);
                None
            }
        }
    }

    /// A required datetime, UTC, not more than 10 minutes in the future.
    pub(crate) fn req_datetime(&mut self, f: &str) -> Option<NaiveDateTime> {
        self.datetime(f, true).flatten()
    }

    /// An optional datetime, UTC, not more than 10 minutes in the future.
    pub(crate) fn opt_datetime(&mut self, f: &str) -> Option<Option<NaiveDateTime>> {
        self.datetime(f, false)
    }

    /// An optional deadline: a date `yyyy-MM-dd` or a datetime (either form). A deadline may lie in the future.
    pub(crate) fn opt_deadline(&mut self, f: &str) -> Option<Option<Deadline>> {
        const ZH: &str = "日期 yyyy-MM-dd，或北京时间 yyyy-MM-dd HH:mm:ss 或 yyyyMMddHHmmss，不带时区";
        const EN: &str =
            "a date yyyy-MM-dd, or local time as yyyy-MM-dd HH:mm:ss or yyyyMMddHHmmss, without a time zone";
        if let Some(utc) = self.epoch(f) {
            return Some(Some(Deadline::At(utc)));
        }
        let Some(s) = self.time_text(f, ZH, EN).ok()? else { return Some(None) };
        let parsed = if s.len() == 10 {
            times::date(s).map(Deadline::Date)
        } else {
            times::datetime(s).map(|local| Deadline::At(local_to_utc(local)))
        };
        match parsed {
            Ok(d) => Some(Some(d)),
            Err(why) => {
                self.bad_time(f, s, why, ZH, EN);
                None
            }
        }
    }

    /// An optional time of day (work hours), local: `H:mm:ss`, `HH:mm:ss`, `H:mm` or `HH:mm`.
    pub(crate) fn opt_time_of_day(&mut self, f: &str) -> Option<Option<NaiveTime>> {
        const ZH: &str = "时刻 H:mm:ss（如 8:00:00）";
        const EN: &str = "a time of day H:mm:ss (e.g. 8:00:00)";
        let Some(s) = self.time_text(f, ZH, EN).ok()? else { return Some(None) };
        match times::parse_time_of_day(s) {
            Some(t) => Some(Some(t)),
            None => {
                let v = shown(s);
                self.fail(f, ErrorCode::BadFormat, format!("{f} 必须为{ZH}，收到 {v} / {f} must be {EN}, got {v}"));
                None
            }
        }
    }
}
