//! The platform's one clock. Nothing else reads the system clock: every "now" of the platform (a received batch, a
//! figure's `asOf`, a job's run, a token's expiry) is asked of a [`Clock`] that is passed in.
//!
//! Production uses [`Clock::system`]. Tests, the demo, the simulator, `bench` and the reproduction of a report can pin
//! the clock to a moment: [`Clock::pinned`] starts there and runs on at the pace of real time (so timeouts, leases
//! and "received after" still order correctly), [`Clock::frozen`] stands still until it is [`set`](Clock::set) or
//! [`advanced`](Clock::advance). `DUALPREV_NOW` (an RFC 3339 moment) pins a process from outside
//! ([`Clock::from_env`]); `serve` refuses it unless told that the instance is a test instance.

use crate::DomainError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, TimeDelta, Utc};
use parking_lot::Mutex;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

/// The environment variable that pins the clock of a process: an RFC 3339 moment, e.g. `2027-01-02T08:30:00+08:00`.
pub const NOW_VAR: &str = "DUALPREV_NOW";

/// Where "now" comes from. Cheap to clone; clones share the same source, so setting a pinned clock moves every
/// holder of it.
#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    Pinned(Mutex<Pin>),
}

/// A pinned moment: `at` when `since` was read, running on from there unless frozen.
#[derive(Clone, Copy)]
struct Pin {
    at: NaiveDateTime,
    since: Instant,
    frozen: bool,
}

impl Pin {
    fn now(&self) -> NaiveDateTime {
        if self.frozen {
            return self.at;
        }
        let elapsed = TimeDelta::from_std(self.since.elapsed()).unwrap_or(TimeDelta::MAX);
        self.at.checked_add_signed(elapsed).unwrap_or(NaiveDateTime::MAX)
    }
}

impl Clock {
    /// The system clock (production).
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that reads `at` (naive UTC) now and runs on at the pace of real time.
    pub fn pinned(at: NaiveDateTime) -> Clock {
        Clock::pin(at, false)
    }

    /// A clock that reads `at` (naive UTC) until it is set or advanced.
    pub fn frozen(at: NaiveDateTime) -> Clock {
        Clock::pin(at, true)
    }

    fn pin(at: NaiveDateTime, frozen: bool) -> Clock {
        Clock(Arc::new(Source::Pinned(Mutex::new(Pin { at: at.trunc_subsecs(6), since: Instant::now(), frozen }))))
    }

    /// Parses a pinned moment: RFC 3339 with an offset, e.g. `2027-01-02T08:30:00+08:00` (error `bad_now`).
    pub fn parse_moment(s: &str) -> Result<NaiveDateTime, DomainError> {
        DateTime::parse_from_rfc3339(s.trim()).map(|t| t.naive_utc()).map_err(|_| DomainError::BadNow(s.to_owned()))
    }

    /// The clock `DUALPREV_NOW` asks for: `Some` running clock pinned there when the variable is set, `None` when it
    /// is unset or empty, an error (`bad_now`) when it is not an RFC 3339 moment.
    pub fn from_env() -> Result<Option<Clock>, DomainError> {
        match std::env::var(NOW_VAR) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(Clock::pinned(Clock::parse_moment(&v)?))),
            _ => Ok(None),
        }
    }

    /// `DUALPREV_NOW`'s clock when set, else the system clock.
    pub fn from_env_or_system() -> Result<Clock, DomainError> {
        Ok(Clock::from_env()?.unwrap_or_else(Clock::system))
    }

    /// Now, as naive UTC, to the microsecond (the precision both backends store, so an instant reads back equal).
    pub fn now_utc(&self) -> NaiveDateTime {
        match &*self.0 {
            // The one place the platform reads the system clock.
            #[allow(clippy::disallowed_methods, reason = "this is the clock")]
            Source::System => Utc::now().naive_utc().trunc_subsecs(6),
            Source::Pinned(pin) => pin.lock().now().trunc_subsecs(6),
        }
    }

    /// Today's date in Asia/Shanghai.
    pub fn today(&self) -> NaiveDate {
        crate::time::local_date(self.now_utc())
    }

    /// Now as whole seconds since the Unix epoch (token times, signatures).
    pub fn unix_seconds(&self) -> i64 {
        self.now_utc().and_utc().timestamp()
    }

    /// Whether this clock is pinned (not the system clock).
    pub fn is_pinned(&self) -> bool {
        matches!(&*self.0, Source::Pinned(_))
    }

    /// Moves a pinned clock to `at` (naive UTC); it keeps running or standing as before. Returns `false`, and does
    /// nothing, on the system clock.
    pub fn set(&self, at: NaiveDateTime) -> bool {
        self.update(|pin| pin.at = at.trunc_subsecs(6))
    }

    /// Moves a pinned clock by `by`. Returns `false`, and does nothing, on the system clock.
    pub fn advance(&self, by: TimeDelta) -> bool {
        self.update(|pin| pin.at = pin.now() + by)
    }

    fn update(&self, f: impl FnOnce(&mut Pin)) -> bool {
        let Source::Pinned(pin) = &*self.0 else { return false };
        let mut pin = pin.lock();
        let now = pin.now();
        *pin = Pin { at: now, since: Instant::now(), frozen: pin.frozen };
        f(&mut pin);
        true
    }
}

impl Default for Clock {
    /// The system clock.
    fn default() -> Clock {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Source::System => f.write_str("Clock::System"),
            Source::Pinned(_) => write!(f, "Clock::Pinned({})", crate::time::format_local(self.now_utc())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_frozen_clock_stands_still_until_moved() {
        let at = Clock::parse_moment("2027-01-02T08:30:00+08:00").unwrap();
        assert_eq!(at.to_string(), "2027-01-02 00:30:00");
        let c = Clock::frozen(at);
        assert_eq!(c.now_utc(), at);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(c.now_utc(), at);
        let shared = c.clone();
        assert!(c.advance(TimeDelta::hours(1)));
        assert_eq!(shared.now_utc(), at + TimeDelta::hours(1), "clones share the source");
        assert!(c.set(at));
        assert_eq!(shared.now_utc(), at);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2027, 1, 2).unwrap());
        assert_eq!(c.unix_seconds(), at.and_utc().timestamp());
    }

    #[test]
    fn a_pinned_clock_runs_on_from_its_moment() {
        let at = Clock::parse_moment("2026-12-31T23:59:59+08:00").unwrap();
        let c = Clock::pinned(at);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let now = c.now_utc();
        assert!(now >= at + TimeDelta::milliseconds(20) && now < at + TimeDelta::seconds(30), "{now}");
        assert!(c.is_pinned());
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let c = Clock::system();
        assert!(!c.is_pinned());
        assert!(!c.set(NaiveDateTime::MIN));
        assert!(!c.advance(TimeDelta::days(1)));
        assert!(c.now_utc() > Clock::parse_moment("2026-01-01T00:00:00Z").unwrap());
    }

    #[test]
    fn a_bad_moment_is_refused_with_its_code() {
        for bad in ["", "2027-01-02", "2027-01-02 08:30:00", "tomorrow"] {
            let e = Clock::parse_moment(bad).unwrap_err();
            assert_eq!(e.code(), "bad_now", "{bad:?}");
        }
    }
}
