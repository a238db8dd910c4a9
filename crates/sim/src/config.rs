//! What to simulate: the enterprises, the span of history, the size, and who misbehaves.

use crate::rng::{Rng, derive, hash_str};
use chrono::{NaiveDate, NaiveDateTime};
use domain::{City, CompanyCode};

/// What a simulated world is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// The seed: the same seed (and the same other fields) gives the same world, byte for byte.
    pub seed: u64,
    /// Whom to simulate, each with its city (the city sets the enterprise's baseline diligence). A repeated code is
    /// simulated once, with its first city.
    pub enterprises: Vec<(CompanyCode, City)>,
    /// The first local (Asia/Shanghai) day of history: master data is created on it, checks begin at its 00:00.
    pub start: NaiveDate,
    /// The UTC "now" of the world: no version with a later `updateDate` exists yet.
    pub end: NaiveDateTime,
    /// How much data each enterprise has.
    pub size: Size,
    /// Misbehaving enterprises and how (see [`Fault`]); an enterprise listed twice keeps its first fault.
    pub faults: Vec<(CompanyCode, Fault)>,
    /// Enterprises that answer with the `{"datas": "<Base64>"}` envelope, encrypted with [`aes_key`].
    pub encrypted: Vec<CompanyCode>,
}

/// How an enterprise's endpoint misbehaves. Every request of a faulty enterprise misbehaves the same way; the
/// crate documentation tells each behaviour precisely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Never answers: the connection stays open without a response for an hour (or until the server stops).
    Timeout,
    /// Sends the status and headers at once, then the body in up to 120 small chunks spread over 30 s.
    SlowDrip,
    /// Answers `500 Internal Server Error`.
    ServerError,
    /// Answers 200 with the page's JSON cut in the middle (a consistent `Content-Length`, an invalid JSON text).
    Truncated,
    /// Answers 200 with a `datas` text that is valid Base64 of AES ciphertext, but under another key.
    Undecryptable,
    /// About 10 % of the records of every page are broken (a bad enumeration or a missing required field).
    InvalidRecords,
    /// The enterprise's system sends children before their parents: the world has check tasks whose records
    /// arrive days before the task itself (see the crate documentation).
    OutOfOrder,
}

impl Fault {
    /// Every fault, in the order [`SimConfig::for_registry`] cycles through them.
    pub const ALL: [Fault; 7] = [
        Fault::Timeout,
        Fault::SlowDrip,
        Fault::ServerError,
        Fault::Truncated,
        Fault::Undecryptable,
        Fault::InvalidRecords,
        Fault::OutOfOrder,
    ];

