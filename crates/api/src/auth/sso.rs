//! Single sign-on with a province's unified identity platform (统一身份认证, issue 20): OpenID Connect, authorization
//! code with PKCE, through the `openidconnect` crate. The provider is discovered at each sign-in (so a platform that
//! was down at start does not need a restart); its ID token is verified (signature from its JWKS, issuer, audience,
//! expiry, nonce); a claim (`preferred_username` by default, from the ID token or else from UserInfo) names the
//! dualprev account. Off unless configured.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use parking_lot::RwLock;
use std::sync::Arc;

/// The name of the short-lived cookie that carries a sign-in in progress (state, nonce and PKCE verifier).
pub const PENDING_COOKIE: &str = "dualprev_sso";

/// How the platform talks to the identity provider (`[sso]` settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    /// The provider's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    /// The client id dualprev is registered with.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
    /// The callback URL registered with the provider: `<public base>/api/v1/session/sso/callback`.
    pub redirect_url: String,
    /// The ID-token claim that holds the dualprev username (`preferred_username`, or `sub`).
    pub username_claim: String,
    /// The button's label on the sign-in page, e.g. 统一身份认证登录.
    pub label: String,
}

/// The configuration in force, if single sign-on is on (shared by the clones of the application state).
#[derive(Debug, Clone, Default)]
pub struct Sso(Arc<RwLock<Option<SsoConfig>>>);

/// Why a single sign-on failed (each becomes a code the sign-in page explains).
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// Not configured.
    #[error("未启用统一身份认证 / single sign-on is off")]
    Off,
    /// The provider could not be reached or answered wrongly, or its token did not verify.
    #[error("统一身份认证失败 / single sign-on failed: {0}")]
    Failed(String),
}

/// A sign-in sent to the provider: where to send the browser, and what to keep until it comes back.
pub struct Started {
    /// The provider's authorization URL.
    pub url: String,
    /// `state.nonce.verifier`, kept in the [`PENDING_COOKIE`].
    pub pending: String,
}

impl Sso {
    /// Turns single sign-on on (or changes its configuration).
    pub fn configure(&self, c: SsoConfig) {
        *self.0.write() = Some(c);
    }

    /// The configuration, if on.
    pub fn config(&self) -> Option<SsoConfig> {
        self.0.read().clone()
    }

    /// Discovers the provider and makes the authorization URL with a new state, nonce and PKCE challenge.
    pub async fn start(&self) -> Result<Started, SsoError> {
        let c = self.config().ok_or(SsoError::Off)?;
        let (client, _) = discover(&c).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = format!("{}.{}.{}", state.secret(), nonce.secret(), verifier.secret());
        Ok(Started { url: url.to_string(), pending })
    }

    /// Checks the returned state against the pending sign-in, exchanges the code, verifies the ID token and returns
    /// the username its claim names. `Ok(None)`: the state does not match (a stale or forged callback).
    pub async fn finish(&self, pending: &str, state: &str, code: &str) -> Result<Option<String>, SsoError> {
        let c = self.config().ok_or(SsoError::Off)?;
        let mut parts = pending.splitn(3, '.');
        let (Some(kept), Some(nonce), Some(verifier)) = (parts.next(), parts.next(), parts.next()) else {
            return Ok(None);
        };
        if kept.is_empty() || kept != state {
            return Ok(None);
        }
        let (client, http) = discover(&c).await?;
        let failed = |e: &dyn std::fmt::Display| SsoError::Failed(e.to_string());
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| failed(&e))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&http)
            .await
            .map_err(|e| failed(&e))?;
        let id_token = token.id_token().ok_or_else(|| SsoError::Failed("no ID token".into()))?;
        let claims =
            id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned())).map_err(|e| failed(&e))?;
        let username = match (c.username_claim.as_str(), claims.preferred_username()) {
            ("sub", _) => Some(claims.subject().to_string()),
            (_, Some(u)) => Some(u.to_string()),
            // Providers that keep the ID token to `sub` (OpenID Connect Core §5.4) answer the profile at UserInfo.
            (_, None) => {
                let info: CoreUserInfoClaims = client
                    .user_info(token.access_token().clone(), Some(claims.subject().clone()))
                    .map_err(|e| failed(&e))?
                    .request_async(&http)
                    .await
                    .map_err(|e| failed(&e))?;
                info.preferred_username().map(|u| u.to_string())
            }
        };
        username.map(Some).ok_or_else(|| SsoError::Failed(format!("the ID token has no {}", c.username_claim)))
    }
}

/// The provider's client, discovered, with the HTTP client to talk to it (no redirects followed: OAuth's rule).
async fn discover(
    c: &SsoConfig,
) -> Result<
    (
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        openidconnect::reqwest::Client,
    ),
    SsoError,
> {
    let failed = |e: &dyn std::fmt::Display| SsoError::Failed(e.to_string());
    let http = openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| failed(&e))?;
    let issuer = IssuerUrl::new(c.issuer.clone()).map_err(|e| failed(&e))?;
    let meta = CoreProviderMetadata::discover_async(issuer, &http).await.map_err(|e| failed(&e))?;
    let redirect = RedirectUrl::new(c.redirect_url.clone()).map_err(|e| failed(&e))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(c.client_id.clone()),
        Some(ClientSecret::new(c.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    Ok((client, http))
}
