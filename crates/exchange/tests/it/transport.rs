//! Bodies, the `datas` envelope and its cipher, and the receipt.

use crate::{COMPANY, now};
use domain::client::Cipher::{self, Aes128Cbc, Sm4Cbc};
use domain::{CompanyCode, ExchangeTable};
use exchange::{
    Body, BodyError, MAX_RECORDS, Receipt, RecordError, decrypt_datas, encrypt_datas, key_bytes, parse_body,
    parse_records,
};
use serde_json::json;

/// The plain text of the known vector.
const PLAIN: &str = r#"[{"id":"0123456789abcdef0123456789abcdef","name":"液氯 𠀋😀"}]"#;
/// `printf '%s' "$PLAIN" | openssl enc -aes-128-cbc -K 30313233343536373839616263646566 -iv <same> -base64 -A`,
/// also computed with python's `cryptography` (key = IV = "0123456789abcdef", the receivers' default).
const CIPHER_IV_IS_KEY: &str =
    "k+o9pqTp8dJUvzK+ILlffIYjNaiLPkrPPlRybnuEgJmrIrHrtrScAhD1X+PvGM2InrmZbvhd08wsu3ZJu2dSuLhCs1TZ9kjzT1CRvihN7M0=";
/// The same with the IV "fedcba9876543210" (hex 66656463626139383736353433323130).
const CIPHER_OTHER_IV: &str =
    "B/qyXJ280saScU6if5WFVHEQrZu7gep1dDUoVLQoaNrJHvxKLh+GvK9L76Dx6HXvgUmCj2+1SCvauqn2OmJecZewq6j57MmCmZwD+yzNz38=";
/// The same plain text under SM4-CBC, key = IV = "0123456789abcdef": python's `cryptography` (`algorithms.SM4`) and
/// `openssl enc -sm4-cbc -K 30313233343536373839616263646566 -iv <same> -base64 -A`.
const SM4_IV_IS_KEY: &str =
    "H75GRmqLaHNzFqBioeBmG+AFuQdG17NVTS5vUSpLQBO+rszWuz0u+zgz20dFxzLGXVnToRrF042L2UpvgmvaPv9M32X3hQxG0QjDUqv02fg=";
/// SM4-CBC with the IV "fedcba9876543210" (python's `cryptography`).
const SM4_OTHER_IV: &str =
    "eud6DHsKHaKpriso8+96BQ2HcmMrBXBwA4Ats/dNlMb0Rirbzm2V7j5LqSTgJwdJbkFrXYA1v1LNEUee1jt+nMOaCpfAT7UDSJi4d6uv6+A=";

fn key() -> [u8; 16] {
    key_bytes("0123456789abcdef").unwrap()
}

#[test]
fn not_json() {
    for body in [&b"[{"[..], b"", b"datas=abc", b"\xff\xfe[]"] {
        let e = parse_body(body).unwrap_err();
        assert!(matches!(e, BodyError::NotJson(_)), "{body:?}");
        assert_eq!(e.code(), "malformed_body");
    }
}

