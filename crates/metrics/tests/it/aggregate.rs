//! Aggregation sums numerators and denominators: a group equals the sum of its enterprises, never an average.

use metrics::aggregate::aggregate;
use metrics::dangers::{DangerStatus, Rectification};
use metrics::enterprise::EnterpriseFigures;
use metrics::figure::Figure;

fn figures(seed: u64) -> EnterpriseFigures {
    // A small deterministic generator (xorshift) for varied counts with num ≤ den.
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |max: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % (max + 1)
    };
    let mut fig = |max: u64| {
        let den = next(max);
        Figure::new(if den == 0 { 0 } else { next(den) }, den)
    };
    let lateness = metrics::quality::Lateness { checks: fig(40), dangers: fig(6) };
    EnterpriseFigures {
        company: domain::CompanyCode::parse("140100001").unwrap(),
        risk_analysis: fig(20),
        task_completion: fig(500),
        baobao_completion: fig(30),
        rectification: Rectification {
            all: fig(10),
            on_time: fig(10),
            major: fig(3),
            major_on_time: fig(3),
            cumulative: fig(40),
        },
        dangers: DangerStatus { overdue: next(5), overdue_major: next(2), open_major: next(3) },
        units_by_class: [next(3), next(5), next(8), next(8)],
        active_units: 0,
        tasks_in_period: false,
        checks_in_period: 0,
        dangers_last_4_weeks: 0,
        lateness,
        last_data: None,
        connection: domain::connection::Connection::None,
    }
}

#[test]
fn groups_are_sums_of_their_enterprises() {
    let all: Vec<EnterpriseFigures> = (1..=60).map(figures).collect();
    let keys = ["140100", "140200", "140300"];
    let rows: Vec<(String, &EnterpriseFigures)> =
        all.iter().enumerate().map(|(i, f)| (keys[i % 3].to_owned(), f)).collect();
    let groups = aggregate(&rows).unwrap();
    assert_eq!(groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), keys);
    for g in &groups {
        let members: Vec<&EnterpriseFigures> = rows.iter().filter(|(k, _)| *k == g.key).map(|(_, f)| *f).collect();
        let sum = |pick: fn(&EnterpriseFigures) -> Figure| members.iter().fold(Figure::default(), |a, f| a + pick(f));
        assert_eq!(g.enterprises, members.len() as u64);
        assert_eq!(g.task_completion, sum(|f| f.task_completion));
        assert_eq!(g.risk_analysis, sum(|f| f.risk_analysis));
        assert_eq!(g.rectification.major_on_time, sum(|f| f.rectification.major_on_time));
        assert_eq!(g.dangers.overdue, members.iter().map(|f| f.dangers.overdue).sum::<u64>());
        assert_eq!(g.units_by_class[2], members.iter().map(|f| f.units_by_class[2]).sum::<u64>());
        assert_eq!(g.lateness.checks, sum(|f| f.lateness.checks));
        assert_eq!(g.lateness.dangers, sum(|f| f.lateness.dangers));
        assert!(g.task_completion.num <= g.task_completion.den);
    }
    // The province is the sum of the cities.
    let province: Vec<(String, &EnterpriseFigures)> = all.iter().map(|f| ("province".to_owned(), f)).collect();
    let p = &aggregate(&province).unwrap()[0];
    assert_eq!(p.task_completion, groups.iter().fold(Figure::default(), |a, g| a + g.task_completion));
    // A group's rate is not the mean of its members' rates (it would be for equal denominators only).
    let empty = aggregate(&[]).unwrap();
    assert!(empty.is_empty());
}
