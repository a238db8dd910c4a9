//! `dualprev report --month 2026-11 [--city CODE] --format xlsx|html|docx --out FILE`: the monthly report on the 20th.
//!
//! Writes the latest stored revision of the month's report (its .docx made from its stored content). A report that
//! is due (its 20th 08:00 Asia/Shanghai has come) but not stored yet is frozen now, as the job would; before it is
//! due, a preview (revision 0, marked 预览) is written and nothing is stored.

use anyhow::{Context, Result, anyhow, bail};
use domain::City;
use domain::calendar::WorkCalendar;
use report::monthly::freeze::{docx_of_content, freeze_month, make, report_month, scheduled_as_of, scope_key};
use report::monthly::{ReportScope, to_docx, to_html, to_xlsx};
use std::path::Path;
use storage::Db;
use storage::reports;

/// What was written.
#[derive(Debug)]
pub struct Written {
    /// The stored report's id, or `None` for a report made on the spot.
    pub stored: Option<String>,
    /// Bytes written.
    pub bytes: usize,
}

/// Writes the report of a month for the province or a city.
pub fn run(
    db: &Db,
    calendar: &WorkCalendar,
    month: &str,
    city: Option<&str>,
    format: &str,
    out: &Path,
    clock: &domain::Clock,
) -> Result<Written> {
    if !matches!(format, "xlsx" | "html" | "docx") {
        bail!("--format 必须是 xlsx、html 或 docx / --format must be xlsx, html or docx");
    }
    if !matches!(domain::Period::parse(month), Ok(domain::Period::Month { .. })) {
        bail!("--month 格式应为 2026-11 / --month must look like 2026-11: {month:?}");
    }
    let period = report_month(month)?;
    let scope = match city {
        Some(code) => ReportScope::City(City::from_code(code)?.code().to_owned()),
        None => ReportScope::Province,
    };
    let key = scope_key(&scope).to_owned();
    let now = clock.now_utc();
    let mut conn = db.conn()?;
    // The figures service reads the histories from their checkpoints (docs/performance.md).
    let figures = report::service::Figures::new(std::sync::Arc::new(calendar.clone()));
    if now >= scheduled_as_of(period) {
        freeze_month(&mut conn, &figures, period, now, "cli")?;
    }
    let latest = reports::list(&mut conn, Some(month), Some(&[key]))?.into_iter().max_by_key(|r| r.revision);
    let stored = latest.map(|m| reports::get(&mut conn, &m.id)).transpose()?.flatten();
    let (bytes, id) = match stored {
        Some(row) => {
            let bytes = match format {
                "xlsx" => row.xlsx,
                "docx" => docx_of_content(&row.content)?,
                _ => row.html.into_bytes(),
            };
            (bytes, Some(row.meta.id))
        }
        None => {
            let report = make(&mut conn, &figures, period, scope, 0, "预览（报告尚未到期，未冻结）", now)?;
            let bytes = match format {
                "xlsx" => to_xlsx(&report)?,
                "docx" => to_docx(&report)?,
                _ => to_html(&report).into_bytes(),
            };
            (bytes, None)
        }
    };
    if bytes.is_empty() {
        return Err(anyhow!("报告为空 / the report is empty"));
    }
    std::fs::write(out, &bytes).with_context(|| format!("无法写入 / cannot write {}", out.display()))?;
    Ok(Written { stored: id, bytes: bytes.len() })
}
