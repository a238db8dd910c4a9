//! Check tasks: the routine ones on inspection measures, the 包保 ones of each hazard source's three responsible
//! persons, and the late-sent one-off tasks of an enterprise that sends children before parents.

use crate::names;
use crate::plan::{Plan, jitter, lifetime};
use crate::profile::Ctx;
use crate::rng::Rng;
use crate::spec::{Spec, at, cycle, routine};
use chrono::{NaiveDateTime, TimeDelta};
use domain::enums::{CycleUnit, WorkDayType, WorkType};
use domain::time::{local_date, local_to_utc};

/// A planned task.
pub(crate) struct TaskPlan {
    pub(crate) id: String,
    pub(crate) measure: usize,
    pub(crate) spec: Spec,
    pub(crate) created: NaiveDateTime,
    /// When the first version is sent (later than `created` for a late-sent task).
    pub(crate) first_update: NaiveDateTime,
    /// When the content was revised (a second version), if ever.
    pub(crate) edited: Option<NaiveDateTime>,
    pub(crate) deleted: Option<NaiveDateTime>,
    /// The probability that an instance gets its check (before the weekly swing).
    pub(crate) p: f64,
    pub(crate) seed: u64,
    /// A one-off task checked within the hour of its start, always (the late-sent tasks).
    pub(crate) quick: bool,
    pub(crate) content: String,
}

/// Plans every task of an enterprise.
pub(crate) fn plan_tasks(ctx: &Ctx<'_>, plan: &mut Plan) {
    let initial_until = ctx.t0 + TimeDelta::days(1);
    for (mi, m) in plan.measures.iter().enumerate().filter(|(_, m)| m.tasked) {
        let mut r = ctx.rng("task", mi as u64);
        let initial = m.created < initial_until;
        for _ in 0..if r.chance(0.1) { 2 } else { 1 } {
            let created = if initial {
                jitter(&mut r, ctx.t0 + TimeDelta::hours(4))
            } else {
                jitter(&mut r, m.created + TimeDelta::days(1))
            };
            let back = if initial { r.range_i64(0, 30) } else { 0 };
            let spec = routine(&mut r, ctx, created, back);
            let factor = if spec.unit == CycleUnit::Hour { 0.95 } else { 1.0 } * r.uniform(0.92, 1.04);
            let content = names::MEASURES[m.classify].1.to_owned();
            plan.tasks.push(task(ctx, &mut r, mi, spec, created, ctx.profile.completion * factor, content));
        }
    }
    baobao(ctx, plan);
    // In 40 % of the enterprises one initial task is deleted within the first weeks.
    let mut r = ctx.rng("early-delete", 0);
    if r.chance(0.4) && !plan.tasks.is_empty() {
        let initial: Vec<usize> = (0..plan.tasks.len()).filter(|i| plan.tasks[*i].created < initial_until).collect();
        if let Some(&i) = initial.get(r.below(initial.len() as u64) as usize) {
            let t = ctx.t0 + TimeDelta::seconds(r.range_i64(2 * 86_400, 25 * 86_400));
            let task = &mut plan.tasks[i];
            task.deleted = Some(task.deleted.map_or(t, |d| d.min(t)));
            task.edited = task.edited.filter(|e| *e < t - TimeDelta::hours(1));
        }
    }
}

/// A task with its life drawn from its stream.
fn task(
    ctx: &Ctx<'_>,
    r: &mut Rng,
    measure: usize,
    spec: Spec,
    created: NaiveDateTime,
    p: f64,
    content: String,
) -> TaskPlan {
    let deleted = lifetime(r, created, 2_500.0);
    let edited = r
        .chance(0.05)
        .then(|| created + TimeDelta::seconds(r.range_i64(2 * 86_400, 60 * 86_400)))
        .filter(|e| deleted.is_none_or(|d| *e < d - TimeDelta::hours(1)));
    let id = ctx.style.format(r.next_u128());
    TaskPlan {
        id,
        measure,
        spec,
        created,
        first_update: created,
        edited,
        deleted,
        p: p.clamp(0.02, 0.995),
        seed: r.next_u64(),
        quick: false,
        content,
    }
}

