//! The access policy: one table that says, for every route, who may call it. The [`authorize`] middleware enforces
//! it in front of every handler, the OpenAPI document publishes it (`x-roles` on each operation), and a route that
//! has no line in the table is refused for everyone (deny by default), so a new route cannot forget its rule.
//!
//! The table covers the role and the scope carried by the request's parameters: `?city=` of a city token must be its
//! own city, and `?company=` or `{companyCode}` must be one of its own enterprises (a city token) or itself (an
//! enterprise token). Scope that depends on a stored row (the company of a receipt, the city of a report) is checked
//! by the handler with [`super::Caller::may_see_enterprise`] and [`super::Caller::city_scope`].

use super::Role;

/// How a route is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (probes).
    Public,
    /// A bearer token of one of these roles.
    Roles(&'static [Role]),
    /// The exchange routes: an enterprise bearer token, or HTTP Basic with the enterprise code and its password
    /// (checked by the handler against the registry).
    Exchange,
}

/// One line of the policy.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The HTTP method.
    pub method: &'static str,
    /// The route pattern, as registered (`/api/v1/enterprises/{companyCode}`).
    pub route: &'static str,
    /// Who may call it.
    pub access: Access,
}

use Role::{Auditor, City, Enterprise, Province, Secadmin, Service, Sysadmin};

/// Every role: who may ask who they are, sign out or change their password.
const EVERYONE: [Role; 7] = [Province, City, Enterprise, Service, Sysadmin, Secadmin, Auditor];

const fn rule(method: &'static str, route: &'static str, access: Access) -> Rule {
    Rule { method, route, access }
}

