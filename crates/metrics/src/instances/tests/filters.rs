//! Work hours, working-day types and stop windows, hand-computed. Times are local (Asia/Shanghai) unless a name
//! says UTC. 2 November 2026 is a Monday.

use super::{due, due_starts, lt, starts, task, utc, with_hours};
use domain::enums::CycleUnit::{Day, Hour};
use domain::enums::WorkDayType;

#[test]
fn work_hours_across_midnight() {
    // 2 小时 from 2 Nov 20:00: candidates 20, 22, 00, 02, 04, 06, 08, …, 18, 20, 22, 00, …
    // Work hours [22:00, 06:00) keep 22, 00, 02, 04: 22:00 (= ws) is in, 06:00 (= we) is out, 20:00 is out.
    let t = with_hours(task("2026-11-02 20:00", 200, Hour), "22:00:00", "06:00:00");
    let got = due_starts(&t, &[], "2026-11-02 00:00", "2026-11-04 00:00");
    let expected = ["2026-11-02 22:00", "2026-11-03 00:00", "2026-11-03 02:00", "2026-11-03 04:00", "2026-11-03 22:00"];
    assert_eq!(got, expected);
}

#[test]
fn work_hours_only_for_hourly_tasks() {
    // A 1 天 task at 20:00 carrying work hours [08:00, 18:00): the hours are ignored, every day counts.
    let t = with_hours(task("2026-11-02 20:00", 100, Day), "08:00:00", "18:00:00");
    assert_eq!(due_starts(&t, &[], "2026-11-02 00:00", "2026-11-04 21:00"), ["2026-11-02 20:00", "2026-11-03 20:00"]);
    // An empty window (ws = we, rejected on ingest) leaves no instance.
    let t = with_hours(task("2026-11-02 08:00", 100, Hour), "08:00:00", "08:00:00");
    assert!(due(&t, &[], "2026-11-02 00:00", "2026-11-09 00:00").is_empty());
}

#[test]
fn national_day_holiday_and_make_up_day() {
    // 1 天 at 09:00 from Monday 28 Sep 2026; window (28 Sep 00:00, 12 Oct 09:00] holds the 14 instances starting
    // 28 Sep … 11 Oct (the last ends exactly at to). Calendar: 1–7 Oct 国庆 holiday (1 Oct a Thursday), Saturday
    // 10 Oct a make-up working day, Sunday 11 Oct rest.
    let mut t = task("2026-09-28 09:00", 100, Day);
    let days = |t: &_| {
        due_starts(t, &[], "2026-09-28 00:00", "2026-10-12 09:00")
            .iter()
            .map(|s| s[5..10].to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(days(&t).len(), 14);
    t.work_day_type = WorkDayType::WorkingDays;
    assert_eq!(days(&t), ["09-28", "09-29", "09-30", "10-08", "10-09", "10-10"]);
    t.work_day_type = WorkDayType::NonWorkingDays;
    let holidays = ["10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07", "10-11"];
    assert_eq!(days(&t), holidays);
}

#[test]
fn make_up_sunday() {
    // Saturday 19 Sep 2026 rests; Sunday 20 Sep is a make-up working day (国庆). 1 天 at 09:00 from 19 Sep, window
    // (19 Sep 00:00, 22 Sep 00:00]: the instances of 19 and 20 Sep end in it, the 21 Sep one ends 22 Sep 09:00.
    let mut t = task("2026-09-19 09:00", 100, Day);
    t.work_day_type = WorkDayType::WorkingDays;
    assert_eq!(due_starts(&t, &[], "2026-09-19 00:00", "2026-09-22 00:00"), ["2026-09-20 09:00"]);
    t.work_day_type = WorkDayType::NonWorkingDays;
    assert_eq!(due_starts(&t, &[], "2026-09-19 00:00", "2026-09-22 00:00"), ["2026-09-19 09:00"]);
}

#[test]
fn working_day_judged_on_local_date() {
    // 1 天 at 00:00 local from Saturday 31 Oct = 16:00 UTC the day before. Window (1 Nov, 9 Nov]: the instances
    // starting 1 … 8 Nov (the 31 Oct one ends exactly at from). Local dates Monday 2 … Friday 6 Nov are working
    // days; judged on the UTC date (1 … 5 Nov) the result would be Sunday … Thursday instead.
    let mut t = task("2026-10-31 00:00", 100, Day);
    t.work_day_type = WorkDayType::WorkingDays;
    let list = due(&t, &[], "2026-11-01 00:00", "2026-11-09 00:00");
    let s = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"];
    assert_eq!(starts(&list), s.map(|d| format!("{d} 00:00")));
    assert_eq!(list[0].start, utc("2026-11-01 16:00"));
}

#[test]
fn night_shift_belongs_to_the_start_date() {
    // 2 小时, work hours [22:00, 06:00), working days only. Friday 6 Nov 22:00 is kept; Saturday 7 Nov 00:00, 02:00
    // and 04:00 start on a rest day and are dropped even though the shift began on Friday.
    let mut t = with_hours(task("2026-11-02 22:00", 200, Hour), "22:00:00", "06:00:00");
    t.work_day_type = WorkDayType::WorkingDays;
    assert_eq!(due_starts(&t, &[], "2026-11-06 12:00", "2026-11-08 12:00"), ["2026-11-06 22:00"]);
    t.work_day_type = WorkDayType::NonWorkingDays;
    let sat = ["2026-11-07 00:00", "2026-11-07 02:00", "2026-11-07 04:00", "2026-11-07 22:00"];
    let sun = ["2026-11-08 00:00", "2026-11-08 02:00", "2026-11-08 04:00"];
    assert_eq!(due_starts(&t, &[], "2026-11-06 12:00", "2026-11-08 12:00"), [&sat[..], &sun[..]].concat());
}

#[test]
fn stop_windows() {
    // 1 天 at 09:00 from 1 Nov. Closed stop [3 Nov 09:00, 5 Nov 09:00): the 3 Nov instance (start = stopStart) and the
    // 4 Nov one are gone, 5 Nov (start = stopEnd) stays. Open-ended stop from 6 Nov 09:00 removes 6 Nov onwards.
    // A stop [1 Nov 10:00, 2 Nov 08:00) covers part of the 1 Nov instance but not its start: it stays.
    let t = task("2026-11-01 09:00", 100, Day);
    let stops = [
        (lt("2026-11-03 09:00"), Some(lt("2026-11-05 09:00"))),
        (lt("2026-11-06 09:00"), None),
        (lt("2026-11-01 10:00"), Some(lt("2026-11-02 08:00"))),
    ];
    assert_eq!(
        due_starts(&t, &stops, "2026-11-01 00:00", "2026-11-10 00:00"),
        ["2026-11-01 09:00", "2026-11-02 09:00", "2026-11-05 09:00"]
    );
    // An empty stop window (end = start) removes nothing.
    let stops = [(lt("2026-11-02 09:00"), Some(lt("2026-11-02 09:00")))];
    assert_eq!(due(&t, &stops, "2026-11-01 00:00", "2026-11-04 00:00").len(), 2);
}
