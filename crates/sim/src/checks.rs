//! Check records, kept compact (40 bytes a version) because a province-year has twenty million of them, and turned
//! into [`Record`]s only when asked for.

use crate::ids::IdStyle;
use crate::plan::Plan;
use crate::profile::Ctx;
use crate::rng::Rng;
use crate::schedule::{Window, for_each_window};
use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use domain::CompanyCode;
use domain::enums::{CheckStatus, CycleUnit};
use domain::records::{Body, CheckRecord, Common, Record};
use domain::time::{local_to_utc, utc_to_local};

/// One version of a check record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CheckRow {
    /// The id, high and low halves.
    pub(crate) id: [u64; 2],
    /// `updateDate` (= when it becomes visible), seconds after the start of history.
    pub(crate) update: u32,
    /// `updateDate` − `createDate`, seconds.
    pub(crate) create_back: u32,
    /// `createDate` − `checkTime`, seconds.
    pub(crate) check_back: u32,
    /// The task, an index into [`CheckMeta::task_ids`].
    pub(crate) task: u32,
    pub(crate) status: u8,
    pub(crate) deleted: bool,
    /// `mobileMe`, an index into [`CheckMeta::devices`].
    pub(crate) device: u8,
    /// `isDefend`: 0 absent, 1 "0", 2 "1".
    pub(crate) defend: u8,
    /// `createBy`/`updateBy`, an index into [`CheckMeta::staff`].
    pub(crate) by: u8,
}

impl CheckRow {
    /// The id as one number (the order of the id texts of one enterprise).
    pub(crate) fn id128(&self) -> u128 {
        (u128::from(self.id[0]) << 64) | u128::from(self.id[1])
    }

    /// The paging key: (`updateDate` seconds after the start, id).
    pub(crate) fn key(&self) -> (u32, u128) {
        (self.update, self.id128())
    }
}

/// What turns rows into records.
pub(crate) struct CheckMeta {
    pub(crate) company: CompanyCode,
    pub(crate) style: IdStyle,
    /// The start of history, UTC: rows count their seconds from it.
    pub(crate) t0: NaiveDateTime,
    pub(crate) task_ids: Vec<String>,
    pub(crate) staff: Vec<String>,
    pub(crate) devices: Vec<String>,
}

impl CheckMeta {
    /// The UTC time `secs` after the start of history.
    pub(crate) fn at(&self, secs: u32) -> NaiveDateTime {
        self.t0 + TimeDelta::seconds(i64::from(secs))
    }

    /// The record of a row.
    pub(crate) fn record(&self, row: &CheckRow) -> Record {
        let update = self.at(row.update);
        let create = update - TimeDelta::seconds(i64::from(row.create_back));
        let check = create - TimeDelta::seconds(i64::from(row.check_back));
        let by = self.staff.get(usize::from(row.by)).cloned().unwrap_or_default();
        Record {
            common: Common {
                id: self.style.format(row.id128()),
                company_code: self.company.clone(),
                deleted: row.deleted,
                create_date: create,
                create_by: by.clone(),
                update_date: update,
                update_by: by,
                credit_code: None,
                extra: None,
            },
            body: Body::CheckRecord(CheckRecord {
                check_task_id: self.task_ids.get(row.task as usize).cloned().unwrap_or_default(),
                check_time: check,
                check_status: CheckStatus::from_code(i64::from(row.status)).unwrap_or(CheckStatus::Normal),
                mobile_me: self.devices.get(usize::from(row.device)).cloned(),
                is_defend: match row.defend {
                    1 => Some(false),
                    2 => Some(true),
                    _ => None,
                },
            }),
        }
    }
}

/// Seconds between two times, as stored in a row (0 when negative).
fn secs(later: NaiveDateTime, earlier: NaiveDateTime) -> u32 {
    u32::try_from((later - earlier).num_seconds()).unwrap_or(0)
}

