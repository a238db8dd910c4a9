//! Validation speed on one core.

use super::data::{COMPANY, check_record};
use domain::{CompanyCode, ExchangeTable};
use std::time::Instant;

/// Validates `n` check records in batches of 500 on this thread and prints records/s.
pub fn run(n: usize, clock: &domain::Clock) -> anyhow::Result<f64> {
    let values: Vec<serde_json::Value> = (0..n).map(check_record).collect();
    let ctx = exchange::Context::new(CompanyCode::parse(COMPANY)?, clock.now_utc());
    let start = Instant::now();
    let mut valid = 0;
    for batch in values.chunks(500) {
        valid += exchange::validate_batch(ExchangeTable::CheckRecord, batch, &ctx).valid.len();
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    anyhow::ensure!(valid == n, "bench data must be valid ({valid} of {n})");
    super::figure("validation, check_record, one core", rate, "records/s", "goal ≥ 500,000");
    Ok(rate)
}
