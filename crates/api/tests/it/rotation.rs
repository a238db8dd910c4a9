//! The key ring: EdDSA signing, verification-only keys for rotation, unknown `kid`s and algorithm confusion refused,
//! revoked token ids refused.

use crate::SECRET;
use crate::access_tokens::{claims, hs256};
use api::auth::keys::DEFAULT_KID;
use api::{AuthConfig, Key, KeyRing, Role};
use chrono::TimeDelta;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

const PRIVATE: &str = include_str!("keys/ed25519.pem");
const PUBLIC: &str = include_str!("keys/ed25519.pub.pem");

fn ring(keys: Vec<Key>) -> AuthConfig {
    AuthConfig::with_keys(KeyRing::new(keys).unwrap(), "dualprev", "dualprev", 0).with_clock(testkit::clock())
}

fn kid_of(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).unwrap().kid
}

#[test]
fn eddsa_signs_and_old_keys_still_verify() {
    let old = AuthConfig::new(SECRET, "dualprev", "dualprev", 0).unwrap().with_clock(testkit::clock());
    let before = old.issue(Role::Province, None, None, TimeDelta::hours(1)).unwrap();
    assert_eq!(kid_of(&before).as_deref(), Some(DEFAULT_KID));
    // Rotation: the new Ed25519 key signs, the old secret only verifies.
    let new = ring(vec![
        Key::ed25519("ed-2026", Some(PRIVATE), PUBLIC).unwrap(),
        Key::hs256(DEFAULT_KID, SECRET, false).unwrap(),
    ]);
    let after = new.issue(Role::City, Some(domain::City::Taiyuan), None, TimeDelta::hours(1)).unwrap();
    assert_eq!(jsonwebtoken::decode_header(&after).unwrap().alg, Algorithm::EdDSA);
    assert_eq!(kid_of(&after).as_deref(), Some("ed-2026"));
    assert_eq!(new.verify(&after).unwrap().city_code.as_deref(), Some("140100"));
    assert_eq!(new.verify(&before).unwrap().role, Role::Province);
    // A token without kid (issued before kids) is checked with the default key.
    assert_eq!(new.verify(&hs256(SECRET, &claims(|_| {}))).unwrap().role, Role::Province);
    // Once the old key is dropped from the ring, its tokens are refused.
    let later = ring(vec![Key::ed25519("ed-2026", Some(PRIVATE), PUBLIC).unwrap()]);
    assert!(later.verify(&after).is_ok());
    assert!(later.verify(&before).is_err());
    // A verification-only EdDSA key verifies but cannot sign.
    let verifier = ring(vec![Key::hs256("h", SECRET, true).unwrap(), Key::ed25519("ed-2026", None, PUBLIC).unwrap()]);
    assert!(verifier.verify(&after).is_ok());
}

#[test]
fn unknown_kids_and_algorithm_confusion_are_refused() {
    let auth = ring(vec![Key::ed25519("ed", Some(PRIVATE), PUBLIC).unwrap(), Key::hs256("hs", SECRET, false).unwrap()]);
    let with_kid = |alg: Algorithm, kid: &str, key: &EncodingKey| {
        let mut h = Header::new(alg);
        h.kid = Some(kid.into());
        jsonwebtoken::encode(&h, &claims(|_| {}), key).unwrap()
    };
    let hs = EncodingKey::from_secret(SECRET).unwrap();
    assert!(auth.verify(&with_kid(Algorithm::HS256, "hs", &hs)).is_ok());
    for token in [
        with_kid(Algorithm::HS256, "nope", &hs),
        // HS256 keyed with the public key's bytes, claiming the EdDSA kid.
        with_kid(Algorithm::HS256, "ed", &EncodingKey::from_secret(PUBLIC.as_bytes()).unwrap()),
        with_kid(Algorithm::HS256, "ed", &hs),
    ] {
        let err = auth.verify(&token).unwrap_err();
        assert_eq!(api::error::ApiError::code(&err), "unauthorized");
    }
}

#[test]
fn bad_keys_and_rings() {
    assert!(Key::hs256("a", b"short", true).is_err());
    assert!(Key::ed25519("e", None, PRIVATE).is_err(), "a private key is not a public key");
    assert!(Key::ed25519("e", Some(PUBLIC), PUBLIC).is_err());
    let k = || Key::hs256("a", SECRET, true).unwrap();
    assert!(KeyRing::new(vec![]).is_err());
    assert!(KeyRing::new(vec![k(), k()]).is_err(), "two signers, one kid");
    assert!(KeyRing::new(vec![Key::hs256("a", SECRET, false).unwrap()]).is_err(), "no signer");
}

#[test]
fn revoked_ids_are_refused() {
    let auth = AuthConfig::new(SECRET, "dualprev", "dualprev", 0).unwrap().with_clock(testkit::clock());
    let token = hs256(SECRET, &claims(|c| c["jti"] = serde_json::json!("revoke-me")));
    assert!(auth.verify(&token).is_ok());
    auth.clone().revoked.insert("revoke-me");
    assert!(auth.verify(&token).is_err(), "clones share the set");
}

both_backends!(revocations_reach_the_verifier);

