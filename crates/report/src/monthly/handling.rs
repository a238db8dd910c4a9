//! 预警处置 (`docs/metrics.md` §11): the handling figures of the warning cases opened in the report period, as they
//! stood at the report's `asOf`: the scope's total first, then each city (a city report has its own line only).

use super::content::ReportScope;
use domain::City;
use domain::handling::HandlingState;
use metrics::figure::Figure;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use storage::handling::figures::{Tally, total};

/// The handling figures of a city or of the scope's total (`metrics.md` §11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandlingLine {
    /// A city code, or `total`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Cases opened in the period (up to `asOf`).
    pub opened: u64,
    /// 签收率: signed / cases that count towards signing.
    pub sign_rate: Figure,
    /// 按时签收率: signed by the sign time / the same base.
    pub on_time_sign_rate: Figure,
    /// 按时办结率: closed by a person by the close time / cases that count towards closing.
    pub on_time_close_rate: Figure,
    /// Cases escalated to the province.
    pub escalated: u64,
    /// Of those, not closed.
    pub open_escalations: u64,
    /// Cases supervised (挂牌督办).
    pub supervised: u64,
    /// Supervised cases per state, in `HandlingState::ALL` order (待签收 … 已办结).
    pub supervised_by_state: Vec<u64>,
    /// Supervised cases past their deadline and not closed.
    pub supervised_overdue: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl HandlingLine {
    /// The line of a tally.
    pub fn new(key: &str, name: &str, t: &Tally) -> HandlingLine {
        let state = |s: HandlingState| count(t.supervised_by_state.get(s.key()).copied().unwrap_or(0));
        HandlingLine {
            key: key.to_owned(),
            name: name.to_owned(),
            opened: count(t.opened),
            sign_rate: Figure::new(count(t.signed), count(t.sign_base)),
            on_time_sign_rate: Figure::new(count(t.signed_on_time), count(t.sign_base)),
            on_time_close_rate: Figure::new(count(t.closed_on_time), count(t.close_base)),
            escalated: count(t.escalated),
            open_escalations: count(t.open_escalations),
            supervised: count(t.supervised),
            supervised_by_state: HandlingState::ALL.into_iter().map(state).collect(),
            supervised_overdue: count(t.supervised_overdue),
        }
    }
}

/// The lines of a scope from the tallies by city: a province report has its total (全省合计) and every city, a
/// city report its own city.
pub fn lines(by_city: &BTreeMap<String, Tally>, scope: &ReportScope) -> Vec<HandlingLine> {
    let none = Tally::default();
    let of = |c: City| HandlingLine::new(c.code(), c.name(), by_city.get(c.code()).unwrap_or(&none));
    match scope {
        ReportScope::Province => {
            let mut out = vec![HandlingLine::new("total", "全省合计", &total(by_city))];
            out.extend(City::ALL.into_iter().map(of));
            out
        }
        ReportScope::City(code) => City::from_code(code).map(of).into_iter().collect(),
    }
}

/// The column headings of the counts after the three rates, in [`counts`] order (新发预警数 comes before the rates).
pub(crate) const COUNT_HEADERS: [&str; 9] = [
    "升级省级数",
    "其中未办结",
    "挂牌督办数",
    "督办·待签收",
    "督办·已签收",
    "督办·处置中",
    "督办·待核销",
    "督办·已办结",
    "督办超期未办结",
];

/// The counts of a line in [`COUNT_HEADERS`] order.
pub(crate) fn counts(l: &HandlingLine) -> Vec<u64> {
    let mut out = vec![l.escalated, l.open_escalations, l.supervised];
    out.extend((0..HandlingState::ALL.len()).map(|i| l.supervised_by_state.get(i).copied().unwrap_or(0)));
    out.push(l.supervised_overdue);
    out
}

/// The three rates with their Chinese names, in report order.
pub(crate) fn rates(l: &HandlingLine) -> [(&'static str, Figure); 3] {
    [("签收率", l.sign_rate), ("按时签收率", l.on_time_sign_rate), ("按时办结率", l.on_time_close_rate)]
}

/// The note under the section: what the figures count.
pub(crate) const NOTE: &str = "统计本期新发生的预警处置案件在数据截止时的状态。签收率、按时签收率以已签收或已超过签收时限\
    （24 小时，红色 2 小时）的案件为分母；按时办结率以已由人员核销办结或已超过办结时限（7 天，挂牌督办后为督办期限）的案件为\
    分母；预警原因消除、在时限前由平台自动办结的案件不计入相应分母。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supervised_headings_follow_the_state_labels() {
        let expected: Vec<String> = HandlingState::ALL.iter().map(|s| format!("督办·{}", s.label())).collect();
        assert_eq!(COUNT_HEADERS[3..8], expected.iter().map(String::as_str).collect::<Vec<_>>()[..]);
    }
}
