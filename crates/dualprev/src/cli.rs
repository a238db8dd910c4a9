//! The command line of `interface.md`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// dualprev — 山西省危险化学品企业双重预防机制数字化 政府端 / the government side of Shanxi's dual-prevention platform.
#[derive(Debug, Parser)]
#[command(name = "dualprev", version, about, long_about = None)]
pub struct Cli {
    /// Settings file (TOML); `DUALPREV_*` environment variables override it.
    #[arg(long, global = true, env = "DUALPREV_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: `postgres://…`, `sqlite://PATH` or a plain path (overrides the settings).
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// CSV with a header line.
    Csv,
    /// JSON.
    Json,
}

/// The role of a `serve` process (`--role`): which parts of the platform it runs. Not a token role (`api::Role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProcessRole {
    /// The HTTP API only: no scheduled pulls or jobs.
    Api,
    /// Scheduled pulls (shared with the other workers) and jobs; HTTP still answers, for the probes.
    Worker,
    /// Both.
    Both,
}

impl ProcessRole {
    /// Whether this process runs the schedule (pulls and jobs).
    pub fn schedules(self) -> bool {
        self != ProcessRole::Api
    }
}

/// The `datas` cipher of `validate --cipher` (`domain::client::Cipher`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CipherArg {
    /// AES-128-CBC, PKCS#7 (the default, that of existing receivers).
    #[default]
    #[value(name = "aes128cbc", alias = "aes")]
    Aes128Cbc,
    /// SM4-CBC, PKCS#7 (国密, GB/T 32907-2016).
    #[value(name = "sm4cbc", alias = "sm4")]
    Sm4Cbc,
}

