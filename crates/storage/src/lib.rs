//! Storage of dualprev with diesel: SQLite (bundled, WAL) as the embedded default and PostgreSQL for production,
//! selected by the URL scheme. Migrations for both backends are embedded and applied at start.
//!
//! Functions here are synchronous (diesel 2.3); async callers run them on a blocking thread.

pub mod acceptance;
pub mod account_admin;
pub mod accounts;
pub mod audit;
mod backend;
pub mod backup;
pub mod batches;
pub mod bulk;
pub mod checkpoints;
pub mod conn;
pub mod content;
pub mod copy;
pub mod error;
pub mod evaluations;
pub mod event_marks;
pub mod events;
pub mod group;
pub mod handling;
pub mod heads;
pub mod held;
pub mod history;
pub mod intake;
pub mod introspect;
pub mod job_runs;
pub mod leader;
pub mod lock;
pub mod months;
pub mod partitions;
pub mod passwords;
pub mod pending;
pub mod pull_claims;
pub mod pull_state;
pub mod push_groups;
pub mod rebuild;
pub mod record_attachments;
pub mod record_page;
pub mod records;
pub mod registry;
pub mod registry_import;
pub mod rehash;
pub mod reports;
pub mod revocations;
pub mod security_policy;
pub mod sessions;
pub mod sign_in;
#[rustfmt::skip]
/// The diesel tables, generated from the migrated SQLite schema (see [`introspect::render_schema`]).
pub mod schema;
pub mod snapshot;
pub mod spot_checks;
pub mod stored;
pub mod tx;
pub mod upgrade;
pub mod url;
pub mod versions;
pub mod webhooks;

pub use conn::{Conn, Db, DbConnection, PoolState};
/// The error of a single query, as diesel reports it.
pub use diesel::result::Error as QueryError;
pub use error::{Condition, Result, StorageError};
pub use url::DatabaseUrl;
