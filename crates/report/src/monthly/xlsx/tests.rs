//! The workbook of the sample report: byte-identical, free of the wall clock, and read back with calamine.

use super::{SHEETS, to_xlsx};
use crate::monthly::sample::sample;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::{Cursor, Read};

fn workbook() -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(to_xlsx(&sample()).unwrap())).unwrap()
}

fn cell(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, row: u32, col: u32) -> Data {
    let range = wb.worksheet_range(sheet).unwrap();
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(v) => *v,
        Data::Int(v) => *v as f64,
        other => panic!("expected a number cell, got {other:?}"),
    }
}

#[test]
fn same_report_same_bytes() {
    let first = to_xlsx(&sample()).unwrap();
    // Creation times have a resolution of one second: a wall-clock time would differ after this.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = to_xlsx(&sample()).unwrap();
    assert!(first == second, "two renderings of the same report differ");
}

#[test]
fn times_come_from_the_report_not_the_clock() {
    let mut zip = zip::ZipArchive::new(Cursor::new(to_xlsx(&sample()).unwrap())).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()), "{:?}", entry.name());
    }
    let mut core = String::new();
    zip.by_name("docProps/core.xml").unwrap().read_to_string(&mut core).unwrap();
    assert!(core.contains(">2026-11-20T01:00:00Z<"), "created at asOf (UTC): {core}");
    assert!(!core.contains(&format!(">{}", testkit::clock().now_utc().format("%Y-%m-%dT"))), "no date of today");
    assert!(core.contains("山西省危险化学品企业双重预防机制数字化建设运行情况月报"), "title property");
}

#[test]
fn sheets_headers_and_typed_cells_read_back() {
    let mut wb = workbook();
    assert_eq!(wb.sheet_names(), SHEETS.map(str::to_owned).to_vec());
    // Cover: title and the cut-off in Asia/Shanghai (01:00 UTC is 09:00 local).
    assert!(matches!(cell(&mut wb, "封面", 0, 0), Data::String(s) if s.starts_with("山西省")));
    assert_eq!(cell(&mut wb, "封面", 5, 0), Data::String("统计周期".to_owned()));
    assert_eq!(cell(&mut wb, "封面", 5, 1), Data::String("2026-10-20 至 2026-11-19".to_owned()));
    assert_eq!(cell(&mut wb, "封面", 6, 1), Data::String("2026-11-20 09:00:00（北京时间）".to_owned()));
    // 指标: two header rows (rate name over 比率 / 分子 / 分母), this month's total, last month's, then the cities.
    assert_eq!(cell(&mut wb, "指标", 0, 0), Data::String("城市".to_owned()));
    assert_eq!(cell(&mut wb, "指标", 0, 2), Data::String("安全风险分析完成率".to_owned()));
    assert_eq!(cell(&mut wb, "指标", 1, 2), Data::String("比率".to_owned()));
    assert_eq!(cell(&mut wb, "指标", 1, 4), Data::String("分母".to_owned()));
    assert_eq!(cell(&mut wb, "指标", 2, 0), Data::String("本月合计（全省）".to_owned()));
    assert!((number(&cell(&mut wb, "指标", 2, 2)) - 0.8).abs() < 1e-12, "4/5 is the number 0.8");
    assert_eq!(number(&cell(&mut wb, "指标", 2, 3)), 4.0);
    assert_eq!(number(&cell(&mut wb, "指标", 2, 4)), 5.0);
    assert!((number(&cell(&mut wb, "指标", 3, 2)) - 0.6).abs() < 1e-12, "last month: 3/5");
    assert_eq!(number(&cell(&mut wb, "指标", 2, 23)), 6.0, "超期隐患 is a number");
    assert_eq!(cell(&mut wb, "指标", 0, 23), Data::String("超期隐患".to_owned()));
    // A rate without a denominator is "—", never 0 %; its numerator and denominator are 0.
    assert_eq!(cell(&mut wb, "指标", 5, 1), Data::String("140700".to_owned()));
    assert_eq!(cell(&mut wb, "指标", 5, 2), Data::String("—".to_owned()));
    assert_eq!(number(&cell(&mut wb, "指标", 5, 4)), 0.0);
    // Names with markup characters are plain text in a workbook.
    assert_eq!(cell(&mut wb, "指标", 5, 0), Data::String("晋<中>&\"市'".to_owned()));
    // Rankings: rank and score are numbers, a missing change is empty.
    assert_eq!(cell(&mut wb, "企业排名", 0, 2), Data::String("企业名称".to_owned()));
    assert_eq!(number(&cell(&mut wb, "企业排名", 1, 0)), 1.0);
    assert_eq!(number(&cell(&mut wb, "企业排名", 1, 4)), 95.5);
    assert_eq!(number(&cell(&mut wb, "企业排名", 3, 6)), -2.0);
    assert_eq!(cell(&mut wb, "城市排名", 3, 7), Data::Empty);
    assert_eq!(cell(&mut wb, "城市排名", 3, 3), Data::String("—".to_owned()));
    // Every section sheet has its header at the top; an empty section says so.
    for sheet in &SHEETS[1..] {
        assert!(matches!(cell(&mut wb, sheet, 0, 0), Data::String(s) if !s.is_empty()), "{sheet}");
    }
    assert_eq!(cell(&mut wb, "抽查情况", 1, 5), Data::String("待检查".to_owned()));
    assert_eq!(cell(&mut wb, "超期重大隐患", 1, 7), Data::String("2026-11-02 00:00".to_owned()));
    assert_eq!(cell(&mut wb, "超期重大隐患", 1, 4), Data::String("液氨储罐液位计失灵".to_owned()));
    assert_eq!(cell(&mut wb, "超期重大隐患", 1, 6), Data::String("赵六".to_owned()));
    // Data quality: the total in bold first, rates as numbers beside their base.
    assert_eq!(cell(&mut wb, "数据质量", 2, 0), Data::String("全省合计".to_owned()));
    assert!((number(&cell(&mut wb, "数据质量", 2, 2)) - 0.075).abs() < 1e-12, "3/40");
    assert_eq!(cell(&mut wb, "数据质量", 3, 10), Data::String("bad_enum 3；missing_field 1".to_owned()));
}

