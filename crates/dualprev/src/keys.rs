//! `[[jwt_keys]]`: the token key ring from settings. `jwt_secret` / `jwt_key_file` stay valid and add an HS256 key
//! with kid `default`; it signs unless a `[[jwt_keys]]` entry has `sign = true`.

use crate::settings::Settings;
use anyhow::{Context, Result, bail};
use api::auth::keys::DEFAULT_KID;
use api::{Key, KeyRing};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One `[[jwt_keys]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtKeySettings {
    /// The key id, sent as the token's `kid` header.
    pub kid: String,
    /// `HS256` (default), `EdDSA` (Ed25519) or `RS256` (RSA, at least 2048 bits).
    #[serde(default = "hs256")]
    pub alg: String,
    /// An HS256 secret (at least 32 bytes).
    pub secret: Option<String>,
    /// A file holding an HS256 secret (its content, trimmed).
    pub secret_file: Option<PathBuf>,
    /// The private key (PEM) of a signing EdDSA key (Ed25519, PKCS#8) or RS256 key (PKCS#1 or PKCS#8).
    pub private_key_file: Option<PathBuf>,
    /// The public key (PEM) of an EdDSA key (Ed25519, SPKI) or RS256 key (PKCS#1 or SPKI).
    pub public_key_file: Option<PathBuf>,
    /// Whether this key signs new tokens (exactly one key of the ring does).
    #[serde(default)]
    pub sign: bool,
}

fn hs256() -> String {
    "HS256".into()
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("无法读取密钥文件 / cannot read the key file {}", path.display()))
}

impl JwtKeySettings {
    /// The key this entry describes.
    pub fn key(&self) -> Result<Key> {
        let kid = &self.kid;
        let key = match self.alg.as_str() {
            "HS256" => {
                let secret = match (&self.secret, &self.secret_file) {
                    (Some(s), None) => s.clone(),
                    (None, Some(p)) => read(p)?.trim().to_owned(),
                    _ => bail!(
                        "密钥 {kid}：secret 与 secret_file 设置且只设置一个 / key {kid}: set secret or secret_file"
                    ),
                };
                Key::hs256(kid, secret.as_bytes(), self.sign)?
            }
            alg @ ("EdDSA" | "RS256") => {
                let Some(public) = &self.public_key_file else {
                    bail!("密钥 {kid}：{alg} 需要 public_key_file / key {kid}: {alg} needs public_key_file")
                };
                let private = match (&self.private_key_file, self.sign) {
                    (Some(p), true) => Some(read(p)?),
                    (None, true) => {
                        bail!("签名密钥 {kid} 需要 private_key_file / signing key {kid} needs private_key_file")
                    }
                    (_, false) => None,
                };
                if alg == "EdDSA" {
                    Key::ed25519(kid, private.as_deref(), &read(public)?)?
                } else {
                    Key::rs256(kid, private.as_deref(), &read(public)?)?
                }
            }
            other => return Err(api::KeyError::Algorithm(other.to_owned()).into()),
        };
        Ok(key)
    }
}

/// The key ring of the settings; an error when no key is configured, a key is invalid, or not exactly one signs.
pub fn ring(settings: &Settings) -> Result<KeyRing> {
    let mut keys = vec![];
    if let Some(secret) = settings.jwt_secret_bytes()? {
        let sign = !settings.jwt_keys.iter().any(|k| k.sign);
        keys.push(Key::hs256(DEFAULT_KID, &secret, sign)?);
    }
    for entry in &settings.jwt_keys {
        keys.push(entry.key()?);
    }
    if keys.is_empty() {
        bail!(
            "未配置 JWT 密钥 / no JWT key is configured: set DUALPREV_JWT_SECRET (at least 32 bytes), \
             DUALPREV_JWT_KEY_FILE, jwt_secret or [[jwt_keys]] in the settings file"
        )
    }
    Ok(KeyRing::new(keys)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/tests/it/keys");

    fn load(toml: &str, env: &[(&str, &str)]) -> Result<Settings> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("s.toml");
        std::fs::write(&file, toml)?;
        Settings::load_from(Some(&file), env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn a_ring_of_eddsa_and_the_legacy_secret() {
        let toml = format!(
            "jwt_secret = \"{}\"\n[[jwt_keys]]\nkid = \"ed\"\nalg = \"EdDSA\"\nsign = true\n\
             private_key_file = \"{KEYS}/ed25519.pem\"\npublic_key_file = \"{KEYS}/ed25519.pub.pem\"\n",
            "k".repeat(32)
        );
        let auth = load(&toml, &[]).unwrap().auth().unwrap();
        assert_eq!(auth.keys().kids(), ["ed", "default"]);
        let token = auth.issue(api::Role::Service, None, None, chrono::TimeDelta::hours(1)).unwrap();
        assert_eq!(auth.keys().signer().kid, "ed");
        assert_eq!(auth.verify(&token).unwrap().role, api::Role::Service);
        // Without a signing entry, the legacy secret signs.
        let auth = load(&toml.replace("sign = true\n", ""), &[]).unwrap().auth().unwrap();
        assert_eq!(auth.keys().signer().kid, "default");
    }

    #[test]
    fn an_rs256_key_signs_and_a_verifying_server_needs_its_public_half_only() {
        let signing = format!(
            "[[jwt_keys]]\nkid = \"rsa\"\nalg = \"RS256\"\nsign = true\n\
             private_key_file = \"{KEYS}/rsa.pem\"\npublic_key_file = \"{KEYS}/rsa.pub.pem\"\n"
        );
        let signer = load(&signing, &[]).unwrap().auth().unwrap();
        let token = signer.issue(api::Role::Province, None, None, chrono::TimeDelta::hours(1)).unwrap();
        let verifying = format!(
            "jwt_secret = \"{}\"\n[[jwt_keys]]\nkid = \"rsa\"\nalg = \"RS256\"\n\
             public_key_file = \"{KEYS}/rsa.pkcs1.pub.pem\"\n",
            "k".repeat(32)
        );
        let verifier = load(&verifying, &[]).unwrap().auth().unwrap();
        assert_eq!(verifier.verify(&token).unwrap().role, api::Role::Province);
        assert!(load(&signing.replace("private_key_file", "#"), &[]).unwrap().auth().is_err(), "no private key");
    }

    #[test]
    fn bad_entries_are_errors() {
        let base = "[[jwt_keys]]\nkid = \"a\"\n";
        assert!(load(&format!("{base}secret = \"{}\"\nsign = true\n", "s".repeat(32)), &[]).unwrap().auth().is_ok());
        assert!(load(&format!("{base}secret = \"short\"\nsign = true\n"), &[]).unwrap().auth().is_err());
        assert!(load(&format!("{base}alg = \"RS512\"\nsign = true\n"), &[]).unwrap().auth().is_err());
        assert!(load(&format!("{base}alg = \"EdDSA\"\nsign = true\n"), &[]).unwrap().auth().is_err());
        assert!(load(&format!("{base}colour = 1\n"), &[]).is_err(), "unknown keys are errors");
    }
}
