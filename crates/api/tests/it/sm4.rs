//! SM4 (国密) of the `datas` envelope against an implementation we did not write: Python's `cryptography`
//! (`tests/sm4/sm4.py`), never a mock. An enterprise whose registry `cipher` is `sm4cbc` pushes what Python encrypted
//! and serves a page Python encrypted to a pull; Python decrypts what the platform encrypts; an AES body sent to that
//! enterprise is 400 `decrypt_failed` naming SM4-CBC. Without Python's `cryptography` the test fails, never skips.

use crate::wire::hazard;
use crate::{Server, assert_problem};
use actix_web::{App, HttpResponse, HttpServer, web};
use api::Role;
use domain::CompanyCode;
use domain::client::Cipher;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const A: &str = "140100001";
const NAME: &str = "中国石化销售股份有限公司山西太原石油分公司油库";
const KEY: &str = "Sx2026DualPrev01";
const IV: &str = "Sx2026InitVec001";

/// Runs `tests/sm4/sm4.py` with arguments and standard input; its standard output. Fails the test, with what to
/// install, when Python or its `cryptography` cannot run it.
fn python(args: &[&str], input: &[u8]) -> Vec<u8> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sm4/sm4.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "python3 does not start ({e}): install Python 3 and `python3 -m pip install cryptography` (the SM4 \
                 test needs an independent SM4 and is never skipped)"
            )
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 sm4.py {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    out.stdout
}

/// What Python's SM4-CBC makes of `plain` under KEY and IV, as Base64 (`wrap`: a line break every 76 characters).
fn python_encrypts(plain: &[u8], wrap: bool) -> String {
    let mut args = vec!["encrypt", KEY, IV];
    if wrap {
        args.push("--wrap");
    }
    String::from_utf8(python(&args, plain)).unwrap()
}

fn key(s: &str) -> [u8; 16] {
    exchange::key_bytes(s).unwrap()
}

#[test]
fn python_has_sm4() {
    let out = Command::new("python3")
        .args(["-c", "from cryptography.hazmat.primitives.ciphers import algorithms; algorithms.SM4"])
        .output()
        .unwrap_or_else(|e| panic!("python3 does not start ({e}): install Python 3 and its `cryptography` package"));
    assert!(
        out.status.success(),
        "python3 cannot use cryptography's SM4 — `python3 -m pip install cryptography` (never skipped): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn python_decrypts_what_the_platform_encrypts() {
    let plain = json!([hazard(A, "h1", "HZ-1"), {"备注": "𠀋😀 液氯"}]).to_string();
    for n in [0, 1, 15, 16, 17, plain.len()] {
        let text = &plain.as_bytes()[..n];
        let ours = exchange::encrypt_datas(text, Cipher::Sm4Cbc, &key(KEY), &key(IV));
        assert_eq!(python(&["decrypt", KEY, IV], ours.as_bytes()), text, "{n} bytes");
        // CBC with a given IV is deterministic: Python's text is ours, byte for byte.
        assert_eq!(python_encrypts(text, false), ours, "{n} bytes");
    }
}

both_backends!(an_sm4_enterprise_pushes_and_is_pulled);

async fn an_sm4_enterprise_pushes_and_is_pulled(s: Server) {
    let code = CompanyCode::parse(A).unwrap();
    let records = json!([hazard(A, "h1", "HZ-1"), hazard(A, "h2", "HZ-2")]).to_string();
    let from_python = json!({"datas": python_encrypts(records.as_bytes(), false)});

    // With the default cipher (AES-128-CBC), Python's SM4 text does not decrypt, and the answer names AES.
    s.import(&format!("companyCode,name,cityCode,aesKey,aesIv\n{A},{NAME},140100,{KEY},{IV}\n"));
    let (status, p) = s.push("hazard_source", A, &from_python).await;
    assert_eq!((status, p["code"].as_str()), (400, Some("decrypt_failed")), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("AES-128-CBC"), "{p}");

    // The registry's cipher column switches the enterprise to SM4; its key and IV stay.
    s.import(&format!("companyCode,name,cityCode,cipher\n{A},{NAME},140100,sm4cbc\n"));
    let row = s.db.with(|c| storage::registry::row(c, &code)).unwrap().unwrap();
    assert_eq!((row.cipher.as_str(), row.aes_key.as_deref(), row.aes_iv.as_deref()), ("sm4cbc", Some(KEY), Some(IV)));

    let (status, r) = s.push("hazard_source", A, &from_python).await;
    assert_eq!((status, r["received"].as_u64(), r["accepted"].as_u64()), (200, Some(2), Some(2)), "{r}");
    // Python's MIME-wrapped Base64 of the same records: read as well, and unchanged.
    let wrapped = python_encrypts(records.as_bytes(), true);
    assert!(wrapped.contains('\n'));
    let (status, r) = s.push("hazard_source", A, &json!({"datas": wrapped})).await;
    assert_eq!((status, r["unchanged"].as_u64()), (200, Some(2)), "{r}");

    // An AES body under the right key and IV is refused, naming the cipher tried.
    let aes = exchange::encrypt_datas(records.as_bytes(), Cipher::Aes128Cbc, &key(KEY), &key(IV));
    let token = format!("Bearer {}", s.token(Role::Enterprise, None, Some(A)));
    let res = s.push_raw("hazard_source", &token, json!({"datas": aes}).to_string().into_bytes()).await;
    let p = assert_problem(res, 400, "decrypt_failed").await;
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("SM4-CBC") && detail.contains("无法解密"), "{detail}");

    // A pull: the enterprise's endpoint answers a page Python encrypted, decrypted with the registry's cipher.
    let page = json!({"datas": python_encrypts(json!([hazard(A, "h3", "HZ-3")]).to_string().as_bytes(), false),
                      "nextCursor": null});
    let base = serve_page(page);
    s.import(&format!("companyCode,name,cityCode,baseUrl\n{A},{NAME},140100,{base}\n"));
    let puller = ingest::Puller::new(s.db.clone(), ingest::PullConfig::default(), s.clock.clone()).unwrap();
    let ingest::CycleOutcome::Ran(report) = puller.cycle(Some(A)).await.unwrap() else { panic!("cycle skipped") };
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!((report.counts.received, report.counts.accepted), (1, 1), "{}", report.summary());
}

/// An enterprise endpoint on port 0 answering `page` for `hazard_source` and 404 for the other tables.
fn serve_page(page: Value) -> String {
    let body = web::Data::new(page.to_string());
    let server = HttpServer::new(move || {
        App::new().app_data(body.clone()).route(
            "/{table}",
            web::get().to(|table: web::Path<String>, body: web::Data<String>| async move {
                if table.as_str() == "hazard_source" {
                    HttpResponse::Ok().content_type("application/json").body(body.get_ref().clone())
                } else {
                    HttpResponse::NotFound().finish()
                }
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    format!("http://{addr}")
}