#[test]
fn an_empty_section_says_none() {
    let mut r = sample();
    r.spot_checks.clear();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(to_xlsx(&r).unwrap())).unwrap();
    assert_eq!(cell(&mut wb, "抽查情况", 1, 0), Data::String("本期无".to_owned()));
}

#[test]
fn warning_handling_sheet() {
    // The worked example of metrics.md §11.3: 全省合计 3 opened, 签收率 2/3, 按时办结率 0/1; 太原市 nothing due to close.
    let mut wb = workbook();
    assert_eq!(cell(&mut wb, "预警处置", 0, 3), Data::String("签收率".to_owned()));
    assert_eq!(cell(&mut wb, "预警处置", 0, 9), Data::String("按时办结率".to_owned()));
    assert_eq!(cell(&mut wb, "预警处置", 0, 20), Data::String("督办超期未办结".to_owned()));
    assert_eq!(cell(&mut wb, "预警处置", 2, 0), Data::String("全省合计".to_owned()));
    assert_eq!(number(&cell(&mut wb, "预警处置", 2, 2)), 3.0);
    assert!((number(&cell(&mut wb, "预警处置", 2, 3)) - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!((number(&cell(&mut wb, "预警处置", 2, 4)), number(&cell(&mut wb, "预警处置", 2, 5))), (2.0, 3.0));
    assert_eq!(number(&cell(&mut wb, "预警处置", 2, 9)), 0.0, "0/1 is 0 %");
    assert_eq!(number(&cell(&mut wb, "预警处置", 2, 16)), 1.0, "one supervised case stands 已签收");
    assert_eq!(cell(&mut wb, "预警处置", 3, 1), Data::String("140100".to_owned()));
    assert_eq!(cell(&mut wb, "预警处置", 3, 9), Data::String("—".to_owned()), "0/0 has no rate");
    assert_eq!(number(&cell(&mut wb, "预警处置", 4, 11)), 1.0, "大同市: one case due to close");
}
