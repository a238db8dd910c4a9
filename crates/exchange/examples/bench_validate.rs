//! Validation speed: builds N realistic check_record (and danger) wire values in memory, validates them in batches
//! of 500 and prints records per second: over all N (each record cold in memory, read once), and for one batch
//! validated repeatedly (warm in the CPU cache, as a batch is right after its body was parsed).
//!
//! ```sh
//! cargo run --release -p exchange --example bench_validate [N]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark fails loudly")]

use chrono::NaiveDateTime;
use domain::{CompanyCode, ExchangeTable};
use exchange::{Context, MAX_RECORDS, validate_batch};
use serde_json::{Value, json};
use std::time::Instant;

/// A seeded generator (fastrand) with the draws the bench needs.
struct Rng(fastrand::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.u64(..)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n)
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        if a & 1 == 0 {
            format!("{a:016x}{b:016x}")
        } else {
            let h = format!("{a:016x}{b:016x}");
            format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
        }
    }
    /// A local datetime in April 2026, in one of the two wire forms.
    fn time(&mut self) -> String {
        let (d, h, m, s) = (1 + self.below(30), self.below(24), self.below(60), self.below(60));
        if self.next() & 1 == 0 {
            format!("2026-04-{d:02} {h:02}:{m:02}:{s:02}")
        } else {
            format!("202604{d:02}{h:02}{m:02}{s:02}")
        }
    }
}

const PEOPLE: [&str; 5] = ["张三", "李四", "王五", "赵六", "钱七"];

fn common(rng: &mut Rng) -> Value {
    let created = rng.time();
    json!({
        "id": rng.uuid(),
        "companyCode": "140100001",
        "deleted": if rng.below(50) == 0 { "1" } else { "0" },
        "createDate": created,
        "createBy": PEOPLE[rng.below(5) as usize],
        "updateDate": created,
        "updateBy": PEOPLE[rng.below(5) as usize],
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Value::Object(a), Value::Object(b)) = (&mut a, b) {
        a.extend(b);
    }
    a
}

fn check_record(rng: &mut Rng) -> Value {
    let mut body = json!({
        "checkTaskId": rng.uuid(),
        "checkTime": rng.time(),
        "checkStatus": (rng.below(4)).to_string(),
        "isDefend": rng.below(2),
    });
    if rng.next() & 1 == 0 {
        body["mobileMe"] = json!(format!("86{:013}", rng.below(10_000_000_000_000)));
    }
    merge(common(rng), body)
}

fn danger(rng: &mut Rng) -> Value {
    let accepted = rng.below(3) == 0;
    let mut body = json!({
        "hazardCode": format!("HZ-{:04}", rng.below(500)),
        "dangerName": "液位计读数异常，需更换",
        "dangerLevel": rng.below(2),
        "registTime": "2026-04-01 09:30:00",
        "registrant": PEOPLE[rng.below(5) as usize],
        "dangerSrc": 1 + rng.below(10),
        "dangerManageType": "1",
        "hazardDangerType": (1 + rng.below(8)).to_string(),
        "dangerDesc": "储罐区东侧液位计读数与现场不符，存在误报风险。",
        "liablePerson": PEOPLE[rng.below(5) as usize],
        "dangerState": if accepted { "9" } else { "0" },
        "dangerManageDeadline": "2026-04-20",
        "checkRecordId": rng.uuid(),
        "riskMeasureId": rng.uuid(),
        "dangerReason": "仪表老化",
        "cost": "0.5",
    });
    if accepted {
        body["checkAcceptPerson"] = json!("钱七");
        body["checkAcceptTime"] = json!("2026-04-18 16:00:00");
    }
    merge(common(rng), body)
}

fn bench(name: &str, table: ExchangeTable, records: &[Value], ctx: &Context) {
    let start = Instant::now();
    let (mut valid, mut rejected) = (0, 0);
    for batch in records.chunks(MAX_RECORDS) {
        let out = validate_batch(table, batch, ctx);
        valid += out.valid.len();
        rejected += out.rejected;
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = records.len() as f64 / secs;
    println!(
        "{name:<13} {:>8} records in {secs:>6.3} s: {rate:>10.0} records/s ({valid} valid, {rejected} rejected)",
        records.len()
    );
    assert_eq!(rejected, 0, "the generated records are valid");
}

/// The same first batch validated again and again: the speed when the batch is in the CPU cache, as it is right
/// after the body was parsed.
fn bench_hot(name: &str, table: ExchangeTable, records: &[Value], ctx: &Context) {
    let batch = &records[..records.len().min(MAX_RECORDS)];
    let rounds = 400;
    let start = Instant::now();
    let mut valid = 0;
    for _ in 0..rounds {
        valid += validate_batch(table, batch, ctx).valid.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = batch.len() * rounds;
    println!("{name:<13} {n:>8} records in {secs:>6.3} s: {:>10.0} records/s (one batch, in cache)", n as f64 / secs);
    assert_eq!(valid, n);
}

fn main() {
    let n: usize = std::env::args().nth(1).map_or(200_000, |s| s.parse().expect("N is a number"));
    let now = NaiveDateTime::parse_from_str("2026-05-01 04:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let ctx = Context::new(CompanyCode::parse("140100001").unwrap(), now);
    let mut rng = Rng(fastrand::Rng::with_seed(2026));
    let records: Vec<Value> = (0..n).map(|_| check_record(&mut rng)).collect();
    let dangers: Vec<Value> = (0..n).map(|_| danger(&mut rng)).collect();
    // One warm-up pass, then the measured ones.
    bench("warm-up", ExchangeTable::CheckRecord, &records[..n.min(10_000)], &ctx);
    // BENCH_REPEAT=k measures k passes (for profiling the validation alone).
    let repeat: usize = std::env::var("BENCH_REPEAT").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    for _ in 0..repeat {
        bench("check_record", ExchangeTable::CheckRecord, &records, &ctx);
        bench("danger", ExchangeTable::Danger, &dangers, &ctx);
    }
    bench_hot("check_record", ExchangeTable::CheckRecord, &records, &ctx);
    bench_hot("danger", ExchangeTable::Danger, &dangers, &ctx);
}
