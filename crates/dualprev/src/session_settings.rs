//! `[session]` settings: how the session cookie is sent. The password, lockout and session-lifetime rules are not
//! here: they are the security administrator's (`PUT /api/v1/security-policy`, `docs/security.md`), and this file is
//! the system administrator's (三员分立).

use serde::Deserialize;

/// `[session]` settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    /// Send the session cookie with `Secure` (only over HTTPS): set it when a TLS proxy serves the platform.
    pub secure_cookie: bool,
}

impl SessionSettings {
    /// The state with these settings applied.
    pub fn apply(self, mut state: api::AppState) -> api::AppState {
        state.sessions.secure_cookie = self.secure_cookie;
        state
    }
}
