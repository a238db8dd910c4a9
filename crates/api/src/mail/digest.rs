//! One pass of e-mail digests: one message to each person due one, listing their unread notifications.

use super::{MailError, Mailer};
use crate::AppState;
use crate::error::ApiResult;
use chrono::NaiveDateTime;
use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use std::fmt::Write as _;
use storage::handling::digest::{self, Due, Pending};
use storage::handling::notify::NotificationRow;

/// The most notifications one digest lists; the others are counted and left to the platform's notification page.
pub const LISTED: i64 = 50;

/// Sends the digests due at `now`: for each person due, claims the digest, sends one message and marks the
/// notifications it carried. A message refused for good (a bad address, an unknown mailbox) keeps its claim, so it is
/// tried again after `every`, and the pass goes on with the others. When the server cannot be reached or refuses for
/// now, the claim is released and the pass stops (the others would wait out the same timeout); the next pass tries
/// again. Returns how many messages were sent.
pub async fn digest_pass(state: &AppState, mailer: &Mailer, now: NaiveDateTime) -> ApiResult<usize> {
    let every = mailer.config.every;
    let due = state.db(move |c| digest::due(c, now, every)).await?;
    let mut sent = 0;
    for person in due {
        let name = person.username.clone();
        if !state.db(move |c| digest::claim(c, &name, now, every)).await? {
            continue; // another worker sends this one
        }
        let name = person.username.clone();
        let pending = state.db(move |c| digest::pending(c, &name, LISTED)).await?;
        if pending.rows.is_empty() {
            release(state, &person, now).await?;
            continue; // read in the meantime
        }
        let outcome = match message(mailer, &person, &pending, now) {
            Ok(m) => mailer.send(m).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                let (name, up_to) = (person.username.clone(), pending.up_to_id);
                state.db(move |c| digest::mark_emailed(c, &name, up_to, now)).await?;
                sent += 1;
            }
            Err(e @ (MailError::Address(_) | MailError::Refused(_) | MailError::Build(_))) => {
                tracing::warn!(username = %person.username, error = %e, "e-mail digest not sent; retried after `every`");
            }
            Err(e) => {
                tracing::warn!(username = %person.username, error = %e, "e-mail digest not sent; retried next pass");
                release(state, &person, now).await?;
                break;
            }
        }
    }
    Ok(sent)
}

async fn release(state: &AppState, person: &Due, now: NaiveDateTime) -> ApiResult<bool> {
    let (name, previous) = (person.username.clone(), person.digest_at);
    state.db(move |c| digest::release(c, &name, now, previous)).await
}

/// The subject of a digest of `n` notifications.
pub fn subject(n: i64) -> String {
    format!("【双重预防】{n} 条新的预警处置通知")
}

/// The plain-text body (zh-CN) of a digest.
pub fn body(person: &Due, pending: &Pending, dashboard_url: Option<&str>) -> String {
    let mut out = format!(
        "{}，您好：\n\n山西省危险化学品企业双重预防机制数字化平台有 {} 条新的预警处置通知：\n\n",
        person.display_name, pending.total
    );
    let base = dashboard_url.map(|u| u.trim_end_matches('/')).filter(|u| !u.is_empty());
    for (i, n) in pending.rows.iter().enumerate() {
        item(&mut out, i + 1, n, base);
    }
    let rest = pending.total - pending.rows.len() as i64;
    if rest > 0 {
        let _ = writeln!(out, "另有 {rest} 条未列出，请登录平台查看。\n");
    }
    out.push_str(
        "——\n此邮件由平台自动发送，请勿回复。已在平台中阅读的通知不再发送邮件；如需停止邮件提醒，请在平台页面顶部“通知”中取消“邮件提醒”。\n",
    );
    out
}

fn item(out: &mut String, no: usize, n: &NotificationRow, base: Option<&str>) {
    let _ = writeln!(out, "{no}. {}", n.title);
    if !n.body.trim().is_empty() {
        let _ = writeln!(out, "   {}", n.body.trim());
    }
    let _ = writeln!(out, "   时间：{}", domain::time::format_local(n.at));
    if let (Some(base), Some(w)) = (base, &n.warning_id) {
        let _ = writeln!(out, "   查看：{base}/#/warnings/{w}");
    }
    out.push('\n');
}

fn message(mailer: &Mailer, person: &Due, pending: &Pending, now: NaiveDateTime) -> Result<Message, MailError> {
    let address = person.email.parse().map_err(|_| MailError::Address(person.email.clone()))?;
    let to = Mailbox::new(Some(person.display_name.clone()), address);
    Message::builder()
        .from(mailer.from().clone())
        .to(to)
        .subject(subject(pending.total))
        .date(std::time::SystemTime::from(now.and_utc()))
        .header(ContentType::TEXT_PLAIN)
        .body(body(person, pending, mailer.config.dashboard_url.as_deref()))
        .map_err(|e| MailError::Build(e.to_string()))
}
