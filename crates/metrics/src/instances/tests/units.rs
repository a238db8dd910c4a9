//! One hand-computed case per cycle unit and step size. Times are local (Asia/Shanghai) unless a name says UTC;
//! each window (from, to] keeps the instances whose end lies in it.

use super::{due, due_starts, ends, lt, starts, task, utc, with_hours};
use domain::enums::CycleUnit::{Day, Hour, Month, Week, Year};

#[test]
fn four_hours_within_work_hours() {
    // 4 小时 = 4 × 3600 s from 2 Nov 08:00: candidates 08, 12, 16, 20, 00, 04, 08, … each day.
    // Work hours [08:00, 18:00) keep 08, 12, 16. Window (2 Nov 00:00, 4 Nov 00:00]: the 3 Nov 20:00 candidate ends
    // exactly at 4 Nov 00:00 but is outside the work hours; 4 Nov 00:00 ends at 04:00, after the window.
    let t = with_hours(task("2026-11-02 08:00", 400, Hour), "08:00:00", "18:00:00");
    let list = due(&t, &[], "2026-11-02 00:00", "2026-11-04 00:00");
    let expected = ["2026-11-02 08:00", "2026-11-02 12:00", "2026-11-02 16:00"];
    let expected_next = ["2026-11-03 08:00", "2026-11-03 12:00", "2026-11-03 16:00"];
    assert_eq!(starts(&list), [expected, expected_next].concat());
    // Each instance ends 4 h after its start, whether or not the next candidate exists (16:00 ends at 20:00).
    assert_eq!(ends(&list)[..3], ["2026-11-02 12:00", "2026-11-02 16:00", "2026-11-02 20:00"]);
}

#[test]
fn fractional_hours() {
    // 1.5 小时 = 150 × 36 s = 5400 s from 08:00: 08:00, 09:30, 11:00, 12:30, … (16 steps make 24 h, so every day
    // repeats). Work hours [08:00, 12:00) keep 08:00, 09:30, 11:00.
    let t = with_hours(task("2026-11-02 08:00", 150, Hour), "08:00:00", "12:00:00");
    let got = due_starts(&t, &[], "2026-11-02 00:00", "2026-11-04 00:00");
    let day = |d: &str| ["08:00", "09:30", "11:00"].map(|h| format!("2026-11-{d} {h}"));
    assert_eq!(got, [day("02"), day("03")].concat());
    // 0.25 小时 = 25 × 36 s = 900 s: four instances per hour, no work hours given → not filtered.
    let t = task("2026-11-02 08:00", 25, Hour);
    let got = due_starts(&t, &[], "2026-11-02 08:00", "2026-11-02 09:00");
    assert_eq!(got, ["2026-11-02 08:00", "2026-11-02 08:15", "2026-11-02 08:30", "2026-11-02 08:45"]);
}

#[test]
fn days_whole_and_fractional() {
    // 1 天 from 1 Nov 09:00: ends 2, 3, 4 Nov 09:00 ≤ 5 Nov 00:00; the 4 Nov instance ends 5 Nov 09:00.
    let t = task("2026-11-01 09:00", 100, Day);
    assert_eq!(
        due_starts(&t, &[], "2026-11-01 00:00", "2026-11-05 00:00"),
        ["2026-11-01 09:00", "2026-11-02 09:00", "2026-11-03 09:00"]
    );
    // 2 天 = 48 h: starts 1, 3, 5, 7 Nov; ends 3, 5, 7 Nov 09:00 ≤ 8 Nov 00:00.
    let t = task("2026-11-01 09:00", 200, Day);
    assert_eq!(
        due_starts(&t, &[], "2026-11-01 00:00", "2026-11-08 00:00"),
        ["2026-11-01 09:00", "2026-11-03 09:00", "2026-11-05 09:00"]
    );
    // 0.5 天 = 50 × 864 s = 12 h: starts 08:00, 20:00, 08:00; ends 1 Nov 20:00 and 2 Nov 08:00 ≤ 2 Nov 12:00.
    let t = task("2026-11-01 08:00", 50, Day);
    let list = due(&t, &[], "2026-11-01 00:00", "2026-11-02 12:00");
    assert_eq!(starts(&list), ["2026-11-01 08:00", "2026-11-01 20:00"]);
    assert_eq!(ends(&list), ["2026-11-01 20:00", "2026-11-02 08:00"]);
    // 1.5 天 = 36 h from 1 Nov 00:00: ends 2 Nov 12:00, 4 Nov 00:00, 5 Nov 12:00, 7 Nov 00:00 (= to, included).
    let t = task("2026-11-01 00:00", 150, Day);
    assert_eq!(
        due_starts(&t, &[], "2026-11-01 00:00", "2026-11-07 00:00"),
        ["2026-11-01 00:00", "2026-11-02 12:00", "2026-11-04 00:00", "2026-11-05 12:00"]
    );
}

