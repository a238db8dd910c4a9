//! End-to-end tests of the `dualprev` binary: each runs the real executable against a real database.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

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

/// Spawns `cmd` with standard output discarded and standard error piped: every line of it arrives on the receiver.
/// The reading thread drains the pipe until the child ends, whether or not anyone still listens.
pub fn spawn_logged(cmd: &mut Command) -> (Child, mpsc::Receiver<String>) {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// Waits (at most 90 s) for the log line announcing the listening address (`addr=…`); returns the base URL.
pub fn announced(lines: &mpsc::Receiver<String>) -> String {
    loop {
        let line = lines.recv_timeout(Duration::from_secs(90)).expect("the server announces its address");
        if let Some(addr) = line.split("addr=").nth(1) {
            return format!("http://{}", addr.split_whitespace().next().unwrap_or(""));
        }
    }
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
