//! Webhook subscriptions and their deliveries. The delivery worker (in `api::webhooks`) queues one delivery per
//! matching event ([`enqueue`]), sends the oldest pending one of each subscription ([`head`]) and records each
//! attempt ([`delivered`], [`attempt_failed`]); subscriptions pause after repeated failure and resume by request.

use crate::DbConnection;
use crate::events::{self, Scope};
use crate::schema::{webhook_deliveries as wd, webhooks};
use crate::tx::write_transaction;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored subscription: its id, what it was made with (and its state since), and when it was paused.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    #[diesel(embed)]
    pub sub: Subscription,
    /// When it was paused, if it is.
    pub paused_at: Option<NaiveDateTime>,
}

/// A subscription's fields: inserted as they are to make one, read back as part of a [`WebhookRow`].
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct Subscription {
    /// Where deliveries are POSTed.
    pub url: String,
    /// Comma-separated event kinds; empty for every kind.
    pub kinds: String,
    /// The HMAC secret.
    pub secret: String,
    /// `province` or `service`: which events it may receive.
    pub owner_role: String,
    /// The token subject that created it.
    pub owner: String,
    /// `active` or `paused`.
    pub state: String,
    /// The last event seq queued for it.
    pub cursor: i64,
    /// Consecutive failed attempts.
    pub failures: i32,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
}

impl Subscription {
    /// Its event kinds (empty: every kind).
    pub fn kind_list(&self) -> Vec<String> {
        self.kinds.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect()
    }
}

/// One delivery of one event to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = wd)]
pub struct DeliveryRow {
    /// Its id.
    pub id: i64,
    /// The subscription.
    pub webhook_id: i64,
    /// The event's cursor.
    pub seq: i64,
    /// The event's kind.
    pub kind: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// The first attempt (UTC), the start of its 24 h of retries.
    pub first_attempt_at: Option<NaiveDateTime>,
    /// When the next attempt is due (UTC).
    pub next_attempt_at: NaiveDateTime,
    /// The HTTP status of the last attempt, if one came back.
    pub last_status: Option<i32>,
    /// What went wrong on the last attempt.
    pub last_error: Option<String>,
    /// When it was queued (UTC).
    pub created_at: NaiveDateTime,
    /// When a 2xx came back (UTC).
    pub delivered_at: Option<NaiveDateTime>,
}

/// Stores a subscription.
pub fn create(conn: &mut DbConnection, w: &Subscription) -> QueryResult<WebhookRow> {
    let id: i64 = diesel::insert_into(webhooks::table).values(w).returning(webhooks::id).get_result(conn)?;
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn)
}

/// Subscriptions, oldest first; only those of one owner role when given.
pub fn list(conn: &mut DbConnection, owner_role: Option<&str>) -> QueryResult<Vec<WebhookRow>> {
    let mut q = webhooks::table.select(WebhookRow::as_select()).order(webhooks::id).into_boxed();
    if let Some(r) = owner_role {
        q = q.filter(webhooks::owner_role.eq(r.to_owned()));
    }
    q.load(conn)
}

/// One subscription.
pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WebhookRow>> {
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn).optional()
}

/// Removes a subscription and its deliveries; false when there was none.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    write_transaction(conn, |c| {
        diesel::delete(wd::table.filter(wd::webhook_id.eq(id))).execute(c)?;
        Ok(diesel::delete(webhooks::table.find(id)).execute(c)? > 0)
    })
}

/// Resumes a paused subscription: active, no failures, its oldest pending delivery due now.
pub fn resume(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    write_transaction(conn, |c| {
        let n = diesel::update(webhooks::table.find(id))
            .set((
                webhooks::state.eq("active"),
                webhooks::failures.eq(0),
                webhooks::paused_at.eq(None::<NaiveDateTime>),
            ))
            .execute(c)?;
        diesel::update(wd::table.filter(wd::webhook_id.eq(id).and(wd::state.eq("pending"))))
            .set(wd::next_attempt_at.eq(now))
            .execute(c)?;
        Ok(n > 0)
    })
}

