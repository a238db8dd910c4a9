//! Standings of a period: each enterprise's score and grade (a week's evaluation, or the mean of the weekly scores of
//! the ISO weeks ending within a longer period), and the rankings with rank change (`metrics.md` §7).

use crate::figures::Known;
use domain::Period;
use metrics::evaluation::{Grade, excellent_good_rate};
use metrics::ranking::{self, CityStanding, EnterpriseStanding, Ranked};
use std::collections::{BTreeMap, HashMap};

/// The standing of every enterprise in scope for a period (enterprises with no week ending in the period are left
/// out: they have no score). A longer period counts only the weeks that have ended at `asOf`: a week still to come
/// has nothing due and would score full marks.
pub fn enterprises(known: &Known, period: Period) -> Vec<EnterpriseStanding> {
    let weeks: Vec<Period> = match period {
        Period::Week { .. } => vec![period],
        _ => period.weeks_ending_within().into_iter().filter(|w| w.bounds_utc().1 <= known.as_of).collect(),
    };
    let mut scores: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for week in weeks {
        for (line, e) in known.evaluations(week) {
            scores.entry(line.enterprise.code.to_string()).or_default().push(e.score);
        }
    }
    let lines = known.lines(period);
    lines
        .iter()
        .filter_map(|l| {
            let code = l.enterprise.code.to_string();
            let score = ranking::mean_score(scores.get(&code)?)?;
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
    let mut now = cities(known, &enterprises(known, period));
    let mut prev = cities(known, &enterprises(known, period.previous()));
    ranking::order_cities(&mut now);
    ranking::order_cities(&mut prev);
    let prev: HashMap<String, usize> = prev.iter().enumerate().map(|(i, s)| (s.city.clone(), i + 1)).collect();
    ranking::ranked(now, |s| &s.city, &prev)
}
