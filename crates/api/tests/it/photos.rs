//! Photos of dangers (issue 22): taken out of the records on push, stored once by their SHA-256, linked to their
//! records, listed with the record's summary and served in the records' scope; a danger body may carry 64 MiB of
//! photos beside at most 8 MiB of records.

use crate::data_quality::danger;
use crate::wire::{chain, id};
use crate::{Server, assert_problem};
use api::Role;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::City;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const OWN: &str = "140100001";
/// Another enterprise of the same city (Taiyuan).
const NEIGHBOUR: &str = "140100002";

/// A small JPEG (1×1, grey), made distinct by `tail` bytes after its end marker.
fn jpeg(tail: &[u8]) -> Vec<u8> {
    let mut bytes = STANDARD
        .decode(
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////\
             ////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
        )
        .unwrap();
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes.extend_from_slice(tail);
    bytes
}

/// A 1×1 transparent PNG.
fn png() -> Vec<u8> {
    STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
        .unwrap()
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A danger of `OWN` with photo fields.
fn with_photos(name: &str, photos: Value) -> Value {
    let mut d = danger(name, "2026-11-10 09:00:00");
    d.as_object_mut().unwrap().extend(photos.as_object().unwrap().clone());
    d
}

/// (files, links, bytes) stored.
fn totals(s: &Server) -> (i64, i64, i64) {
    s.db.with(storage::record_attachments::totals).unwrap()
}

both_backends!(at "2026-11-25T10:30:00+08:00" =>
    photos_are_stored_once_and_served_in_scope,
    a_danger_body_may_carry_photos_beyond_8_mib,
    a_danger_stored_with_its_photo_as_text_is_unchanged_when_resent,
);

/// A danger stored before photos were kept apart (its version holds the base64 in `extra`) and resent as it was:
/// the same record, `unchanged`, not a `conflict`; the photo is stored and linked from then on.
async fn a_danger_stored_with_its_photo_as_text_is_unchanged_when_resent(s: Server) {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    let photo = jpeg(b"old");
    let d = with_photos("old", json!({"dangerImg": STANDARD.encode(&photo)}));
    // Stored as the platform did before: validated and applied, the photo left in the record's text.
    let company = domain::CompanyCode::parse(OWN).unwrap();
    let ctx = exchange::Context::new(company.clone(), s.clock.now_utc());
    let validated = exchange::validate_batch(domain::ExchangeTable::Danger, std::slice::from_ref(&d), &ctx);
    assert_eq!(validated.valid.len(), 1);
    assert!(validated.valid[0].1.common.extra.as_deref().unwrap().contains(&STANDARD.encode(&photo)[..40]));
    let batch = domain::BatchId::new("00000000-0000-0000-0000-0000000000aa".to_owned());
    let origin = storage::records::Origin { batch_id: &batch, received_at: s.clock.now_utc(), company: &company };
    s.db.with(|c| Ok(storage::records::apply(c, origin, domain::ExchangeTable::Danger, &validated.valid)?)).unwrap();
    assert_eq!(totals(&s).0, 0);
    let (status, receipt) = s.push("danger", OWN, &json!([d])).await;
    assert_eq!(
        (status, receipt["unchanged"].clone(), receipt["rejected"].clone()),
        (200, json!(1), json!(0)),
        "{receipt}"
    );
    assert_eq!(totals(&s).0, 1, "the photo is stored and linked now");
    // A changed photo with the same updateDate is still a conflict.
    let other = with_photos("old", json!({"dangerImg": STANDARD.encode(jpeg(b"new"))}));
    let (status, receipt) = s.push("danger", OWN, &json!([other])).await;
    assert_eq!((status, receipt["errors"][0]["code"].clone()), (422, json!("conflict")), "{receipt}");
}

async fn photos_are_stored_once_and_served_in_scope(s: Server) {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    let (before, after) = (jpeg(b"before"), png());
    // Base64 with line breaks every 76 characters, as many encoders write it.
    let wrapped: String = STANDARD
        .encode(&before)
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let batch = json!([
        with_photos(
            "d1",
            json!({"dangerImg": wrapped,
                   "dangerAcceptImg": format!("data:image/png;base64,{}", STANDARD.encode(&after))})
        ),
        with_photos("d2", json!({"dangerImg": "https://oss.example.cn/yh/d2.jpg"})),
        with_photos("d3", json!({"dangerImg": STANDARD.encode(b"GIF89a, not a JPEG")})),
        with_photos("d4", json!({"attachments1": [STANDARD.encode(&before)]})),
    ]);
    // A dry run checks the photos and stores nothing.
    let token = format!("Bearer {}", s.token(Role::Enterprise, None, Some(OWN)));
    let res = s.push_raw("danger?dryRun=true", &token, batch.to_string().into_bytes()).await;
    assert_eq!(res.status(), 207);
    assert_eq!(totals(&s), (0, 0, 0));

    let (status, r) = s.push("danger", OWN, &batch).await;
    assert_eq!((status, &r["accepted"], &r["rejected"]), (207, &json!(3), &json!(1)), "{r}");
    let e = &r["errors"][0];
    assert_eq!((&e["index"], &e["code"], &e["field"]), (&json!(2), &json!("bad_image"), &json!("$.dangerImg")), "{e}");
    assert!(e["message"].as_str().unwrap().contains(" / "), "{e}");
    // The JPEG on two dangers is stored once and linked twice; the PNG once.
    let size = i64::try_from(before.len() + after.len()).unwrap();
    assert_eq!(totals(&s), (2, 3, size));
    // Resending the same records is `unchanged`.
    let again = json!([batch[0], batch[1], batch[3]]);
    let (status, r) = s.push("danger", OWN, &again).await;
    assert_eq!((status, &r["unchanged"]), (200, &json!(3)), "{r}");
    assert_eq!(totals(&s), (2, 3, size));

    // The record keeps the reference; its summary lists the photos with where to fetch them.
    let province = s.token(Role::Province, None, None);
    let page: Value =
        s.get(&format!("/api/v1/records/danger/{}", id("d1")), Some(&province)).await.json().await.unwrap();
    let own = &page["records"][0];
    let extra: Value = serde_json::from_str(own["versions"][0]["fields"]["extra"].as_str().unwrap()).unwrap();
    assert_eq!(extra["dangerImg"], format!("sha256:{}", sha(&before)));
    let url = format!("/api/v1/attachments/{}", sha(&before));
    assert_eq!(
        own["summary"]["photos"],
        json!([{"field": "dangerImg", "sha256": sha(&before), "url": url},
               {"field": "dangerAcceptImg", "sha256": sha(&after),
                "url": format!("/api/v1/attachments/{}", sha(&after))}])
    );
    let linked: Value =
        s.get(&format!("/api/v1/records/danger/{}", id("d2")), Some(&province)).await.json().await.unwrap();
    assert_eq!(linked["records"][0]["summary"]["photos"], json!([]), "a link is not a stored photo");

    // Served inline to the enterprise, its city, the province and the service role.
    let readers = [
        s.token(Role::Enterprise, None, Some(OWN)),
        s.token(Role::City, Some(City::Taiyuan), None),
        province.clone(),
        s.token(Role::Service, None, None),
    ];
    for token in &readers {
        let res = s.get(&url, Some(token)).await;
        assert_eq!(res.status(), 200);
        let h = res.headers();
        assert_eq!(h["content-type"], "image/jpeg");
        assert_eq!(h["content-disposition"], "inline");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h["cache-control"].to_str().unwrap().contains("immutable"), "{:?}", h["cache-control"]);
        assert_eq!(res.bytes().await.unwrap().as_ref(), before.as_slice());
    }
    // Not to another city nor to another enterprise; an unknown photo is 404.
    let datong = s.token(Role::City, Some(City::Datong), None);
    assert_problem(s.get(&url, Some(&datong)).await, 403, "forbidden").await;
    let neighbour = s.token(Role::Enterprise, None, Some(NEIGHBOUR));
    assert_problem(s.get(&url, Some(&neighbour)).await, 403, "forbidden").await;
    assert_problem(s.get(&format!("/api/v1/attachments/{}", sha(b"none")), Some(&province)).await, 404, "not_found")
        .await;
}

