//! The `datas` cipher: AES-128-CBC (that of existing receivers) or SM4-CBC (国密, GB/T 32907-2016), chosen per
//! enterprise; both with PKCS#7 padding, a 16-byte key and IV, Base64 text.

use crate::BodyError;
use aes::Aes128;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use domain::client::Cipher;
use sm4::Sm4;

/// A configured key (or IV) as the 16 bytes the cipher uses: exactly 16 ASCII characters, taken as bytes (the
/// convention of existing receivers, e.g. `"0123456789abcdef"`). Anything else is `None`; nothing is trimmed.
pub fn key_bytes(s: &str) -> Option<[u8; 16]> {
    if s.is_ascii() { s.as_bytes().try_into().ok() } else { None }
}

/// The cipher's name in messages: `AES-128-CBC` or `SM4-CBC`.
pub fn cipher_name(cipher: Cipher) -> &'static str {
    match cipher {
        Cipher::Aes128Cbc => "AES-128-CBC",
        Cipher::Sm4Cbc => "SM4-CBC",
    }
}

/// Decrypts a `datas` text: Base64 → AES-128-CBC or SM4-CBC → PKCS#7 unpadding.
///
/// Base64 is the standard alphabet; padding may be present or not, and ASCII whitespace (the line breaks some
/// encoders insert every 76 characters) is ignored. A wrong key (or cipher) almost always shows as bad padding; the
/// message names the cipher tried.
pub fn decrypt_datas(b64: &str, cipher: Cipher, key: &[u8; 16], iv: &[u8; 16]) -> Result<Vec<u8>, BodyError> {
    let bytes = if b64.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        STANDARD_PAD_INDIFFERENT.decode(compact)
    } else {
        STANDARD_PAD_INDIFFERENT.decode(b64)
    }
    .map_err(|e| BodyError::Decrypt(format!("Base64 无效 / invalid Base64: {e}")))?;
    if bytes.is_empty() || !bytes.len().is_multiple_of(16) {
        return Err(BodyError::Decrypt(format!(
            "密文长度 {} 不是 16 的正整数倍 / ciphertext length {} is not a positive multiple of 16",
            bytes.len(),
            bytes.len()
        )));
    }
    match cipher {
        Cipher::Aes128Cbc => cbc::Decryptor::<Aes128>::new(key.into(), iv.into()).decrypt_padded_vec::<Pkcs7>(&bytes),
        Cipher::Sm4Cbc => cbc::Decryptor::<Sm4>::new(key.into(), iv.into()).decrypt_padded_vec::<Pkcs7>(&bytes),
    }
    .map_err(|_| {
        let name = cipher_name(cipher);
        BodyError::Decrypt(format!("填充无效（{name}），密钥或 IV 可能不对 / bad padding ({name}): wrong key or IV?"))
    })
}

