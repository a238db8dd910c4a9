//! Where each defined field of a table lives in a [`Reader`](crate::reader::Reader): its slot.
//!
//! Finding slots is the hottest part of validation, so it avoids ordered string comparisons (each a `memcmp`):
//! names are compared by length and last byte first, and searches start where the previous one ended. The members
//! of a JSON object come sorted by name (or in the sender's order, with serde_json's `preserve_order`), and a table
//! reads its fields in declaration order, so nearly every search succeeds at its first comparison.

use crate::tables::{COMMON_FIELDS, fields};
use domain::ExchangeTable;
use std::sync::OnceLock;

/// The most fields a table defines, common ones included.
pub(crate) const MAX_FIELDS: usize = 32;

/// The defined fields of one table.
pub(crate) struct Layout {
    /// The names by slot: the common fields, then the table's own.
    names: Vec<&'static str>,
    /// The names sorted, with their slots.
    sorted: Vec<(&'static str, usize)>,
}

/// Equality of field names, comparing the length and the last byte before the whole text.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// Finds `name` in `list` (by `key`), starting at `*cursor` and wrapping around; moves the cursor past it.
fn find_from<T>(list: &[T], key: impl Fn(&T) -> &str, name: &str, cursor: &mut usize) -> Option<usize> {
    let n = list.len();
    let start = (*cursor).min(n);
    let found = (start..n).chain(0..start).find(|&i| same(key(&list[i]), name))?;
    *cursor = found + 1;
    Some(found)
}

impl Layout {
    fn of(table: ExchangeTable) -> Layout {
        let names: Vec<&'static str> = COMMON_FIELDS.iter().chain(fields(table)).copied().collect();
        let mut sorted: Vec<(&'static str, usize)> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        sorted.sort_unstable();
        Layout { names, sorted }
    }

    /// The layout of `table`.
    pub(crate) fn get(table: ExchangeTable) -> &'static Layout {
        static LAYOUTS: OnceLock<Vec<Layout>> = OnceLock::new();
        let all = LAYOUTS.get_or_init(|| ExchangeTable::ALL.into_iter().map(Layout::of).collect());
        let i = ExchangeTable::ALL.iter().position(|t| *t == table).unwrap_or(0);
        &all[i]
    }

    /// The slot of a member name, searching in name order from `*cursor` (for walking an object's members).
    pub(crate) fn slot_by_member(&self, name: &str, cursor: &mut usize) -> Option<usize> {
        find_from(&self.sorted, |e| e.0, name, cursor).map(|i| self.sorted[i].1)
    }

    /// The slot of a field name, searching in slot order from `*cursor` (for reading fields in order).
    pub(crate) fn slot_by_field(&self, name: &str, cursor: &mut usize) -> Option<usize> {
        find_from(&self.names, |n| n, name, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_fits_and_has_distinct_names() {
        for t in ExchangeTable::ALL {
            let l = Layout::get(t);
            assert!(l.names.len() <= MAX_FIELDS, "{t}");
            assert!(l.sorted.windows(2).all(|w| w[0].0 < w[1].0), "{t} repeats a name");
            assert_eq!(l.names[8..], *fields(t));
        }
    }

    #[test]
    fn searches_find_every_name_from_any_cursor() {
        let l = Layout::get(ExchangeTable::Danger);
        for cursor in 0..=l.names.len() + 3 {
            for (slot, name) in l.names.iter().enumerate() {
                assert_eq!(l.slot_by_field(name, &mut cursor.clone()), Some(slot));
                assert_eq!(l.slot_by_member(name, &mut cursor.clone()), Some(slot));
            }
            assert_eq!(l.slot_by_field("nope", &mut cursor.clone()), None);
        }
    }
}
