//! Open warnings: what the task force must act on now, each with its enterprise, city, since when and the records
//! behind it. Computed from what is known now; a warning is open while its condition holds.

use crate::figures::Known;
use chrono::{NaiveDateTime, TimeDelta};
use domain::enums::DangerLevel;
use domain::{Enterprise, ExchangeTable, Period};
use metrics::dangers::{effective_deadline, rectified_before};
use std::collections::BTreeMap;
use storage::intake::Held;
use storage::pull_state::PullStatus;

/// Thresholds of the warnings (settings `[warnings]`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Task completion over the last 7 days below this share opens a warning.
    pub completion: f64,
    /// A share of rejected records over the last 24 hours above this opens a warning…
    pub reject_share: f64,
    /// …when at least this many were rejected.
    pub reject_min: i64,
    /// Failed pull attempts in a row that open a warning.
    pub pull_failures: i32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { completion: 0.6, reject_share: 0.2, reject_min: 10, pull_failures: 2 }
    }
}

/// How urgent a warning is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 红色: an overdue 重大 danger.
    Red,
    /// 橙色.
    Orange,
    /// 黄色.
    Yellow,
}

impl Level {
    /// `red`, `orange` or `yellow`.
    pub fn key(self) -> &'static str {
        match self {
            Level::Red => "red",
            Level::Orange => "orange",
            Level::Yellow => "yellow",
        }
    }
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 重大 danger past its deadline and not rectified (one warning per danger).
    OverdueMajorDanger,
    /// General dangers past their deadline (one warning per enterprise).
    OverdueDangers,
    /// No check record received for 24 hours.
    NoRecords24h,
    /// No data received in any table for 7 days, or never.
    NoData7d,
    /// Task completion over the last 7 days below the threshold.
    LowCompletion,
    /// Pulls failing repeatedly.
    FailingConnection,
    /// Many rejected records in the last 24 hours.
    RejectSpike,
    /// More than 20 % of the last 7 days' check records (at least 20) entered more than 24 h after their
    /// `checkTime` (`metrics.md` §9, 防止“两张皮”).
    LateEntry,
    /// A record held for a missing parent for more than [`HELD_AGE`] (`data-exchange.md` §6): the enterprise's
    /// figures miss it until the parent arrives or the enterprise discards it.
    HeldRecords,
}

impl Kind {
    /// The stable key.
    pub fn key(self) -> &'static str {
        match self {
            Kind::OverdueMajorDanger => "overdue_major_danger",
            Kind::OverdueDangers => "overdue_dangers",
            Kind::NoRecords24h => "no_records_24h",
            Kind::NoData7d => "no_data_7d",
            Kind::LowCompletion => "low_completion",
            Kind::FailingConnection => "failing_connection",
            Kind::RejectSpike => "reject_spike",
            Kind::LateEntry => "late_entry",
            Kind::HeldRecords => "held_records",
        }
    }
}

/// An open warning.
#[derive(Debug, Clone)]
pub struct Warning {
    /// What it is about.
    pub kind: Kind,
    /// How urgent.
    pub level: Level,
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Since when the condition holds (UTC), when known.
    pub since: Option<NaiveDateTime>,
    /// What is wrong, in Chinese.
    pub detail: String,
    /// The records behind it (danger ids, task ids), when any.
    pub records: Vec<String>,
}

impl Warning {
    /// The stable id of the warning's cause (`docs/integration.md`): `{companyCode}.{kind}`, and for an overdue
    /// 重大 danger `{companyCode}.overdue_major_danger.{dangerId}` (one warning per danger). The same cause keeps its
    /// id while it holds, across passes and restarts; record ids are UUIDs, so an id is URL-safe.
    pub fn id(&self) -> String {
        match (self.kind, self.records.first()) {
            (Kind::OverdueMajorDanger, Some(danger)) => {
                format!("{}.{}.{danger}", self.enterprise.code, self.kind.key())
            }
            _ => format!("{}.{}", self.enterprise.code, self.kind.key()),
        }
    }
}

/// How far back rejected records count towards `reject_spike`.
pub const REJECT_WINDOW: TimeDelta = TimeDelta::hours(24);

/// How long a record may be held for a missing parent before the `held_records` warning opens (more than this).
pub const HELD_AGE: TimeDelta = TimeDelta::days(3);

/// What warnings read beside the snapshots: every enterprise's pull status, its records received and rejected in
/// the [`REJECT_WINDOW`] before the moment, and its records held longer than [`HELD_AGE`].
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The pull status of every enterprise pulled.
    pub pulls: Vec<PullStatus>,
    /// (company, received, rejected) over the window.
    pub rejects: Vec<(String, i64, i64)>,
    /// Per enterprise, the records held now that were received more than [`HELD_AGE`] before the moment.
    pub held: BTreeMap<String, Held>,
}

impl Inputs {
    /// Loads the inputs at a moment (three queries).
    pub fn load(conn: &mut storage::DbConnection, at: NaiveDateTime) -> Result<Inputs, storage::StorageError> {
        Ok(Inputs {
            pulls: storage::pull_state::all(conn)?,
            rejects: storage::batches::reject_totals(conn, at - REJECT_WINDOW)?,
            held: storage::held::received_before(conn, at - HELD_AGE)?,
        })
    }
}

