//! The figures of `metrics.md`: task instances, and (later) completion and rectification rates, weekly evaluation
//! and rankings. Pure computation over values of the `domain` crate; no I/O.

pub mod aggregate;
pub mod chain;
pub mod dangers;
pub mod enterprise;
pub mod evaluation;
pub mod figure;
pub mod instances;
pub mod quality;
pub mod ranking;
