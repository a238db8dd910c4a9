//! The monthly report as a Word (.docx) document in the layout of Chinese official documents (GB/T 9704-2012),
//! written by [`officedoc`]: A4, the title in 方正小标宋简体, headings in 黑体 and 楷体_GB2312, the text in
//! 仿宋_GB2312 (each with fallbacks named in the file's font table), page numbers "— N —", and the issuing body and
//! date as signature.
//!
//! It holds what the HTML holds, in the same order: the title, what the report covers (报告范围, 统计周期, 数据截止,
//! 版次, 修订说明), the twelve numbered sections with their tables — every city (province report) or enterprise
//! (city report) — and the closing note. Rates show as in the HTML with their numerator and denominator,
//! `80.0%（4/5）`, or `—（0/0）` without a denominator. Tables wider than the portrait page allows (主要指标 and 预警处置)
//! are split in two, each repeating the name column. A preview (revision 0) carries its mark, e.g.
//! "预览（报告尚未到期，未冻结）", under the title.
//!
//! The issuing body is 山西省应急管理厅 for the province and the city's 应急管理局 (e.g. 太原市应急管理局) for a city;
//! the date is the day of the report's `asOf` in Asia/Shanghai. The bytes depend on the report alone: the same
//! content always gives the same file (see [`officedoc`] for how).

mod blocks;
mod sections;
#[cfg(test)]
mod tests;

use super::RenderError;
use super::content::{MonthlyReport, ReportScope};
use super::labels;
use blocks::Blocks;
use domain::City;
use officedoc::Document;

/// The media type of .docx files.
pub const DOCX_MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Renders the report as a .docx file; the same report always gives the same bytes.
pub fn to_docx(r: &MonthlyReport) -> Result<Vec<u8>, RenderError> {
    Ok(officedoc::render(&document(r))?)
}

/// The report as an [`officedoc::Document`]: title, preview mark, masthead, the numbered sections, the closing note,
/// and the signature of the issuing body and the date.
pub fn document(r: &MonthlyReport) -> Document {
    let mut b = Blocks::default();
    b.paragraph(masthead(r));
    for (i, (title, section)) in sections::ALL.iter().enumerate() {
        b.heading(1, format!("{}、{title}", labels::chinese_number(i + 1)));
        section(r, &mut b);
    }
    b.note(format!(
        "说明：比率后括号内为分子/分母；“—”表示分母为0、无可计算的比率。本报告依据截至{}平台已知的数据生成，\
         以同一截止时间重新生成结果不变。",
        labels::as_of(r)
    ));
    Document {
        title: r.title.clone(),
        subtitle: preview_mark(r),
        issuer: issuer(&r.scope),
        date: domain::time::local_date(r.as_of),
        blocks: b.finish(),
    }
}

/// The issuing body (发文机关) of a report: 山西省应急管理厅 for the province, the city's 应急管理局 for a city (an
/// unknown code, which a stored report never has, is named by itself).
pub fn issuer(scope: &ReportScope) -> String {
    match scope {
        ReportScope::Province => "山西省应急管理厅".to_owned(),
        ReportScope::City(code) => {
            let name = City::from_code(code).map_or_else(|_| code.clone(), |c| c.name().to_owned());
            format!("{name}应急管理局")
        }
    }
}

/// The mark of a preview (revision 0) under the title: its note when the note says 预览 (as `dualprev report` does),
/// else "预览（未冻结）"; nothing for a stored revision.
fn preview_mark(r: &MonthlyReport) -> Option<String> {
    (r.revision == 0).then(|| {
        let note = r.note.trim();
        if note.starts_with("预览") { note.to_owned() } else { "预览（未冻结）".to_owned() }
    })
}

/// What the report covers, one line each, as in the HTML's masthead.
fn masthead(r: &MonthlyReport) -> String {
    [
        ("报告范围", labels::scope(r)),
        ("统计周期", labels::period(r)),
        ("数据截止", labels::as_of(r)),
        ("版　　次", labels::revision(r)),
        ("修订说明", labels::note(r)),
    ]
    .map(|(label, value)| format!("{label}：{value}"))
    .join("\n")
}
