//! RSA keys in PEM for RS256: PKCS#1 (`RSA PRIVATE KEY`, `RSA PUBLIC KEY`) or the wrapped forms `openssl` writes by
//! default (PKCS#8 `PRIVATE KEY`, SPKI `PUBLIC KEY`), unwrapped to the PKCS#1 DER that jsonwebtoken reads.

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// The OID 1.2.840.113549.1.1.1 (rsaEncryption), DER content bytes.
const RSA_OID: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One DER element: (tag, content, what follows it).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |a, &b| (a << 8) | usize::from(b)), &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// Whether an AlgorithmIdentifier's content names rsaEncryption.
fn names_rsa(alg: &[u8]) -> bool {
    matches!(tlv(alg), Some((0x06, oid, _)) if oid == RSA_OID)
}

/// The PKCS#1 `RSAPublicKey` inside an SPKI `SubjectPublicKeyInfo`.
fn spki_to_pkcs1(der: &[u8]) -> Option<&[u8]> {
    let (0x30, spki, _) = tlv(der)? else { return None };
    let (0x30, alg, rest) = tlv(spki)? else { return None };
    let (0x03, bits, _) = tlv(rest)? else { return None };
    let (&0, key) = bits.split_first()? else { return None };
    names_rsa(alg).then_some(key)
}

/// The PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`.
fn pkcs8_to_pkcs1(der: &[u8]) -> Option<&[u8]> {
    let (0x30, info, _) = tlv(der)? else { return None };
    let (0x02, _version, rest) = tlv(info)? else { return None };
    let (0x30, alg, rest) = tlv(rest)? else { return None };
    let (0x04, key, _) = tlv(rest)? else { return None };
    names_rsa(alg).then_some(key)
}

/// The bit length of the modulus of a PKCS#1 `RSAPublicKey` (`SEQUENCE { n INTEGER, e INTEGER }`).
pub fn modulus_bits(pkcs1_public: &[u8]) -> Option<usize> {
    let (0x30, seq, _) = tlv(pkcs1_public)? else { return None };
    let (0x02, n, _) = tlv(seq)? else { return None };
    let n = &n[n.iter().position(|&b| b != 0)?..];
    Some(n.len() * 8 - n[0].leading_zeros() as usize)
}

/// The PKCS#1 DER of a public key in PEM (`RSA PUBLIC KEY` or `PUBLIC KEY`).
pub fn public_der(pem: &str) -> Option<Vec<u8>> {
    if let Some(der) = super::keys::pem_der(pem, "RSA PUBLIC KEY") {
        return tlv(&der).is_some().then_some(der);
    }
    let der = super::keys::pem_der(pem, "PUBLIC KEY")?;
    spki_to_pkcs1(&der).map(<[u8]>::to_vec)
}

/// The PKCS#1 DER of a private key in PEM (`RSA PRIVATE KEY` or `PRIVATE KEY`).
pub fn private_der(pem: &str) -> Option<Vec<u8>> {
    if let Some(der) = super::keys::pem_der(pem, "RSA PRIVATE KEY") {
        return tlv(&der).is_some().then_some(der);
    }
    let der = super::keys::pem_der(pem, "PRIVATE KEY")?;
    pkcs8_to_pkcs1(&der).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_tags_are_read() {
        assert_eq!(tlv(&[0x02, 0x01, 0x05, 0xff]), Some((0x02, &[0x05][..], &[0xff][..])));
        assert_eq!(tlv(&[0x04, 0x81, 0x02, 1, 2]), Some((0x04, &[1, 2][..], &[][..])));
        assert_eq!(tlv(&[0x04, 0x05, 1]), None, "content shorter than its length");
        // n = 0x00 0x80 0x01 (17 bits with the sign byte stripped), e = 3.
        assert_eq!(modulus_bits(&[0x30, 0x08, 0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x01, 0x03]), Some(16));
    }
}
