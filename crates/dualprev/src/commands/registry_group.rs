//! `dualprev registry group set|list|remove`: group credentials (集团/园区) that push for a listed set of
//! enterprises (`docs/data-exchange.md` §12). The password is read from `DUALPREV_GROUP_PASSWORD`, never from the
//! command line (which other users of the machine can see); each change appends a row to the audit trail.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use domain::CompanyCode;
use storage::Db;

/// The variable that carries a group's password.
pub const PASSWORD_VAR: &str = "DUALPREV_GROUP_PASSWORD";

/// `dualprev registry group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Creates or replaces a group: its members and its password (from DUALPREV_GROUP_PASSWORD, ≥ 12 characters).
    /// It pushes with HTTP Basic as `group:<name>`.
    Set {
        /// The group's name (2–64 characters, no colon).
        #[arg(long)]
        name: String,
        /// The member enterprises' codes, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        companies: Vec<String>,
    },
    /// Lists the groups and their members.
    List,
    /// Removes a group: its credential stops working at once.
    Remove {
        /// The group's name.
        #[arg(long)]
        name: String,
    },
}

/// Runs a group command.
pub fn run(db: &Db, command: &GroupCommand, clock: &domain::Clock) -> Result<()> {
    let now = clock.now_utc();
    match command {
        GroupCommand::Set { name, companies } => {
            let password = std::env::var(PASSWORD_VAR)
                .with_context(|| format!("请在 {PASSWORD_VAR} 中给出密码 / set the password in {PASSWORD_VAR}"))?;
            let members = companies
                .iter()
                .map(|c| CompanyCode::parse(c.trim()))
                .collect::<Result<Vec<_>, _>>()
                .context("企业编码无效 / bad enterprise code")?;
            db.with(|c| Ok(storage::push_groups::set(c, name, &password, &members, now)))?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            audit(db, now, "registry group set", name, serde_json::json!({"members": companies}))?;
            println!("集团 {name}：{} 家企业 / group {name}: {} enterprises", members.len(), members.len());
        }
        GroupCommand::List => {
            for g in db.with(storage::push_groups::list)? {
                println!("{}\t{}", g.name, g.members.join(","));
            }
        }
        GroupCommand::Remove { name } => {
            if !db.with(|c| storage::push_groups::remove(c, name))? {
                bail!("没有集团 {name} / no group {name}");
            }
            audit(db, now, "registry group remove", name, serde_json::json!({}))?;
            println!("已删除集团 {name} / group {name} removed");
        }
    }
    Ok(())
}

/// Appends the audit row of a change.
fn audit(db: &Db, at: chrono::NaiveDateTime, route: &str, name: &str, detail: serde_json::Value) -> Result<()> {
    let row = storage::audit::NewAuditRow {
        at,
        actor: "cli".into(),
        role: None,
        scope: None,
        method: "CLI".into(),
        route: route.into(),
        path: name.into(),
        query: String::new(),
        status: 200,
        outcome: "ok".into(),
        detail: Some(detail.to_string()),
        client: None,
    };
    db.with(|c| storage::audit::append(c, &[row])).context("无法写入审计日志 / cannot write the audit trail")
}
