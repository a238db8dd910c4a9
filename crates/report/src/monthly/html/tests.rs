//! The HTML of the sample report: deterministic, escaped, self-contained, printable; and printed by Chromium.

use super::{escape, to_html};
use crate::monthly::content::EnterpriseRankLine;
use crate::monthly::sample::sample;

#[test]
fn same_report_same_text() {
    assert_eq!(to_html(&sample()), to_html(&sample()));
}

#[test]
fn escapes_every_text() {
    assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    let html = to_html(&sample());
    assert!(html.contains("晋&lt;中&gt;&amp;&quot;市&#39;"), "a city name with markup characters");
    assert!(html.contains("太原&lt;甲&gt;化工有限公司"));
    assert!(html.contains("更正&lt;太原市&gt;数据 &amp; 排名"), "the revision note");
    assert!(!html.contains("晋<中>") && !html.contains("<甲>") && !html.contains("\"丁\""));
}

#[test]
fn is_a_self_contained_printable_document() {
    let html = to_html(&sample());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@page { size: A4;") && html.contains("@media print"));
    assert!(html.contains("thead { display: table-header-group; }"));
    for outside in ["http://", "https://", "src=", "href=", "<script", "<link", "url(", "@import", "@font-face"] {
        assert!(!html.contains(outside), "the report refers to something outside itself: {outside}");
    }
    for (open, close) in [("<table", "</table>"), ("<tr", "</tr>"), ("<section", "</section>"), ("<td", "</td>")] {
        assert_eq!(html.matches(open).count(), html.matches(close).count(), "{open} is balanced");
    }
}

#[test]
fn shows_the_report_in_filing_form() {
    let html = to_html(&sample());
    assert!(html.contains("<h1>山西省危险化学品企业双重预防机制数字化建设运行情况月报（2026年11月）</h1>"));
    assert!(html.contains("<th scope=\"row\">统计周期</th><td>2026-10-20 至 2026-11-19</td>"));
    assert!(html.contains("<td>2026-11-20 09:00:00（北京时间）</td>"), "asOf in Asia/Shanghai");
    assert!(html.contains("<td>第2版</td>"));
    let headings = ["一、建设进度", "二、主要指标", "四、企业排名", "八、数据质量", "十、验收情况", "十一、抽查情况"];
    for h in headings {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "{h}");
    }
    // Rates with their base; no denominator is "—", never 0 % or n/a.
    assert!(html.contains("80.0%<span class=\"base\">（4/5）</span>"));
    assert!(html.contains("—<span class=\"base\">（0/0）</span>"));
    assert!(!html.contains("n/a"));
    // Data quality: late entries with their base, held and rejected records by code.
    assert!(html.contains("7.5%<span class=\"base\">（3/40）</span>"));
    assert!(html.contains("<td>bad_enum 3；missing_field 1</td>"));
    // The overdue 重大 danger by what it says, not only its id.
    assert!(html.contains("<td>液氨储罐液位计失灵</td><td>液位计读数与实际不符</td><td>赵六</td>"));
    // This month against last month: 4/5 against 3/5 is 20 points up; 6 overdue against 9 is 3 fewer.
    assert!(html.contains("<td class=\"num\">+20.0</td>"));
    assert!(html.contains("<td class=\"num\">-3</td>"));
    assert!(html.contains("<td>上升1</td>") && html.contains("<td>下降2</td>"));
    let mut empty = sample();
    empty.overdue_major.clear();
    assert!(to_html(&empty).contains("<h2>六、超期重大隐患</h2>\n<p class=\"none\">本期无。</p>"));
}

/// Chromium prints the report of a province with a long enterprise ranking to a multi-page A4 PDF.
#[test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
fn prints_to_pdf_in_chromium() {
    let mut r = sample();
    let first = r.enterprise_ranking[0].clone();
    r.enterprise_ranking = (1..=120)
        .map(|i| EnterpriseRankLine { rank: i, company: format!("91140100X{i:03}"), ..first.clone() })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (page, pdf, profile) = (dir.path().join("report.html"), dir.path().join("report.pdf"), dir.path().join("p"));
    std::fs::write(&page, to_html(&r)).unwrap();
    let out = std::process::Command::new(testkit::chromium())
        .args(testkit::CHROMIUM_FLAGS)
        .args(["--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let bytes =
        std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert!((5_000..5_000_000).contains(&bytes.len()), "a sane size: {} bytes", bytes.len());
    let pages = bytes.windows(12).filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's').count();
    // The masthead and 建设进度, 主要指标, the rankings over a few pages, the lists, acceptance: 6 to 20 pages.
    assert!((6..=20).contains(&pages), "{pages} pages");
}

#[test]
fn shows_warning_handling() {
    // The worked example of metrics.md §11.3 (report month 2026-12R at 2026-12-06 12:00): the total, then each city.
    let html = to_html(&sample());
    assert!(html.contains("<h2>十二、预警处置</h2>"));
    let total = "<tr class=\"total\"><td>全省合计</td><td class=\"num\">3</td>\
                 <td class=\"rate\">66.7%<span class=\"base\">（2/3）</span></td>\
                 <td class=\"rate\">66.7%<span class=\"base\">（2/3）</span></td>\
                 <td class=\"rate\">0.0%<span class=\"base\">（0/1）</span></td>\
                 <td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td>\
                 <td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td>\
                 <td class=\"num\">0</td><td class=\"num\">0</td></tr>";
    assert!(html.contains(total), "the province's total");
    // 太原市: nothing was due for closing yet, so 按时办结率 has no rate.
    assert!(html.contains(
        "<tr><td>太原市</td><td class=\"num\">2</td><td class=\"rate\">50.0%<span class=\"base\">（1/2）</span></td>\
         <td class=\"rate\">50.0%<span class=\"base\">（1/2）</span></td><td class=\"rate\">—<span class=\"base\">（0/0）</span></td>"
    ));
    assert!(
        html.contains("<th scope=\"col\">按时办结率</th>") && html.contains("<th scope=\"col\">督办超期未办结</th>")
    );
    assert!(html.contains("在时限前由平台自动办结的案件不计入相应分母"), "the note says what is counted");
}
