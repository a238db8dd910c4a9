//! `dualprev bench`: speed figures printed by a command anyone can run (build with `--release` for real figures).

pub mod api;
pub mod bare;
pub mod data;
pub mod figures;
pub mod incremental;
pub mod polars_full;
pub mod pull;
pub mod push;
pub mod rehash;
pub mod signin;
pub mod validate;

/// Prints one figure line: what, value, unit, and the goal it is measured against.
pub fn figure(what: &str, value: f64, unit: &str, goal: &str) {
    if value < 100.0 {
        println!("{what:<48} {value:>14.3} {unit:<12} {goal}");
    } else {
        println!("{what:<48} {value:>14.0} {unit:<12} {goal}");
    }
}
