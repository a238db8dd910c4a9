//! The key ring: one signing key and any number of verification-only keys, each named by its `kid`. Keys are HS256
//! secrets (at least [`MIN_SECRET_LEN`] bytes), Ed25519 key pairs in PEM (PKCS#8 private key, SPKI public key) or
//! RSA key pairs of at least 2048 bits for RS256 (PKCS#1 or PKCS#8/SPKI PEM).

use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, SecretDocument};
use rsa::traits::PublicKeyParts;
use thiserror::Error;

/// The minimum length of an HS256 secret, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: u32 = 2048;

/// The `kid` of the key configured by `jwt_secret` / `jwt_key_file`; tokens without a `kid` are checked with it.
pub const DEFAULT_KID: &str = "default";

/// Why a key ring or a token could not be made.
#[derive(Debug, Error)]
pub enum KeyError {
    /// An HS256 secret shorter than [`MIN_SECRET_LEN`].
    #[error("JWT 密钥至少 {MIN_SECRET_LEN} 字节 / the JWT secret must have at least {MIN_SECRET_LEN} bytes (has {0})")]
    ShortSecret(usize),
    /// A PEM file that is not a key of the expected kind.
    #[error("密钥 {kid} 不是有效的 {what} PEM / key {kid} is not a valid {what} key in PEM")]
    BadPem {
        /// The key's id.
        kid: String,
        /// Which key: `Ed25519 private`, `RSA public`, ….
        what: &'static str,
    },
    /// An RSA key shorter than [`MIN_RSA_BITS`], or a private key that does not match its public key.
    #[error("RSA 密钥 {kid} 无效 / RSA key {kid} is unusable: {why}")]
    WeakRsa {
        /// The key's id.
        kid: String,
        /// Why.
        why: String,
    },
    /// An algorithm other than HS256, EdDSA and RS256.
    #[error("不支持的算法 / unsupported algorithm {0:?}: use HS256, EdDSA or RS256")]
    Algorithm(String),
    /// Not exactly one signing key, or a signing key without its private half.
    #[error("密钥环 / key ring: {0}")]
    Ring(String),
    /// A token that cannot be issued (a missing scope claim, a signing failure).
    #[error("{0}")]
    Issue(String),
}

/// One key of the ring.
#[derive(Clone)]
pub struct Key {
    /// The key id, sent as the `kid` header.
    pub kid: String,
    /// The algorithm (HS256 or EdDSA); a token must use its key's algorithm.
    pub alg: Algorithm,
    /// The signing half, for the signing key.
    pub(crate) encoding: Option<EncodingKey>,
    /// The verifying half.
    pub(crate) decoding: DecodingKey,
}

