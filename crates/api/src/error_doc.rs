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
