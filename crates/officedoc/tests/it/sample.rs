//! The sample document of the tests: a city's monthly report in miniature.

use chrono::NaiveDate;
use officedoc::{Block, Document, Table};

/// The cities of the sample table (Shanxi's eleven and the province).
pub const CITIES: [&str; 12] = [
    "太原市",
    "大同市",
    "朔州市",
    "忻州市",
    "阳泉市",
    "吕梁市",
    "晋中市",
    "长治市",
    "晋城市",
    "临汾市",
    "运城市",
    "全省",
];

/// The body paragraphs as the document is expected to show them, in order (the second block holds two lines).
pub const BODY: [&str; 4] = [
    "为深入贯彻落实危险化学品安全生产风险分级管控和隐患排查治理双重预防机制建设要求，现将2026年11月全省运行情况通报如下。",
    "本月全省应开展排查任务12345项，实际完成11987项。",
    "各市应急管理局要督促企业按期整改，确保“双重预防”工作落到实处。",
    "省应急管理厅将对整改进展持续跟踪。",
];

/// The sample: title, subtitle, issuer, date, two heading levels, paragraphs (one with '\n' and a blank line), a
/// table of 12 rows of fractions and a note.
pub fn document() -> Document {
    Document {
        title: "山西省2026年11月危险化学品企业双重预防机制运行情况通报".to_owned(),
        subtitle: Some("（2026年11月）".to_owned()),
        issuer: "山西省应急管理厅".to_owned(),
        date: NaiveDate::from_ymd_opt(2026, 12, 20).expect("a date"),
        blocks: vec![
            Block::Paragraph(BODY[0].to_owned()),
            Block::Heading { level: 1, text: "一、总体情况".to_owned() },
            Block::Paragraph(format!("{}\n\n  {}\r\n", BODY[1], BODY[2])),
            Block::Heading { level: 2, text: "（一）各市排查任务完成情况".to_owned() },
            Block::Table(table()),
            Block::Paragraph(BODY[3].to_owned()),
            Block::Note("说明：完成率＝实际完成数/应完成数。".to_owned()),
        ],
    }
}

/// The expected cells of the sample table, header first.
pub fn table_cells() -> Vec<Vec<String>> {
    let mut cells = vec![table().header];
    cells.extend(table().rows);
    cells
}

fn table() -> Table {
    Table {
        caption: Some("表1 各市排查任务完成情况".to_owned()),
        header: ["市", "排查任务完成", "隐患整改", "完成率"].map(str::to_owned).to_vec(),
        rows: CITIES
            .iter()
            .enumerate()
            .map(|(i, city)| {
                let done = 40 + i;
                vec![city.to_string(), format!("{done}/50"), format!("{}/{}", i + 3, i + 5), format!("{}%", done * 2)]
            })
            .collect(),
        widths: Some(vec![3, 3, 3, 2]),
    }
}
