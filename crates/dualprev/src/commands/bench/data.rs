//! Bench data: one enterprise's chain down to a daily task, and check records of that task, as wire JSON.

use serde_json::{Value, json};

/// The enterprise the bench pushes as.
pub const COMPANY: &str = "140100001";

/// A 32-character id from a hex prefix and a number.
pub fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}{n:0>width$}", width = 32 - prefix.len())
}

/// The codes of the first `n` enterprises the bench pushes as: [`COMPANY`] first, then others of the annex.
pub fn companies(n: usize) -> anyhow::Result<Vec<String>> {
    let mut codes = vec![COMPANY.to_owned()];
    for e in domain::registry::annex_enterprises()? {
        if codes.len() >= n {
            break;
        }
        if e.code.as_str() != COMPANY {
            codes.push(e.code.to_string());
        }
    }
    codes.truncate(n.max(1));
    Ok(codes)
}

fn record_of(company: &str, id: &str, fields: Value) -> Value {
    let mut base = json!({"id": id, "companyCode": company, "deleted": "0", "createDate": "2026-11-01 08:00:00",
        "createBy": "巡检员", "updateDate": "2026-11-01 08:00:00", "updateBy": "巡检员"});
    if let (Some(b), Some(f)) = (base.as_object_mut(), fields.as_object()) {
        b.extend(f.clone());
    }
    base
}

/// The parent chain, one record per table in parent order: (table, record).
pub fn chain() -> Vec<(&'static str, Value)> {
    chain_of(COMPANY, 0)
}

/// The parent chain of the `k`-th enterprise the bench pushes as (`company`), with ids of its own.
pub fn chain_of(company: &str, k: usize) -> Vec<(&'static str, Value)> {
    let n = k + 1;
    let record = |id: &str, fields: Value| record_of(company, id, fields);
    vec![
        (
            "hazard_source",
            record(&id("a", n), json!({"hazardCode": "HZ-1", "hazardName": "液氨罐区", "hazardLevel": 2})),
        ),
        (
            "risk_unit",
            record(
                &id("b", n),
                json!({"hazardCode": "HZ-1", "hazardDep": "生产部", "hazardLiablePerson": "王五",
                "riskUnitName": "液氨储罐", "riskClass": 1}),
            ),
        ),
        ("risk_event", record(&id("c", n), json!({"riskUnitId": id("b", n), "riskEventName": "液氨泄漏"}))),
        (
            "control_measure",
            record(
                &id("d", n),
                json!({"riskEventId": id("c", n), "dataSrc": 2, "riskMeasureDesc": "每日巡检阀门",
                "classify1": 1, "classify2": "1-2", "troubleshootContent": "检查阀门密封"}),
            ),
        ),
        (
            "check_task",
            record(
                &id("e", n),
                json!({"riskMeasureId": id("d", n), "troubleshootContent": "检查阀门密封",
                "checkCycle": 1, "checkCycleUnit": "天", "taskStartTime": "2026-11-01 08:00:00"}),
            ),
        ),
    ]
}

/// How the bench's check records are identified: what decides how much of each index a batch rewrites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// Increasing ids (time-ordered ids such as snowflake or ULID-like keys): each batch appends to the indexes.
    Ordered,
    /// Random UUIDs (version 4, as `data-exchange.md` describes ids): each record lands on a random index page.
    Random,
}

impl Ids {
    /// How the figure lines name it.
    pub fn label(self) -> &'static str {
        match self {
            Ids::Ordered => "ordered ids",
            Ids::Random => "random UUIDs",
        }
    }

    /// The id of the `n`-th record; the same `n` gives the same id in every run.
    pub fn of(self, n: usize) -> String {
        match self {
            Ids::Ordered => id("f", n),
            Ids::Random => {
                let (hi, lo) = (splitmix(n as u64 * 2), splitmix(n as u64 * 2 + 1));
                // The version (4) and variant (10xx) bits of a UUID v4.
                let hi = (hi & !0xf000) | 0x4000;
                let lo = (lo & !(0xc << 60)) | (0x8 << 60);
                format!("{hi:016x}{lo:016x}")
            }
        }
    }
}

/// SplitMix64: a well-mixed 64-bit value of `x`.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `n`-th check record of the task, with an ordered id.
pub fn check_record(n: usize) -> Value {
    check_record_with(n, Ids::Ordered)
}

/// The `n`-th check record of the task, identified as `ids` says.
pub fn check_record_with(n: usize, ids: Ids) -> Value {
    check_record_of(COMPANY, 0, n, ids)
}

/// The `n`-th check record of the task of the `k`-th enterprise the bench pushes as (`company`, see [`chain_of`]).
pub fn check_record_of(company: &str, k: usize, n: usize, ids: Ids) -> Value {
    record_of(
        company,
        &ids.of(n),
        json!({"checkTaskId": id("e", k + 1), "checkTime": "2026-11-02 09:00:00", "checkStatus": n % 4 / 3,
               "mobileMe": "860000000000000"}),
    )
}
