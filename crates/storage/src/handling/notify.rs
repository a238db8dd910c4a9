//! In-app notifications: who hears of what happens to a case, their list and unread count, and what an e-mail digest
//! carries.
//!
//! The people told are the active accounts in the case's scope: the enterprise's own accounts and its city's; the
//! province's when the case is red, supervised or escalated, or the step is an escalation. The person who acted is
//! not told of their own action.

use super::cases::CaseRow;
use crate::schema::{accounts, enterprises, notifications};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    /// Its number.
    pub id: i64,
    /// Whose.
    pub username: String,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The step (`opened`, `sign`, …, `escalated`).
    pub kind: String,
    /// The case.
    pub case_id: Option<i64>,
    /// The warning's id.
    pub warning_id: Option<String>,
    /// One line (Chinese).
    pub title: String,
    /// The detail (Chinese).
    pub body: String,
    /// When it was read.
    pub read_at: Option<NaiveDateTime>,
    /// When an e-mail digest carried it.
    pub emailed_at: Option<NaiveDateTime>,
}

/// The Chinese words of a step.
pub fn step_label(step: &str) -> &'static str {
    match step {
        "opened" => "新预警待签收",
        "sign" => "已签收",
        "respond" => "已反馈处置措施",
        "verify" => "已核销办结",
        "return" => "处置被退回",
        "supervise" => "挂牌督办",
        "note" => "新增备注",
        "escalated" => "已升级至省级",
        _ => "有更新",
    }
}

/// The Chinese name of a level key.
pub fn level_label(level: &str) -> &'static str {
    match level {
        "red" => "红色",
        "orange" => "橙色",
        _ => "黄色",
    }
}

/// Tells the people in the case's scope of a step, inside the caller's transaction; returns how many were told.
pub fn about(
    conn: &mut DbConnection,
    case: &CaseRow,
    step: &str,
    actor: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize> {
    let province = case.is_red() || case.supervised_at.is_some() || case.escalation_level > 0 || step == "escalated";
    let mut q = accounts::table
        .filter(accounts::state.eq("active"))
        .filter(
            (accounts::role.eq("enterprise").and(accounts::company_code.eq(&case.company_code)))
                .or(accounts::role.eq("city").and(accounts::city_code.eq(&case.city_code)))
                .or(accounts::role.eq_any(if province { vec!["province"] } else { Vec::new() })),
        )
        .select(accounts::username)
        .into_boxed();
    if let Some(a) = actor {
        q = q.filter(accounts::username.ne(a.to_owned()));
    }
    let people: Vec<String> = q.load(conn)?;
    if people.is_empty() {
        return Ok(0);
    }
    let name: Option<String> =
        enterprises::table.find(&case.company_code).select(enterprises::name).first(conn).optional()?;
    let title = format!(
        "{}预警{}：{}",
        level_label(&case.level),
        step_label(step),
        name.as_deref().unwrap_or(&case.company_code)
    );
    let body = match actor {
        Some(a) => format!("{}（{}）", case.detail, a),
        None => case.detail.clone(),
    };
    let rows: Vec<_> = people
        .iter()
        .map(|u| {
            (
                notifications::username.eq(u),
                notifications::at.eq(now),
                notifications::kind.eq(step),
                notifications::case_id.eq(Some(case.id)),
                notifications::warning_id.eq(Some(&case.warning_id)),
                notifications::title.eq(&title),
                notifications::body.eq(&body),
            )
        })
        .collect();
    crate::backend::db_run!(conn: c => diesel::insert_into(notifications::table).values(&rows).execute(c)?);
    Ok(people.len())
}

/// A person's notifications, newest first (at most `limit`), and their unread count.
pub fn of(
    conn: &mut DbConnection,
    username: &str,
    limit: i64,
    unread_only: bool,
) -> Result<(Vec<NotificationRow>, i64)> {
    let mut q = notifications::table.filter(notifications::username.eq(username)).into_boxed();
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    let rows = q.order(notifications::id.desc()).limit(limit).select(NotificationRow::as_select()).load(conn)?;
    let unread = notifications::table
        .filter(notifications::username.eq(username))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?;
    Ok((rows, unread))
}

/// Marks a person's notifications read: those numbered, or all when `ids` is `None`. Returns how many changed.
pub fn mark_read(conn: &mut DbConnection, username: &str, ids: Option<&[i64]>, now: NaiveDateTime) -> Result<usize> {
    let mine =
        notifications::table.filter(notifications::username.eq(username)).filter(notifications::read_at.is_null());
    Ok(match ids {
        Some(ids) => diesel::update(mine.filter(notifications::id.eq_any(ids.to_vec())))
            .set(notifications::read_at.eq(now))
            .execute(conn)?,
        None => diesel::update(mine).set(notifications::read_at.eq(now)).execute(conn)?,
    })
}
