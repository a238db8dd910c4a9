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
