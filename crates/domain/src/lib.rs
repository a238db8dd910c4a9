//! Domain types of dualprev: enterprises and their registry attributes, cities (GB/T 2260), construction batches,
//! the exchange tables with their enumerations and Chinese labels, and the periods of `metrics.md`.
//!
//! This crate does no I/O. Constructors parse raw values and reject bad ones with a typed [`DomainError`], so that a
//! value of one of these types is valid by construction ("parse, don't validate").

pub mod account;
pub mod batch;
pub mod calendar;
pub mod check_fold;
pub mod checkpoint;
pub mod checks;
pub mod city;
pub mod client;
pub mod clock;
pub mod code;
pub mod company;
pub mod connection;
mod csv_text;
pub mod enterprise;
pub mod enums;
pub mod error;
pub mod handling;
pub mod history;
pub mod ids;
pub mod month_parts;
pub mod months;
mod newtype;
pub mod period;
pub mod photos;
pub mod records;
pub mod registry;
pub mod sample;
pub mod security_policy;
pub mod snapshot;
pub mod table;
pub mod time;

pub use batch::ConstructionBatch;
pub use city::City;
pub use clock::Clock;
pub use code::Code;
pub use company::{CompanyCode, CreditCode};
pub use enterprise::{Enterprise, EnterpriseFlag};
pub use error::DomainError;
pub use ids::{BatchId, RecordId};
pub use period::Period;
pub use table::ExchangeTable;
