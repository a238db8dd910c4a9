//! What an inspector reads of a record, from its latest stored version: a danger's name, level, description, 责任人,
//! deadline and state; a task's content and cycle; a unit's name and risk class. Lists of records behind a figure or
//! a warning show these, never bare ids (`docs/metrics.md` §10.4).

use crate::schema::{check_task_versions, danger_versions, risk_unit_versions};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::CompanyCode;
use std::collections::HashMap;

/// A danger as the latest stored version describes it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DangerContent {
    /// The id.
    pub id: String,
    /// 隐患名称.
    pub name: String,
    /// 隐患等级 code (0 一般, 1 重大).
    pub level: i32,
    /// 隐患描述.
    pub description: String,
    /// 整改责任人.
    pub liable_person: String,
    /// 登记时间 (UTC).
    pub regist_time: NaiveDateTime,
    /// 整改期限 (UTC), when given.
    pub deadline: Option<NaiveDateTime>,
    /// Whether the deadline was given as a date (the end of that day).
    pub deadline_is_date: bool,
    /// 隐患状态 code.
    pub state: i32,
}

/// A check task as the latest stored version describes it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TaskContent {
    /// The id.
    pub id: String,
    /// 排查内容.
    pub content: String,
    /// 排查周期 in hundredths.
    pub cycle_hundredths: i64,
    /// 周期单位 (小时, 天, 周, 月, 年).
    pub cycle_unit: String,
}

/// A risk unit as the latest stored version describes it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct UnitContent {
    /// The id.
    pub id: String,
    /// 风险单元名称.
    pub name: String,
    /// 风险等级 code (1 重大 … 4 低), when given.
    pub risk_class: Option<i32>,
    /// 责任人.
    pub liable_person: String,
}

/// The latest version of each id, from rows ordered oldest first.
fn latest<T>(rows: Vec<T>, id: impl Fn(&T) -> &str) -> HashMap<String, T> {
    let mut out = HashMap::new();
    for r in rows {
        out.insert(id(&r).to_owned(), r);
    }
    out
}

/// The dangers of one enterprise with these ids.
pub fn dangers(
    conn: &mut DbConnection,
    company: &CompanyCode,
    ids: &[String],
) -> Result<HashMap<String, DangerContent>> {
    use danger_versions as d;
    let rows: Vec<DangerContent> = d::table
        .filter(d::company_code.eq(company.as_str()).and(d::record_id.eq_any(ids)))
        .order((d::record_id.asc(), d::update_date.asc(), d::seq.asc()))
        .select((
            d::record_id,
            d::danger_name,
            d::danger_level,
            d::danger_desc,
            d::liable_person,
            d::regist_time,
            d::manage_deadline,
            d::manage_deadline_is_date,
            d::danger_state,
        ))
        .load(conn)?;
    Ok(latest(rows, |r| &r.id))
}

/// The check tasks of one enterprise with these ids.
pub fn tasks(conn: &mut DbConnection, company: &CompanyCode, ids: &[String]) -> Result<HashMap<String, TaskContent>> {
    use check_task_versions as t;
    let rows: Vec<TaskContent> = t::table
        .filter(t::company_code.eq(company.as_str()).and(t::record_id.eq_any(ids)))
        .order((t::record_id.asc(), t::update_date.asc(), t::seq.asc()))
        .select((t::record_id, t::troubleshoot_content, t::check_cycle_hundredths, t::check_cycle_unit))
        .load(conn)?;
    Ok(latest(rows, |r| &r.id))
}

/// The risk units of one enterprise with these ids.
pub fn units(conn: &mut DbConnection, company: &CompanyCode, ids: &[String]) -> Result<HashMap<String, UnitContent>> {
    use risk_unit_versions as u;
    let rows: Vec<UnitContent> = u::table
        .filter(u::company_code.eq(company.as_str()).and(u::record_id.eq_any(ids)))
        .order((u::record_id.asc(), u::update_date.asc(), u::seq.asc()))
        .select((u::record_id, u::risk_unit_name, u::risk_class, u::hazard_liable_person))
        .load(conn)?;
    Ok(latest(rows, |r| &r.id))
}
