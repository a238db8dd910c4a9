//! E-mail digests (issue 21) against a real SMTP server: Python's `aiosmtpd`, started by the test
//! (`tests/mail/smtp_server.py`), never a mock. The server decodes each message with Python's `email` package, so the
//! assertions read the subject and body as a mail client would, whatever transfer encoding lettre chose.

use crate::Server;
use api::mail::{MailConfig, Mailer, TlsMode, digest_pass};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::account::{AccountRole, PasswordPolicy};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use storage::accounts::{self, NewAccount};
use storage::handling::digest;
use storage::schema::notifications;

/// The moment the test starts at.
const T0: &str = "2026-12-08T10:00:00+08:00";

/// A running SMTP server writing each message it receives into `out`; killed when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.out);
    }
}

impl SmtpServer {
    /// Starts a plain server and waits until it greets a connection.
    fn start() -> SmtpServer {
        SmtpServer::start_with(&[])
    }

    /// Starts the server with more arguments (`--starttls CERT KEY`) and waits until it greets a connection.
    fn start_with(args: &[&Path]) -> SmtpServer {
        let script = fixture("smtp_server.py");
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, Ordering::SeqCst);
        let out = std::env::temp_dir().join(format!("dualprev-smtp-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(&out)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 starts (install Python 3 and `pip install aiosmtpd`)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = lines.next().and_then(Result::ok).and_then(|l| l.strip_prefix("port ")?.trim().parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            let _ = child.wait();
            panic!(
                "the SMTP server of the test did not start — `pip install aiosmtpd` (the test needs a real SMTP \
                 server, it is never skipped): {err}"
            );
        };
        let server = SmtpServer { child, port, out };
        server.wait_for_greeting();
        server
    }

