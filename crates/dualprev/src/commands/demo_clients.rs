//! The demo's existing-client setup (`docs/data-exchange.md` §9–§12): one enterprise answered in the national shape
//! and reachable by a secret base address, and a group credential for three enterprises. The secret and the group's
//! password are new at every start (only their hashes are stored) and printed with a curl line to try each.

use anyhow::{Result, anyhow};
use domain::CompanyCode;
use storage::Db;

/// The enterprise of the secret base address (the demo's enterprise person's).
const COMPANY: &str = "140100001";
/// The group and its members.
const GROUP: &str = "示范园区";
const MEMBERS: [&str; 3] = ["140100001", "140100002", "140100003"];

/// What the demo set up, for the printout.
#[derive(Debug)]
pub struct Clients {
    /// The enterprise's secret base address segment.
    pub secret: String,
    /// The group's password.
    pub group_password: String,
}

/// Sets the secret base address and national profile of [`COMPANY`] and the group credential.
pub fn prepare(db: &Db, clock: &domain::Clock) -> Result<Clients> {
    let now = clock.now_utc();
    let secret = format!("demo{}", uuid::Uuid::new_v4().simple());
    let row =
        db.with(|c| storage::registry::get(c, &CompanyCode::parse(COMPANY)?)).map_err(|e| anyhow!("{COMPANY}: {e}"))?;
    let e = &row.enterprise;
    let csv = format!(
        "companyCode,name,cityCode,profile,baseSecret\n{COMPANY},{},{},national,{secret}\n",
        e.name,
        e.city.code()
    );
    let (rows, errors) = storage::registry_import::parse(&csv);
    let report = db.with(|c| storage::registry_import::apply(c, &rows, now))?;
    if let Some(err) = errors.first().or(report.errors.first()) {
        return Err(anyhow!("{}: {}", err.code, err.message));
    }
    let group_password = format!("Park-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let members = MEMBERS.iter().map(|c| CompanyCode::parse(c)).collect::<Result<Vec<_>, _>>()?;
    db.with(|c| Ok(storage::push_groups::set(c, GROUP, &group_password, &members, now)))?
        .map_err(|e| anyhow!("{e}"))?;
    Ok(Clients { secret, group_password })
}

/// The printout: a dry run through the secret base address (national answer) and one with the group credential.
pub fn print(addr: &std::net::SocketAddr, c: &Clients) {
    let record = format!(
        r#"[{{"id":"0123456789abcdef0123456789abcdef","companyCode":"{COMPANY}","deleted":"0","createDate":"2026-11-02 09:00:00","createBy":"演示","updateDate":"2026-11-02 09:00:00","updateBy":"演示","checkTaskId":"11111111222233334444555555555555","checkTime":1793581200000,"checkStatus":"0"}}]"#
    );
    println!(
        "企业端对接 / existing clients ({COMPANY} 按国家接口格式应答 / answered in the national shape; 试运行 / dry runs):"
    );
    println!("  密钥地址，无认证头 / secret base address, no header:");
    println!(
        "  curl -H 'Content-Type: application/json' -d '{record}' 'http://{addr}/x/{}/sec_hidden_check_record?dryRun=true'",
        c.secret
    );
    println!("  集团凭据 / group credential ({GROUP}: {}):", MEMBERS.join(", "));
    println!(
        "  curl -u 'group:{GROUP}:{}' -H 'Content-Type: application/json' -d '{record}' 'http://{addr}/api/v1/exchange/check_record?dryRun=true'",
        c.group_password
    );
}
