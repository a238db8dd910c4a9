//! The rate limit of the push route: a token bucket per enterprise (whatever token or Basic credentials it pushes
//! with, so that issuing more tokens does not raise the limit). A bucket holds one minute's allowance and refills
//! continuously; an empty bucket answers 429 with `Retry-After`.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::Instant;

/// Push requests allowed per enterprise and minute; 0 turns the limit off.
#[derive(Debug, Default)]
pub struct PushLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl PushLimiter {
    /// A limiter allowing `per_minute` pushes per enterprise and minute (bursts up to that many); 0 = no limit.
    pub fn new(per_minute: u32) -> PushLimiter {
        PushLimiter { per_minute, buckets: Mutex::default() }
    }

    /// The configured allowance per minute (0 = no limit).
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes one push from `key`'s bucket now; `Err(seconds)` to wait when it is empty.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        self.take_at(key, Instant::now())
    }

    /// Takes one push from `key`'s bucket at `now`.
    pub fn take_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let mut buckets = self.buckets.lock();
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket { tokens: capacity, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn buckets_empty_and_refill() {
        let l = PushLimiter::new(6);
        let t0 = Instant::now();
        for _ in 0..6 {
            assert_eq!(l.take_at("a", t0), Ok(()));
        }
        assert_eq!(l.take_at("a", t0), Err(10), "one push every 10 s");
        assert_eq!(l.take_at("b", t0), Ok(()), "buckets are per enterprise");
        assert_eq!(l.take_at("a", t0 + Duration::from_secs(4)), Err(6));
        assert_eq!(l.take_at("a", t0 + Duration::from_secs(11)), Ok(()));
        assert!(PushLimiter::new(0).take_at("a", t0).is_ok());
    }
}
