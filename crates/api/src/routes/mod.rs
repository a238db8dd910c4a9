//! The routes, one module per resource.

pub mod enterprises;
pub mod exchange;
pub mod health;
