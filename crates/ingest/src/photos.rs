//! Photos of dangers (issue 22): the fields of `domain::photos::FIELDS` (`dangerImg`, `dangerAcceptImg`,
//! `attachments1`–`3`) carry before/after photos as base64 JPEG or PNG, or as links.
//!
//! After validation, [`take`] reads each photo field of each valid danger: a JPEG or PNG in base64 (plain, line
//! breaks allowed, or a `data:image/…;base64,` URI) of at most 5 MiB decoded is taken out and replaced by
//! `sha256:<hex>`, so that a version stays small and an identical resend is `unchanged`; an `http(s)://` link is kept
//! as sent; a field may hold a JSON array of these (several photos). Anything else rejects that record (`bad_image`,
//! the field's path). [`store`] then stores each photo once and links it to its record, in the batch's transaction.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;
use domain::photos::{self, ImageKind};
use domain::records::Record;
use domain::{CompanyCode, ExchangeTable};
use exchange::{ErrorCode, RecordError, Validated};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use storage::record_attachments::{File, Link};
use storage::records::Outcome;

/// The largest JSON of a batch without its photo texts: the 8 MiB every push body is held to.
pub const MAX_BODY_WITHOUT_PHOTOS: usize = 8 * 1024 * 1024;

/// The largest body of a danger push, photos included (64 MiB: a dozen 5 MiB photos in base64 beside the records).
pub const MAX_BODY_WITH_PHOTOS: usize = 64 * 1024 * 1024;

/// One photo taken out of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// The wire field that carried it.
    pub field: &'static str,
    /// The SHA-256 of the bytes (lowercase hex).
    pub sha256: String,
    /// JPEG or PNG.
    pub kind: ImageKind,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
}

/// The photos taken out of one valid record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    /// The record's index in the batch.
    pub index: usize,
    /// The record id.
    pub record_id: String,
    /// Its photos, by field order.
    pub photos: Vec<Photo>,
    /// Its `extra` as received, with the photos' text (a version stored before photos were kept apart has it).
    pub sent_extra: String,
}

/// Why a photo field's value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Not a string (nor an array of strings).
    Type,
    /// A `data:` URI that is not `data:image/…;base64,`.
    DataUri,
    /// Not base64.
    Base64,
    /// Decodes to something other than a JPEG or PNG.
    Kind,
    /// Over 5 MiB decoded (about how many bytes).
    Size(usize),
}

impl Refusal {
    fn message(self, at: &str) -> String {
        match self {
            Refusal::Type => format!(
                "{at} 须为图片的 base64 文本、http(s) 地址或它们的数组 / {at} must be an image in base64, an http(s) \
                 URL, or an array of them"
            ),
            Refusal::DataUri => format!(
                "{at} 的 data URI 须以 data:image/jpeg;base64, 或 data:image/png;base64, 开头 / {at}: a data URI must \
                 start with data:image/jpeg;base64, or data:image/png;base64,"
            ),
            Refusal::Base64 => {
                format!("{at} 既不是链接，也不是有效的 base64 图片 / {at} is neither a link nor valid base64")
            }
            Refusal::Kind => {
                format!("{at} 解码后不是 JPEG 或 PNG 图片 / {at} does not decode to a JPEG or PNG image")
            }
            Refusal::Size(n) => format!(
                "{at} 图片解码后约 {n} 字节，超过 5 MiB / {at} is an image of about {n} bytes decoded, over 5 MiB \
                 ({} bytes)",
                photos::MAX_BYTES
            ),
        }
    }
}

