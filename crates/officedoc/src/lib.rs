//! Word (.docx) documents in the layout of Chinese official documents (GB/T 9704-2012), deterministic byte for byte.
//!
//! A small, generic document model ([`Document`], [`Block`], [`Table`]) and one function, [`render`], that writes it
//! as an Office Open XML package. It knows nothing of the rest of dualprev: the monthly reports of the cities and of the
//! province are turned into a [`Document`] by their own crate.
//!
//! # Layout
//!
//! - Page: A4 portrait, 11906 × 16838 twips; margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
//!   (2098, 1984, 1587 and 1474 twips), which leaves a text area of 156 × 225 mm.
//! - Title: centred, 方正小标宋简体 二号 (22 pt), fixed line spacing of 35 pt; an optional subtitle under it in
//!   楷体_GB2312 三号 (16 pt); one blank line between them and the text.
//! - Headings: level 1 in 黑体 三号, level 2 in 楷体_GB2312 三号 bold, indented by two characters like the body
//!   (the numbering, "一、" or "（一）", is part of the caller's text).
//! - Body: 仿宋_GB2312 三号 (16 pt), justified, first line indented by two characters, fixed line spacing of
//!   28.95 pt (579 twips): 22 lines fill the 225 mm text area as GB/T 9704 asks.
//! - Tables: centred across the text width, single 0.5 pt borders, 仿宋_GB2312 小四 (12 pt) centred in the cells; the
//!   header row is bold, repeated at the top of each page, and no row breaks across pages. An optional caption above
//!   in 黑体 四号, and a short empty paragraph after each table (it keeps two tables apart). Column widths are the
//!   caller's relative widths, or else follow the widest text of each column.
//! - Notes (说明): 仿宋_GB2312 四号 (14 pt), fixed line spacing of 22 pt.
//! - Signature (落款): after one blank line the issuing body, right-aligned two characters from the right margin, and
//!   under it the date written "2026年12月20日" (Arabic numerals, which GB/T 9704-2012 allows), centred under the
//!   issuing body as far as the estimated text widths allow.
//! - Page numbers: "— N —" centred in the footer of every page, a `PAGE` field, 宋体 四号 (14 pt).
//!
//! # Text
//!
//! The text of a [`Block::Paragraph`] or [`Block::Note`] is split at each `'\n'` into several paragraphs; each line is
//! trimmed of leading and trailing white space (the ideographic space U+3000 included: the style indents the first
//! line itself) and lines left empty are skipped. In the title, the subtitle, headings and table cells a `'\n'` is a
//! line break inside the one paragraph (in a cell: a new paragraph of the cell). A `'\t'` is a tab everywhere.
//! Characters that XML 1.0 cannot carry (control characters other than tab and line feed) are dropped.
//!
//! # Fonts and fallbacks
//!
//! Every run names its fonts directly, `w:eastAsia` for Chinese and `w:ascii`/`w:hAnsi` (Times New Roman; 宋体 for the
//! page number) for Latin letters and digits, and the paragraph styles (Normal, Title, Subtitle, heading 1/2, Caption,
//! Table Text, Note, Signature, footer) repeat them. The GB fonts are not on every machine, so the font table
//! (`word/fontTable.xml`) describes each with a `w:altName` and a chain of entries that ends in a font every Chinese
//! Windows has: 仿宋_GB2312 → 仿宋 → FangSong, 方正小标宋简体 → 宋体 → SimSun, 楷体_GB2312 → 楷体 → KaiTi, and
//! 黑体 → SimHei. Each entry also carries the GB2312 character set (`w:charset` 86), a PANOSE class and the code page
//! bits (`w:sig`), which is what Word uses to pick a substitute when even the alternative name is missing; LibreOffice
//! and WPS substitute by the language of the text, set to zh-CN in the styles. (The `docx-rs` crate writes a fixed
//! font table without `w:altName`, one reason this crate writes the parts itself; see below.)
//!
//! # Determinism
//!
//! The same [`Document`] gives the same bytes in every run and every process:
//! - the parts are written by this crate with [`quick_xml`], in a fixed order, without random or counter-based ids
//!   (relationship ids are fixed, no `w:rsid` or `w14:paraId`), and nothing depends on a hash map's order;
//! - `docProps/core.xml` dates the document by its own [`Document::date`] at 00:00:00Z (created and modified), never
//!   the current time;
//! - the zip entries are stored (not compressed), all dated the document's date at 00:00 (1980-01-01 outside the
//!   years 1980–2107 that zip can hold), with Unix permissions 0644, so the bytes depend neither on the clock nor on
//!   a compression library's version.
//!
//! `docx-rs` (0.4.22) was the first choice and was set aside: its paragraph, footer and other ids come from process-
//! or thread-wide counters (a second document in the same process gets other ids), its font table cannot name
//! alternative fonts, and it brings a second `zip` and `quick-xml` into the build. The zip writer is the workspace's
//! `zip`; the XML writer is `quick-xml`, whose escaping of text and attribute values keeps every part well formed.

