//! `serve` bounds glibc's malloc arenas (`crates/dualprev/src/arenas.rs`): it executes itself again with
//! `MALLOC_ARENA_MAX=2`, keeping its process id, unless the operator set the variable.

use crate::harness::{self, Serve};

/// The value of `var` in the environment of process `pid`.
fn env_of(pid: u32, var: &str) -> Option<String> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    environ.split(|b| *b == 0).filter_map(|kv| std::str::from_utf8(kv).ok()).find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == var).then(|| v.to_owned())
    })
}

#[test]
fn serve_bounds_malloc_arenas_and_keeps_an_operators_value() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("arenas.db").display());
    // The test's own environment may carry the variable; then that value is the operator's and must be kept.
    let expected = std::env::var("MALLOC_ARENA_MAX").unwrap_or_else(|_| "2".into());
    let server = Serve::start(dir.path(), &db, &[]);
    let res = harness::http().get(format!("{}/healthz", server.base)).send().unwrap();
    assert_eq!(res.status(), 200, "the re-executed server answers");
    assert_eq!(env_of(server.child.id(), "MALLOC_ARENA_MAX").as_deref(), Some(expected.as_str()));
    drop(server);

    let server = Serve::start(dir.path(), &db, &[("MALLOC_ARENA_MAX", "4")]);
    assert_eq!(env_of(server.child.id(), "MALLOC_ARENA_MAX").as_deref(), Some("4"), "the operator's value");
}
