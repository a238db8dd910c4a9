//! The platform at the calendar's hard moments, each pinned on the server's clock: the 1st, 6th and 19th–21st of a
//! month (00:30, 08:30), a Monday 00:30 and 01:30, 2026-12-31 and 2027-01-02 (ISO week 53), the Spring Festival and
//! National Day holidays with their make-up working days. Every expectation below was worked out by hand from the
//! rules of `docs/metrics.md` (weeks end on Monday 00:00; a longer period's ranking counts the weeks ending within
//! it that have ended; the report month turns on the 20th 00:00; the report of a month is due on its 20th 08:00).

use crate::Server;
use crate::figures::fill;
use api::Role;
use domain::City;
use serde_json::Value;

/// One moment and what the platform must publish then.
struct Edge {
    /// The moment, Asia/Shanghai.
    at: &'static str,
    /// The last ISO week that has ended (the Monday job's week).
    last_week: &'static str,
    /// The calendar month of today, and when its first week ends if none has ended yet.
    month: (&'static str, Option<&'static str>),
    /// The running report month, and when its first week ends if none has ended yet.
    report_month: (&'static str, Option<&'static str>),
    /// The latest month whose report of the 20th is due.
    due: &'static str,
    /// Whether today is a working day by the shipped calendar.
    working: bool,
}

const fn edge(
    at: &'static str,
    last_week: &'static str,
    month: (&'static str, Option<&'static str>),
    report_month: (&'static str, Option<&'static str>),
    due: &'static str,
    working: bool,
) -> Edge {
    Edge { at, last_week, month, report_month, due, working }
}

/// In time order: the server's clock only moves forward.
const EDGES: [Edge; 22] = [
    // Spring Festival 2026: Saturday 02-14 is a make-up working day, 02-15 … 02-23 holidays; the 20th is a holiday.
    edge("2026-02-14T08:30:00+08:00", "2026-W06", ("2026-02", None), ("2026-02R", None), "2026-01", true),
    edge("2026-02-16T00:30:00+08:00", "2026-W07", ("2026-02", None), ("2026-02R", None), "2026-01", false),
    edge(
        "2026-02-20T08:30:00+08:00",
        "2026-W07",
        ("2026-02", None),
        ("2026-03R", Some("2026-02-23T00:00:00+08:00")),
        "2026-02",
        false,
    ),
    // A Sunday the 1st: March's first week (W09, 02-23 … 03-01) ends on Monday 03-02.
    edge(
        "2026-03-01T00:30:00+08:00",
        "2026-W08",
        ("2026-03", Some("2026-03-02T00:00:00+08:00")),
        ("2026-03R", None),
        "2026-02",
        false,
    ),
    // National Day 2026: Sunday 09-20 and Saturday 10-10 are make-up working days, 10-01 … 10-07 holidays.
    edge(
        "2026-09-20T08:30:00+08:00",
        "2026-W37",
        ("2026-09", None),
        ("2026-10R", Some("2026-09-21T00:00:00+08:00")),
        "2026-09",
        true,
    ),
    edge(
        "2026-10-01T00:30:00+08:00",
        "2026-W39",
        ("2026-10", Some("2026-10-05T00:00:00+08:00")),
        ("2026-10R", None),
        "2026-09",
        false,
    ),
    edge("2026-10-10T08:30:00+08:00", "2026-W40", ("2026-10", None), ("2026-10R", None), "2026-09", true),
    // December 2026: its first week (W49, 11-30 … 12-06) ends on Monday 12-07 00:00.
    edge(
        "2026-12-01T00:30:00+08:00",
        "2026-W48",
        ("2026-12", Some("2026-12-07T00:00:00+08:00")),
        ("2026-12R", None),
        "2026-11",
        true,
    ),
    edge(
        "2026-12-01T08:30:00+08:00",
        "2026-W48",
        ("2026-12", Some("2026-12-07T00:00:00+08:00")),
        ("2026-12R", None),
        "2026-11",
        true,
    ),
    edge(
        "2026-12-06T00:30:00+08:00",
        "2026-W48",
        ("2026-12", Some("2026-12-07T00:00:00+08:00")),
        ("2026-12R", None),
        "2026-11",
        false,
    ),
    edge(
        "2026-12-06T08:30:00+08:00",
        "2026-W48",
        ("2026-12", Some("2026-12-07T00:00:00+08:00")),
        ("2026-12R", None),
        "2026-11",
        false,
    ),
    edge("2026-12-07T00:30:00+08:00", "2026-W49", ("2026-12", None), ("2026-12R", None), "2026-11", true),
    edge("2026-12-07T01:30:00+08:00", "2026-W49", ("2026-12", None), ("2026-12R", None), "2026-11", true),
    edge("2026-12-19T00:30:00+08:00", "2026-W50", ("2026-12", None), ("2026-12R", None), "2026-11", false),
    edge("2026-12-19T08:30:00+08:00", "2026-W50", ("2026-12", None), ("2026-12R", None), "2026-11", false),
    // The 20th: the report month turns at 00:00, the report of 2026-12 is due at 08:00.
    edge(
        "2026-12-20T00:30:00+08:00",
        "2026-W50",
        ("2026-12", None),
        ("2027-01R", Some("2026-12-21T00:00:00+08:00")),
        "2026-11",
        false,
    ),
    edge(
        "2026-12-20T08:30:00+08:00",
        "2026-W50",
        ("2026-12", None),
        ("2027-01R", Some("2026-12-21T00:00:00+08:00")),
        "2026-12",
        false,
    ),
    edge("2026-12-21T00:30:00+08:00", "2026-W51", ("2026-12", None), ("2027-01R", None), "2026-12", true),
    edge("2026-12-21T01:30:00+08:00", "2026-W51", ("2026-12", None), ("2027-01R", None), "2026-12", true),
    edge("2026-12-21T08:30:00+08:00", "2026-W51", ("2026-12", None), ("2027-01R", None), "2026-12", true),
    // ISO week 53 of 2026 runs 12-28 … 2027-01-03; January's first week is that one, ending on 2027-01-04.
    edge("2026-12-31T08:30:00+08:00", "2026-W52", ("2026-12", None), ("2027-01R", None), "2026-12", true),
    edge(
        "2027-01-02T08:30:00+08:00",
        "2026-W52",
        ("2027-01", Some("2027-01-04T00:00:00+08:00")),
        ("2027-01R", None),
        "2026-12",
        false,
    ),
];

