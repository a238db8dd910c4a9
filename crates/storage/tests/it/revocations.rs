//! Revoked tokens: idempotent revoking, listing, and the ids still worth refusing, on both backends.

use chrono::NaiveDate;
use storage::Db;
use storage::revocations::{self, Revocation};

both_backends!(revocations_round_trip);

fn at(h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

fn revocation(jti: &str, reason: &str, expires: Option<u32>) -> Revocation {
    Revocation {
        jti: jti.into(),
        reason: reason.into(),
        revoked_by: "cli".into(),
        revoked_at: at(1),
        expires_at: expires.map(at),
    }
}

fn revocations_round_trip(db: &Db) {
    db.with(|c| {
        assert!(revocations::revoke(c, &revocation("a", "泄露 / leaked", Some(5)))?);
        assert!(revocations::revoke(c, &revocation("b", "", None))?);
        assert!(!revocations::revoke(c, &revocation("a", "again", None))?, "revoking twice keeps the first");
        assert_eq!(revocations::get(c, "a")?.map(|r| r.expires_at), Some(Some(at(5))));
        assert_eq!(revocations::get(c, "c")?, None);
        let all = revocations::list(c)?;
        assert_eq!(all.len(), 2);
        assert_eq!(all.iter().find(|r| r.jti == "a").map(|r| r.reason.as_str()), Some("泄露 / leaked"));
        let mut active = revocations::active_ids(c, at(3))?;
        active.sort();
        assert_eq!(active, ["a", "b"]);
        assert_eq!(revocations::active_ids(c, at(6))?, ["b"], "expired tokens need no refusing");
        Ok(())
    })
    .unwrap();
}