/// Takes the photos out of the valid dangers of a batch (other tables are left alone): each photo is replaced in
/// its record by `sha256:<hex>` and returned; a record with a bad photo field moves to the rejected ones with a
/// `bad_image` error per bad value. Pure: nothing is stored.
pub fn take(table: ExchangeTable, validated: &mut Validated) -> Vec<Carried> {
    if table != ExchangeTable::Danger {
        return Vec::new();
    }
    let mut carried = Vec::new();
    let mut kept = Vec::with_capacity(validated.valid.len());
    let before = validated.rejected;
    for (index, mut record) in std::mem::take(&mut validated.valid) {
        let sent_extra = record.common.extra.clone().unwrap_or_default();
        match take_record(index, &mut record) {
            Ok(photos) => {
                if !photos.is_empty() {
                    carried.push(Carried { index, record_id: record.common.id.clone(), photos, sent_extra });
                }
                kept.push((index, record));
            }
            Err(errors) => {
                validated.errors.extend(errors);
                validated.rejected += 1;
            }
        }
    }
    validated.valid = kept;
    if validated.rejected > before {
        validated.errors.sort_by_key(|e| e.index);
    }
    carried
}

/// The photos of one record, replaced by their references in its `extra`; or its `bad_image` errors.
fn take_record(index: usize, record: &mut Record) -> Result<Vec<Photo>, Vec<RecordError>> {
    let Some(extra) = record.common.extra.as_deref() else { return Ok(Vec::new()) };
    if !photos::FIELDS.iter().any(|f| extra.contains(f)) {
        return Ok(Vec::new());
    }
    let Ok(Value::Object(mut members)) = serde_json::from_str::<Value>(extra) else { return Ok(Vec::new()) };
    let (mut taken, mut errors) = (Vec::new(), Vec::new());
    for field in photos::FIELDS {
        let Some(value) = members.get_mut(field) else { continue };
        let mut refused = |at: String, why: Refusal| {
            errors.push(RecordError::new(index, Some(&record.common.id), &at, ErrorCode::BadImage, why.message(&at)));
        };
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if let Err(why) = read_value(field, item, &mut taken) {
                        refused(format!("{field}[{i}]"), why);
                    }
                }
            }
            other => {
                if let Err(why) = read_value(field, other, &mut taken) {
                    refused(field.to_owned(), why);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !taken.is_empty() {
        record.common.extra = serde_json::to_string(&members).ok();
    }
    Ok(taken)
}

/// Reads one value of a photo field: null, blank and links are kept; a photo is taken and its reference put in its
/// place.
fn read_value(field: &'static str, value: &mut Value, taken: &mut Vec<Photo>) -> Result<(), Refusal> {
    let text = match value {
        Value::Null => return Ok(()),
        Value::String(s) => s.trim(),
        _ => return Err(Refusal::Type),
    };
    if text.is_empty() || is_link(text) {
        return Ok(());
    }
    let (kind, bytes) = decode(text)?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    *value = Value::String(photos::reference(&sha256));
    taken.push(Photo { field, sha256, kind, bytes });
    Ok(())
}

/// Whether a text is a link, kept as sent whatever follows: an `http://` or `https://` address, or a path on the
/// enterprise's own file server such as `/profile/upload/2026/11/20/a.jpg` (many enterprise systems send those). A
/// path is told from base64 by its `.`, which the base64 alphabet does not have (a JPEG's base64 starts with `/9j/`
/// too).
fn is_link(text: &str) -> bool {
    let starts = |p: &str| text.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("http://") || starts("https://") || (!starts("data:") && text.contains('.'))
}

/// Decodes a photo: base64 (line breaks and missing padding allowed) or a `data:image/…;base64,` URI, of a JPEG
/// or PNG of at most 5 MiB.
fn decode(text: &str) -> Result<(ImageKind, Vec<u8>), Refusal> {
    let payload = match text.get(..5) {
        Some(head) if head.eq_ignore_ascii_case("data:") => {
            let (meta, payload) = text[5..].split_once(',').ok_or(Refusal::DataUri)?;
            let meta = meta.to_ascii_lowercase();
            if !meta.starts_with("image/") || !meta.ends_with(";base64") {
                return Err(Refusal::DataUri);
            }
            payload
        }
        _ => text,
    };
    let compact: Cow<'_, [u8]> = if payload.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(payload.bytes().filter(|b| !b.is_ascii_whitespace()).collect())
    } else {
        Cow::Borrowed(payload.as_bytes())
    };
    // Four characters carry three bytes: a longer text cannot decode to 5 MiB or less; refused before decoding.
    if compact.len() > (photos::MAX_BYTES / 3 + 1) * 4 {
        return Err(Refusal::Size(compact.len() / 4 * 3));
    }
    let bytes = STANDARD_PAD_INDIFFERENT.decode(&compact).map_err(|_| Refusal::Base64)?;
    if bytes.len() > photos::MAX_BYTES {
        return Err(Refusal::Size(bytes.len()));
    }
    let kind = ImageKind::sniff(&bytes).ok_or(Refusal::Kind)?;
    Ok((kind, bytes))
}