impl Key {
    /// An HS256 key; `sign` keeps the signing half.
    pub fn hs256(kid: &str, secret: &[u8], sign: bool) -> Result<Key, KeyError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::ShortSecret(secret.len()));
        }
        let bad = |e: jsonwebtoken::errors::Error| KeyError::Ring(e.to_string());
        let encoding = if sign { Some(EncodingKey::from_secret(secret).map_err(bad)?) } else { None };
        Ok(Key {
            kid: kid.into(),
            alg: Algorithm::HS256,
            encoding,
            decoding: DecodingKey::from_secret(secret).map_err(bad)?,
        })
    }

    /// An Ed25519 key from PEM text: the public key (SPKI) always, the private key (PKCS#8) for a signing key.
    pub fn ed25519(kid: &str, private_pem: Option<&str>, public_pem: &str) -> Result<Key, KeyError> {
        let bad = |what| KeyError::BadPem { kid: kid.into(), what };
        let public = VerifyingKey::from_public_key_pem(public_pem).map_err(|_| bad("Ed25519 public"))?;
        let encoding = match private_pem {
            Some(pem) => {
                // jsonwebtoken signs with the PKCS#8 DER itself; it is checked to hold an Ed25519 key first.
                let der = SecretDocument::from_pem(pem)
                    .ok()
                    .filter(|(label, der)| {
                        *label == "PRIVATE KEY" && SigningKey::from_pkcs8_der(der.as_bytes()).is_ok()
                    })
                    .ok_or_else(|| bad("Ed25519 private"))?
                    .1;
                Some(EncodingKey::from_ed_der(der.as_bytes()))
            }
            None => None,
        };
        Ok(Key {
            kid: kid.into(),
            alg: Algorithm::EdDSA,
            encoding,
            decoding: DecodingKey::from_ed_der(public.as_bytes()),
        })
    }

    /// An RSA key for RS256 from PEM text (PKCS#1 or PKCS#8/SPKI): the public key always (at least
    /// [`MIN_RSA_BITS`] bits), the private key for a signing key (checked to match the public key).
    pub fn rs256(kid: &str, private_pem: Option<&str>, public_pem: &str) -> Result<Key, KeyError> {
        let bad = |what| KeyError::BadPem { kid: kid.into(), what };
        let public = rsa::PublicKey::from_public_key_pem(public_pem)
            .or_else(|_| rsa::PublicKey::from_pkcs1_pem(public_pem))
            .map_err(|_| bad("RSA public"))?;
        let bits = public.n().bit_width();
        if bits < MIN_RSA_BITS {
            return Err(KeyError::WeakRsa { kid: kid.into(), why: format!("{bits} bits < {MIN_RSA_BITS}") });
        }
        let decoding = DecodingKey::from_rsa_der(public.to_pkcs1_der().map_err(|_| bad("RSA public"))?.as_bytes());
        let encoding = match private_pem {
            Some(pem) => {
                let private = rsa::PrivateKey::from_pkcs8_pem(pem)
                    .or_else(|_| rsa::PrivateKey::from_pkcs1_pem(pem))
                    .map_err(|_| bad("RSA private"))?;
                if private.to_public_key() != public {
                    return Err(KeyError::WeakRsa {
                        kid: kid.into(),
                        why: "私钥与公钥不匹配 / private and public keys differ".into(),
                    });
                }
                Some(EncodingKey::from_rsa_der(private.to_pkcs1_der().map_err(|_| bad("RSA private"))?.as_bytes()))
            }
            None => None,
        };
        Ok(Key { kid: kid.into(), alg: Algorithm::RS256, encoding, decoding })
    }

    /// Whether this key signs.
    pub fn signs(&self) -> bool {
        self.encoding.is_some()
    }
}

/// The keys tokens are signed and checked with.
#[derive(Clone)]
pub struct KeyRing {
    keys: Vec<Key>,
    signer: usize,
}

impl KeyRing {
    /// A ring with exactly one signing key and distinct `kid`s.
    pub fn new(keys: Vec<Key>) -> Result<KeyRing, KeyError> {
        let signers: Vec<usize> = keys.iter().enumerate().filter(|(_, k)| k.signs()).map(|(i, _)| i).collect();
        let [signer] = signers[..] else {
            return Err(KeyError::Ring(format!(
                "需要且只能有一个签名密钥 / exactly one key must sign (found {})",
                signers.len()
            )));
        };
        for (i, k) in keys.iter().enumerate() {
            if k.kid.is_empty() || keys[..i].iter().any(|o| o.kid == k.kid) {
                return Err(KeyError::Ring(format!("kid 为空或重复 / empty or repeated kid {:?}", k.kid)));
            }
        }
        Ok(KeyRing { keys, signer })
    }

    /// The signing key.
    pub fn signer(&self) -> &Key {
        &self.keys[self.signer]
    }

    /// The key a token names by `kid`; without a `kid`, the [`DEFAULT_KID`] key or else the signing key.
    pub fn find(&self, kid: Option<&str>) -> Option<&Key> {
        match kid {
            Some(kid) => self.keys.iter().find(|k| k.kid == kid),
            None => self.keys.iter().find(|k| k.kid == DEFAULT_KID).or(Some(self.signer())),
        }
    }

    /// The key ids, signing key first.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids = vec![self.signer().kid.as_str()];
        kids.extend(self.keys.iter().filter(|k| !k.signs()).map(|k| k.kid.as_str()));
        kids
    }
}
