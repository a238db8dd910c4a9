//! The parent chain of an enterprise's records: which records are active at a moment, and where a task's life ends.

use chrono::{NaiveDateTime, TimeDelta};
use domain::snapshot::{EnterpriseSnapshot, EventRow, Life, MeasureRow, TaskRow, UnitRow};
use std::collections::HashMap;

/// Index of an enterprise's master data by id.
#[derive(Debug)]
pub struct Chain<'a> {
    hazards: HashMap<&'a str, Vec<Life>>,
    units: HashMap<&'a str, &'a UnitRow>,
    events: HashMap<&'a str, &'a EventRow>,
    measures: HashMap<&'a str, &'a MeasureRow>,
}

impl<'a> Chain<'a> {
    /// Indexes a snapshot.
    pub fn new(s: &'a EnterpriseSnapshot) -> Chain<'a> {
        let mut hazards: HashMap<&str, Vec<Life>> = HashMap::new();
        for h in &s.hazards {
            hazards.entry(h.hazard_code.as_str()).or_default().push(h.life);
        }
        Chain {
            hazards,
            units: s.units.iter().map(|u| (u.id.as_str(), u)).collect(),
            events: s.events.iter().map(|e| (e.id.as_str(), e)).collect(),
            measures: s.measures.iter().map(|m| (m.id.as_str(), m)).collect(),
        }
    }

    /// Whether a hazard code names a hazard source active at `t`.
    pub fn hazard_active(&self, code: &str, t: NaiveDateTime) -> bool {
        self.hazards.get(code).is_some_and(|lives| lives.iter().any(|l| l.active_at(t)))
    }

    /// Whether a unit and its chain are active at `t`.
    pub fn unit_active(&self, u: &UnitRow, t: NaiveDateTime) -> bool {
        u.life.active_at(t) && self.hazard_active(&u.hazard_code, t)
    }

    /// Whether an event and its chain are active at `t`.
    pub fn event_active(&self, e: &EventRow, t: NaiveDateTime) -> bool {
        e.life.active_at(t) && self.units.get(e.unit_id.as_str()).is_some_and(|u| self.unit_active(u, t))
    }

    /// Whether a measure and its chain are active at `t`.
    pub fn measure_active(&self, m: &MeasureRow, t: NaiveDateTime) -> bool {
        m.life.active_at(t) && self.events.get(m.event_id.as_str()).is_some_and(|e| self.event_active(e, t))
    }

    /// Whether a task and its chain are active at `t`.
    pub fn task_active(&self, task: &TaskRow, t: NaiveDateTime) -> bool {
        task.life.active_at(t) && self.measures.get(task.measure_id.as_str()).is_some_and(|m| self.measure_active(m, t))
    }

    /// Whether any task of `s`, with its chain, is active at some moment of [t0, t1) (the `no_tasks` veto, §6).
    ///
    /// A life is active on (created, deleted], so the set of moments at which a task and its whole chain are active
    /// is a union of such intervals whose left ends are creation times. When it meets [t0, t1) it holds t0 or the
    /// first representable moment (1 µs, the stored precision) after a creation time inside [t0, t1): those are the
    /// only moments asked, and the first active task ends the search.
    pub fn any_task_active_in(&self, s: &EnterpriseSnapshot, t0: NaiveDateTime, t1: NaiveDateTime) -> bool {
        if s.tasks.is_empty() {
            return false;
        }
        let created = s.hazards.iter().map(|h| h.life.created).chain(s.units.iter().map(|u| u.life.created));
        let created = created
            .chain(s.events.iter().map(|e| e.life.created))
            .chain(s.measures.iter().map(|m| m.life.created))
            .chain(s.tasks.iter().map(|t| t.life.created));
        let after = created.filter(|c| *c >= t0 && *c < t1).map(|c| c + TimeDelta::microseconds(1));
        let mut moments: Vec<NaiveDateTime> = std::iter::once(t0).chain(after.filter(|m| *m < t1)).collect();
        moments.sort_unstable();
        moments.dedup();
        moments.iter().any(|t| s.tasks.iter().any(|task| self.task_active(task, *t)))
    }

    /// The unit a task belongs to (task → measure → event → unit), when the chain is known.
    pub fn unit_of(&self, task: &TaskRow) -> Option<&'a UnitRow> {
        let m = self.measures.get(task.measure_id.as_str())?;
        let e = self.events.get(m.event_id.as_str())?;
        self.units.get(e.unit_id.as_str()).copied()
    }

    /// The end of a task's life: the earliest deletion time of itself and its ancestors (unit, event, measure).
    /// `None` when none is deleted. Ancestors that are unknown do not shorten it.
    pub fn life_end(&self, task: &TaskRow) -> Option<NaiveDateTime> {
        let m = self.measures.get(task.measure_id.as_str());
        let e = m.and_then(|m| self.events.get(m.event_id.as_str()));
        let u = e.and_then(|e| self.units.get(e.unit_id.as_str()));
        [
            task.life.deleted,
            m.and_then(|m| m.life.deleted),
            e.and_then(|e| e.life.deleted),
            u.and_then(|u| u.life.deleted),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