async fn a_danger_body_may_carry_photos_beyond_8_mib(s: Server) {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    // Three photos of 3 MiB each: about 12 MiB of base64 beside a few kilobytes of records.
    let photos: Vec<Vec<u8>> = (0..3u8).map(|i| jpeg(&vec![i; 3 * 1024 * 1024])).collect();
    let batch: Vec<Value> = photos
        .iter()
        .enumerate()
        .map(|(i, p)| with_photos(&format!("big{i}"), json!({"dangerImg": STANDARD.encode(p)})))
        .collect();
    let body = serde_json::to_vec(&batch).unwrap();
    assert!(body.len() > 12 * 1024 * 1024, "{}", body.len());
    let token = format!("Bearer {}", s.token(Role::Enterprise, None, Some(OWN)));
    let res = s.push_raw("danger", &token, body.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(totals(&s).0, 3);
    // Another table keeps the 8 MiB bound.
    assert_problem(s.push_raw("check_record", &token, body).await, 413, "too_large").await;
    // A danger body whose records are over 8 MiB without their photos is refused.
    let long = with_photos("long", json!({"remark": "长".repeat(3 * 1024 * 1024)}));
    let res = s.push_raw("danger", &token, serde_json::to_vec(&json!([long])).unwrap()).await;
    assert_problem(res, 413, "too_large").await;
}
