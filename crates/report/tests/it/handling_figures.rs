//! 预警处置 in the monthly report (`metrics.md` §11): the worked example of §11.3 played through storage, the report
//! of 2026-12R (2026-11-20 to 2026-12-20) made at 2026-12-06 12:00, its section checked against the hand-computed
//! figures, in the content, the HTML and the XLSX.

#[path = "../../../storage/tests/it/handling_example.rs"]
mod example;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use domain::Period;
use domain::calendar::WorkCalendar;
use example::{local, worked_example};
use report::monthly::ReportScope;
use report::monthly::freeze::make;
use report::monthly::handling::HandlingLine;
use storage::Db;
use testkit::TestDb;

testkit::tokio_both_backends!(the_report_shows_the_handling_of_its_period);

/// (key, opened, 签收率, 按时签收率, 按时办结率 as (num, den), escalated, open escalations, supervised by state,
/// supervised overdue).
type Row = (String, u64, (u64, u64), (u64, u64), (u64, u64), u64, u64, Vec<u64>, u64);

fn row(l: &HandlingLine) -> Row {
    let f = |x: metrics::figure::Figure| (x.num, x.den);
    let (sign, on_time, close) = (f(l.sign_rate), f(l.on_time_sign_rate), f(l.on_time_close_rate));
    let by_state = l.supervised_by_state.clone();
    (l.key.clone(), l.opened, sign, on_time, close, l.escalated, l.open_escalations, by_state, l.supervised_overdue)
}

async fn the_report_shows_the_handling_of_its_period(t: TestDb) {
    let at = local("12-06 12:00");
    let db = Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    db.with(|c| storage::registry::seed_annex(c, at)).unwrap();
    db.with(|c| {
        worked_example(c);
        Ok(())
    })
    .unwrap();
    let cal = WorkCalendar::shipped().unwrap();
    let month = Period::ReportMonth { year: 2026, month: 12 };
    let mut conn = db.conn().unwrap();
    let r =
        make(&mut conn, &report::figures::FromVersions(cal.clone()), month, ReportScope::Province, 1, "", at).unwrap();
    // c6, c7 (太原) and c8 (大同) were opened in the period; c1–c5 before 11-20.
    let rows: Vec<Row> = r.handling.iter().map(row).collect();
    assert_eq!(rows.len(), 12, "the total and the 11 cities");
    assert_eq!(rows[0], ("total".into(), 3, (2, 3), (2, 3), (0, 1), 1, 1, vec![0, 1, 0, 0, 0], 0));
    assert_eq!(rows[1], ("140100".into(), 2, (1, 2), (1, 2), (0, 0), 1, 1, vec![0, 1, 0, 0, 0], 0));
    assert_eq!(rows[2], ("140200".into(), 1, (1, 1), (1, 1), (0, 1), 0, 0, vec![0; 5], 0));
    assert_eq!(rows[3], ("140300".into(), 0, (0, 0), (0, 0), (0, 0), 0, 0, vec![0; 5], 0));
    let html = report::monthly::to_html(&r);
    assert!(html.contains("<h2>十二、预警处置</h2>"));
    assert!(html.contains(
        "<tr class=\"total\"><td>全省合计</td><td class=\"num\">3</td><td class=\"rate\">66.7%<span class=\"base\">（2/3）</span></td>"
    ));
    let xlsx = report::monthly::to_xlsx(&r).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = wb.worksheet_range("预警处置").unwrap();
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("太原市".into())));
    assert_eq!(sheet.get_value((3, 4)), Some(&Data::Float(1.0)), "太原市 signed 1 …");
    assert_eq!(sheet.get_value((3, 5)), Some(&Data::Float(2.0)), "… of 2");
    // A city report shows its own city only.
    let city = make(
        &mut conn,
        &report::figures::FromVersions(cal.clone()),
        month,
        ReportScope::City("140200".into()),
        1,
        "",
        at,
    )
    .unwrap();
    assert_eq!(city.handling.iter().map(row).collect::<Vec<_>>(), vec![rows[2].clone()]);
}
