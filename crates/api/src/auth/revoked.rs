//! The revoked token ids, held in memory and shared by every clone of [`super::AuthConfig`]; refreshed from storage
//! by [`Revoked::reload`] (at start, every 30 s while serving, and after a revocation through the API).

use parking_lot::RwLock;
use std::collections::HashSet;
use std::sync::Arc;

/// A shared set of revoked `jti`s.
#[derive(Clone, Debug, Default)]
pub struct Revoked(Arc<RwLock<HashSet<String>>>);

impl Revoked {
    /// Whether a token id is revoked.
    pub fn contains(&self, jti: &str) -> bool {
        self.0.read().contains(jti)
    }

    /// Replaces the set.
    pub fn replace(&self, ids: impl IntoIterator<Item = String>) {
        let fresh: HashSet<String> = ids.into_iter().collect();
        *self.0.write() = fresh;
    }

    /// Adds one id.
    pub fn insert(&self, jti: &str) {
        self.0.write().insert(jti.to_owned());
    }

    /// How many ids are revoked.
    pub fn len(&self) -> usize {
        self.0.read().len()
    }

    /// Whether no id is revoked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Revoked {
    /// Reloads the set from storage (the ids still worth refusing); returns how many there are.
    pub async fn reload(&self, state: &crate::AppState) -> crate::error::ApiResult<usize> {
        let now = state.clock.now_utc();
        let ids = state.db(move |c| storage::revocations::active_ids(c, now)).await?;
        let n = ids.len();
        self.replace(ids);
        Ok(n)
    }

    /// Reloads every `every`, for ever (spawned by `serve`); a failed reload keeps the last set and is logged.
    pub async fn keep_fresh(self, state: crate::AppState, every: std::time::Duration) {
        loop {
            actix_web::rt::time::sleep(every).await;
            if let Err(e) = self.reload(&state).await {
                tracing::warn!(error = %e, "revoked tokens not reloaded");
            }
        }
    }
}
