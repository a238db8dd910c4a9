//! Page geometry, type faces and sizes of GB/T 9704-2012, and the paragraph styles (`word/styles.xml`) built on them.

use crate::error::OfficeDocError;
use crate::fonts;
use crate::xml::{NS_W, Written, Xml, run_props};

/// A4 portrait, in twips (1/20 pt).
pub(crate) const PAGE_WIDTH: u32 = 11906;
/// A4 portrait, in twips.
pub(crate) const PAGE_HEIGHT: u32 = 16838;
/// Top margin, 37 mm.
pub(crate) const MARGIN_TOP: u32 = 2098;
/// Bottom margin, 35 mm.
pub(crate) const MARGIN_BOTTOM: u32 = 1984;
/// Left margin, 28 mm.
pub(crate) const MARGIN_LEFT: u32 = 1587;
/// Right margin, 26 mm.
pub(crate) const MARGIN_RIGHT: u32 = 1474;
/// Distance of the header from the page's top edge, 15 mm (the header stays empty).
pub(crate) const HEADER_DISTANCE: u32 = 851;
/// Distance of the footer from the page's bottom edge, 22 mm: the page number sits about 7 mm under the text area.
pub(crate) const FOOTER_DISTANCE: u32 = 1247;
/// The width of the text area, 156 mm.
pub(crate) const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// The fixed line pitch of the body, 28.95 pt: 22 lines in the 225 mm text area.
pub(crate) const LINE: u32 = 579;

/// 二号 (22 pt), in half-points.
const ER_HAO: u32 = 44;
/// 三号 (16 pt).
const SAN_HAO: u32 = 32;
/// 四号 (14 pt).
const SI_HAO: u32 = 28;
/// 小四 (12 pt).
const XIAO_SI: u32 = 24;

/// The Latin face next to the Chinese ones.
const LATIN: &str = "Times New Roman";

/// The fonts and size of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Face {
    /// The font of Chinese text (`w:eastAsia`).
    pub east_asia: &'static str,
    /// The font of Latin letters and digits (`w:ascii`, `w:hAnsi`, `w:cs`).
    pub ascii: &'static str,
    /// The size in half-points (`w:sz`).
    pub half_points: u32,
    /// Bold.
    pub bold: bool,
}

impl Face {
    const fn new(east_asia: &'static str, ascii: &'static str, half_points: u32, bold: bool) -> Self {
        Face { east_asia, ascii, half_points, bold }
    }

    /// The same face in bold.
    pub(crate) const fn bold(self) -> Self {
        Face { bold: true, ..self }
    }
}

/// A paragraph style: its id, name and everything it sets, written in full (nothing left to inheritance).
#[derive(Debug)]
pub(crate) struct ParaStyle {
    /// `w:styleId`, referred to by `w:pStyle`.
    pub id: &'static str,
    /// `w:name`; lower-case names are Word's built-in styles.
    pub name: &'static str,
    /// The face of the style; runs repeat it.
    pub face: Face,
    /// `w:jc`: `both`, `center` or `right`.
    align: &'static str,
    /// First-line indent in characters of the style's size (0 or 2).
    indent_chars: u32,
    /// Fixed line spacing in twips; `None` is single spacing.
    line: Option<u32>,
    /// Space after the paragraph, in twips.
    pub after: u32,
    /// Kept on the page of the next paragraph.
    keep_next: bool,
    /// Outline level (0 for heading 1), for Word's navigation pane.
    outline: Option<&'static str>,
}

const fn para(id: &'static str, name: &'static str, face: Face, align: &'static str) -> ParaStyle {
    ParaStyle { id, name, face, align, indent_chars: 0, line: Some(LINE), after: 0, keep_next: false, outline: None }
}

/// Body text (正文): 仿宋_GB2312 三号, justified, two characters' first-line indent, 28.95 pt lines.
pub(crate) const BODY: ParaStyle = ParaStyle {
    indent_chars: 2,
    ..para("Normal", "Normal", Face::new(fonts::FANGSONG_GB, LATIN, SAN_HAO, false), "both")
};
/// The title: 方正小标宋简体 二号, centred, 35 pt lines.
pub(crate) const TITLE: ParaStyle = ParaStyle {
    line: Some(700),
    keep_next: true,
    ..para("Title", "Title", Face::new(fonts::XIAOBIAOSONG, LATIN, ER_HAO, false), "center")
};
/// The subtitle: 楷体_GB2312 三号, centred, one blank line after it.
pub(crate) const SUBTITLE: ParaStyle = ParaStyle {
    after: LINE,
    keep_next: true,
    ..para("Subtitle", "Subtitle", Face::new(fonts::KAITI_GB, LATIN, SAN_HAO, false), "center")
};
/// Heading level 1: 黑体 三号.
pub(crate) const HEADING1: ParaStyle = ParaStyle {
    indent_chars: 2,
    keep_next: true,
    outline: Some("0"),
    ..para("Heading1", "heading 1", Face::new(fonts::HEITI, LATIN, SAN_HAO, false), "both")
};
/// Heading level 2: 楷体_GB2312 三号 bold.
pub(crate) const HEADING2: ParaStyle = ParaStyle {
    indent_chars: 2,
    keep_next: true,
    outline: Some("1"),
    ..para("Heading2", "heading 2", Face::new(fonts::KAITI_GB, LATIN, SAN_HAO, true), "both")
};
/// The caption of a table: 黑体 四号, centred, kept with the table.
pub(crate) const CAPTION: ParaStyle = ParaStyle {
    keep_next: true,
    ..para("Caption", "caption", Face::new(fonts::HEITI, LATIN, SI_HAO, false), "center")
};
/// The text of table cells: 仿宋_GB2312 小四, centred, single spacing.
pub(crate) const TABLE_TEXT: ParaStyle = ParaStyle {
    line: None,
    ..para("TableText", "Table Text", Face::new(fonts::FANGSONG_GB, LATIN, XIAO_SI, false), "center")
};
/// Notes (说明): 仿宋_GB2312 四号, 22 pt lines, two characters' first-line indent.
pub(crate) const NOTE: ParaStyle = ParaStyle {
    indent_chars: 2,
    line: Some(440),
    ..para("Note", "Note", Face::new(fonts::FANGSONG_GB, LATIN, SI_HAO, false), "both")
};
/// The signature (落款): body face, right-aligned; the right indent is set per paragraph.
pub(crate) const SIGNATURE: ParaStyle = para("Signature", "Signature", BODY.face, "right");
/// The page number: 宋体 四号 (digits in 宋体 too), centred.
pub(crate) const FOOTER: ParaStyle = ParaStyle {
    line: None,
    ..para("Footer", "footer", Face::new(fonts::SONGTI, fonts::SONGTI, SI_HAO, false), "center")
};

