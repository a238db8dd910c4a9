//! How long the first start after the upgrade to SHA-256 content hashes takes (`docs/operations.md`, "Upgrade"): a
//! fresh database at the previous release's schema gets `N` check records and their heads with old (FNV-1a) hashes,
//! then the rehash ([`storage::rehash::run`]) is timed.
//!
//! `cargo run --release -p storage --example rehash_speed -- DATABASE_URL [N]` (N defaults to 100,000; use an empty
//! database: a new SQLite path, or a new PostgreSQL database).
#![allow(clippy::print_stdout, reason = "a measurement tool prints what it measured")]

use chrono::NaiveDateTime;
use domain::CompanyCode;
use domain::enums::CheckStatus;
use domain::records::{Body, CheckRecord, Common, Record};
use std::time::Instant;
use storage::Db;
use storage::heads::{self, HeadRow};
use storage::rehash::old_hash;
use storage::tx::write_transaction;
use storage::versions::VersionRows;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: rehash_speed DATABASE_URL [N]")?;
    let n: usize = args.next().map_or(Ok(100_000), |v| v.parse())?;
    let db = Db::open(&url)?;
    let names = db.with(|c| storage::upgrade::names(c))?;
    let at = names.iter().position(|n| n.ends_with("_upgrade_steps")).ok_or("no upgrade_steps migration")?;
    db.with(|c| storage::upgrade::migrate_until(c, &names[at - 1]))?;
    let time = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S");
    let (created, checked, received) =
        (time("2026-11-01 00:00:00")?, time("2026-11-01 01:00:00")?, time("2026-11-20 02:00:00")?);
    let company = CompanyCode::parse("140100001")?;
    let made = Instant::now();
    for start in (0..n).step_by(5_000) {
        let mut rows = VersionRows::default();
        let mut head_rows = Vec::new();
        for i in start..n.min(start + 5_000) {
            let r = Record {
                common: Common {
                    id: format!("{i:032x}"),
                    company_code: company.clone(),
                    deleted: false,
                    create_date: created,
                    create_by: "张三".into(),
                    update_date: created,
                    update_by: "李四".into(),
                    credit_code: None,
                    extra: None,
                },
                body: Body::CheckRecord(CheckRecord {
                    check_task_id: format!("{:032x}", i / 10),
                    check_time: checked,
                    check_status: CheckStatus::ALL[0],
                    mobile_me: Some(format!("IMEI-{i}")),
                    is_defend: None,
                }),
            };
            rows.push(&r, "bench", received);
            head_rows.push(HeadRow {
                table_name: r.table().name().to_owned(),
                company_code: company.to_string(),
                record_id: r.common.id.clone(),
                natural_key: r.key().to_owned(),
                update_date: r.common.update_date,
                content_hash: old_hash(&r),
                deleted: false,
                received_at: received,
            });
        }
        db.with(|c| {
            write_transaction(c, |c| {
                rows.insert(c)?;
                heads::upsert(c, &head_rows)
            })?;
            Ok(())
        })?;
    }
    println!("{n} heads written in {:.1} s", made.elapsed().as_secs_f64());
    db.with(|c| storage::upgrade::migrate_until(c, &names[names.len() - 1]))?;
    let started = Instant::now();
    let done = db.with(storage::rehash::run)?;
    let took = started.elapsed().as_secs_f64();
    println!("{n} heads rehashed in {took:.1} s ({:.0} heads/s): {done:?}", n as f64 / took);
    Ok(())
}
