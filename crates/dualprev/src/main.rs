//! `dualprev`: the one binary of the platform. Machine-readable output goes to standard output; logs and progress go
//! to standard error.

mod arenas;
mod changes;
mod cli;
mod commands;
mod handling_settings;
mod jobs;
mod keys;
mod limits;
mod mail_settings;
mod session_settings;
mod settings;

use anyhow::Result;
use clap::Parser;
use cli::{AuditCommand, Cli, Command, RegistryCommand};
use settings::Settings;
use std::process::ExitCode;

fn init_logging(settings: &Settings, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DUALPREV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if settings.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve { .. } | Command::Demo { .. }) {
        arenas::bound();
    }
    match run(cli) {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误 / error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let settings = Settings::load(cli.config.as_deref())?;
    settings.session.apply_hash_cost()?;
    // Benchmarks print figures; per-batch logs would drown them.
    let bench = matches!(cli.command, Command::Bench { .. } | Command::BenchRestart { .. });
    init_logging(&settings, if bench { "warn" } else { "info" });
    let db = || commands::open_db(&settings, cli.database.as_deref());
    match &cli.command {
        Command::Migrate => {
            let db = db()?;
            eprintln!(
                "数据库结构已为最新（本次应用的迁移见上方日志）/ the database schema is current (migrations applied now, if any, are logged above): {}",
                db.url().redacted()
            );
        }
        Command::Backup { out } => {
            let url = commands::database_url(&settings, cli.database.as_deref())?;
            commands::backup::run(&url, out)?;
        }
        Command::MigrateData { from, to } => commands::migrate_data::run(from, to)?,
        Command::Registry(RegistryCommand::List { format }) => {
            commands::registry::list(&db()?, *format, &settings.clock)?
        }
        Command::Registry(RegistryCommand::Import { file }) => {
            if !commands::registry::import(&db()?, file, &settings.clock)? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Registry(RegistryCommand::Group(command)) => {
            commands::registry_group::run(&db()?, command, &settings.clock)?
        }
        Command::User(command) => commands::user::run(&db()?, command, &settings.clock)?,
        Command::Audit(AuditCommand::Verify) => {
            if !commands::audit::verify(&db()?)? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Openapi => commands::openapi::run(),
        Command::BenchRestart { month } => {
            let month = domain::Period::parse(month).map_err(|e| anyhow::anyhow!("--month: {e}"))?;
            commands::bench::restart::measure(&db()?, month, &settings.clock)?;
        }
        Command::Bench {
            validate_records,
            batches,
            batch_size,
            clients,
            enterprises,
            postgres,
            figures_size,
            figures_database,
            figures_postgres,
            pull_enterprises,
            pull_fault_rate,
            pull_timeout_secs,
            api_clients,
            api_seconds,
            rehash_heads,
            handling_cases,
            only,
        } => {
            let part = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
            if cfg!(debug_assertions) {
                eprintln!(
                    "注意：调试构建的数字偏低，请用 --release / note: a debug build; use --release for real figures"
                );
            }
            if part("validate") {
                commands::bench::validate::run(*validate_records, &settings.clock)?;
            }
            if part("signin") {
                commands::bench::signin::run(20, 10, &settings.clock)?;
            }
            if part("handling") {
                commands::bench::handling::run(*handling_cases, 8, 300, &settings.clock)?;
            }
            if part("photos") {
                commands::bench::photos::run(&settings.clock)?;
            }
            if part("rehash") {
                commands::bench::rehash::run(*rehash_heads, postgres.as_deref())?;
            }
            let mut push = commands::bench::push::PushBench {
                database: None,
                batches: *batches,
                batch_size: *batch_size,
                clients: *clients,
                enterprises: *enterprises,
                ids: commands::bench::data::Ids::Ordered,
                clock: settings.clock.clone(),
            };
            if part("push") {
                for ids in [commands::bench::data::Ids::Ordered, commands::bench::data::Ids::Random] {
                    push.ids = ids;
                    push.database = None;
                    commands::bench::push::run(&push)?;
                    if let Some(url) = postgres {
                        push.database = Some(url.clone());
                        commands::bench::push::run(&push)?;
                    }
                }
            }
            if part("figures") || part("api") {
                let figures =
                    commands::bench::figures::run(figures_size, figures_database.as_deref(), &settings.clock)?;
                if part("api") {
                    let api = commands::bench::api::ApiBench {
                        database: figures.url.clone(),
                        clients: *api_clients,
                        seconds: *api_seconds,
                        clock: settings.clock.clone(),
                    };
                    commands::bench::api::run(&api, &figures.month)?;
                    commands::bench::catch_up::run(&figures.url, &figures.month, &settings.clock)?;
                }
            }
            if let Some(url) = figures_postgres.as_deref().filter(|_| part("figures")) {
                let figures = commands::bench::figures::run(figures_size, Some(url), &settings.clock)?;
                if part("api") {
                    commands::bench::catch_up::run(url, &figures.month, &settings.clock)?;
                }
            }
            if part("pull") {
                commands::bench::pull::run(&commands::bench::pull::PullBench {
                    enterprises: *pull_enterprises,
                    fault_rate: *pull_fault_rate,
                    timeout: std::time::Duration::from_secs(*pull_timeout_secs),
                    clock: settings.clock.clone(),
                })?;
            }
        }
        Command::Validate { file, table, company, key, iv, cipher } => {
            let options = commands::validate::Options {
                file,
                table,
                company: company.as_deref(),
                key: key.as_deref(),
                iv: iv.as_deref(),
                cipher: (*cipher).into(),
                clock: &settings.clock,
            };
            return Ok(commands::validate::run(&options));
        }
        Command::Token(args) => println!("{}", commands::token::run(&settings, args, cli.database.as_deref())?),
        Command::Demo { bind, data_dir } => {
            actix_web::rt::System::new().block_on(commands::demo::run(&settings, data_dir, bind))?;
        }
        Command::Simulate { bind, enterprises, fault_rate, seed, size } => {
            let o = commands::simulate::Options {
                bind,
                enterprises: *enterprises,
                fault_rate: *fault_rate,
                seed: *seed,
                size,
                clock: &settings.clock,
            };
            actix_web::rt::System::new().block_on(commands::simulate::run(&o))?;
        }
        Command::Metrics { period, by, city, format } => {
            let calendar = settings.calendar()?;
            commands::metrics::run(&db()?, calendar, period, by, city.as_deref(), *format, &settings.clock)?;
        }
        Command::Report { month, city, format, out } => {
            let (db, calendar) = (db()?, settings.calendar()?);
            let w = commands::report::run(&db, &calendar, month, city.as_deref(), format, out, &settings.clock)?;
            match w.stored {
                Some(id) => eprintln!(
                    "已写出冻结的报告 {id} / wrote the frozen report {id}: {} ({} bytes)",
                    out.display(),
                    w.bytes
                ),
                None => eprintln!("已生成报告 / made the report: {} ({} bytes)", out.display(), w.bytes),
            }
        }
        Command::Pull { company } => {
            let db = db()?;
            let ok = actix_web::rt::System::new().block_on(commands::pull::run(&settings, db, company.as_deref()))?;
            if !ok {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Serve { bind, role, test_instance } => {
            commands::serve::check_clock(&settings, *test_instance)?;
            settings.auth()?;
            let bind = bind.clone().unwrap_or_else(|| settings.bind.clone());
            let db = db()?;
            actix_web::rt::System::new().block_on(commands::serve::run(&settings, db, &bind, *role))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
