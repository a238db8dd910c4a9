//! Dangers (隐患) and their rectification: registered from checks that found a hazard and from other inspections,
//! both levels, both manage types, deadlines as dates or moments, rectified on time, late or never (overdue),
//! some deleted, some sent again.

use crate::checks::{CheckMeta, CheckRow};
use crate::names;
use crate::plan::Plan;
use crate::profile::{Ctx, label};
use crate::rng::{Rng, derive};
use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use domain::enums::{
    DangerLevel, DangerManageType, DangerSrc, DangerState, HazardCategory, HazardDangerType, WorkType,
};
use domain::records::{Body, Common, Danger, Deadline, Record};
use domain::time::{local_date, local_midnight_utc, local_to_utc};

/// Where a danger comes from.
struct Origin {
    regist: NaiveDateTime,
    hazard: usize,
    measure: Option<usize>,
    record: Option<String>,
    role: Option<WorkType>,
}

/// Every version of every danger of an enterprise.
pub(crate) fn generate(ctx: &Ctx<'_>, plan: &Plan, checks: &[CheckRow], meta: &CheckMeta) -> Vec<Record> {
    let mut out = Vec::new();
    for row in checks.iter().filter(|r| r.status == 1 && !r.deleted) {
        let mut rng = Rng::stream(derive(ctx.seed, label("danger-of-check")), row.id[1]);
        let task = &plan.tasks[row.task as usize];
        let record = meta.record(row);
        let Body::CheckRecord(check) = &record.body else { continue };
        let origin = Origin {
            regist: check.check_time + TimeDelta::seconds(rng.range_i64(300, 3_600)),
            hazard: plan.units[plan.measures[task.measure].unit].hazard,
            measure: Some(task.measure),
            record: Some(record.common.id.clone()),
            role: Some(task.spec.work_type),
        };
        out.extend(lifecycle(ctx, plan, &mut rng, origin));
    }
    // Dangers found otherwise (comprehensive, seasonal, expert inspections …): 40 % of the monthly rate.
    let rate = ctx.profile.dangers_per_month * 0.4;
    if rate > 0.0 && !plan.hazards.is_empty() {
        let mut times = ctx.rng("dangers", 0);
        let mut t = ctx.t0;
        for n in 0u64.. {
            t += TimeDelta::seconds(times.exp(30.0 * 86_400.0 / rate) as i64 + 60);
            if t > ctx.end {
                break;
            }
            let mut rng = ctx.rng("danger", n);
            let hazard = rng.below(plan.hazards.len() as u64) as usize;
            let known: Vec<usize> = (0..plan.measures.len()).filter(|&m| plan.measures[m].created < t).collect();
            let measure = if rng.chance(0.5) && !known.is_empty() { Some(*rng.pick(&known)) } else { None };
            out.extend(lifecycle(ctx, plan, &mut rng, Origin { regist: t, hazard, measure, record: None, role: None }));
        }
    }
    out
}

