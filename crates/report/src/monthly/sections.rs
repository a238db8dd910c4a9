//! The sections of the monthly report, each from the figures and standings of the report month.

use super::content::*;
use crate::figures::{By, Group, Known, Line, group};
use crate::quality::{Intake, IntakeSums};
use crate::standings::WeekEvaluation;
use chrono::NaiveDateTime;
use domain::connection::Connection;
use domain::enums::DangerLevel;
use domain::{City, ConstructionBatch, Enterprise, EnterpriseFlag};
use metrics::dangers::{effective_deadline, rectified_before};
use metrics::evaluation::{Grade, Veto, excellent_good_rate};
use metrics::ranking::{self, CityStanding, EnterpriseStanding, Ranked};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use storage::StorageError;

/// The standings of the enterprises in scope, this report month and the previous one, each ordered (rank 1 first).
#[derive(Debug, Clone)]
pub struct Standings {
    /// This month.
    pub now: Vec<EnterpriseStanding>,
    /// The previous month.
    pub prev: Vec<EnterpriseStanding>,
}

impl Standings {
    /// The standings of the enterprises in scope only, in the same order.
    pub fn scoped(&self, known: &Known, in_scope: &dyn Fn(&Enterprise) -> bool) -> Standings {
        let codes: BTreeSet<&str> = known.registry.iter().filter(|e| in_scope(e)).map(|e| e.code.as_str()).collect();
        let keep = |rows: &[EnterpriseStanding]| -> Vec<EnterpriseStanding> {
            rows.iter().filter(|s| codes.contains(s.company.as_str())).cloned().collect()
        };
        Standings { now: keep(&self.now), prev: keep(&self.prev) }
    }
}

/// A figure line from a group's summed figures.
pub fn figure_line(g: &Group) -> FigureLine {
    let f = &g.figures;
    FigureLine {
        key: g.key.clone(),
        name: g.name.clone(),
        risk_analysis: f.risk_analysis,
        task_completion: f.task_completion,
        baobao_completion: f.baobao_completion,
        rectification: f.rectification.all,
        rectification_on_time: f.rectification.on_time,
        major_rectification: f.rectification.major,
        cumulative_rectification: f.rectification.cumulative,
        overdue_dangers: f.dangers.overdue,
        overdue_major_dangers: f.dangers.overdue_major,
        open_major_dangers: f.dangers.open_major,
    }
}

fn evaluated(weeks: Option<&Vec<WeekEvaluation>>) -> bool {
    weeks.is_some_and(|w| !w.is_empty() && !w.iter().all(|e| e.evaluation.vetoes.contains(&Veto::NoData)))
}

/// 建设进度 per batch: registered, connected at the end, sending in the month, evaluated with data.
pub fn progress(
    lines: &[Line],
    weekly: &BTreeMap<String, Vec<WeekEvaluation>>,
    t0: NaiveDateTime,
) -> Vec<BatchProgress> {
    ConstructionBatch::ALL
        .iter()
        .filter_map(|&batch| {
            let of: Vec<&Line> = lines.iter().filter(|l| l.enterprise.batch == batch).collect();
            if of.is_empty() && batch == ConstructionBatch::Unknown {
                return None;
            }
            let count = |p: &dyn Fn(&&Line) -> bool| of.iter().filter(|l| p(l)).count() as u64;
            Some(BatchProgress {
                batch: batch.key().to_owned(),
                label: batch.label().to_owned(),
                deadline: batch.deadline(),
                registered: of.len() as u64,
                connected: count(&|l| l.figures.connection == Connection::Connected),
                sending: count(&|l| l.figures.last_data.is_some_and(|t| t >= t0)),
                evaluated: count(&|l| evaluated(weekly.get(l.enterprise.code.as_str()))),
            })
        })
        .collect()
}

fn city_name(code: &str) -> String {
    City::from_code(code).map_or_else(|_| code.to_owned(), |c| c.name().to_owned())
}

