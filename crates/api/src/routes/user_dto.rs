//! The shapes of `/api/v1/users`: an account as administrators see it (never a password or its hash), and the
//! bodies that make and change one.

use domain::time::format_local;
use serde::{Deserialize, Serialize};
use storage::accounts::AccountRow;
use utoipa::ToSchema;

/// An account as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The sign-in name.
    pub username: String,
    /// The person's name.
    pub display_name: String,
    /// `province`, `city`, `enterprise`, `sysadmin`, `secadmin` or `auditor`.
    pub role: String,
    /// The city of a `city` account.
    pub city_code: Option<String>,
    /// The enterprise of an `enterprise` account.
    pub company_code: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// `active`, `disabled`, or `pending` (made by the system administrator, waiting for the security
    /// administrator to confirm its role and scope).
    pub state: String,
    /// Locked after failed sign-ins until this moment (Asia/Shanghai); null when not locked.
    pub locked_until: Option<String>,
    /// The next sign-in must change the password.
    pub must_change_password: bool,
    /// When the password was last set (Asia/Shanghai).
    pub password_changed_at: String,
    /// The last sign-in (Asia/Shanghai).
    pub last_sign_in: Option<String>,
    /// When the account was made (Asia/Shanghai).
    pub created_at: String,
    /// When it last changed (Asia/Shanghai).
    pub updated_at: String,
}

impl AccountView {
    /// The view of a stored account at `now` (a lockout that has ended is not shown).
    pub fn of(a: &AccountRow, now: chrono::NaiveDateTime) -> AccountView {
        AccountView {
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.clone(),
            city_code: a.city_code.clone(),
            company_code: a.company_code.clone(),
            email: a.email.clone(),
            state: a.state.clone(),
            locked_until: a.locked_until.filter(|u| *u > now).map(format_local),
            must_change_password: a.must_change_password,
            password_changed_at: format_local(a.password_changed_at),
            last_sign_in: a.last_sign_in.map(format_local),
            created_at: format_local(a.created_at),
            updated_at: format_local(a.updated_at),
        }
    }
}

/// `GET /api/v1/users`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsersResponse {
    /// Every account, by username.
    pub rows: Vec<AccountView>,
}

/// Body of `POST /api/v1/users` (the system administrator): who, and the business role and scope asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewUserBody {
    /// The sign-in name: 3 to 32 of `a-z A-Z 0-9 . _ -`.
    pub username: String,
    /// The person's name, e.g. 张三.
    pub display_name: String,
    /// `province`, `city` or `enterprise` (administrators are made with `dualprev user add`).
    pub role: String,
    /// The city of a `city` account.
    pub city_code: Option<String>,
    /// The enterprise of an `enterprise` account.
    pub company_code: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// `POST /api/v1/users` and a password reset: the account and its temporary password, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserAnswer {
    /// The account.
    pub account: AccountView,
    /// The temporary password (made or reset only): hand it to the person; it must be changed at the first sign-in.
    pub temporary_password: Option<String>,
}

/// Body of `PATCH /api/v1/users/{username}`: each field belongs to one administrator's duty (`docs/security.md`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserPatch {
    /// System administrator: the person's name.
    pub display_name: Option<String>,
    /// System administrator: the e-mail (empty text removes it).
    pub email: Option<String>,
    /// System administrator: `active` or `disabled`.
    pub state: Option<String>,
    /// System administrator: a new temporary password, answered once.
    #[serde(default)]
    pub reset_password: bool,
    /// Security administrator: `province`, `city` or `enterprise`.
    pub role: Option<String>,
    /// Security administrator: the city of a `city` account.
    pub city_code: Option<String>,
    /// Security administrator: the enterprise of an `enterprise` account.
    pub company_code: Option<String>,
    /// Security administrator: confirms a `pending` account's role and scope (it may sign in from then on).
    #[serde(default)]
    pub confirm: bool,
    /// Security administrator: ends a lockout after failed sign-ins.
    #[serde(default)]
    pub unlock: bool,
}

impl UserPatch {
    /// The system administrator's fields that are set.
    pub fn system_fields(&self) -> Vec<&'static str> {
        let mut f = vec![];
        if self.display_name.is_some() {
            f.push("displayName");
        }
        if self.email.is_some() {
            f.push("email");
        }
        if self.state.is_some() {
            f.push("state");
        }
        if self.reset_password {
            f.push("resetPassword");
        }
        f
    }

    /// The security administrator's fields that are set.
    pub fn security_fields(&self) -> Vec<&'static str> {
        let mut f = vec![];
        if self.role.is_some() || self.city_code.is_some() || self.company_code.is_some() {
            f.push("role");
        }
        if self.confirm {
            f.push("confirm");
        }
        if self.unlock {
            f.push("unlock");
        }
        f
    }
}
