//! E-mail digests of notifications through SMTP (issue 21, `docs/operations.md` § 邮件提醒 / e-mail digests).
//!
//! People who opted in (`accounts.notify_email`) and have an e-mail address receive one message listing the
//! notifications they have neither read nor received by e-mail, at most one every [`MailConfig::every`] (15 minutes).
//! A worker ([`start_mail_worker`]) runs a [`digest_pass`] every minute; several workers on one database send each
//! digest once (`storage::handling::digest::claim`).

pub mod digest;
pub mod worker;

use chrono::TimeDelta;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub use digest::digest_pass;
pub use worker::start_mail_worker;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain SMTP (a relay on the same host or a trusted network; port 25).
    None,
    /// `STARTTLS`, required (port 587, the default).
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
}

impl TlsMode {
    /// The usual port of the mode.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// Where and how digests are sent (settings `[mail]`). Its `Debug` leaves the password out.
#[derive(Clone, PartialEq, Eq)]
pub struct MailConfig {
    /// The SMTP server.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The sender, e.g. `双重预防平台 <noreply@yjt.shanxi.gov.cn>`.
    pub from: String,
    /// Plain, STARTTLS or TLS.
    pub tls: TlsMode,
    /// A PEM certificate the server's is checked against besides the system's roots (an internal CA).
    pub ca_pem: Option<String>,
    /// The SMTP user, when the server asks for one.
    pub username: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// The shortest time between two digests to one person (15 minutes).
    pub every: TimeDelta,
    /// How often the worker looks for people due a digest (1 minute).
    pub poll: Duration,
    /// How long one SMTP exchange may take (30 s).
    pub timeout: Duration,
    /// The dashboard's address for links, e.g. `https://dualprev.yjt.shanxi.gov.cn` (no links when unset).
    pub dashboard_url: Option<String>,
}

impl MailConfig {
    /// A configuration for a server and sender with the documented defaults (STARTTLS on 587, every 15 minutes).
    pub fn new(host: impl Into<String>, from: impl Into<String>) -> MailConfig {
        MailConfig {
            host: host.into(),
            port: TlsMode::StartTls.default_port(),
            from: from.into(),
            tls: TlsMode::StartTls,
            ca_pem: None,
            username: None,
            password: None,
            every: TimeDelta::minutes(15),
            poll: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            dashboard_url: None,
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("every", &self.every)
            .field("dashboard_url", &self.dashboard_url)
            .finish_non_exhaustive()
    }
}

/// Why mail could not be set up or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address (the sender's or a person's) is not an e-mail address.
    #[error("邮件地址无效 / not an e-mail address: {0:?}")]
    Address(String),
    /// The TLS settings are unusable (a bad certificate).
    #[error("邮件 TLS 设置无效 / bad mail TLS settings: {0}")]
    Tls(String),
    /// The message could not be built.
    #[error("无法生成邮件 / cannot build the message: {0}")]
    Build(String),
    /// The SMTP server could not be reached, timed out or refused for now (4xx): worth trying again soon.
    #[error("邮件发送失败 / sending failed: {0}")]
    Send(String),
    /// The SMTP server refused this message for good (5xx, e.g. an unknown mailbox).
    #[error("邮件被拒收 / the message was refused: {0}")]
    Refused(String),
}

/// An SMTP transport with the sender and the digest settings.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The settings it was made from.
    pub config: MailConfig,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("host", &self.config.host).field("port", &self.config.port).finish()
    }
}

impl Mailer {
    /// The transport of a configuration (no connection is made until the first message).
    pub fn new(config: MailConfig) -> Result<Mailer, MailError> {
        let from: Mailbox = config.from.parse().map_err(|_| MailError::Address(config.from.clone()))?;
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            mode => {
                let mut params = TlsParameters::builder(config.host.clone());
                if let Some(pem) = &config.ca_pem {
                    let cert = Certificate::from_pem(pem.as_bytes()).map_err(|e| MailError::Tls(e.to_string()))?;
                    params = params.add_root_certificate(cert);
                }
                let params = params.build().map_err(|e| MailError::Tls(e.to_string()))?;
                if mode == TlsMode::Tls { Tls::Wrapper(params) } else { Tls::Required(params) }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.clone())
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout));
        if let Some(user) = &config.username {
            builder = builder.credentials(Credentials::new(user.clone(), config.password.clone().unwrap_or_default()));
        }
        Ok(Mailer { transport: builder.build(), from, config })
    }

    /// The sender.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Sends one message.
    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        self.transport.send(message).await.map(drop).map_err(|e| match e.is_permanent() {
            true => MailError::Refused(e.to_string()),
            false => MailError::Send(e.to_string()),
        })
    }
}