#[test]
fn weeks() {
    // 1 周 = 168 h from Monday 2 Nov 08:00; November (1 Nov, 1 Dec]: ends 9, 16, 23, 30 Nov; the 30 Nov instance
    // ends 7 Dec.
    let t = task("2026-11-02 08:00", 100, Week);
    assert_eq!(
        due_starts(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00"),
        ["2026-11-02 08:00", "2026-11-09 08:00", "2026-11-16 08:00", "2026-11-23 08:00"]
    );
    // 2 周 from Monday 26 Oct: starts 26 Oct, 9 Nov, 23 Nov, 7 Dec; ends in November: 9 Nov and 23 Nov.
    let t = task("2026-10-26 08:00", 200, Week);
    assert_eq!(due_starts(&t, &[], "2026-11-01 00:00", "2026-12-01 00:00"), ["2026-10-26 08:00", "2026-11-09 08:00"]);
}

#[test]
fn one_month_from_31_october() {
    // The contract's example: 31 Oct → 30 Nov, 31 Dec, 31 Jan, 28 Feb, then 31 Mar (from s, not from 28 Feb).
    let t = task("2026-10-31 09:00", 100, Month);
    let list = due(&t, &[], "2026-10-01 00:00", "2027-04-01 00:00");
    let s = ["2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"];
    assert_eq!(starts(&list), s.map(|d| format!("{d} 09:00")));
    // The 28 Feb instance ends 31 Mar 09:00 ≤ 1 Apr; the 31 Mar one would end 30 Apr.
    assert_eq!(ends(&list)[4], "2027-03-31 09:00");
}

#[test]
fn three_months() {
    // 3 月 from 31 Jan 2026: 31 Jan, 30 Apr, 31 Jul, 31 Oct, 31 Jan 2027; 2026 keeps ends 30 Apr, 31 Jul, 31 Oct.
    let t = task("2026-01-31 10:00", 300, Month);
    assert_eq!(
        due_starts(&t, &[], "2026-01-01 00:00", "2027-01-01 00:00"),
        ["2026-01-31 10:00", "2026-04-30 10:00", "2026-07-31 10:00"]
    );
}

#[test]
fn months_across_february() {
    let months = |start: &str| due_starts(&task(start, 100, Month), &[], "2026-12-01 00:00", "2028-06-01 00:00");
    // Leap 2028: from 29 Jan → 29 Feb, 29 Mar; from 30 Jan → 29 Feb, 30 Mar.
    assert_eq!(months("2028-01-29 08:00")[..3], ["2028-01-29 08:00", "2028-02-29 08:00", "2028-03-29 08:00"]);
    assert_eq!(months("2028-01-30 08:00")[..3], ["2028-01-30 08:00", "2028-02-29 08:00", "2028-03-30 08:00"]);
    // Non-leap 2027: from 29 Jan → 28 Feb, then 29 Mar again; from 30 Jan → 28 Feb, 30 Mar.
    assert_eq!(months("2027-01-29 08:00")[..3], ["2027-01-29 08:00", "2027-02-28 08:00", "2027-03-29 08:00"]);
    assert_eq!(months("2027-01-30 08:00")[..3], ["2027-01-30 08:00", "2027-02-28 08:00", "2027-03-30 08:00"]);
    // From 31 Jan 2027: 28 Feb, 31 Mar, 30 Apr, 31 May.
    assert_eq!(
        months("2027-01-31 08:00")[..5],
        ["2027-01-31 08:00", "2027-02-28 08:00", "2027-03-31 08:00", "2027-04-30 08:00", "2027-05-31 08:00"]
    );
}

#[test]
fn months_step_in_local_time() {
    // 31 Oct 00:00 local is 30 Oct 16:00 UTC. A month later is 30 Nov 00:00 local = 29 Nov 16:00 UTC (stepping
    // in UTC would give 30 Nov 16:00 UTC = 1 Dec 00:00 local).
    let t = task("2026-10-31 00:00", 100, Month);
    let list = due(&t, &[], "2026-10-01 00:00", "2027-01-01 00:00");
    assert_eq!(list[0].start, utc("2026-10-30 16:00"));
    assert_eq!(list[0].end, utc("2026-11-29 16:00"));
    assert_eq!(list[1].end, utc("2026-12-30 16:00"));
    assert_eq!(list.len(), 2);
}

#[test]
fn years_from_29_february() {
    // 1 年 from 29 Feb 2028: 28 Feb 2029, 2030, 2031, then 29 Feb 2032 (each counted from s).
    let t = task("2028-02-29 08:00", 100, Year);
    let list = due(&t, &[], "2028-01-01 00:00", "2032-03-01 00:00");
    assert_eq!(ends(&list), ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"].map(|d| format!("{d} 08:00")));
    // 2 年 = 24 months: 29 Feb 2028 → 28 Feb 2030 → 29 Feb 2032 (48 months from s, a leap year again).
    let t = task("2028-02-29 08:00", 200, Year);
    let list = due(&t, &[], "2028-01-01 00:00", "2032-03-01 00:00");
    assert_eq!(ends(&list), ["2030-02-28 08:00", "2032-02-29 08:00"]);
    assert_eq!(list[0].start, lt("2028-02-29 08:00"));
}