/// Every route of the API and who may call it. `docs/security.md` gives the same table in prose.
pub const POLICY: &[Rule] = &[
    rule("GET", "/healthz", Access::Public),
    rule("POST", "/api/v1/session", Access::Public),
    rule("GET", "/api/v1/session", Access::Roles(&EVERYONE)),
    rule("DELETE", "/api/v1/session", Access::Roles(&EVERYONE)),
    rule("PUT", "/api/v1/session/password", Access::Roles(&EVERYONE)),
    rule("GET", "/api/v1/session/sso", Access::Public),
    rule("GET", "/api/v1/session/sso/start", Access::Public),
    rule("GET", "/api/v1/session/sso/callback", Access::Public),
    rule("GET", "/readyz", Access::Public),
    rule("GET", "/metrics", Access::Public),
    rule("GET", "/api/v1/batches", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/enterprises", Access::Roles(&[Province, City, Service])),
    rule("GET", "/api/v1/enterprises/{companyCode}", Access::Roles(&[Province, City, Service])),
    rule("POST", "/api/v1/exchange/{table}", Access::Exchange),
    rule("POST", "/x/{secret}/{table}", Access::Exchange),
    rule("GET", "/api/v1/exchange/receipts", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/exchange/receipts/{batchId}", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/exchange/pending", Access::Roles(&[Province, City, Enterprise])),
    rule("DELETE", "/api/v1/exchange/pending/{table}/{id}", Access::Roles(&[Enterprise])),
    rule("GET", "/api/v1/metrics", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/metrics/explain", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/evaluations", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("POST", "/api/v1/evaluations/{week}/revisions", Access::Roles(&[Province])),
    rule("GET", "/api/v1/rankings", Access::Roles(&[Province, City])),
    rule("GET", "/api/v1/warnings", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/warnings/{id}", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("POST", "/api/v1/warnings/{id}/actions", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/warning-cases", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/attachments/{sha256}", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/notifications", Access::Roles(&[Province, City, Enterprise])),
    rule("POST", "/api/v1/notifications/read", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/notifications/email", Access::Roles(&[Province, City, Enterprise])),
    rule("PUT", "/api/v1/notifications/email", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/records/{table}/{id}", Access::Roles(&[Province, City, Enterprise])),
    rule("GET", "/api/v1/warning-inputs", Access::Roles(&[Service, Province])),
    rule("GET", "/api/v1/reports", Access::Roles(&[Province, City])),
    rule("GET", "/api/v1/reports/{id}", Access::Roles(&[Province, City])),
    rule("POST", "/api/v1/reports", Access::Roles(&[Province])),
    rule("GET", "/api/v1/acceptances", Access::Roles(&[Province, City])),
    rule("POST", "/api/v1/acceptances", Access::Roles(&[City])),
    rule("GET", "/api/v1/spot-checks", Access::Roles(&[Province, City])),
    rule("POST", "/api/v1/spot-checks", Access::Roles(&[Province])),
    rule("POST", "/api/v1/spot-checks/{id}/findings", Access::Roles(&[Province])),
    rule("POST", "/api/v1/tokens/revoke", Access::Roles(&[Province])),
    rule("GET", "/api/v1/users", Access::Roles(&[Sysadmin, Secadmin])),
    rule("POST", "/api/v1/users", Access::Roles(&[Sysadmin])),
    rule("PATCH", "/api/v1/users/{username}", Access::Roles(&[Sysadmin, Secadmin])),
    rule("GET", "/api/v1/security-policy", Access::Roles(&EVERYONE)),
    rule("PUT", "/api/v1/security-policy", Access::Roles(&[Secadmin])),
    rule("GET", "/api/v1/audit", Access::Roles(&[Province, Auditor])),
    rule("GET", "/api/v1/changes", Access::Roles(&[Province, City, Enterprise, Service])),
    rule("GET", "/api/v1/webhooks", Access::Roles(&[Province, Service])),
    rule("POST", "/api/v1/webhooks", Access::Roles(&[Province, Service])),
    rule("GET", "/api/v1/webhooks/{id}", Access::Roles(&[Province, Service])),
    rule("DELETE", "/api/v1/webhooks/{id}", Access::Roles(&[Province, Service])),
    rule("POST", "/api/v1/webhooks/{id}/resume", Access::Roles(&[Province, Service])),
    rule("GET", "/api/v1/webhooks/{id}/deliveries", Access::Roles(&[Province, Service])),
    rule("POST", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", Access::Roles(&[Province, Service])),
];

/// The rule of a method and route pattern, if the table has one.
pub fn rule_for(method: &str, route: &str) -> Option<&'static Rule> {
    POLICY.iter().find(|r| r.method.eq_ignore_ascii_case(method) && r.route == route)
}

impl Access {
    /// The roles, as published in the OpenAPI document (`x-roles`); `public` for the probes.
    pub fn labels(&self) -> Vec<&'static str> {
        let name = |r: &Role| r.key();
        match self {
            Access::Public => vec!["public"],
            Access::Roles(roles) => roles.iter().map(name).collect(),
            Access::Exchange => vec!["enterprise"],
        }
    }
}

/// The value of the path parameter `name` in `path`, by the position of `{name}` in the route `pattern`.
pub fn path_param<'a>(pattern: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let wanted = format!("{{{name}}}");
    let at = pattern.split('/').position(|s| s == wanted)?;
    path.split('/').nth(at).filter(|s| !s.is_empty())
}

/// The first value of a query parameter, percent-decoded (`None` when absent or the query string is malformed; the
/// handler then answers the malformed query).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    let pairs = actix_web::web::Query::<Vec<(String, String)>>::from_query(query).ok()?.into_inner();
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_per_route_and_method() {
        for (i, r) in POLICY.iter().enumerate() {
            assert!(
                !POLICY[..i].iter().any(|o| o.method == r.method && o.route == r.route),
                "{} {} twice",
                r.method,
                r.route
            );
        }
        assert!(rule_for("get", "/api/v1/audit").is_some());
        assert!(rule_for("DELETE", "/api/v1/audit").is_none());
    }

    #[test]
    fn parameters_are_found_by_position_and_name() {
        let p = "/api/v1/enterprises/{companyCode}";
        assert_eq!(path_param(p, "/api/v1/enterprises/140100001", "companyCode"), Some("140100001"));
        assert_eq!(path_param(p, "/api/v1/enterprises/", "companyCode"), None);
        assert_eq!(path_param(p, "/api/v1/enterprises/1", "id"), None);
        assert_eq!(query_param("period=2026-11&city=140100", "city").as_deref(), Some("140100"));
        assert_eq!(query_param("cityx=1&city=%32", "city").as_deref(), Some("2"));
        assert_eq!(query_param("", "city"), None);
    }
}
