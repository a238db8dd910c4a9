//! End-to-end tests of the `dualprev` binary: each runs the real executable against a real database.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with arguments in a folder, with a clean `DUALPREV_` environment plus `env`.
pub fn dualprev(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    cmd.args(args).current_dir(dir);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("DUALPREV_")) {
        cmd.env_remove(k);
    }
    testkit::pin_child(&mut cmd).envs(env.iter().copied());
    cmd.output().unwrap()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

mod architecture;
mod arenas;
mod backup;
mod cli;
mod deploy;
mod durability;
mod faults;
mod faults_pg;
mod harness;
mod logs;
mod migrate_data;
mod ops_data;
mod pull_kill;
mod soak;
mod upgrade;
mod users;
mod validate;
mod workers;
