//! A thin writer of XML parts over [`quick_xml`], and the run of text shared by the body, tables and footer.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::OfficeDocError;
use crate::style::Face;

/// The WordprocessingML namespace.
pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace of WordprocessingML parts.
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The result of every write.
pub(crate) type Written = Result<(), OfficeDocError>;

/// One XML part being written to memory, starting with the standalone UTF-8 declaration.
pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A new part: the XML declaration is written.
    pub(crate) fn part() -> Result<Self, OfficeDocError> {
        let mut writer = Writer::new(Vec::with_capacity(16 * 1024));
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes"))))
            .map_err(OfficeDocError::render)?;
        Ok(Xml { writer })
    }

    /// `<name attrs…>`.
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Written {
        self.event(Event::Start(start(name, attrs)))
    }

    /// `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Written {
        self.event(Event::Empty(start(name, attrs)))
    }

    /// `<name w:val="value"/>`, the commonest element of WordprocessingML.
    pub(crate) fn val(&mut self, name: &str, value: &str) -> Written {
        self.empty(name, &[("w:val", value)])
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) -> Written {
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// Escaped text, without the characters XML 1.0 cannot carry.
    pub(crate) fn text(&mut self, text: &str) -> Written {
        let text = xml_safe(text);
        self.event(Event::Text(BytesText::new(&text)))
    }

    /// `<name attrs…>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Written {
        self.open(name, attrs)?;
        self.text(text)?;
        self.close(name)
    }

    /// The bytes of the part.
    pub(crate) fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }

    fn event(&mut self, event: Event<'_>) -> Written {
        self.writer.write_event(event).map_err(OfficeDocError::render)
    }
}

fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
    let mut element = BytesStart::new(name);
    for &(key, value) in attrs {
        element.push_attribute((key, value));
    }
    element
}

/// `text` without the characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, and
/// U+FFFE/U+FFFF).
fn xml_safe(text: &str) -> Cow<'_, str> {
    fn allowed(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// The run properties of `face`: fonts for Latin and Chinese text, bold, size.
pub(crate) fn run_props(x: &mut Xml, face: &Face) -> Written {
    x.open("w:rPr", &[])?;
    x.empty(
        "w:rFonts",
        &[("w:ascii", face.ascii), ("w:hAnsi", face.ascii), ("w:eastAsia", face.east_asia), ("w:cs", face.ascii)],
    )?;
    if face.bold {
        x.empty("w:b", &[])?;
        x.empty("w:bCs", &[])?;
    }
    let size = face.half_points.to_string();
    x.val("w:sz", &size)?;
    x.val("w:szCs", &size)?;
    x.close("w:rPr")
}

/// One run of `text` in `face`: a `'\n'` is a line break (`w:br`), a `'\t'` a tab; a `'\r'` before a `'\n'` is
/// dropped.
pub(crate) fn run(x: &mut Xml, face: &Face, text: &str) -> Written {
    x.open("w:r", &[])?;
    run_props(x, face)?;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[])?;
        }
        for (j, piece) in line.strip_suffix('\r').unwrap_or(line).split('\t').enumerate() {
            if j > 0 {
                x.empty("w:tab", &[])?;
            }
            if !piece.is_empty() {
                text_element(x, piece)?;
            }
        }
    }
    x.close("w:r")
}

/// `<w:t>`, keeping leading or trailing spaces where there are any.
pub(crate) fn text_element(x: &mut Xml, text: &str) -> Written {
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        x.leaf("w:t", &[("xml:space", "preserve")], text)
    } else {
        x.leaf("w:t", &[], text)
    }
}
