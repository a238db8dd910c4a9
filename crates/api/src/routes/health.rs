//! Liveness and readiness.

use crate::AppState;
use crate::error::Problem;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

/// A probe answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` (alive) or `ready`.
    pub status: &'static str,
    /// Liveness only: the platform's clock now (Asia/Shanghai), which the dashboard takes as its "today".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", responses((status = 200, description = "the process is alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> web::Json<Health> {
    web::Json(Health { status: "ok", now: Some(domain::time::format_local(state.clock.now_utc())) })
}

/// Readiness: the database answers and every migration has been applied.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "ready to serve", body = Health),
    (status = 503, description = "database unreachable or migrations pending", body = Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let ready = web::block(move || db.is_ready()).await.unwrap_or(false);
    if ready {
        HttpResponse::Ok().json(Health { status: "ready", now: None })
    } else {
        let code = domain::Code::NotReady;
        let problem = Problem {
            type_uri: format!("urn:dualprev:error:{code}"),
            title: code.title(),
            status: code.status(),
            detail: "数据库不可用或迁移未完成 / database unreachable or migrations pending".into(),
            code: code.to_string(),
            oldest_cursor: None,
        };
        HttpResponse::ServiceUnavailable().content_type("application/problem+json").json(problem)
    }
}
