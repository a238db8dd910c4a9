//! Records as an inspector reads them (issue 18: "records by their content, not their ids"): a danger's name,
//! level, description, 责任人, deadline and state; a task's content and cycle; a unit's name and risk class. Every
//! list of records behind a figure or a warning carries these beside the ids, and links to the record page
//! (`GET /api/v1/records/{table}/{id}`). A danger's summary also lists the photos its latest version carries, with
//! where to fetch each (`photos`, issue 22).

use domain::enums::{DangerLevel, DangerState, RiskClass};
use domain::time::format_local;
use serde::Serialize;
use std::collections::HashMap;
use storage::content::{DangerContent, TaskContent, UnitContent};
use storage::{DbConnection, StorageError};
use utoipa::ToSchema;

/// One labelled value of a record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldView {
    /// The label (zh-CN), e.g. 整改责任人.
    pub label: String,
    /// The value as shown, e.g. 赵六; `—` when empty.
    pub value: String,
}

/// A photo a danger carries (`dangerImg`, `dangerAcceptImg`, `attachments1`–`3`), stored by the platform; the record
/// itself keeps `sha256:<hex>` in that field. Photos sent as links are not listed (they stay in the record as sent).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoView {
    /// The wire field that carries it, e.g. `dangerImg` (before rectification) or `dangerAcceptImg` (after).
    pub field: String,
    /// The SHA-256 of the image (64 lowercase hex digits).
    pub sha256: String,
    /// Where to fetch it with the caller's credentials: `/api/v1/attachments/{sha256}` (JPEG or PNG, inline).
    pub url: String,
}

impl PhotoView {
    fn new(field: &str, sha256: String) -> Self {
        PhotoView { field: field.to_owned(), url: format!("/api/v1/attachments/{sha256}"), sha256 }
    }
}

/// What an inspector reads of one record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordSummary {
    /// `danger`, `check_task` or `risk_unit`.
    pub table: String,
    /// The record id.
    pub id: String,
    /// Its name: the danger's name, the task's content, the unit's name.
    pub name: String,
    /// The rest, in reading order.
    pub fields: Vec<FieldView>,
    /// The photos the latest version of a danger carries, in field order (empty for other tables).
    pub photos: Vec<PhotoView>,
}

fn field(label: &str, value: impl Into<String>) -> FieldView {
    let value = value.into();
    FieldView { label: label.to_owned(), value: if value.trim().is_empty() { "—".to_owned() } else { value } }
}

fn label_of<E>(code: i32, parse: fn(i64) -> Result<E, domain::DomainError>, label: fn(E) -> &'static str) -> String {
    parse(i64::from(code)).map_or_else(|_| format!("代码 {code}"), |e| label(e).to_owned())
}

impl From<&DangerContent> for RecordSummary {
    fn from(d: &DangerContent) -> Self {
        let deadline = match (d.deadline, d.deadline_is_date) {
            (Some(t), true) => domain::time::utc_to_local(t).format("%Y-%m-%d").to_string(),
            (Some(t), false) => format_local(t),
            (None, _) => "即查即改".to_owned(),
        };
        RecordSummary {
            table: "danger".into(),
            id: d.id.clone(),
            name: d.name.clone(),
            fields: vec![
                field("隐患等级", label_of(d.level, DangerLevel::from_code, DangerLevel::label)),
                field("隐患描述", &d.description),
                field("整改责任人", &d.liable_person),
                field("登记时间", format_local(d.regist_time)),
                field("整改期限", deadline),
                field("隐患状态", label_of(d.state, DangerState::from_code, DangerState::label)),
            ],
            photos: Vec::new(),
        }
    }
}

impl From<&TaskContent> for RecordSummary {
    fn from(t: &TaskContent) -> Self {
        // Hundredths as a decimal without trailing zeros: 100 → 1, 150 → 1.5, 5 → 0.05.
        let (whole, frac) = (t.cycle_hundredths / 100, t.cycle_hundredths % 100);
        let number =
            if frac == 0 { whole.to_string() } else { format!("{whole}.{frac:02}").trim_end_matches('0').to_owned() };
        let cycle = format!("每 {number} {}", t.cycle_unit);
        RecordSummary {
            table: "check_task".into(),
            id: t.id.clone(),
            name: t.content.clone(),
            fields: vec![field("排查周期", cycle)],
            photos: Vec::new(),
        }
    }
}

impl From<&UnitContent> for RecordSummary {
    fn from(u: &UnitContent) -> Self {
        let class =
            u.risk_class.map_or_else(|| "未定级".to_owned(), |c| label_of(c, RiskClass::from_code, RiskClass::label));
        RecordSummary {
            table: "risk_unit".into(),
            id: u.id.clone(),
            name: u.name.clone(),
            fields: vec![field("风险等级", class), field("责任人", &u.liable_person)],
            photos: Vec::new(),
        }
    }
}

/// The summaries of one enterprise's records of one table, by id (ids without a stored version are left out).
pub fn summaries(
    conn: &mut DbConnection,
    table: &str,
    company: &domain::CompanyCode,
    ids: &[String],
) -> Result<HashMap<String, RecordSummary>, StorageError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(match table {
        "danger" => {
            let mut photos = storage::record_attachments::danger_photos(conn, company, ids)?;
            let mut out: HashMap<String, RecordSummary> =
                storage::content::dangers(conn, company, ids)?.iter().map(|(k, v)| (k.clone(), v.into())).collect();
            for (id, summary) in &mut out {
                let found = photos.remove(id).unwrap_or_default();
                summary.photos = found.into_iter().map(|(field, sha)| PhotoView::new(field, sha)).collect();
            }
            out
        }
        "check_task" => {
            storage::content::tasks(conn, company, ids)?.iter().map(|(k, v)| (k.clone(), v.into())).collect()
        }
        "risk_unit" => {
            storage::content::units(conn, company, ids)?.iter().map(|(k, v)| (k.clone(), v.into())).collect()
        }
        _ => HashMap::new(),
    })
}
