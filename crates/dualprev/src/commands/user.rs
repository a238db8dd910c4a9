//! `dualprev user`: people's accounts from the command line (issue 20). No account exists after `dualprev migrate`;
//! the first `sysadmin` is made here. An initial or reset password is read from standard input (`--password-stdin`)
//! or generated and printed once; the next sign-in must change it.

use crate::cli::Format;
use anyhow::{Result, anyhow};
use clap::Subcommand;
use domain::account::{AccountRole, AccountState, PasswordPolicy};
use std::io::BufRead;
use storage::Db;
use storage::accounts::{self, NewAccount};

/// Account commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an account; prints the initial password once unless `--password-stdin`.
    Add {
        /// The sign-in name.
        username: String,
        /// `province`, `city`, `enterprise`, `sysadmin`, `secadmin` or `auditor`.
        #[arg(long)]
        role: String,
        /// The person's name (中文).
        #[arg(long)]
        name: String,
        /// The city of a `city` account (GB/T 2260 code).
        #[arg(long)]
        city: Option<String>,
        /// The enterprise of an `enterprise` account.
        #[arg(long)]
        company: Option<String>,
        /// E-mail.
        #[arg(long)]
        email: Option<String>,
        /// Read the initial password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists the accounts (never a password or its hash).
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Turns an account off: it cannot sign in until enabled.
    Disable {
        /// The sign-in name.
        username: String,
    },
    /// Turns an account on again.
    Enable {
        /// The sign-in name.
        username: String,
    },
    /// Ends a lockout after failed sign-ins.
    Unlock {
        /// The sign-in name.
        username: String,
    },
    /// Sets a new password that must be changed at the next sign-in; prints it once unless `--password-stdin`.
    ResetPassword {
        /// The sign-in name.
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A password from standard input, or a generated one that follows the policy (64 random bits, four classes).
fn password(from_stdin: bool, username: &str, policy: &PasswordPolicy) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false));
    }
    Ok((storage::passwords::temporary(username, policy), true))
}

/// Runs a user command.
pub fn run(db: &Db, command: &UserCommand, clock: &domain::Clock) -> Result<()> {
    // The policy the security administrator set (the defaults until one is stored).
    let policy = db.with(storage::security_policy::in_force)?.passwords();
    let now = clock.now_utc();
    let fail = |e: accounts::AccountError| anyhow!("{e}");
    match command {
        UserCommand::Add { username, role, name, city, company, email, password_stdin } => {
            let role = AccountRole::parse(role).map_err(|_| {
                anyhow!(
                    "--role 必须是 province、city、enterprise、sysadmin、secadmin 或 auditor / unknown role {role:?}"
                )
            })?;
            if let Some(city) = city {
                domain::City::from_code(city)?;
            }
            let new = NewAccount {
                username: username.clone(),
                display_name: name.clone(),
                role,
                city_code: city.clone(),
                company_code: company.clone(),
                email: email.clone(),
            };
            let (pw, generated) = password(*password_stdin, username, &policy)?;
            let made = db.with(|c| Ok(accounts::create(c, &new, &pw, &policy, now)))?.map_err(fail)?;
            eprintln!("已创建 / created: {}（{}，{}）", made.username, made.display_name, role.label());
            if generated {
                println!("{pw}");
                eprintln!(
                    "初始密码只显示这一次，首次登录须修改 / the initial password is shown once; change it at first sign-in"
                );
            }
        }
        UserCommand::List { format } => list(db, *format)?,
        UserCommand::Disable { username } => {
            db.with(|c| Ok(accounts::set_state(c, username, AccountState::Disabled, now)))?.map_err(fail)?;
            eprintln!("已停用 / disabled: {username}");
        }
        UserCommand::Enable { username } => {
            db.with(|c| Ok(accounts::set_state(c, username, AccountState::Active, now)))?.map_err(fail)?;
            eprintln!("已启用 / enabled: {username}");
        }
        UserCommand::Unlock { username } => {
            db.with(|c| Ok(accounts::unlock(c, username, now)))?.map_err(fail)?;
            eprintln!("已解锁 / unlocked: {username}");
        }
        UserCommand::ResetPassword { username, password_stdin } => {
            let (pw, generated) = password(*password_stdin, username, &policy)?;
            db.with(|c| Ok(accounts::set_password(c, username, &pw, true, &policy, now)))?.map_err(fail)?;
            eprintln!("已重置，下次登录须修改 / reset; it must be changed at the next sign-in: {username}");
            if generated {
                println!("{pw}");
            }
        }
    }
    Ok(())
}

fn list(db: &Db, format: Format) -> Result<()> {
    let rows = db.with(accounts::list)?;
    let time = |t: Option<chrono::NaiveDateTime>| t.map(domain::time::format_local).unwrap_or_default();
    let lines: Vec<[String; 7]> = rows
        .iter()
        .map(|a| {
            let scope = a.city_code.clone().or_else(|| a.company_code.clone()).unwrap_or_default();
            let role = AccountRole::parse(&a.role).map_or(a.role.clone(), |r| r.key().to_owned());
            let locked = time(a.locked_until);
            [a.username.clone(), a.display_name.clone(), role, scope, a.state.clone(), locked, time(a.last_sign_in)]
        })
        .collect();
    let header = ["username", "name", "role", "scope", "state", "lockedUntil", "lastSignIn"];
    match format {
        Format::Json => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = lines
                .iter()
                .map(|l| header.iter().zip(l).map(|(h, v)| ((*h).to_owned(), v.clone().into())).collect())
                .collect();
            println!("{}", serde_json::to_string_pretty(&objects)?);
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(header)?;
            for l in &lines {
                w.write_record(l)?;
            }
            w.flush()?;
        }
        Format::Table => {
            for l in &lines {
                println!("{}", l.join("\t"));
            }
        }
    }
    if rows.is_empty() {
        eprintln!(
            "尚无账户；用 `dualprev user add NAME --role sysadmin --name 姓名` 创建第一个系统管理员 / no account yet: \
             create the first sysadmin with `dualprev user add`"
        );
    }
    Ok(())
}
