//! `dualprev registry list` and `dualprev registry import` (which appends a row to the audit trail).

use crate::cli::Format;
use anyhow::{Context, Result};
use domain::EnterpriseFlag;
use report::shape::enterprises::{Activity, EnterpriseView};
use std::path::Path;
use storage::registry::{self, Filter};
use storage::{Db, registry_import};

/// The exact CSV header of `registry list --format csv`.
pub const CSV_HEADER: [&str; 6] = ["companyCode", "name", "cityCode", "cityName", "batch", "flags"];

/// Prints the registry in the chosen format to standard output.
pub fn list(db: &Db, format: Format, clock: &domain::Clock) -> Result<()> {
    let rows = db.with(|c| registry::list(c, Filter::default()))?;
    let stdout = std::io::stdout();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(stdout.lock());
            w.write_record(CSV_HEADER)?;
            for r in &rows {
                let e = &r.enterprise;
                let batch = e.batch.number().map(|n| n.to_string()).unwrap_or_default();
                w.write_record([
                    e.code.as_str(),
                    &e.name,
                    e.city.code(),
                    e.city.name(),
                    &batch,
                    &EnterpriseFlag::join(&e.flags),
                ])?;
            }
            w.flush()?;
        }
        Format::Json => {
            let mut activity = db.with(|c| Activity::load(c, None))?;
            let now = clock.now_utc();
            let views: Vec<EnterpriseView> = rows.into_iter().map(|r| activity.view(r, now)).collect();
            println!("{}", serde_json::to_string_pretty(&views)?);
        }
        Format::Table => {
            let mut table =
                vec![["企业编码", "企业名称", "地市代码", "地市", "批次", "标记"].map(String::from).to_vec()];
            for r in &rows {
                let e = &r.enterprise;
                let flags: Vec<&str> = e.flags.iter().map(|f| f.label()).collect();
                table.push(vec![
                    e.code.to_string(),
                    e.name.clone(),
                    e.city.code().into(),
                    e.city.name().into(),
                    e.batch.label().into(),
                    flags.join("、"),
                ]);
            }
            print!("{}", super::render_table(&table));
            eprintln!("共 {} 家企业 / {} enterprises", rows.len(), rows.len());
        }
    }
    Ok(())
}

/// Imports a CSV file; returns whether every row was accepted.
pub fn import(db: &Db, file: &Path, clock: &domain::Clock) -> Result<bool> {
    let text = std::fs::read_to_string(file).with_context(|| format!("无法读取 / cannot read {}", file.display()))?;
    let (rows, mut errors) = registry_import::parse(&text);
    let report = db.with(|c| registry_import::apply(c, &rows, clock.now_utc()))?;
    errors.extend(report.errors.iter().cloned());
    errors.sort_by_key(|e| e.line);
    let ok = errors.is_empty();
    let detail = serde_json::json!({
        "file": file.display().to_string(),
        "added": report.added.len(),
        "updated": report.updated.len(),
        "rekeyed": report.rekeyed.len(),
        "unchanged": report.unchanged,
        "refused": errors.len(),
    });
    let row = storage::audit::NewAuditRow {
        at: clock.now_utc(),
        actor: "cli".into(),
        role: None,
        scope: None,
        method: "CLI".into(),
        route: "registry import".into(),
        path: file.display().to_string(),
        query: String::new(),
        status: if ok { 200 } else { 422 },
        outcome: if ok { "ok" } else { "rejected" }.into(),
        detail: Some(detail.to_string()),
        client: None,
    };
    db.with(|c| storage::audit::append(c, &[row])).context("无法写入审计日志 / cannot write the audit trail")?;
    println!(
        "新增 {} 家，更新 {} 家，替换临时编码 {} 家，未变 {} 家，拒绝 {} 行 / added {}, updated {}, re-keyed {}, unchanged {}, refused {}",
        report.added.len(),
        report.updated.len(),
        report.rekeyed.len(),
        report.unchanged,
        errors.len(),
        report.added.len(),
        report.updated.len(),
        report.rekeyed.len(),
        report.unchanged,
        errors.len()
    );
    for (old, new) in &report.rekeyed {
        println!("  {old} → {new}");
    }
    for e in &errors {
        println!("  第 {} 行 / line {}: [{}] {}", e.line, e.line, e.code, e.message);
    }
    Ok(ok)
}
