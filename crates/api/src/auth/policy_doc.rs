//! The policy in the OpenAPI document: every operation carries `x-roles`, the roles of its rule, so integrators
//! read who may call a route from the same table the server enforces.

use super::policy::{POLICY, rule_for};
use utoipa::openapi::OpenApi;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Operation;

/// Every (method, path) of a document.
fn operations(doc: &mut OpenApi) -> Vec<(&'static str, String, &mut Operation)> {
    let mut out = vec![];
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            ("GET", item.get.as_mut()),
            ("PUT", item.put.as_mut()),
            ("POST", item.post.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
            ("HEAD", item.head.as_mut()),
            ("OPTIONS", item.options.as_mut()),
            ("TRACE", item.trace.as_mut()),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                out.push((method, path.clone(), op));
            }
        }
    }
    out
}

/// Adds `x-roles` to every operation that has a rule, and returns the operations that have none and the rules that
/// match no operation (both empty when the table and the routes agree; a test checks it).
pub fn publish(doc: &mut OpenApi) -> (Vec<String>, Vec<String>) {
    let mut missing = vec![];
    let mut seen = vec![];
    for (method, path, op) in operations(doc) {
        match rule_for(method, &path) {
            Some(rule) => {
                seen.push((rule.method, rule.route));
                let ext = ExtensionsBuilder::new().add("x-roles", rule.access.labels()).build();
                op.extensions.get_or_insert_with(Default::default).merge(ext);
            }
            None => missing.push(format!("{method} {path}")),
        }
    }
    let unused = POLICY
        .iter()
        .filter(|r| !seen.contains(&(r.method, r.route)))
        .map(|r| format!("{} {}", r.method, r.route))
        .collect();
    (missing, unused)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_has_a_rule_and_every_rule_an_operation() {
        let mut doc = crate::openapi();
        let (missing, unused) = super::publish(&mut doc);
        assert_eq!(missing, Vec::<String>::new(), "routes without an access rule");
        assert_eq!(unused, Vec::<String>::new(), "rules without a route");
        let metrics = doc.paths.get_path_item("/api/v1/audit").and_then(|p| p.get.as_ref());
        let roles = metrics.and_then(|op| op.extensions.as_ref()).and_then(|e| e.get("x-roles")).cloned();
        assert_eq!(roles, Some(serde_json::json!(["province", "auditor"])));
    }
}
