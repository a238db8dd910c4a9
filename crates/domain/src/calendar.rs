//! The official calendar of working days: weekends, public holidays and make-up working days (调休上班).
//!
//! The platform ships the State Council notices as data (`data/calendar-cn.csv`, see `docs/calendar.md`); an
//! administrator can add rows of the same form for later years with [`WorkCalendar::extend_csv`].

use crate::DomainError;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// The shipped calendar rows: `date,kind,name,source`.
pub const SHIPPED_CSV: &str = include_str!("../data/calendar-cn.csv");

/// What the calendar says about one exceptional day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday (or a day inside an official holiday block): not a working day.
    Holiday,
    /// A make-up working day on a weekend: a working day.
    Workday,
}

/// A calendar of working days: weekdays work, weekends rest, except for the listed days.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    /// The calendar shipped with the platform.
    pub fn shipped() -> Result<WorkCalendar, DomainError> {
        let mut cal = WorkCalendar::default();
        cal.extend_csv(SHIPPED_CSV)?;
        Ok(cal)
    }

    /// Adds or replaces days from CSV text with the header `date,kind,name,source` (fields may be quoted, so a name
    /// or source may hold a comma); returns how many rows were read. A bad row rejects the whole text and changes
    /// nothing.
    pub fn extend_csv(&mut self, text: &str) -> Result<usize, DomainError> {
        let mut rows = Vec::new();
        for record in crate::csv_text::reader(text, true).records() {
            let record = record.map_err(|e| DomainError::BadCalendar(e.to_string()))?;
            let (n, line) = crate::csv_text::line_of(text, &record);
            let bad = |why: &str| DomainError::BadCalendar(format!("line {n}: {why}: {line}"));
            // The header, and a line of blanks.
            if n == 1 || (record.len() == 1 && record[0].is_empty()) {
                continue;
            }
            let date = record
                .get(0)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .ok_or_else(|| bad("bad date"))?;
            let kind = match record.get(1) {
                Some("holiday") => DayKind::Holiday,
                Some("workday") => DayKind::Workday,
                _ => return Err(bad("kind must be holiday or workday")),
            };
            if kind == DayKind::Workday && !is_weekend(date) {
                return Err(bad("a make-up working day must be a Saturday or Sunday"));
            }
            rows.push((date, kind));
        }
        let count = rows.len();
        self.exceptions.extend(rows);
        Ok(count)
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.exceptions.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(date),
        }
    }

    /// The last date the calendar has data for (later years follow weekends only).
    pub fn last_listed(&self) -> Option<NaiveDate> {
        self.exceptions.keys().next_back().copied()
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn holidays_and_make_up_days() {
        let cal = WorkCalendar::shipped().unwrap();
        // 2024 春节: 10–17 February off, Sunday 4 and Sunday 18 February worked.
        assert!(!cal.is_working_day(d("2024-02-12")));
        assert!(cal.is_working_day(d("2024-02-04")));
        assert!(cal.is_working_day(d("2024-02-18")));
        // 2026 国庆: 1 October (Thursday) off; an ordinary Saturday rests, an ordinary Tuesday works.
        assert!(!cal.is_working_day(d("2026-10-01")));
        assert!(!cal.is_working_day(d("2026-11-28")));
        assert!(cal.is_working_day(d("2026-11-24")));
        assert!(cal.last_listed().unwrap() >= d("2026-10-01"));
    }

    #[test]
    fn extension_rows_are_checked() {
        let mut cal = WorkCalendar::default();
        let err = cal.extend_csv("date,kind,name,source\n2027-01-04,workday,元旦,x\n").unwrap_err();
        assert_eq!(err.code(), "bad_calendar");
        assert_eq!(cal.extend_csv("date,kind,name,source\n2027-01-01,holiday,元旦,x\n").unwrap(), 1);
        assert!(!cal.is_working_day(d("2027-01-01")));
        let err = cal.extend_csv("date,kind,name,source\n\n2027-01-02,rest,x,y\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "工作日历数据无效 / invalid calendar row: line 3: kind must be holiday or workday: 2027-01-02,rest,x,y"
        );
    }

    #[test]
    fn quoted_fields_may_hold_commas() {
        let mut cal = WorkCalendar::default();
        let text = "date,kind,name,source\n\"2027-02-08\",\"holiday\",\"春节, Spring Festival\",\"国办发明电〔2026〕1号, 补充\"\n\
                    2027-02-14,workday,\"春节, 调休\",x\n";
        assert_eq!(cal.extend_csv(text).unwrap(), 2);
        assert!(!cal.is_working_day(d("2027-02-08")));
        assert!(cal.is_working_day(d("2027-02-14")));
    }
}
