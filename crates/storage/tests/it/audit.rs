//! The audit trail: appended with a hash chain, listed with filters and pages, and verified; an edited, deleted or
//! reordered row is found by `verify`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::RunQueryDsl;
use storage::Db;
use storage::audit::{self, AuditFilter, GENESIS, NewAuditRow};

both_backends!(append_list_and_verify, edited_row_is_found, deleted_row_is_found, reordered_row_is_found);

fn at(minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_nano_opt(1, minute, 3, 123_456_789).unwrap()
}

fn minute(m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(1, m, 0).unwrap()
}

fn row(actor: &str, role: Option<&str>, outcome: &str, status: i32, minute: u32) -> NewAuditRow {
    NewAuditRow {
        at: at(minute),
        actor: actor.to_owned(),
        role: role.map(str::to_owned),
        scope: (role == Some("city")).then(|| "140100".to_owned()),
        method: "GET".into(),
        route: "/api/v1/enterprises/{code}".into(),
        path: "/api/v1/enterprises/140100001".into(),
        query: "a=1".into(),
        status,
        outcome: outcome.to_owned(),
        detail: Some(r#"{"n":1}"#.into()),
        client: Some("127.0.0.1".into()),
    }
}

/// Six rows in two appends: province ok, city denied, anonymous unauthorized, …
fn fill(db: &Db) {
    let mut c = db.conn().unwrap();
    audit::append(
        &mut c,
        &[
            row("province", Some("province"), "ok", 200, 1),
            row("city:140100", Some("city"), "denied", 403, 2),
            row("-", None, "unauthorized", 401, 3),
        ],
    )
    .unwrap();
    audit::append(&mut c, &[]).unwrap();
    audit::append(
        &mut c,
        &[
            row("province", Some("province"), "ok", 200, 4),
            row("city:140100", Some("city"), "ok", 200, 5),
            row("enterprise:140100001", Some("enterprise"), "rejected", 422, 6),
        ],
    )
    .unwrap();
}

fn append_list_and_verify(db: &Db) {
    fill(db);
    let mut c = db.conn().unwrap();
    let all = audit::list(&mut c, &AuditFilter::default(), None, 100).unwrap();
    assert_eq!(all.next, None);
    assert_eq!(all.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(all.rows[0].prev_hash, GENESIS);
    assert_eq!(all.rows[3].prev_hash, all.rows[2].hash, "the second append continues the chain");
    assert_eq!(all.rows[0].at, at(1) - chrono::TimeDelta::nanoseconds(789), "kept to the microsecond");
    assert_eq!(all.rows[2].role, None);
    assert_eq!(all.rows[1].scope.as_deref(), Some("140100"));

    let seqs = |f: AuditFilter| -> Vec<i64> {
        let mut c = db.conn().unwrap();
        audit::list(&mut c, &f, None, 100).unwrap().rows.iter().map(|r| r.seq).collect()
    };
    assert_eq!(seqs(AuditFilter { actor: Some("province".into()), ..Default::default() }), vec![1, 4]);
    assert_eq!(seqs(AuditFilter { role: Some("city".into()), ..Default::default() }), vec![2, 5]);
    assert_eq!(seqs(AuditFilter { outcome: Some("denied".into()), ..Default::default() }), vec![2]);
    assert_eq!(seqs(AuditFilter { since: Some(minute(3)), until: Some(minute(5)), ..Default::default() }), vec![3, 4]);
    assert_eq!(seqs(AuditFilter { route_prefix: Some("/api/v1/enterprises".into()), ..Default::default() }).len(), 6);
    assert!(seqs(AuditFilter { route_prefix: Some("/api/v1/enterprises_".into()), ..Default::default() }).is_empty());

    let first = audit::list(&mut c, &AuditFilter::default(), None, 4).unwrap();
    assert_eq!(first.next, Some(4));
    let second = audit::list(&mut c, &AuditFilter::default(), first.next, 4).unwrap();
    assert_eq!(second.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![5, 6]);
    assert_eq!(second.next, None);

    for batch in [1, 2, 5, 1000] {
        let report = audit::verify_in_batches(&mut c, batch).unwrap();
        assert_eq!((report.rows, report.first_bad), (6, None), "batch {batch}");
        assert!(report.ok());
    }
}

fn run(db: &Db, sql: &str) {
    db.with(|c| Ok(diesel::sql_query(sql).execute(c)?)).unwrap();
}

fn edited_row_is_found(db: &Db) {
    fill(db);
    run(db, r#"UPDATE audit_log SET detail = '{"n":2}' WHERE seq = 4"#);
    let report = db.with(|c| audit::verify_in_batches(c, 2)).unwrap();
    assert_eq!(report.first_bad, Some(4), "{report:?}");
    assert_eq!(report.rows, 4);
    assert!(report.reason.contains("hash"), "{}", report.reason);
}

fn deleted_row_is_found(db: &Db) {
    fill(db);
    run(db, "DELETE FROM audit_log WHERE seq = 3");
    let report = db.with(audit::verify).unwrap();
    assert_eq!(report.first_bad, Some(4), "{report:?}");
    assert!(report.reason.contains("missing"), "{}", report.reason);
    // Renumbering to hide the gap breaks the hash instead.
    run(db, "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
    let report = db.with(audit::verify).unwrap();
    assert_eq!(report.first_bad, Some(3), "{report:?}");
}

fn reordered_row_is_found(db: &Db) {
    fill(db);
    // Swap the contents of rows 2 and 3, keeping their hashes in place.
    run(db, "UPDATE audit_log SET seq = 100 WHERE seq = 2");
    run(db, "UPDATE audit_log SET seq = 2 WHERE seq = 3");
    run(db, "UPDATE audit_log SET seq = 3 WHERE seq = 100");
    let report = db.with(audit::verify).unwrap();
    assert_eq!(report.first_bad, Some(2), "{report:?}");
}

/// The recomputation in SQL that `docs/audit.md` gives for PostgreSQL (keep the two identical).
const PG_RECOMPUTE: &str = r#"
SELECT COUNT(*) AS n FROM (
  SELECT hash = encode(sha256(convert_to(
           prev_hash
           || octet_length(seq::text) || ':' || seq::text
           || '27:' || to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
           || octet_length(actor) || ':' || actor
           || COALESCE(octet_length(role) || ':' || role, '~')
           || COALESCE(octet_length(scope) || ':' || scope, '~')
           || octet_length(method) || ':' || method
           || octet_length(route) || ':' || route
           || octet_length(path) || ':' || path
           || octet_length(query) || ':' || query
           || octet_length(status::text) || ':' || status::text
           || octet_length(outcome) || ':' || outcome
           || COALESCE(octet_length(detail) || ':' || detail, '~')
           || COALESCE(octet_length(client) || ':' || client, '~'),
         'UTF8')), 'hex') AS hash_ok,
         prev_hash = COALESCE(LAG(hash) OVER (ORDER BY seq), repeat('0', 64)) AS link_ok
  FROM audit_log
) t WHERE hash_ok AND link_ok
"#;

fn recomputed_in_sql(db: &Db) {
    let mut unicode = row("city:140100", Some("city"), "ok", 200, 7);
    unicode.detail = Some(r#"{"name":"太原市化工厂"}"#.into());
    unicode.client = None;
    fill(db);
    db.with(|c| audit::append(c, &[unicode])).unwrap();
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let is_pg = db.with(|c| Ok(matches!(c, storage::DbConnection::Postgresql(_)))).unwrap();
    if is_pg {
        let n = db.with(|c| Ok(diesel::sql_query(PG_RECOMPUTE).get_result::<N>(c)?.n)).unwrap();
        assert_eq!(n, 7, "every row recomputes in SQL");
    }
}

both_backends!(recomputed_in_sql);
