//! `[session]` settings: how the session cookie is sent and what a password hash costs. The password, lockout and session-lifetime rules are not
//! here: they are the security administrator's (`PUT /api/v1/security-policy`, `docs/security.md`), and this file is
//! the system administrator's (三员分立).

use serde::Deserialize;

/// `[session]` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    /// Send the session cookie with `Secure` (only over HTTPS): set it when a TLS proxy serves the platform.
    pub secure_cookie: bool,
    /// Argon2id memory of new password hashes, KiB (default 19456, at least that).
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id passes (default 2).
    pub argon2_iterations: Option<u32>,
    /// Argon2id lanes (default 1).
    pub argon2_parallelism: Option<u32>,
    /// `[session.sso]`: single sign-on with the province's identity platform (off when absent).
    pub sso: Option<SsoSettings>,
}

/// `[session.sso]`: the OpenID Connect provider (统一身份认证) and how dualprev is registered with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoSettings {
    /// The issuer URL (discovery at `<issuer>/.well-known/openid-configuration`).
    pub issuer_url: String,
    /// The client id.
    pub client_id: String,
    /// The client secret (better in the environment: `DUALPREV_SESSION__SSO__CLIENT_SECRET`).
    pub client_secret: String,
    /// The callback URL registered with the provider: `https://<host>/api/v1/session/sso/callback`.
    pub redirect_url: String,
    /// The ID-token claim holding the dualprev username: `preferred_username` (default) or `sub`.
    #[serde(default = "default_claim")]
    pub username_claim: String,
    /// The button on the sign-in page.
    #[serde(default = "default_label")]
    pub label: String,
}

fn default_claim() -> String {
    "preferred_username".into()
}

fn default_label() -> String {
    "统一身份认证登录".into()
}

impl SessionSettings {
    /// Sets the cost of new password hashes in this process (every command: `serve`, `user`, `demo`).
    pub fn apply_hash_cost(&self) -> anyhow::Result<()> {
        let d = storage::passwords::HashCost::default();
        let cost = storage::passwords::HashCost {
            memory_kib: self.argon2_memory_kib.unwrap_or(d.memory_kib),
            iterations: self.argon2_iterations.unwrap_or(d.iterations),
            parallelism: self.argon2_parallelism.unwrap_or(d.parallelism),
        };
        storage::passwords::set_cost(cost).map_err(|e| anyhow::anyhow!("[session] argon2_*: {e}"))
    }

    /// The state with these settings applied.
    pub fn apply(&self, mut state: api::AppState) -> api::AppState {
        state.sessions.secure_cookie = self.secure_cookie;
        if let Some(s) = &self.sso {
            state.sessions.sso.configure(api::auth::sso::SsoConfig {
                issuer: s.issuer_url.clone(),
                client_id: s.client_id.clone(),
                client_secret: s.client_secret.clone(),
                redirect_url: s.redirect_url.clone(),
                username_claim: s.username_claim.clone(),
                label: s.label.clone(),
            });
        }
        state
    }
}
