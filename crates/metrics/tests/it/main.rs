//! Hand-computed cases for every rule of `metrics.md`; each comment shows the arithmetic.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

mod aggregate;
mod build;
mod evaluation;
mod figures;
