//! Generation time and size of a world of the 176 annex enterprises.
//!
//! ```sh
//! cargo run --release -p sim --example generate -- demo      # small | demo | province [days]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "an example fails loudly")]

use chrono::{NaiveDate, TimeDelta};
use domain::time::local_midnight_utc;
use sim::{SimConfig, Size, World};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let size = match args.next().as_deref().unwrap_or("demo") {
        "small" => Size::Small,
        "province" => Size::Province,
        _ => Size::Demo,
    };
    let days: i64 = args.next().and_then(|d| d.parse().ok()).unwrap_or(size.default_days());
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date");
    let end = local_midnight_utc(start + TimeDelta::days(days)) + TimeDelta::hours(10);
    let cfg = SimConfig::for_registry(176, 2026, start, end, size.clone(), 0.0);
    let t = Instant::now();
    let world = World::generate(&cfg);
    let generated = t.elapsed();
    let totals = world.totals();
    println!(
        "{size:?}, {days} days: generated in {generated:.2?} on {} threads",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("{totals}");
    println!(
        "per enterprise: {:.0} versions, {:.0} check records",
        totals.versions() as f64 / 176.0,
        totals.table(domain::ExchangeTable::CheckRecord).versions as f64 / 176.0
    );
}
