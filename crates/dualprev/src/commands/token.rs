//! `dualprev token`: issues a signed token with the configured key and prints it alone on one line.

use crate::cli::TokenArgs;
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

/// Issues the token.
pub fn run(settings: &Settings, args: &TokenArgs) -> Result<String> {
    let auth = settings.auth()?;
    let Some(role) = Role::parse(&args.role) else {
        bail!("未知角色 / unknown role {:?}: province, city, enterprise or service", args.role)
    };
    let city = args.city.as_deref().map(City::from_code).transpose()?;
    let company = args.company.as_deref().map(CompanyCode::parse).transpose()?;
    auth.issue(role, city, company.as_ref(), parse_ttl(&args.ttl)?).map_err(anyhow::Error::msg)
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
