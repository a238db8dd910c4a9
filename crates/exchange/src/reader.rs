//! Reading the fields of one record: each accessor checks one field, records every problem it finds, and returns
//! `None` when it found one. A table reads all its fields first and combines them last, so that a record's errors
//! are all reported, not only the first.
//!
//! Convention of the accessors: `req_*` → `Option<T>` (`None` = an error was recorded); `opt_*` →
//! `Option<Option<T>>` (`None` = an error was recorded, `Some(None)` = absent, `null` or blank).

use crate::error::both;
use crate::layout::{Layout, MAX_FIELDS};
use crate::{ErrorCode, RecordError};
use chrono::NaiveDateTime;
use domain::{ExchangeTable, RecordId};
use serde_json::{Map, Value};
use std::cell::Cell;

/// The limit of texts the contract gives no length (characters).
pub(crate) const TEXT_LIMIT: usize = 10_000;

/// The fields of one record being read, and the problems found so far.
///
/// The record's members are sorted into slots once (one pass, equality compares only), so that reading a field
/// does not search the map again.
pub(crate) struct Reader<'a> {
    obj: &'a Map<String, Value>,
    layout: &'static Layout,
    /// Where the last field read was (searches for the next one start there).
    cursor: Cell<usize>,
    /// The value of each defined field: the common fields, then the table's own; `None` when absent or `null`.
    slots: [Option<&'a Value>; MAX_FIELDS],
    /// Whether the record has members the contract does not define for its table.
    pub(crate) has_extra: bool,
    index: usize,
    id: Option<&'a str>,
    /// The latest acceptable datetime (UTC): the receive time plus 10 minutes.
    pub(crate) latest: NaiveDateTime,
    /// The problems found so far.
    pub(crate) errors: Vec<RecordError>,
    /// The warnings so far (`alias_used`, `epoch_time`): the record is read all the same.
    pub(crate) warnings: Vec<RecordError>,
    /// The aliases read as their fields (left out of `extra`).
    used_aliases: Vec<&'static str>,
}