    fn wait_for_greeting(&self) {
        for _ in 0..100 {
            if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
                let mut greeting = String::new();
                if BufReader::new(s).read_line(&mut greeting).is_ok() && greeting.starts_with("220") {
                    return;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the SMTP server on port {} never greeted", self.port);
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }
}

/// A file of `tests/mail`: the server's script, and the test certificates (`ca.pem` signed `server.pem` for
/// `localhost` and 127.0.0.1, valid until 2126).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail").join(name)
}

fn at(moment: &str) -> NaiveDateTime {
    domain::Clock::parse_moment(moment).unwrap()
}

fn person(s: &Server, username: &str, name: &str, email: &str, opted_in: bool) {
    let mut new = NewAccount::new(username, name, AccountRole::City).in_city(Some("140100"));
    new.email = Some(email.to_owned());
    let now = s.clock.now_utc();
    s.db.with(|c| Ok(accounts::create(c, &new, "First-pass-1", &PasswordPolicy::default(), now).unwrap())).unwrap();
    s.db.with(|c| digest::set_notify_email(c, username, opted_in)).unwrap();
    assert_eq!(s.db.with(|c| digest::notify_email(c, username)).unwrap(), opted_in);
}

/// Writes a notification; `read` marks it read at once.
fn notify(s: &Server, username: &str, when: NaiveDateTime, title: &str, warning: &str, read: bool) {
    let row = (
        notifications::username.eq(username),
        notifications::at.eq(when),
        notifications::kind.eq("opened"),
        notifications::warning_id.eq(Some(warning)),
        notifications::title.eq(title),
        notifications::body.eq(format!("{title}的说明")),
        notifications::read_at.eq(read.then_some(when)),
    );
    s.db.with(|c| Ok(diesel::insert_into(notifications::table).values(row).execute(c)?)).unwrap();
}

fn text(message: &Value, key: &str) -> String {
    message[key].as_str().unwrap().replace("\r\n", "\n")
}

async fn digests_go_to_those_who_opted_in_at_most_every_15_minutes(s: Server) {
    let smtp = SmtpServer::start();
    let t0 = at(T0);
    person(&s, "taiyuan-wang", "王工", "wang@taiyuan.test", true);
    person(&s, "taiyuan-li", "李工", "li@taiyuan.test", false);
    let minutes = |m| t0 + TimeDelta::minutes(m);
    notify(&s, "taiyuan-wang", minutes(-20), "红色预警新预警待签收：甲化工", "140100001.no_tasks", false);
    notify(&s, "taiyuan-wang", minutes(-10), "黄色预警已签收：乙化工", "140100002.overdue_danger", false);
    notify(&s, "taiyuan-wang", minutes(-5), "已读过的通知：丙化工", "140100003.no_tasks", true);
    notify(&s, "taiyuan-li", minutes(-10), "未订阅者的通知：丁化工", "140100004.no_tasks", false);

    let mut config = MailConfig::new("127.0.0.1", "双重预防平台 <noreply@yjt.test>");
    config.port = smtp.port;
    config.tls = TlsMode::None;
    config.dashboard_url = Some("https://dualprev.yjt.test/".into());
    let mailer = Mailer::new(config).unwrap();

    // The first pass: one digest, to the person who opted in, with both unread notifications and not the read one.
    assert_eq!(digest_pass(&s.state, &mailer, t0).await.unwrap(), 1);
    let got = smtp.messages();
    assert_eq!(got.len(), 1, "{got:#?}");
    let m = &got[0];
    assert_eq!(m["rcpt_tos"], serde_json::json!(["wang@taiyuan.test"]));
    assert_eq!(m["mail_from"], "noreply@yjt.test");
    assert!(text(m, "date").contains("08 Dec 2026 02:00:00"), "the date of the pinned clock: {}", m["date"]);
    assert!(text(m, "to").contains("wang@taiyuan.test"));
    assert_eq!(text(m, "subject"), "【双重预防】2 条新的预警处置通知");
    let body = text(m, "body");
    for line in [
        "王工，您好：",
        "1. 红色预警新预警待签收：甲化工",
        "   红色预警新预警待签收：甲化工的说明",
        "   时间：2026-12-08T09:40:00+08:00",
        "   查看：https://dualprev.yjt.test/#/warnings/140100001.no_tasks",
        "2. 黄色预警已签收：乙化工",
        "   时间：2026-12-08T09:50:00+08:00",
        "   查看：https://dualprev.yjt.test/#/warnings/140100002.overdue_danger",
    ] {
        assert!(body.contains(line), "{line:?} missing from\n{body}");
    }
    assert!(!body.contains("丙化工") && !body.contains("丁化工"), "{body}");
    assert_eq!(m["content_type"], "text/plain");
    assert_eq!(m["charset"], "utf-8");

    // Five minutes on, a new notification waits: no digest yet.
    notify(&s, "taiyuan-wang", minutes(4), "橙色预警已升级至省级：甲化工", "140100001.no_tasks", false);
    assert_eq!(digest_pass(&s.state, &mailer, minutes(5)).await.unwrap(), 0);
    assert_eq!(smtp.messages().len(), 1);

    // Fifteen minutes after the first: one digest with only the new notification.
    assert_eq!(digest_pass(&s.state, &mailer, minutes(15)).await.unwrap(), 1);
    let got = smtp.messages();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[1]["rcpt_tos"], serde_json::json!(["wang@taiyuan.test"]));
    assert_eq!(text(&got[1], "subject"), "【双重预防】1 条新的预警处置通知");
    let body = text(&got[1], "body");
    assert!(body.contains("1. 橙色预警已升级至省级：甲化工"), "{body}");
    assert!(!body.contains("乙化工") && !body.contains("丙化工"), "{body}");

    // Nothing left: later passes send nothing, the read notification was never mailed, and a digest is claimed once.
    assert_eq!(digest_pass(&s.state, &mailer, minutes(40)).await.unwrap(), 0);
    assert_eq!(smtp.messages().len(), 2);
    let mailed: Vec<(String, Option<NaiveDateTime>)> =
        s.db.with(|c| {
            Ok(notifications::table
                .filter(notifications::username.eq("taiyuan-wang"))
                .order(notifications::id.asc())
                .select((notifications::title, notifications::emailed_at))
                .load(c)?)
        })
        .unwrap();
    let emailed: Vec<Option<NaiveDateTime>> = mailed.iter().map(|(_, e)| *e).collect();
    assert_eq!(emailed, vec![Some(t0), Some(t0), None, Some(minutes(15))], "{mailed:?}");
    let every = TimeDelta::minutes(15);
    assert!(s.db.with(|c| digest::claim(c, "taiyuan-wang", minutes(40), every)).unwrap());
    assert!(!s.db.with(|c| digest::claim(c, "taiyuan-wang", minutes(40), every)).unwrap());
    drop(smtp);
}

