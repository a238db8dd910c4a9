//! The first start after the upgrade to SHA-256 content hashes (`docs/operations.md`, "Upgrade"): a fresh database
//! at the previous release's schema gets `n` check records and their heads with the old (FNV-1a) hashes, then the
//! rehash (`storage::rehash::run`) is timed, on SQLite and, with `--postgres`, on PostgreSQL.

use anyhow::Result;
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

/// Times the rehash of `n` heads on a fresh SQLite file and, when given, an empty PostgreSQL database.
pub fn run(n: usize, postgres: Option<&str>) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("rehash.db").display());
    measure(&sqlite, n, "SQLite")?;
    if let Some(url) = postgres {
        measure(url, n, "PostgreSQL")?;
    }
    Ok(())
}

fn measure(url: &str, n: usize, backend: &str) -> Result<()> {
    let db = Db::open(url)?;
    // This release's schema with the rehash step not done, as the previous release left its database (its heads are
    // written with the old hash below).
    db.migrate()?;
    db.with(|c| {
        use diesel::RunQueryDsl;
        Ok(diesel::delete(storage::schema::upgrade_steps::table).execute(c)?)
    })?;
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default();
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
                    create_date: at("2026-11-01 00:00:00"),
                    create_by: "张三".into(),
                    update_date: at("2026-11-01 00:00:00"),
                    update_by: "李四".into(),
                    credit_code: None,
                    extra: None,
                },
                body: Body::CheckRecord(CheckRecord {
                    check_task_id: format!("{:032x}", i / 10),
                    check_time: at("2026-11-01 01:00:00"),
                    check_status: CheckStatus::ALL[0],
                    mobile_me: Some(format!("IMEI-{i}")),
                    is_defend: None,
                }),
            };
            rows.push(&r, &domain::BatchId::new("bench".into()), at("2026-11-20 02:00:00"));
            head_rows.push(HeadRow {
                table_name: r.table().name().to_owned(),
                company_code: company.to_string(),
                record_id: r.common.id.clone(),
                natural_key: r.key().to_owned(),
                update_date: r.common.update_date,
                content_hash: old_hash(&r),
                deleted: false,
                received_at: at("2026-11-20 02:00:00"),
                first_received_at: Some(at("2026-11-20 02:00:00")),
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
    let filled = made.elapsed().as_secs_f64();
    super::figure(
        &format!("setup: {n} heads as the previous release kept them ({backend}, s)"),
        filled,
        "s",
        "not timed by the upgrade",
    );
    let started = Instant::now();
    let done = db.with(storage::rehash::run)?;
    let took = started.elapsed().as_secs_f64();
    let what = format!("rehash of {n} heads at the first start ({backend}, s)");
    super::figure(&what, took, "s", "once, at the first start after the upgrade");
    super::figure(&format!("rehash rate ({backend}, heads/s)"), n as f64 / took, "heads/s", &format!("{done:?}"));
    Ok(())
}
