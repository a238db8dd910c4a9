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
pub mod rules;
pub mod session;
pub mod sso;

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
    /// 系统管理员 (a person signed in): accounts, the registry and settings; no figures, no audit trail.
    Sysadmin,
    /// 安全管理员 (a person signed in): roles, scopes, unlocking and the security policy.
    Secadmin,
    /// 审计管理员 (a person signed in): reads the audit trail; changes nothing.
    Auditor,
}

impl Role {
    /// The role of a person's account.
    pub fn of_account(r: domain::account::AccountRole) -> Role {
        use domain::account::AccountRole as A;
        match r {
            A::Province => Role::Province,
            A::City => Role::City,
            A::Enterprise => Role::Enterprise,
            A::Sysadmin => Role::Sysadmin,
            A::Secadmin => Role::Secadmin,
            A::Auditor => Role::Auditor,
        }
    }

    /// The stable key: `province`, `city`, `enterprise`, `service`, `sysadmin`, `secadmin`, `auditor`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Province => "province",
            Role::City => "city",
            Role::Enterprise => "enterprise",
            Role::Service => "service",
            Role::Sysadmin => "sysadmin",
            Role::Secadmin => "secadmin",
            Role::Auditor => "auditor",
        }
    }

    /// Parses the role a token may carry: `province`, `city`, `enterprise` or `service` (administrators are people
    /// who sign in; no token carries their roles).
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
