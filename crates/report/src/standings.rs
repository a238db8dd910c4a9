//! Standings of a period: each enterprise's score and grade (a week's evaluation, or the mean of the weekly scores of
//! the ISO weeks ending within a longer period), and the rankings with rank change (`metrics.md` §7).

use crate::figures::Known;
use domain::Period;
use metrics::evaluation::{Evaluation, Grade, excellent_good_rate};
use metrics::figure::Figure;
use metrics::ranking::{self, CityStanding, EnterpriseStanding, Ranked};
use std::collections::{BTreeMap, HashMap};

/// The ISO weeks whose standing counts for a period: the week itself, or for a longer period the weeks ending within
/// it that have ended at `asOf` (a week still to come has nothing due and would score full marks).
pub fn counted_weeks(known: &Known, period: Period) -> Vec<Period> {
    match period {
        Period::Week { .. } => vec![period],
        _ => period.weeks_ending_within().into_iter().filter(|w| w.bounds_utc().1 <= known.as_of).collect(),
    }
}

/// For a period longer than a week in which no week has ended at `as_of`: the end (naive UTC) of its first week,
/// when its standings will first exist; `None` when a week has ended (or the period is a week, or none ends in it).
/// This is the "本期尚无完整评估周" case of `docs/metrics.md` (the first days of a month or report month).
pub fn no_complete_week_until(period: Period, as_of: chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime> {
    if matches!(period, Period::Week { .. }) {
        return None;
    }
    let first = period.weeks_ending_within().first()?.bounds_utc().1;
    (first > as_of).then_some(first)
}

/// One enterprise's evaluation of one week as published: stored when the week is stored, else computed live and
/// provisional (`metrics.md` §6).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekEvaluation {
    /// The ISO week.
    pub week: Period,
    /// Score, grade, components and vetoes.
    pub evaluation: Evaluation,
    /// Overdue 重大 dangers at the end of the week.
    pub overdue_major: u64,
    /// 排查任务完成率 of the week.
    pub task: Figure,
    /// The stored revision it was read from; `None` when computed live (provisional).
    pub revision: Option<i32>,
}

/// The published evaluations of one ISO week for every enterprise in scope, by company code: the stored revision
/// published at `asOf` when there is one (enterprises registered after it was stored are not in it), else live.
pub fn week_evaluations(known: &Known, week: Period) -> BTreeMap<String, WeekEvaluation> {
    if let Some(stored) = known.published(week) {
        let revision = Some(stored.meta.revision);
        return known
            .registry
            .iter()
            .filter_map(|e| stored.rows.get(e.code.as_str()))
            .map(|r| {
                let p = &r.parsed;
                let e = WeekEvaluation {
                    week,
                    evaluation: p.evaluation.clone(),
                    overdue_major: p.overdue_major(),
                    task: p.task_completion,
                    revision,
                };
                (p.company_code.clone(), e)
            })
            .collect();
    }
    known
        .evaluations(week)
        .into_iter()
        .map(|(l, e)| {
            let w = WeekEvaluation {
                week,
                evaluation: e,
                overdue_major: l.figures.dangers.overdue_major,
                task: l.figures.task_completion,
                revision: None,
            };
            (l.enterprise.code.to_string(), w)
        })
        .collect()
}

/// The published weekly evaluations of every enterprise in scope over the weeks that count for a period, by
/// company code, oldest week first.
pub fn weekly(known: &Known, period: Period) -> BTreeMap<String, Vec<WeekEvaluation>> {
    let mut out: BTreeMap<String, Vec<WeekEvaluation>> = BTreeMap::new();
    for week in counted_weeks(known, period) {
        for (code, e) in week_evaluations(known, week) {
            out.entry(code).or_default().push(e);
        }
    }
    out
}

/// The weeks that count for a period and are not stored at `asOf`: their scores are provisional.
pub fn provisional_weeks(known: &Known, period: Period) -> Vec<Period> {
    counted_weeks(known, period).into_iter().filter(|w| known.published(*w).is_none()).collect()
}

