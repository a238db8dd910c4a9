//! `GET /api/v1/batches`: the construction batches with their deadlines, from `domain::ConstructionBatch` (the one source the
//! report and the dashboard use too).

use crate::auth::Caller;
use crate::error::Problem;
use crate::error_doc::shared::NoToken;
use actix_web::{get, web};
use domain::ConstructionBatch;
use serde::Serialize;
use utoipa::ToSchema;

/// A construction batch (建设批次).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"key": "1", "name": "第一批次", "deadline": "2022-06-30",
    "basis": "2022年上半年，太原市、长治市、晋城市、晋中市、临汾市和运城市作为……先行城市，……率先开展建设任务，并取得有效的工作成果"}))]
pub struct BatchView {
    /// `1`, `2` or `unknown` (the key of `by=batch` rows and registry rows).
    pub key: String,
    /// 第一批次, 第二批次 or 批次未知.
    pub name: String,
    /// The construction deadline, a local date.
    pub deadline: Option<String>,
    /// The notice's words the deadline rests on (晋应急发〔2022〕105号).
    pub basis: String,
}

/// Every construction batch with its deadline and the notice's words for it.
#[utoipa::path(tag = "registry", security(("bearer" = [])), responses(
    (status = 200, description = "the batches", body = [BatchView]),
    NoToken,
    (status = 403, description = "refused by the access policy (every role may read this)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/batches")]
pub async fn list_batches(_caller: Caller) -> web::Json<Vec<BatchView>> {
    web::Json(
        ConstructionBatch::ALL
            .iter()
            .map(|b| BatchView {
                key: b.key().to_owned(),
                name: b.label().to_owned(),
                deadline: b.deadline().map(|d| d.to_string()),
                basis: b.deadline_basis().to_owned(),
            })
            .collect(),
    )
}
