//! The monthly report as one self-contained, printable zh-CN HTML document: inline CSS, no scripts, fonts, images
//! or links to anything outside the file (it is opened on air-gapped machines), an A4 print stylesheet, and the
//! sections of the XLSX under numbered Chinese headings (一、二、…).
//!
//! Rates show as `Figure::percent` with their numerator and denominator, e.g. `80.0%（4/5）`; a rate without a
//! denominator shows "—（0/0）". Every text from the report is escaped. The output depends on the report alone.

mod sections;
#[cfg(test)]
mod tests;

use super::content::MonthlyReport;
use super::labels;
use std::fmt::Write;

/// The inline stylesheet: a readable screen layout and an A4 print layout in the manner of a filed bureau report
/// (serif body, bold sans headings, ruled tables). Only locally installed fonts are named; nothing is loaded.
const CSS: &str = r#"@page { size: A4; margin: 20mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; padding: 16px; color: #000; background: #fff; line-height: 1.5; font-size: 10.5pt;
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
}
main.report { max-width: 277mm; margin: 0 auto; }
h1, h2, h3 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 10pt; line-height: 1.35; }
h2 { font-size: 13.5pt; margin: 16pt 0 6pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 8pt; font-size: 9pt; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: middle; }
thead th { background: #e8e8e8; font-weight: bold; text-align: center; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.rate { text-align: right; white-space: nowrap; }
td.rate .base { display: block; font-size: 7.5pt; color: #333; }
tr.total td { font-weight: bold; }
table.wide { font-size: 8pt; }
table.wide thead th { font-size: 7.5pt; }
table.meta { width: auto; margin: 0 auto 12pt; font-size: 10.5pt; }
table.meta th, table.meta td { border: none; background: none; text-align: left; padding: 1pt 6pt; }
table.meta th { font-weight: bold; white-space: nowrap; }
p.none { margin: 0 0 8pt; color: #333; }
p.note { font-size: 9pt; color: #333; margin-top: 12pt; }
@media print {
  body { padding: 0; font-size: 10pt; }
  main.report { max-width: none; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  section.new-page { break-before: page; page-break-before: always; }
  thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// Escapes text for HTML content and attribute values: `&`, `<`, `>`, `"` and `'`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as a complete HTML document; the same report always gives the same text.
pub fn to_html(r: &MonthlyReport) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>\n{}</style>\n</head>\n", escape(&r.title), CSS));
    out.push_str("<body>\n<main class=\"report\">\n");
    masthead(&mut out, r);
    for (i, section) in sections::all(r).into_iter().enumerate() {
        let class = if section.new_page { " class=\"new-page\"" } else { "" };
        let heading = format!("{}、{}", labels::chinese_number(i + 1), section.title);
        out.push_str(&format!("<section{class}>\n<h2>{}</h2>\n{}</section>\n", escape(&heading), section.body));
    }
    out.push_str("<footer>\n<p class=\"note\">说明：比率后括号内为分子/分母；“—”表示分母为0、无可计算的比率。");
    out.push_str(&format!(
        "本报告依据截至{}平台已知的数据生成，以同一截止时间重新生成结果不变。</p>\n</footer>\n",
        escape(&labels::as_of(r))
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The title and what the report covers.
fn masthead(out: &mut String, r: &MonthlyReport) {
    let rows = [
        ("报告范围", labels::scope(r)),
        ("统计周期", labels::period(r)),
        ("数据截止", labels::as_of(r)),
        ("版　　次", labels::revision(r)),
        ("修订说明", labels::note(r)),
    ];
    out.push_str(&format!("<header>\n<h1>{}</h1>\n<table class=\"meta\">\n<tbody>\n", escape(&r.title)));
    for (label, value) in rows {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "<tr><th scope=\"row\">{label}</th><td>{}</td></tr>", escape(&value));
    }
    out.push_str("</tbody>\n</table>\n</header>\n");
}