async fn revocations_reach_the_verifier(s: crate::Server) {
    let ent = s.token(Role::Enterprise, None, Some("140100001"));
    let city = s.token(Role::City, Some(domain::City::Taiyuan), None);
    let jti = |t: &str| jsonwebtoken::dangerous::insecure_decode::<api::Claims>(t).unwrap().claims.jti;
    assert_eq!(s.get("/api/v1/exchange/receipts", Some(&ent)).await.status(), 200);
    // Through the API: refused at once.
    let province = s.token(Role::Province, None, None);
    let res = s.post("/api/v1/tokens/revoke", &province, serde_json::json!({"jti": jti(&ent), "reason": "泄露"})).await;
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!((&body["created"], &body["revokedBy"]), (&serde_json::json!(true), &serde_json::json!("province")));
    crate::assert_problem(s.get("/api/v1/exchange/receipts", Some(&ent)).await, 401, "unauthorized").await;
    // Through storage (the CLI): refused after the reload.
    let r = storage::revocations::Revocation {
        jti: jti(&city),
        reason: String::new(),
        revoked_by: "cli".into(),
        revoked_at: testkit::clock().now_utc(),
        expires_at: None,
    };
    s.db.with(|c| storage::revocations::revoke(c, &r)).unwrap();
    assert_eq!(s.get("/api/v1/warnings", Some(&city)).await.status(), 200);
    assert_eq!(s.auth.revoked.reload(&s.state).await.unwrap(), 2);
    crate::assert_problem(s.get("/api/v1/warnings", Some(&city)).await, 401, "unauthorized").await;
    let again: serde_json::Value = s
        .post("/api/v1/tokens/revoke", &province, serde_json::json!({"jti": jti(&ent), "reason": "x"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((&again["created"], &again["reason"]), (&serde_json::json!(false), &serde_json::json!("泄露")));
    let res = s.post("/api/v1/tokens/revoke", &province, serde_json::json!({"jti": " "})).await;
    crate::assert_problem(res, 422, "bad_jti").await;
}

mod rsa {
    use super::*;

    const PRIVATE: &str = include_str!("keys/rsa.pem");
    const PUBLIC: &str = include_str!("keys/rsa.pub.pem");
    const PKCS1_PRIVATE: &str = include_str!("keys/rsa.pkcs1.pem");
    const PKCS1_PUBLIC: &str = include_str!("keys/rsa.pkcs1.pub.pem");

    #[test]
    fn rs256_signs_in_either_pem_form_and_verifies_with_the_public_key_alone() {
        let signer = ring(vec![Key::rs256("rsa-2026", Some(PRIVATE), PUBLIC).unwrap()]);
        let token = signer.issue(Role::Service, None, None, TimeDelta::hours(1)).unwrap();
        assert_eq!(jsonwebtoken::decode_header(&token).unwrap().alg, Algorithm::RS256);
        assert_eq!(kid_of(&token).as_deref(), Some("rsa-2026"));
        // The PKCS#1 files hold the same key: either form verifies the other's tokens.
        let pkcs1 = ring(vec![Key::rs256("rsa-2026", Some(PKCS1_PRIVATE), PKCS1_PUBLIC).unwrap()]);
        assert_eq!(pkcs1.verify(&token).unwrap().role, Role::Service);
        assert!(signer.verify(&pkcs1.issue(Role::Province, None, None, TimeDelta::hours(1)).unwrap()).is_ok());
        // A verifying server needs only the public key (it cannot forge tokens).
        let verifier =
            ring(vec![Key::hs256("h", SECRET, true).unwrap(), Key::rs256("rsa-2026", None, PKCS1_PUBLIC).unwrap()]);
        assert!(verifier.verify(&token).is_ok());
        // HS256 keyed with the public key's text, claiming the RSA kid, is refused (algorithm confusion).
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some("rsa-2026".into());
        let forged =
            jsonwebtoken::encode(&h, &claims(|_| {}), &EncodingKey::from_secret(PUBLIC.as_bytes()).unwrap()).unwrap();
        assert_eq!(api::error::ApiError::code(&verifier.verify(&forged).unwrap_err()), "unauthorized");
    }

    #[test]
    fn short_mismatched_and_misfiled_rsa_keys_are_refused() {
        let weak = Key::rs256("r", None, include_str!("keys/rsa1024.pub.pem")).err().unwrap();
        assert!(weak.to_string().contains("1024 bits < 2048"), "{weak}");
        let other = include_str!("keys/rsa-other.pub.pem");
        let mismatch = Key::rs256("r", Some(PRIVATE), other).err().unwrap();
        assert!(mismatch.to_string().contains("private and public keys differ"), "{mismatch}");
        assert!(Key::rs256("r", None, PRIVATE).is_err(), "a private key is not a public key");
        assert!(Key::rs256("r", Some(PUBLIC), PUBLIC).is_err(), "a public key is not a private key");
        assert!(Key::rs256("r", None, super::PUBLIC).is_err(), "an Ed25519 key is not an RSA key");
        assert!(Key::ed25519("e", None, PUBLIC).is_err(), "an RSA key is not an Ed25519 key");
    }
}
