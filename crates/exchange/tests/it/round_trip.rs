//! The round-trip property: for generated valid records of every table, `validate_record(to_wire(r)) == r`, also
//! through the bytes of a body and the `datas` cipher.

use crate::ctx;
use crate::generate::{Rng, record};
use domain::ExchangeTable;
use domain::client::Cipher;
use exchange::{
    Body, MAX_RECORDS, decrypt_datas, encrypt_datas, key_bytes, parse_body, parse_records, to_wire, validate_batch,
    validate_record,
};
use serde_json::Value;

const PER_TABLE: usize = 3_000;

#[test]
fn validating_the_wire_form_gives_the_record_back() {
    let mut rng = Rng(0x5eed);
    for table in ExchangeTable::ALL {
        for i in 0..PER_TABLE {
            let r = record(&mut rng, table);
            let wire = to_wire(&r);
            match validate_record(table, i, &wire, &ctx()) {
                Ok(back) => assert_eq!(back, r, "{table} #{i}: {wire}"),
                Err(e) => panic!("{table} #{i} refused: {e:?}\n{wire}"),
            }
        }
    }
}

#[test]
fn through_an_encrypted_body() {
    let key = key_bytes("0123456789abcdef").unwrap();
    let iv = key_bytes("abcdef0123456789").unwrap();
    let mut rng = Rng(42);
    for (table, cipher) in ExchangeTable::ALL.into_iter().zip(Cipher::ALL.into_iter().cycle()) {
        let records: Vec<_> = (0..MAX_RECORDS).map(|_| record(&mut rng, table)).collect();
        let wire: Vec<Value> = records.iter().map(to_wire).collect();
        let plain = serde_json::to_vec(&wire).unwrap();
        let body = serde_json::to_vec(&serde_json::json!({"datas": encrypt_datas(&plain, cipher, &key, &iv)})).unwrap();
        let Body::Encrypted(text) = parse_body(&body).unwrap() else { panic!("{table}: not encrypted") };
        let parsed = parse_records(&decrypt_datas(&text, cipher, &key, &iv).unwrap()).unwrap();
        let out = validate_batch(table, &parsed, &ctx());
        assert_eq!(out.rejected, 0, "{table}: {:?}", out.errors.first());
        let back: Vec<_> = out.valid.into_iter().map(|(_, r)| r).collect();
        assert_eq!(back, records, "{table}");
    }
}
