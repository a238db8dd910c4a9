//! The published shape of the handling figures (`metrics.md` §11): the `handling` object of a city or province row
//! of `GET /api/v1/metrics` when the period is a calendar month or a report month.

use super::figures::FigureView;
use serde::{Deserialize, Serialize};
use storage::handling::figures::Tally;

/// Supervised cases (挂牌督办) by their state at the moment, keyed as `domain::handling::HandlingState::key`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct SupervisedByState {
    /// 待签收.
    pub pending_sign: u64,
    /// 已签收.
    pub signed: u64,
    /// 处置中.
    pub handling: u64,
    /// 待核销.
    pub pending_verify: u64,
    /// 已办结.
    pub closed: u64,
}

/// The handling figures of a row: the warning cases opened in the period, as they stand at `asOf` (`metrics.md` §11).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HandlingFigures {
    /// Cases opened in the period, up to `asOf`.
    pub opened: u64,
    /// 签收率: signed / cases signed or past their sign time (a case the platform closed by then is left out).
    pub sign_rate: FigureView,
    /// 按时签收率: signed by the sign time (24 h, red 2 h) / the same base.
    pub on_time_sign_rate: FigureView,
    /// 按时办结率: closed by a person by the close time (7 days, or the supervision deadline) / cases closed by a
    /// person or past their close time (a case the platform closed by then is left out).
    pub on_time_close_rate: FigureView,
    /// Cases escalated to the province.
    pub escalated: u64,
    /// Escalated cases not closed.
    pub open_escalations: u64,
    /// Cases supervised (挂牌督办).
    pub supervised: u64,
    /// Supervised cases by state.
    pub supervised_by_state: SupervisedByState,
    /// Supervised cases past their deadline and not closed.
    pub supervised_overdue: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn figure(num: i64, den: i64) -> FigureView {
    metrics::figure::Figure::new(count(num), count(den)).into()
}

impl From<&Tally> for HandlingFigures {
    fn from(t: &Tally) -> Self {
        let state = |k: &str| count(t.supervised_by_state.get(k).copied().unwrap_or(0));
        HandlingFigures {
            opened: count(t.opened),
            sign_rate: figure(t.signed, t.sign_base),
            on_time_sign_rate: figure(t.signed_on_time, t.sign_base),
            on_time_close_rate: figure(t.closed_on_time, t.close_base),
            escalated: count(t.escalated),
            open_escalations: count(t.open_escalations),
            supervised: count(t.supervised),
            supervised_by_state: SupervisedByState {
                pending_sign: state("pending_sign"),
                signed: state("signed"),
                handling: state("handling"),
                pending_verify: state("pending_verify"),
                closed: state("closed"),
            },
            supervised_overdue: count(t.supervised_overdue),
        }
    }
}

/// Whether a period and grouping have handling figures: a calendar month or a report month, by city or province.
pub fn applies(period: domain::Period, by: crate::By) -> bool {
    matches!(period, domain::Period::Month { .. } | domain::Period::ReportMonth { .. })
        && matches!(by, crate::By::City | crate::By::Province)
}
