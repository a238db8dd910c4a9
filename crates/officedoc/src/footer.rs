//! `word/footer1.xml`: the page number "— N —", centred on every page.

use crate::error::OfficeDocError;
use crate::style::{FOOTER, para_props};
use crate::xml::{NS_R, NS_W, Written, Xml, run_props, text_element};

/// The footer part: one paragraph holding the dashes and a `PAGE` field (complex field: begin, instruction,
/// separate, the cached result "1", end), so that every reader shows the number of the page.
pub(crate) fn footer_xml() -> Result<Vec<u8>, OfficeDocError> {
    let mut x = Xml::part()?;
    x.open("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)])?;
    x.open("w:p", &[])?;
    para_props(&mut x, &FOOTER, None, None)?;
    text_run(&mut x, "— ")?;
    field_char(&mut x, "begin")?;
    x.open("w:r", &[])?;
    run_props(&mut x, &FOOTER.face)?;
    x.leaf("w:instrText", &[("xml:space", "preserve")], " PAGE ")?;
    x.close("w:r")?;
    field_char(&mut x, "separate")?;
    text_run(&mut x, "1")?;
    field_char(&mut x, "end")?;
    text_run(&mut x, " —")?;
    x.close("w:p")?;
    x.close("w:ftr")?;
    Ok(x.finish())
}

fn text_run(x: &mut Xml, text: &str) -> Written {
    x.open("w:r", &[])?;
    run_props(x, &FOOTER.face)?;
    text_element(x, text)?;
    x.close("w:r")
}

fn field_char(x: &mut Xml, kind: &str) -> Written {
    x.open("w:r", &[])?;
    run_props(x, &FOOTER.face)?;
    x.empty("w:fldChar", &[("w:fldCharType", kind)])?;
    x.close("w:r")
}
