//! The registry in the OpenAPI document: the problem document's `code` lists every registered code
//! (`domain::Code`), so integrators read the codes from the same table the server answers with.

use domain::Code;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

/// Lists every registered code as the `enum` of `Problem.code`; false when the schema is not where it belongs (a
/// test checks it is).
pub fn publish(doc: &mut OpenApi) -> bool {
    let Some(components) = doc.components.as_mut() else { return false };
    let Some(RefOr::T(Schema::Object(problem))) = components.schemas.get_mut("Problem") else { return false };
    let Some(RefOr::T(Schema::Object(code))) = problem.properties.get_mut("code") else { return false };
    code.enum_values = Some(Code::ALL.iter().map(|c| serde_json::Value::from(c.as_str())).collect());
    true
}

/// The answers that many routes share, each written once for the OpenAPI document (a route lists the type in its
/// `responses(...)`); what the body holds is always a [`Problem`](crate::error::Problem).
pub mod shared {
    use crate::error::Problem;
    use utoipa::IntoResponses;

    /// 401 on a token route: no token, or one that is malformed, expired or wrongly signed.
    #[derive(IntoResponses)]
    #[response(status = 401, description = "no valid token", content_type = "application/problem+json")]
    pub struct NoToken(#[allow(dead_code)] Problem);

    /// 401 on a session route: no session cookie, or one that has ended.
    #[derive(IntoResponses)]
    #[response(status = 401, description = "not signed in", content_type = "application/problem+json")]
    pub struct NotSignedIn(#[allow(dead_code)] Problem);

    /// 403: the caller's role or city does not reach the data asked for.
    #[derive(IntoResponses)]
    #[response(status = 403, description = "outside the caller's scope", content_type = "application/problem+json")]
    pub struct OutOfScope(#[allow(dead_code)] Problem);
}
