//! Tokens every protected operation must refuse with 401: expired, signed with another secret, unsigned
//! (`alg: none`), for another audience, not valid yet, with an unknown key id, and revoked.

use crate::{SECRET, Server};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// The kinds of refused tokens.
pub const BAD_TOKENS: [&str; 7] =
    ["expired", "other secret", "alg none", "wrong audience", "not yet valid", "unknown kid", "revoked"];

/// Base64url without padding.
pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Province claims, valid now unless changed by `edit`.
pub fn claims(edit: impl FnOnce(&mut Value)) -> Value {
    let now = testkit::clock().unix_seconds();
    let mut c = json!({"sub": "province", "role": "province", "iss": "dualprev", "aud": "dualprev", "exp": now + 3600,
        "nbf": now - 10, "iat": now - 10, "jti": uuid::Uuid::new_v4().simple().to_string()});
    edit(&mut c);
    c
}

/// Signs claims with HS256 and a secret.
pub fn hs256(secret: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret).unwrap()).unwrap()
}

/// A token of a refused kind.
pub fn bad_token(s: &Server, kind: &str) -> String {
    let now = testkit::clock().unix_seconds();
    match kind {
        "expired" => hs256(SECRET, &claims(|c| c["exp"] = json!(now - 60))),
        "other secret" => hs256(b"another-secret-of-at-least-32-bytes", &claims(|_| {})),
        "alg none" => {
            let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
            format!("{header}.{}.", b64url(claims(|_| {}).to_string().as_bytes()))
        }
        "wrong audience" => hs256(SECRET, &claims(|c| c["aud"] = json!("someone-else"))),
        "not yet valid" => hs256(SECRET, &claims(|c| c["nbf"] = json!(now + 600))),
        "unknown kid" => {
            let mut h = Header::new(Algorithm::HS256);
            h.kid = Some("retired-2025".into());
            jsonwebtoken::encode(&h, &claims(|_| {}), &EncodingKey::from_secret(SECRET).unwrap()).unwrap()
        }
        "revoked" => {
            let jti = uuid::Uuid::new_v4().simple().to_string();
            s.auth.revoked.insert(&jti);
            hs256(SECRET, &claims(|c| c["jti"] = json!(jti)))
        }
        other => panic!("no such kind {other}"),
    }
}
