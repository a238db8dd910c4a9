//! The fixed data set of the dashboard tests, pushed through the API, with its figures computed by hand.
//!
//! Three enterprises send the chain hazard → unit (重大) → event → measure (排查) → daily task `t1` starting
//! 2026-11-01 08:00 (`wire::chain`):
//!
//! | enterprise | city | check records of `t1` | other |
//! |---|---|---|---|
//! | `A` 140100001 | 太原 | 11-02 09:00, 11-03 09:00 | a 重大 danger registered 11-03 10:00, deadline 11-05, not rectified; one rejected record |
//! | `A2` 140100002 | 太原 | 11-04 09:00 | — |
//! | `B` 140200001 | 大同 | none | — |
//!
//! In 2026-W45 (11-02 00:00 to 11-09 00:00) a daily task starting 11-01 08:00 has 7 instances due, ending 11-02
//! 08:00 … 11-08 08:00 (`metrics.md` §4.2, §4.8). A check at 09:00 completes the instance that started at 08:00 the
//! same day, which ends the next day, inside the week. So:
//!
//! - 排查任务完成率: A 2/7 = 28.6%, A2 1/7 = 14.3%, 太原 3/14 = 21.4%, B and 大同 0/7 = 0.0%; other cities 0/0 (—).
//! - In 2026-W46 no check falls in an instance: 太原 0/14 = 0.0%.
//! - 安全风险分析完成率 at t1: every unit has an event, a 排查 measure and a task: 太原 2/2, 大同 1/1.
//! - 隐患整改率 W45: A's danger has the effective deadline 11-06 00:00 (a date deadline ends with its day, §5.1),
//!   inside the week, and is not rectified: 太原 0/1 = 0.0%; it is overdue at t1: 超期重大隐患 1.
//! - Connection: the three enterprises sent data today in every table they use: 3 of the 176 are 已接入.

use crate::Server;
use crate::wire::{chain, check, id};
use serde_json::{Value, json};

/// 太原's first enterprise, with two checks, an overdue 重大 danger and a rejected record.
pub const A: &str = "140100001";
/// 太原's second enterprise, with one check.
pub const A2: &str = "140100002";
/// 大同's first enterprise, without checks.
pub const B: &str = "140200001";
/// The week the figures above are computed for.
pub const WEEK: &str = "2026-W45";
/// The next week.
pub const NEXT_WEEK: &str = "2026-W46";

fn check_at(company: &str, name: &str, time: &str) -> Value {
    let mut c = check(company, name, "t1");
    c["checkTime"] = json!(time);
    c
}

/// The overdue 重大 danger of `A`.
fn danger(company: &str) -> Value {
    json!({"id": id("d1"), "companyCode": company, "deleted": "0", "createDate": "2026-11-03 10:00:00",
        "createBy": "张三", "updateDate": "2026-11-03 10:00:00", "updateBy": "张三",
        "hazardCode": "HZ-1", "dangerName": "液位计失灵", "dangerLevel": "1", "registTime": "2026-11-03 10:00:00",
        "registrant": "张三", "dangerSrc": 9, "dangerManageType": "1", "hazardDangerType": "4",
        "dangerDesc": "液位计读数异常", "liablePerson": "赵六", "dangerState": "0",
        "dangerManageDeadline": "2026-11-05", "riskMeasureId": id("m1")})
}

async fn push_ok(s: &Server, table: &str, company: &str, body: Value) {
    let (status, r) = s.push(table, company, &body).await;
    assert_eq!(status, 200, "{table} of {company}: {r}");
}

/// Pushes the data set.
pub async fn seed(s: &Server) {
    for company in [A, A2, B] {
        for (table, batch) in chain(company) {
            push_ok(s, table, company, batch).await;
        }
    }
    push_ok(s, "check_record", A, json!([check_at(A, "c1", "20261102090000"), check_at(A, "c2", "20261103090000")]))
        .await;
    push_ok(s, "check_record", A2, json!([check_at(A2, "c1", "20261104090000")])).await;
    push_ok(s, "danger", A, json!([danger(A)])).await;
    // One rejected record (an unknown checkStatus) beside a good one (already stored: unchanged).
    let mut bad = check_at(A, "c3", "20261105090000");
    bad["checkStatus"] = json!(7);
    let (status, r) = s.push("check_record", A, &json!([check_at(A, "c1", "20261102090000"), bad])).await;
    assert_eq!((status, r["rejected"].as_u64()), (207, Some(1)), "{r}");
}

/// The percentage the dashboard shows for num/den: one decimal rounded half up exactly, `—` without a denominator.
pub fn percent(num: u64, den: u64) -> String {
    if den == 0 {
        return "—".to_owned();
    }
    let tenths = (2000 * num + den) / (2 * den);
    format!("{}.{}%", tenths / 10, tenths % 10)
}
