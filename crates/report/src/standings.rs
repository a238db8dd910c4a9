//! Standings of a period: each enterprise's score and grade (a week's evaluation, or the mean of the weekly scores of
//! the ISO weeks ending within a longer period), and the rankings with rank change (`metrics.md` §7).

use crate::figures::{Known, Line};
use domain::Period;
use metrics::evaluation::{Evaluation, Grade, excellent_good_rate};
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

/// The weekly evaluations of every enterprise in scope over the weeks that count for a period, by company code.
pub fn weekly(known: &Known, period: Period) -> BTreeMap<String, Vec<Evaluation>> {
    let mut out: BTreeMap<String, Vec<Evaluation>> = BTreeMap::new();
    for week in counted_weeks(known, period) {
        for (line, e) in known.evaluations(week) {
            out.entry(line.enterprise.code.to_string()).or_default().push(e);
        }
    }
    out
}

/// The standings from a period's lines and the weekly evaluations that count for it (see [`weekly`]); enterprises
/// without an evaluated week are left out.
pub fn from_weekly(lines: &[Line], weekly: &BTreeMap<String, Vec<Evaluation>>) -> Vec<EnterpriseStanding> {
    lines
        .iter()
        .filter_map(|l| {
            let code = l.enterprise.code.to_string();
            let scores: Vec<f64> = weekly.get(&code)?.iter().map(|e| e.score).collect();
            let score = ranking::mean_score(&scores)?;
            Some(EnterpriseStanding {
                company: code,
                score,
                grade: Grade::of(score),
                overdue_major: l.figures.dangers.overdue_major,
                task_rate: l.figures.task_completion.rate(),
            })
        })
        .collect()
}

/// The standing of every enterprise in scope for a period (enterprises with no week ending in the period are left
/// out: they have no score). A longer period counts only the weeks that have ended at `asOf`.
pub fn enterprises(known: &Known, period: Period) -> Vec<EnterpriseStanding> {
    from_weekly(&known.lines(period), &weekly(known, period))
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

/// Enterprises ranked for a period, with rank change against the previous period.
pub fn rank_enterprises(known: &Known, period: Period) -> Vec<Ranked<EnterpriseStanding>> {
    let mut now = enterprises(known, period);
    let mut prev = enterprises(known, period.previous());
    ranking::order_enterprises(&mut now);
    ranking::order_enterprises(&mut prev);
    let prev: HashMap<String, usize> = prev.iter().enumerate().map(|(i, s)| (s.company.clone(), i + 1)).collect();
    ranking::ranked(now, |s| &s.company, &prev)
}

/// Cities ranked for a period, with rank change against the previous period.
pub fn rank_cities(known: &Known, period: Period) -> Vec<Ranked<CityStanding>> {
    rank_cities_from(known, &enterprises(known, period), &enterprises(known, period.previous()))
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
