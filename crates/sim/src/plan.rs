//! The skeleton of an enterprise: hazard sources, risk units (with their stops), events and measures, as they are
//! at the start and as they are added, changed and deleted later. Tasks are planned in [`crate::tasks`].
//!
//! Every entity draws from its own stream, and every process in time (additions, stops) is drawn in time order and
//! cut at the world's end, so a longer world extends a shorter one without changing it.

use crate::profile::Ctx;
use crate::rng::Rng;
use crate::tasks::TaskPlan;
use chrono::{NaiveDateTime, TimeDelta};

/// A hazard source (风险分析对象).
pub(crate) struct HazardPlan {
    pub(crate) code: String,
    pub(crate) name: &'static str,
    pub(crate) created: NaiveDateTime,
    pub(crate) seed: u64,
}

/// A stop of a unit: [start, end), open-ended when `end` is `None`.
pub(crate) struct Stop {
    pub(crate) start: NaiveDateTime,
    pub(crate) end: Option<NaiveDateTime>,
    pub(crate) seed: u64,
}

/// A risk unit.
pub(crate) struct UnitPlan {
    pub(crate) id: String,
    pub(crate) hazard: usize,
    pub(crate) created: NaiveDateTime,
    pub(crate) deleted: Option<NaiveDateTime>,
    pub(crate) stops: Vec<Stop>,
    pub(crate) seed: u64,
}

/// A risk event.
pub(crate) struct EventPlan {
    pub(crate) id: String,
    pub(crate) unit: usize,
    pub(crate) created: NaiveDateTime,
    pub(crate) deleted: Option<NaiveDateTime>,
    pub(crate) seed: u64,
}

/// A control measure.
pub(crate) struct MeasurePlan {
    pub(crate) id: String,
    pub(crate) event: usize,
    pub(crate) unit: usize,
    /// `dataSrc` = 2 (隐患排查): the measure needs tasks.
    pub(crate) inspection: bool,
    /// Index of its classify2 in `Classify2::all()`.
    pub(crate) classify: usize,
    pub(crate) created: NaiveDateTime,
    pub(crate) deleted: Option<NaiveDateTime>,
    /// Whether tasks are planned for it (an inspection measure without tasks leaves its unit unanalysed).
    pub(crate) tasked: bool,
    pub(crate) seed: u64,
}

/// Everything an enterprise has.
#[derive(Default)]
pub(crate) struct Plan {
    pub(crate) hazards: Vec<HazardPlan>,
    pub(crate) units: Vec<UnitPlan>,
    pub(crate) events: Vec<EventPlan>,
    pub(crate) measures: Vec<MeasurePlan>,
    pub(crate) tasks: Vec<TaskPlan>,
}

/// A time about `mean_days` after `from` (exponential, at least an hour), or never within reach.
pub(crate) fn lifetime(rng: &mut Rng, from: NaiveDateTime, mean_days: f64) -> Option<NaiveDateTime> {
    let secs = rng.exp(mean_days * 86_400.0) + 3_600.0;
    (secs < 20.0 * 365.0 * 86_400.0).then(|| from + TimeDelta::seconds(secs as i64))
}

/// Some minutes and seconds of jitter within the hour after `t`.
pub(crate) fn jitter(rng: &mut Rng, t: NaiveDateTime) -> NaiveDateTime {
    t + TimeDelta::seconds(rng.range_i64(0, 3_599))
}

impl Plan {
    /// Plans the skeleton of an enterprise (without tasks).
    pub(crate) fn skeleton(ctx: &Ctx<'_>) -> Plan {
        let mut plan = Plan::default();
        let mut rng = ctx.rng("skeleton", 0);
        let k = ctx.knobs;
        let first_name = rng.below(crate::names::HAZARDS.len() as u64) as usize;
        for i in 0..rng.range(k.hazard_sources.0.max(1), k.hazard_sources.1) {
            let mut r = ctx.rng("hazard", u64::from(i));
            let created = jitter(&mut r, ctx.t0 + TimeDelta::minutes(30));
            let code = format!("{}-HS{:02}", ctx.company, i + 1);
            let name = crate::names::HAZARDS[(first_name + i as usize * 5) % crate::names::HAZARDS.len()];
            plan.hazards.push(HazardPlan { code, name, created, seed: r.next_u64() });
        }
        let at = ctx.t0 + TimeDelta::hours(1);
        let units = rng.range(k.units.0.max(1), k.units.1);
        for i in 0..units as usize {
            let hazard = if i < plan.hazards.len() { i } else { rng.below(plan.hazards.len() as u64) as usize };
            plan.add_unit(ctx, ("unit", i as u64), hazard, at, Completion::Full);
        }
        // In about a third of the enterprises, one or two inspection measures never get a task.
        if rng.chance(0.33) {
            let inspection: Vec<usize> = (0..plan.measures.len()).filter(|&m| plan.measures[m].inspection).collect();
            for _ in 0..rng.range(1, 2) {
                if let Some(&m) = inspection.get(rng.below(inspection.len() as u64) as usize) {
                    plan.measures[m].tasked = false;
                }
            }
        }
        plan.additions(ctx);
        plan.early_stop(ctx);
        plan
    }

