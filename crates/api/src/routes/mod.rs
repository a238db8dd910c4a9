//! The routes, one module per resource.

pub mod acceptance_dto;
pub mod acceptances;
pub mod batches;
pub mod enterprises;
pub mod evaluation_revisions;
pub mod evaluations;
pub mod exchange;
pub mod explain;
pub mod figures;
pub mod health;
pub mod prometheus;
pub mod rankings;
pub mod record_dto;
pub mod records;
pub mod reports;
pub mod security_policy;
pub mod session;
pub mod spot_checks;
pub mod spot_dto;
pub mod sso;
pub mod tokens;
pub mod user_dto;
pub mod user_rules;
pub mod users;
pub mod warning_inputs;
pub mod warnings;
