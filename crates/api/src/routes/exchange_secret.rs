//! `POST /x/{secret}/{table}`: a push by the enterprise's secret base address, for clients that can change nothing
//! but their base address and send no `Authorization` header (`docs/data-exchange.md` §11). The secret is set,
//! rotated and revoked by the `baseSecret` column of `registry import`, stored as its SHA-256 and never logged in
//! full (`crate::redact`).

use super::exchange::PushQuery;
use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::sender::{Pusher, Sender};
use actix_web::{HttpRequest, HttpResponse, post, web};
use domain::CompanyCode;
use exchange::Receipt;

/// Push a batch by the enterprise's secret base address (no `Authorization` header).
///
/// The same push as `POST /api/v1/exchange/{table}` (tables by platform name or national alias, `?dryRun=`,
/// limits, receipts, the enterprise's answer profile), the enterprise being the one whose `baseSecret` is in the
/// address. An unknown or revoked secret is 404, like an address that does not exist.
#[utoipa::path(tag = "exchange", params(
        ("secret" = String, Path, description = "the enterprise's secret (at least 32 of A–Z a–z 0–9 - _)"),
        ("table" = String, Path, description = "table name or national alias"), PushQuery),
    request_body(content = Vec<Object>, description = "records, or {\"datas\": \"<base64>\"}", content_type = "application/json"),
    responses(
    (status = 200, description = "every record stored, unchanged or held", body = Receipt),
    (status = 207, description = "some records rejected, the others stored", body = Receipt),
    (status = 422, description = "every record rejected", body = Receipt),
    (status = 400, description = "not a JSON array, empty, or cannot be decrypted", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such secret (or revoked), or no such table", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "over 500 records or the body limit", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "over the enterprise's push rate; see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "the database cannot be written or is unreachable; resend after Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/x/{secret}/{table}")]
pub async fn push_by_secret(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<PushQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (secret, table) = path.into_inner();
    let row = state.db(move |c| storage::registry::by_base_secret(c, &secret)).await?;
    let row = row.ok_or_else(|| ApiError::NotFound("没有此地址 / no such address".into()))?;
    let company = CompanyCode::parse(&row.company_code).map_err(|e| ApiError::Internal(e.to_string()))?;
    let sender = Sender { actor: format!("secret:{company}"), pusher: Pusher::Enterprise(company) };
    crate::push::accept(state, req, sender, &table, query.dry_run, payload).await
}
