//! A bound on glibc's malloc arenas for the long-running commands.
//!
//! glibc gives threads their own arenas (up to 8 per core) and keeps what a thread frees in that thread's arena.
//! `serve` reloads an enterprise's snapshot after its batches arrive, on whichever worker thread answers next, so
//! each arena came to hold the largest reload it had seen: while one enterprise grew by 40,000 check records in
//! 140 s, resident memory rose from 51 to 161 MiB, against 46 to 76 MiB with `MALLOC_ARENA_MAX=2`, at the same push
//! speed (docs/performance.md). The variable is read before `main`, so the process executes itself again once
//! with it set; an operator's own value is kept.

use std::os::unix::process::CommandExt;

/// The variable glibc reads.
const VAR: &str = "MALLOC_ARENA_MAX";

/// Executes this program again with `MALLOC_ARENA_MAX=2` unless the variable is set (then, or when the
/// re-execution fails, it returns and the process goes on as it is).
pub fn bound() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || std::env::var_os(VAR).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    // `exec` returns only when it failed; the same process id is kept, so supervisors and tests see no change.
    let e = std::process::Command::new(exe).args(std::env::args_os().skip(1)).env(VAR, "2").exec();
    eprintln!("注意：无法设置 {VAR} / note: cannot set {VAR} ({e}); going on with glibc's default arenas");
}