    /// Units added after the start: a unit at T, its events a day later, measures two days later, tasks three.
    fn additions(&mut self, ctx: &Ctx<'_>) {
        if ctx.knobs.additions_per_month <= 0.0 {
            return;
        }
        let mut rng = ctx.rng("additions", 0);
        let mean = 30.0 * 86_400.0 / ctx.knobs.additions_per_month;
        let mut t = ctx.t0;
        for n in 0u64.. {
            t += TimeDelta::seconds(rng.exp(mean) as i64 + 3_600);
            if t > ctx.end {
                break;
            }
            let hazard = rng.below(self.hazards.len() as u64) as usize;
            let completion = match rng.weighted(&[0.6, 0.25, 0.15]) {
                0 => Completion::Full,
                1 => Completion::NoEvents,
                _ => Completion::NoTasks,
            };
            self.add_unit(ctx, ("added", n), hazard, t, completion);
        }
    }

    /// Adds a unit created at `at` with its children (events a day later, measures two days later when added
    /// after the start).
    fn add_unit(&mut self, ctx: &Ctx<'_>, key: (&str, u64), hazard: usize, at: NaiveDateTime, how: Completion) {
        let mut r = ctx.rng(key.0, key.1);
        let later = at > ctx.t0 + TimeDelta::hours(1);
        let step = if later { TimeDelta::days(1) } else { TimeDelta::hours(1) };
        let created = jitter(&mut r, at);
        let deleted = lifetime(&mut r, created, 6_000.0);
        let unit = self.units.len();
        let seed = r.next_u64();
        let stops = stops(ctx, &mut Rng::new(r.next_u64()), created, deleted);
        self.units.push(UnitPlan { id: ctx.style.format(r.next_u128()), hazard, created, deleted, stops, seed });
        if how == Completion::NoEvents {
            return;
        }
        let k = ctx.knobs;
        for _ in 0..r.range(k.events_per_unit.0.max(1), k.events_per_unit.1) {
            let created = jitter(&mut r, at + step);
            let deleted = lifetime(&mut r, created, 8_000.0);
            let event = self.events.len();
            let (id, seed) = (ctx.style.format(r.next_u128()), r.next_u64());
            self.events.push(EventPlan { id, unit, created, deleted, seed });
            for _ in 0..r.range(k.measures_per_event.0.max(1), k.measures_per_event.1) {
                let created = jitter(&mut r, at + step * 2);
                let deleted = lifetime(&mut r, created, 8_000.0);
                let inspection = r.chance(0.65);
                let classify = r.below(17) as usize;
                let tasked = inspection && how == Completion::Full;
                let (id, seed) = (ctx.style.format(r.next_u128()), r.next_u64());
                self.measures.push(MeasurePlan {
                    id,
                    event,
                    unit,
                    inspection,
                    classify,
                    created,
                    deleted,
                    tasked,
                    seed,
                });
            }
        }
    }

    /// In about 30 % of the enterprises, a unit stops within the first three weeks (so short worlds have stops).
    fn early_stop(&mut self, ctx: &Ctx<'_>) {
        let mut r = ctx.rng("early-stop", 0);
        if !r.chance(0.3) || self.units.is_empty() {
            return;
        }
        let i = r.below(self.units.len() as u64) as usize;
        let start = ctx.t0 + TimeDelta::seconds(r.range_i64(86_400, 20 * 86_400));
        let unit = &mut self.units[i];
        if unit.stops.first().is_some_and(|s| s.start < start + TimeDelta::days(12)) || start <= unit.created {
            return;
        }
        let end = r.chance(0.8).then(|| start + TimeDelta::seconds(r.range_i64(86_400, 10 * 86_400)));
        if end.is_none() {
            unit.stops.clear();
        }
        unit.stops.insert(0, Stop { start, end, seed: r.next_u64() });
    }
}

/// How far an added unit's analysis goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completion {
    Full,
    NoEvents,
    NoTasks,
}

/// The stops of a unit: about one every two years, 1–10 days long, one in five open-ended (the last one). They
/// are planned at least 60 days past the start whatever the world's end, so that the early stop of
/// [`Plan::early_stop`] sees the same first stop in every world of a seed.
fn stops(ctx: &Ctx<'_>, r: &mut Rng, created: NaiveDateTime, deleted: Option<NaiveDateTime>) -> Vec<Stop> {
    let horizon = ctx.end.max(ctx.t0 + TimeDelta::days(60));
    let mut out = Vec::new();
    let mut t = created;
    loop {
        t += TimeDelta::seconds(r.exp(730.0 * 86_400.0) as i64 + 86_400);
        if t > horizon || deleted.is_some_and(|d| t >= d) {
            return out;
        }
        let end = r.chance(0.8).then(|| t + TimeDelta::seconds(r.range_i64(86_400, 10 * 86_400)));
        out.push(Stop { start: t, end, seed: r.next_u64() });
        match end {
            Some(e) => t = e,
            None => return out,
        }
    }
}
