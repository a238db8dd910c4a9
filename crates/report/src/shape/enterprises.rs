//! The published shape of the registry: a registered enterprise with its connection status and last pull, as
//! `GET /api/v1/enterprises` and `dualprev registry list --json` show it.

use domain::connection::Connection;
use serde::Serialize;
use std::collections::HashMap;
use storage::registry::Registered;

/// A registered enterprise.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", schema(example = json!({"companyCode": "140100001", "name": "中国石化销售股份有限公司山西太原石油分公司油库",
    "cityCode": "140100", "cityName": "太原市", "batch": "1", "flags": ["provisional_code"], "annexNo": 1,
    "creditCode": null, "pullConfigured": false, "aesKeyConfigured": false, "basicAuthConfigured": false,
    "updatedAt": "2026-11-29T22:05:00+08:00", "lastDataAt": null, "connection": "none", "lastPull": null})))]
pub struct EnterpriseView {
    /// The 9-digit enterprise code.
    pub company_code: String,
    /// The name as in the notice's annex.
    pub name: String,
    /// GB/T 2260 city code.
    pub city_code: String,
    /// City name.
    pub city_name: String,
    /// Construction batch: `"1"`, `"2"` or `"unknown"`.
    pub batch: String,
    /// Registry flags: `batch_unknown`, `not_connected`, `provisional_code`.
    pub flags: Vec<String>,
    /// Row number in the notice's annex.
    pub annex_no: Option<u32>,
    /// Unified social credit code, when known.
    pub credit_code: Option<String>,
    /// Whether a pull endpoint is configured.
    pub pull_configured: bool,
    /// Whether an AES key for the `datas` envelope is configured.
    pub aes_key_configured: bool,
    /// Whether an HTTP Basic password is configured for the exchange routes.
    pub basic_auth_configured: bool,
    /// When the registry row last changed (Asia/Shanghai).
    pub updated_at: String,
    /// When a batch with valid records last arrived, push or pull (Asia/Shanghai); null without data.
    pub last_data_at: Option<String>,
    /// `connected` (data in the last 7 days in every table that has data), `partial` or `none`.
    pub connection: String,
    /// The last pull attempt, for enterprises that are pulled.
    pub last_pull: Option<PullView>,
}

/// The outcome of an enterprise's last pull attempt.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PullView {
    /// When the attempt started (Asia/Shanghai).
    pub attempt_at: String,
    /// When a pull last completed every table (Asia/Shanghai).
    pub success_at: Option<String>,
    /// The error of the last attempt, when it failed.
    pub error: Option<String>,
    /// Failed attempts in a row.
    pub consecutive_failures: i32,
    /// Records received in the last attempt.
    pub received: i32,
    /// Records accepted in the last attempt.
    pub accepted: i32,
    /// Records rejected in the last attempt.
    pub rejected: i32,
}

impl From<storage::pull_state::PullStatus> for PullView {
    fn from(p: storage::pull_state::PullStatus) -> Self {
        PullView {
            attempt_at: domain::time::format_local(p.last_attempt_at),
            success_at: p.last_success_at.map(domain::time::format_local),
            error: p.last_error,
            consecutive_failures: p.consecutive_failures,
            received: p.last_received,
            accepted: p.last_accepted,
            rejected: p.last_rejected,
        }
    }
}

/// What the registry rows are shown with: per enterprise, the last data per table and the last pull.
#[derive(Debug, Default)]
pub struct Activity {
    last_data: HashMap<String, Vec<chrono::NaiveDateTime>>,
    pulls: HashMap<String, storage::pull_state::PullStatus>,
}

impl Activity {
    /// Loads the activity of every enterprise (or one).
    pub fn load(c: &mut storage::DbConnection, company: Option<&domain::CompanyCode>) -> storage::Result<Activity> {
        let mut a = Activity::default();
        for (code, _table, at) in storage::batches::last_data(c, company)? {
            a.last_data.entry(code).or_default().push(at);
        }
        for p in storage::pull_state::all(c)? {
            a.pulls.insert(p.company_code.clone(), p);
        }
        Ok(a)
    }

    /// The view of one registry row.
    pub fn view(&mut self, r: Registered, now: chrono::NaiveDateTime) -> EnterpriseView {
        let code = r.enterprise.code.to_string();
        let last = self.last_data.remove(&code).unwrap_or_default();
        let connection = Connection::from_last_data(&last, now);
        let mut v = EnterpriseView::from(r);
        v.last_data_at = last.iter().max().copied().map(domain::time::format_local);
        v.connection = connection.key().to_owned();
        v.last_pull = self.pulls.remove(&code).map(PullView::from);
        v
    }
}

impl From<Registered> for EnterpriseView {
    fn from(r: Registered) -> Self {
        let e = r.enterprise;
        EnterpriseView {
            company_code: e.code.to_string(),
            name: e.name,
            city_code: e.city.code().to_owned(),
            city_name: e.city.name().to_owned(),
            batch: e.batch.key().to_owned(),
            flags: e.flags.iter().map(|f| f.key().to_owned()).collect(),
            annex_no: e.annex_no,
            credit_code: r.credit_code,
            pull_configured: r.base_url.is_some(),
            aes_key_configured: r.has_aes_key,
            basic_auth_configured: r.has_basic_password,
            updated_at: domain::time::format_local(r.updated_at),
            last_data_at: None,
            connection: "none".into(),
            last_pull: None,
        }
    }
}
