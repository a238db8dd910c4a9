//! The sample read back by python-docx (tests/it/read_docx.py): texts, styles, fonts, table, page, footer.
//! Never skipped: without python-docx the test fails and says to install it.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::sample;
use officedoc::render;

/// What read_docx.py prints for `bytes`.
fn read_back(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("sample.docx");
    std::fs::write(&file, bytes).expect("the document is written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/read_docx.py");
    let output = Command::new("python3").arg(&script).arg(&file).output().unwrap_or_else(|e| {
        panic!(
            "python3 does not start ({e}): install Python 3 and `python3 -m pip install python-docx` (never skipped)"
        )
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(
        output.status.code(),
        Some(3),
        "python-docx is not installed — `python3 -m pip install python-docx` (the read-back test is never skipped): {stderr}"
    );
    assert!(output.status.success(), "read_docx.py failed ({}): {stderr}", output.status);
    serde_json::from_slice(&output.stdout).expect("read_docx.py prints JSON")
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

#[test]
fn python_docx_reads_back_texts_styles_fonts_table_page_and_footer() {
    let doc = sample::document();
    let read = read_back(&render(&doc).expect("renders"));

    // Every paragraph, in order, with its style (empty spacer paragraphs aside).
    let paragraphs: Vec<&Value> =
        read["paragraphs"].as_array().expect("paragraphs").iter().filter(|p| !str_of(p, "text").is_empty()).collect();
    let expected = [
        (doc.title.as_str(), "Title"),
        ("（2026年11月）", "Subtitle"),
        (sample::BODY[0], "Normal"),
        ("一、总体情况", "Heading 1"),
        (sample::BODY[1], "Normal"),
        (sample::BODY[2], "Normal"),
        ("（一）各市排查任务完成情况", "Heading 2"),
        ("表1 各市排查任务完成情况", "Caption"),
        (sample::BODY[3], "Normal"),
        ("说明：完成率＝实际完成数/应完成数。", "Note"),
        ("山西省应急管理厅", "Signature"),
        ("2026年12月20日", "Signature"),
    ];
    let found: Vec<(&str, &str)> = paragraphs.iter().map(|p| (str_of(p, "text"), str_of(p, "style"))).collect();
    assert_eq!(found, expected);

    // The fonts named in the runs (eastAsia, ascii), their sizes and weight.
    let font = |i: usize| &paragraphs[i]["font"];
    let faces = [
        (0, "方正小标宋简体", 22.0, false),
        (1, "楷体_GB2312", 16.0, false),
        (2, "仿宋_GB2312", 16.0, false),
        (3, "黑体", 16.0, false),
        (6, "楷体_GB2312", 16.0, true),
        (7, "黑体", 14.0, false),
        (9, "仿宋_GB2312", 14.0, false),
        (10, "仿宋_GB2312", 16.0, false),
    ];
    for (i, east_asia, size, bold) in faces {
        assert_eq!(str_of(font(i), "east_asia"), east_asia, "paragraph {i}: {}", paragraphs[i]);
        assert_eq!(str_of(font(i), "ascii"), "Times New Roman", "paragraph {i}");
        assert_eq!(font(i)["size_pt"].as_f64(), Some(size), "paragraph {i}");
        assert_eq!(font(i)["bold"].as_bool().unwrap_or(false), bold, "paragraph {i}");
        assert_eq!(str_of(paragraphs[i], "style_east_asia"), east_asia, "the style of paragraph {i} names it too");
    }
    assert!(str_of(paragraphs[0], "alignment").starts_with("CENTER"), "{}", paragraphs[0]);
    assert!(str_of(paragraphs[10], "alignment").starts_with("RIGHT"), "{}", paragraphs[10]);
    assert_eq!(paragraphs[10]["right_indent_twips"].as_i64(), Some(640), "the issuer two characters from the right");

    // The table: every cell, a repeated bold header row, borders.
    let tables = read["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 1);
    let table = &tables[0];
    let cells: Vec<Vec<String>> = serde_json::from_value(table["rows"].clone()).expect("rows of cells");
    assert_eq!(cells, sample::table_cells());
    assert_eq!(cells.len(), 13, "header and 12 rows");
    assert_eq!(table["header_repeats"], true);
    assert_eq!(table["header_bold"], true);
    assert_eq!(table["borders"], serde_json::json!(["bottom", "insideH", "insideV", "left", "right", "top"]));
    assert_eq!(str_of(table, "cell_east_asia"), "仿宋_GB2312");

    // A4 portrait and the margins of GB/T 9704 (37, 35, 28, 26 mm).
    let sections = read["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 1);
    let section = &sections[0];
    let twips = |key: &str| section[key].as_i64().unwrap_or_else(|| panic!("{key} in {section}"));
    assert_eq!((twips("page_width_twips"), twips("page_height_twips")), (11906, 16838));
    assert_eq!(
        [
            twips("top_margin_twips"),
            twips("bottom_margin_twips"),
            twips("left_margin_twips"),
            twips("right_margin_twips")
        ],
        [2098, 1984, 1587, 1474]
    );
    assert!(str_of(section, "orientation").starts_with("PORTRAIT"), "{section}");

    // The footer: "— N —" around a PAGE field, in 宋体.
    let footer = &section["footer"];
    assert_eq!(str_of(footer, "text"), "— 1 —");
    assert_eq!(footer["fields"], serde_json::json!(["PAGE"]));
    assert!(footer["east_asia"].as_array().expect("runs").iter().all(|f| f == "宋体"), "{footer}");

    // The fallbacks of the GB fonts in the font table.
    let fonts = &read["fonts"];
    for (name, alt) in [
        ("仿宋_GB2312", "仿宋"),
        ("仿宋", "FangSong"),
        ("方正小标宋简体", "宋体"),
        ("宋体", "SimSun"),
        ("黑体", "SimHei"),
        ("楷体_GB2312", "楷体"),
        ("楷体", "KaiTi"),
    ] {
        assert_eq!(fonts[name], alt, "the fallback of {name} in {fonts}");
    }

    // The properties: title, issuer, and the document's date, not the time of rendering.
    let core = &read["core"];
    assert_eq!(str_of(core, "title"), doc.title);
    assert_eq!(str_of(core, "author"), "山西省应急管理厅");
    assert!(str_of(core, "created").starts_with("2026-12-20T00:00:00"), "{core}");
    assert!(str_of(core, "modified").starts_with("2026-12-20T00:00:00"), "{core}");
}