/// Whether a text is blank: empty or whitespace only (Unicode whitespace, U+3000 included).
pub(crate) fn is_blank(s: &str) -> bool {
    // Fast path: a first byte that is ASCII and not whitespace settles it.
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Whether `s` holds a C0 control character other than tab, line feed and carriage return.
fn has_control(s: &str) -> bool {
    // Bytes below 0x20 only ever occur as ASCII characters in UTF-8.
    s.bytes().any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// The `id` of a record as errors name it: a string of at most 64 characters without control characters.
pub(crate) fn readable_id(id: Option<&Value>) -> Option<&str> {
    id.and_then(Value::as_str).filter(|s| s.len() <= 64 && !has_control(s) && !is_blank(s))
}

impl<'a> Reader<'a> {
    /// A reader of `obj`, a record of `table` at `index` of its batch.
    pub(crate) fn new(table: ExchangeTable, obj: &'a Map<String, Value>, index: usize, latest: NaiveDateTime) -> Self {
        let layout = Layout::get(table);
        let mut slots = [None; MAX_FIELDS];
        let mut unknown = 0;
        let mut cursor = 0;
        for (name, value) in obj {
            match layout.slot_by_member(name, &mut cursor) {
                Some(i) if !value.is_null() => slots[i] = Some(value),
                Some(_) => {}
                None => unknown += 1,
            }
        }
        let id = readable_id(slots[0]);
        let mut r = Reader {
            obj,
            layout,
            cursor: Cell::new(0),
            slots,
            has_extra: unknown > 0,
            index,
            id,
            latest,
            errors: Vec::new(),
            warnings: Vec::new(),
            used_aliases: Vec::new(),
        };
        if unknown > 0 {
            r.read_aliases(table, unknown);
        }
        r
    }

    /// Reads the aliases among the `unknown` members as the fields they stand for, when the field itself is absent
    /// (sent under both names, the field wins and the alias stays an extra member).
    fn read_aliases(&mut self, table: ExchangeTable, unknown: usize) {
        for (name, value) in self.obj {
            let Some(alias) = crate::aliases::field_of(table, name) else { continue };
            let Some(slot) = self.layout.slot_by_field(alias.field, &mut 0) else { continue };
            if self.slots[slot].is_some() {
                continue;
            }
            if !value.is_null() {
                self.slots[slot] = Some(value);
            }
            self.used_aliases.push(alias.alias);
            let (a, f) = (alias.alias, alias.field);
            let message = format!(
                "{a} 是 {f} 的别名，已按 {f} 读取；请改用 {f} / {a} is an alias of {f} and was read as {f}; please send {f}"
            );
            self.warn(a, ErrorCode::AliasUsed, message);
        }
        self.has_extra = unknown > self.used_aliases.len();
    }

    /// The `id` as sent, when it is a string (for finding duplicates in a batch).
    pub(crate) fn raw_id(&self) -> Option<&'a str> {
        self.slots[0].and_then(Value::as_str)
    }

    /// The value of a field; `null` counts as absent.
    pub(crate) fn get(&self, f: &str) -> Option<&'a Value> {
        // The same field is often read twice in a row (a type check, then the text): start one back.
        let mut cursor = self.cursor.get().saturating_sub(1);
        let slot = self.layout.slot_by_field(f, &mut cursor);
        self.cursor.set(cursor);
        match slot {
            Some(i) => self.slots[i],
            // Only names the table defines are read; a map lookup keeps any other name correct.
            None => self.obj.get(f).filter(|v| !v.is_null()),
        }
    }

    /// The members the contract does not define for the table, as compact JSON, when there are any.
    pub(crate) fn extra(&self) -> Option<String> {
        if !self.has_extra {
            return None;
        }
        let extra: Map<String, Value> = self
            .obj
            .iter()
            .filter(|(k, _)| {
                self.layout.slot_by_member(k, &mut 0).is_none() && !self.used_aliases.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::to_string(&extra).ok()
    }

    /// Records a problem of field `f` (a wire name or a `$` path).
    pub(crate) fn fail(&mut self, f: &str, code: ErrorCode, message: String) {
        self.errors.push(RecordError::new(self.index, self.id, f, code, message));
    }

    /// Records a warning about field `f`: the record is read all the same.
    pub(crate) fn warn(&mut self, f: &str, code: ErrorCode, message: String) {
        self.warnings.push(RecordError::new(self.index, self.id, f, code, message));
    }

    /// Records that a required field is absent, `null` or blank.
    pub(crate) fn missing(&mut self, f: &str) {
        self.fail(f, ErrorCode::MissingField, both(f, "为必填项", "is required"));
    }

    /// Records that a field required by another field's value is absent (`zh`/`en` say when it is required).
    pub(crate) fn missing_because(&mut self, f: &str, zh: &str, en: &str) {
        self.fail(f, ErrorCode::MissingField, format!("{zh}，{f} 为必填项 / {f} is required {en}"));
    }

    /// Records a field of the wrong JSON type; `zh`/`en` name the expected type.
    pub(crate) fn bad_type(&mut self, f: &str, zh: &str, en: &str) {
        self.fail(f, ErrorCode::BadType, format!("{f} 必须为{zh} / {f} must be {en}"));
    }

    /// Records a cross-field contradiction.
    pub(crate) fn inconsistent(&mut self, f: &str, zh: &str, en: &str) {
        self.fail(f, ErrorCode::Inconsistent, format!("{zh} / {en}"));
    }

    /// Checks a text for control characters and its length in characters; records what is wrong.
    pub(crate) fn check_text(&mut self, f: &str, s: &str, max: usize) -> bool {
        let mut ok = true;
        if has_control(s) {
            let msg = both(f, "含有控制字符（如 NUL）", "contains control characters (such as NUL)");
            self.fail(f, ErrorCode::BadFormat, msg);
            ok = false;
        }
        // A text of at most `max` bytes has at most `max` characters: count only when it might be too long.
        if s.len() > max {
            let n = s.chars().count();
            if n > max {
                let msg = format!("{f} 最长 {max} 个字符，实际 {n} 个 / {f} is at most {max} characters long, got {n}");
                self.fail(f, ErrorCode::TooLong, msg);
                ok = false;
            }
        }
        ok
    }

    /// A string field, checked: `Ok(None)` when absent, `null` or blank; `Err` when a problem was recorded.
    pub(crate) fn text(&mut self, f: &str, max: usize) -> Result<Option<&'a str>, ()> {
        match self.get(f) {
            None => Ok(None),
            Some(Value::String(s)) if is_blank(s) => Ok(None),
            Some(Value::String(s)) => {
                if self.check_text(f, s, max) {
                    Ok(Some(s))
                } else {
                    Err(())
                }
            }
            Some(_) => {
                self.bad_type(f, "字符串", "a string");
                Err(())
            }
        }
    }

    /// A required string of at most `max` characters, kept exactly as sent.
    pub(crate) fn req_str(&mut self, f: &str, max: usize) -> Option<String> {
        match self.text(f, max) {
            Ok(Some(s)) => Some(s.to_owned()),
            Ok(None) => {
                self.missing(f);
                None
            }
            Err(()) => None,
        }
    }

    /// An optional string of at most `max` characters; blank counts as absent.
    pub(crate) fn opt_str(&mut self, f: &str, max: usize) -> Option<Option<String>> {
        self.text(f, max).ok().map(|s| s.map(str::to_owned))
    }

    /// Checks the form of an id (of the record or of a parent).
    fn id_form(&mut self, f: &str, s: &'a str) -> Option<String> {
        if RecordId::is_valid(s) {
            return Some(s.to_owned());
        }
        let msg = both(
            f,
            "必须为 UUID：32 位十六进制数字，或 36 位（8-4-4-4-12，带连字符）",
            "must be a UUID: 32 hex digits, or 36 characters 8-4-4-4-12 with hyphens",
        );
        self.fail(f, ErrorCode::BadFormat, msg);
        None
    }

    /// A required id (the record's `id` or a parent's).
    pub(crate) fn req_id(&mut self, f: &str) -> Option<String> {
        match self.text(f, TEXT_LIMIT) {
            Ok(Some(s)) => self.id_form(f, s),
            Ok(None) => {
                self.missing(f);
                None
            }
            Err(()) => None,
        }
    }

    /// An optional parent id.
    pub(crate) fn opt_id(&mut self, f: &str) -> Option<Option<String>> {
        match self.text(f, TEXT_LIMIT) {
            Ok(Some(s)) => self.id_form(f, s).map(Some),
            Ok(None) => Some(None),
            Err(()) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_forms() {
        assert!(RecordId::is_valid("0123456789abcdef0123456789ABCDEF"));
        assert!(RecordId::is_valid("01234567-89ab-cdef-0123-456789abcdef"));
        for bad in [
            "0123456789abcdef0123456789abcdeg",
            "0123456789abcdef0123456789abcde",
            "01234567-89ab-cdef-0123456789abcdef",
            "01234567089ab-cdef-0123-456789abcdef",
            "",
        ] {
            assert!(!RecordId::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn blank_texts() {
        for blank in ["", " ", "\t\n", "\u{3000}", " \u{3000} "] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for text in ["a", " a", "\u{3000}a", "张"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn control_characters_but_not_tab_or_newlines() {
        assert!(has_control("a\0b"));
        assert!(has_control("a\u{1b}b"));
        assert!(!has_control("a\tb\r\nc 𠀋😀"));
    }
}