/// The versions of one danger visible by the world's end.
fn lifecycle(ctx: &Ctx<'_>, plan: &Plan, rng: &mut Rng, o: Origin) -> Vec<Record> {
    let (name, reason, fix) = *rng.pick(&names::DANGERS);
    let major = rng.chance(0.1);
    let manage = if major || rng.chance(0.6) { DangerManageType::Deadline } else { DangerManageType::Immediate };
    let day = local_date(o.regist);
    let deadline = match manage {
        DangerManageType::Immediate => rng.chance(0.5).then_some(Deadline::Date(day)),
        DangerManageType::Deadline => {
            let days = if major { rng.range_i64(15, 60) } else { rng.range_i64(3, 30) };
            let d = day + TimeDelta::days(days);
            Some(if rng.chance(0.6) {
                Deadline::Date(d)
            } else {
                Deadline::At(local_to_utc(d.and_time(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN))))
            })
        }
    };
    let due = match deadline {
        Some(Deadline::At(t)) => t,
        Some(Deadline::Date(d)) => local_midnight_utc(d + TimeDelta::days(1)),
        None => local_midnight_utc(day + TimeDelta::days(1)),
    };
    let hazard = &plan.hazards[o.hazard];
    let registrant = ctx.someone(rng);
    let mut d = Danger {
        hazard_code: hazard.code.clone(),
        danger_name: format!("{}{}", hazard.name, name),
        danger_level: if major { DangerLevel::Major } else { DangerLevel::General },
        regist_time: o.regist,
        registrant: registrant.clone(),
        danger_src: match o.record {
            Some(_) if rng.chance(0.85) => DangerSrc::Daily,
            Some(_) => DangerSrc::MeasureFailure,
            None => *rng.pick(&DangerSrc::ALL[1..8]),
        },
        danger_manage_type: manage,
        hazard_danger_type: *rng.pick(HazardDangerType::ALL),
        danger_desc: format!("{}：{}", name, reason),
        liable_person: ctx.someone(rng),
        danger_state: DangerState::Rectifying,
        manage_deadline: deadline,
        hazard_category: match o.role {
            Some(WorkType::Principal) => Some(HazardCategory::Principal),
            Some(WorkType::Technical) => Some(HazardCategory::Technical),
            Some(WorkType::Operational) => Some(HazardCategory::Operational),
            _ if rng.chance(0.5) => Some(HazardCategory::Other),
            _ => None,
        },
        risk_measure_id: o.measure.map(|m| plan.measures[m].id.clone()),
        check_record_id: o.record,
        danger_reason: Some(reason.to_owned()),
        control_measures: Some(fix.to_owned()),
        cost: rng.chance(0.4).then(|| format!("{:.1}", rng.uniform(0.1, 20.0))),
        check_accept_person: None,
        check_accept_time: None,
        check_accept_comment: None,
    };
    // When it is accepted: by the deadline, after it, or never (overdue).
    let on_time = ctx.profile.rectification_on_time + if manage == DangerManageType::Immediate { 0.1 } else { 0.0 };
    let u = rng.unit();
    let accepted = if u < on_time {
        Some(o.regist + TimeDelta::seconds(((due - o.regist).num_seconds() as f64 * rng.uniform(0.2, 0.95)) as i64))
    } else if u < on_time + (1.0 - on_time) * 0.6 {
        Some(due + TimeDelta::seconds(rng.range_i64(3_600, 20 * 86_400)))
    } else {
        None
    };
    let minutes = |rng: &mut Rng, lo: i64, hi: i64| TimeDelta::seconds(rng.range_i64(lo * 60, hi * 60));
    let first = o.regist + minutes(rng, 2, 30);
    let mut versions: Vec<(NaiveDateTime, Danger)> = Vec::new();
    let accept = |d: &mut Danger, rng: &mut Rng, at: NaiveDateTime| {
        d.danger_state = DangerState::Accepted;
        d.check_accept_person = Some(ctx.someone(rng));
        d.check_accept_time = Some(at);
        d.check_accept_comment = Some((*rng.pick(&names::ACCEPT_COMMENTS)).to_owned());
    };
    match accepted {
        // An on-the-spot fix entered once, already accepted.
        Some(a) if manage == DangerManageType::Immediate && rng.chance(0.5) => {
            accept(&mut d, rng, a);
            versions.push((a.max(first) + minutes(rng, 5, 60), d));
        }
        Some(a) => {
            versions.push((first, d.clone()));
            let a = a.max(first + TimeDelta::minutes(2));
            if rng.chance(0.6) {
                let awaiting = first + TimeDelta::seconds((a - first).num_seconds() / 2);
                d.danger_state = DangerState::AwaitingAcceptance;
                versions.push((awaiting.max(first + TimeDelta::minutes(1)), d.clone()));
            }
            accept(&mut d, rng, a);
            versions.push((a + minutes(rng, 5, 120), d));
        }
        None => {
            versions.push((first, d.clone()));
            if rng.chance(0.5) {
                d.danger_state = DangerState::AwaitingAcceptance;
                versions.push((first + TimeDelta::seconds(rng.range_i64(86_400, 10 * 86_400)), d));
            }
        }
    }
    // 3 % are deleted (registered by mistake) a few days after registration; 5 % are sent again unchanged.
    let (delete, resend) = (rng.chance(0.03), rng.chance(0.05));
    let gap = TimeDelta::seconds(rng.range_i64(3_600, 5 * 86_400));
    if delete {
        let at = first + gap;
        versions.retain(|(t, _)| *t < at);
        if let Some((_, last)) = versions.last().cloned() {
            versions.push((at, last));
        }
    } else if resend && let Some((t, last)) = versions.last().cloned() {
        versions.push((t + gap, last));
    }
    let id = ctx.style.format(rng.next_u128());
    let created = versions.first().map_or(first, |v| v.0);
    let count = versions.len();
    let by = registrant;
    versions
        .into_iter()
        .enumerate()
        .filter(|(_, (t, _))| *t <= ctx.end)
        .map(|(i, (t, body))| Record {
            common: Common {
                id: id.clone(),
                company_code: ctx.company.clone(),
                deleted: delete && i + 1 == count,
                create_date: created,
                create_by: by.clone(),
                update_date: t,
                update_by: by.clone(),
                credit_code: None,
                extra: None,
            },
            body: Body::Danger(body),
        })
        .collect()
}