/// Encrypts a plain text (the JSON array) into a `datas` text: AES-128-CBC or SM4-CBC, PKCS#7, standard padded
/// Base64.
pub fn encrypt_datas(plain: &[u8], cipher: Cipher, key: &[u8; 16], iv: &[u8; 16]) -> String {
    STANDARD.encode(match cipher {
        Cipher::Aes128Cbc => cbc::Encryptor::<Aes128>::new(key.into(), iv.into()).encrypt_padded_vec::<Pkcs7>(plain),
        Cipher::Sm4Cbc => cbc::Encryptor::<Sm4>::new(key.into(), iv.into()).encrypt_padded_vec::<Pkcs7>(plain),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8; 16] = b"0123456789abcdef";

    #[test]
    fn round_trip_and_failures() {
        let plain = "[{\"id\":\"𠀋😀\"}]".as_bytes();
        for cipher in Cipher::ALL {
            let enc = encrypt_datas(plain, cipher, KEY, KEY);
            assert_eq!(decrypt_datas(&enc, cipher, KEY, KEY).ok().as_deref(), Some(plain));
            let wrapped: String = enc.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c) + "\r\n").collect();
            assert_eq!(decrypt_datas(&wrapped, cipher, KEY, KEY).ok().as_deref(), Some(plain));
            assert_eq!(decrypt_datas(enc.trim_end_matches('='), cipher, KEY, KEY).ok().as_deref(), Some(plain));
            let other = key_bytes("fedcba9876543210").unwrap_or_default();
            assert!(matches!(decrypt_datas(&enc, cipher, &other, &other), Err(BodyError::Decrypt(_)) | Ok(_)));
            assert!(matches!(decrypt_datas("not base64!", cipher, KEY, KEY), Err(BodyError::Decrypt(_))));
            assert!(matches!(decrypt_datas("", cipher, KEY, KEY), Err(BodyError::Decrypt(_))));
            assert!(matches!(decrypt_datas("AAAA", cipher, KEY, KEY), Err(BodyError::Decrypt(_))));
        }
        assert_ne!(encrypt_datas(plain, Cipher::Sm4Cbc, KEY, KEY), encrypt_datas(plain, Cipher::Aes128Cbc, KEY, KEY));
    }

    #[test]
    fn sm4_block_cipher_meets_the_standard_vector() {
        use sm4::cipher::{BlockCipherEncrypt, KeyInit};
        // GB/T 32907-2016 Appendix A, example 1: key and plaintext 0123456789abcdeffedcba9876543210.
        let bytes = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
        let mut block = bytes.into();
        Sm4::new(&bytes.into()).encrypt_block(&mut block);
        let hex: String = block.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn sm4_cbc_matches_python_and_openssl() {
        // Computed with Python `cryptography` (SM4, CBC, PKCS7) and `openssl enc -sm4-cbc`; docs/data-exchange.md.
        let key = key_bytes("Sx2026DualPrev01").unwrap_or_default();
        let iv = key_bytes("Sx2026InitVec001").unwrap_or_default();
        let plain = r#"[{"hazardCode":"HZ-1","hazardName":"液氯储罐区"}]"#.as_bytes();
        let with_iv = "LuPUGpAty4YjU7i2dUFXz/wjz4YVUGxUPt8uwFFJnJou0k/VA/eZiqmQEF1+RhR22XDMPBs9XShEDrqhXsnKQw==";
        let iv_is_key = "AcbXDfvVGkJNyIsw2lv+dkBwiLJlkVRJSiJVKjmj4emR/DgA7h/d5NoxxcbYAS77B/b3O9aNivGHvX4nOH6qkA==";
        assert_eq!(encrypt_datas(plain, Cipher::Sm4Cbc, &key, &iv), with_iv);
        assert_eq!(encrypt_datas(plain, Cipher::Sm4Cbc, &key, &key), iv_is_key);
        assert_eq!(decrypt_datas(with_iv, Cipher::Sm4Cbc, &key, &iv).ok().as_deref(), Some(plain));
        assert_eq!(decrypt_datas(iv_is_key, Cipher::Sm4Cbc, &key, &key).ok().as_deref(), Some(plain));
    }

    #[test]
    fn the_wrong_cipher_is_named() {
        let plain = br#"[{"id":"1"}]"#;
        for (sent, tried, name) in
            [(Cipher::Aes128Cbc, Cipher::Sm4Cbc, "SM4-CBC"), (Cipher::Sm4Cbc, Cipher::Aes128Cbc, "AES-128-CBC")]
        {
            let enc = encrypt_datas(plain, sent, KEY, KEY);
            match decrypt_datas(&enc, tried, KEY, KEY) {
                Err(e @ BodyError::Decrypt(_)) => {
                    assert_eq!(e.code().as_str(), "decrypt_failed");
                    let msg = e.to_string();
                    assert!(
                        msg.contains(&format!("填充无效（{name}）")) && msg.contains(&format!("({name})")),
                        "{msg}"
                    );
                }
                other => panic!("{tried:?} decrypted {sent:?} text: {other:?}"),
            }
        }
    }

    #[test]
    fn keys_are_sixteen_ascii_characters() {
        assert_eq!(key_bytes("0123456789abcdef"), Some(*KEY));
        assert_eq!(key_bytes("0123456789abcde"), None);
        assert_eq!(key_bytes("0123456789abcdefg"), None);
        assert_eq!(key_bytes("0123456789abcdé"), None);
    }
}
