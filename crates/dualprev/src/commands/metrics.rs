//! `dualprev metrics --period P --by enterprise|city|batch|province [--city CODE] [--format table|csv|json]`.

use crate::cli::Format;
use anyhow::{Result, anyhow};
use domain::{City, Period};
use report::By;
use report::shape::{FigureRow, FigureView};
use storage::Db;

fn pct(f: &FigureView) -> String {
    metrics::figure::Figure::new(f.num, f.den).percent()
}

/// The columns of the table and CSV forms: (header, Chinese header, value).
fn columns(r: &FigureRow) -> Vec<(&'static str, &'static str, String)> {
    let fig = |f: &FigureView| format!("{}/{}", f.num, f.den);
    vec![
        ("key", "编码", r.key.clone()),
        ("name", "名称", r.name.clone()),
        ("enterprises", "企业数", r.enterprises.to_string()),
        ("riskAnalysis", "风险分析完成率", pct(&r.risk_analysis)),
        ("riskAnalysisNumDen", "分析单元", fig(&r.risk_analysis)),
        ("taskCompletion", "排查任务完成率", pct(&r.task_completion)),
        ("taskCompletionNumDen", "完成/应排查", fig(&r.task_completion)),
        ("baobaoCompletion", "包保任务完成率", pct(&r.baobao_completion)),
        ("rectification", "隐患整改率", pct(&r.rectification)),
        ("rectificationNumDen", "已整改/应整改", fig(&r.rectification)),
        ("rectificationOnTime", "按期整改率", pct(&r.rectification_on_time)),
        ("majorRectification", "重大隐患整改率", pct(&r.major_rectification)),
        ("cumulativeRectification", "累计整改率", pct(&r.cumulative_rectification)),
        ("overdueDangers", "超期隐患", r.overdue_dangers.to_string()),
        ("overdueMajorDangers", "超期重大隐患", r.overdue_major_dangers.to_string()),
        ("openMajorDangers", "未整改重大隐患", r.open_major_dangers.to_string()),
        ("lateShare", "迟报检查记录占比", pct(&r.data_quality.late_check_records)),
        ("lateCheckRecordsNumDen", "迟报/检查记录", fig(&r.data_quality.late_check_records)),
        ("lateDangersNumDen", "迟报/登记隐患", fig(&r.data_quality.late_dangers)),
        ("heldRecords", "待关联记录", r.data_quality.held_records.to_string()),
        ("rejectedRecords", "拒收记录", r.data_quality.rejected_records.to_string()),
    ]
}

/// Prints the figures of a period.
pub fn run(
    db: &Db,
    calendar: domain::calendar::WorkCalendar,
    period: &str,
    by: &str,
    city: Option<&str>,
    format: Format,
    clock: &domain::Clock,
) -> Result<()> {
    let period = Period::parse(period)?;
    let by = By::parse(by).ok_or_else(|| {
        anyhow!("--by 必须是 enterprise、city、batch 或 province / --by must be enterprise, city, batch or province")
    })?;
    let city = city.map(City::from_code).transpose()?;
    let as_of = clock.now_utc();
    let figures = report::service::Figures::new(std::sync::Arc::new(calendar));
    let known = db.with(|c| figures.known(c, city, None, as_of, period.bounds_utc().0))?.known;
    let intake = db.with(|c| report::quality::Intake::load(c, period, as_of))?;
    let response = report::shape::metrics_response(&known, period, by, &intake).map_err(|e| anyhow!("{e}"))?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&response)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            if let Some(first) = response.rows.first() {
                w.write_record(columns(first).iter().map(|c| c.0))?;
            }
            for r in &response.rows {
                w.write_record(columns(r).iter().map(|c| c.2.as_str()))?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut table = Vec::new();
            if let Some(first) = response.rows.first() {
                table.push(columns(first).iter().map(|c| c.1.to_owned()).collect());
            }
            table.extend(response.rows.iter().map(|r| columns(r).into_iter().map(|c| c.2).collect()));
            print!("{}", super::render_table(&table));
            eprintln!(
                "周期 / period {} ({} – {})，数据截至 / as of {}",
                response.period.label, response.period.from, response.period.to, response.as_of
            );
        }
    }
    Ok(())
}
