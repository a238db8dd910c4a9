//! Upgrades: a database of the previous release (migrated up to `migrations/RELEASED`) holding production-like
//! data is upgraded by `dualprev migrate`; every row stays as it was, the new tables come, and the platform works
//! on it (figures, audit chain). Migrations after the release are additive only (forward-only in production).

use crate::ops_data::{digests, fill_previous_release};
use crate::{dualprev, stdout};
use serde_json::Value;

fn upgrade(t: &testkit::TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let db = storage::Db::open(&t.url).unwrap();
    let released = storage::upgrade::released();
    let all = db.with(|c| storage::upgrade::names(c)).unwrap();
    let applied = db.with(|c| storage::upgrade::migrate_until(c, released)).unwrap();
    assert_eq!(applied.last().map(String::as_str), Some(released));
    assert!(applied.len() < all.len(), "the release under test adds migrations ({released} is not the newest)");
    assert!(!db.is_ready(), "migrations of this release are pending");
    drop(db);
    let period = fill_previous_release(&t.url);
    let before = digests(&t.url);
    assert!(before.iter().all(|d| d.rows > 0), "every table of the previous release has rows: {before:?}");

    let old_tables = storage::copy::tables(&mut storage::Db::open(&t.url).unwrap().conn().unwrap()).unwrap();

    let out = dualprev(dir.path(), &["migrate", "--database", &t.url], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Every row as it was, in the columns the previous release had (a later one may add columns at the end, with
    // their defaults: migration 000017 to `enterprises`).
    let upgraded = storage::Db::open(&t.url).unwrap();
    let mut conn = upgraded.conn().unwrap();
    for (table, d) in old_tables.iter().zip(&before) {
        assert_eq!(storage::copy::digest(&mut conn, table).unwrap(), *d, "{} is unchanged by the upgrade", d.table);
    }
    drop(conn);
    let after = digests(&t.url);
    assert!(after.len() > before.len(), "the new tables exist");
    assert!(storage::Db::open(&t.url).unwrap().is_ready());

    // The platform works on the upgraded data.
    let verify = dualprev(dir.path(), &["audit", "verify", "--database", &t.url], &[]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    let out = dualprev(
        dir.path(),
        &["metrics", "--period", &period, "--by", "province", "--format", "json", "--database", &t.url],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let text = figures.to_string();
    assert!(text.contains("\"den\":") && !text.contains("\"rows\":[]"), "{text}");
    let revoked = dualprev(dir.path(), &["token", "revoke", "abc123", "--database", &t.url], &[]);
    assert!(
        revoked.status.success(),
        "a table of the new release is usable: {}",
        String::from_utf8_lossy(&revoked.stderr)
    );
}

#[test]
fn upgrade_keeps_the_data_on_sqlite() {
    upgrade(&testkit::TestDb::sqlite());
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn upgrade_keeps_the_data_on_postgres() {
    upgrade(&testkit::TestDb::postgres());
}

/// Migrations newer than the release only add: no DROP, RENAME, TRUNCATE or DELETE, so an upgrade loses nothing
/// and the previous release's binary can still read every table it knew. Three forms are allowed, as they lose
/// nothing either: `DROP INDEX` (an index holds no data), a new primary key (`ALTER TABLE t DROP CONSTRAINT t_pkey,
/// ADD PRIMARY KEY (…)`, one statement, PostgreSQL), and the rebuild of a table `t` (a new layout or key) in
/// one migration that copies every row of `t` into `t_rebuilt` (`INSERT INTO t_rebuilt … SELECT … FROM t;`, perhaps
/// with ORDER BY, never WHERE), drops `t` and renames `t_rebuilt` to `t`; the upgrade test then checks every row is
/// as it was.
#[test]
fn newer_migrations_are_additive() {
    let released = storage::upgrade::released();
    for backend in ["sqlite", "postgres"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend);
        let mut names: Vec<String> =
            std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert!(names.iter().any(|n| n == released), "{released} exists in migrations/{backend}");
        for name in names.iter().filter(|n| n.as_str() > released) {
            let up = std::fs::read_to_string(root.join(name).join("up.sql")).unwrap().to_uppercase();
            // `ON DELETE CASCADE` in a new table's foreign key deletes nothing that exists.
            let code: String = up
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .replace("ON DELETE", "ON_REMOVAL")
                .replace("DROP INDEX ", "REMOVE_INDEX ");
            let code = allow_rebuilds(&allow_moves(&code), &format!("migrations/{backend}/{name}/up.sql"));
            for word in ["DROP ", "RENAME ", "TRUNCATE ", "DELETE "] {
                assert!(!code.contains(word), "migrations/{backend}/{name}/up.sql contains {word}");
            }
        }
    }
}

/// `code` with each complete table rebuild (see [`newer_migrations_are_additive`]) taken out, so that its `DROP
/// TABLE` and `RENAME` are not counted; a partial one (no full copy) is left in, and fails the check.
fn allow_rebuilds(code: &str, file: &str) -> String {
    let statements: Vec<String> = code.split(';').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let mut kept = Vec::new();
    for s in &statements {
        let rebuilt = s.strip_prefix("DROP TABLE ").filter(|t| {
            let copied = statements.iter().any(|x| copies_every_row(x, t));
            let renamed = statements.contains(&format!("ALTER TABLE {t}_REBUILT RENAME TO {t}"));
            copied && renamed
        });
        match rebuilt {
            Some(t) => eprintln!("{file}: the rebuild of {t} is allowed (every row copied)"),
            None if s.starts_with("ALTER TABLE ") && s.contains("_REBUILT RENAME TO ") => {}
            None if is_new_primary_key(s) => {}
            None => kept.push(s.as_str()),
        }
    }
    kept.join(";\n")
}

/// `code` with each move of rows taken out: `WITH GONE AS (DELETE FROM … RETURNING *) … INSERT INTO … SELECT * FROM
/// GONE` deletes rows only to insert every one of them elsewhere (migration 000019's function moves rows from a
/// default partition into a new month's). A delete not so followed is left in, and fails the check.
fn allow_moves(code: &str) -> String {
    const START: &str = "WITH GONE AS (DELETE FROM ";
    const END: &str = "SELECT * FROM GONE";
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let moved = tail.find(END).map(|end| &tail[..end + END.len()]).filter(|m| {
            let after = m.split_once("RETURNING *)").map(|(_, a)| a).unwrap_or("");
            let then = tail[m.len()..].trim_start();
            let whole = !then.starts_with("WHERE") && !then.starts_with("LIMIT");
            whole && !after.contains("WHERE") && !after.contains("DELETE") && after.contains("INSERT INTO ")
        });
        match moved {
            Some(m) => {
                out.push_str("WITH GONE AS (MOVE_ROWS_FROM ");
                out.push_str(&m[START.len()..]);
                rest = &tail[m.len()..];
            }
            None => {
                out.push_str(START);
                rest = &tail[START.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `INSERT INTO t_REBUILT (…) SELECT … FROM t`, optionally followed by `ORDER BY` and column names only: no WHERE,
/// LIMIT, GROUP BY or DISTINCT, nothing that could leave a row out.
fn copies_every_row(statement: &str, t: &str) -> bool {
    let Some(select) = statement.strip_prefix(&format!("INSERT INTO {t}_REBUILT (")) else { return false };
    let Some((columns, rest)) = select.split_once(&format!(" FROM {t}")) else { return false };
    let order = match rest.strip_prefix(" ORDER BY ") {
        Some(order) => order,
        None if rest.is_empty() => "",
        None => return false,
    };
    let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ',' || c == ' ');
    !columns.contains(" DISTINCT ") && plain(order) && !order.contains(" LIMIT") && !order.starts_with("LIMIT")
}

/// `ALTER TABLE t DROP CONSTRAINT t_PKEY, ADD PRIMARY KEY (…)`: the key is replaced in one statement.
fn is_new_primary_key(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("ALTER TABLE ") else { return false };
    let Some((table, rest)) = rest.split_once(' ') else { return false };
    rest.starts_with(&format!("DROP CONSTRAINT {table}_PKEY, ADD PRIMARY KEY ("))
}

/// The rule's exceptions are exact: a copy with WHERE, or a DROP without the copy and rename, stays forbidden.
#[test]
fn only_a_full_copy_makes_a_rebuild() {
    let full = "CREATE TABLE T_REBUILT (A TEXT);\nINSERT INTO T_REBUILT (A) SELECT A FROM T ORDER BY A;\nDROP TABLE T;\n\
                ALTER TABLE T_REBUILT RENAME TO T;";
    assert!(!allow_rebuilds(full, "full").contains("DROP "));
    for partial in
        ["FROM T WHERE A > 'x'", "FROM T ORDER BY A LIMIT 10", "FROM T GROUP BY A", "FROM T ORDER BY A DESC LIMIT 1"]
    {
        let code = full.replace("FROM T ORDER BY A", partial);
        assert!(allow_rebuilds(&code, partial).contains("DROP TABLE T"), "{partial}");
    }
    let distinct = full.replace("SELECT A", "SELECT DISTINCT A");
    assert!(allow_rebuilds(&distinct, "distinct").contains("DROP TABLE T"));
    let unordered = full.replace(" ORDER BY A", "");
    assert!(!allow_rebuilds(&unordered, "unordered").contains("DROP "));
    let no_rename = full.replace("ALTER TABLE T_REBUILT RENAME TO T;", "");
    assert!(allow_rebuilds(&no_rename, "no rename").contains("DROP TABLE T"));
    assert!(is_new_primary_key("ALTER TABLE T DROP CONSTRAINT T_PKEY, ADD PRIMARY KEY (A)"));
    let moved = "WITH GONE AS (DELETE FROM %I WHERE A < 1 RETURNING *) ' 'INSERT INTO %I SELECT * FROM GONE";
    assert!(!allow_moves(moved).contains("DELETE "), "a move is allowed");
    let dropped = "WITH GONE AS (DELETE FROM %I WHERE A < 1 RETURNING *) SELECT count(*) FROM GONE";
    assert!(allow_moves(dropped).contains("DELETE "), "a delete whose rows are not inserted stays forbidden");
    let filtered = "WITH GONE AS (DELETE FROM T RETURNING *) INSERT INTO U SELECT * FROM GONE WHERE A > 1";
    assert!(allow_moves(filtered).contains("DELETE "), "a move that leaves rows out stays forbidden");
    assert!(!is_new_primary_key("ALTER TABLE T DROP CONSTRAINT T_A_FKEY"));
}
