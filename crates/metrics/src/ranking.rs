//! Rankings (排序通报, `metrics.md` §7): enterprises by score, cities by 优良率, each row with its rank change.

use crate::evaluation::Grade;
use crate::figure::Figure;
use std::cmp::Ordering;
use std::collections::HashMap;

/// An enterprise's standing in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseStanding {
    /// The enterprise code.
    pub company: String,
    /// The score: the week's E, or the mean of the weekly scores of the ISO weeks ending within a longer period.
    pub score: f64,
    /// The grade of that score.
    pub grade: Grade,
    /// Overdue 重大 dangers at the end of the period (fewer ranks higher on a tie).
    pub overdue_major: u64,
    /// Task completion rate of the period (higher ranks higher on a tie; none ranks last).
    pub task_rate: Option<f64>,
}

/// A city's standing in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct CityStanding {
    /// The city code.
    pub city: String,
    /// 优良率: enterprises graded 优 or 良 / evaluated.
    pub excellent_good: Figure,
    /// The mean score of its evaluated enterprises.
    pub mean_score: Option<f64>,
}

/// A ranked row: 1-based rank and the change against the previous period (positive = moved up).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<T> {
    /// Rank, 1-based.
    pub rank: usize,
    /// Previous rank − this rank; `None` without a previous rank.
    pub change: Option<i64>,
    /// The row.
    pub row: T,
}

fn desc_f64(a: f64, b: f64) -> Ordering {
    b.partial_cmp(&a).unwrap_or(Ordering::Equal)
}

/// Higher first, `None` last.
fn desc_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => desc_f64(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Orders enterprises: score descending; ties by fewer overdue 重大 dangers, then higher task completion rate (none
/// last), then code ascending.
pub fn order_enterprises(rows: &mut [EnterpriseStanding]) {
    rows.sort_by(|a, b| {
        desc_f64(a.score, b.score)
            .then(a.overdue_major.cmp(&b.overdue_major))
            .then(desc_opt(a.task_rate, b.task_rate))
            .then(a.company.cmp(&b.company))
    });
}

/// Orders cities: 优良率 descending (none last); ties by mean score (none last), then city code.
pub fn order_cities(rows: &mut [CityStanding]) {
    rows.sort_by(|a, b| {
        desc_opt(a.excellent_good.rate(), b.excellent_good.rate())
            .then(desc_opt(a.mean_score, b.mean_score))
            .then(a.city.cmp(&b.city))
    });
}

/// Ranks rows already in order, with the change against the previous period's ranks by key.
pub fn ranked<T>(rows: Vec<T>, key: impl Fn(&T) -> &str, previous: &HashMap<String, usize>) -> Vec<Ranked<T>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let rank = i + 1;
            let change = previous.get(key(&row)).map(|p| *p as i64 - rank as i64);
            Ranked { rank, change, row }
        })
        .collect()
}

/// The mean of weekly scores, rounded half up to one decimal; `None` without any week.
pub fn mean_score(weekly: &[f64]) -> Option<f64> {
    if weekly.is_empty() {
        return None;
    }
    // Weekly scores have one decimal: sum them in tenths, exactly.
    let tenths: i64 = weekly.iter().map(|s| (s * 10.0).round() as i64).sum();
    let n = weekly.len() as i64;
    Some(((2 * tenths + n).div_euclid(2 * n)) as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(company: &str, score: f64, overdue_major: u64, task_rate: Option<f64>) -> EnterpriseStanding {
        EnterpriseStanding { company: company.into(), score, grade: Grade::of(score), overdue_major, task_rate }
    }

    #[test]
    fn enterprise_ties_break_by_overdue_major_then_rate_then_code() {
        let mut rows = vec![
            e("140100005", 80.0, 0, None),
            e("140100004", 80.0, 0, Some(0.5)),
            e("140100003", 80.0, 1, Some(0.9)),
            e("140100002", 92.0, 0, Some(0.1)),
            e("140100001", 80.0, 0, Some(0.5)),
        ];
        order_enterprises(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.company.as_str()).collect();
        assert_eq!(order, ["140100002", "140100001", "140100004", "140100005", "140100003"]);
        let prev: HashMap<String, usize> = [("140100001".to_owned(), 1), ("140100002".to_owned(), 3)].into();
        let r = ranked(rows, |r| &r.company, &prev);
        assert_eq!((r[0].rank, r[0].change), (1, Some(2)));
        assert_eq!((r[1].rank, r[1].change), (2, Some(-1)));
        assert_eq!(r[2].change, None);
    }

    #[test]
    fn cities_by_excellent_good_rate_then_mean_then_code() {
        let c = |city: &str, n, d, mean| CityStanding {
            city: city.into(),
            excellent_good: Figure::new(n, d),
            mean_score: mean,
        };
        let mut rows = vec![
            c("140300", 1, 2, Some(70.0)),
            c("140200", 2, 4, Some(80.0)),
            c("140100", 3, 4, Some(60.0)),
            c("140400", 0, 0, None),
        ];
        order_cities(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.city.as_str()).collect();
        assert_eq!(order, ["140100", "140200", "140300", "140400"]);
    }

    #[test]
    fn mean_scores_round_half_up() {
        assert_eq!(mean_score(&[]), None);
        assert_eq!(mean_score(&[80.0, 81.5]), Some(80.8), "80.75 → 80.8");
        assert_eq!(mean_score(&[90.1, 90.2, 90.2]), Some(90.2), "90.1667 → 90.2");
    }
}
