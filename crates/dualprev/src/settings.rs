//! Settings: a TOML file (`--config FILE`) overlaid by `DUALPREV_`-prefixed environment variables, then by
//! command-line options. `DUALPREV_DATABASE_URL` sets `database_url`; a double underscore reaches into a table
//! (`DUALPREV_PULL__TIMEOUT_SECS` sets `timeout_secs` in `[pull]`). A commented sample is `deploy/dualprev.toml`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The environment prefix of settings.
pub const ENV_PREFIX: &str = "DUALPREV_";

/// `DUALPREV_` variables that are not settings: the settings file, the log filter, test and generator switches, and
/// the pinned clock (`DUALPREV_NOW`, read into [`Settings::clock`]).
const NOT_SETTINGS: [&str; 4] = ["CONFIG", "LOG", "BLESS", "NOW"];

/// Every setting of the platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `postgres://…`, `sqlite://PATH` or a plain path. Default: `sqlite://dualprev-data/dualprev.db`.
    pub database_url: Option<String>,
    /// The address the API listens on.
    pub bind: String,
    /// The HS256 secret of tokens (at least 32 bytes). No built-in default: `serve` refuses to start without one.
    pub jwt_secret: Option<String>,
    /// A file holding the secret instead (its content, trimmed).
    pub jwt_key_file: Option<PathBuf>,
    /// The `iss` claim of tokens.
    pub jwt_issuer: String,
    /// The `aud` claim of tokens.
    pub jwt_audience: String,
    /// Clock-skew leeway when checking tokens, in seconds.
    pub jwt_leeway_secs: u64,
    /// `[[jwt_keys]]`: more keys of the ring (HS256 or EdDSA, by `kid`), one of which may sign.
    pub jwt_keys: Vec<crate::keys::JwtKeySettings>,
    /// Log format on standard error: `text` or `json`.
    pub log_format: String,
    /// Pulls from enterprise endpoints.
    pub pull: PullSettings,
    /// The schedule of the other jobs.
    pub jobs: JobSettings,
    /// A CSV of extra calendar days (`date,kind,name,source`), added to the shipped working-day calendar.
    pub calendar_file: Option<PathBuf>,
    /// `[warnings]`: the thresholds of the open warnings.
    pub warnings: report::warnings::Thresholds,
    /// `[limits]`: the push rate, body sizes and client timeouts.
    pub limits: crate::limits::LimitSettings,
    /// `[changes]`: the change feed's retention and the webhooks' retries.
    pub changes: crate::changes::ChangeSettings,
    /// `[session]`: the session cookie (`Secure` behind TLS).
    pub session: crate::session_settings::SessionSettings,
    /// `[mail]`: e-mail digests of notifications through SMTP (off unless `host` is set).
    pub mail: crate::mail_settings::MailSettings,
    /// `[handling]`: the time limits of warning handling.
    pub handling: crate::handling_settings::HandlingSettings,
    /// The clock of every command: the system's, or pinned by `DUALPREV_NOW` (not a file setting).
    #[serde(skip)]
    pub clock: domain::Clock,
}

/// `[jobs]`: when the scheduled jobs run, as 6-field cron expressions (sec min hour day month weekday) in local time
/// (Asia/Shanghai); an empty expression turns a job off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobSettings {
    /// The weekly evaluation of the week just ended. Default: Monday 01:00.
    pub weekly_evaluation: String,
    /// The monthly report on the 20th. Default: the 20th at 08:00.
    pub monthly_report: String,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings { weekly_evaluation: "0 0 1 * * Mon".into(), monthly_report: "0 0 8 20 * *".into() }
    }
}

/// `[pull]`: the schedule and behaviour of pulls.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PullSettings {
    /// When cycles run: a 6-field cron expression (sec min hour day month weekday), UTC; empty turns scheduled
    /// pulls off. Default: every 2 hours.
    pub schedule: String,
    /// Timeout of one request to an endpoint, body included, in seconds.
    pub timeout_secs: u64,
    /// Enterprises pulled at the same time.
    pub concurrency: usize,
    /// Attempts per page before the enterprise is given up for the cycle.
    pub attempts: u32,
    /// The first retry delay in milliseconds (doubling, plus jitter).
    pub backoff_ms: u64,
    /// Records asked for per page (at most 500).
    pub page_size: usize,
    /// How long a worker's claim on an enterprise's pull holds without renewal, in seconds: the claims of a worker
    /// that died are taken over by the others after this long (several workers on one PostgreSQL).
    pub claim_lease_secs: u64,
}

