//! The background writer of the audit trail. Requests hand their row to an [`AuditSink`] (a bounded channel) and
//! go on; a writer on a thread of its own collects rows into batches (up to [`BATCH`] rows or [`INTERVAL`] after
//! the first row of a batch) and appends each batch in one transaction on a blocking thread.
//!
//! Rows are never dropped to keep up: when the channel holds [`CAPACITY`] rows, [`AuditSink::record`] waits for
//! room (backpressure), so requests slow down instead of going unrecorded. When a batch cannot be written (the
//! database is down) the writer keeps it and retries with a growing pause, and the channel fills up behind it.

use super::AuditError;
use std::time::Duration;
use storage::Db;
use storage::audit::NewAuditRow;
use tokio::sync::{mpsc, oneshot};

/// Rows the channel holds before senders wait.
pub const CAPACITY: usize = 10_000;
/// The most rows appended in one transaction.
pub const BATCH: usize = 500;
/// How long the first row of a batch waits for others before the batch is written.
pub const INTERVAL: Duration = Duration::from_millis(200);
/// Attempts at the last batch once every sender is gone (at shutdown).
const FINAL_ATTEMPTS: u32 = 3;

enum Msg {
    Row(Box<NewAuditRow>),
    Flush(oneshot::Sender<()>),
}

/// The handle requests record through; cheap to clone.
#[derive(Clone)]
pub struct AuditSink {
    tx: mpsc::Sender<Msg>,
}

impl std::fmt::Debug for AuditSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSink").field("queued", &self.queued()).finish()
    }
}

impl AuditSink {
    /// Starts the writer over a database on a thread of its own (with its own small runtime), so that it needs no
    /// runtime from the caller and outlives any actix worker. It stops when every sink is dropped, after writing
    /// what is queued.
    pub fn start(db: Db) -> AuditSink {
        AuditSink::start_with_capacity(db, CAPACITY)
    }

    /// [`AuditSink::start`] with a channel of another size (at least 1).
    pub fn start_with_capacity(db: Db, capacity: usize) -> AuditSink {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let spawned = std::thread::Builder::new().name("dualprev-audit".into()).spawn(move || {
            match tokio::runtime::Builder::new_current_thread().enable_time().build() {
                Ok(rt) => rt.block_on(run(db, rx)),
                Err(e) => tracing::error!(error = %e, "the audit writer cannot start its runtime"),
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "the audit writer cannot start");
        }
        AuditSink { tx }
    }

    /// Rows queued and not yet taken by the writer.
    pub fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    /// Queues a row; waits while the queue is full (backpressure), never drops it.
    pub async fn record(&self, row: NewAuditRow) -> Result<(), AuditError> {
        self.tx.send(Msg::Row(Box::new(row))).await.map_err(|_| AuditError::WriterGone)
    }

    /// Returns once every row queued before the call is stored.
    pub async fn flush(&self) -> Result<(), AuditError> {
        let (ack, done) = oneshot::channel();
        self.tx.send(Msg::Flush(ack)).await.map_err(|_| AuditError::WriterGone)?;
        done.await.map_err(|_| AuditError::WriterGone)
    }
}

/// The writer loop.
async fn run(db: Db, mut rx: mpsc::Receiver<Msg>) {
    let mut pending: Vec<NewAuditRow> = Vec::new();
    let mut deadline = tokio::time::Instant::now();
    loop {
        let msg = if pending.is_empty() {
            rx.recv().await
        } else {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(msg) => msg,
                Err(_) => {
                    write(&db, &mut pending, false).await;
                    continue;
                }
            }
        };
        match msg {
            Some(Msg::Row(row)) => {
                if pending.is_empty() {
                    deadline = tokio::time::Instant::now() + INTERVAL;
                }
                pending.push(*row);
                if pending.len() >= BATCH {
                    write(&db, &mut pending, false).await;
                }
            }
            Some(Msg::Flush(ack)) => {
                write(&db, &mut pending, false).await;
                // The flusher may have stopped waiting; nothing to do then.
                let _ = ack.send(());
            }
            None => {
                write(&db, &mut pending, true).await;
                return;
            }
        }
    }
}

/// Appends the pending rows in one transaction, retrying until it succeeds (or, when `closing`, a few times).
async fn write(db: &Db, pending: &mut Vec<NewAuditRow>, closing: bool) {
    let mut pause = Duration::from_millis(250);
    let mut attempt = 0_u32;
    while !pending.is_empty() {
        attempt += 1;
        let rows = std::mem::take(pending);
        let db = db.clone();
        let done = tokio::task::spawn_blocking(move || {
            let r = db.with(|c| storage::audit::append(c, &rows));
            (rows, r)
        })
        .await;
        let err = match done {
            Ok((_, Ok(()))) => return,
            Ok((rows, Err(e))) => {
                *pending = rows;
                e.to_string()
            }
            Err(e) => e.to_string(),
        };
        if pending.is_empty() {
            tracing::error!(error = %err, "the audit writer's blocking task failed; its rows are lost");
            return;
        }
        if closing && attempt >= FINAL_ATTEMPTS {
            tracing::error!(error = %err, rows = pending.len(), "audit rows could not be stored at shutdown");
            return;
        }
        tracing::error!(error = %err, rows = pending.len(), attempt, "audit rows not stored yet; retrying");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}
