//! Malformed documents give typed errors with stable codes.

use crate::sample;
use officedoc::{Block, OfficeDocError, render};

fn with_table_blocks(change: impl FnOnce(&mut officedoc::Table)) -> officedoc::Document {
    let mut doc = sample::document();
    if let Some(Block::Table(table)) = doc.blocks.iter_mut().find(|b| matches!(b, Block::Table(_))) {
        change(table);
    }
    doc
}

#[test]
fn a_row_of_the_wrong_width_is_refused() {
    let doc = with_table_blocks(|table| table.rows[2].push("多余".to_owned()));
    let error = render(&doc).expect_err("a row of 5 cells under 4 header cells");
    assert_eq!(error.code(), "docx_invalid_table");
    match &error {
        OfficeDocError::InvalidTable { block, reason } => {
            assert_eq!(*block, 4, "the index of the table among the blocks");
            assert_eq!(reason, "row 3 has 5 cells, the header 4");
        }
        other => panic!("expected InvalidTable, got {other:?}"),
    }
    assert!(error.to_string().starts_with("docx_invalid_table: "), "{error}");

    let short = with_table_blocks(|table| {
        table.rows[0].pop();
    });
    assert_eq!(render(&short).expect_err("a short row").code(), "docx_invalid_table");
}

#[test]
fn bad_widths_and_an_empty_header_are_refused() {
    let widths = with_table_blocks(|table| table.widths = Some(vec![1, 2]));
    assert_eq!(render(&widths).expect_err("2 widths for 4 columns").code(), "docx_invalid_table");
    let zero = with_table_blocks(|table| table.widths = Some(vec![1, 0, 1, 1]));
    assert_eq!(render(&zero).expect_err("a width of 0").code(), "docx_invalid_table");
    let empty = with_table_blocks(|table| {
        table.header.clear();
        table.rows.clear();
    });
    assert_eq!(render(&empty).expect_err("no column").code(), "docx_invalid_table");
}

#[test]
fn a_heading_of_level_3_is_refused() {
    let mut doc = sample::document();
    doc.blocks.push(Block::Heading { level: 3, text: "1.细项".to_owned() });
    let error = render(&doc).expect_err("level 3");
    assert_eq!(error.code(), "docx_invalid_heading");
    assert!(matches!(error, OfficeDocError::InvalidHeading { block: 7, level: 3 }), "{error:?}");
}
