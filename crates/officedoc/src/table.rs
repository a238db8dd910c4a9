//! Tables: bordered, across the text width, a bold header row repeated on each page.

use crate::Table;
use crate::error::OfficeDocError;
use crate::style::{CAPTION, TABLE_TEXT, TEXT_WIDTH, para_props};
use crate::xml::{Written, Xml, run};

/// The border of every cell edge: single, 0.5 pt (`w:sz` is in eighths of a point).
const BORDER: [(&str, &str); 4] = [("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")];
/// Left and right cell margins, 1.5 mm.
const CELL_MARGIN: &str = "85";

/// Checks the shape of `table`, the block `block` of the document: at least one column, every row as wide as the
/// header, and widths (if any) one positive number per column.
pub(crate) fn check(table: &Table, block: usize) -> Result<(), OfficeDocError> {
    let invalid = |reason: String| OfficeDocError::InvalidTable { block, reason };
    let columns = table.header.len();
    if columns == 0 {
        return Err(invalid("the header has no cell".to_owned()));
    }
    if let Some((row, cells)) = table.rows.iter().enumerate().find(|(_, cells)| cells.len() != columns) {
        return Err(invalid(format!("row {} has {} cells, the header {columns}", row + 1, cells.len())));
    }
    if let Some(widths) = &table.widths {
        if widths.len() != columns {
            return Err(invalid(format!("{} widths for {columns} columns", widths.len())));
        }
        if widths.contains(&0) {
            return Err(invalid("a column width of 0".to_owned()));
        }
    }
    Ok(())
}

/// Writes the caption, the table and a short empty paragraph after it. `table` has passed [`check`].
pub(crate) fn write(x: &mut Xml, table: &Table) -> Written {
    if let Some(caption) = &table.caption {
        x.open("w:p", &[])?;
        para_props(x, &CAPTION, None, None)?;
        run(x, &CAPTION.face, caption.trim())?;
        x.close("w:p")?;
    }
    let widths = column_widths(table);
    x.open("w:tbl", &[])?;
    x.open("w:tblPr", &[])?;
    x.empty("w:tblW", &[("w:w", &TEXT_WIDTH.to_string()), ("w:type", "dxa")])?;
    x.val("w:jc", "center")?;
    x.open("w:tblBorders", &[])?;
    for edge in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
        x.empty(edge, &BORDER)?;
    }
    x.close("w:tblBorders")?;
    x.empty("w:tblLayout", &[("w:type", "fixed")])?;
    x.open("w:tblCellMar", &[])?;
    x.empty("w:left", &[("w:w", CELL_MARGIN), ("w:type", "dxa")])?;
    x.empty("w:right", &[("w:w", CELL_MARGIN), ("w:type", "dxa")])?;
    x.close("w:tblCellMar")?;
    x.close("w:tblPr")?;
    x.open("w:tblGrid", &[])?;
    for width in &widths {
        x.empty("w:gridCol", &[("w:w", &width.to_string())])?;
    }
    x.close("w:tblGrid")?;
    row(x, &table.header, &widths, true)?;
    for cells in &table.rows {
        row(x, cells, &widths, false)?;
    }
    x.close("w:tbl")?;
    x.open("w:p", &[])?;
    para_props(x, &TABLE_TEXT, None, None)?;
    x.close("w:p")
}

/// One row; the header row is bold and repeated at the top of each page. No row breaks across pages.
fn row(x: &mut Xml, cells: &[String], widths: &[u32], header: bool) -> Written {
    let face = if header { TABLE_TEXT.face.bold() } else { TABLE_TEXT.face };
    x.open("w:tr", &[])?;
    x.open("w:trPr", &[])?;
    x.empty("w:cantSplit", &[])?;
    if header {
        x.empty("w:tblHeader", &[])?;
    }
    x.close("w:trPr")?;
    for (text, width) in cells.iter().zip(widths) {
        x.open("w:tc", &[])?;
        x.open("w:tcPr", &[])?;
        x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")])?;
        x.val("w:vAlign", "center")?;
        x.close("w:tcPr")?;
        let lines: Vec<&str> = text.split('\n').map(str::trim).filter(|line| !line.is_empty()).collect();
        if lines.is_empty() {
            x.open("w:p", &[])?;
            para_props(x, &TABLE_TEXT, None, None)?;
            x.close("w:p")?;
        }
        for line in lines {
            x.open("w:p", &[])?;
            para_props(x, &TABLE_TEXT, None, None)?;
            run(x, &face, line)?;
            x.close("w:p")?;
        }
        x.close("w:tc")?;
    }
    x.close("w:tr")
}

/// The widths of the columns in twips, adding up to the text width: the caller's relative widths, or else weights
/// from the widest text of each column (a Chinese character counts 2, other characters 1; a header counts up to 16,
/// eight Chinese characters, and wraps beyond; at least 4).
fn column_widths(table: &Table) -> Vec<u32> {
    let weights: Vec<u64> = match &table.widths {
        Some(widths) => widths.iter().map(|&w| u64::from(w)).collect(),
        None => (0..table.header.len())
            .map(|column| {
                let body =
                    table.rows.iter().filter_map(|cells| cells.get(column)).map(|c| text_width(c)).max().unwrap_or(0);
                body.max(table.header.get(column).map_or(0, |h| text_width(h).min(16))).max(4)
            })
            .collect(),
    };
    let total: u64 = weights.iter().sum::<u64>().max(1);
    let mut widths: Vec<u32> = weights
        .iter()
        .map(|&weight| u32::try_from(u64::from(TEXT_WIDTH) * weight / total).unwrap_or(TEXT_WIDTH))
        .collect();
    let used: u32 = widths.iter().take(widths.len().saturating_sub(1)).sum();
    if let Some(last) = widths.last_mut() {
        *last = TEXT_WIDTH.saturating_sub(used);
    }
    widths
}

/// The width of the widest line of `text`, in half-width characters.
fn text_width(text: &str) -> u64 {
    text.split('\n').map(|line| line.trim().chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()).max().unwrap_or(0)
}
