//! `word/document.xml`: the title block, the blocks, the signature and the section (page size, margins, footer).

use chrono::Datelike;

use crate::error::OfficeDocError;
use crate::parts::FOOTER_RID;
use crate::style::{self, BODY, HEADING1, HEADING2, LINE, NOTE, ParaStyle, SIGNATURE, SUBTITLE, TITLE, para_props};
use crate::xml::{NS_R, NS_W, Written, Xml, run};
use crate::{Block, Document, table};

/// Checks everything [`document`] relies on: heading levels and table shapes.
pub(crate) fn validate(doc: &Document) -> Result<(), OfficeDocError> {
    for (block, item) in doc.blocks.iter().enumerate() {
        match item {
            Block::Heading { level, .. } if !matches!(level, 1 | 2) => {
                return Err(OfficeDocError::InvalidHeading { block, level: *level });
            }
            Block::Table(t) => table::check(t, block)?,
            Block::Heading { .. } | Block::Paragraph(_) | Block::Note(_) => {}
        }
    }
    Ok(())
}

/// The main part. `doc` has passed [`validate`].
pub(crate) fn document(doc: &Document) -> Result<Vec<u8>, OfficeDocError> {
    let mut x = Xml::part()?;
    x.open("w:document", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)])?;
    x.open("w:body", &[])?;
    // One blank line under the title block: after the subtitle (its style), or after the title when there is none.
    let title_after = if doc.subtitle.is_some() { None } else { Some(LINE) };
    paragraph(&mut x, &TITLE, doc.title.trim(), title_after, None)?;
    if let Some(subtitle) = &doc.subtitle {
        paragraph(&mut x, &SUBTITLE, subtitle.trim(), None, None)?;
    }
    for item in &doc.blocks {
        match item {
            Block::Heading { level: 1, text } => paragraph(&mut x, &HEADING1, text.trim(), None, None)?,
            Block::Heading { text, .. } => paragraph(&mut x, &HEADING2, text.trim(), None, None)?,
            Block::Paragraph(text) => lines(&mut x, &BODY, text)?,
            Block::Note(text) => lines(&mut x, &NOTE, text)?,
            Block::Table(t) => table::write(&mut x, t)?,
        }
    }
    signature(&mut x, doc)?;
    section(&mut x)?;
    x.close("w:body")?;
    x.close("w:document")?;
    Ok(x.finish())
}

/// One paragraph of `style` holding `text` in one run; a `'\n'` in it is a line break.
fn paragraph(x: &mut Xml, style: &ParaStyle, text: &str, after: Option<u32>, right: Option<u32>) -> Written {
    x.open("w:p", &[])?;
    para_props(x, style, after, right)?;
    if !text.is_empty() {
        run(x, &style.face, text)?;
    }
    x.close("w:p")
}

/// A paragraph of `style` for each non-blank line of `text`, trimmed.
fn lines(x: &mut Xml, style: &ParaStyle, text: &str) -> Written {
    for line in text.split('\n').map(str::trim).filter(|line| !line.is_empty()) {
        paragraph(x, style, line, None, None)?;
    }
    Ok(())
}

/// The signature (落款) after one blank line: the issuer two characters from the right margin, the date under it,
/// centred under the issuer as far as their estimated widths allow.
fn signature(x: &mut Xml, doc: &Document) -> Written {
    let em = BODY.face.half_points * 10;
    let issuer = doc.issuer.trim();
    let date = format!("{}年{}月{}日", doc.date.year(), doc.date.month(), doc.date.day());
    let issuer_right = 2 * em;
    let date_right = (issuer_right + width(issuer, em) / 2).saturating_sub(width(&date, em) / 2);
    // The blank line: an empty body paragraph, exactly one line high.
    x.empty("w:p", &[])?;
    paragraph(x, &SIGNATURE, issuer, None, Some(issuer_right))?;
    paragraph(x, &SIGNATURE, &date, None, Some(date_right))
}

/// The estimated width of `text` in twips: `em` for each Chinese character, half of it for the others (Times New
/// Roman digits).
fn width(text: &str, em: u32) -> u32 {
    text.chars().map(|c| if c.is_ascii() { em / 2 } else { em }).sum()
}

/// The section: A4 portrait, the margins of GB/T 9704, the footer with the page number.
fn section(x: &mut Xml) -> Written {
    x.open("w:sectPr", &[])?;
    x.empty("w:footerReference", &[("w:type", "default"), ("r:id", FOOTER_RID)])?;
    let (w, h) = (style::PAGE_WIDTH.to_string(), style::PAGE_HEIGHT.to_string());
    x.empty("w:pgSz", &[("w:w", &w), ("w:h", &h)])?;
    let margins = [
        ("w:top", style::MARGIN_TOP),
        ("w:right", style::MARGIN_RIGHT),
        ("w:bottom", style::MARGIN_BOTTOM),
        ("w:left", style::MARGIN_LEFT),
        ("w:header", style::HEADER_DISTANCE),
        ("w:footer", style::FOOTER_DISTANCE),
        ("w:gutter", 0),
    ]
    .map(|(name, twips)| (name, twips.to_string()));
    let attrs: Vec<(&str, &str)> = margins.iter().map(|(name, value)| (*name, value.as_str())).collect();
    x.empty("w:pgMar", &attrs)?;
    x.empty("w:cols", &[("w:space", "425")])?;
    x.close("w:sectPr")
}
