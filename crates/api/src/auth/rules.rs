//! The security policy in force (`storage::security_policy`, set by the security administrator) as requests need
//! it: read from the database at most once every [`TTL`] per process. A change made through this process applies at
//! once; one made through another process (several `serve --role api`) within [`TTL`].

use crate::AppState;
use crate::error::ApiResult;
use domain::security_policy::SecurityPolicy;
use parking_lot::RwLock;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a process uses the policy it read before reading it again.
pub const TTL: Duration = Duration::from_secs(5);

/// The last policy read and when (shared by the clones of the application state).
#[derive(Debug, Clone, Default)]
pub struct PolicyCache(Arc<RwLock<Option<(Instant, SecurityPolicy)>>>);

impl PolicyCache {
    /// The cached policy, if read less than [`TTL`] ago.
    pub fn fresh(&self) -> Option<SecurityPolicy> {
        self.0.read().filter(|(at, _)| at.elapsed() < TTL).map(|(_, p)| p)
    }

    /// Keeps `p` as the policy in force from now.
    pub fn put(&self, p: SecurityPolicy) {
        *self.0.write() = Some((Instant::now(), p));
    }
}

impl AppState {
    /// The security policy in force (cached: see [`PolicyCache`]).
    pub async fn rules(&self) -> ApiResult<SecurityPolicy> {
        if let Some(p) = self.sessions.rules.fresh() {
            return Ok(p);
        }
        let p = self.db(storage::security_policy::in_force).await?;
        self.sessions.rules.put(p);
        Ok(p)
    }
}
