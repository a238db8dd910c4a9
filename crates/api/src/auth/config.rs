//! Token settings: the key ring, issuer, audience, leeway and the revoked token ids; issuing and verifying.

use super::keys::{DEFAULT_KID, Key, KeyError, KeyRing};
use super::{Claims, Revoked, Role};
use crate::error::{ApiError, ApiResult};
use chrono::TimeDelta;
use domain::{City, CompanyCode};
use jsonwebtoken::{Header, Validation};

/// Token settings: the key ring, issuer, audience, clock-skew leeway and the revoked token ids.
#[derive(Clone)]
pub struct AuthConfig {
    keys: KeyRing,
    /// The `iss` of issued tokens, required of presented ones.
    pub issuer: String,
    /// The `aud` of issued tokens, required of presented ones.
    pub audience: String,
    /// Clock-skew leeway in seconds.
    pub leeway_secs: u64,
    /// The revoked token ids (shared by every clone).
    pub revoked: Revoked,
    /// The clock tokens are issued and checked by (`iat`, `nbf`, `exp`).
    pub clock: domain::Clock,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("kids", &self.keys.kids())
            .finish()
    }
}

impl AuthConfig {
    /// Token settings with one HS256 secret of at least [`super::MIN_SECRET_LEN`] bytes (kid `default`).
    pub fn new(secret: &[u8], issuer: &str, audience: &str, leeway_secs: u64) -> Result<AuthConfig, KeyError> {
        let ring = KeyRing::new(vec![Key::hs256(DEFAULT_KID, secret, true)?])?;
        Ok(AuthConfig::with_keys(ring, issuer, audience, leeway_secs))
    }

    /// Token settings over a key ring.
    pub fn with_keys(keys: KeyRing, issuer: &str, audience: &str, leeway_secs: u64) -> AuthConfig {
        AuthConfig {
            keys,
            issuer: issuer.into(),
            audience: audience.into(),
            leeway_secs,
            revoked: Revoked::default(),
            clock: domain::Clock::system(),
        }
    }

    /// The same settings, issuing and checking tokens by `clock`.
    pub fn with_clock(self, clock: domain::Clock) -> AuthConfig {
        AuthConfig { clock, ..self }
    }

    /// The key ring.
    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// Issues a token signed with the signing key (its `kid` in the header). `city` is required for the city role
    /// and `company` for the enterprise role.
    pub fn issue(
        &self,
        role: Role,
        city: Option<City>,
        company: Option<&CompanyCode>,
        ttl: TimeDelta,
    ) -> Result<String, KeyError> {
        match (role, city, company) {
            (Role::City, None, _) => {
                return Err(KeyError::Issue("city 角色需要 --city / the city role needs --city".into()));
            }
            (Role::Enterprise, _, None) => {
                return Err(KeyError::Issue(
                    "enterprise 角色需要 --company / the enterprise role needs --company".into(),
                ));
            }
            _ => {}
        }
        let now = self.clock.unix_seconds();
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
        let key = self.keys.signer();
        let encoding = key.encoding.as_ref().ok_or_else(|| KeyError::Ring("the signing key cannot sign".into()))?;
        let mut header = Header::new(key.alg);
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, &claims, encoding).map_err(|e| KeyError::Issue(e.to_string()))
    }

    /// Verifies a token: the key its `kid` names (unknown → refused) and that key's algorithm only (never `none`),
    /// signature, expiry, not-before, issuer, audience, scope claims, and that its `jti` is not revoked.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        let refuse = |why: &str| ApiError::Unauthorized(why.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|e| refuse(token_problem(e.kind())))?;
        let key = self.keys.find(header.kid.as_deref()).ok_or_else(|| refuse("the token's key id is not known"))?;
        let mut v = Validation::new(key.alg);
        v.leeway = self.leeway_secs;
        // Expiry and not-before are checked below against the platform's clock, not the library's.
        v.validate_exp = false;
        v.validate_nbf = false;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &key.decoding, &v)
            .map_err(|e| refuse(token_problem(e.kind())))?
            .claims;
        let (now, leeway) = (self.clock.unix_seconds(), i64::try_from(self.leeway_secs).unwrap_or(i64::MAX));
        if claims.exp.saturating_add(leeway) < now {
            return Err(refuse(token_problem(&jsonwebtoken::errors::ErrorKind::ExpiredSignature)));
        }
        if claims.nbf.saturating_sub(leeway) > now {
            return Err(refuse(token_problem(&jsonwebtoken::errors::ErrorKind::ImmatureSignature)));
        }
        if self.revoked.contains(&claims.jti) {
            return Err(refuse("the token has been revoked"));
        }
        // A scoped role without its scope claim is not a valid token.
        match claims.role {
            Role::City if claims.city_code.as_deref().map(City::from_code).is_none_or(|c| c.is_err()) => {
                Err(refuse("city token without a valid city_code"))
            }
            Role::Enterprise if claims.company_code.as_deref().map(CompanyCode::parse).is_none_or(|c| c.is_err()) => {
                Err(refuse("enterprise token without a valid company_code"))
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
