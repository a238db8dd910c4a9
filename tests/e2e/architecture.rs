//! The invariants of `docs/architecture.md`, checked from `cargo metadata` and the sources: a statement there that
//! stops being true fails here.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The workspace root.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Each workspace crate with the names of its normal (not dev, not build) dependencies.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .collect();
            (p["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

/// The workspace crates each crate may use (the diagram of `docs/architecture.md`: dependencies flow one way).
const LAYERS: [(&str, &[&str]); 10] = [
    ("domain", &[]),
    ("officedoc", &[]),
    ("exchange", &["domain"]),
    ("storage", &["domain"]),
    ("metrics", &["domain"]),
    ("sim", &["domain", "exchange"]),
    ("ingest", &["domain", "exchange", "storage"]),
    ("report", &["domain", "metrics", "storage", "officedoc"]),
    ("api", &["domain", "exchange", "storage", "metrics", "ingest", "report"]),
    ("dualprev", &["domain", "exchange", "storage", "metrics", "ingest", "report", "api", "sim"]),
];

#[test]
fn dependencies_flow_one_way() {
    let deps = dependencies();
    let ours: BTreeSet<&str> = LAYERS.iter().map(|(c, _)| *c).chain(["testkit"]).collect();
    for (krate, allowed) in LAYERS {
        let used = deps.get(krate).unwrap_or_else(|| panic!("{krate} is not in the workspace"));
        for d in used.iter().filter(|d| ours.contains(d.as_str())) {
            assert!(allowed.contains(&d.as_str()), "{krate} depends on {d}, against the layering");
        }
    }
}

#[test]
fn api_sees_no_diesel_row_and_no_polars_frame() {
    let deps = dependencies();
    for banned in ["diesel", "polars"] {
        assert!(!deps["api"].contains(banned), "api depends on {banned}");
    }
    for krate in ["domain", "exchange", "metrics"] {
        assert!(!deps[krate].contains("diesel"), "{krate} depends on diesel");
    }
    // The binary links both for `dualprev bench` alone, which compares the figures with plain SQL and polars.
    for (file, text) in sources(&root().join("crates/dualprev/src")) {
        if !file.contains("/commands/bench/") {
            for banned in ["diesel::", "polars::"] {
                assert!(!text.contains(banned), "{file} uses {banned} outside the bench");
            }
        }
    }
}

/// Every `.rs` file below a folder, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

#[test]
fn domain_does_no_io() {
    let deps = dependencies();
    for banned in ["tokio", "reqwest", "diesel", "actix-web", "polars"] {
        assert!(!deps["domain"].contains(banned), "domain depends on {banned}");
    }
    for (file, text) in sources(&root().join("crates/domain/src")) {
        for io in ["std::fs", "std::net", "std::process", "File::open", "std::io::stdin"] {
            assert!(!text.contains(io), "{file} does I/O ({io})");
        }
    }
}

#[test]
fn figures_are_computed_outside_the_routes() {
    // The jobs, the change detector and the CLI call the figures service (`report::service`) through
    // `api::figures`; none imports a route module, and no route loads snapshots itself.
    for dir in ["crates/api/src/changes", "crates/api/src/webhooks", "crates/dualprev/src"] {
        for (file, text) in sources(&root().join(dir)) {
            assert!(!text.contains("routes::"), "{file} imports a route module");
        }
    }
    let jobs = std::fs::read_to_string(root().join("crates/api/src/jobs.rs")).unwrap();
    assert!(!jobs.contains("routes::"), "api/src/jobs.rs imports a route module");
    for (file, text) in sources(&root().join("crates/api/src/routes")) {
        for load in ["Known::load", "snapshot::load", "SnapshotCache", "pull_state::all", "reject_totals"] {
            assert!(!text.contains(load), "{file} loads figure inputs itself ({load})");
        }
    }
}

#[test]
fn error_codes_come_from_the_registry() {
    // Codes are `domain::Code` values: no error type returns a bare string code, and no route compares codes as text.
    for crate_dir in ["domain", "exchange", "storage", "metrics", "ingest", "report", "api"] {
        for (file, text) in sources(&root().join("crates").join(crate_dir).join("src")) {
            assert!(!text.contains("fn code(&self) -> &'static str"), "{file} has a string error code");
            assert!(!text.contains("code() == \""), "{file} compares an error code as text");
        }
    }
}
