//! People's accounts (issue 20): scope fits the role, passwords follow the policy and never repeat the last five,
//! five failures in a row lock the account for 15 minutes, a disabled account never signs in, a new or reset or
//! 90-day-old password must be changed.

use chrono::{NaiveDateTime, TimeDelta};
use domain::account::{AccountRole, AccountState, PasswordPolicy};
use storage::Db;
use storage::accounts::{self, AccountError, NewAccount};
use storage::sign_in::{SignIn, attempt};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn person(username: &str, role: AccountRole, city: Option<&str>) -> NewAccount {
    NewAccount::new(username, "张三", role).in_city(city)
}

both_backends!(accounts_scope_history_and_lockout);

fn accounts_scope_history_and_lockout(db: &Db) {
    let mut c = db.conn().unwrap();
    let p = PasswordPolicy::default();
    let now = t("2026-12-06 09:00:00");
    // Scope must fit the role; the policy applies from the first password.
    let bad = accounts::create(&mut c, &person("ty", AccountRole::City, None), "Taiyuan-2026!", &p, now);
    assert!(matches!(bad, Err(AccountError::BadScope(_))), "a city account needs its city");
    let bad = accounts::create(&mut c, &person("adm", AccountRole::Sysadmin, Some("140100")), "Admin-2026!x", &p, now);
    assert!(matches!(bad, Err(AccountError::BadScope(_))), "an administrator has no scope");
    let weak = accounts::create(&mut c, &person("ty", AccountRole::City, Some("140100")), "short1!", &p, now);
    assert!(matches!(weak, Err(AccountError::Weak(ref w)) if w.rule == "too_short"));
    let made =
        accounts::create(&mut c, &person("ty", AccountRole::City, Some("140100")), "Taiyuan-2026!", &p, now).unwrap();
    assert!(made.must_change_password && made.password_hash.starts_with("$argon2id$"));
    let again = accounts::create(&mut c, &person("ty", AccountRole::City, Some("140100")), "Taiyuan-2026!", &p, now);
    assert!(matches!(again, Err(AccountError::Taken(_))));

    // The first sign-in must change the password; a wrong one counts.
    let ok = attempt(&mut c, "ty", "Taiyuan-2026!", &p, now).unwrap();
    assert!(matches!(ok, SignIn::Accepted { must_change: true, .. }));
    assert_eq!(attempt(&mut c, "nobody", "x", &p, now).unwrap(), SignIn::Rejected { failures: 0 });
    // History: none of the last five, the current one included.
    let reused = accounts::set_password(&mut c, "ty", "Taiyuan-2026!", false, &p, now);
    assert!(matches!(reused, Err(AccountError::Weak(ref w)) if w.rule == "reused"));
    for (i, pw) in ["Second-pass1", "Third-pass22", "Fourth-pass3", "Fifth-pass44"].iter().enumerate() {
        accounts::set_password(&mut c, "ty", pw, false, &p, now + TimeDelta::seconds(i as i64 + 1)).unwrap();
    }
    let fifth_back = accounts::set_password(&mut c, "ty", "Taiyuan-2026!", false, &p, now + TimeDelta::seconds(9));
    assert!(matches!(fifth_back, Err(AccountError::Weak(ref w)) if w.rule == "reused"), "still one of the last 5");
    accounts::set_password(&mut c, "ty", "Sixth-pass66", false, &p, now + TimeDelta::seconds(10)).unwrap();
    accounts::set_password(&mut c, "ty", "Taiyuan-2026!", false, &p, now + TimeDelta::seconds(11))
        .expect("six passwords later it may come back");
    let ok = attempt(&mut c, "ty", "Taiyuan-2026!", &p, now + TimeDelta::seconds(12)).unwrap();
    assert!(matches!(ok, SignIn::Accepted { must_change: false, .. }));

    // Five failures in a row lock for 15 minutes, even with the right password; then it ends by itself.
    let at = now + TimeDelta::minutes(1);
    for n in 1..=4 {
        assert_eq!(attempt(&mut c, "ty", "wrong", &p, at).unwrap(), SignIn::Rejected { failures: n });
    }
    let until = at + TimeDelta::minutes(15);
    assert_eq!(attempt(&mut c, "ty", "wrong", &p, at).unwrap(), SignIn::Locked { until });
    assert_eq!(
        attempt(&mut c, "ty", "Taiyuan-2026!", &p, until - TimeDelta::seconds(1)).unwrap(),
        SignIn::Locked { until }
    );
    assert_eq!(attempt(&mut c, "ty", "wrong", &p, until).unwrap(), SignIn::Rejected { failures: 1 }, "a fresh count");
    accounts::unlock(&mut c, "ty", until).unwrap();
    assert!(matches!(attempt(&mut c, "ty", "Taiyuan-2026!", &p, until).unwrap(), SignIn::Accepted { .. }));

    // 90 days after the last change the password must be changed; a disabled account never signs in.
    let old = now + TimeDelta::seconds(11) + TimeDelta::days(90);
    assert!(matches!(
        attempt(&mut c, "ty", "Taiyuan-2026!", &p, old).unwrap(),
        SignIn::Accepted { must_change: true, .. }
    ));
    accounts::set_state(&mut c, "ty", AccountState::Disabled, old).unwrap();
    assert_eq!(attempt(&mut c, "ty", "Taiyuan-2026!", &p, old).unwrap(), SignIn::Disabled);
    assert!(matches!(accounts::set_state(&mut c, "none", AccountState::Active, old), Err(AccountError::Unknown(_))));
    assert_eq!(accounts::list(&mut c).unwrap().len(), 1);
}
