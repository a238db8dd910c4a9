//! The routes, one module per resource.

pub mod acceptance_dto;
pub mod acceptances;
pub mod batches;
pub mod enterprises;
pub mod evaluation_dto;
pub mod evaluation_revisions;
pub mod evaluations;
pub mod exchange;
pub mod figure_dto;
pub mod figures;
pub mod health;
pub mod prometheus;
pub mod rankings;
pub mod reports;
pub mod spot_checks;
pub mod spot_dto;
pub mod tokens;
pub mod warning_item;
pub mod warnings;
