//! How an enterprise's client talks to the platform (`docs/data-exchange.md` §9–§14): the answer profile of its
//! pushes and the cipher of its `datas` envelope, both set per enterprise by `registry import`.

use crate::DomainError;

/// The shape of a push's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// The platform's receipt (`data-exchange.md` §4), as it always was.
    #[default]
    Standard,
    /// The national receivers' answer `{"requestId", "success", "code", "state", "data": {"code", "msg", "data"}}`
    /// with the receipt inside `data.data`, for clients that parse that shape.
    National,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 2] = [Profile::Standard, Profile::National];

    /// The stored and imported key: `standard` or `national`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Standard => "standard",
            Profile::National => "national",
        }
    }

    /// Parses a key of [`Profile::as_str`].
    pub fn parse(s: &str) -> Result<Profile, DomainError> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| DomainError::BadEnum { field: "profile", value: s.to_owned() })
    }
}

/// The block cipher of the `datas` envelope: both CBC with PKCS#7 padding, a 16-byte key and IV given as 16 ASCII
/// characters, Base64 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Cipher {
    /// AES-128-CBC, the cipher of existing receivers.
    #[default]
    Aes128Cbc,
    /// SM4-CBC (GB/T 32907-2016), for systems assessed for 商用密码 (密评).
    Sm4Cbc,
}

impl Cipher {
    /// Every cipher.
    pub const ALL: [Cipher; 2] = [Cipher::Aes128Cbc, Cipher::Sm4Cbc];

    /// The stored and imported key: `aes128cbc` or `sm4cbc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cipher::Aes128Cbc => "aes128cbc",
            Cipher::Sm4Cbc => "sm4cbc",
        }
    }

    /// Parses a key of [`Cipher::as_str`].
    pub fn parse(s: &str) -> Result<Cipher, DomainError> {
        Cipher::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::BadEnum { field: "cipher", value: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_others_are_refused() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.as_str()).ok(), Some(p));
        }
        for c in Cipher::ALL {
            assert_eq!(Cipher::parse(c.as_str()).ok(), Some(c));
        }
        assert!(Profile::parse("National").is_err());
        assert!(Cipher::parse("sm4").is_err());
        assert_eq!((Profile::default(), Cipher::default()), (Profile::Standard, Cipher::Aes128Cbc));
    }
}
