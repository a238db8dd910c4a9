//! The fonts of Chinese official documents and their fallbacks: `word/fontTable.xml`.

use crate::error::OfficeDocError;
use crate::xml::{NS_R, NS_W, Xml};

/// 仿宋_GB2312: the body, tables and notes.
pub(crate) const FANGSONG_GB: &str = "仿宋_GB2312";
/// 方正小标宋简体: the title.
pub(crate) const XIAOBIAOSONG: &str = "方正小标宋简体";
/// 楷体_GB2312: the subtitle and level-2 headings.
pub(crate) const KAITI_GB: &str = "楷体_GB2312";
/// 黑体: level-1 headings and table captions.
pub(crate) const HEITI: &str = "黑体";
/// 宋体: the page number.
pub(crate) const SONGTI: &str = "宋体";

/// One entry of the font table.
struct FontEntry {
    name: &'static str,
    /// `w:altName`: the font to use when this one is missing (itself an entry where it has a fallback too).
    alt: Option<&'static str>,
    /// PANOSE-1 classification, ten bytes in hex.
    panose: &'static str,
    /// `w:charset` in hex: 86 is GB2312, 00 ANSI.
    charset: &'static str,
    family: &'static str,
    pitch: &'static str,
    /// `w:sig` as (usb0, usb1, usb2, usb3, csb0, csb1): the Unicode ranges and code pages covered.
    sig: [&'static str; 6],
}

/// Unicode ranges (Latin, CJK) and code pages (Latin 1, GB2312) of the Chinese system fonts, as Word writes them.
const CJK_SIG: [&str; 6] = ["00000003", "288F0000", "00000016", "00000000", "00040001", "00000000"];

const fn cjk(name: &'static str, alt: &'static str, panose: &'static str) -> FontEntry {
    FontEntry { name, alt: Some(alt), panose, charset: "86", family: "modern", pitch: "fixed", sig: CJK_SIG }
}

/// The fonts in the order of the table: each GB font, then its fallback, whose own `w:altName` is the English family
/// name of a font every Chinese Windows installs (SimSun, SimHei, FangSong, KaiTi). 方正小标宋简体 falls back to 宋体,
/// with 宋体's PANOSE class (a Song face).
const FONTS: [FontEntry; 8] = [
    FontEntry {
        name: "Times New Roman",
        alt: None,
        panose: "02020603050405020304",
        charset: "00",
        family: "roman",
        pitch: "variable",
        sig: ["E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000"],
    },
    cjk(FANGSONG_GB, "仿宋", "02010609030101010101"),
    cjk("仿宋", "FangSong", "02010609060101010101"),
    cjk(XIAOBIAOSONG, SONGTI, "02010600030101010101"),
    FontEntry { family: "auto", pitch: "variable", ..cjk(SONGTI, "SimSun", "02010600030101010101") },
    cjk(KAITI_GB, "楷体", "02010609030101010101"),
    cjk("楷体", "KaiTi", "02010609060101010101"),
    cjk(HEITI, "SimHei", "02010609060101010101"),
];

/// `word/fontTable.xml`.
pub(crate) fn font_table_xml() -> Result<Vec<u8>, OfficeDocError> {
    let mut x = Xml::part()?;
    x.open("w:fonts", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)])?;
    for font in &FONTS {
        x.open("w:font", &[("w:name", font.name)])?;
        if let Some(alt) = font.alt {
            x.val("w:altName", alt)?;
        }
        x.val("w:panose1", font.panose)?;
        x.val("w:charset", font.charset)?;
        x.val("w:family", font.family)?;
        x.val("w:pitch", font.pitch)?;
        let [usb0, usb1, usb2, usb3, csb0, csb1] = font.sig;
        x.empty(
            "w:sig",
            &[
                ("w:usb0", usb0),
                ("w:usb1", usb1),
                ("w:usb2", usb2),
                ("w:usb3", usb3),
                ("w:csb0", csb0),
                ("w:csb1", csb1),
            ],
        )?;
        x.close("w:font")?;
    }
    x.close("w:fonts")?;
    Ok(x.finish())
}
