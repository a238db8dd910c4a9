//! `dualprev bench`: speed figures printed by a command anyone can run (build with `--release` for real figures).

pub mod api;
pub mod bare;
pub mod catch_up;
pub mod data;
pub mod figures;
pub mod handling;
pub mod incremental;
pub mod photos;
pub mod polars_full;
pub mod pull;
pub mod push;
pub mod rehash;
pub mod restart;
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

/// Awaits load tasks that each return their request times (seconds); returns every time, sorted.
pub async fn gather(tasks: Vec<tokio::task::JoinHandle<anyhow::Result<Vec<f64>>>>) -> anyhow::Result<Vec<f64>> {
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort_by(f64::total_cmp);
    Ok(all)
}

/// The `q` quantile of sorted times (0 when there are none).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(i).copied().unwrap_or(0.0)
}