impl Default for PullSettings {
    fn default() -> Self {
        let d = ingest::PullConfig::default();
        PullSettings {
            schedule: "0 0 */2 * * *".into(),
            timeout_secs: d.timeout.as_secs(),
            concurrency: d.concurrency,
            attempts: d.attempts,
            backoff_ms: d.backoff.as_millis() as u64,
            page_size: d.page_size,
            claim_lease_secs: 60,
        }
    }
}

impl PullSettings {
    /// The lease of pull claims (at least one second).
    pub fn claim_lease(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.claim_lease_secs.max(1))
    }

    /// The puller's configuration.
    pub fn config(&self) -> ingest::PullConfig {
        ingest::PullConfig {
            timeout: std::time::Duration::from_secs(self.timeout_secs.max(1)),
            page_size: self.page_size.clamp(1, 500),
            concurrency: self.concurrency.max(1),
            attempts: self.attempts.max(1),
            backoff: std::time::Duration::from_millis(self.backoff_ms),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            jwt_secret: None,
            jwt_key_file: None,
            jwt_issuer: "dualprev".into(),
            jwt_audience: "dualprev".into(),
            jwt_leeway_secs: 30,
            jwt_keys: Vec::new(),
            log_format: "text".into(),
            pull: PullSettings::default(),
            jobs: JobSettings::default(),
            calendar_file: None,
            warnings: Default::default(),
            limits: Default::default(),
            changes: Default::default(),
            session: Default::default(),
            mail: Default::default(),
            handling: Default::default(),
            clock: domain::Clock::system(),
        }
    }
}

/// The database used when none is configured.
pub const DEFAULT_DATA_DIR: &str = "dualprev-data";

impl Settings {
    /// Loads the file (if any), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings> {
        Settings::load_from(file, std::env::vars())
    }

    /// Loads the file (if any), then the given environment variables.
    pub fn load_from(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Settings> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("无法读取配置文件 / cannot read the settings file {}", path.display()))?;
                text.parse::<toml::Table>()
                    .with_context(|| format!("配置文件格式错误 / bad TOML in {}", path.display()))?
            }
            None => toml::Table::new(),
        };
        let mut now = None;
        for (key, value) in env {
            let Some(name) = key.strip_prefix(ENV_PREFIX) else { continue };
            if name == "NOW" && !value.trim().is_empty() {
                now = Some(domain::Clock::parse_moment(&value).map_err(|e| anyhow::anyhow!("[{}] {e}", e.code()))?);
            }
            if NOT_SETTINGS.contains(&name) || name.starts_with("TEST_") || name.is_empty() {
                continue;
            }
            let path: Vec<String> = name.split("__").map(str::to_lowercase).collect();
            insert(&mut table, &path, env_value(&value)).with_context(|| format!("环境变量 / variable {key}"))?;
        }
        let mut settings = Settings::deserialize(toml::Value::Table(table)).context("配置无效 / invalid settings")?;
        settings.clock = now.map_or_else(domain::Clock::system, domain::Clock::pinned);
        Ok(settings)
    }

    /// The JWT secret from `jwt_secret` or `jwt_key_file`, if configured.
    pub fn jwt_secret_bytes(&self) -> Result<Option<Vec<u8>>> {
        match (&self.jwt_secret, &self.jwt_key_file) {
            (Some(_), Some(_)) => {
                bail!("jwt_secret 与 jwt_key_file 只能设置一个 / set jwt_secret or jwt_key_file, not both")
            }
            (Some(s), None) => Ok(Some(s.as_bytes().to_vec())),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("无法读取密钥文件 / cannot read the key file {}", path.display()))?;
                Ok(Some(text.trim().as_bytes().to_vec()))
            }
            (None, None) => Ok(None),
        }
    }

    /// The working-day calendar: the shipped one, extended by `calendar_file` when set.
    pub fn calendar(&self) -> Result<domain::calendar::WorkCalendar> {
        let mut cal = domain::calendar::WorkCalendar::shipped()?;
        if let Some(path) = &self.calendar_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("无法读取日历文件 / cannot read the calendar file {}", path.display()))?;
            let n = cal.extend_csv(&text)?;
            tracing::info!(file = %path.display(), days = n, "calendar extended");
        }
        Ok(cal)
    }

    /// The token settings; an error when no key is configured, a key is invalid or not exactly one signs.
    pub fn auth(&self) -> Result<api::AuthConfig> {
        let ring = crate::keys::ring(self)?;
        Ok(api::AuthConfig::with_keys(ring, &self.jwt_issuer, &self.jwt_audience, self.jwt_leeway_secs)
            .with_clock(self.clock.clone()))
    }
}

