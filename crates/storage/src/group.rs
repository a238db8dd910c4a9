//! Group commit on SQLite: the batches that arrive while another batch is being written share one transaction, one
//! dedicated connection and one fsync.
//!
//! SQLite has a single writer, so concurrent pushes queue for it anyway. Written one transaction each from pooled
//! connections, every batch pays a commit (an fsync of the WAL), writes every page it touches whole into the WAL,
//! and starts with a cold page cache (in WAL mode a connection drops its cache whenever another connection has
//! written). Here each caller runs its own work on the writer connection inside a savepoint of the open
//! transaction; the last caller of a group (the one that finds nobody else waiting, or the 16th) commits, and every
//! caller whose work succeeded gets its answer only after that commit. A caller whose work fails is rolled back to
//! its savepoint and answered at once; the others are not affected. A failed commit fails the whole group: nothing
//! of it was stored, and each caller gets the commit's error.

use crate::conn::establish;
use crate::{DatabaseUrl, DbConnection, StorageError};
use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};
use diesel::result::Error as QueryError;
use parking_lot::{Condvar, Mutex, MutexGuard};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Tm = <DbConnection as Connection>::TransactionManager;

/// Most callers one transaction carries; the last of them commits even when more are waiting.
pub const MAX_GROUP: usize = 16;

/// The writer connection's page cache, KiB: the id indexes' hot pages stay in memory between batches.
const WRITER_CACHE_KIB: i64 = 32 * 1024;

/// The group-commit writer of one SQLite database (see the module documentation).
pub struct GroupWriter {
    url: DatabaseUrl,
    state: Mutex<State>,
    committed: Condvar,
    arriving: AtomicUsize,
    groups: AtomicU64,
    members: AtomicU64,
    /// Microseconds spent running callers' work, and committing.
    work_us: AtomicU64,
    commit_us: AtomicU64,
}

/// What the writer has done since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupStats {
    /// Transactions committed (or rolled back) by the writer.
    pub groups: u64,
    /// Callers those transactions carried.
    pub members: u64,
    /// Time spent running the callers' work on the writer connection (the writer is busy: nobody else can write).
    pub work: Duration,
    /// Time spent ending groups: committing (the WAL written and synced, and the checkpoints that follow), or rolling
    /// back a group that failed.
    pub commits: Duration,
}

#[derive(Default)]
struct State {
    conn: Option<DbConnection>,
    open: Option<Open>,
    next_group: u64,
    /// Outcomes of committed (or failed) groups, kept until each of their waiting callers has read it.
    outcomes: HashMap<u64, Outcome>,
}

/// The group whose transaction is open.
struct Open {
    group: u64,
    members: usize,
    waiters: usize,
}

struct Outcome {
    result: Result<(), Arc<QueryError>>,
    unread: usize,
}

impl std::fmt::Debug for GroupWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupWriter").field("url", &self.url.redacted()).finish()
    }
}

impl GroupWriter {
    /// A writer for the SQLite database at `url`; its connection is opened at the first write.
    pub fn new(url: DatabaseUrl) -> GroupWriter {
        GroupWriter {
            url,
            state: Mutex::default(),
            committed: Condvar::new(),
            arriving: AtomicUsize::new(0),
            groups: AtomicU64::new(0),
            members: AtomicU64::new(0),
            work_us: AtomicU64::new(0),
            commit_us: AtomicU64::new(0),
        }
    }

    /// Runs `f` in a savepoint of the group's transaction; returns its value once the group has committed, or its
    /// error at once.
    pub fn run<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<QueryError> + From<StorageError>,
    {
        self.arriving.fetch_add(1, Ordering::SeqCst);
        let mut st = self.lock();
        self.arriving.fetch_sub(1, Ordering::SeqCst);
        let group = self.join(&mut st)?;
        let Some(conn) = st.conn.as_mut() else {
            return Err(StorageError::Connect("no writer connection".into()).into());
        };
        let started = Instant::now();
        let out = match catch_unwind(AssertUnwindSafe(|| conn.transaction(f))) {
            Ok(out) => out,
            Err(panic) => {
                if let Err(e) = self.close(&mut st, true) {
                    tracing::error!(error = %e, "a batch panicked; its group was rolled back");
                }
                drop(st);
                resume_unwind(panic);
            }
        };
        add(&self.work_us, started);
        // A savepoint that could not be rolled back leaves the transaction unusable: end the group now.
        let broken =
            st.conn.as_mut().is_none_or(|c| Tm::transaction_manager_status_mut(c).transaction_depth().is_err());
        let last = broken
            || self.arriving.load(Ordering::SeqCst) == 0
            || st.open.as_ref().is_some_and(|o| o.members >= MAX_GROUP);
        let value = match out {
            Ok(value) => value,
            Err(e) => {
                if last {
                    // This caller reports its own error; the group's waiting callers get the commit's outcome.
                    if let Err(e) = self.close(&mut st, broken) {
                        tracing::error!(error = %e, "group commit failed");
                    }
                }
                return Err(e);
            }
        };
        if last {
            return self.close(&mut st, false).map(|()| value).map_err(|e| replicate(&e).into());
        }
        if let Some(open) = st.open.as_mut() {
            open.waiters += 1;
        }
        loop {
            if let Some(outcome) = st.outcomes.get_mut(&group) {
                outcome.unread -= 1;
                let result = outcome.result.clone();
                if outcome.unread == 0 {
                    st.outcomes.remove(&group);
                }
                return result.map(|()| value).map_err(|e| replicate(&e).into());
            }
            self.committed.wait(&mut st);
        }
    }

