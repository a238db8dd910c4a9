//! The parts of the package around the document: content types, relationships, properties and settings.

use chrono::{Datelike, NaiveDate};

use crate::Document;
use crate::error::OfficeDocError;
use crate::xml::Xml;

/// `[Content_Types].xml`.
pub(crate) const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/settings.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
    r#"<Override PartName="/word/fontTable.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>"#,
    r#"<Override PartName="/word/footer1.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"<Override PartName="/docProps/app.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    r#"</Types>"#,
);

/// `_rels/.rels`: the main document and the two property parts.
pub(crate) const PACKAGE_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#,
    r#"Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" "#,
    r#"Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" "#,
    r#"Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" "#,
    r#"Target="docProps/app.xml"/>"#,
    r#"</Relationships>"#,
);

/// The relationship id of the footer in `word/_rels/document.xml.rels`.
pub(crate) const FOOTER_RID: &str = "rId4";

/// `word/_rels/document.xml.rels`: styles, settings, font table and footer, with fixed ids.
pub(crate) const DOCUMENT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"<Relationship Id="rId2" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
    r#"<Relationship Id="rId3" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" "#,
    r#"Target="fontTable.xml"/>"#,
    r#"<Relationship Id="rId4" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    r#"</Relationships>"#,
);

/// `docProps/app.xml`: the application, without a version (a new version of this crate would change the bytes).
pub(crate) const APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    r#"<Application>dualprev officedoc</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"#,
    r#"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"#,
    r#"</Properties>"#,
);

/// `word/settings.xml`: compatibility mode of Word 2013 and later, Chinese punctuation compression.
pub(crate) const SETTINGS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#,
    r#"<w:characterSpacingControl w:val="compressPunctuation"/>"#,
    r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" "#,
    r#"w:val="15"/></w:compat>"#,
    r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>"#,
    r#"</w:settings>"#,
);

/// `docProps/core.xml`: title, issuer as creator, and the document's date at 00:00:00Z as created and modified time.
pub(crate) fn core(doc: &Document) -> Result<Vec<u8>, OfficeDocError> {
    let mut x = Xml::part()?;
    x.open(
        "cp:coreProperties",
        &[
            ("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )?;
    x.leaf("dc:title", &[], &doc.title)?;
    x.leaf("dc:creator", &[], &doc.issuer)?;
    x.leaf("cp:lastModifiedBy", &[], &doc.issuer)?;
    x.leaf("dc:language", &[], "zh-CN")?;
    x.leaf("cp:revision", &[], "1")?;
    let stamp = w3cdtf(doc.date);
    x.leaf("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], &stamp)?;
    x.leaf("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], &stamp)?;
    x.close("cp:coreProperties")?;
    Ok(x.finish())
}

/// `date` at midnight UTC, e.g. "2026-12-20T00:00:00Z".
fn w3cdtf(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}T00:00:00Z", date.year(), date.month(), date.day())
}