/// Every city ranked by 优良率 with rank change against the previous report month.
pub fn city_ranking(ranked: Vec<Ranked<CityStanding>>) -> Vec<CityRankLine> {
    ranked
        .into_iter()
        .map(|r| CityRankLine {
            rank: r.rank as u32,
            name: city_name(&r.row.city),
            city: r.row.city,
            excellent_good: r.row.excellent_good,
            mean_score: r.row.mean_score,
            change: r.change,
        })
        .collect()
}

/// The enterprises in scope ranked by score, with rank change within the same scope.
pub fn enterprise_ranking(known: &Known, s: &Standings) -> Vec<EnterpriseRankLine> {
    let by_code: HashMap<&str, &Enterprise> = known.registry.iter().map(|e| (e.code.as_str(), e)).collect();
    let prev: HashMap<String, usize> = s.prev.iter().enumerate().map(|(i, r)| (r.company.clone(), i + 1)).collect();
    ranking::ranked(s.now.clone(), |r| &r.company, &prev)
        .into_iter()
        .map(|r| {
            let e = by_code.get(r.row.company.as_str());
            EnterpriseRankLine {
                rank: r.rank as u32,
                name: e.map(|e| e.name.clone()).unwrap_or_default(),
                city: e.map(|e| e.city.name().to_owned()).unwrap_or_default(),
                company: r.row.company,
                score: r.row.score,
                grade: r.row.grade.label().to_owned(),
                change: r.change,
            }
        })
        .collect()
}

fn grade_line(key: &str, name: &str, grades: &[Grade]) -> GradeLine {
    let n = |g: Grade| grades.iter().filter(|x| **x == g).count() as u64;
    GradeLine {
        key: key.to_owned(),
        name: name.to_owned(),
        excellent: n(Grade::Excellent),
        good: n(Grade::Good),
        fair: n(Grade::Fair),
        poor: n(Grade::Poor),
        excellent_good: excellent_good_rate(grades),
    }
}

/// The grade distribution per city in scope (GB/T order) and in total.
pub fn grades(known: &Known, now: &[EnterpriseStanding], scope: &ReportScope) -> Vec<GradeLine> {
    let city_of: HashMap<&str, City> = known.registry.iter().map(|e| (e.code.as_str(), e.city)).collect();
    let mut out = Vec::new();
    for city in City::ALL {
        if matches!(scope, ReportScope::City(c) if c != city.code()) {
            continue;
        }
        let grades: Vec<Grade> =
            now.iter().filter(|s| city_of.get(s.company.as_str()) == Some(&city)).map(|s| s.grade).collect();
        out.push(grade_line(city.code(), city.name(), &grades));
    }
    if matches!(scope, ReportScope::Province) {
        let all: Vec<Grade> = now.iter().map(|s| s.grade).collect();
        out.push(grade_line("total", "全省合计", &all));
    }
    out
}