/// Counts the bytes written to it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes of a batch as compact JSON with the photo fields of its records left out.
pub fn bytes_beyond_photos(values: &[Value]) -> usize {
    let mut counter = Counter(values.len().saturating_sub(1) + 2);
    for v in values {
        let written = match v {
            Value::Object(m) => {
                let rest: BTreeMap<&str, &Value> = m
                    .iter()
                    .filter(|(k, _)| !photos::FIELDS.contains(&k.as_str()))
                    .map(|(k, v)| (k.as_str(), v))
                    .collect();
                serde_json::to_writer(&mut counter, &rest)
            }
            other => serde_json::to_writer(&mut counter, other),
        };
        if written.is_err() {
            return usize::MAX;
        }
    }
    counter.0
}

/// Refuses a danger body over [`MAX_BODY_WITHOUT_PHOTOS`] whose records, without their photo fields, are over it
/// too (the message says so); other tables' bodies are held to that bound by the API before they get here.
pub fn check_body(table: ExchangeTable, body_len: usize, values: &[Value]) -> Result<(), String> {
    if table != ExchangeTable::Danger || body_len <= MAX_BODY_WITHOUT_PHOTOS {
        return Ok(());
    }
    let rest = bytes_beyond_photos(values);
    if rest <= MAX_BODY_WITHOUT_PHOTOS {
        return Ok(());
    }
    Err(format!(
        "除照片字段外的记录超过 8 MiB（{rest} 字节）/ the records without their photo fields exceed 8 MiB ({rest} bytes; \
         at most {MAX_BODY_WITHOUT_PHOTOS})"
    ))
}

/// Stores the photos of the records the batch stored, held or found unchanged (not of rejected ones), each file
/// once, and links each to its record and field. Runs in the batch's transaction; not called for a dry run.
pub fn store(
    conn: &mut storage::DbConnection,
    company: &CompanyCode,
    table: ExchangeTable,
    carried: &[Carried],
    outcomes: &[(usize, Outcome)],
    now: chrono::NaiveDateTime,
) -> storage::Result<()> {
    if carried.is_empty() {
        return Ok(());
    }
    let kept: HashSet<usize> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Accepted | Outcome::Unchanged | Outcome::Pending { .. }))
        .map(|(i, _)| *i)
        .collect();
    let mine: Vec<&Carried> = carried.iter().filter(|c| kept.contains(&c.index)).collect();
    let files: Vec<File<'_>> = mine
        .iter()
        .flat_map(|c| c.photos.iter())
        .map(|p| File { sha256: &p.sha256, content_type: p.kind.content_type(), bytes: &p.bytes })
        .collect();
    storage::record_attachments::put_files(conn, &files, now)?;
    let links: Vec<Link<'_>> = mine
        .iter()
        .flat_map(|c| c.photos.iter().map(|p| Link { sha256: &p.sha256, record_id: &c.record_id, field: p.field }))
        .collect();
    storage::record_attachments::link(conn, company, table, &links)
}

#[cfg(test)]
mod tests;
