//! The implementations of the commands.

pub mod audit;
pub mod backup;
pub mod bench;
pub mod demo;
pub mod demo_accounts;
pub mod demo_clients;
pub mod demo_handling;
pub mod metrics;
pub mod migrate_data;
pub mod openapi;
pub mod pull;
pub mod registry;
pub mod registry_group;
pub mod report;
pub mod serve;
pub mod simulate;
pub mod token;
pub mod user;
pub mod validate;

use crate::settings::{DEFAULT_DATA_DIR, Settings};
use anyhow::{Context, Result};
use storage::Db;

/// Opens the configured database (the `--database` option wins over the settings), applies migrations and loads the
/// annex registry on first start. Only the default location is created when missing; a configured URL whose folder
/// does not exist is an error.
pub fn open_db(settings: &Settings, database: Option<&str>) -> Result<Db> {
    let db = Db::open(&database_url(settings, database)?)?;
    let applied = db.migrate()?;
    if !applied.is_empty() {
        tracing::info!(database = %db.url().redacted(), migrations = applied.len(), "migrations applied");
    }
    db.with(|c| storage::registry::seed_annex(c, settings.clock.now_utc()))?;
    Ok(db)
}

/// The configured database URL (the `--database` option wins over the settings); the default location's folder is
/// created when missing.
pub fn database_url(settings: &Settings, database: Option<&str>) -> Result<String> {
    Ok(match database.or(settings.database_url.as_deref()) {
        Some(url) => url.to_owned(),
        None => {
            std::fs::create_dir_all(DEFAULT_DATA_DIR)
                .with_context(|| format!("无法创建数据目录 / cannot create {DEFAULT_DATA_DIR}"))?;
            format!("sqlite://{DEFAULT_DATA_DIR}/dualprev.db")
        }
    })
}

/// Refuses a SQLite file that does not exist, for commands that read a database and must not create an empty one.
pub fn existing(path: &std::path::Path) -> Result<()> {
    if !path.is_file() {
        anyhow::bail!("[no_database] 数据库文件不存在 / the database file {} does not exist", path.display());
    }
    Ok(())
}

/// Characters that take two columns in a terminal (CJK and full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The width of a string in terminal columns.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Renders rows as aligned columns, the first row being the header.
pub fn render_table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|s| display_width(s)).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| format!("{cell}{}", " ".repeat(widths[i].saturating_sub(display_width(cell)))))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_chinese_text() {
        assert_eq!(display_width("太原市"), 6);
        assert_eq!(display_width("abc"), 3);
        let t = render_table(&[vec!["名称".into(), "x".into()], vec!["ab".into(), "y".into()]]);
        assert_eq!(t, "名称  x\nab    y\n");
    }
}
