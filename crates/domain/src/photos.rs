//! Photos carried by danger records (`dangerImg`, `dangerAcceptImg`, `attachments1`–`3`): the fields, the image
//! kinds accepted, and the reference (`sha256:<64 hex>`) that replaces a photo's bytes in the stored record once the
//! photo is stored by itself (`ingest::photos`, `storage::record_attachments`).

use serde_json::Value;

/// The danger fields that may carry photos (before and after rectification), in the order they are listed.
pub const FIELDS: [&str; 5] = ["dangerImg", "dangerAcceptImg", "attachments1", "attachments2", "attachments3"];

/// The largest photo accepted, in decoded bytes (5 MiB).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// What a stored photo's reference starts with.
pub const PREFIX: &str = "sha256:";

/// An image kind the platform stores, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    Png,
}

impl ImageKind {
    /// The kind of these bytes, if they start like a JPEG or a PNG file.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else {
            None
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
        }
    }
}

/// Whether a text is a SHA-256 in 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The reference kept in a record in place of a stored photo: `sha256:<hex>`.
pub fn reference(sha256: &str) -> String {
    format!("{PREFIX}{sha256}")
}

/// The SHA-256 a reference names, if the text is one.
pub fn referenced(text: &str) -> Option<&str> {
    text.strip_prefix(PREFIX).filter(|h| is_sha256(h))
}

/// The stored photos a record's `extra` (a JSON object as text) refers to: (field, SHA-256), by [`FIELDS`] order,
/// then in the order of a field's array. Links (URLs) and anything else are left out.
pub fn references(extra: &str) -> Vec<(&'static str, String)> {
    let Ok(Value::Object(members)) = serde_json::from_str::<Value>(extra) else { return Vec::new() };
    let mut out = Vec::new();
    for field in FIELDS {
        let texts: Vec<&str> = match members.get(field) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        out.extend(texts.into_iter().filter_map(referenced).map(|h| (field, h.to_owned())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_references_and_extra() {
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(b"GIF89a"), None);
        let h = "ab".repeat(32);
        assert_eq!(referenced(&reference(&h)), Some(h.as_str()));
        assert_eq!(referenced("sha256:AB"), None);
        let extra = format!(
            r#"{{"attachments2": ["https://x/y.jpg", "sha256:{h}"], "dangerImg": "sha256:{h}", "other": "sha256:{h}"}}"#
        );
        assert_eq!(references(&extra), vec![("dangerImg", h.clone()), ("attachments2", h)]);
        assert!(references("not json").is_empty());
    }
}
