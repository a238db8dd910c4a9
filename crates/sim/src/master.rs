//! The versions of the master data (hazard sources, units, events, measures, tasks) and of unit stops.

use crate::names;
use crate::plan::Plan;
use crate::profile::Ctx;
use crate::rng::Rng;
use chrono::{NaiveDateTime, TimeDelta};
use domain::enums::{Classify2, DataSrc, HazardLevel, RiskClass};
use domain::records::{Body, CheckTask, Common, ControlMeasure, HazardSource, Record, RiskEvent, RiskUnit, UnitStop};
use serde_json::json;

/// One version: when it is sent, whether it deletes the record, and its content.
type Version = (NaiveDateTime, bool, Body);

/// The visible versions of one record (sent at or before the world's end), sharing id, `createDate` and author.
fn emit(ctx: &Ctx<'_>, out: &mut Vec<Record>, id: &str, created: NaiveDateTime, by: &str, versions: Vec<Version>) {
    for (update, deleted, body) in versions.into_iter().filter(|v| v.0 <= ctx.end) {
        out.push(Record {
            common: Common {
                id: id.to_owned(),
                company_code: ctx.company.clone(),
                deleted,
                create_date: created,
                create_by: by.to_owned(),
                update_date: update,
                update_by: by.to_owned(),
                credit_code: None,
                extra: None,
            },
            body,
        });
    }
}

/// The first version, an optional change, and the deletion (the last content again, deleted).
fn life(
    first: (NaiveDateTime, Body),
    change: Option<(NaiveDateTime, Body)>,
    deleted: Option<NaiveDateTime>,
) -> Vec<Version> {
    let mut v = vec![(first.0, false, first.1)];
    if let Some((t, body)) = change.filter(|(t, _)| *t > first.0 && deleted.is_none_or(|d| *t < d)) {
        v.push((t, false, body));
    }
    if let Some(d) = deleted {
        let last = v.last().map(|x| x.2.clone());
        if let Some(body) = last {
            v.push((d.max(v[v.len() - 1].0 + TimeDelta::minutes(1)), true, body));
        }
    }
    v
}

/// A person as the JSON object the contract sends: `{name, phone, post}`.
fn person(rng: &mut Rng, post: &str) -> String {
    json!({"name": names::person(rng), "phone": names::phone(rng), "post": post}).to_string()
}

/// Some days after `t`.
fn days_after(rng: &mut Rng, t: NaiveDateTime, lo: i64, hi: i64) -> NaiveDateTime {
    t + TimeDelta::seconds(rng.range_i64(lo * 86_400, hi * 86_400))
}

