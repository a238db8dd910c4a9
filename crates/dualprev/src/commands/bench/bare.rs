//! The floor the push path is compared with: the same rows written by bare multi-row `INSERT`s (one statement and
//! one transaction per batch, no validation, no versions, no receipt) into a scratch table of the same database.

use super::data::{Ids, check_record_of};
use anyhow::Result;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Inserts `batches × batch_size` check records as `(record_id, company_code, body)` rows, batch `i` of the
/// enterprise `companies[i % companies.len()]` as the push bench sends them, from `writers` threads at once (each on
/// a pooled connection of its own); returns rows/s.
pub fn run(
    db: &storage::Db,
    batches: usize,
    batch_size: usize,
    ids: Ids,
    companies: &[String],
    writers: usize,
) -> Result<f64> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let statements: Vec<String> = (0..batches)
        .map(|i| {
            let k = i % companies.len().max(1);
            let company = companies.get(k).map_or(super::data::COMPANY, String::as_str);
            let rows: Vec<String> = (0..batch_size)
                .map(|j| {
                    let r = check_record_of(company, k, i * batch_size + j, ids);
                    let id = r["id"].as_str().unwrap_or_default().to_owned();
                    format!("({}, {}, {})", quote(&id), quote(company), quote(&r.to_string()))
                })
                .collect();
            format!("INSERT INTO bench_bare (record_id, company_code, body) VALUES {}", rows.join(","))
        })
        .collect();
    db.with(|c| {
        c.batch_execute(
            "DROP TABLE IF EXISTS bench_bare; \
             CREATE TABLE bench_bare (record_id TEXT PRIMARY KEY, company_code TEXT NOT NULL, body TEXT NOT NULL)",
        )?;
        Ok(())
    })?;
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..writers.max(1))
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    while let Some(sql) = statements.get(next.fetch_add(1, Ordering::Relaxed)) {
                        db.with(|c| Ok(c.transaction(|t| t.batch_execute(sql))?))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().map_err(|_| anyhow::anyhow!("a bare writer panicked"))?)
    })?;
    let rate = (batches * batch_size) as f64 / start.elapsed().as_secs_f64();
    db.with(|c| Ok(c.batch_execute("DROP TABLE bench_bare")?))?;
    Ok(rate)
}
