//! The `datas` cipher of existing receivers: AES-128-CBC with PKCS#7 padding, Base64 text.

use crate::BodyError;
use aes::Aes128;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};

type Encryptor = cbc::Encryptor<Aes128>;
type Decryptor = cbc::Decryptor<Aes128>;

/// A configured key (or IV) as the 16 bytes the cipher uses: exactly 16 ASCII characters, taken as bytes (the
/// convention of existing receivers, e.g. `"0123456789abcdef"`). Anything else is `None`; nothing is trimmed.
pub fn key_bytes(s: &str) -> Option<[u8; 16]> {
    if s.is_ascii() { s.as_bytes().try_into().ok() } else { None }
}

/// Decrypts a `datas` text: Base64 → AES-128-CBC → PKCS#7 unpadding.
///
/// Base64 is the standard alphabet; padding may be present or not, and ASCII whitespace (the line breaks some
/// encoders insert every 76 characters) is ignored. A wrong key almost always shows as bad padding.
pub fn decrypt_datas(b64: &str, key: &[u8; 16], iv: &[u8; 16]) -> Result<Vec<u8>, BodyError> {
    let cipher = if b64.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        STANDARD_PAD_INDIFFERENT.decode(compact)
    } else {
        STANDARD_PAD_INDIFFERENT.decode(b64)
    }
    .map_err(|e| BodyError::Decrypt(format!("Base64 无效 / invalid Base64: {e}")))?;
    if cipher.is_empty() || !cipher.len().is_multiple_of(16) {
        return Err(BodyError::Decrypt(format!(
            "密文长度 {} 不是 16 的正整数倍 / ciphertext length {} is not a positive multiple of 16",
            cipher.len(),
            cipher.len()
        )));
    }
    Decryptor::new(key.into(), iv.into())
        .decrypt_padded_vec::<Pkcs7>(&cipher)
        .map_err(|_| BodyError::Decrypt("填充无效，密钥或 IV 可能不对 / bad padding: wrong key or IV?".to_owned()))
}

/// Encrypts a plain text (the JSON array) into a `datas` text: AES-128-CBC, PKCS#7, standard padded Base64.
pub fn encrypt_datas(plain: &[u8], key: &[u8; 16], iv: &[u8; 16]) -> String {
    STANDARD.encode(Encryptor::new(key.into(), iv.into()).encrypt_padded_vec::<Pkcs7>(plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8; 16] = b"0123456789abcdef";

    #[test]
    fn round_trip_and_failures() {
        let plain = "[{\"id\":\"𠀋😀\"}]".as_bytes();
        let enc = encrypt_datas(plain, KEY, KEY);
        assert_eq!(decrypt_datas(&enc, KEY, KEY).ok().as_deref(), Some(plain));
        let wrapped: String = enc.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c) + "\r\n").collect();
        assert_eq!(decrypt_datas(&wrapped, KEY, KEY).ok().as_deref(), Some(plain));
        assert_eq!(decrypt_datas(enc.trim_end_matches('='), KEY, KEY).ok().as_deref(), Some(plain));
        let other = key_bytes("fedcba9876543210").unwrap_or_default();
        assert!(matches!(decrypt_datas(&enc, &other, &other), Err(BodyError::Decrypt(_)) | Ok(_)));
        assert!(matches!(decrypt_datas("not base64!", KEY, KEY), Err(BodyError::Decrypt(_))));
        assert!(matches!(decrypt_datas("", KEY, KEY), Err(BodyError::Decrypt(_))));
        assert!(matches!(decrypt_datas("AAAA", KEY, KEY), Err(BodyError::Decrypt(_))));
    }

    #[test]
    fn keys_are_sixteen_ascii_characters() {
        assert_eq!(key_bytes("0123456789abcdef"), Some(*KEY));
        assert_eq!(key_bytes("0123456789abcde"), None);
        assert_eq!(key_bytes("0123456789abcdefg"), None);
        assert_eq!(key_bytes("0123456789abcdé"), None);
    }
}
