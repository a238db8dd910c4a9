//! Passwords of enterprises that use HTTP Basic on the exchange routes: stored only as Argon2id hashes (PHC strings).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The shortest password accepted.
pub const MIN_LEN: usize = 12;

/// Hashes a password with Argon2id and a random salt.
pub fn hash(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_LEN {
        return Err(format!("密码至少 {MIN_LEN} 个字符 / the password needs at least {MIN_LEN} characters"));
    }
    hash_any(password)
}

/// Hashes a password with Argon2id and a random salt, whatever its length (the caller has checked its rules: people's
/// passwords follow `domain::account::PasswordPolicy`).
pub fn hash_any(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// A temporary password for a person (a new account, a reset): 64 random bits in four character classes, checked
/// against the policy; the person must change it at the first sign-in.
pub fn temporary(username: &str, policy: &domain::account::PasswordPolicy) -> String {
    use argon2::password_hash::rand_core::RngCore;
    loop {
        let mut bytes = [0u8; 8];
        OsRng.fill_bytes(&mut bytes);
        let h = hex::encode(bytes);
        let p = format!("Dp{}-{}7", &h[..8], &h[8..]);
        if policy.check(username, &p).is_ok() {
            return p;
        }
    }
}

/// Whether a password matches a stored hash (false for a malformed hash).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("x", "not a hash"));
        assert!(hash("short").is_err());
    }
}
