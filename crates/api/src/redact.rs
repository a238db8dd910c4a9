//! What request paths look like in logs and in the audit trail: the secret of a secret base address
//! (`/x/{secret}/{table}`, `docs/data-exchange.md` §11) is never written in full, only its first 4 characters.

use std::borrow::Cow;

/// The prefix of the secret base addresses.
pub const SECRET_PREFIX: &str = "/x/";

/// How many characters of a secret a log keeps (enough to tell two enterprises' addresses apart when helping one).
const KEPT: usize = 4;

/// `path` with the secret of `/x/{secret}/…` cut to its first 4 characters and `…`; other paths unchanged.
pub fn path(path: &str) -> Cow<'_, str> {
    let Some(rest) = path.strip_prefix(SECRET_PREFIX) else { return Cow::Borrowed(path) };
    let (secret, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let kept: String = secret.chars().take(KEPT).collect();
    Cow::Owned(format!("{SECRET_PREFIX}{kept}…{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_cut_and_other_paths_kept() {
        let secret = "Zq3kA9mN2pL8xW4vR7tY1uE6iO0sD5fG";
        assert_eq!(path(&format!("/x/{secret}/sec_hidden_check_record")), "/x/Zq3k…/sec_hidden_check_record");
        assert_eq!(path(&format!("/x/{secret}")), "/x/Zq3k…");
        assert_eq!(path("/x/ab/t"), "/x/ab…/t");
        assert_eq!(path("/api/v1/exchange/danger"), "/api/v1/exchange/danger");
        assert!(!path(&format!("/x/{secret}/t")).contains(secret));
    }
}