/// An environment value as TOML: numbers and booleans keep their type, anything else is a string.
fn env_value(v: &str) -> toml::Value {
    match format!("v = {v}").parse::<toml::Table>() {
        Ok(mut t) => match t.remove("v") {
            Some(x @ (toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_))) => x,
            _ => toml::Value::String(v.to_owned()),
        },
        Err(_) => toml::Value::String(v.to_owned()),
    }
}

fn insert(table: &mut toml::Table, path: &[String], value: toml::Value) -> Result<()> {
    match path {
        [] => bail!("empty key"),
        [last] => {
            table.insert(last.clone(), value);
            Ok(())
        }
        [first, rest @ ..] => {
            let entry = table.entry(first.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => insert(t, rest, value),
                _ => bail!("{first} is not a table"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\njwt_leeway_secs = 5\ndatabase_url = \"a.db\"\n").unwrap();
        let s = Settings::load_from(
            Some(&file),
            env(&[("DUALPREV_DATABASE_URL", "postgres://x/y"), ("DUALPREV_JWT_LEEWAY_SECS", "60"), ("HOME", "/")]),
        )
        .unwrap();
        assert_eq!(s.bind, "0.0.0.0:9000");
        assert_eq!(s.database_url.as_deref(), Some("postgres://x/y"));
        assert_eq!(s.jwt_leeway_secs, 60);
        let s = Settings::load_from(None, env(&[("DUALPREV_PULL__TIMEOUT_SECS", "5")])).unwrap();
        assert_eq!((s.pull.timeout_secs, s.pull.concurrency), (5, 8));
        let s = Settings::load_from(None, env(&[("DUALPREV_WARNINGS__COMPLETION", "0.5")])).unwrap();
        assert_eq!((s.warnings.completion, s.warnings.reject_min), (0.5, 10));
        assert_eq!(s.jobs.weekly_evaluation, "0 0 1 * * Mon");
        assert_eq!(s.jobs.monthly_report, "0 0 8 20 * *");
        // The commented sample in deploy/ is a valid settings file.
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/dualprev.toml");
        let s = Settings::load_from(Some(std::path::Path::new(sample)), env(&[])).unwrap();
        assert_eq!(s.pull.schedule, "0 0 */2 * * *");
        assert_eq!((s.limits.push_records_per_minute, s.limits.push_per_minute), (60_000, 0));
        assert_eq!(s.limits.json_body_kib, 64);
        let s = Settings::load_from(None, env(&[("DUALPREV_LIMITS__PUSH_RECORDS_PER_MINUTE", "0")])).unwrap();
        assert_eq!(s.limits.push_records_per_minute, 0);
    }

    #[test]
    fn unknown_keys_and_short_secrets_are_errors() {
        assert!(Settings::load_from(None, env(&[("DUALPREV_DATABSE_URL", "x")])).is_err());
        let s = Settings::load_from(None, env(&[("DUALPREV_JWT_SECRET", "short")])).unwrap();
        assert!(s.auth().is_err());
        assert!(Settings::default().auth().is_err(), "no built-in secret");
        let s = Settings::load_from(None, env(&[("DUALPREV_JWT_SECRET", &"k".repeat(32))])).unwrap();
        assert!(s.auth().is_ok());
    }
}