#[test]
fn json_that_is_not_an_array() {
    for body in [&br#"{"id": "x"}"#[..], b"\"[]\"", b"42", b"null", br#"{"datas": {"a": 1}}"#, br#"{"datas": 5}"#] {
        assert_eq!(parse_body(body), Err(BodyError::NotArray), "{}", String::from_utf8_lossy(body));
    }
    assert_eq!(BodyError::NotArray.code(), "not_an_array");
    assert_eq!(parse_records(br#"{"id": 1}"#), Err(BodyError::NotArray));
}

#[test]
fn an_empty_array() {
    assert_eq!(parse_body(b"[]"), Err(BodyError::Empty));
    assert_eq!(parse_body(br#"{"datas": []}"#), Err(BodyError::Empty));
    assert_eq!(parse_records(b" [ ] "), Err(BodyError::Empty));
    assert_eq!(BodyError::Empty.code(), "empty_batch");
}

#[test]
fn more_than_500_records() {
    let records = |n: usize| serde_json::to_vec(&vec![json!({}); n]).unwrap();
    assert!(matches!(parse_body(&records(MAX_RECORDS)), Ok(Body::Records(r)) if r.len() == 500));
    assert_eq!(parse_body(&records(501)), Err(BodyError::TooMany(501)));
    assert_eq!(parse_records(&records(501)), Err(BodyError::TooMany(501)));
    assert_eq!(BodyError::TooMany(501).code(), "too_many_records");
    assert!(BodyError::TooMany(501).to_string().contains("501"));
}

#[test]
fn the_datas_envelope() {
    let plain = parse_body(br#"{"datas": [{"id": 1}], "sign": "ignored"}"#).unwrap();
    assert_eq!(plain, Body::Records(vec![json!({"id": 1})]));
    let Body::Encrypted(text) = parse_body(format!(r#"{{"datas": "{CIPHER_IV_IS_KEY}"}}"#).as_bytes()).unwrap() else {
        panic!("not encrypted")
    };
    let records = parse_records(&decrypt_datas(&text, Aes128Cbc, &key(), &key()).unwrap()).unwrap();
    assert_eq!(records[0]["name"], "液氯 𠀋😀");
}

#[test]
fn a_known_vector_computed_elsewhere() {
    let iv = key_bytes("fedcba9876543210").unwrap();
    for (cipher, iv_is_key, other_iv) in
        [(Aes128Cbc, CIPHER_IV_IS_KEY, CIPHER_OTHER_IV), (Sm4Cbc, SM4_IV_IS_KEY, SM4_OTHER_IV)]
    {
        assert_eq!(decrypt_datas(iv_is_key, cipher, &key(), &key()).unwrap(), PLAIN.as_bytes(), "{cipher:?}");
        assert_eq!(encrypt_datas(PLAIN.as_bytes(), cipher, &key(), &key()), iv_is_key, "{cipher:?}");
        assert_eq!(decrypt_datas(other_iv, cipher, &key(), &iv).unwrap(), PLAIN.as_bytes(), "{cipher:?}");
        assert_eq!(encrypt_datas(PLAIN.as_bytes(), cipher, &key(), &iv), other_iv, "{cipher:?}");
    }
}

#[test]
fn round_trips_of_both_ciphers() {
    let iv = key_bytes("ivivivivivivivi!").unwrap();
    for cipher in Cipher::ALL {
        for n in [0, 1, 15, 16, 17, 1000] {
            let plain: Vec<u8> = "液😀x".bytes().cycle().take(n).collect();
            let text = encrypt_datas(&plain, cipher, &key(), &iv);
            assert_eq!(decrypt_datas(&text, cipher, &key(), &iv).unwrap(), plain, "{cipher:?}, {n} bytes");
        }
    }
}

#[test]
fn a_body_that_does_not_decrypt() {
    let wrong = key_bytes("0123456789abcdeX").unwrap();
    // A wrong key gives bad padding or, rarely, padding that happens to fit: then the text is not JSON.
    for (cipher, text) in [(Aes128Cbc, CIPHER_IV_IS_KEY), (Sm4Cbc, SM4_IV_IS_KEY)] {
        let refused = match decrypt_datas(text, cipher, &wrong, &wrong) {
            Err(e) => e.code() == "decrypt_failed",
            Ok(bytes) => parse_records(&bytes).is_err(),
        };
        assert!(refused, "{cipher:?}");
        for bad in ["not base64 at all!", "QUJD", "", "k+o9pqTp8dJUvzK+ILlffA=="] {
            let e = decrypt_datas(bad, cipher, &key(), &key());
            assert!(matches!(e, Err(BodyError::Decrypt(_))), "{cipher:?}, {bad}: {e:?}");
        }
        // A truncated text (a broken transfer) does not decrypt either.
        let truncated = &text[..text.len() - 8];
        let e = decrypt_datas(truncated, cipher, &key(), &key()).map_err(|e| e.code().as_str());
        assert_eq!(e, Err("decrypt_failed"), "{cipher:?}");
    }
    // The other cipher's text under the right key: refused, and the message names the cipher tried.
    for (text, tried, name) in [(CIPHER_IV_IS_KEY, Sm4Cbc, "SM4-CBC"), (SM4_IV_IS_KEY, Aes128Cbc, "AES-128-CBC")] {
        match decrypt_datas(text, tried, &key(), &key()) {
            Err(e) => assert!(e.code() == "decrypt_failed" && e.to_string().contains(name), "{e}"),
            Ok(bytes) => assert!(parse_records(&bytes).is_err(), "{name} read the other cipher's text"),
        }
    }
    let message = BodyError::Decrypt("x".into()).to_string();
    assert!(message.contains("无法解密") && message.contains("cannot be decrypted"));
}

#[test]
fn keys_are_sixteen_ascii_characters() {
    assert_eq!(key_bytes("0123456789abcdef").map(|k| k.to_vec()), Some(b"0123456789abcdef".to_vec()));
    for bad in ["", "short", "0123456789abcdef0", "０１２３４５６７８９"] {
        assert_eq!(key_bytes(bad), None, "{bad}");
    }
}

#[test]
fn receipts_count_pending_apart_from_rejections() {
    let company = CompanyCode::parse(COMPANY).unwrap();
    let mut r = Receipt::new("batch-1", ExchangeTable::CheckRecord, company, now(), 5);
    r.accepted = 2;
    r.unchanged = 1;
    r.hold([RecordError::pending_parent(3, Some("a"), "checkTaskId", "t-1")]);
    r.reject([RecordError::malformed(4)]);
    assert!(r.is_balanced());
    assert_eq!((r.pending, r.rejected, r.status()), (1, 1, 207));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["receivedAt"], "2026-05-01T12:00:00+08:00");
    assert_eq!(v["errors"][0]["code"], "pending_parent");
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        v.as_object().unwrap().keys().cloned().collect::<std::collections::BTreeSet<_>>(),
        [
            "accepted",
            "batchId",
            "companyCode",
            "errors",
            "pending",
            "received",
            "receivedAt",
            "rejected",
            "table",
            "unchanged"
        ]
        .map(String::from)
        .into()
    );
    // Only pending notices: nothing rejected, answered 200.
    let mut held = Receipt::new("batch-2", ExchangeTable::CheckRecord, CompanyCode::parse(COMPANY).unwrap(), now(), 1);
    held.hold([RecordError::pending_parent(0, None, "checkTaskId", "t-2")]);
    assert_eq!((Receipt::count_rejected(&held.errors), held.status()), (0, 200));
    let mut all = Receipt::new("batch-3", ExchangeTable::Danger, CompanyCode::parse(COMPANY).unwrap(), now(), 1);
    all.reject([RecordError::conflict(0, None)]);
    assert_eq!(all.status(), 422);
}