/// When the check of an instance clipped to [a, b) is made: within the hour for a quick task, anywhere in the first
/// four fifths of an hourly window, else in the day shift (8:00–18:00 local) of one of the first days of the window
/// (the first day for daily tasks, the first 3 for weekly, the first 10 for monthly and yearly ones), or anywhere in
/// the first 10 hours when no day shift fits.
fn check_time(
    rng: &mut Rng,
    quick: bool,
    unit: CycleUnit,
    w: Window,
    a: NaiveDateTime,
    b: NaiveDateTime,
) -> NaiveDateTime {
    let uniform =
        |rng: &mut Rng, cap: i64| a + TimeDelta::seconds(rng.range_i64(0, cap.min((b - a).num_seconds()).max(1) - 1));
    let days = match unit {
        _ if quick => return uniform(rng, 3_600),
        CycleUnit::Hour => return uniform(rng, ((w.end - w.start).num_seconds() * 4 / 5).max(60)),
        CycleUnit::Day => 1,
        CycleUnit::Week => 3,
        CycleUnit::Month | CycleUnit::Year => 10,
    };
    let day = utc_to_local(a).date() + TimeDelta::days(rng.range_i64(0, days - 1));
    let shift = local_to_utc(day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)));
    let t = shift + TimeDelta::seconds(rng.range_i64(0, 10 * 3_600 - 1));
    if a <= t && t < b { t } else { uniform(rng, 10 * 3_600) }
}

/// Generates the check records of every task of an enterprise, unsorted. `found` is the probability that a check
/// finds a hazard (status 1; each such check registers a danger).
pub(crate) fn generate(ctx: &Ctx<'_>, plan: &Plan, found: f64) -> Vec<CheckRow> {
    let mut out = Vec::new();
    for (ti, task) in plan.tasks.iter().enumerate() {
        let m = &plan.measures[task.measure];
        let unit = &plan.units[m.unit];
        let life_start = ctx.t0.max(task.created);
        let life_end =
            [task.deleted, m.deleted, plan.events[m.event].deleted, unit.deleted].into_iter().flatten().min();
        let to = life_end.map_or(ctx.end, |d| d.min(ctx.end));
        if life_start >= to {
            continue;
        }
        let mut rows = |w: Window| {
            if unit.stops.iter().any(|s| s.start <= w.start && s.end.is_none_or(|e| w.start < e)) {
                return;
            }
            let a = w.start.max(life_start);
            let b = life_end.map_or(w.end, |d| d.min(w.end));
            if a >= b {
                return;
            }
            let mut rng = Rng::stream(task.seed, w.k);
            let p = if task.quick { 1.0 } else { (task.p + ctx.week_swing(a)).clamp(0.02, 0.998) };
            if !rng.chance(p) {
                return;
            }
            let check = check_time(&mut rng, task.quick, task.spec.unit, w, a, b);
            if ctx.down(check) {
                return;
            }
            let u = rng.unit();
            let status = match u {
                _ if task.quick => 0,
                u if u < found => 1,
                u if u < found + 0.03 => 2,
                u if u < found + 0.04 => 3,
                _ => 0,
            };
            // Most records arrive within minutes; 3 % are synchronised hours or days later.
            let delay = if rng.chance(0.97) { rng.range_i64(60, 1_200) } else { rng.range_i64(3_600, 48 * 3_600) };
            // Every draw is made whether or not the row is visible yet, so that a longer world extends this one.
            let row = |rng: &mut Rng, check: NaiveDateTime, delay: i64, status: u8| -> Option<CheckRow> {
                let create = check + TimeDelta::seconds(delay);
                let row = CheckRow {
                    id: [rng.next_u64(), rng.next_u64()],
                    update: secs(create, ctx.t0),
                    create_back: 0,
                    check_back: secs(create, check),
                    task: ti as u32,
                    status,
                    deleted: false,
                    device: rng.below(ctx.devices.len() as u64) as u8,
                    defend: rng.weighted(&[0.5, 0.4, 0.1]) as u8,
                    by: rng.below(ctx.staff.len() as u64) as u8,
                };
                (create <= ctx.end).then_some(row)
            };
            out.extend(row(&mut rng, check, delay, status));
            // 1 % of the checks are entered twice; half of the doubles are deleted within hours.
            if rng.chance(0.01) {
                let again = check + TimeDelta::seconds(rng.range_i64(300, 3_600));
                let delete_after = rng.range_i64(3_600, 3 * 3_600);
                let delete = rng.chance(0.5);
                let double = row(&mut rng, again, delay, 0);
                if again < b
                    && let Some(double) = double
                {
                    out.push(double);
                    let gone = ctx.t0 + TimeDelta::seconds(i64::from(double.update) + delete_after);
                    if delete && gone <= ctx.end {
                        let back = secs(gone, ctx.t0) - double.update;
                        out.push(CheckRow { update: double.update + back, create_back: back, deleted: true, ..double });
                    }
                }
            }
        };
        for_each_window(&task.spec, life_start, to, ctx.calendar, &mut rows);
    }
    out
}
