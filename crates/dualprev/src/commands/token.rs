//! `dualprev token`: issues a token signed with the signing key of the ring and prints it alone on one line;
//! `dualprev token revoke JTI` revokes one.

use crate::cli::{TokenArgs, TokenCommand};
use crate::settings::Settings;
use anyhow::{Result, anyhow, bail};
use api::Role;
use chrono::TimeDelta;
use domain::{City, CompanyCode};

/// Parses a lifetime such as `90s`, `30m`, `1h` or `7d`.
pub fn parse_ttl(s: &str) -> Result<TimeDelta> {
    let bad = || anyhow!("无效的有效期 / invalid ttl {s:?}: use e.g. 30m, 1h, 7d");
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = s[..split].parse().map_err(|_| bad())?;
    let secs = match &s[split..] {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(bad()),
    };
    if n <= 0 || secs > 366 * 86_400 {
        return Err(bad());
    }
    Ok(TimeDelta::seconds(secs))
}

/// Issues the token, or revokes one in the database (`--database` or the configured one); returns what to print.
pub fn run(settings: &Settings, args: &TokenArgs, database: Option<&str>) -> Result<String> {
    if let Some(TokenCommand::Revoke { jti, reason, expires }) = &args.command {
        return revoke(settings, jti, reason, expires.as_deref(), database);
    }
    let auth = settings.auth()?;
    let role = args.role.as_deref().unwrap_or_default();
    let Some(role) = Role::parse(role) else {
        bail!("未知角色 / unknown role {role:?}: province, city, enterprise or service")
    };
    let city = args.city.as_deref().map(City::from_code).transpose()?;
    let company = args.company.as_deref().map(CompanyCode::parse).transpose()?;
    Ok(auth.issue(role, city, company.as_ref(), parse_ttl(&args.ttl)?)?)
}

/// Stores a revocation; running servers refuse the token at their next refresh (at most 30 s).
fn revoke(
    settings: &Settings,
    jti: &str,
    reason: &str,
    expires: Option<&str>,
    database: Option<&str>,
) -> Result<String> {
    let jti = jti.trim();
    if jti.is_empty() || jti.len() > 200 {
        bail!("无效的 jti / invalid jti {jti:?}");
    }
    let expires_at = expires
        .map(|e| chrono::DateTime::parse_from_rfc3339(e).map(|t| t.naive_utc()))
        .transpose()
        .map_err(|e| anyhow!("无效的 --expires / invalid --expires (RFC 3339): {e}"))?;
    let db = super::open_db(settings, database)?;
    let r = storage::revocations::Revocation {
        jti: jti.to_owned(),
        reason: reason.to_owned(),
        revoked_by: "cli".to_owned(),
        revoked_at: settings.clock.now_utc(),
        expires_at,
    };
    let fresh = db.with(|c| storage::revocations::revoke(c, &r))?;
    Ok(if fresh { format!("revoked {jti}") } else { format!("already revoked {jti}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes() {
        assert_eq!(parse_ttl("1h").unwrap(), TimeDelta::hours(1));
        assert_eq!(parse_ttl("7d").unwrap(), TimeDelta::days(7));
        for bad in ["", "h", "0m", "1y", "-1h", "1000d"] {
            assert!(parse_ttl(bad).is_err(), "{bad}");
        }
    }
}