both_backends!(at "2026-02-14T08:30:00+08:00" => every_calendar_edge_publishes_what_the_rules_say);

async fn every_calendar_edge_publishes_what_the_rules_say(s: Server) {
    fill(&s, 3).await;
    let (mut frozen_weeks, mut frozen_months) = (Vec::new(), Vec::new());
    for e in &EDGES {
        let at = domain::Clock::parse_moment(e.at).unwrap();
        assert!(s.clock.set(at), "the test's clock is pinned");
        let now = s.clock.now_utc();
        let ctx = e.at;
        // Tokens live an hour by the same clock: one issued at the last edge has expired.
        let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
        assert_eq!(api::jobs::last_complete_week(now).label(), e.last_week, "{ctx}: last complete week");
        assert_eq!(s.state.calendar.is_working_day(s.clock.today()), e.working, "{ctx}: working day");
        assert_eq!(report::monthly::freeze::last_due(now).to_date().format("%Y-%m").to_string(), e.due, "{ctx}: due");
        // Rankings of the month and of the report month: standings, or the explicit "no complete week".
        for (label, first_week_ends) in [e.month, e.report_month] {
            let url = format!("/api/v1/rankings?period={label}&of=cities");
            let r: Value = s.get(&url, Some(&taiyuan)).await.json().await.unwrap();
            assert!(r["asOf"].is_string(), "{ctx} {label}: {r}");
            assert!(r["asOf"].as_str().unwrap().starts_with(&e.at[..16]), "{ctx}: the server's clock: {}", r["asOf"]);
            assert_eq!(r["period"]["label"], label, "{ctx}");
            let weeks = r["weeks"].as_array().unwrap();
            match first_week_ends {
                Some(end) => {
                    assert_eq!(r["status"], "no_complete_week", "{ctx} {label}");
                    assert_eq!(r["firstWeekEnds"], end, "{ctx} {label}");
                    assert!(r["notice"].as_str().unwrap().starts_with("本期尚无完整评估周"), "{ctx} {label}");
                    assert_eq!((r["rows"].as_array().unwrap().len(), weeks.len()), (0, 0), "{ctx} {label}");
                }
                None => {
                    assert_eq!(r["status"], "ranked", "{ctx} {label}");
                    assert!(r["firstWeekEnds"].is_null() && r["notice"].is_null(), "{ctx} {label}");
                    assert_eq!(r["rows"].as_array().unwrap().len(), 11, "{ctx} {label}: every city is ranked");
                    assert!(!weeks.is_empty(), "{ctx} {label}");
                    // Every counted week has ended, and the last one ended is among them when it ends in the period.
                    for w in weeks {
                        let w = domain::Period::parse(w.as_str().unwrap()).unwrap();
                        assert!(w.bounds_utc().1 <= now, "{ctx} {label}: {w} has ended");
                    }
                }
            }
        }
        // The Monday job freezes the last complete week once; the report job freezes the due month once.
        let evaluated = api::jobs::weekly_evaluation(&s.state, now).await.unwrap();
        let first_time = !frozen_weeks.contains(&e.last_week);
        assert_eq!(evaluated.is_some(), first_time, "{ctx}: {} frozen once", e.last_week);
        frozen_weeks.push(e.last_week);
        let reports = api::jobs::monthly_report(&s.state, now).await.unwrap();
        let first_time = !frozen_months.contains(&e.due);
        assert_eq!(reports.is_some(), first_time, "{ctx}: the report of {} frozen once", e.due);
        if let Some(ids) = reports {
            assert_eq!(ids.len(), 12, "{ctx}: the province and 11 cities");
            assert!(ids.iter().all(|id| id.starts_with(&format!("{}.", e.due))), "{ctx}: {ids:?}");
        }
        frozen_months.push(e.due);
    }
}
