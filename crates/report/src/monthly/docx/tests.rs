//! The .docx of the sample report: deterministic, with the HTML's sections, rows and rates, signed by the issuing
//! body on the day of the `asOf`; a preview is marked.

use super::{document, issuer, to_docx};
use crate::monthly::content::ReportScope;
use crate::monthly::html::to_html;
use crate::monthly::sample::sample;
use chrono::NaiveDate;
use officedoc::{Block, Table};

fn tables(blocks: &[Block]) -> Vec<&Table> {
    blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect()
}

fn cells(blocks: &[Block]) -> Vec<String> {
    tables(blocks).into_iter().flat_map(|t| t.rows.iter().flatten().cloned()).collect()
}

#[test]
fn same_report_same_bytes() {
    let bytes = to_docx(&sample()).unwrap();
    assert_eq!(bytes, to_docx(&sample()).unwrap());
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip package");
}

#[test]
fn has_the_title_issuer_date_and_the_sections_of_the_html_in_order() {
    let r = sample();
    let doc = document(&r);
    assert_eq!(doc.title, "山西省危险化学品企业双重预防机制数字化建设运行情况月报（2026年11月）");
    assert_eq!(doc.subtitle, None, "a stored revision has no preview mark");
    assert_eq!(doc.issuer, "山西省应急管理厅");
    assert_eq!(doc.date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), "asOf 01:00 UTC is 09:00 in Shanghai");
    let Some(Block::Paragraph(masthead)) = doc.blocks.first() else { panic!("the masthead comes first") };
    assert!(masthead.contains("统计周期：2026-10-20 至 2026-11-19"), "{masthead}");
    assert!(masthead.contains("数据截止：2026-11-20 09:00:00（北京时间）"), "{masthead}");
    assert!(masthead.contains("版　　次：第2版") && masthead.contains("修订说明：更正<太原市>数据 & 排名"));
    let headings: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 1, text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let html = to_html(&r);
    let h2: Vec<&str> = html.split("<h2>").skip(1).filter_map(|s| s.split("</h2>").next()).collect::<Vec<_>>();
    assert_eq!(headings, h2, "the HTML's sections, in order");
    assert_eq!(headings.len(), 12);
    assert!(doc.blocks.iter().any(|b| matches!(b, Block::Heading { level: 2, text } if text == "（二）分城市情况")));
}

#[test]
fn every_row_and_rate_with_its_numerator_and_denominator() {
    let r = sample();
    let doc = document(&r);
    let cells = cells(&doc.blocks);
    let figures: Vec<&Table> =
        tables(&doc.blocks).into_iter().filter(|t| t.caption.as_deref().unwrap().contains("分城市情况")).collect();
    assert_eq!(figures.len(), 2);
    for line in &r.lines {
        let rows = figures.iter().flat_map(|t| &t.rows).filter(|row| row[0] == line.name).count();
        assert_eq!(rows, 2, "{} in both tables of 主要指标", line.name);
    }
    for text in ["80.0%（4/5）", "—（0/0）", "7.5%（3/40）", "合计（全省）", "+20.0", "-3", "上升1", "下降2"]
    {
        assert!(cells.iter().any(|c| c == text), "{text} in a cell");
    }
    for text in ["液氨储罐液位计失灵", "太原<甲>化工有限公司", "bad_enum 3；missing_field 1", "无数据、重大隐患超期"]
    {
        assert!(cells.iter().any(|c| c == text), "{text} in a cell");
    }
    assert!(!cells.iter().any(|c| c.contains("n/a")), "no rate reads n/a");
    // Every table is numbered and as wide as its header.
    for (i, t) in tables(&doc.blocks).into_iter().enumerate() {
        assert!(t.caption.as_deref().unwrap().starts_with(&format!("表{} ", i + 1)));
        assert!(t.rows.iter().all(|row| row.len() == t.header.len()));
    }
    // Sections without rows read 本期无, as in the HTML.
    let mut empty = sample();
    empty.spot_checks.clear();
    empty.handling.clear();
    let none = document(&empty).blocks.iter().filter(|b| matches!(b, Block::Paragraph(p) if p == "本期无。")).count();
    assert_eq!(none, 2);
}

#[test]
fn a_preview_is_marked_and_a_city_signs_as_its_bureau() {
    let mut r = sample();
    r.revision = 0;
    r.note = "预览（报告尚未到期，未冻结）".to_owned();
    r.scope = ReportScope::City("140100".to_owned());
    let doc = document(&r);
    assert_eq!(doc.subtitle.as_deref(), Some("预览（报告尚未到期，未冻结）"));
    assert_eq!(doc.issuer, "太原市应急管理局");
    r.note.clear();
    assert_eq!(document(&r).subtitle.as_deref(), Some("预览（未冻结）"));
    assert_eq!(issuer(&ReportScope::Province), "山西省应急管理厅");
    assert_eq!(issuer(&ReportScope::City("140700".to_owned())), "晋中市应急管理局");
    assert!(to_docx(&r).is_ok());
}
