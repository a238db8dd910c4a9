//! `dualprev validate FILE.json --table TABLE [--company CODE] [--key KEY [--iv IV] [--cipher aes128cbc|sm4cbc]]`:
//! checks a payload offline, as the push endpoint would, and prints the receipt. Exit 0 when every record passes, 1 when any is rejected, 2 when the file cannot be
//! read or parsed.

use domain::{CompanyCode, ExchangeTable};
use exchange::{Body, Context, Receipt};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

/// Options of an offline check.
#[derive(Debug)]
pub struct Options<'a> {
    /// The payload file.
    pub file: &'a Path,
    /// The table (name or national alias).
    pub table: &'a str,
    /// The sending enterprise; without it, any valid code is accepted.
    pub company: Option<&'a str>,
    /// The key (16 characters) for a `{"datas": …}` file.
    pub key: Option<&'a str>,
    /// The IV (defaults to the key).
    pub iv: Option<&'a str>,
    /// The cipher of a `{"datas": …}` file.
    pub cipher: domain::client::Cipher,
    /// The clock ("now" of the date rules).
    pub clock: &'a domain::Clock,
}

/// Fails with exit code 2 and a message.
fn unusable(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误 / error: {msg}");
    ExitCode::from(2)
}

/// Runs the check; the receipt goes to standard output, a summary to standard error.
pub fn run(o: &Options<'_>) -> ExitCode {
    let table = match ExchangeTable::parse(o.table) {
        Ok(t) => t,
        Err(e) => return unusable(e),
    };
    let company = match o.company.map(CompanyCode::parse).transpose() {
        Ok(c) => c,
        Err(e) => return unusable(e),
    };
    let bytes = match std::fs::read(o.file) {
        Ok(b) => b,
        Err(e) => return unusable(format!("无法读取 / cannot read {}: {e}", o.file.display())),
    };
    let values = match exchange::parse_body(&bytes) {
        Ok(Body::Records(v)) => v,
        Ok(Body::Encrypted(b64)) => {
            let key = o.key.and_then(exchange::key_bytes);
            if o.key.is_some() && key.is_none() || o.iv.is_some_and(|iv| exchange::key_bytes(iv).is_none()) {
                return unusable("--key 与 --iv 必须是 16 个 ASCII 字符 / --key and --iv must be 16 ASCII characters");
            }
            let iv = o.iv.and_then(exchange::key_bytes).or(key);
            let (Some(key), Some(iv)) = (key, iv) else {
                return unusable(
                    "datas 已加密，请用 --key 给出 16 位密钥 / datas is encrypted: give the 16-character --key",
                );
            };
            match exchange::decrypt_datas(&b64, o.cipher, &key, &iv).and_then(|p| exchange::parse_records(&p)) {
                Ok(v) => v,
                Err(e) => return unusable(e),
            }
        }
        Err(e) => return unusable(e),
    };
    let now = o.clock.now_utc();
    let mut validated = exchange::validate_batch(table, &values, &Context { company: company.clone(), now });
    // Photos of dangers are checked as a push checks them (`bad_image`); nothing is stored.
    ingest::photos::take(table, &mut validated);
    // The receipt names the sender: --company, else the code most records carry.
    let sender = company.unwrap_or_else(|| {
        let mut counts: HashMap<&CompanyCode, usize> = HashMap::new();
        for (_, r) in &validated.valid {
            *counts.entry(&r.common.company_code).or_default() += 1;
        }
        let best = counts.into_iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.as_str().to_owned())));
        // No record passed and no --company: the receipt names no real enterprise.
        best.map(|(c, _)| c.clone()).unwrap_or_else(|| {
            CompanyCode::parse("000000000").unwrap_or_else(|_| CompanyCode::provisional(domain::City::Taiyuan, 0))
        })
    });
    let mut receipt = Receipt::new("offline", table, sender, now, values.len());
    receipt.accepted = validated.valid.len();
    receipt.errors = validated.errors;
    receipt.warnings = validated.warnings;
    receipt.recount_rejected();
    receipt.dry_run = true;
    match serde_json::to_string_pretty(&receipt) {
        Ok(json) => println!("{json}"),
        Err(e) => return unusable(e),
    }
    eprintln!(
        "{} 条记录：通过 {}，拒绝 {}（离线检查不含上级记录与版本检查）/ {} records: {} pass, {} rejected \
         (offline: parent and version checks need the platform)",
        receipt.received, receipt.accepted, receipt.rejected, receipt.received, receipt.accepted, receipt.rejected
    );
    if receipt.rejected == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
