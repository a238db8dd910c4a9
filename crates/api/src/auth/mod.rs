//! JWT roles and data scope: `province`, `city` (claim `city_code`), `enterprise` (claim `company_code`) and
//! `service`. Tokens are HS256 with a secret of at least 32 bytes; there is no built-in secret.

use crate::error::{ApiError, ApiResult};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{TimeDelta, Utc};
use domain::{City, CompanyCode};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::future::{Ready, ready};
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

/// Token settings: the secret, issuer, audience and clock-skew leeway.
#[derive(Clone)]
pub struct AuthConfig {
    secret: Vec<u8>,
    /// The `iss` of issued tokens, required of presented ones.
    pub issuer: String,
    /// The `aud` of issued tokens, required of presented ones.
    pub audience: String,
    /// Clock-skew leeway in seconds.
    pub leeway_secs: u64,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig").field("issuer", &self.issuer).field("audience", &self.audience).finish()
    }
}

/// The minimum length of an HS256 secret, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

impl AuthConfig {
    /// Token settings with a secret of at least [`MIN_SECRET_LEN`] bytes.
    pub fn new(secret: &[u8], issuer: &str, audience: &str, leeway_secs: u64) -> Result<AuthConfig, String> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(format!(
                "JWT 密钥至少 {MIN_SECRET_LEN} 字节 / the JWT secret must have at least {MIN_SECRET_LEN} bytes (has {})",
                secret.len()
            ));
        }
        Ok(AuthConfig { secret: secret.to_vec(), issuer: issuer.into(), audience: audience.into(), leeway_secs })
    }

    /// Issues a token. `city` is required for the city role and `company` for the enterprise role.
    pub fn issue(
        &self,
        role: Role,
        city: Option<City>,
        company: Option<&CompanyCode>,
        ttl: TimeDelta,
    ) -> Result<String, String> {
        match (role, city, company) {
            (Role::City, None, _) => return Err("city 角色需要 --city / the city role needs --city".into()),
            (Role::Enterprise, _, None) => {
                return Err("enterprise 角色需要 --company / the enterprise role needs --company".into());
            }
            _ => {}
        }
        let now = Utc::now().timestamp();
        let sub = match (role, city, company) {
            (Role::City, Some(c), _) => format!("city:{}", c.code()),
            (Role::Enterprise, _, Some(c)) => format!("enterprise:{c}"),
            (Role::Province, ..) => "province".to_owned(),
            _ => "service".to_owned(),
        };
        let claims = Claims {
            sub,
            role,
            city_code: (role == Role::City).then(|| city.map(|c| c.code().to_owned())).flatten(),
            company_code: (role == Role::Enterprise).then(|| company.map(|c| c.to_string())).flatten(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl.num_seconds(),
            nbf: now,
            iat: now,
            jti: uuid::Uuid::new_v4().simple().to_string(),
        };
        let key = EncodingKey::from_secret(&self.secret).map_err(|e| e.to_string())?;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).map_err(|e| e.to_string())
    }

    /// Verifies a token: signature (HS256 only, never `none`), expiry, not-before, issuer and audience.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = self.leeway_secs;
        v.validate_nbf = true;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        let key = DecodingKey::from_secret(&self.secret).map_err(|e| ApiError::Internal(e.to_string()))?;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &v)
            .map_err(|e| ApiError::Unauthorized(token_problem(e.kind()).to_owned()))?
            .claims;
        // A scoped role without its scope claim is not a valid token.
        match claims.role {
            Role::City if claims.city_code.as_deref().map(City::from_code).is_none_or(|c| c.is_err()) => {
                Err(ApiError::Unauthorized("city token without a valid city_code".into()))
            }
            Role::Enterprise if claims.company_code.as_deref().map(CompanyCode::parse).is_none_or(|c| c.is_err()) => {
                Err(ApiError::Unauthorized("enterprise token without a valid company_code".into()))
            }
            _ => Ok(claims),
        }
    }
}

/// Why a token was refused, in words that reveal nothing about the key.
fn token_problem(kind: &jsonwebtoken::errors::ErrorKind) -> &'static str {
    use jsonwebtoken::errors::ErrorKind as K;
    match kind {
        K::ExpiredSignature => "the token has expired",
        K::ImmatureSignature => "the token is not valid yet",
        K::InvalidAudience => "the token is for another audience",
        K::InvalidIssuer => "the token is from another issuer",
        K::InvalidSignature => "the token's signature is not valid",
        K::InvalidAlgorithm | K::InvalidAlgorithmName => "the token's algorithm is not accepted",
        K::MissingRequiredClaim(_) => "the token lacks a required claim",
        _ => "the token is malformed",
    }
}

/// The verified caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's claims.
    pub claims: Claims,
}

impl Caller {
    /// The caller's role.
    pub fn role(&self) -> Role {
        self.claims.role
    }

    /// The city of a city caller.
    pub fn city(&self) -> Option<City> {
        self.claims.city_code.as_deref().and_then(|c| City::from_code(c).ok())
    }

    /// Refuses callers whose role is not listed (403).
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.claims.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "角色 {:?} 无权访问此资源 / the {:?} role may not use this route",
                self.claims.role, self.claims.role
            )))
        }
    }

    /// The city filter a query may use: a city caller sees its own city, and asking for another is refused (403),
    /// never silently narrowed. Other roles get what they asked for.
    pub fn city_scope(&self, requested: Option<City>) -> ApiResult<Option<City>> {
        match (self.claims.role, self.city(), requested) {
            (Role::City, Some(own), Some(asked)) if asked != own => Err(ApiError::Forbidden(format!(
                "无权访问其他地市（{}）的数据 / no access to another city's data ({})",
                asked.name(),
                asked.code()
            ))),
            (Role::City, own, _) => Ok(own),
            _ => Ok(requested),
        }
    }
}

impl Caller {
    /// Refuses a caller who may not see an enterprise's data: province sees all, a city its own enterprises, an
    /// enterprise itself; the service role sees no enterprise-level records.
    pub fn may_see_enterprise(&self, company: &str, city_code: Option<&str>) -> ApiResult<()> {
        let ok = match self.claims.role {
            Role::Province => true,
            Role::City => city_code.is_some() && city_code == self.claims.city_code.as_deref(),
            Role::Enterprise => self.claims.company_code.as_deref() == Some(company),
            Role::Service => false,
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("无权访问企业 {company} 的数据 / no access to enterprise {company}")))
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_of(req))
    }
}

fn caller_of(req: &HttpRequest) -> ApiResult<Caller> {
    let auth = req
        .app_data::<web::Data<AuthConfig>>()
        .ok_or_else(|| ApiError::Internal("no AuthConfig in app data".into()))?;
    let header = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization header".into()))?;
    let token =
        header.strip_prefix("Bearer ").ok_or_else(|| ApiError::Unauthorized("expected a Bearer token".into()))?;
    Ok(Caller { claims: auth.verify(token.trim())? })
}
