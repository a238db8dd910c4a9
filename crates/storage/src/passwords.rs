//! Passwords (people's, and enterprises' that use HTTP Basic on the exchange routes): stored only as Argon2id hashes
//! (PHC strings). New hashes take the process's [`HashCost`] (settings); a stored hash carries its own parameters and
//! is verified with them, so a new cost applies to passwords set from then on.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use parking_lot::RwLock;

/// The shortest password accepted.
pub const MIN_LEN: usize = 12;

/// Hashes a password with Argon2id and a random salt.
pub fn hash(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_LEN {
        return Err(format!("密码至少 {MIN_LEN} 个字符 / the password needs at least {MIN_LEN} characters"));
    }
    hash_any(password)
}

/// The Argon2id cost of new hashes: memory in KiB, passes and lanes. The default is the `argon2` crate's (19 MiB, 2
/// passes, 1 lane: OWASP's minimum for Argon2id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    /// Memory, KiB (19,456 to 1,048,576).
    pub memory_kib: u32,
    /// Passes over the memory (2 to 10).
    pub iterations: u32,
    /// Lanes (1 to 8).
    pub parallelism: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        HashCost {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

/// The cost of new hashes in this process.
static COST: RwLock<HashCost> = RwLock::new(HashCost {
    memory_kib: Params::DEFAULT_M_COST,
    iterations: Params::DEFAULT_T_COST,
    parallelism: Params::DEFAULT_P_COST,
});

/// Sets the cost of the hashes made from now on in this process (the commands call it once, from the settings); a
/// cost below the floor or one `argon2` refuses is an error and changes nothing.
pub fn set_cost(c: HashCost) -> Result<(), String> {
    let within = (19_456..=1_048_576).contains(&c.memory_kib)
        && (2..=10).contains(&c.iterations)
        && (1..=8).contains(&c.parallelism);
    if !within {
        return Err(format!(
            "Argon2id 参数超出范围（内存 19456–1048576 KiB，2–10 遍，1–8 路）/ Argon2id cost out of range: {c:?}"
        ));
    }
    Params::new(c.memory_kib, c.iterations, c.parallelism, None).map_err(|e| e.to_string())?;
    *COST.write() = c;
    Ok(())
}

/// The hasher of new hashes.
fn hasher() -> Result<Argon2<'static>, String> {
    let c = *COST.read();
    let params = Params::new(c.memory_kib, c.iterations, c.parallelism, None).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with Argon2id and a random salt, whatever its length (the caller has checked its rules: people's
/// passwords follow `domain::account::PasswordPolicy`).
pub fn hash_any(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?.hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
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

    #[test]
    fn the_cost_has_a_floor_and_a_stored_hash_keeps_its_own() {
        let cheap = HashCost { memory_kib: 8192, ..HashCost::default() };
        assert!(set_cost(cheap).is_err(), "below OWASP's 19 MiB");
        assert!(set_cost(HashCost { iterations: 1, ..HashCost::default() }).is_err());
        let old = hash("correct horse battery").unwrap();
        assert!(old.contains("m=19456,t=2,p=1"), "{old}");
        // Only this test changes the cost; the others hash with whatever is set, which verifies either way.
        set_cost(HashCost { memory_kib: 32_768, iterations: 3, parallelism: 1 }).unwrap();
        let new = hash("correct horse battery").unwrap();
        assert!(new.contains("m=32768,t=3,p=1"), "{new}");
        assert!(verify("correct horse battery", &old) && verify("correct horse battery", &new));
        set_cost(HashCost::default()).unwrap();
    }
}
