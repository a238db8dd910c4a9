//! The rate limits of the push route, per enterprise (whatever token or Basic credentials it pushes with, so that
//! issuing more tokens does not raise them): **records** per minute (`[limits] push_records_per_minute`, 60,000 by
//! default), so that clients sending small pages are not refused, and optionally requests per minute
//! (`push_per_minute`, off by default). Each is a token bucket holding one minute's allowance and refilling
//! continuously. A push is admitted while its enterprise's buckets are not empty; its records are charged after it
//! was read (a batch may take the record bucket below zero, and the next push waits until it refills). An empty
//! bucket answers 429 with `Retry-After`.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::Instant;

/// One limit: a bucket per enterprise holding `per_minute` (0 = no limit).
#[derive(Debug, Default)]
struct Buckets {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Buckets {
    fn new(per_minute: u32) -> Buckets {
        Buckets { per_minute, buckets: Mutex::default() }
    }

    /// Refills `key`'s bucket to `now`, takes `n` when at least one is there (the balance may go below zero), and
    /// answers the seconds to wait otherwise. `n = 0` only checks.
    fn take(&self, key: &str, n: f64, now: Instant) -> Result<(), u64> {
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
            bucket.tokens -= n;
            Ok(())
        } else {
            // Whole seconds of a positive wait: the cast is exact in range.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Err(((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64)
        }
    }

    /// Takes `n` whatever the balance (charging what was admitted).
    fn charge(&self, key: &str, n: f64, now: Instant) {
        if self.per_minute == 0 {
            return;
        }
        let _ = self.take(key, 0.0, now);
        if let Some(b) = self.buckets.lock().get_mut(key) {
            b.tokens -= n;
        }
    }
}

/// The push limits of every enterprise.
#[derive(Debug, Default)]
pub struct PushLimiter {
    records: Buckets,
    requests: Buckets,
}

impl PushLimiter {
    /// Limits of `records_per_minute` records and `requests_per_minute` requests per enterprise (each bursting up to
    /// one minute's allowance); 0 turns a limit off.
    pub fn new(records_per_minute: u32, requests_per_minute: u32) -> PushLimiter {
        PushLimiter { records: Buckets::new(records_per_minute), requests: Buckets::new(requests_per_minute) }
    }

    /// The records allowed per minute (0 = no limit).
    pub fn records_per_minute(&self) -> u32 {
        self.records.per_minute
    }

    /// The requests allowed per minute (0 = no limit).
    pub fn requests_per_minute(&self) -> u32 {
        self.requests.per_minute
    }

    /// Admits one push of `key` now, or answers the seconds to wait.
    pub fn admit(&self, key: &str) -> Result<(), u64> {
        self.admit_at(key, Instant::now())
    }

    /// Admits one push of `key` at `now`: takes one request, and needs a record bucket that is not empty.
    pub fn admit_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        self.records.take(key, 0.0, now)?;
        self.requests.take(key, 1.0, now)
    }

    /// Charges an admitted push's records (at least one: a request that carried none still cost a read).
    pub fn charge(&self, key: &str, records: usize) {
        self.charge_at(key, records, Instant::now());
    }

    /// Charges records at `now`.
    pub fn charge_at(&self, key: &str, records: usize, now: Instant) {
        #[allow(clippy::cast_precision_loss)]
        self.records.charge(key, records.max(1) as f64, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn request_buckets_empty_and_refill() {
        let l = PushLimiter::new(0, 6);
        let t0 = Instant::now();
        for _ in 0..6 {
            assert_eq!(l.admit_at("a", t0), Ok(()));
        }
        assert_eq!(l.admit_at("a", t0), Err(10), "one push every 10 s");
        assert_eq!(l.admit_at("b", t0), Ok(()), "buckets are per enterprise");
        assert_eq!(l.admit_at("a", t0 + Duration::from_secs(4)), Err(6));
        assert_eq!(l.admit_at("a", t0 + Duration::from_secs(11)), Ok(()));
        assert!(PushLimiter::new(0, 0).admit_at("a", t0).is_ok());
    }

    #[test]
    fn records_are_charged_after_the_push_and_small_pages_pass() {
        // 600 records a minute: 10 a second.
        let l = PushLimiter::new(600, 0);
        let t0 = Instant::now();
        // Thirty pages of 20 records at once: the minute's allowance, no refusal.
        for _ in 0..30 {
            assert_eq!(l.admit_at("a", t0), Ok(()));
            l.charge_at("a", 20, t0);
        }
        assert_eq!(l.admit_at("a", t0), Err(1), "empty: one record takes 0.1 s");
        // A batch of 500 admitted on the last record takes the bucket below zero: the next waits for it.
        assert_eq!(l.admit_at("a", t0 + Duration::from_secs(1)), Ok(()));
        l.charge_at("a", 500, t0 + Duration::from_secs(1));
        assert_eq!(l.admit_at("a", t0 + Duration::from_secs(1)), Err(50), "490 records below zero, 10 a second");
        assert_eq!(l.admit_at("a", t0 + Duration::from_secs(51)), Ok(()));
        assert_eq!(l.admit_at("b", t0), Ok(()), "per enterprise");
    }
}