    /// Callers waiting for the writer now (to join the open group or start the next one).
    pub fn queued(&self) -> usize {
        self.arriving.load(Ordering::SeqCst)
    }

    /// Groups and callers so far.
    pub fn stats(&self) -> GroupStats {
        let time = |us: &AtomicU64| Duration::from_micros(us.load(Ordering::Relaxed));
        GroupStats {
            groups: self.groups.load(Ordering::Relaxed),
            members: self.members.load(Ordering::Relaxed),
            work: time(&self.work_us),
            commits: time(&self.commit_us),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock()
    }

    /// Joins the open group, or opens one (connecting first when needed); returns the group's number.
    fn join(&self, st: &mut State) -> Result<u64, StorageError> {
        if st.open.is_none() {
            if st.conn.is_none() {
                let mut conn = establish(&self.url)?;
                // Savepoints copy each page they first change into a sub-journal: keep it in memory.
                conn.batch_execute(&format!("PRAGMA cache_size = -{WRITER_CACHE_KIB}; PRAGMA temp_store = MEMORY"))?;
                st.conn = Some(conn);
            }
            let Some(DbConnection::Sqlite(c)) = st.conn.as_mut() else {
                return Err(StorageError::Connect("the group writer is for SQLite only".into()));
            };
            if let Err(e) = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
                st.conn = None;
                return Err(e.into());
            }
            st.open = Some(Open { group: st.next_group, members: 0, waiters: 0 });
            st.next_group += 1;
        }
        let open = st.open.as_mut().ok_or_else(|| StorageError::Connect("no open group".into()))?;
        open.members += 1;
        Ok(open.group)
    }

    /// Ends the open group: commits it (or rolls it back when `abort`), records the outcome for its waiting
    /// callers and wakes them. A connection left broken is dropped; the next write opens a new one.
    fn close(&self, st: &mut State, abort: bool) -> Result<(), Arc<QueryError>> {
        let Some(open) = st.open.take() else { return Ok(()) };
        self.groups.fetch_add(1, Ordering::Relaxed);
        self.members.fetch_add(open.members as u64, Ordering::Relaxed);
        let started = Instant::now();
        let result = match st.conn.as_mut() {
            None => Err(QueryError::BrokenTransactionManager),
            Some(conn) if abort => Tm::rollback_transaction(conn).and(Err(QueryError::RollbackTransaction)),
            // A failed COMMIT is rolled back by diesel's transaction manager.
            Some(conn) => Tm::commit_transaction(conn),
        };
        add(&self.commit_us, started);
        if st.conn.as_mut().is_some_and(|c| Tm::is_broken_transaction_manager(c) || result.is_err()) {
            st.conn = None;
        }
        let result = result.map_err(Arc::new);
        if open.waiters > 0 {
            st.outcomes.insert(open.group, Outcome { result: result.clone(), unread: open.waiters });
            self.committed.notify_all();
        }
        result
    }
}

/// Adds the time since `started` to a counter of microseconds.
fn add(counter: &AtomicU64, started: Instant) {
    counter.fetch_add(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
}

/// A copy of a commit's error for each caller of the group: the same kind and message, so that
/// [`StorageError::code`] classifies it the same (a full disk, a read-only file).
fn replicate(e: &QueryError) -> QueryError {
    match e {
        QueryError::DatabaseError(kind, info) => QueryError::DatabaseError(*kind, Box::new(info.message().to_owned())),
        QueryError::RollbackErrorOnCommit { rollback_error, commit_error } => QueryError::RollbackErrorOnCommit {
            rollback_error: Box::new(replicate(rollback_error)),
            commit_error: Box::new(replicate(commit_error)),
        },
        QueryError::BrokenTransactionManager => QueryError::BrokenTransactionManager,
        QueryError::RollbackTransaction => QueryError::RollbackTransaction,
        other => QueryError::QueryBuilderError(other.to_string().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::replicate;
    use crate::StorageError;
    use diesel::result::{DatabaseErrorKind, Error};

    /// Each caller of a failed group gets an error its code classifies as the commit's own was.
    #[test]
    fn a_replicated_commit_error_keeps_its_code() {
        let full = || Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database or disk is full".to_owned()));
        let read_only = Error::DatabaseError(
            DatabaseErrorKind::ReadOnlyTransaction,
            Box::new("cannot execute INSERT in a read-only transaction".to_owned()),
        );
        let both = Error::RollbackErrorOnCommit {
            rollback_error: Box::new(Error::BrokenTransactionManager),
            commit_error: Box::new(full()),
        };
        for (e, code) in [(full(), "disk_full"), (read_only, "database_read_only"), (both, "disk_full")] {
            let copy = replicate(&e);
            assert_eq!(StorageError::Query(e).code(), code);
            assert_eq!(StorageError::Query(copy).code(), code);
        }
    }
}
