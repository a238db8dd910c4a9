//! The figures of one enterprise for a period (`metrics.md` §1–4), from its snapshot.

use crate::chain::Chain;
use crate::dangers::{self, DangerStatus, Rectification};
use crate::figure::Figure;
use crate::instances::{Instance, Span, StopWindow, TaskSpec, for_each};
use chrono::NaiveDateTime;
use domain::CompanyCode;
use domain::calendar::WorkCalendar;
use domain::connection::Connection;
use domain::enums::{DataSrc, RiskClass};
use domain::snapshot::{EnterpriseSnapshot, TaskRow};
use std::collections::HashMap;

/// The bounds of a computation: the period [t0, t1) and the knowledge moment `as_of` (all UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start of the period.
    pub t0: NaiveDateTime,
    /// End of the period.
    pub t1: NaiveDateTime,
    /// What was known at this moment.
    pub as_of: NaiveDateTime,
}

impl Window {
    /// The status moment T = min(t1, asOf), also the end of what is due.
    pub fn t(&self) -> NaiveDateTime {
        self.t1.min(self.as_of)
    }
}

/// Every figure of one enterprise for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseFigures {
    /// The enterprise.
    pub company: CompanyCode,
    /// 安全风险分析完成率 at t1: analysed units / active units.
    pub risk_analysis: Figure,
    /// 排查任务完成率: done / due instances.
    pub task_completion: Figure,
    /// The same over 包保 tasks.
    pub baobao_completion: Figure,
    /// 隐患整改率 and its variants.
    pub rectification: Rectification,
    /// Overdue and open dangers at T.
    pub dangers: DangerStatus,
    /// Units active at T per risk class 1–4 (重大, 较大, 一般, 低).
    pub units_by_class: [u64; 4],
    /// Units active at T, with or without a risk class.
    pub active_units: u64,
    /// Whether any check task (with its chain) was active at some moment of [t0, t1): without one nothing could
    /// ever be due (the `no_tasks` veto, `metrics.md` §6).
    pub tasks_in_period: bool,
    /// Check records (not deleted, any status) with `checkTime` in [t0, t1).
    pub checks_in_period: u64,
    /// Dangers (not deleted) registered in the 4 weeks before t1: [t1 − 28 days, t1).
    pub dangers_last_4_weeks: u64,
    /// Check records and dangers of the period entered late (`metrics.md` §9).
    pub lateness: crate::quality::Lateness,
    /// When the last accepted record was received, at or before T.
    pub last_data: Option<NaiveDateTime>,
    /// Connection status at T.
    pub connection: Connection,
}

/// Computes the figures of one enterprise.
pub fn compute(s: &EnterpriseSnapshot, w: Window, cal: &WorkCalendar) -> EnterpriseFigures {
    let chain = Chain::new(s);
    let t = w.t();
    let (task_completion, baobao_completion) = completion(s, &chain, w, cal);
    let mut units_by_class = [0; 4];
    let mut active_units = 0;
    for u in s.units.iter().filter(|u| chain.unit_active(u, t)) {
        active_units += 1;
        if let Some(c) = u.risk_class {
            let i = RiskClass::ALL.iter().position(|x| *x == c).unwrap_or(0);
            units_by_class[i] += 1;
        }
    }
    let last_per_table: Vec<NaiveDateTime> = s.last_received_by(t).into_iter().map(|(_, at)| at).collect();
    EnterpriseFigures {
        company: s.company.clone(),
        risk_analysis: risk_analysis(s, &chain, w.t1),
        task_completion,
        baobao_completion,
        rectification: dangers::rectification(&s.dangers, w.t0, w.t1, t),
        dangers: dangers::status(&s.dangers, t),
        units_by_class,
        active_units,
        tasks_in_period: chain.any_task_active_in(s, w.t0, w.t1),
        checks_in_period: {
            let (t0, t1) = (w.t0.and_utc().timestamp(), w.t1.and_utc().timestamp());
            s.checks.iter().filter(|c| i64::from(c.at) >= t0 && i64::from(c.at) < t1).count() as u64
        },
        dangers_last_4_weeks: s
            .dangers
            .iter()
            .filter(|d| d.regist_time >= w.t1 - chrono::TimeDelta::days(28) && d.regist_time < w.t1)
            .count() as u64,
        lateness: crate::quality::lateness(s, w.t0, w.t1),
        last_data: last_per_table.iter().max().copied(),
        connection: Connection::from_last_data(&last_per_table, t),
    }
}

