//! Query-window bounds, life end, tasks far from the window, overlapping instances and degenerate cycles.
//! Times are local (Asia/Shanghai).

use super::all;
use super::{cal, due, due_starts, ends, lt, starts, task, with_hours};
use crate::instances::{Span, for_each};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use domain::enums::CycleUnit::{Day, Hour, Month, Week, Year};
use domain::records::Cycle;

#[test]
fn window_bounds() {
    // 1 天 at 09:00 from 1 Nov. Window (3 Nov 09:00, 5 Nov 09:00]: the 2 Nov instance ends exactly at from (out),
    // the 4 Nov one ends exactly at to (in).
    let t = task("2026-11-01 09:00", 100, Day);
    assert_eq!(due_starts(&t, &[], "2026-11-03 09:00", "2026-11-05 09:00"), ["2026-11-03 09:00", "2026-11-04 09:00"]);
    // An empty or reversed window holds nothing.
    assert!(due(&t, &[], "2026-11-05 09:00", "2026-11-05 09:00").is_empty());
    assert!(due(&t, &[], "2026-11-06 00:00", "2026-11-03 00:00").is_empty());
}

#[test]
fn life_end() {
    // 1 天 at 09:00 from 1 Nov, deleted at L = 4 Nov 09:00: the 3 Nov instance ends exactly at L and counts, the 4 Nov
    // one ends 5 Nov 09:00 > L and does not. L = 4 Nov 15:00 (mid-instance) gives the same.
    let mut t = task("2026-11-01 09:00", 100, Day);
    for l in ["2026-11-04 09:00", "2026-11-04 15:00"] {
        t.life_end = Some(lt(l));
        assert_eq!(
            due_starts(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00"),
            ["2026-11-01 09:00", "2026-11-02 09:00", "2026-11-03 09:00"]
        );
    }
    // Deleted before its first instance ends: nothing.
    t.life_end = Some(lt("2026-11-02 08:59"));
    assert!(due(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00").is_empty());
}

#[test]
fn task_starting_after_or_at_the_window() {
    let t = task("2026-12-01 00:00", 100, Day);
    assert!(due(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00").is_empty());
    // Starting inside the window: the first instance is instance 0, ending one step after the start.
    let t = task("2026-11-29 12:00", 100, Day);
    assert_eq!(ends(&due(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00")), ["2026-11-30 12:00"]);
}

#[test]
fn tasks_started_five_years_before() {
    let nov = |t: &_| due(t, &[], "2026-11-01 00:00", "2026-12-01 00:00");
    // 1 天 from 1 Nov 2021 09:00: November 2026 holds the instances ending 1 … 30 Nov 09:00, the first starting 31 Oct.
    let list = nov(&task("2021-11-01 09:00", 100, Day));
    assert_eq!((list.len(), starts(&list)[0].as_str()), (30, "2026-10-31 09:00"));
    // 1 周 from Monday 1 Nov 2021 (1827 = 261 × 7 days before Monday 2 Nov 2026): instances start on Mondays; the one
    // starting 26 Oct ends 2 Nov, the one starting 30 Nov ends 7 Dec (out).
    let s = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"];
    assert_eq!(starts(&nov(&task("2021-11-01 08:00", 100, Week))), s.map(|d| format!("{d} 08:00")));
    // 8 小时 from 1 Nov 2021 00:00 with hours [08:00, 18:00): only the 08:00 and 16:00 starts; 30 days × 2.
    let list = nov(&with_hours(task("2021-11-01 00:00", 800, Hour), "08:00:00", "18:00:00"));
    assert_eq!((list.len(), starts(&list)[0].as_str()), (60, "2026-11-01 08:00"));
    // 1 月 from 31 Jan 2021: the instance starting 31 Oct 2026 ends 30 Nov 2026; nothing else ends in November.
    assert_eq!(starts(&nov(&task("2021-01-31 09:00", 100, Month))), ["2026-10-31 09:00"]);
    // 1 年 from 15 Nov 2021 10:00: the instance starting 15 Nov 2025 ends 15 Nov 2026.
    assert_eq!(starts(&nov(&task("2021-11-15 10:00", 100, Year))), ["2025-11-15 10:00"]);
}

#[test]
fn overlapping_window() {
    // 1 周 from Monday 26 Oct 08:00: the instances overlapping [1 Nov, 1 Dec) start 26 Oct (ends 2 Nov) … 30 Nov.
    let t = task("2026-10-26 08:00", 100, Week);
    let list = all(|f| for_each(&t, &[], &cal(), Span::Overlapping(lt("2026-11-01 00:00"), lt("2026-12-01 00:00")), f));
    let s = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"];
    assert_eq!(starts(&list), s.map(|d| format!("{d} 08:00")));
    // An instance starting exactly at `to` does not overlap; one ending exactly at `from` does not either.
    let list = all(|f| for_each(&t, &[], &cal(), Span::Overlapping(lt("2026-11-02 08:00"), lt("2026-11-09 08:00")), f));
    assert_eq!(starts(&list), ["2026-11-02 08:00"]);
}

#[test]
fn degenerate_cycles() {
    // A zero cycle, or a fractional 月/年 cycle (both rejected on ingest), has no instance.
    let mut t = task("2026-11-01 09:00", 0, Day);
    assert!(due(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00").is_empty());
    t.unit = Month;
    t.cycle = Cycle { hundredths: 150 };
    assert!(due(&t, &[], "2026-01-01 00:00", "2027-12-01 00:00").is_empty());
    // The extremes of the representable range neither panic nor loop: a yearly task over (MIN, MAX] runs until the
    // last representable year.
    let t = task("2026-11-01 09:00", 100, Year);
    let every = all(|f| for_each(&t, &[], &cal(), Span::Due(NaiveDateTime::MIN, NaiveDateTime::MAX), f));
    assert_eq!(every[0].start, lt("2026-11-01 09:00"));
    assert_eq!(every.len(), usize::try_from(NaiveDate::MAX.year() - 2026).unwrap());
}
