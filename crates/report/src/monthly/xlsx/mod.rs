//! The monthly report as an XLSX workbook: a cover sheet (封面) and one sheet per section, with Chinese headers,
//! counts as integers and rates as numbers formatted `0.0%`, each next to its numerator and denominator.
//!
//! A rate without a denominator (nothing to rate) is the text "—" in its rate cell, never 0 %; its numerator and
//! denominator cells still show 0 and 0. The bytes depend on the report alone: the workbook's creation time is the
//! report's `asOf` and every zip entry carries the same fixed timestamp (1980-01-01), so rendering the same report
//! twice gives the same file.

mod sheets;
mod style;
mod table;
#[cfg(test)]
mod tests;

use super::RenderError;
use super::content::MonthlyReport;
use super::labels;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};
use style::Formats;
use table::{Table, text_width};

/// The sheet names, in order: the cover, then one per section.
pub const SHEETS: [&str; 13] = [
    "封面",
    "建设进度",
    "指标",
    "城市排名",
    "企业排名",
    "等级分布",
    "超期重大隐患",
    "接入异常",
    "数据质量",
    "重点跟进帮扶",
    "验收情况",
    "抽查情况",
    "预警处置",
];

/// Renders the report as an XLSX workbook; the same report always gives the same bytes.
pub fn to_xlsx(r: &MonthlyReport) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    // The properties' creation (and modification) time is the report's cut-off, in UTC, never the wall clock.
    let created = ExcelDateTime::parse_from_str(&r.as_of.format("%Y-%m-%d %H:%M:%S").to_string())?;
    let properties = DocProperties::new()
        .set_title(&r.title)
        .set_subject(format!("{}月报", r.month))
        .set_creation_datetime(&created);
    wb.set_properties(&properties);
    let f = Formats::new();
    cover(wb.add_worksheet().set_name(SHEETS[0])?, r, &f)?;
    let tables: [Table; 12] = [
        sheets::progress(r),
        sheets::figures(r),
        sheets::city_ranking(r),
        sheets::enterprise_ranking(r),
        sheets::grades(r),
        sheets::overdue_major(r),
        sheets::connections(r),
        sheets::data_quality(r),
        sheets::follow_up(r),
        sheets::acceptance(r),
        sheets::spot_checks(r),
        sheets::handling(r),
    ];
    for (name, table) in SHEETS[1..].iter().zip(&tables) {
        table.write(wb.add_worksheet().set_name(*name)?, &f)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The cover: the title, then what the report covers, as label and value rows.
fn cover(ws: &mut Worksheet, r: &MonthlyReport, f: &Formats) -> Result<(), XlsxError> {
    let rows = [
        ("报告月份", r.month.clone()),
        ("报告范围", labels::scope(r)),
        ("统计周期", labels::period(r)),
        ("数据截止", labels::as_of(r)),
        ("版次", labels::revision(r)),
        ("修订说明", labels::note(r)),
    ];
    ws.write_string_with_format(0, 0, &r.title, &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.write_string_with_format(2, 0, "项目", &f.header)?;
    ws.write_string_with_format(2, 1, "内容", &f.header)?;
    let mut widest = text_width("内容");
    for (row, (label, value)) in (3u32..).zip(&rows) {
        ws.write_string_with_format(row, 0, *label, &f.label)?;
        ws.write_string_with_format(row, 1, value, &f.plain.text)?;
        widest = widest.max(text_width(value));
    }
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, (widest + 2).min(100) as f64)?;
    ws.set_paper_size(9).set_landscape();
    Ok(())
}
