//! `GET /metrics`: the process's telemetry in the Prometheus text format (`docs/observability.md`).

use crate::AppState;
use actix_web::{HttpResponse, get, web};

/// Prometheus text exposition (format 0.0.4): requests by route and status, records ingested, pull attempts and
/// failures by enterprise, job runs and durations, database pool usage. For the operator network: do not expose it
/// through the public reverse proxy.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain; version=0.0.4"),
))]
#[get("/metrics")]
pub async fn prometheus(state: web::Data<AppState>) -> HttpResponse {
    let text = state.telemetry.render(state.db.pool_state());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text)
}