/// The 重大 dangers overdue at `t` (the end of the report period, or `asOf` if earlier), by city and enterprise.
pub fn overdue_major(
    known: &Known,
    lines: &[Line],
    t: NaiveDateTime,
    content: &HashMap<(String, String), storage::content::DangerContent>,
) -> Vec<OverdueLine> {
    let mut out = Vec::new();
    for l in lines {
        let Some(snap) = known.snapshot(l.enterprise.code.as_str()) else { continue };
        for d in &snap.dangers {
            let deadline = effective_deadline(d);
            let open_major = d.level == DangerLevel::Major && d.regist_time < t && !rectified_before(d, t);
            if let Some(deadline) = deadline.filter(|dl| open_major && *dl < t) {
                let company = l.enterprise.code.to_string();
                let c = content.get(&(company.clone(), d.id.clone()));
                out.push(OverdueLine {
                    company,
                    name: l.enterprise.name.clone(),
                    city: l.enterprise.city.name().to_owned(),
                    danger: d.id.clone(),
                    deadline,
                    danger_name: c.map(|c| c.name.clone()).unwrap_or_default(),
                    description: c.map(|c| c.description.clone()).unwrap_or_default(),
                    liable_person: c.map(|c| c.liable_person.clone()).unwrap_or_default(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.company, a.deadline, &a.danger).cmp(&(&b.company, b.deadline, &b.danger)));
    out
}

/// Enterprises not connected at the end of the period, or flagged 未接入风险预警系统.
pub fn connections(lines: &[Line]) -> Vec<ConnectionLine> {
    lines
        .iter()
        .filter(|l| l.figures.connection != Connection::Connected || l.enterprise.has(EnterpriseFlag::NotConnected))
        .map(|l| ConnectionLine {
            company: l.enterprise.code.to_string(),
            name: l.enterprise.name.clone(),
            city: l.enterprise.city.name().to_owned(),
            last_data_at: l.figures.last_data,
            connection: l.figures.connection.label().to_owned(),
            remark: l.enterprise.flags.iter().map(|f| f.label()).collect::<Vec<_>>().join("；"),
        })
        .collect()
}

/// Enterprises graded 中 or 差 for the month, or under a veto in any of its weeks; lowest score first.
pub fn follow_up(
    known: &Known,
    now: &[EnterpriseStanding],
    weekly: &BTreeMap<String, Vec<WeekEvaluation>>,
) -> Vec<FollowUpLine> {
    let by_code: HashMap<&str, &Enterprise> = known.registry.iter().map(|e| (e.code.as_str(), e)).collect();
    let mut out: Vec<FollowUpLine> = now
        .iter()
        .filter_map(|s| {
            let vetoes: BTreeSet<Veto> = weekly
                .get(s.company.as_str())
                .into_iter()
                .flatten()
                .flat_map(|e| e.evaluation.vetoes.iter().copied())
                .collect();
            if s.grade.is_excellent_or_good() && vetoes.is_empty() {
                return None;
            }
            let e = by_code.get(s.company.as_str());
            Some(FollowUpLine {
                company: s.company.clone(),
                name: e.map(|e| e.name.clone()).unwrap_or_default(),
                city: e.map(|e| e.city.name().to_owned()).unwrap_or_default(),
                score: s.score,
                grade: s.grade.label().to_owned(),
                vetoes: vetoes.iter().map(|v| v.label().to_owned()).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.score.total_cmp(&b.score).then_with(|| a.company.cmp(&b.company)));
    out
}

/// 数据质量: the scope's total, then one line per group (`metrics.md` §9a).
pub fn data_quality(
    lines: &[Line],
    groups: &[Group],
    by: By,
    total_name: &str,
    intake: &Intake,
) -> Result<Vec<QualityLine>, StorageError> {
    let sums = intake.by_group(lines, by);
    let totals = intake.by_group(lines, By::Province);
    let line = |key: &str, name: &str, figures: &metrics::aggregate::Aggregate, s: Option<&IntakeSums>| {
        let mut codes: Vec<(&String, &u64)> = s.map(|s| s.rejected.iter().collect()).unwrap_or_default();
        codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        QualityLine {
            key: key.to_owned(),
            name: name.to_owned(),
            late_checks: figures.lateness.checks,
            late_dangers: figures.lateness.dangers,
            held: s.map_or(0, |s| s.held),
            rejected: s.map_or(0, IntakeSums::rejected_total),
            rejected_by_code: codes.iter().map(|(c, n)| format!("{c} {n}")).collect::<Vec<_>>().join("；"),
        }
    };
    let province = group(lines, By::Province)?;
    let total = province.first().map(|g| g.figures.clone()).unwrap_or_default();
    let mut out = vec![line("total", total_name, &total, totals.get("province"))];
    out.extend(groups.iter().map(|g| line(&g.key, &g.name, &g.figures, sums.get(&g.key))));
    Ok(out)
}