/// Queues a delivery for every event after the subscription's cursor that its scope and kinds allow (at most
/// `limit` a call) and moves the cursor. Returns how many were queued.
pub fn enqueue(conn: &mut DbConnection, id: i64, scope: &Scope, now: NaiveDateTime, limit: i64) -> QueryResult<usize> {
    write_transaction(conn, |c| {
        let Some(WebhookRow { sub: w, .. }) = get(c, id)? else { return Ok(0) };
        let upto = events::last_seq(c)?;
        if upto <= w.cursor {
            return Ok(0);
        }
        let found = events::after(c, w.cursor, limit, scope, &w.kind_list())?;
        let found: Vec<_> = found.into_iter().filter(|e| e.seq <= upto).collect();
        let cursor = if found.len() as i64 >= limit { found.last().map_or(upto, |e| e.seq) } else { upto };
        let rows: Vec<_> = found
            .iter()
            .map(|e| {
                (
                    wd::webhook_id.eq(id),
                    wd::seq.eq(e.seq),
                    wd::kind.eq(e.kind.clone()),
                    wd::state.eq("pending"),
                    wd::attempts.eq(0),
                    wd::next_attempt_at.eq(now),
                    wd::created_at.eq(now),
                )
            })
            .collect();
        // One statement a row: the multi-backend connection has no portable multi-row insert.
        for row in &rows {
            diesel::insert_into(wd::table).values(row.clone()).execute(c)?;
        }
        diesel::update(webhooks::table.find(id)).set(webhooks::cursor.eq(cursor)).execute(c)?;
        Ok(rows.len())
    })
}

/// The oldest pending delivery of a subscription (deliveries go out in cursor order).
pub fn head(conn: &mut DbConnection, id: i64) -> QueryResult<Option<DeliveryRow>> {
    wd::table
        .filter(wd::webhook_id.eq(id).and(wd::state.eq("pending")))
        .order(wd::seq.asc())
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Records a 2xx: the delivery is done and the subscription's failure count restarts.
pub fn delivered(conn: &mut DbConnection, d: &DeliveryRow, status: i32, now: NaiveDateTime) -> QueryResult<()> {
    write_transaction(conn, |c| {
        diesel::update(wd::table.find(d.id))
            .set((
                wd::state.eq("delivered"),
                wd::attempts.eq(d.attempts + 1),
                wd::first_attempt_at.eq(d.first_attempt_at.unwrap_or(now)),
                wd::last_status.eq(Some(status)),
                wd::last_error.eq(None::<String>),
                wd::delivered_at.eq(Some(now)),
            ))
            .execute(c)?;
        diesel::update(webhooks::table.find(d.webhook_id)).set(webhooks::failures.eq(0)).execute(c)?;
        Ok(())
    })
}

/// What a failed attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The next attempt, or `None` when the delivery has run out of time and is marked `failed`.
    pub next: Option<NaiveDateTime>,
    /// Pause the subscription when its consecutive failed attempts reach this.
    pub pause_after: i32,
}

/// Records a failed attempt (an answer other than 2xx, or none). Returns true when the subscription was paused.
pub fn attempt_failed(
    conn: &mut DbConnection,
    d: &DeliveryRow,
    status: Option<i32>,
    error: &str,
    retry: Retry,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |c| {
        diesel::update(wd::table.find(d.id))
            .set((
                wd::state.eq(if retry.next.is_some() { "pending" } else { "failed" }),
                wd::attempts.eq(d.attempts + 1),
                wd::first_attempt_at.eq(d.first_attempt_at.unwrap_or(now)),
                wd::next_attempt_at.eq(retry.next.unwrap_or(now)),
                wd::last_status.eq(status),
                wd::last_error.eq(Some(error.to_owned())),
            ))
            .execute(c)?;
        let failures: i32 = diesel::update(webhooks::table.find(d.webhook_id))
            .set(webhooks::failures.eq(webhooks::failures + 1))
            .returning(webhooks::failures)
            .get_result(c)?;
        let pause = failures >= retry.pause_after;
        if pause {
            diesel::update(webhooks::table.find(d.webhook_id).filter(webhooks::state.eq("active")))
                .set((webhooks::state.eq("paused"), webhooks::paused_at.eq(Some(now))))
                .execute(c)?;
        }
        Ok(pause)
    })
}

/// A subscription's deliveries, newest first, at most `limit`.
pub fn deliveries(conn: &mut DbConnection, id: i64, limit: i64) -> QueryResult<Vec<DeliveryRow>> {
    wd::table
        .filter(wd::webhook_id.eq(id))
        .order(wd::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// Queues a delivery again (pending, due now, a fresh 24 h of retries). False when it is not the subscription's.
pub fn replay(conn: &mut DbConnection, id: i64, delivery: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(wd::table.find(delivery).filter(wd::webhook_id.eq(id)))
        .set((
            wd::state.eq("pending"),
            wd::next_attempt_at.eq(now),
            wd::first_attempt_at.eq(None::<NaiveDateTime>),
            wd::delivered_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n > 0)
}