const STYLES: [&ParaStyle; 10] =
    [&BODY, &TITLE, &SUBTITLE, &HEADING1, &HEADING2, &CAPTION, &TABLE_TEXT, &NOTE, &SIGNATURE, &FOOTER];

/// `w:pPr` of a paragraph of `style`, with the direct formatting given (`w:spacing w:after`, `w:ind w:right`), or
/// nothing for a plain body paragraph.
pub(crate) fn para_props(x: &mut Xml, style: &ParaStyle, after: Option<u32>, right: Option<u32>) -> Written {
    if style.id == BODY.id && after.is_none() && right.is_none() {
        return Ok(());
    }
    x.open("w:pPr", &[])?;
    x.val("w:pStyle", style.id)?;
    if let Some(after) = after {
        x.empty("w:spacing", &[("w:after", &after.to_string())])?;
    }
    if let Some(right) = right {
        x.empty("w:ind", &[("w:right", &right.to_string())])?;
    }
    x.close("w:pPr")
}

/// `word/styles.xml`: the defaults (Times New Roman and 仿宋_GB2312 三号, zh-CN) and the paragraph styles.
pub(crate) fn styles_xml() -> Result<Vec<u8>, OfficeDocError> {
    let mut x = Xml::part()?;
    x.open("w:styles", &[("xmlns:w", NS_W)])?;
    x.open("w:docDefaults", &[])?;
    x.open("w:rPrDefault", &[])?;
    x.open("w:rPr", &[])?;
    let face = BODY.face;
    x.empty(
        "w:rFonts",
        &[("w:ascii", face.ascii), ("w:hAnsi", face.ascii), ("w:eastAsia", face.east_asia), ("w:cs", face.ascii)],
    )?;
    let size = face.half_points.to_string();
    x.val("w:sz", &size)?;
    x.val("w:szCs", &size)?;
    x.empty("w:lang", &[("w:val", "en-US"), ("w:eastAsia", "zh-CN"), ("w:bidi", "ar-SA")])?;
    x.close("w:rPr")?;
    x.close("w:rPrDefault")?;
    x.close("w:docDefaults")?;
    for style in STYLES {
        style_xml(&mut x, style)?;
    }
    x.open("w:style", &[("w:type", "character"), ("w:default", "1"), ("w:styleId", "DefaultParagraphFont")])?;
    x.val("w:name", "Default Paragraph Font")?;
    x.empty("w:semiHidden", &[])?;
    x.close("w:style")?;
    x.open("w:style", &[("w:type", "table"), ("w:default", "1"), ("w:styleId", "TableNormal")])?;
    x.val("w:name", "Normal Table")?;
    x.empty("w:semiHidden", &[])?;
    x.close("w:style")?;
    x.close("w:styles")?;
    Ok(x.finish())
}

fn style_xml(x: &mut Xml, style: &ParaStyle) -> Written {
    let mut attrs = vec![("w:type", "paragraph")];
    if style.id == BODY.id {
        attrs.push(("w:default", "1"));
    } else if matches!(style.id, "TableText" | "Note") {
        attrs.push(("w:customStyle", "1"));
    }
    attrs.push(("w:styleId", style.id));
    x.open("w:style", &attrs)?;
    x.val("w:name", style.name)?;
    if style.id != BODY.id {
        x.val("w:basedOn", BODY.id)?;
        x.val("w:next", BODY.id)?;
    }
    x.empty("w:qFormat", &[])?;
    x.open("w:pPr", &[])?;
    if style.keep_next {
        x.empty("w:keepNext", &[])?;
    }
    let (line, rule) = match style.line {
        Some(line) => (line, "exact"),
        None => (240, "auto"),
    };
    let (line, after) = (line.to_string(), style.after.to_string());
    x.empty("w:spacing", &[("w:before", "0"), ("w:after", &after), ("w:line", &line), ("w:lineRule", rule)])?;
    let chars = (style.indent_chars * 100).to_string();
    let twips = (style.indent_chars * style.face.half_points * 10).to_string();
    x.empty("w:ind", &[("w:left", "0"), ("w:right", "0"), ("w:firstLineChars", &chars), ("w:firstLine", &twips)])?;
    x.val("w:jc", style.align)?;
    if let Some(level) = style.outline {
        x.val("w:outlineLvl", level)?;
    }
    x.close("w:pPr")?;
    run_props(x, &style.face)?;
    x.close("w:style")
}