mod body;
mod error;
mod fonts;
mod footer;
mod package;
mod parts;
mod style;
mod table;
mod xml;

pub use error::OfficeDocError;

use chrono::NaiveDate;

/// A document: the title block, the blocks of the text, and the signature (落款) of issuing body and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The title (标题), e.g. "太原市2026年11月危险化学品企业双重预防机制运行情况通报".
    pub title: String,
    /// A line under the title, e.g. "（2026年11月）"; none when `None`.
    pub subtitle: Option<String>,
    /// The issuing body (发文机关), e.g. "太原市应急管理局": signs the document and is its author in the properties.
    pub issuer: String,
    /// The date of the document (成文日期): written in the signature, and the creation time of the file.
    pub date: NaiveDate,
    /// The text, in order.
    pub blocks: Vec<Block>,
}

/// One block of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: level 1 ("一、…", 黑体) or 2 ("（一）…", 楷体 bold); any other level is refused.
    Heading {
        /// 1 or 2.
        level: u8,
        /// The heading with its numbering.
        text: String,
    },
    /// Body text; each line of it is a paragraph (see the crate documentation).
    Paragraph(String),
    /// A table.
    Table(Table),
    /// Small print, e.g. a 说明 of how the figures are counted; each line is a paragraph.
    Note(String),
}

/// A table: a header row and rows of the same number of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// A caption above the table, e.g. "表1 各市隐患整改情况".
    pub caption: Option<String>,
    /// The header row (bold, repeated on each page); its length is the number of columns.
    pub header: Vec<String>,
    /// The rows; each has exactly as many cells as the header. Fractions such as "45/50" are plain text.
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, one positive number per column; `None` sizes the columns by their text.
    pub widths: Option<Vec<u32>>,
}

/// Writes `doc` as a .docx file (the bytes of the zip package).
///
/// The same document always gives the same bytes. Fails with [`OfficeDocError::InvalidHeading`] or
/// [`OfficeDocError::InvalidTable`] before writing anything when the document is malformed.
pub fn render(doc: &Document) -> Result<Vec<u8>, OfficeDocError> {
    body::validate(doc)?;
    let parts = [
        ("[Content_Types].xml", parts::CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", parts::PACKAGE_RELS.as_bytes().to_vec()),
        ("docProps/core.xml", parts::core(doc)?),
        ("docProps/app.xml", parts::APP.as_bytes().to_vec()),
        ("word/document.xml", body::document(doc)?),
        ("word/_rels/document.xml.rels", parts::DOCUMENT_RELS.as_bytes().to_vec()),
        ("word/styles.xml", style::styles_xml()?),
        ("word/settings.xml", parts::SETTINGS.as_bytes().to_vec()),
        ("word/fontTable.xml", fonts::font_table_xml()?),
        ("word/footer1.xml", footer::footer_xml()?),
    ];
    package::zip(&parts, doc.date)
}
