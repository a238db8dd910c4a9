//! The security policy the security administrator sets (issue 20, 三员分立: not the system administrator's settings
//! file): password rules, lockout and session lifetimes, in the whole units they are entered and stored in, each
//! within bounds that keep it at or above what 等保 2.0 level 3 practice expects (`docs/security.md`).

use crate::account::PasswordPolicy;
use chrono::TimeDelta;

/// The policy's numbers (in the API as they are: `GET`/`PUT /api/v1/security-policy`). [`Default`] is the policy of
/// issue 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityPolicy {
    /// The shortest password, in characters (8–128; default 10).
    pub password_min_length: u32,
    /// Character classes a password needs of lower case, upper case, digits and others (3–4; default 3).
    pub password_classes: u32,
    /// A new password may not be one of this many previous ones (1–24; default 5).
    pub password_history: u32,
    /// A password must be changed after this many days (1–180; default 90).
    pub password_max_age_days: u32,
    /// Failed sign-ins in a row that lock the account (3–10; default 5).
    pub lock_after: u32,
    /// How long a lockout lasts, in minutes (5–1440; default 15).
    pub lock_minutes: u32,
    /// A session with no request for this many minutes ends (1–30; default 15).
    pub idle_minutes: u32,
    /// A session ends this many hours after sign-in, whatever happens (1–24; default 8).
    pub absolute_hours: u32,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            password_min_length: 10,
            password_classes: 3,
            password_history: 5,
            password_max_age_days: 90,
            lock_after: 5,
            lock_minutes: 15,
            idle_minutes: 15,
            absolute_hours: 8,
        }
    }
}

/// A number of the policy outside its bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} 须在 {min} 到 {max} 之间 / {field} must be from {min} to {max}: {value}")]
pub struct OutOfBounds {
    /// The field's name in the API (`passwordMinLength`, …).
    pub field: &'static str,
    /// The smallest allowed value.
    pub min: u32,
    /// The largest allowed value.
    pub max: u32,
    /// The value given.
    pub value: u32,
}

impl SecurityPolicy {
    /// Each number's API name and bounds, in field order: no password shorter than 8 or with fewer than 3 classes,
    /// no lockout after more than 10 failures or shorter than 5 minutes, no session idle longer than 30 minutes.
    pub const BOUNDS: [(&'static str, u32, u32); 8] = [
        ("passwordMinLength", 8, 128),
        ("passwordClasses", 3, 4),
        ("passwordHistory", 1, 24),
        ("passwordMaxAgeDays", 1, 180),
        ("lockAfter", 3, 10),
        ("lockMinutes", 5, 1440),
        ("idleMinutes", 1, 30),
        ("absoluteHours", 1, 24),
    ];

    /// The numbers in field order.
    pub fn values(&self) -> [u32; 8] {
        [
            self.password_min_length,
            self.password_classes,
            self.password_history,
            self.password_max_age_days,
            self.lock_after,
            self.lock_minutes,
            self.idle_minutes,
            self.absolute_hours,
        ]
    }

    /// The first number outside its bounds, if any.
    pub fn check(&self) -> Result<(), OutOfBounds> {
        for ((field, min, max), value) in Self::BOUNDS.into_iter().zip(self.values()) {
            if !(min..=max).contains(&value) {
                return Err(OutOfBounds { field, min, max, value });
            }
        }
        Ok(())
    }

    /// The password and lockout rules.
    pub fn passwords(&self) -> PasswordPolicy {
        PasswordPolicy {
            min_len: self.password_min_length as usize,
            classes: self.password_classes as usize,
            history: self.password_history as usize,
            max_age: TimeDelta::days(i64::from(self.password_max_age_days)),
            lock_after: self.lock_after,
            lock_for: TimeDelta::minutes(i64::from(self.lock_minutes)),
        }
    }

    /// How long a session may go without a request.
    pub fn idle(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.idle_minutes))
    }

    /// How long a session lasts at most.
    pub fn absolute(&self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.absolute_hours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_issue_20s_and_within_bounds() {
        let p = SecurityPolicy::default();
        assert_eq!(p.check(), Ok(()));
        assert_eq!(p.passwords(), PasswordPolicy::default());
        assert_eq!((p.idle(), p.absolute()), (TimeDelta::minutes(15), TimeDelta::hours(8)));
    }

    #[test]
    fn each_bound_is_enforced_at_its_edge() {
        for (i, (field, min, max)) in SecurityPolicy::BOUNDS.into_iter().enumerate() {
            for (value, ok) in [(min - 1, false), (min, true), (max, true), (max + 1, false)] {
                let mut doc = serde_json::to_value(SecurityPolicy::default()).unwrap();
                doc[field] = value.into();
                let p: SecurityPolicy = serde_json::from_value(doc).unwrap();
                assert_eq!(p.values()[i], value, "{field} is the {i}th number");
                let want = if ok { Ok(()) } else { Err(OutOfBounds { field, min, max, value }) };
                assert_eq!(p.check(), want, "{field} = {value}");
            }
        }
    }
}
