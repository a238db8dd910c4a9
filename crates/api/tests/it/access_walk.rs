//! Helpers of the access test: the operations of the OpenAPI document, and the walk that finds rows outside a
//! caller's scope in an answer.

use serde_json::Value;

/// What the scope walk allows in an answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Walk {
    /// Every code in a scope field must be the caller's own (or its city's).
    Strict,
    /// Aggregates of every city are allowed by the spec (rankings `of=cities`): no walk.
    CityAggregates,
}

/// `METHOD /path` of every operation of the OpenAPI document, with whether it declares `security`.
pub fn operations() -> Vec<(String, bool)> {
    let doc: Value = serde_json::from_str(&api::openapi_json()).unwrap();
    let mut ops = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            ops.push((format!("{} {path}", method.to_uppercase()), secured));
        }
    }
    ops
}

/// Sections where the spec shows every city's aggregate to a city: the city ranking of a city's monthly report
/// (`docs/reports.md` §三, the same as `GET /api/v1/rankings?of=cities`).
const AGGREGATES: [&str; 2] = ["cityRanking", "city_ranking"];

/// Collects the codes in scope fields (`cityCode`, `companyCode`, `company`, `city`, `scope`, `key`) that are
/// neither the caller's own nor a prefix of it (an enterprise may see its own city's code).
/// Returns how many codes it looked at.
pub fn walk(v: &Value, own: &str, out: &mut Vec<String>) -> usize {
    match v {
        Value::Array(items) => items.iter().map(|i| walk(i, own, out)).sum(),
        Value::Object(map) => {
            let mut seen = 0;
            for (k, x) in map.iter().filter(|(k, _)| !AGGREGATES.contains(&k.as_str())) {
                if let ("cityCode" | "companyCode" | "company" | "city" | "scope" | "key", Value::String(code)) =
                    (k.as_str(), x)
                {
                    let is_code = matches!(code.len(), 6 | 9) && code.bytes().all(|b| b.is_ascii_digit());
                    seen += usize::from(is_code);
                    if is_code && !code.starts_with(own) && !own.starts_with(code.as_str()) {
                        out.push(format!("{k}={code}"));
                    }
                }
                seen += walk(x, own, out);
            }
            seen
        }
        _ => 0,
    }
}
