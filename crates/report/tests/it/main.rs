//! Report tests on data pulled from the simulator into a real database.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

mod cache;
mod handling_figures;
mod history;
mod long_tasks;
