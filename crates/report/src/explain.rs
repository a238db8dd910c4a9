//! The records behind one enterprise's figure (`GET /api/v1/metrics/explain`): the missed task instances, the
//! dangers that should have been rectified, the units not analysed.

use crate::figures::Known;
use chrono::NaiveDateTime;
use domain::Period;
use domain::enums::DangerLevel;
use metrics::chain::Chain;
use metrics::dangers::{effective_deadline, rectified};
use metrics::enterprise::{analysed_units, visit_instances};

/// Which figure to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// 排查任务完成率: every due instance, done or missed.
    TaskCompletion,
    /// 包保 tasks only.
    BaobaoCompletion,
    /// 隐患整改率: every danger that should be rectified in the period.
    Rectification,
    /// 重大 dangers only.
    MajorRectification,
    /// 安全风险分析完成率: every unit active at the end, analysed or not.
    RiskAnalysis,
}

impl Metric {
    /// Parses the figure name used in the API (`taskCompletion`, …).
    pub fn parse(s: &str) -> Option<Metric> {
        match s {
            "taskCompletion" => Some(Metric::TaskCompletion),
            "baobaoCompletion" => Some(Metric::BaobaoCompletion),
            "rectification" => Some(Metric::Rectification),
            "majorRectification" => Some(Metric::MajorRectification),
            "riskAnalysis" => Some(Metric::RiskAnalysis),
            _ => None,
        }
    }
}

/// One record behind a figure: counted in the denominator, and in the numerator when `counted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The record id (task, danger or unit).
    pub id: String,
    /// For instances: [start, end) (UTC); for dangers: registration and effective deadline.
    pub from: Option<NaiveDateTime>,
    /// See `from`.
    pub to: Option<NaiveDateTime>,
    /// Whether it counts in the numerator (done, rectified, analysed).
    pub counted: bool,
}

/// The records behind a figure of one enterprise for a period; `None` when the enterprise has no records.
pub fn items(known: &Known, company: &str, period: Period, metric: Metric) -> Option<Vec<Item>> {
    let s = known.snapshot(company)?;
    let w = known.window(period);
    let chain = Chain::new(s);
    let mut out = Vec::new();
    match metric {
        Metric::TaskCompletion | Metric::BaobaoCompletion => {
            visit_instances(s, &chain, w, known.calendar(), |task, inst, done| {
                if metric == Metric::TaskCompletion || task.work_type.is_baobao() {
                    out.push(Item { id: task.id.clone(), from: Some(inst.start), to: Some(inst.end), counted: done });
                }
            });
        }
        Metric::Rectification | Metric::MajorRectification => {
            for d in &s.dangers {
                let Some(deadline) = effective_deadline(d) else { continue };
                let major_only = metric == Metric::MajorRectification;
                if deadline >= w.t0 && deadline < w.t() && (!major_only || d.level == DangerLevel::Major) {
                    out.push(Item {
                        id: d.id.clone(),
                        from: Some(d.regist_time),
                        to: Some(deadline),
                        counted: rectified(d),
                    });
                }
            }
        }
        Metric::RiskAnalysis => {
            for (id, ok) in analysed_units(s, &chain, w.t1) {
                out.push(Item { id: id.to_owned(), from: None, to: None, counted: ok });
            }
        }
    }
    Some(out)
}