/// The standings from the published weekly evaluations that count for a period (see [`weekly`]); enterprises
/// without an evaluated week are left out. Everything comes from the weeks, so that a stored week's ranking never
/// moves (`metrics.md` §7): the score is the mean of the weekly scores, the tie-breaks are the overdue 重大 dangers at
/// the end of the last week and the task completion summed over the weeks.
pub fn from_weekly(weekly: &BTreeMap<String, Vec<WeekEvaluation>>) -> Vec<EnterpriseStanding> {
    weekly
        .iter()
        .filter_map(|(code, weeks)| {
            let scores: Vec<f64> = weeks.iter().map(|e| e.evaluation.score).collect();
            let score = ranking::mean_score(&scores)?;
            let task = weeks.iter().fold(Figure::default(), |f, e| f + e.task);
            Some(EnterpriseStanding {
                company: code.clone(),
                score,
                grade: Grade::of(score),
                overdue_major: weeks.last().map_or(0, |e| e.overdue_major),
                task_rate: task.rate(),
            })
        })
        .collect()
}

/// The standing of every enterprise in scope for a period (enterprises with no week ending in the period are left
/// out: they have no score). A longer period counts only the weeks that have ended at `asOf`.
pub fn enterprises(known: &Known, period: Period) -> Vec<EnterpriseStanding> {
    from_weekly(&weekly(known, period))
}

/// The city standings from enterprise standings.
pub fn cities(known: &Known, standings: &[EnterpriseStanding]) -> Vec<CityStanding> {
    let city_of: HashMap<&str, &str> = known.registry.iter().map(|e| (e.code.as_str(), e.city.code())).collect();
    let mut by_city: BTreeMap<&str, Vec<&EnterpriseStanding>> = BTreeMap::new();
    for s in standings {
        if let Some(city) = city_of.get(s.company.as_str()) {
            by_city.entry(city).or_default().push(s);
        }
    }
    by_city
        .into_iter()
        .map(|(city, rows)| {
            let grades: Vec<Grade> = rows.iter().map(|r| r.grade).collect();
            let mean = ranking::mean_score(&rows.iter().map(|r| r.score).collect::<Vec<_>>());
            CityStanding { city: city.to_owned(), excellent_good: excellent_good_rate(&grades), mean_score: mean }
        })
        .collect()
}

/// The standings of the previous period as published: empty (so every rank change is null) unless every week that
/// counts for it is stored, because a ranking with a provisional week was never published (`metrics.md` §7).
pub fn published_previous(known: &Known, period: Period) -> Vec<EnterpriseStanding> {
    let previous = period.previous();
    if provisional_weeks(known, previous).is_empty() { enterprises(known, previous) } else { Vec::new() }
}

/// Enterprises ranked for a period, with rank change against the previous period's published ranking.
pub fn rank_enterprises(known: &Known, period: Period) -> Vec<Ranked<EnterpriseStanding>> {
    let mut now = enterprises(known, period);
    let mut prev = published_previous(known, period);
    ranking::order_enterprises(&mut now);
    ranking::order_enterprises(&mut prev);
    let prev: HashMap<String, usize> = prev.iter().enumerate().map(|(i, s)| (s.company.clone(), i + 1)).collect();
    ranking::ranked(now, |s| &s.company, &prev)
}

/// Cities ranked for a period, with rank change against the previous period's published ranking.
pub fn rank_cities(known: &Known, period: Period) -> Vec<Ranked<CityStanding>> {
    rank_cities_from(known, &enterprises(known, period), &published_previous(known, period))
}

/// Cities ranked from the enterprise standings of a period and of the previous one.
pub fn rank_cities_from(
    known: &Known,
    now: &[EnterpriseStanding],
    prev: &[EnterpriseStanding],
) -> Vec<Ranked<CityStanding>> {
    let mut now = cities(known, now);
    let mut prev = cities(known, prev);
    ranking::order_cities(&mut now);
    ranking::order_cities(&mut prev);
    let prev: HashMap<String, usize> = prev.iter().enumerate().map(|(i, s)| (s.city.clone(), i + 1)).collect();
    ranking::ranked(now, |s| &s.city, &prev)
}