impl From<CipherArg> for domain::client::Cipher {
    fn from(c: CipherArg) -> Self {
        match c {
            CipherArg::Aes128Cbc => domain::client::Cipher::Aes128Cbc,
            CipherArg::Sm4Cbc => domain::client::Cipher::Sm4Cbc,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The whole platform on one machine: embedded SQLite, the simulator, one pull, figures, API and dashboard.
    Demo {
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Folder for the embedded database.
        #[arg(long, default_value = "dualprev-data")]
        data_dir: PathBuf,
    },
    /// Production: API, dashboard and scheduled jobs.
    Serve {
        /// Address to listen on (overrides the settings).
        #[arg(long)]
        bind: Option<String>,
        /// What this process does: `api` (HTTP only), `worker` (scheduled pulls and jobs; HTTP for the probes) or
        /// `both`. Any number of each can share one PostgreSQL database.
        #[arg(long, value_enum, default_value_t = ProcessRole::Both)]
        role: ProcessRole,
        /// This is a test instance: `DUALPREV_NOW` may pin its clock (refused otherwise; logged when used). Also
        /// `DUALPREV_TEST_INSTANCE=1`.
        #[arg(long, env = "DUALPREV_TEST_INSTANCE", value_parser = clap::builder::FalseyValueParser::new())]
        test_instance: bool,
    },
    /// Applies migrations and exits.
    Migrate,
    /// An online, consistent copy of the SQLite database into a new file (PostgreSQL: use `pg_dump -Fc`).
    Backup {
        /// The backup file to create; an existing file is never overwritten.
        #[arg(long)]
        out: PathBuf,
    },
    /// Moves every record from one database to another, new one (e.g. SQLite to PostgreSQL), checked table by
    /// table; prints the tables, rows and digests as JSON.
    MigrateData {
        /// The source database URL (at this release's schema).
        #[arg(long)]
        from: String,
        /// The target database URL: migrated here, and it must hold no row.
        #[arg(long)]
        to: String,
    },
    /// The enterprise registry.
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// People's accounts: add, list, disable, enable, unlock, reset-password.
    #[command(subcommand)]
    User(crate::commands::user::UserCommand),
    /// The access audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Checks a payload offline, as the push endpoint would, and prints the receipt.
    Validate {
        /// The JSON file.
        file: PathBuf,
        /// The table.
        #[arg(long)]
        table: String,
        /// The sending enterprise.
        #[arg(long)]
        company: Option<String>,
        /// The key of a `{"datas": …}` file: 16 ASCII characters, used as bytes (the enterprise's `aesKey`).
        #[arg(long)]
        key: Option<String>,
        /// The IV, 16 ASCII characters (defaults to the key; the enterprise's `aesIv`).
        #[arg(long)]
        iv: Option<String>,
        /// The cipher of a `{"datas": …}` file, as the enterprise's `cipher` column in the registry: `aes128cbc`
        /// (alias `aes`) or `sm4cbc` (国密 SM4, alias `sm4`); both CBC with PKCS#7 padding.
        #[arg(long, value_enum, default_value_t = CipherArg::Aes128Cbc)]
        cipher: CipherArg,
    },
    /// Issues a signed token and prints it alone on one line.
    Token(TokenArgs),
    /// One pull cycle now, from every enterprise with an endpoint (or one).
    Pull {
        /// Only this enterprise.
        #[arg(long)]
        company: Option<String>,
    },
    /// The figures of metrics.md for a period.
    Metrics {
        /// `2026-W47`, `2026-11`, `2026-11R` or `2026-11-01..2026-12-01`.
        #[arg(long)]
        period: String,
        /// Aggregation level: enterprise, city, batch or province.
        #[arg(long, default_value = "city")]
        by: String,
        /// Only this city.
        #[arg(long)]
        city: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The monthly report on the 20th.
    Report {
        /// The month, e.g. `2026-11`.
        #[arg(long)]
        month: String,
        /// Only this city.
        #[arg(long)]
        city: Option<String>,
        /// `xlsx`, `html` or `docx`.
        #[arg(long)]
        format: String,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// The enterprise-side simulator alone.
    Simulate {
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        bind: String,
        /// Number of enterprises.
        #[arg(long, default_value_t = 176)]
        enterprises: usize,
        /// Share of faulty enterprises.
        #[arg(long, default_value_t = 0.0)]
        fault_rate: f64,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Data size: small, demo or province.
        #[arg(long, default_value = "demo")]
        size: String,
    },
    /// Prints the OpenAPI document.
    Openapi,
    /// The figures bench's restart and past-`asOf` part on `--database`, in a process of its own (the bench runs it
    /// so when it loaded the world or built the histories itself, whose memory would count otherwise).
    #[command(hide = true)]
    BenchRestart {
        /// The month measured, e.g. `2026-12`.
        #[arg(long)]
        month: String,
    },
    /// Speed figures (build with --release): validation and push throughput.
    Bench {
        /// Records for the validation bench.
        #[arg(long, default_value_t = 200_000)]
        validate_records: usize,
        /// Batches for the push bench.
        #[arg(long, default_value_t = 200)]
        batches: usize,
        /// Records per pushed batch.
        #[arg(long, default_value_t = 500)]
        batch_size: usize,
        /// Concurrent push clients when one enterprise pushes (`--enterprises 1`).
        #[arg(long, default_value_t = 4)]
        clients: usize,
        /// Enterprises pushing at once, one client each (each enterprise's batches are serialised by its lock).
        #[arg(long, default_value_t = 8)]
        enterprises: usize,
        /// Also push into this PostgreSQL database (a URL); SQLite is always measured.
        #[arg(long)]
        postgres: Option<String>,
        /// The world of the figures bench: small, demo, province (a province-year, about 19 million versions) or
        /// province5 (five province-years, about 90 million).
        #[arg(long, default_value = "demo")]
        figures_size: String,
        /// Keep the figures bench's database here (a URL or path) instead of a temporary file; a database that
        /// already holds the world is reused, so that `serve` can be measured on it afterwards.
        #[arg(long)]
        figures_database: Option<String>,
        /// Also run the figures bench on this PostgreSQL database (a URL; kept, and reused when it already holds the
        /// world), after SQLite's.
        #[arg(long)]
        figures_postgres: Option<String>,
        /// Simulated enterprises of the pull bench.
        #[arg(long, default_value_t = 176)]
        pull_enterprises: usize,
        /// The share of faulty enterprises in the pull bench.
        #[arg(long, default_value_t = 0.1)]
        pull_fault_rate: f64,
        /// The request timeout of the pull bench, seconds.
        #[arg(long, default_value_t = 5)]
        pull_timeout_secs: u64,
        /// Concurrent clients of the API bench (a second process: `serve` runs as a child).
        #[arg(long, default_value_t = 8)]
        api_clients: usize,
        /// Seconds of load per route in the API bench.
        #[arg(long, default_value_t = 10)]
        api_seconds: u64,
        /// Heads of the rehash bench (the first start after the upgrade to SHA-256 content hashes).
        #[arg(long, default_value_t = 200_000)]
        rehash_heads: usize,
        /// Open warning cases of the handling bench (the escalation job's size).
        #[arg(long, default_value_t = 10_000)]
        handling_cases: usize,
        /// Run only these parts (comma-separated: validate, push, figures, api, pull, signin, rehash, handling, photos); all
        /// when not given. The API part runs on the figures part's database, so `api` runs `figures` too.
        #[arg(long, value_delimiter = ',', value_parser = ["validate", "push", "figures", "api", "pull", "signin", "rehash", "handling", "photos"])]
        only: Vec<String>,
    },
}

/// Registry commands.
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Lists the registry: code, name, city code, city name, batch (1, 2 or empty when unknown), flags.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Adds or updates enterprises from a CSV file; reports each bad row and changes nothing for it.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// Group credentials (集团/园区) that push for a listed set of enterprises.
    #[command(subcommand)]
    Group(crate::commands::registry_group::GroupCommand),
}

/// Options of `dualprev token`: issue a token, or `dualprev token revoke JTI`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct TokenArgs {
    /// Revoke a token instead of issuing one.
    #[command(subcommand)]
    pub command: Option<TokenCommand>,
    /// province, city, enterprise or service.
    #[arg(long, required = true)]
    pub role: Option<String>,
    /// The city of a city token (GB/T 2260 code).
    #[arg(long)]
    pub city: Option<String>,
    /// The enterprise of an enterprise token.
    #[arg(long)]
    pub company: Option<String>,
    /// Lifetime: e.g. `30m`, `1h`, `7d`.
    #[arg(long, default_value = "1h")]
    pub ttl: String,
}

/// `dualprev token revoke`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Revokes a token by its `jti`: every server refuses it within 30 seconds.
    Revoke {
        /// The token's `jti` claim.
        jti: String,
        /// Why (kept with the revocation).
        #[arg(long, default_value = "")]
        reason: String,
        /// The token's expiry, RFC 3339, when known (the revocation can be pruned after it).
        #[arg(long)]
        expires: Option<String>,
    },
}

/// `dualprev audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walks the hash chain of the audit trail: prints the rows checked and OK (exit 0), or the first bad row and
    /// why (exit 1).
    Verify,
}

#[cfg(test)]
mod tests {
    /// clap's own checks of every command (e.g. an option of a subcommand clashing with a global one).
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
