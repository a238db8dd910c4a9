//! The routes, one module per resource.

pub mod enterprises;
pub mod health;