/// The window the warnings' figures are computed on at `now`: the local days from 7 days before to today.
pub fn window(now: NaiveDateTime) -> Period {
    Period::Range { from: domain::time::local_date(now - TimeDelta::days(7)), to: domain::time::local_date(now) }
}

/// The start of [`window`]: what the knowledge given to [`open`] must hold the checks from.
pub fn since(now: NaiveDateTime) -> NaiveDateTime {
    window(now).bounds_utc().0
}

/// Every open warning at `known.as_of`, most urgent first.
pub fn open(known: &Known, inputs: &Inputs, th: Thresholds) -> Vec<Warning> {
    let (pulls, rejects) = (&inputs.pulls, &inputs.rejects);
    let now = known.as_of;
    let week = window(now);
    let lines = known.lines(week);
    let mut out = Vec::new();
    for line in &lines {
        let e = &line.enterprise;
        let snap = known.snapshot(e.code.as_str());
        let warn = |kind, level, since, detail: String, records| Warning {
            kind,
            level,
            enterprise: e.clone(),
            since,
            detail,
            records,
        };
        let mut general = Vec::new();
        let mut general_since: Option<NaiveDateTime> = None;
        for d in snap.map_or(&[][..], |s| s.dangers.as_slice()) {
            let Some(deadline) = effective_deadline(d) else { continue };
            if d.regist_time >= now || deadline >= now || rectified_before(d, now) {
                continue;
            }
            if d.level == DangerLevel::Major {
                out.push(warn(
                    Kind::OverdueMajorDanger,
                    Level::Red,
                    Some(deadline),
                    format!("重大隐患超期未整改（期限 {}）", domain::time::format_local(deadline)),
                    vec![d.id.clone()],
                ));
            } else {
                general.push(d.id.clone());
                general_since = Some(general_since.map_or(deadline, |s| s.min(deadline)));
            }
        }
        if !general.is_empty() {
            out.push(warn(
                Kind::OverdueDangers,
                Level::Orange,
                general_since,
                format!("{} 项一般隐患超期未整改", general.len()),
                general,
            ));
        }
        let received = snap.map_or_else(Vec::new, |s| s.last_received_by(now));
        let last_any = received.iter().map(|(_, t)| *t).max();
        match last_any {
            Some(t) if now - t <= TimeDelta::days(7) => {}
            Some(t) => out.push(warn(
                Kind::NoData7d,
                Level::Orange,
                Some(t + TimeDelta::days(7)),
                "7 天未收到任何数据".into(),
                vec![],
            )),
            None => out.push(warn(Kind::NoData7d, Level::Orange, None, "从未收到数据".into(), vec![])),
        }
        let last_checks = received.iter().find(|(t, _)| *t == ExchangeTable::CheckRecord).map(|(_, at)| *at);
        if let Some(t) = last_checks.filter(|t| now - *t > TimeDelta::hours(24)) {
            out.push(warn(
                Kind::NoRecords24h,
                Level::Yellow,
                Some(t + TimeDelta::hours(24)),
                "24 小时未收到排查记录".into(),
                vec![],
            ));
        }
        if line.figures.task_completion.rate().is_some_and(|r| r < th.completion) {
            let detail = format!(
                "近 7 天排查任务完成率 {}，低于 {:.0}%",
                line.figures.task_completion.percent(),
                th.completion * 100.0
            );
            out.push(warn(Kind::LowCompletion, Level::Yellow, None, detail, vec![]));
        }
        let late = line.figures.lateness.checks;
        if metrics::quality::late_entry(late) {
            let detail = format!(
                "近 7 天 {} 条排查记录中 {} 条在检查时间 24 小时后才报送（{}），超过 20%",
                late.den,
                late.num,
                late.percent()
            );
            out.push(warn(Kind::LateEntry, Level::Yellow, None, detail, vec![]));
        }
        if let Some(p) =
            pulls.iter().find(|p| p.company_code == e.code.as_str() && p.consecutive_failures >= th.pull_failures)
        {
            let detail =
                format!("数据拉取连续失败 {} 次：{}", p.consecutive_failures, p.last_error.clone().unwrap_or_default());
            out.push(warn(
                Kind::FailingConnection,
                Level::Orange,
                p.last_success_at.or(Some(p.last_attempt_at)),
                detail,
                vec![],
            ));
        }
        if let Some((_, received, rejected)) = rejects.iter().find(|(c, ..)| c == e.code.as_str())
            && *rejected >= th.reject_min
            && (*rejected as f64) > th.reject_share * (*received as f64)
        {
            let detail = format!("近 24 小时收到 {received} 条，拒绝 {rejected} 条");
            out.push(warn(Kind::RejectSpike, Level::Yellow, None, detail, vec![]));
        }
        if let Some(h) = inputs.held.get(e.code.as_str()) {
            let detail = format!(
                "{} 条记录因上级记录未到已暂存超过 3 天（最早于 {} 收到），可补报上级记录或丢弃",
                h.records,
                domain::time::format_local(h.oldest)
            );
            out.push(warn(Kind::HeldRecords, Level::Yellow, Some(h.oldest + HELD_AGE), detail, vec![]));
        }
    }
    out.sort_by(|a, b| {
        a.level.cmp(&b.level).then(a.since.cmp(&b.since)).then(a.enterprise.code.cmp(&b.enterprise.code))
    });
    out
}
