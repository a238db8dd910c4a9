//! The demo's people (issue 20): one account per role, made on the demo's first run with passwords kept in the data
//! folder (`accounts.toml`, readable by the owner only) and printed at every start, so that a new user can sign in
//! as 省专班, 太原市应急局, an enterprise and each of the three administrators. The demo marks them as changed, so
//! that trying the platform does not start with a password change; a real installation makes accounts with
//! `dualprev user add`, which must be changed at the first sign-in.

use anyhow::{Context, Result, anyhow};
use domain::account::{AccountRole, PasswordPolicy};
use serde::{Deserialize, Serialize};
use std::path::Path;
use storage::Db;
use storage::accounts::{self, NewAccount};

/// One demo account as kept in the data folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoAccount {
    /// The sign-in name.
    pub username: String,
    /// Its password.
    pub password: String,
    /// What it is (zh-CN).
    pub label: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Kept {
    accounts: Vec<DemoAccount>,
}

/// One demo person: username, name, role, city, company, label.
type Person = (&'static str, &'static str, AccountRole, Option<&'static str>, Option<&'static str>, &'static str);

const PEOPLE: [Person; 6] = [
    ("sheng", "省专班 王工", AccountRole::Province, None, None, "省专班（全省）"),
    ("taiyuan", "太原市应急局 李工", AccountRole::City, Some("140100"), None, "太原市应急管理局"),
    ("qiye", "企业 赵工", AccountRole::Enterprise, None, Some("140100001"), "企业 140100001"),
    ("sysadmin", "系统管理员 钱工", AccountRole::Sysadmin, None, None, "系统管理员"),
    ("secadmin", "安全管理员 孙工", AccountRole::Secadmin, None, None, "安全管理员"),
    ("auditor", "审计管理员 周工", AccountRole::Auditor, None, None, "审计管理员"),
];

/// Makes the demo accounts on the first run (an account that exists is left as it is) and returns them.
pub fn ensure(db: &Db, dir: &Path, clock: &domain::Clock) -> Result<Vec<DemoAccount>> {
    let path = dir.join("accounts.toml");
    let mut kept: Kept = match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("{} 无效 / is invalid", path.display()))?,
        Err(_) => Kept::default(),
    };
    let policy = db.with(storage::security_policy::in_force)?.passwords();
    let now = clock.now_utc();
    for (username, name, role, city, company, label) in PEOPLE {
        if db.with(|c| accounts::get(c, username))?.is_some() {
            continue;
        }
        // Upper and lower case, a digit, a hyphen; never the username itself.
        let random = uuid::Uuid::new_v4().simple().to_string();
        let password = format!("Demo-{}-{}7", username[..2].to_uppercase(), &random[..6]);
        let new = NewAccount {
            username: username.into(),
            display_name: name.into(),
            role,
            city_code: city.map(str::to_owned),
            company_code: company.map(str::to_owned),
            email: None,
        };
        let first = format!("{password}#0");
        db.with(|c| Ok(accounts::create(c, &new, &first, &policy, now)))?.map_err(|e| anyhow!("{username}: {e}"))?;
        db.with(|c| {
            Ok(accounts::set_password(c, username, &password, false, &policy, now + chrono::TimeDelta::microseconds(1)))
        })?
        .map_err(|e| anyhow!("{username}: {e}"))?;
        kept.accounts.retain(|a| a.username != username);
        kept.accounts.push(DemoAccount { username: username.into(), password, label: label.into() });
    }
    pending(db, &policy, now)?;
    std::fs::write(&path, toml::to_string(&kept)?).with_context(|| format!("cannot write {}", path.display()))?;
    restrict(&path)?;
    Ok(kept.accounts)
}

/// The name of the demo's account waiting for confirmation.
pub const PENDING: &str = "datong-wu";

/// An account the system administrator has made and the security administrator has yet to confirm (三员分立), so
/// that `secadmin` has something to do in the demo; its temporary password is not kept (it is reset when needed).
fn pending(db: &Db, policy: &PasswordPolicy, now: chrono::NaiveDateTime) -> Result<()> {
    if db.with(|c| accounts::get(c, PENDING))?.is_some() {
        return Ok(());
    }
    let new = NewAccount::new(PENDING, "大同市应急局 吴工", AccountRole::City).in_city(Some("140200"));
    let temporary = storage::passwords::temporary(PENDING, policy);
    db.with(|c| Ok(accounts::create_in(c, &new, &temporary, policy, now, domain::account::AccountState::Pending)))?
        .map_err(|e| anyhow!("{PENDING}: {e}"))?;
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]
    use super::*;
    use storage::sign_in::{SignIn, attempt};

    #[test]
    fn one_account_per_role_that_signs_in_and_survives_a_second_run() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&format!("sqlite://{}", dir.path().join("d.db").display())).unwrap();
        db.migrate().unwrap();
        db.with(|c| storage::registry::seed_annex(c, chrono::NaiveDateTime::default())).unwrap();
        let clock = domain::Clock::frozen(domain::Clock::parse_moment("2026-12-06T09:00:00+08:00").unwrap());
        let first = ensure(&db, dir.path(), &clock).unwrap();
        assert_eq!(first.len(), 6);
        let policy = PasswordPolicy::default();
        for a in &first {
            let outcome = db.with(|c| attempt(c, &a.username, &a.password, &policy, clock.now_utc())).unwrap();
            assert!(matches!(outcome, SignIn::Accepted { must_change: false, .. }), "{}: {outcome:?}", a.username);
        }
        let all = db.with(accounts::list).unwrap();
        let pending: Vec<&str> = all.iter().filter(|a| a.state == "pending").map(|a| a.username.as_str()).collect();
        assert_eq!((all.len(), pending), (7, vec![PENDING]), "six people and one account waiting for confirmation");
        let waiting = db.with(|c| attempt(c, PENDING, "whatever-Pass1", &policy, clock.now_utc())).unwrap();
        assert!(matches!(waiting, SignIn::Disabled), "a pending account cannot sign in: {waiting:?}");
        let second = ensure(&db, dir.path(), &clock).unwrap();
        let pairs = |v: &[DemoAccount]| v.iter().map(|a| (a.username.clone(), a.password.clone())).collect::<Vec<_>>();
        assert_eq!(pairs(&second), pairs(&first), "kept, not made again");
    }
}
