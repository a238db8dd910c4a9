//! The change detector: the derived events `figure.changed`, `warning.opened` and `warning.closed`.
//!
//! A pass computes, for every registered enterprise, three figures (安全风险分析完成率 `riskAnalysis`, 排查任务完成率
//! `taskCompletion`, 隐患整改率 `rectification`) over the *current* ISO week and the *current* calendar month, and
//! the open warnings; it compares them with the values it emitted last (`event_marks`) and emits one event per
//! difference. Figures of a period that has ended are no longer watched (their marks are dropped silently), and a
//! figure seen for the first time is emitted only when it has a base (den > 0), so that a new week does not flood
//! the feed with empty figures. The worker runs a pass after every wake-up of the feed and at least once a minute
//! ([`crate::webhooks::worker`]); tests call [`detect`] directly.

use crate::AppState;
use crate::error::ApiResult;
use crate::figures::known_in_background;
use chrono::NaiveDateTime;
use domain::Period;
use serde_json::json;
use std::collections::BTreeMap;
use storage::event_marks::{Mark, Pass};
use storage::events::NewEvent;

/// The figures watched, by the name used in events.
const FIGURES: [&str; 3] = ["riskAnalysis", "taskCompletion", "rectification"];

/// One watched value: the enterprise, its city and the value.
struct Watched {
    company: domain::CompanyCode,
    city: String,
    value: serde_json::Value,
}

/// Runs one pass at `now`; returns how many events it emitted.
pub async fn detect(state: &AppState, now: NaiveDateTime) -> ApiResult<usize> {
    let today = domain::time::local_date(now);
    let watched = [Period::week_of(today), Period::month_of(today)];
    let since = watched.iter().map(|p| p.bounds_utc().0).fold(report::warnings::since(now), NaiveDateTime::min);
    let known = known_in_background(state, since).await?;
    let at = known.as_of;
    let (inputs, expected, open_cases) = state
        .db(move |c| {
            let inputs = report::warnings::Inputs::load(c, at)?;
            Ok((inputs, storage::event_marks::all(c)?, storage::handling::cases::open_ids(c)?))
        })
        .await?;
    let mut opened = Vec::new();
    let mut current: BTreeMap<String, Watched> = BTreeMap::new();
    for period in watched {
        let label = period.label();
        for line in known.lines(period) {
            let f = &line.figures;
            for (name, fig) in FIGURES.iter().zip([f.risk_analysis, f.task_completion, f.rectification.all]) {
                let key = format!("figure|{}|{label}|{name}", line.enterprise.code);
                let value = json!({"num": fig.num, "den": fig.den});
                let w =
                    Watched { company: line.enterprise.code.clone(), city: line.enterprise.city.code().into(), value };
                current.insert(key, w);
            }
        }
    }
    for w in state.figures.open_warnings(&known, &inputs) {
        let id = w.id();
        let key = format!("warning|{id}");
        let value = json!({"id": id, "warning": w.kind.key(), "level": w.level.key(), "detail": w.detail,
            "since": w.since.map(domain::time::format_local), "cityCode": w.enterprise.city.code(),
            "records": w.records});
        let company = w.enterprise.code.clone();
        if open_cases.get(&id).is_none_or(|cleared| *cleared) {
            opened.push(storage::handling::cases::Opened {
                warning_id: id.clone(),
                company_code: company.to_string(),
                city_code: w.enterprise.city.code().into(),
                kind: w.kind.key().into(),
                level: w.level.key().into(),
                detail: w.detail.clone(),
            });
        }
        current.insert(key, Watched { company, city: w.enterprise.city.code().into(), value });
    }
    let mut pass = diff(&expected, &current, now);
    pass.cleared = open_cases
        .iter()
        .filter(|(id, cleared)| !**cleared && !current.contains_key(&format!("warning|{id}")))
        .map(|(id, _)| id.clone())
        .collect();
    pass.opened = opened;
    pass.limits = state.handling;
    let n = pass.emitted.len();
    if pass.set.is_empty() && pass.gone.is_empty() && pass.opened.is_empty() && pass.cleared.is_empty() {
        return Ok(0);
    }
    let applied = state.db(move |c| storage::event_marks::apply(c, &pass, now)).await?;
    if applied && n > 0 {
        state.changes.bump();
    }
    Ok(if applied { n } else { 0 })
}

/// The marks to write and the events to emit for the differences between what was emitted and what holds now.
fn diff(expected: &BTreeMap<String, Mark>, current: &BTreeMap<String, Watched>, now: NaiveDateTime) -> Pass {
    let mut pass = Pass { expected: expected.clone(), ..Pass::default() };
    for (key, w) in current {
        let text = w.value.to_string();
        let old = expected.get(key);
        if old.is_some_and(|m| m.value == text) {
            continue;
        }
        let parts: Vec<&str> = key.split('|').collect();
        let event = match parts.as_slice() {
            ["figure", _, period, figure] => {
                let old_value = old.and_then(|m| serde_json::from_str::<serde_json::Value>(&m.value).ok());
                if old_value.is_none() && w.value["den"] == 0 {
                    None
                } else {
                    let data = json!({"period": period, "figure": figure, "old": old_value, "new": w.value});
                    Some(NewEvent::new("figure.changed", Some(&w.city), Some(&w.company), &data, now))
                }
            }
            ["warning", _] if old.is_none() => {
                Some(NewEvent::new("warning.opened", Some(&w.city), Some(&w.company), &w.value, now))
            }
            // A warning still open whose level or detail changed: the mark follows, no event.
            _ => None,
        };
        pass.emitted.extend(event);
        pass.set.insert(key.clone(), Mark { company_code: w.company.to_string(), value: text });
    }
    for (key, m) in expected {
        if current.contains_key(key) {
            continue;
        }
        let old = serde_json::from_str::<serde_json::Value>(&m.value).unwrap_or_default();
        let city = old["cityCode"].as_str().map(str::to_owned);
        let data = match key.split('|').collect::<Vec<_>>().as_slice() {
            ["warning", id] => Some(json!({"id": id, "warning": old["warning"]})),
            // A mark of the release before warning ids (`warning|{company}|{kind}`): closed once, without an id;
            // the same cause is opened again under its id in this pass.
            ["warning", _, kind] => Some(json!({"warning": kind, "reason": "reidentified"})),
            _ => None,
        };
        if let Some(data) = data {
            // Marks are written from valid codes only (above); one that is not would carry no enterprise detail.
            let company = domain::CompanyCode::parse(&m.company_code).ok();
            pass.emitted.push(NewEvent::new("warning.closed", city.as_deref(), company.as_ref(), &data, now));
        }
        pass.gone.push(key.clone());
    }
    pass
}
