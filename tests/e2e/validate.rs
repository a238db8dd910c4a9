//! `dualprev validate`: the receipt on standard output and the exit codes 0, 1 and 2.

use crate::{dualprev, stdout};
use domain::client::Cipher;
use serde_json::{Value, json};

fn record(id: &str, status: Value) -> Value {
    json!({"id": format!("{id:0>32}"), "companyCode": "140100001", "deleted": "0",
           "createDate": "2026-11-01 08:00:00", "createBy": "张三", "updateDate": "20261101080000", "updateBy": "张三",
           "checkTaskId": "0123456789abcdef0123456789abcdef", "checkTime": "2026-11-02 09:00:00", "checkStatus": status})
}

#[test]
fn exit_codes_follow_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("good.json", &json!([record("a1", json!(0)), record("a2", json!("1"))]).to_string());
    write("bad.json", &json!([record("b1", json!(0)), record("b2", json!(7))]).to_string());
    write("broken.json", "[{");
    let run = |file: &str, extra: &[&str]| {
        let mut args = vec!["validate", file, "--table", "check_record"];
        args.extend_from_slice(extra);
        dualprev(dir.path(), &args, &[])
    };
    let good = run("good.json", &["--company", "140100001"]);
    assert_eq!(good.status.code(), Some(0));
    let receipt: Value = serde_json::from_str(&stdout(&good)).unwrap();
    assert_eq!((receipt["received"].as_u64(), receipt["rejected"].as_u64()), (Some(2), Some(0)));
    let bad = run("bad.json", &[]);
    assert_eq!(bad.status.code(), Some(1));
    let receipt: Value = serde_json::from_str(&stdout(&bad)).unwrap();
    assert_eq!(receipt["errors"][0]["code"], "bad_enum");
    assert_eq!(receipt["errors"][0]["index"], 1);
    // Another enterprise's records are rejected when --company names the sender.
    assert_eq!(run("good.json", &["--company", "140200001"]).status.code(), Some(1));
    for (file, extra) in [("broken.json", vec![]), ("missing.json", vec![]), ("good.json", vec!["--company", "12"])] {
        let out = run(file, &extra);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(out.stdout.is_empty(), "nothing on standard output when the file cannot be used");
    }
    assert_eq!(dualprev(dir.path(), &["validate", "good.json", "--table", "records"], &[]).status.code(), Some(2));
}

#[test]
fn encrypted_files_need_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = *b"0123456789abcdef";
    let plain = json!([record("c1", json!(0))]).to_string();
    let body = json!({"datas": exchange::encrypt_datas(plain.as_bytes(), Cipher::Aes128Cbc, &key, &key)}).to_string();
    std::fs::write(dir.path().join("enc.json"), body).unwrap();
    let args = ["validate", "enc.json", "--table", "sec_hidden_check_record"];
    assert_eq!(dualprev(dir.path(), &args, &[]).status.code(), Some(2));
    let mut with_key = args.to_vec();
    with_key.extend(["--key", "0123456789abcdef"]);
    assert_eq!(dualprev(dir.path(), &with_key, &[]).status.code(), Some(0));
    let mut wrong = args.to_vec();
    wrong.extend(["--key", "fedcba9876543210"]);
    assert_eq!(dualprev(dir.path(), &wrong, &[]).status.code(), Some(2));
}

#[test]
fn sm4_files_need_cipher_sm4() {
    let dir = tempfile::tempdir().unwrap();
    let (key, iv) = (*b"Sx2026DualPrev01", *b"Sx2026InitVec001");
    let plain = json!([record("d1", json!(0))]).to_string();
    let body = json!({"datas": exchange::encrypt_datas(plain.as_bytes(), Cipher::Sm4Cbc, &key, &iv)}).to_string();
    std::fs::write(dir.path().join("sm4.json"), body).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["validate", "sm4.json", "--table", "check_record", "--key", "Sx2026DualPrev01"];
        args.extend_from_slice(extra);
        dualprev(dir.path(), &args, &[])
    };
    for cipher in ["sm4", "sm4cbc"] {
        let out = run(&["--iv", "Sx2026InitVec001", "--cipher", cipher]);
        assert_eq!(out.status.code(), Some(0), "--cipher {cipher}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // Read as AES (the default, or said so), it does not decrypt, and the message names the cipher tried.
    for extra in [&["--iv", "Sx2026InitVec001"][..], &["--iv", "Sx2026InitVec001", "--cipher", "aes"]] {
        let out = run(extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains("AES-128-CBC"), "{err}");
    }
    // The wrong IV (here the key) garbles only the first block: refused as not JSON, or, as here where the garbled
    // bytes still spell a member name, as a record that lacks `checkStatus`; never passed.
    assert_ne!(run(&["--cipher", "sm4"]).status.code(), Some(0));
    let unknown = run(&["--iv", "Sx2026InitVec001", "--cipher", "des"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("sm4cbc"), "clap lists the possible values");
}