/// The 包保 tasks of each hazard source: the principal quarterly, the technical monthly, the operational weekly,
/// each with 1–4 numbered items.
fn baobao(ctx: &Ctx<'_>, plan: &mut Plan) {
    let roles = [
        (WorkType::Principal, 300, CycleUnit::Month, (1, 2), 0.85),
        (WorkType::Technical, 100, CycleUnit::Month, (1, 3), 0.92),
        (WorkType::Operational, 100, CycleUnit::Week, (2, 4), 0.97),
    ];
    for h in 0..plan.hazards.len() {
        let mut r = ctx.rng("baobao", h as u64);
        let of_hazard: Vec<usize> = (0..plan.measures.len())
            .filter(|&m| {
                plan.units[plan.measures[m].unit].hazard == h && plan.measures[m].created < ctx.t0 + TimeDelta::days(1)
            })
            .collect();
        let inspected: Vec<usize> = of_hazard.iter().copied().filter(|&m| plan.measures[m].inspection).collect();
        let pool = if inspected.is_empty() { &of_hazard } else { &inspected };
        if pool.is_empty() {
            continue;
        }
        for (role, hundredths, unit, count, factor) in roles {
            let max = role.max_task_num().unwrap_or(9);
            let mut nums: Vec<u8> = (1..=max).collect();
            for n in 0..r.range(count.0, count.1) as usize {
                let pick = n + r.below((nums.len() - n) as u64) as usize;
                nums.swap(n, pick);
                let measure = *r.pick(pool);
                let created = jitter(&mut r, ctx.t0 + TimeDelta::hours(4));
                let base = local_date(created) - TimeDelta::days(1 + r.range_i64(0, 20));
                let spec = Spec {
                    cycle: cycle(hundredths),
                    unit,
                    start_local: at(base, 9, 0, 0),
                    work: None,
                    day_type: WorkDayType::EveryDay,
                    work_type: role,
                    task_num: Some(nums[n]),
                };
                let content = format!(
                    "{}包保履职检查（第{}项）：{}",
                    role.label(),
                    nums[n],
                    names::MEASURES[plan.measures[measure].classify].1
                );
                plan.tasks.push(task(ctx, &mut r, measure, spec, created, ctx.profile.completion * factor, content));
            }
        }
    }
}

/// For an enterprise that sends children before parents: every day at 08:00 a one-off 专项排查 task (a yearly cycle)
/// is created and checked within the hour, but the task itself is sent three days later.
pub(crate) fn late_tasks(ctx: &Ctx<'_>, plan: &mut Plan) {
    let pool: Vec<usize> = (0..plan.measures.len())
        .filter(|&m| plan.measures[m].inspection && plan.measures[m].created < ctx.t0 + TimeDelta::days(1))
        .collect();
    if pool.is_empty() {
        return;
    }
    for day in 0.. {
        let date = ctx.start + TimeDelta::days(day);
        let created = local_to_utc(at(date, 8, 0, 0));
        if created > ctx.end {
            break;
        }
        let mut r = ctx.rng("late-task", day as u64);
        let measure = *r.pick(&pool);
        let spec = Spec {
            cycle: cycle(100),
            unit: CycleUnit::Year,
            start_local: at(date, 8, 0, 0),
            work: None,
            day_type: WorkDayType::EveryDay,
            work_type: WorkType::Routine,
            task_num: None,
        };
        let content = format!("专项排查：{}", names::MEASURES[plan.measures[measure].classify].1);
        let mut t = task(ctx, &mut r, measure, spec, created, 1.0, content);
        t.first_update = created + TimeDelta::days(3) + TimeDelta::hours(1);
        t.deleted = None;
        t.edited = None;
        t.quick = true;
        t.p = 1.0;
        plan.tasks.push(t);
    }
}

/// About how many checks a task gets in 30 days (for sizing the share of checks that find a danger).
pub(crate) fn monthly_checks(t: &TaskPlan) -> f64 {
    let c = f64::from(t.spec.cycle.hundredths) / 100.0;
    let days = match t.spec.day_type {
        WorkDayType::EveryDay => 1.0,
        WorkDayType::WorkingDays => 0.69,
        WorkDayType::NonWorkingDays => 0.31,
    };
    let per_month = match t.spec.unit {
        CycleUnit::Hour => {
            let hours = match t.spec.work {
                Some((a, b)) if b > a => (b - a).num_seconds() as f64 / 3600.0,
                Some((a, b)) => 24.0 - (a - b).num_seconds() as f64 / 3600.0,
                None => 24.0,
            };
            30.0 * (hours / c).ceil()
        }
        CycleUnit::Day => 30.0 / c,
        CycleUnit::Week => 30.0 / 7.0 / c,
        CycleUnit::Month => 1.0 / c,
        CycleUnit::Year => 1.0 / 12.0 / c,
    };
    per_month * days * t.p
}
