//! Leadership among processes on one database: on PostgreSQL one holder at a time, taken over once it is dropped
//! (as when its process dies); on SQLite always granted.

use storage::Db;
use storage::leader::try_lead;

both_backends!(one_leader_at_a_time_and_a_successor_after_it);

fn one_leader_at_a_time_and_a_successor_after_it(db: &Db) {
    let first = try_lead(db, "test").unwrap().expect("the first asker leads");
    let second = try_lead(db, "test").unwrap();
    let other_name = try_lead(db, "another job").unwrap();
    assert!(other_name.is_some(), "leaderships of other names are independent");
    if db.url().backend() == "postgres" {
        assert!(second.is_none(), "a second leader while the first lives");
        drop(first);
        assert!(try_lead(db, "test").unwrap().is_some(), "a successor once the leader is gone");
    } else {
        assert!(second.is_some(), "SQLite: one machine, always granted");
    }
}

both_backends!(a_leader_knows_while_it_leads);

fn a_leader_knows_while_it_leads(db: &Db) {
    // "webhook_deliveries" hashes to a negative key (classid 0xFFFFFFFF in pg_locks), "test" to a positive one.
    for name in ["webhook_deliveries", "test"] {
        let mut held = try_lead(db, name).unwrap().expect("leads");
        assert!(held.still_leads().unwrap(), "{name}: a healthy leader still leads");
        assert!(held.still_leads().unwrap(), "{name}: and again (the check leaves the lock alone)");
        let mut other = try_lead(db, "another job").unwrap().expect("another name leads");
        assert!(other.still_leads().unwrap(), "{name}: another name's leadership is its own");
        assert_eq!(held.backend_pid().is_some(), db.url().backend() == "postgres");
    }
}

mod postgres {
    use diesel::RunQueryDsl;
    use storage::Db;
    use storage::leader::try_lead;

    #[derive(diesel::QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ended: bool,
    }

    /// Ends one backend from another session and waits (up to 5 s) until it is gone. The pid is chosen first (a
    /// materialized CTE is not merged into the outer query, so `pg_terminate_backend` cannot run on other rows).
    fn end_backend(db: &Db, pid: i32) -> bool {
        db.with(|c| {
            let r: Ended = diesel::sql_query(
                "WITH target AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE pid = $1 \
                 AND datname = current_database()) \
                 SELECT coalesce(bool_and(pg_terminate_backend(pid, 5000)), false) AS ended FROM target",
            )
            .bind::<diesel::sql_types::Integer, _>(pid)
            .get_result(c)?;
            Ok(r.ended)
        })
        .unwrap()
    }

    /// The leader's connection is ended from another session (as an operator's `pg_terminate_backend`, a failover or
    /// a server restart would): the lock goes with it, the leader finds out, and another process can take over.
    #[test]
    #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
    fn a_leader_whose_connection_ends_knows_it_no_longer_leads() {
        let t = testkit::TestDb::postgres();
        let db = crate::open(&t);
        let mut first = try_lead(&db, "webhook_deliveries").unwrap().expect("the first asker leads");
        let mut bystander = try_lead(&db, "another job").unwrap().expect("another name leads");
        assert!(try_lead(&db, "webhook_deliveries").unwrap().is_none(), "one leader at a time");
        assert!(first.still_leads().unwrap(), "a healthy leader leads");
        let pid = first.backend_pid().expect("a PostgreSQL backend");
        assert!(end_backend(&db, pid), "backend {pid} was ended");
        let checked = first.still_leads();
        assert!(!checked.as_ref().is_ok_and(|&leads| leads), "a leader whose connection ended: {checked:?}");
        let mut second = try_lead(&db, "webhook_deliveries").unwrap().expect("a successor takes over");
        assert!(second.still_leads().unwrap(), "the successor leads");
        assert!(!first.still_leads().unwrap_or(false), "the ended one still does not");
        assert!(bystander.still_leads().unwrap(), "the other sessions are untouched");
        println!("a leader whose connection was ended: {checked:?}");
    }
}
