//! Ingestion: what happens to a batch of records, pushed by an enterprise or pulled from it. Every batch goes the
//! same way: body → records → validation → storage in one transaction with its receipt.

pub mod fetch;
pub mod group;
pub mod photos;
pub mod pull;
pub mod push;
pub mod receipts;
pub mod shared;

pub use pull::{CycleOutcome, CycleReport, PullConfig, Puller};
pub use push::{IncomingBatch, PushError, Source, process, process_values};
pub use shared::Shared;
