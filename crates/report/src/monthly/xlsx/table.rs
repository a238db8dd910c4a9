//! One table per worksheet: a header (one row, or two when some columns are grouped under a rate's name), typed
//! cells, frozen header rows, and column widths that fit Chinese text.

use super::style::{Formats, Style};
use crate::monthly::labels::NO_RATE;
use metrics::figure::Figure;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The narrowest and widest column, in Excel character units.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// A column: its header, under a group header when it is one of a rate's three columns.
pub(super) struct Column {
    group: Option<String>,
    header: String,
}

/// One column with its header.
pub(super) fn col(header: &str) -> Column {
    Column { group: None, header: header.to_owned() }
}

/// The three columns of a rate: 比率, 分子, 分母 under the rate's name.
pub(super) fn rate_cols(name: &str) -> [Column; 3] {
    ["比率", "分子", "分母"].map(|h| Column { group: Some(name.to_owned()), header: h.to_owned() })
}

/// A typed cell.
pub(super) enum Cell {
    /// Text.
    Text(String),
    /// A count, as an integer number.
    Count(u64),
    /// A signed integer, e.g. a rank change.
    Signed(i64),
    /// A score with one decimal shown.
    Score(f64),
    /// A rate shown as a percentage; `None` (no denominator) shows as the text "—", never 0 %.
    Rate(Option<f64>),
    /// Nothing.
    Blank,
}

/// A text cell.
pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The three cells of a rate: the rate, its numerator and its denominator.
pub(super) fn rate_cells(f: Figure) -> [Cell; 3] {
    [Cell::Rate(f.rate()), Cell::Count(f.num), Cell::Count(f.den)]
}

/// The display width of a text: CJK and other wide characters count 2, the rest 1.
pub(super) fn text_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

impl Cell {
    /// About how wide the cell shows.
    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => text_width(s),
            Cell::Count(n) => n.to_string().len(),
            Cell::Signed(n) => n.to_string().len(),
            Cell::Score(s) => format!("{s:.1}").len(),
            Cell::Rate(Some(_)) => "100.0%".len(),
            Cell::Rate(None) => 2,
            Cell::Blank => 0,
        }
    }

    fn write(&self, ws: &mut Worksheet, row: u32, col: u16, s: &Style) -> Result<(), XlsxError> {
        match self {
            Cell::Text(t) => ws.write_string_with_format(row, col, t, &s.text)?,
            Cell::Count(n) => ws.write_number_with_format(row, col, *n as f64, &s.count)?,
            Cell::Signed(n) => ws.write_number_with_format(row, col, *n as f64, &s.count)?,
            Cell::Score(v) => ws.write_number_with_format(row, col, *v, &s.score)?,
            Cell::Rate(Some(v)) => ws.write_number_with_format(row, col, *v, &s.rate)?,
            Cell::Rate(None) => ws.write_string_with_format(row, col, NO_RATE, &s.text)?,
            Cell::Blank => ws.write_blank(row, col, &s.text)?,
        };
        Ok(())
    }
}

/// A table: columns and rows; a row can be bold (a total).
pub(super) struct Table {
    columns: Vec<Column>,
    rows: Vec<(Vec<Cell>, bool)>,
}

impl Table {
    /// A table with these columns and no rows.
    pub(super) fn new(columns: impl IntoIterator<Item = Column>) -> Table {
        Table { columns: columns.into_iter().collect(), rows: Vec::new() }
    }

    /// Appends a row.
    pub(super) fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push((cells.into_iter().collect(), false));
    }

    /// Appends a bold row (a total).
    pub(super) fn bold_row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push((cells.into_iter().collect(), true));
    }

    /// Writes the table at the top of the sheet, freezes its header and sets the column widths and print setup.
    pub(super) fn write(&self, ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        let header_rows = self.write_header(ws, f)?;
        let mut row = header_rows;
        for (cells, bold) in &self.rows {
            let style = if *bold { &f.bold } else { &f.plain };
            for (c, cell) in cells.iter().enumerate() {
                cell.write(ws, row, col_index(c)?, style)?;
            }
            row += 1;
        }
        if self.rows.is_empty() {
            ws.write_string_with_format(row, 0, "本期无", &f.plain.text)?;
        }
        for (c, width) in self.widths().into_iter().enumerate() {
            ws.set_column_width(col_index(c)?, width as f64)?;
        }
        ws.set_freeze_panes(header_rows, 0)?;
        ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, header_rows - 1)?;
        Ok(())
    }

    /// Writes the header; returns how many rows it takes.
    fn write_header(&self, ws: &mut Worksheet, f: &Formats) -> Result<u32, XlsxError> {
        if self.columns.iter().all(|c| c.group.is_none()) {
            for (c, column) in self.columns.iter().enumerate() {
                ws.write_string_with_format(0, col_index(c)?, &column.header, &f.header)?;
            }
            return Ok(1);
        }
        let mut c = 0;
        while c < self.columns.len() {
            let first = col_index(c)?;
            match &self.columns[c].group {
                None => {
                    ws.merge_range(0, first, 1, first, &self.columns[c].header, &f.header)?;
                    c += 1;
                }
                Some(group) => {
                    let span = self.columns[c..].iter().take_while(|k| k.group.as_ref() == Some(group)).count();
                    let last = col_index(c + span - 1)?;
                    if span > 1 {
                        ws.merge_range(0, first, 0, last, group, &f.header)?;
                    } else {
                        ws.write_string_with_format(0, first, group, &f.header)?;
                    }
                    for k in c..c + span {
                        ws.write_string_with_format(1, col_index(k)?, &self.columns[k].header, &f.header)?;
                    }
                    c += span;
                }
            }
        }
        Ok(2)
    }

    /// The width of each column: its widest cell or header plus a margin, within bounds.
    fn widths(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let cells = self.rows.iter().filter_map(|(cells, _)| cells.get(c)).map(Cell::width);
                // A group header spans its three columns: each takes a third of it.
                let group = column.group.as_deref().map_or(0, |g| text_width(g).div_ceil(3));
                let widest = cells.chain([text_width(&column.header), group]).max().unwrap_or(0);
                (widest + 2).clamp(MIN_WIDTH, MAX_WIDTH)
            })
            .collect()
    }
}

/// A column index as the writer takes it.
fn col_index(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}