/// A server that cannot be reached: nothing is marked, the claim is released and the pass stops. A mailbox the server
/// refuses for good keeps its claim (tried again after 15 minutes) and does not stop the others.
async fn a_failed_send_is_tried_again(s: Server) {
    let t0 = at(T0);
    let every = TimeDelta::minutes(15);
    for (user, name, email) in [
        ("taiyuan-nobody", "赵工", "nobody@taiyuan.test"),
        ("taiyuan-wang", "王工", "wang@taiyuan.test"),
        ("taiyuan-zhou", "周工", "zhou@taiyuan.test"),
    ] {
        person(&s, user, name, email, true);
        notify(&s, user, t0, "红色预警新预警待签收：甲化工", "140100001.no_tasks", false);
    }
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = MailConfig::new("127.0.0.1", "noreply@yjt.test");
    (config.port, config.tls) = (closed, TlsMode::None);
    config.timeout = std::time::Duration::from_secs(5);
    assert_eq!(digest_pass(&s.state, &Mailer::new(config).unwrap(), t0).await.unwrap(), 0);
    let due = s.db.with(|c| digest::due(c, t0 + TimeDelta::minutes(1), every)).unwrap();
    let claims: Vec<_> = due.iter().map(|d| (d.username.as_str(), d.digest_at)).collect();
    assert_eq!(claims, [("taiyuan-nobody", None), ("taiyuan-wang", None), ("taiyuan-zhou", None)], "all due again");

    let smtp = SmtpServer::start();
    let mut config = MailConfig::new("127.0.0.1", "noreply@yjt.test");
    (config.port, config.tls) = (smtp.port, TlsMode::None);
    let mailer = Mailer::new(config).unwrap();
    let t1 = t0 + TimeDelta::minutes(1);
    assert_eq!(digest_pass(&s.state, &mailer, t1).await.unwrap(), 2);
    let to: Vec<Value> = smtp.messages().iter().map(|m| m["rcpt_tos"][0].clone()).collect();
    assert_eq!(to, ["wang@taiyuan.test", "zhou@taiyuan.test"]);
    let later = |m| s.db.with(|c| digest::due(c, t1 + TimeDelta::minutes(m), every)).unwrap();
    assert_eq!(later(14), vec![], "the refused mailbox keeps its claim");
    let due = later(15);
    assert_eq!(due.iter().map(|d| d.username.as_str()).collect::<Vec<_>>(), ["taiyuan-nobody"]);
    assert_eq!(due[0].digest_at, Some(t1));
}

/// The worker runs the pass on its own, on the server's clock.
async fn the_worker_sends_on_its_own(s: Server) {
    person(&s, "taiyuan-wang", "王工", "wang@taiyuan.test", true);
    notify(&s, "taiyuan-wang", at(T0), "红色预警新预警待签收：甲化工", "140100001.no_tasks", false);
    let smtp = SmtpServer::start();
    let mut config = MailConfig::new("127.0.0.1", "noreply@yjt.test");
    (config.port, config.tls, config.poll) = (smtp.port, TlsMode::None, std::time::Duration::from_secs(1));
    let worker = api::mail::start_mail_worker(s.state.clone(), config);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while smtp.messages().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await; // a second pass sends nothing more
    worker.abort();
    let got = smtp.messages();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(text(&got[0], "subject"), "【双重预防】1 条新的预警处置通知");
}

/// STARTTLS with the server's certificate checked against an internal CA (`ca_pem`); without that CA the
/// certificate is refused and nothing is sent (the claim released for the next pass).
async fn starttls_checks_the_certificate(s: Server) {
    person(&s, "taiyuan-wang", "王工", "wang@taiyuan.test", true);
    notify(&s, "taiyuan-wang", at(T0), "红色预警新预警待签收：甲化工", "140100001.no_tasks", false);
    let (cert, key) = (fixture("server.pem"), fixture("server.key"));
    let smtp = SmtpServer::start_with(&[Path::new("--starttls"), &cert, &key]);
    let mut config = MailConfig::new("localhost", "noreply@yjt.test");
    (config.port, config.tls) = (smtp.port, TlsMode::StartTls);
    assert_eq!(digest_pass(&s.state, &Mailer::new(config.clone()).unwrap(), at(T0)).await.unwrap(), 0);
    assert_eq!(smtp.messages().len(), 0, "an unknown CA is refused");
    config.ca_pem = Some(std::fs::read_to_string(fixture("ca.pem")).unwrap());
    let t1 = at(T0) + TimeDelta::minutes(1);
    assert_eq!(digest_pass(&s.state, &Mailer::new(config).unwrap(), t1).await.unwrap(), 1);
    let got = smtp.messages();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["tls"], true);
    assert_eq!(text(&got[0], "subject"), "【双重预防】1 条新的预警处置通知");
}

crate::both_backends!(at "2026-12-08T10:00:00+08:00" =>
    digests_go_to_those_who_opted_in_at_most_every_15_minutes,
    a_failed_send_is_tried_again,
    the_worker_sends_on_its_own,
    starttls_checks_the_certificate,
);