    /// A stable name, e.g. `"slow_drip"`.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Timeout => "timeout",
            Fault::SlowDrip => "slow_drip",
            Fault::ServerError => "server_error",
            Fault::Truncated => "truncated",
            Fault::Undecryptable => "undecryptable",
            Fault::InvalidRecords => "invalid_records",
            Fault::OutOfOrder => "out_of_order",
        }
    }

    /// Parses a [`Fault::name`].
    pub fn parse(s: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// The amount of data per enterprise. The span of history is the config's `start`..`end`; the sizes are made for
/// the spans of [`Size::default_days`].
#[derive(Debug, Clone, PartialEq)]
pub enum Size {
    /// A few hundred records per enterprise over about 30 days: for tests.
    Small,
    /// About 1,850 versions per enterprise over about 75 days: `dualprev demo` (176 enterprises ≈ 330,000).
    Demo,
    /// About 109,000 check records per enterprise-year (176 enterprises ≈ 19 million a year): benchmarks.
    Province,
    /// Five province-years: [`Size::Province`] over 5 × 365 days, with more risk units at the start and fewer added
    /// a month, so that the five years hold about five province-years (90.7 million versions with 176 enterprises
    /// and seed 7, against 19.2 million for one): the scale benchmark.
    Province5,
    /// Explicit knobs.
    Custom(Knobs),
}

/// The knobs behind a [`Size`]. Ranges are inclusive and drawn per enterprise (or per parent).
#[derive(Debug, Clone, PartialEq)]
pub struct Knobs {
    /// Hazard sources per enterprise.
    pub hazard_sources: (u32, u32),
    /// Risk units per enterprise at the start of history.
    pub units: (u32, u32),
    /// Risk events per unit.
    pub events_per_unit: (u32, u32),
    /// Control measures per event.
    pub measures_per_event: (u32, u32),
    /// The share of routine check tasks that cycle in hours (小时).
    pub hourly_share: f64,
    /// The cycles (in hours) that hourly tasks draw from.
    pub hourly_cycles: Vec<u32>,
    /// Dangers registered per enterprise and month (drawn per enterprise in this range).
    pub dangers_per_month: (f64, f64),
    /// New risk units (with their events, measures and tasks) added per enterprise and month after the start.
    pub additions_per_month: f64,
}

impl Size {
    /// Parses `"small"`, `"demo"`, `"province"` or `"province5"`.
    pub fn parse(s: &str) -> Option<Size> {
        match s {
            "small" => Some(Size::Small),
            "demo" => Some(Size::Demo),
            "province" => Some(Size::Province),
            "province5" => Some(Size::Province5),
            _ => None,
        }
    }

    /// The knobs of this size.
    pub fn knobs(&self) -> Knobs {
        match self {
            Size::Small => Knobs {
                hazard_sources: (1, 2),
                units: (3, 6),
                events_per_unit: (1, 2),
                measures_per_event: (1, 3),
                hourly_share: 0.05,
                hourly_cycles: vec![4, 8, 12],
                dangers_per_month: (1.0, 5.0),
                additions_per_month: 0.5,
            },
            Size::Demo => Knobs {
                hazard_sources: (1, 4),
                units: (5, 14),
                events_per_unit: (1, 3),
                measures_per_event: (1, 4),
                hourly_share: 0.05,
                hourly_cycles: vec![2, 4, 8, 12],
                dangers_per_month: (1.0, 5.0),
                additions_per_month: 1.0,
            },
            Size::Province => Knobs {
                hazard_sources: (1, 4),
                units: (14, 26),
                events_per_unit: (1, 3),
                measures_per_event: (1, 4),
                hourly_share: 0.5,
                hourly_cycles: vec![1, 1, 1, 2],
                dangers_per_month: (1.0, 5.0),
                additions_per_month: 1.0,
            },
            Size::Province5 => Knobs { units: (26, 47), additions_per_month: 0.35, ..Size::Province.knobs() },
            Size::Custom(k) => k.clone(),
        }
    }

    /// The span of history the size is made for, in days: 30, 75, 365 and 1,825 (a custom size: 30).
    pub fn default_days(&self) -> i64 {
        match self {
            Size::Small | Size::Custom(_) => 30,
            Size::Demo => 75,
            Size::Province => 365,
            Size::Province5 => 5 * 365,
        }
    }
}

impl SimConfig {
    /// The first `n` enterprises of the notice's annex (all 176 when `n` is larger), with their provisional codes
    /// and cities. A share `fault_rate` of them (rounded, chosen by the seed) is faulty, the kinds cycling through
    /// [`Fault::ALL`] in annex order. Every `Undecryptable` enterprise and about a third of the others (chosen by
    /// the seed) answer encrypted.
    pub fn for_registry(
        n: usize,
        seed: u64,
        start: NaiveDate,
        end: NaiveDateTime,
        size: Size,
        fault_rate: f64,
    ) -> SimConfig {
        let enterprises: Vec<(CompanyCode, City)> = domain::registry::annex_enterprises()
            .unwrap_or_default()
            .into_iter()
            .take(n)
            .map(|e| (e.code, e.city))
            .collect();
        // A seeded shuffle chooses the faulty ones; the faults then cycle in annex order.
        let mut order: Vec<usize> = (0..enterprises.len()).collect();
        let mut rng = Rng::stream(seed, hash_str("faults"));
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let count = ((enterprises.len() as f64) * fault_rate.clamp(0.0, 1.0)).round() as usize;
        let mut faulty: Vec<usize> = order.into_iter().take(count).collect();
        faulty.sort_unstable();
        let faults: Vec<(CompanyCode, Fault)> = faulty
            .iter()
            .enumerate()
            .map(|(k, &i)| (enterprises[i].0.clone(), Fault::ALL[k % Fault::ALL.len()]))
            .collect();
        let encrypted = enterprises
            .iter()
            .filter(|(code, _)| {
                let undecryptable = faults.iter().any(|(c, f)| c == code && *f == Fault::Undecryptable);
                undecryptable || derive(seed, hash_str(code.as_str())).is_multiple_of(3)
            })
            .map(|(code, _)| code.clone())
            .collect();
        SimConfig { seed, enterprises, start, end, size, faults, encrypted }
    }
}

/// The AES key (16 ASCII letters and digits) the simulator uses for an enterprise under a seed; the IV is the key.
pub fn aes_key(company: &CompanyCode, seed: u64) -> String {
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = Rng::stream(seed, hash_str(company.as_str()) ^ 0xae5_0ae5);
    (0..16).map(|_| char::from(*rng.pick(ALPHABET))).collect()
}

/// A key that is not the enterprise's (for [`Fault::Undecryptable`]).
pub(crate) fn wrong_key(company: &CompanyCode, seed: u64) -> String {
    let right = aes_key(company, seed);
    let mut other = aes_key(company, seed ^ 0x5eed_0bad);
    if other == right {
        other = other.chars().rev().collect();
    }
    other
}
