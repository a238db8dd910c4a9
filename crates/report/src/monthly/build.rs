//! Builds the monthly report from what was known at its `asOf`: the figures of the report month (`metrics.md`,
//! previous month's 20th to this month's 20th), the weekly evaluations of the weeks ending within it, and the
//! acceptance and spot-check records the caller loaded as of the same moment.

use super::content::*;
use super::sections::{self, Standings};
use crate::figures::{By, Group, Known, Line, group};
use crate::standings;
use domain::{City, Enterprise, Period};
use metrics::ranking;
use std::collections::BTreeMap;
use storage::StorageError;

/// What to build.
#[derive(Debug, Clone)]
pub struct Request {
    /// The report month (`Period::ReportMonth`).
    pub month: Period,
    /// Province or one city.
    pub scope: ReportScope,
    /// 1 for the report of the 20th; corrections count up.
    pub revision: u32,
    /// What a revision changed (empty for revision 1).
    pub note: String,
}

/// The sections that come from records outside the exchange data, loaded by the caller as of the report's `asOf`.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Expert acceptance per city.
    pub acceptance: Vec<AcceptanceLine>,
    /// Spot checks drawn in the report period.
    pub spot_checks: Vec<SpotCheckLine>,
    /// Held and rejected records of the report period.
    pub intake: crate::quality::Intake,
    /// What the 重大 dangers say (name, description, 责任人), by company and id.
    pub major_dangers: std::collections::HashMap<(String, String), storage::content::DangerContent>,
    /// The handling tallies by city of the warning cases opened in the report period (`metrics.md` §11).
    pub handling: BTreeMap<String, storage::handling::figures::Tally>,
}

/// The report month label `2026-11` of a report period.
pub fn month_label(month: Period) -> String {
    let to = month.to_date();
    format!("{}", to.format("%Y-%m"))
}

/// The report title, e.g. 山西省危险化学品企业双重预防机制数字化建设运行情况月报（2026年11月）.
pub fn title(scope: &ReportScope, month: Period) -> String {
    let who = match scope {
        ReportScope::Province => "山西省".to_owned(),
        ReportScope::City(code) => City::from_code(code).map_or_else(|_| code.clone(), |c| c.name().to_owned()),
    };
    let to = month.to_date();
    format!("{who}危险化学品企业双重预防机制数字化建设运行情况月报（{}）", to.format("%Y年%m月"))
}

/// What every scope's report of a month is made from, computed once for the whole province: the figures of the
/// month and the previous one, the weekly evaluations that count, the ordered standings and the city ranking.
#[derive(Debug, Clone)]
pub struct Basis {
    month: Period,
    lines: Vec<Line>,
    previous: Vec<Line>,
    weekly: BTreeMap<String, Vec<standings::WeekEvaluation>>,
    standings: Standings,
    city_ranking: Vec<CityRankLine>,
}

impl Basis {
    /// Computes the basis of a report month. `known` must hold the whole province (the city ranking compares every
    /// city), at the report's `asOf`.
    pub fn compute(known: &Known, month: Period) -> Basis {
        let lines = known.lines(month);
        let previous = known.lines(month.previous());
        let weekly = standings::weekly(known, month);
        let mut now = standings::from_weekly(&weekly);
        let mut prev = standings::published_previous(known, month);
        ranking::order_enterprises(&mut now);
        ranking::order_enterprises(&mut prev);
        let city_ranking = sections::city_ranking(standings::rank_cities_from(known, &now, &prev));
        Basis { month, lines, previous, weekly, standings: Standings { now, prev }, city_ranking }
    }
}

/// Builds the report of one scope from the month's basis; a city report keeps its city's enterprises.
pub fn build(known: &Known, basis: &Basis, req: &Request, extras: Extras) -> Result<MonthlyReport, StorageError> {
    let month = basis.month;
    let in_scope = |e: &Enterprise| match &req.scope {
        ReportScope::Province => true,
        ReportScope::City(code) => e.city.code() == code,
    };
    let in_city = |code: &str| !matches!(&req.scope, ReportScope::City(c) if c != code);
    let in_city_name = |name: &str| match &req.scope {
        ReportScope::Province => true,
        ReportScope::City(code) => City::from_code(code).is_ok_and(|c| c.name() == name),
    };
    let lines: Vec<Line> = basis.lines.iter().filter(|l| in_scope(&l.enterprise)).cloned().collect();
    let previous: Vec<Line> = basis.previous.iter().filter(|l| in_scope(&l.enterprise)).cloned().collect();
    let by = match req.scope {
        ReportScope::Province => By::City,
        ReportScope::City(_) => By::Enterprise,
    };
    let total_name = match &req.scope {
        ReportScope::Province => "全省合计".to_owned(),
        ReportScope::City(_) => "全市合计".to_owned(),
    };
    let total = total_line(&lines, &total_name)?;
    let previous_total = total_line(&previous, &total_name)?;
    let groups = group(&lines, by)?;
    let rows = groups.iter().map(sections::figure_line).collect();
    let data_quality = sections::data_quality(&lines, &groups, by, &total_name, &extras.intake)?;
    let standings = basis.standings.scoped(known, &in_scope);
    let (t0, _) = month.bounds_utc();
    let t = known.window(month).t();
    Ok(MonthlyReport {
        month: month_label(month),
        from: month.from_date(),
        to: month.to_date(),
        scope: req.scope.clone(),
        title: title(&req.scope, month),
        as_of: known.as_of,
        revision: req.revision,
        note: req.note.clone(),
        progress: sections::progress(&lines, &basis.weekly, t0),
        total,
        previous_total,
        lines: rows,
        city_ranking: basis.city_ranking.clone(),
        enterprise_ranking: sections::enterprise_ranking(known, &standings),
        grades: sections::grades(known, &standings.now, &req.scope),
        overdue_major: sections::overdue_major(known, &lines, t, &extras.major_dangers),
        connections: sections::connections(&lines),
        follow_up: sections::follow_up(known, &standings.now, &basis.weekly),
        acceptance: extras.acceptance.into_iter().filter(|a| in_city(&a.city)).collect(),
        spot_checks: extras.spot_checks.into_iter().filter(|c| in_city_name(&c.city)).collect(),
        data_quality,
        handling: super::handling::lines(&extras.handling, &req.scope),
    })
}

fn total_line(lines: &[Line], name: &str) -> Result<FigureLine, StorageError> {
    let groups = group(lines, By::Province)?;
    let mut line = match groups.first() {
        Some(g) => sections::figure_line(g),
        None => sections::figure_line(&Group {
            key: "total".to_owned(),
            name: String::new(),
            figures: metrics::aggregate::Aggregate::default(),
        }),
    };
    line.key = "total".to_owned();
    line.name = name.to_owned();
    Ok(line)
}
