//! The zip package itself: its parts, their order, their dates, and well-formed XML.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;
use zip::ZipArchive;

use crate::sample;
use officedoc::render;

/// The entries of a rendered document: (name, last-modified date, compression, bytes).
fn entries(bytes: &[u8]) -> Vec<(String, zip::DateTime, zip::CompressionMethod, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("an entry");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("the entry reads");
            let modified = file.last_modified().expect("a modification time");
            (file.name().expect("a UTF-8 name").into_owned(), modified, file.compression(), content)
        })
        .collect()
}

/// Fails unless `xml` is well-formed (every element closed, every entity known).
fn assert_well_formed(name: &str, xml: &[u8]) {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(text)) => {
                text.xml10_content();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed: {e}"),
        }
        buf.clear();
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
}

#[test]
fn the_package_has_the_parts_of_a_word_document_in_a_fixed_order() {
    let bytes = render(&sample::document()).expect("renders");
    let entries = entries(&bytes);
    let names: Vec<&str> = entries.iter().map(|(name, ..)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
        ]
    );
    assert!(names.iter().any(|n| n.starts_with("word/footer") && n.ends_with(".xml")));
    for (name, modified, compression, content) in &entries {
        assert_eq!(
            (modified.year(), modified.month(), modified.day(), modified.hour(), modified.minute()),
            (2026, 12, 20, 0, 0),
            "{name} is dated the document's date at 00:00"
        );
        assert_eq!(*compression, zip::CompressionMethod::Stored, "{name}");
        assert_well_formed(name, content);
    }
    let core = String::from_utf8(entries[2].3.clone()).expect("UTF-8");
    assert!(core.contains(">2026-12-20T00:00:00Z</dcterms:created>"), "{core}");
    assert!(core.contains(">2026-12-20T00:00:00Z</dcterms:modified>"), "{core}");
}

#[test]
fn markup_and_control_characters_in_the_text_stay_well_formed() {
    let mut doc = sample::document();
    doc.title = "A&B <c> \"d\"\u{1}\u{b}".to_owned();
    doc.issuer = "X&Y</w:t>".to_owned();
    doc.blocks.push(officedoc::Block::Paragraph("tab\there & <there>\u{0}".to_owned()));
    let bytes = render(&doc).expect("renders");
    for (name, _, _, content) in entries(&bytes) {
        assert_well_formed(&name, &content);
    }
    let document = entries(&bytes).into_iter().find(|(name, ..)| name == "word/document.xml").expect("document.xml");
    let xml = String::from_utf8(document.3).expect("UTF-8");
    assert!(xml.contains("<w:t>A&amp;B &lt;c&gt; &quot;d&quot;</w:t>"), "the title escaped, controls dropped");
    assert!(xml.contains("<w:t>tab</w:t><w:tab/><w:t>here &amp; &lt;there&gt;</w:t>"), "a tab is a w:tab");
}
