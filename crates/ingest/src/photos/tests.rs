#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use super::*;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDateTime;
use exchange::Context;
use serde_json::json;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];

fn danger(n: u8, photos: Value) -> Value {
    let mut d = json!({"id": format!("{n:032x}"), "companyCode": "140100001", "deleted": "0",
        "createDate": "2026-11-10 09:00:00", "createBy": "张三", "updateDate": "2026-11-10 09:00:00",
        "updateBy": "张三", "hazardCode": "HZ-1", "dangerName": "法兰渗漏", "dangerLevel": "0",
        "registTime": "2026-11-10 09:00:00", "registrant": "张三", "dangerSrc": 9, "dangerManageType": "0",
        "hazardDangerType": "4", "dangerDesc": "法兰处渗漏", "liablePerson": "赵六", "dangerState": "0"});
    d.as_object_mut().unwrap().extend(photos.as_object().unwrap().clone());
    d
}

fn taken(values: &[Value]) -> (Validated, Vec<Carried>) {
    let now = NaiveDateTime::parse_from_str("2026-11-25 02:30:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let ctx = Context::new(CompanyCode::parse("140100001").unwrap(), now);
    let mut v = exchange::validate_batch(ExchangeTable::Danger, values, &ctx);
    assert_eq!(v.errors, vec![]);
    let carried = take(ExchangeTable::Danger, &mut v);
    (v, carried)
}

fn extra(v: &Validated, i: usize) -> Value {
    serde_json::from_str(v.valid[i].1.common.extra.as_deref().unwrap()).unwrap()
}

#[test]
fn photos_are_replaced_by_references_and_links_kept() {
    let jpeg = STANDARD.encode(JPEG);
    // Line breaks every 8 characters, no padding.
    let wrapped: String = jpeg
        .trim_end_matches('=')
        .as_bytes()
        .chunks(8)
        .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
        .collect();
    let values = [
        danger(
            1,
            json!({"dangerImg": wrapped, "dangerAcceptImg": format!("data:image/png;base64,{}", STANDARD.encode(PNG))}),
        ),
        danger(
            2,
            json!({"attachments1": ["HTTPS://example.cn/a.jpg", jpeg, null, ""], "attachments2": "http://x/y",
            "attachments3": "/profile/upload/2026/11/20/a.jpg"}),
        ),
        danger(3, json!({"other": "kept"})),
    ];
    let (v, carried) = taken(&values);
    assert_eq!((v.valid.len(), v.rejected), (3, 0));
    let sha_jpeg = hex::encode(Sha256::digest(JPEG));
    let sha_png = hex::encode(Sha256::digest(PNG));
    assert_eq!(
        extra(&v, 0),
        json!({"dangerImg": format!("sha256:{sha_jpeg}"), "dangerAcceptImg": format!("sha256:{sha_png}")})
    );
    assert_eq!(
        extra(&v, 1),
        json!({"attachments1": ["HTTPS://example.cn/a.jpg", format!("sha256:{sha_jpeg}"), null, ""],
               "attachments2": "http://x/y", "attachments3": "/profile/upload/2026/11/20/a.jpg"})
    );
    assert_eq!(extra(&v, 2), json!({"other": "kept"}));
    let fields: Vec<(usize, &str, ImageKind)> =
        carried.iter().flat_map(|c| c.photos.iter().map(move |p| (c.index, p.field, p.kind))).collect();
    assert_eq!(
        fields,
        [
            (0, "dangerImg", ImageKind::Jpeg),
            (0, "dangerAcceptImg", ImageKind::Png),
            (1, "attachments1", ImageKind::Jpeg)
        ]
    );
    assert_eq!(carried[0].photos[0].bytes, JPEG);
    // The same photo sent again gives the same record: `unchanged` downstream.
    let (again, _) = taken(&values);
    assert_eq!(again.valid, v.valid);
}

#[test]
fn bad_photos_reject_their_record_only() {
    let big = STANDARD.encode([JPEG, &vec![0u8; photos::MAX_BYTES]].concat());
    let values = [
        danger(1, json!({"dangerImg": "not base64!"})),
        danger(2, json!({"dangerImg": STANDARD.encode(b"GIF89a....")})),
        danger(3, json!({"attachments3": ["http://ok", big]})),
        danger(4, json!({"dangerAcceptImg": "data:text/plain;base64,QUJD"})),
        danger(5, json!({"dangerImg": 7})),
        danger(6, json!({"dangerImg": STANDARD.encode(PNG)})),
    ];
    let (v, carried) = taken(&values);
    assert_eq!((v.valid.len(), v.rejected), (1, 5));
    assert_eq!(carried.len(), 1);
    let errors: Vec<(usize, &str)> = v.errors.iter().map(|e| (e.index, e.field.as_str())).collect();
    assert_eq!(
        errors,
        [
            (0, "$.dangerImg"),
            (1, "$.dangerImg"),
            (2, "$.attachments3[1]"),
            (3, "$.dangerAcceptImg"),
            (4, "$.dangerImg")
        ]
    );
    assert!(v.errors.iter().all(|e| e.code == ErrorCode::BadImage && e.message.contains(" / ")));
    assert!(v.errors[2].message.contains("5 MiB"), "{}", v.errors[2].message);
    assert!(v.errors[1].message.contains("JPEG"), "{}", v.errors[1].message);
}

#[test]
fn other_tables_are_left_alone_and_bodies_measured_without_photos() {
    let mut v = Validated::default();
    assert!(take(ExchangeTable::CheckRecord, &mut v).is_empty());
    let photo = "A".repeat(1000);
    let with = [danger(1, json!({"dangerImg": photo}))];
    let without = [danger(1, json!({}))];
    assert_eq!(bytes_beyond_photos(&with), bytes_beyond_photos(&without));
    assert_eq!(bytes_beyond_photos(&without), serde_json::to_string(&without).unwrap().len());
    assert_eq!(check_body(ExchangeTable::Danger, MAX_BODY_WITHOUT_PHOTOS + 1, &with), Ok(()));
    let huge = [danger(1, json!({"note": "长".repeat(3 * 1024 * 1024)}))];
    assert!(check_body(ExchangeTable::Danger, MAX_BODY_WITH_PHOTOS, &huge).is_err());
    assert_eq!(
        check_body(ExchangeTable::Danger, MAX_BODY_WITHOUT_PHOTOS, &huge),
        Ok(()),
        "small bodies are not measured"
    );
}
