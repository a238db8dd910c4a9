//! Who an enterprise is in the simulation: its diligence and habits, drawn from the seed, its city and its code.

use crate::config::{Fault, Knobs};
use crate::ids::IdStyle;
use crate::names;
use crate::rng::{Rng, derive, hash_str};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use domain::calendar::WorkCalendar;
use domain::time::local_midnight_utc;
use domain::{City, CompanyCode};

/// The habits of a simulated enterprise (public for tests and logs).
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseProfile {
    /// The enterprise.
    pub company: CompanyCode,
    /// Its city.
    pub city: City,
    /// The probability that a task instance gets its check (before per-task and per-week variation), 0.6–0.995.
    /// Cities have different baselines, so completion rates spread across enterprises and cities.
    pub completion: f64,
    /// The probability that a danger is rectified and accepted by its deadline.
    pub rectification_on_time: f64,
    /// Dangers registered per month, on average.
    pub dangers_per_month: f64,
    /// How misbehaving the endpoint is, if at all.
    pub fault: Option<Fault>,
    /// Whether answers are encrypted.
    pub encrypted: bool,
}

/// Everything the generation of one enterprise needs.
pub(crate) struct Ctx<'a> {
    pub(crate) company: CompanyCode,
    /// The enterprise's own seed.
    pub(crate) seed: u64,
    pub(crate) style: IdStyle,
    /// Local midnight of the first day of history, UTC.
    pub(crate) t0: NaiveDateTime,
    /// The first local day of history.
    pub(crate) start: NaiveDate,
    /// The world's now, UTC.
    pub(crate) end: NaiveDateTime,
    pub(crate) knobs: &'a Knobs,
    pub(crate) calendar: &'a WorkCalendar,
    pub(crate) profile: EnterpriseProfile,
    /// How much the completion varies from week to week (0.3–1).
    pub(crate) volatility: f64,
    /// The staff who enter data (`createBy`, `registrant`, …).
    pub(crate) staff: Vec<String>,
    /// The mobile devices inspectors use (`mobileMe`).
    pub(crate) devices: Vec<String>,
    /// A system outage (no checks recorded), when the enterprise has one.
    pub(crate) outage: Option<(NaiveDateTime, NaiveDateTime)>,
}

/// A stream label as a number.
pub(crate) fn label(s: &str) -> u64 {
    hash_str(s)
}

/// The baseline completion of a city under a seed, in [0.7, 0.95].
fn city_baseline(seed: u64, city: City) -> f64 {
    0.7 + 0.25 * Rng::stream(seed, hash_str(city.code())).unit()
}

impl<'a> Ctx<'a> {
    /// The context of one enterprise.
    #[allow(clippy::too_many_arguments, reason = "an internal constructor called from one place")]
    pub(crate) fn new(
        seed: u64,
        company: CompanyCode,
        city: City,
        start: NaiveDate,
        end: NaiveDateTime,
        knobs: &'a Knobs,
        calendar: &'a WorkCalendar,
        fault: Option<Fault>,
        encrypted: bool,
    ) -> Ctx<'a> {
        let own = derive(seed, hash_str(company.as_str()));
        let mut rng = Rng::stream(own, label("profile"));
        let completion = (city_baseline(seed, city) + rng.uniform(-0.15, 0.1)).clamp(0.6, 0.995);
        let rectification_on_time = (0.3 + 0.65 * completion + rng.uniform(-0.1, 0.1)).clamp(0.2, 0.98);
        let (lo, hi) = knobs.dangers_per_month;
        let dangers_per_month = rng.uniform(lo, hi.max(lo));
        let volatility = rng.uniform(0.3, 1.0);
        let style = IdStyle::draw(&mut rng);
        let staff: Vec<String> = (0..rng.range(6, 12)).map(|_| names::person(&mut rng)).collect();
        let devices: Vec<String> =
            (0..rng.range(2, 6)).map(|_| format!("86{:013}", rng.below(10_000_000_000_000))).collect();
        let t0 = local_midnight_utc(start);
        let outage = rng.chance(0.1).then(|| {
            let from = t0 + TimeDelta::hours(rng.range_i64(3 * 24, 200 * 24));
            (from, from + TimeDelta::hours(rng.range_i64(2 * 24, 8 * 24)))
        });
        let profile = EnterpriseProfile {
            company: company.clone(),
            city,
            completion,
            rectification_on_time,
            dangers_per_month,
            fault,
            encrypted,
        };
        Ctx { company, seed: own, style, t0, start, end, knobs, calendar, profile, volatility, staff, devices, outage }
    }

    /// A stream of this enterprise.
    pub(crate) fn rng(&self, what: &str, index: u64) -> Rng {
        Rng::stream(derive(self.seed, label(what)), index)
    }

    /// A member of the staff.
    pub(crate) fn someone(&self, rng: &mut Rng) -> String {
        rng.pick(&self.staff).clone()
    }

    /// The completion probability of the ISO week holding `t` (UTC): the enterprise's, moved by a per-week swing.
    pub(crate) fn week_swing(&self, t: NaiveDateTime) -> f64 {
        // Weeks counted from a Monday (1970-01-05 is one), in local time.
        let local = domain::time::utc_to_local(t);
        let days = local.and_utc().timestamp().div_euclid(86_400) - 4;
        let week = days.div_euclid(7) as u64;
        let mut rng = self.rng("week", week);
        rng.uniform(-0.12, 0.12) * self.volatility
    }

    /// Whether the enterprise's system was down at `t`.
    pub(crate) fn down(&self, t: NaiveDateTime) -> bool {
        self.outage.is_some_and(|(a, b)| a <= t && t < b)
    }
}
