//! People's accounts (等保 2.0 level 3, GB/T 22239-2019: identification, password complexity and expiry, lockout,
//! separated administrators 三员分立): the roles, the states and the password policy. Pure rules; storage and
//! sign-in live elsewhere.

use crate::DomainError;
use chrono::TimeDelta;

/// The role of an account. One account has one role, so no account holds two administrator roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRole {
    /// 省专班: every city and enterprise.
    Province,
    /// 市应急管理局: one city.
    City,
    /// An enterprise: its own data.
    Enterprise,
    /// 系统管理员: accounts, the registry and settings; reads no figures and no audit trail.
    Sysadmin,
    /// 安全管理员: roles, scopes, unlocking and the security policy; creates no account.
    Secadmin,
    /// 审计管理员: reads the audit trail, the administrators' actions included; changes nothing.
    Auditor,
}

impl AccountRole {
    /// Every role, business roles first.
    pub const ALL: [AccountRole; 6] = [
        AccountRole::Province,
        AccountRole::City,
        AccountRole::Enterprise,
        AccountRole::Sysadmin,
        AccountRole::Secadmin,
        AccountRole::Auditor,
    ];

    /// The stable key: `province`, `city`, `enterprise`, `sysadmin`, `secadmin`, `auditor`.
    pub fn key(self) -> &'static str {
        match self {
            AccountRole::Province => "province",
            AccountRole::City => "city",
            AccountRole::Enterprise => "enterprise",
            AccountRole::Sysadmin => "sysadmin",
            AccountRole::Secadmin => "secadmin",
            AccountRole::Auditor => "auditor",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            AccountRole::Province => "省级用户",
            AccountRole::City => "市级用户",
            AccountRole::Enterprise => "企业用户",
            AccountRole::Sysadmin => "系统管理员",
            AccountRole::Secadmin => "安全管理员",
            AccountRole::Auditor => "审计管理员",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Result<AccountRole, DomainError> {
        AccountRole::ALL
            .into_iter()
            .find(|r| r.key() == s)
            .ok_or_else(|| DomainError::BadEnum { field: "role", value: s.to_owned() })
    }

    /// One of the three separated administrators (三员).
    pub fn is_admin(self) -> bool {
        matches!(self, AccountRole::Sysadmin | AccountRole::Secadmin | AccountRole::Auditor)
    }
}

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    /// May sign in.
    Active,
    /// Turned off by an administrator until turned on again.
    Disabled,
    /// Made by the system administrator, waiting for the security administrator to confirm its role and scope
    /// (三员分立); cannot sign in until then.
    Pending,
}

impl AccountState {
    /// `active`, `disabled` or `pending`. (A lockout after failed sign-ins is a time, not a state: it ends by itself.)
    pub fn key(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::Disabled => "disabled",
            AccountState::Pending => "pending",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Result<AccountState, DomainError> {
        match s {
            "active" => Ok(AccountState::Active),
            "disabled" => Ok(AccountState::Disabled),
            "pending" => Ok(AccountState::Pending),
            other => Err(DomainError::BadEnum { field: "state", value: other.to_owned() }),
        }
    }
}

/// The security policy (settings; these are the defaults of issue 20 and 等保 level 3 practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// The shortest password, in characters.
    pub min_len: usize,
    /// How many of the four classes (lower case, upper case, digits, others) a password needs.
    pub classes: usize,
    /// A new password may not be one of this many previous ones (the current one included).
    pub history: usize,
    /// A password must be changed after this long.
    pub max_age: TimeDelta,
    /// Failed sign-ins in a row that lock the account.
    pub lock_after: u32,
    /// How long a lockout lasts.
    pub lock_for: TimeDelta,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_len: 10,
            classes: 3,
            history: 5,
            max_age: TimeDelta::days(90),
            lock_after: 5,
            lock_for: TimeDelta::minutes(15),
        }
    }
}

/// Why a password is refused: a stable code (`weak_password` in the API) and what to do, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeakPassword {
    /// Which rule: `too_short`, `too_few_classes`, `contains_username`, `reused`.
    pub rule: &'static str,
    /// What to do.
    pub message: String,
}

impl PasswordPolicy {
    /// Checks a new password's own rules (length, classes, the username); the history is checked by whoever holds
    /// the previous hashes ([`PasswordPolicy::reused`]).
    pub fn check(&self, username: &str, password: &str) -> Result<(), WeakPassword> {
        if password.chars().count() < self.min_len {
            let n = self.min_len;
            return Err(WeakPassword {
                rule: "too_short",
                message: format!("密码至少 {n} 个字符 / a password needs at least {n} characters"),
            });
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        let have = classes.iter().filter(|x| **x).count();
        if have < self.classes {
            let n = self.classes;
            return Err(WeakPassword {
                rule: "too_few_classes",
                message: format!(
                    "密码须包含小写字母、大写字母、数字、其他字符中的至少 {n} 类 / a password needs {n} of: lower case, \
                     upper case, digits, other characters"
                ),
            });
        }
        let name = username.trim().to_lowercase();
        if !name.is_empty() && password.to_lowercase().contains(&name) {
            return Err(WeakPassword {
                rule: "contains_username",
                message: "密码不能包含用户名 / a password may not contain the username".into(),
            });
        }
        Ok(())
    }

    /// The refusal for a password that is one of the last [`PasswordPolicy::history`] ones.
    pub fn reused(&self) -> WeakPassword {
        let n = self.history;
        WeakPassword {
            rule: "reused",
            message: format!("不能使用最近 {n} 次用过的密码 / a password may not be one of the last {n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_by_hand() {
        let p = PasswordPolicy::default();
        let rule = |u: &str, pw: &str| p.check(u, pw).err().map(|e| e.rule);
        assert_eq!(rule("zhang", "Abcdef12!"), Some("too_short"), "9 characters");
        assert_eq!(rule("zhang", "Abcdefg12!"), None, "10 characters, 4 classes");
        assert_eq!(rule("zhang", "abcdefgh12"), Some("too_few_classes"), "2 classes");
        assert_eq!(rule("zhang", "abcdefgh1!"), None, "3 classes");
        assert_eq!(rule("zhang", "xxZhang2026!"), Some("contains_username"), "case-insensitive");
        assert_eq!(rule("张三", "张三的新密码Ab12"), Some("contains_username"), "Chinese names too");
        assert_eq!(rule("zhang", "密码密码密码密码Ab1"), None, "non-ASCII counts as other characters");
    }

    #[test]
    fn roles_parse_and_only_three_are_administrators() {
        for r in AccountRole::ALL {
            assert_eq!(AccountRole::parse(r.key()).unwrap(), r);
        }
        let admins: Vec<&str> = AccountRole::ALL.iter().filter(|r| r.is_admin()).map(|r| r.key()).collect();
        assert_eq!(admins, ["sysadmin", "secadmin", "auditor"]);
        assert!(AccountRole::parse("root").is_err());
        assert_eq!(AccountState::parse("disabled").unwrap(), AccountState::Disabled);
    }
}