/// The versions of every master record and unit stop of an enterprise, by table.
pub(crate) fn records(ctx: &Ctx<'_>, plan: &Plan, out: &mut [Vec<Record>; 8]) {
    let [hazards, units, events, measures, tasks, _, _, stops] = out;
    for h in &plan.hazards {
        let mut r = Rng::new(h.seed);
        let id = ctx.style.format(r.next_u128());
        let level = HazardLevel::ALL[r.weighted(&[0.1, 0.25, 0.35, 0.3])];
        let posts: Vec<&str> = names::POSTS.iter().map(|p| *r.pick(p)).collect();
        let mut body = HazardSource {
            hazard_code: h.code.clone(),
            hazard_name: h.name.to_owned(),
            hazard_level: level,
            responsible_person: Some(person(&mut r, posts[0])),
            technical_person: Some(person(&mut r, posts[1])),
            operation_person: Some(person(&mut r, posts[2])),
        };
        let first = (h.created, Body::HazardSource(body.clone()));
        // 15 % change their responsible person within two months.
        let change = r.chance(0.15).then(|| {
            body.responsible_person = Some(person(&mut r, posts[0]));
            (days_after(&mut r, h.created, 2, 60), Body::HazardSource(body))
        });
        emit(ctx, hazards, &id, h.created, &ctx.someone(&mut r), life(first, change, None));
    }
    for u in &plan.units {
        let mut r = Rng::new(u.seed);
        let hazard = &plan.hazards[u.hazard];
        let mut body = RiskUnit {
            hazard_code: hazard.code.clone(),
            hazard_dep: (*r.pick(&names::DEPARTMENTS)).to_owned(),
            hazard_liable_person: ctx.someone(&mut r),
            risk_unit_name: format!("{}{}", hazard.name, r.pick(&names::EQUIPMENT)),
            risk_class: Some(RiskClass::ALL[r.weighted(&[0.05, 0.2, 0.4, 0.35])]),
        };
        let first = (u.created, Body::RiskUnit(body.clone()));
        // 5 % are re-assessed to another class.
        let change = r.chance(0.05).then(|| {
            body.risk_class = Some(*r.pick(RiskClass::ALL));
            (days_after(&mut r, u.created, 3, 90), Body::RiskUnit(body))
        });
        emit(ctx, units, &u.id, u.created, &ctx.someone(&mut r), life(first, change, u.deleted));
        for s in &u.stops {
            let mut r = Rng::new(s.seed);
            let id = ctx.style.format(r.next_u128());
            let mut body = UnitStop {
                risk_unit_id: u.id.clone(),
                stop_start_time: s.start,
                stop_end_time: None,
                stop_reason: (*r.pick(&names::STOP_REASONS)).to_owned(),
            };
            let sent = |r: &mut Rng, t: NaiveDateTime| t + TimeDelta::seconds(r.range_i64(60, 4 * 3_600));
            let mut v = Vec::new();
            let open_first = r.chance(0.5);
            if s.end.is_none() || open_first {
                v.push((sent(&mut r, s.start), false, Body::UnitStop(body.clone())));
            }
            if let Some(e) = s.end {
                body.stop_end_time = Some(e);
                v.push((sent(&mut r, e), false, Body::UnitStop(body)));
            }
            let created = v.first().map_or(s.start, |x| x.0);
            emit(ctx, stops, &id, created, &ctx.someone(&mut r), v);
        }
    }
    for e in &plan.events {
        let mut r = Rng::new(e.seed);
        let (name, desc) = *r.pick(&names::EVENTS);
        let body = RiskEvent {
            risk_unit_id: plan.units[e.unit].id.clone(),
            risk_event_name: name.to_owned(),
            risk_description: r.chance(0.8).then(|| desc.to_owned()),
        };
        emit(
            ctx,
            events,
            &e.id,
            e.created,
            &ctx.someone(&mut r),
            life((e.created, Body::RiskEvent(body)), None, e.deleted),
        );
    }
    for m in &plan.measures {
        let mut r = Rng::new(m.seed);
        let (code, _) = Classify2::all()[m.classify];
        let Ok(classify2) = Classify2::parse(code) else { continue };
        let (desc, check) = names::MEASURES[m.classify];
        let body = ControlMeasure {
            risk_event_id: plan.events[m.event].id.clone(),
            data_src: if m.inspection { DataSrc::Inspection } else { DataSrc::Monitoring },
            risk_measure_desc: desc.to_owned(),
            classify1: classify2.major(),
            classify2,
            classify3: r.chance(0.4).then(|| (*r.pick(&names::EQUIPMENT)).to_owned()),
            troubleshoot_content: check.to_owned(),
        };
        emit(
            ctx,
            measures,
            &m.id,
            m.created,
            &ctx.someone(&mut r),
            life((m.created, Body::ControlMeasure(body)), None, m.deleted),
        );
    }
    for t in &plan.tasks {
        let mut r = Rng::new(t.seed ^ 0x7a5c);
        let mut body = CheckTask {
            risk_measure_id: plan.measures[t.measure].id.clone(),
            troubleshoot_content: t.content.clone(),
            check_cycle: t.spec.cycle,
            check_cycle_unit: t.spec.unit,
            task_start_time: domain::time::local_to_utc(t.spec.start_local),
            work_start_time: t.spec.work.map(|w| w.0),
            work_end_time: t.spec.work.map(|w| w.1),
            work_day_type: t.spec.day_type,
            work_type: t.spec.work_type,
            task_num: t.spec.task_num,
        };
        let first = (t.first_update, Body::CheckTask(body.clone()));
        let change = t.edited.map(|at| {
            body.troubleshoot_content = format!("{}（已修订）", body.troubleshoot_content);
            (at, Body::CheckTask(body))
        });
        emit(ctx, tasks, &t.id, t.created, &ctx.someone(&mut r), life(first, change, t.deleted));
    }
}
