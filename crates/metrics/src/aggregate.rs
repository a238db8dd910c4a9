//! Aggregation (`metrics.md` §5): city, batch and province figures sum numerators and denominators over their
//! enterprises and divide once; they never average enterprise rates. Done with polars.

use crate::dangers::{DangerStatus, Rectification};
use crate::enterprise::EnterpriseFigures;
use crate::figure::Figure;
use polars::prelude::*;

/// The summed figures of a group of enterprises.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregate {
    /// The group key (city code, batch key or `province`).
    pub key: String,
    /// Enterprises in the group.
    pub enterprises: u64,
    /// 安全风险分析完成率.
    pub risk_analysis: Figure,
    /// 排查任务完成率.
    pub task_completion: Figure,
    /// 包保 task completion.
    pub baobao_completion: Figure,
    /// 隐患整改率 and variants.
    pub rectification: Rectification,
    /// Overdue and open dangers.
    pub dangers: DangerStatus,
    /// Active units per risk class.
    pub units_by_class: [u64; 4],
    /// Late check records and dangers (`metrics.md` §9).
    pub lateness: crate::quality::Lateness,
}

/// The numeric columns, in order, and how to read them from one enterprise.
const COLUMNS: [&str; 24] = [
    "ra_n",
    "ra_d",
    "tc_n",
    "tc_d",
    "bb_n",
    "bb_d",
    "re_n",
    "re_d",
    "ro_n",
    "ro_d",
    "mr_n",
    "mr_d",
    "mo_n",
    "mo_d",
    "cu_n",
    "cu_d",
    "overdue",
    "overdue_major",
    "open_major",
    "enterprises",
    "lc_n",
    "lc_d",
    "ld_n",
    "ld_d",
];

fn values(f: &EnterpriseFigures) -> [u64; 24] {
    let r = &f.rectification;
    [
        f.risk_analysis.num,
        f.risk_analysis.den,
        f.task_completion.num,
        f.task_completion.den,
        f.baobao_completion.num,
        f.baobao_completion.den,
        r.all.num,
        r.all.den,
        r.on_time.num,
        r.on_time.den,
        r.major.num,
        r.major.den,
        r.major_on_time.num,
        r.major_on_time.den,
        r.cumulative.num,
        r.cumulative.den,
        f.dangers.overdue,
        f.dangers.overdue_major,
        f.dangers.open_major,
        1,
        f.lateness.checks.num,
        f.lateness.checks.den,
        f.lateness.dangers.num,
        f.lateness.dangers.den,
    ]
}

/// Sums the figures of enterprises grouped by the key given with each, in key order.
pub fn aggregate(rows: &[(String, &EnterpriseFigures)]) -> PolarsResult<Vec<Aggregate>> {
    let mut cols: Vec<Column> =
        vec![Column::new("key".into(), rows.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())];
    for (i, name) in COLUMNS.iter().enumerate() {
        cols.push(Column::new((*name).into(), rows.iter().map(|(_, f)| values(f)[i]).collect::<Vec<u64>>()));
    }
    for c in 0..4 {
        cols.push(Column::new(
            format!("class{c}").into(),
            rows.iter().map(|(_, f)| f.units_by_class[c]).collect::<Vec<u64>>(),
        ));
    }
    let df = DataFrame::new(rows.len(), cols)?;
    let mut sums: Vec<Expr> = COLUMNS.iter().map(|c| col(*c).sum()).collect();
    sums.extend((0..4).map(|c| col(format!("class{c}")).sum()));
    let plan = df.lazy().group_by([col("key")]).agg(sums).sort(["key"], Default::default());
    // Polars' engine must not run on an async runtime's thread (it would try to block it): give it its own.
    let out = std::thread::scope(|s| s.spawn(|| plan.collect()).join())
        .map_err(|_| PolarsError::ComputeError("the aggregation thread panicked".into()))??;
    let keys = out.column("key")?.str()?.clone();
    let get = |name: &str| -> PolarsResult<Vec<u64>> {
        Ok(out.column(name)?.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let data: Vec<Vec<u64>> = COLUMNS.iter().map(|c| get(c)).collect::<PolarsResult<_>>()?;
    let classes: Vec<Vec<u64>> = (0..4).map(|c| get(&format!("class{c}"))).collect::<PolarsResult<_>>()?;
    let fig = |i: usize, row: usize| Figure::new(data[i][row], data[i + 1][row]);
    Ok((0..out.height())
        .map(|row| Aggregate {
            key: keys.get(row).unwrap_or_default().to_owned(),
            enterprises: data[19][row],
            risk_analysis: fig(0, row),
            task_completion: fig(2, row),
            baobao_completion: fig(4, row),
            rectification: Rectification {
                all: fig(6, row),
                on_time: fig(8, row),
                major: fig(10, row),
                major_on_time: fig(12, row),
                cumulative: fig(14, row),
            },
            dangers: DangerStatus { overdue: data[16][row], overdue_major: data[17][row], open_major: data[18][row] },
            units_by_class: [classes[0][row], classes[1][row], classes[2][row], classes[3][row]],
            lateness: crate::quality::Lateness { checks: fig(20, row), dangers: fig(22, row) },
        })
        .collect())
}
