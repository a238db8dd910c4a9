//! The periods of `metrics.md`: ISO week, calendar month, the report month ending on the 20th, and date ranges.
//! All bounds are local midnights (Asia/Shanghai); a period is the half-open interval [from, to).

use crate::DomainError;
use crate::time::local_midnight_utc;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use std::fmt;
use std::str::FromStr;

/// A statistics period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// An ISO week, Monday to the next Monday, written `2026-W47`.
    Week {
        /// The ISO week-numbering year.
        year: i32,
        /// The ISO week, 1–53.
        week: u32,
    },
    /// A calendar month, written `2026-11`.
    Month {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: u32,
    },
    /// The report month for the 20th: from the previous month's 20th to this month's 20th, written `2026-11R`.
    ReportMonth {
        /// The year of the 20th that ends the period.
        year: i32,
        /// The month of the 20th that ends the period.
        month: u32,
    },
    /// Any range of whole days [from, to), written `2026-11-01..2026-12-01`.
    Range {
        /// The first day.
        from: NaiveDate,
        /// The day after the last day.
        to: NaiveDate,
    },
}

fn first_of(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

impl Period {
    /// Parses a period label; see [`Period`] for the forms.
    pub fn parse(s: &str) -> Result<Period, DomainError> {
        let bad = || DomainError::BadPeriod(s.to_owned());
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad());
        let num = |d: &str, len: usize| {
            if d.len() == len && d.bytes().all(|b| b.is_ascii_digit()) {
                d.parse::<u32>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        if let Some((a, b)) = s.split_once("..") {
            let (from, to) = (date(a)?, date(b)?);
            return if from < to { Ok(Period::Range { from, to }) } else { Err(bad()) };
        }
        let (y, rest) = s.split_once('-').ok_or_else(bad)?;
        let year = num(y, 4)? as i32;
        let period = if let Some(w) = rest.strip_prefix('W') {
            let week = num(w, 2)?;
            NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)?;
            Period::Week { year, week }
        } else if let Some(m) = rest.strip_suffix('R') {
            Period::ReportMonth { year, month: num(m, 2)? }
        } else {
            Period::Month { year, month: num(rest, 2)? }
        };
        period.dates().ok_or_else(bad)?;
        Ok(period)
    }

    /// The ISO week containing a local date.
    pub fn week_of(date: NaiveDate) -> Period {
        let w = date.iso_week();
        Period::Week { year: w.year(), week: w.week() }
    }

    /// The calendar month containing a local date.
    pub fn month_of(date: NaiveDate) -> Period {
        Period::Month { year: date.year(), month: date.month() }
    }

    /// The report month whose period contains a local date (from the 20th on, the next month's report).
    pub fn report_month_of(date: NaiveDate) -> Period {
        let end = if date.day() >= 20 { date + Months::new(1) } else { date };
        Period::ReportMonth { year: end.year(), month: end.month() }
    }

    /// The first local day and the day after the last, or `None` for an impossible period.
    fn dates(self) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Period::Week { year, week } => {
                let from = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
                Some((from, from + TimeDelta::days(7)))
            }
            Period::Month { year, month } => {
                let from = first_of(year, month)?;
                Some((from, from + Months::new(1)))
            }
            Period::ReportMonth { year, month } => {
                let to = NaiveDate::from_ymd_opt(year, month, 20)?;
                Some((to - Months::new(1), to))
            }
            Period::Range { from, to } => (from < to).then_some((from, to)),
        }
    }

    /// The first local day of the period.
    pub fn from_date(self) -> NaiveDate {
        self.dates().map_or(NaiveDate::MIN, |d| d.0)
    }

    /// The local day after the last day of the period.
    pub fn to_date(self) -> NaiveDate {
        self.dates().map_or(NaiveDate::MIN, |d| d.1)
    }

    /// The bounds [t0, t1) as naive UTC instants (local midnights).
    pub fn bounds_utc(self) -> (NaiveDateTime, NaiveDateTime) {
        (local_midnight_utc(self.from_date()), local_midnight_utc(self.to_date()))
    }

    /// The previous period of the same kind (a range moves back by its own length).
    pub fn previous(self) -> Period {
        match self {
            Period::Week { .. } => Period::week_of(self.from_date() - TimeDelta::days(7)),
            Period::Month { .. } => {
                let d = self.from_date() - Months::new(1);
                Period::Month { year: d.year(), month: d.month() }
            }
            Period::ReportMonth { .. } => {
                let d = self.to_date() - Months::new(1);
                Period::ReportMonth { year: d.year(), month: d.month() }
            }
            Period::Range { from, to } => Period::Range { from: from - (to - from), to: from },
        }
    }

    /// The ISO weeks that end within the period, i.e. whose end (the next Monday 00:00) lies in (t0, t1].
    pub fn weeks_ending_within(self) -> Vec<Period> {
        let (from, to) = (self.from_date(), self.to_date());
        let mut weeks = Vec::new();
        // The first Monday strictly after `from` is the end of the first week that ends within the period.
        let mut end = from + TimeDelta::days(7 - i64::from(from.weekday().num_days_from_monday()));
        while end <= to {
            weeks.push(Period::week_of(end - TimeDelta::days(1)));
            end += TimeDelta::days(7);
        }
        weeks
    }

    /// The canonical label, e.g. `2026-W47`.
    pub fn label(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::ReportMonth { year, month } => write!(f, "{year:04}-{month:02}R"),
            Period::Range { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

impl FromStr for Period {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_form_and_round_trips() {
        for label in ["2026-W47", "2026-W01", "2020-W53", "2026-11", "2026-01R", "2026-11-01..2026-12-01"] {
            assert_eq!(Period::parse(label).unwrap().label(), label);
        }
        for bad in
            ["2026-W54", "2025-W53", "2026-W7", "2026-13", "2026-00R", "2026-1", "26-11", "2026-12-01..2026-12-01", "x"]
        {
            assert_eq!(Period::parse(bad).unwrap_err().code(), "bad_period", "{bad}");
        }
    }

    #[test]
    fn bounds_are_local_midnights() {
        let w = Period::parse("2026-W47").unwrap();
        assert_eq!((w.from_date(), w.to_date()), (d("2026-11-16"), d("2026-11-23")));
        let (t0, t1) = w.bounds_utc();
        assert_eq!(t0.to_string(), "2026-11-15 16:00:00");
        assert_eq!(t1.to_string(), "2026-11-22 16:00:00");
        let r = Period::parse("2026-01R").unwrap();
        assert_eq!((r.from_date(), r.to_date()), (d("2025-12-20"), d("2026-01-20")));
        let m = Period::parse("2026-12").unwrap();
        assert_eq!((m.from_date(), m.to_date()), (d("2026-12-01"), d("2027-01-01")));
        // ISO week 1 of 2026 starts in 2025.
        assert_eq!(Period::parse("2026-W01").unwrap().from_date(), d("2025-12-29"));
    }

    #[test]
    fn previous_periods() {
        assert_eq!(Period::parse("2026-W01").unwrap().previous().label(), "2025-W52");
        assert_eq!(Period::parse("2026-01").unwrap().previous().label(), "2025-12");
        assert_eq!(Period::parse("2026-03R").unwrap().previous().label(), "2026-02R");
        assert_eq!(Period::parse("2026-11-10..2026-11-20").unwrap().previous().label(), "2026-10-31..2026-11-10");
    }

    #[test]
    fn periods_containing_a_date() {
        assert_eq!(Period::week_of(d("2026-11-22")).label(), "2026-W47");
        assert_eq!(Period::report_month_of(d("2026-11-19")).label(), "2026-11R");
        assert_eq!(Period::report_month_of(d("2026-11-20")).label(), "2026-12R");
        assert_eq!(Period::report_month_of(d("2026-12-25")).label(), "2027-01R");
    }

    #[test]
    fn weeks_ending_within_a_month() {
        // November 2026: 1 Nov is a Sunday; weeks end on 2, 9, 16, 23, 30 Nov.
        let weeks: Vec<String> =
            Period::parse("2026-11").unwrap().weeks_ending_within().iter().map(|w| w.label()).collect();
        assert_eq!(weeks, ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        // A week ending exactly at the period's start is not included; one ending at its end is.
        let weeks = Period::parse("2026-11-02..2026-11-16").unwrap().weeks_ending_within();
        assert_eq!(weeks.iter().map(|w| w.label()).collect::<Vec<_>>(), ["2026-W45", "2026-W46"]);
    }
}
