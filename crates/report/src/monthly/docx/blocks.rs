//! The blocks of the document as the sections add them: headings, numbered tables (表1, 表2, …), notes, and the
//! text of cells.

use crate::monthly::labels::NO_RATE;
use metrics::figure::Figure;
use officedoc::{Block, Table};

/// The widest a column's body text counts when the columns are sized, in half-width characters (ten Chinese
/// characters): a long description wraps instead of squeezing the other columns.
const BODY_CAP: usize = 20;
/// The widest a header counts (five Chinese characters); longer headers wrap.
const HEADER_CAP: usize = 10;
/// The narrowest column (two Chinese characters).
const MIN_WIDTH: usize = 4;

/// The blocks built so far and the number of the last table.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    blocks: Vec<Block>,
    tables: usize,
}

impl Blocks {
    /// Adds a heading of level 1 or 2 (the caller numbers it).
    pub(super) fn heading(&mut self, level: u8, text: String) {
        self.blocks.push(Block::Heading { level, text });
    }

    /// Adds body text; each line is a paragraph.
    pub(super) fn paragraph(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(text));
    }

    /// Adds a note (small print); each line is a paragraph.
    pub(super) fn note(&mut self, text: String) {
        self.blocks.push(Block::Note(text));
    }

    /// Adds a table captioned "表N caption", or the paragraph 本期无。 when it has no row (as the HTML does).
    pub(super) fn table(&mut self, caption: &str, header: &[&str], rows: Vec<Vec<String>>) {
        if rows.is_empty() {
            self.paragraph("本期无。".to_owned());
            return;
        }
        self.tables += 1;
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let widths = widths(&header, &rows);
        let caption = Some(format!("表{} {caption}", self.tables));
        self.blocks.push(Block::Table(Table { caption, header, rows, widths: Some(widths) }));
    }

    /// The blocks, in order.
    pub(super) fn finish(self) -> Vec<Block> {
        self.blocks
    }
}

/// A rate as the HTML shows it, with its numerator and denominator: `80.0%（4/5）`, or `—（0/0）` without a
/// denominator.
pub(super) fn rate(f: Figure) -> String {
    let percent = if f.den == 0 { NO_RATE.to_owned() } else { f.percent() };
    format!("{percent}（{}/{}）", f.num, f.den)
}

/// A count or any other displayable value as cell text.
pub(super) fn num(n: impl ToString) -> String {
    n.to_string()
}

/// The text, or — when it is empty.
pub(super) fn or_dash(s: &str) -> String {
    if s.trim().is_empty() { NO_RATE.to_owned() } else { s.to_owned() }
}

/// Relative column widths: the widest text of each column in half-width characters (a Chinese character counts 2),
/// the body's counted up to [`BODY_CAP`] and the header's up to [`HEADER_CAP`], at least [`MIN_WIDTH`].
fn widths(header: &[String], rows: &[Vec<String>]) -> Vec<u32> {
    header
        .iter()
        .enumerate()
        .map(|(column, h)| {
            let body = rows.iter().filter_map(|r| r.get(column)).map(|c| width(c)).max().unwrap_or(0);
            let w = body.min(BODY_CAP).max(width(h).min(HEADER_CAP)).max(MIN_WIDTH);
            u32::try_from(w).unwrap_or(1)
        })
        .collect()
}

/// The width of a text in half-width characters: 1 for ASCII, 2 for anything else.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