/// 安全风险分析完成率 at `t1` (§1).
fn risk_analysis(s: &EnterpriseSnapshot, chain: &Chain<'_>, t1: NaiveDateTime) -> Figure {
    analysed_units(s, chain, t1).into_iter().fold(Figure::default(), |f, (_, ok)| f + Figure::new(u64::from(ok), 1))
}

/// Every unit active at `t1` with whether it is analysed: at least one active event, each with at least one active
/// measure, each 隐患排查 measure with at least one active task.
pub fn analysed_units<'s>(s: &'s EnterpriseSnapshot, chain: &Chain<'_>, t1: NaiveDateTime) -> Vec<(&'s str, bool)> {
    let mut events_of: HashMap<&str, Vec<_>> = HashMap::new();
    for e in s.events.iter().filter(|e| chain.event_active(e, t1)) {
        events_of.entry(e.unit_id.as_str()).or_default().push(e);
    }
    let mut measures_of: HashMap<&str, Vec<_>> = HashMap::new();
    for m in s.measures.iter().filter(|m| chain.measure_active(m, t1)) {
        measures_of.entry(m.event_id.as_str()).or_default().push(m);
    }
    let mut tasks_of: HashMap<&str, usize> = HashMap::new();
    for task in s.tasks.iter().filter(|task| chain.task_active(task, t1)) {
        *tasks_of.entry(task.measure_id.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for u in s.units.iter().filter(|u| chain.unit_active(u, t1)) {
        let events = events_of.get(u.id.as_str()).map_or(&[][..], Vec::as_slice);
        let analysed = !events.is_empty()
            && events.iter().all(|e| {
                let measures = measures_of.get(e.id.as_str()).map_or(&[][..], Vec::as_slice);
                !measures.is_empty()
                    && measures.iter().all(|m| {
                        m.data_src != DataSrc::Inspection || tasks_of.get(m.id.as_str()).is_some_and(|n| *n > 0)
                    })
            });
        out.push((u.id.as_str(), analysed));
    }
    out
}

/// 排查任务完成率 and its 包保 variant (§2): (all, 包保).
fn completion(s: &EnterpriseSnapshot, chain: &Chain<'_>, w: Window, cal: &WorkCalendar) -> (Figure, Figure) {
    let (mut all, mut baobao) = (Figure::default(), Figure::default());
    visit_instances(s, chain, w, cal, |task, _, done| {
        let fig = Figure::new(u64::from(done), 1);
        all += fig;
        if task.work_type.is_baobao() {
            baobao += fig;
        }
    });
    (all, baobao)
}

/// Calls `f` with every due instance of every task in the window (`metrics.md` §2) and whether it is done: an active
/// check record of its task with `checkTime` in [start, end) and `checkStatus` ≠ 2.
pub fn visit_instances(
    s: &EnterpriseSnapshot,
    chain: &Chain<'_>,
    w: Window,
    cal: &WorkCalendar,
    mut f: impl FnMut(&TaskRow, Instance, bool),
) {
    let mut stops: HashMap<&str, Vec<StopWindow>> = HashMap::new();
    for st in &s.stops {
        stops.entry(st.unit_id.as_str()).or_default().push((st.start, st.end));
    }
    for (i, task) in s.tasks.iter().enumerate() {
        // Deleted by the window's start, or not started by its end: no instance is due in it (its life end is at or
        // before its own deletion), so the chain is not looked up (most tasks of a history of several years).
        if task.life.deleted.is_some_and(|d| d <= w.t0) || task.start >= w.t() {
            continue;
        }
        // The task's checks known at the snapshot's moment, found by binary search on (task, time).
        let times = s.checks.of_task(i as u32);
        let spec = TaskSpec {
            start: task.start,
            cycle: task.cycle,
            unit: task.unit,
            work_hours: task.work_hours,
            work_day_type: task.work_day_type,
            life_end: chain.life_end(task),
        };
        let unit_stops = chain.unit_of(task).and_then(|u| stops.get(u.id.as_str())).map_or(&[][..], Vec::as_slice);
        for_each(&spec, unit_stops, cal, Span::Due(w.t0, w.t()), |inst| {
            // Done when a check other than 未排查 falls in [start, end).
            let (start, end) = (inst.start.and_utc().timestamp(), inst.end.and_utc().timestamp());
            f(task, inst, times.any_done(start, end));
        });
    }
}
