//! `[mail]` settings: e-mail digests of warning-handling notifications through SMTP (issue 21). Off unless `host` is
//! set; people opt in one by one (`accounts.notify_email`). The password is better in the environment:
//! `DUALPREV_MAIL__PASSWORD`.

use anyhow::{Context, Result, bail};
use api::mail::{MailConfig, TlsMode};
use serde::Deserialize;
use std::path::PathBuf;

/// The shortest time between two digests to one person the platform allows, in minutes (issue 21).
pub const MIN_EVERY_MINUTES: u32 = 15;

/// `[mail]` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The SMTP server; e-mail digests are off while it is unset.
    pub host: Option<String>,
    /// Its port (default by `tls`: 25, 587 or 465).
    pub port: Option<u16>,
    /// `none`, `starttls` (default) or `tls`.
    pub tls: Option<String>,
    /// The sender, e.g. `双重预防平台 <noreply@yjt.shanxi.gov.cn>` (required with `host`).
    pub from: Option<String>,
    /// The SMTP user, when the server asks for one.
    pub username: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// A PEM file of the CA the server's certificate is checked against besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// The shortest time between two digests to one person, in minutes (default and least: 15).
    pub every_minutes: Option<u32>,
    /// The dashboard's address for the links in digests, e.g. `https://dualprev.yjt.shanxi.gov.cn`.
    pub dashboard_url: Option<String>,
}

impl MailSettings {
    /// The mail worker's configuration: `None` when `host` is unset, an error when the rest does not fit.
    pub fn config(&self) -> Result<Option<MailConfig>> {
        let Some(host) = self.host.as_deref().map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let Some(from) = self.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) else {
            bail!("[mail] 设置了 host 但没有 from（发件人）/ [mail] host is set without from (the sender)");
        };
        let tls = match self.tls.as_deref().map(str::trim).unwrap_or("starttls") {
            "none" => TlsMode::None,
            "starttls" => TlsMode::StartTls,
            "tls" => TlsMode::Tls,
            other => {
                bail!("[mail] tls 应为 none、starttls 或 tls / [mail] tls must be none, starttls or tls: {other:?}")
            }
        };
        let every = self.every_minutes.unwrap_or(MIN_EVERY_MINUTES);
        if every < MIN_EVERY_MINUTES {
            bail!(
                "[mail] every_minutes 不得小于 {MIN_EVERY_MINUTES} / [mail] every_minutes must be at least \
                 {MIN_EVERY_MINUTES}: {every}"
            );
        }
        let read_ca = |path: &PathBuf| {
            std::fs::read_to_string(path)
                .with_context(|| format!("无法读取邮件 CA 文件 / cannot read the mail CA file {}", path.display()))
        };
        let ca_pem = self.ca_file.as_ref().map(read_ca).transpose()?;
        let mut config = MailConfig::new(host, from);
        config.tls = tls;
        config.port = self.port.unwrap_or_else(|| tls.default_port());
        config.username = self.username.clone().filter(|u| !u.is_empty());
        config.password = self.password.clone();
        config.ca_pem = ca_pem;
        config.every = chrono::TimeDelta::minutes(i64::from(every));
        config.dashboard_url = self.dashboard_url.clone().filter(|u| !u.trim().is_empty());
        // A bad sender or certificate is an error at start, not a log line of the worker.
        api::mail::Mailer::new(config.clone()).map_err(|e| anyhow::anyhow!("[mail] {e}"))?;
        Ok(Some(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_without_host_and_checked_with_it() {
        assert_eq!(MailSettings::default().config().unwrap(), None);
        let s = MailSettings { host: Some("smtp.example.test".into()), ..Default::default() };
        assert!(s.config().is_err(), "no sender");
        let s = MailSettings { from: Some("双重预防平台 <noreply@example.test>".into()), ..s };
        let c = s.config().unwrap().unwrap();
        assert_eq!((c.port, c.tls, c.every), (587, TlsMode::StartTls, chrono::TimeDelta::minutes(15)));
        let plain = MailSettings { tls: Some("none".into()), ..s.clone() }.config().unwrap().unwrap();
        assert_eq!(plain.port, 25);
        assert!(MailSettings { every_minutes: Some(5), ..s.clone() }.config().is_err());
        assert!(MailSettings { tls: Some("ssl".into()), ..s }.config().is_err());
    }
}
