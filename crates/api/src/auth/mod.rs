//! JWT roles and data scope: `province`, `city` (claim `city_code`), `enterprise` (claim `company_code`) and
//! `service`. Tokens are HS256 (a secret of at least 32 bytes), EdDSA (Ed25519) or RS256, signed and checked with a key ring
//! whose keys are named by `kid`; there is no built-in key. Revoked token ids are refused.

pub mod authorize;
mod caller;
mod config;
pub mod keys;
pub mod policy;
pub mod policy_doc;
pub mod revoked;
pub mod rsa_pem;

pub use caller::Caller;
pub use config::AuthConfig;
pub use keys::{Key, KeyError, KeyRing, MIN_SECRET_LEN};
pub use revoked::Revoked;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The role a token grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The provincial task force: everything.
    Province,
    /// A city bureau: its own city only.
    City,
    /// An enterprise: pushes its own data and reads its own receipts, figures and evaluation.
    Enterprise,
    /// The monitoring system: read-only figures, evaluations and the early-warning feed.
    Service,
}

impl Role {
    /// Parses `province`, `city`, `enterprise` or `service`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "province" => Some(Role::Province),
            "city" => Some(Role::City),
            "enterprise" => Some(Role::Enterprise),
            "service" => Some(Role::Service),
            _ => None,
        }
    }
}

/// The claims of a dualprev token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Who the token was issued to.
    pub sub: String,
    /// The role.
    pub role: Role,
    /// The city of a `city` token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_code: Option<String>,
    /// The enterprise of an `enterprise` token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_code: Option<String>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Not before (seconds since the epoch).
    pub nbf: i64,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Token id, for revocation.
    pub jti: String,
}
