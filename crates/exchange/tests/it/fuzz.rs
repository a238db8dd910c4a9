//! Fuzzing by property: no input makes the body decoder, the `datas` decryption or the validator panic, and the
//! validator accounts for every record (`valid + rejected = batch size`, every error points into the batch with a
//! JSON path and a message). Bounded in CI (proptest's 256 cases per property); run at scale with
//! `PROPTEST_CASES=100000 cargo test --release -p exchange --test it fuzz`.

use crate::generate::{Rng, record};
use crate::{ctx, now};
use domain::ExchangeTable;
use domain::client::Cipher;
use exchange::{Context, decrypt_datas, encrypt_datas, parse_body, parse_page, parse_records, to_wire, validate_batch};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any JSON value, nested up to 3 levels, with strings that mix ASCII, CJK, controls and long runs.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[0-9a-fA-F-]{0,40}".prop_map(Value::String),
        "\\PC{0,24}".prop_map(Value::String),
        "[\u{0}-\u{1f} 　0-9:-]{0,20}".prop_map(Value::String),
        Just(Value::String("x".repeat(10_001))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,16}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn table() -> impl Strategy<Value = ExchangeTable> {
    prop::sample::select(ExchangeTable::ALL.to_vec())
}

/// A valid wire record of a table with some fields replaced by anything, removed, or added.
fn mutated() -> impl Strategy<Value = (ExchangeTable, Value)> {
    (table(), any::<u64>(), prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, json()), 1..6)).prop_map(
        |(table, seed, edits)| {
            let mut wire = to_wire(&record(&mut Rng(seed), table));
            let obj = wire.as_object_mut().expect("a wire record is an object");
            for (at, kind, value) in edits {
                let keys: Vec<String> = obj.keys().cloned().collect();
                let key = keys[at.index(keys.len())].clone();
                match kind {
                    0 => drop(obj.insert(key, value)),
                    1 => drop(obj.remove(&key)),
                    _ => drop(obj.insert(format!("{key}X"), value)),
                }
            }
            (table, wire)
        },
    )
}

/// Validates and checks that every record is accounted for.
fn accounted(table: ExchangeTable, records: &[Value], ctx: &Context) {
    let out = validate_batch(table, records, ctx);
    assert_eq!(out.valid.len() + out.rejected, records.len());
    for e in &out.errors {
        assert!(e.index < records.len());
        assert!(e.field.starts_with('$'), "{e:?}");
        assert!(!e.message.trim().is_empty(), "{e:?}");
    }
    let rejected: std::collections::BTreeSet<usize> = out.errors.iter().map(|e| e.index).collect();
    assert_eq!(rejected.len(), out.rejected, "each rejected record has at least one error, and only those");
    assert!(out.valid.iter().all(|(i, _)| !rejected.contains(i)));
}

proptest! {
    #[test]
    fn bodies_and_pages_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_body(&bytes);
        let _ = parse_records(&bytes);
        let _ = parse_page(&bytes);
    }

    #[test]
    fn json_shaped_bodies_never_panic(v in json()) {
        let text = v.to_string();
        let _ = parse_body(text.as_bytes());
        let _ = parse_page(text.as_bytes());
        let envelope = serde_json::json!({"datas": v}).to_string();
        let _ = parse_body(envelope.as_bytes());
    }

    #[test]
    fn datas_decryption_never_panics(text in "[A-Za-z0-9+/=\\n]{0,200}|\\PC{0,64}") {
        for cipher in Cipher::ALL {
            let _ = decrypt_datas(&text, cipher, b"0123456789abcdef", b"fedcba9876543210");
        }
    }

    #[test]
    fn encryption_round_trips(
        plain in prop::collection::vec(any::<u8>(), 0..300),
        key in any::<[u8; 16]>(),
        sm4 in any::<bool>(),
    ) {
        let iv = [7u8; 16];
        let cipher = if sm4 { Cipher::Sm4Cbc } else { Cipher::Aes128Cbc };
        prop_assert_eq!(decrypt_datas(&encrypt_datas(&plain, cipher, &key, &iv), cipher, &key, &iv).ok(), Some(plain));
    }

    #[test]
    fn any_records_are_accounted_for(table in table(), records in prop::collection::vec(json(), 0..8)) {
        accounted(table, &records, &ctx());
        accounted(table, &records, &Context::offline(now()));
    }

    #[test]
    fn mutated_valid_records_are_accounted_for(batch in prop::collection::vec(mutated(), 1..6)) {
        for (table, wire) in &batch {
            accounted(*table, std::slice::from_ref(wire), &ctx());
        }
        let (table, _) = batch[0];
        let same: Vec<Value> = batch.iter().filter(|(t, _)| *t == table).map(|(_, w)| w.clone()).collect();
        accounted(table, &same, &ctx());
    }
}
