//! `GET /api/v1/attachments/{sha256}`: a file attached to a handling action, for whoever may read a case that
//! carries it, or a photo of a danger (`dangerImg`, …, stored by `ingest::photos`), for whoever may see an
//! enterprise whose records carry it (the enterprise itself, its city, the province; the service role, which reads
//! every warning with its records).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::handling::scope::may_read;
use actix_web::{HttpResponse, get, web};
use domain::Code;

/// A stored file: a handling file or a danger's photo. JPEG and PNG images (by their first bytes) are served inline
/// with their media type, anything else as an attachment; both with `X-Content-Type-Options: nosniff` and, being
/// addressed by their content, cached for a year (`private, immutable`).
#[utoipa::path(tag = "figures", params(("sha256" = String, Path, description = "64 lowercase hex digits")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the file (images inline)", content_type = "application/octet-stream"),
    (status = 400, description = "not a SHA-256", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "no case the caller may read and no record of an enterprise it may see carries it", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such file", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/attachments/{sha256}")]
pub async fn get_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let sha = path.into_inner();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(ApiError::bad_request(Code::BadPath, format!("不是 SHA-256 / not a SHA-256: {sha:?}")));
    }
    let key = sha.clone();
    let (carriers, file) = state
        .db(move |c| {
            let mut carriers = storage::handling::attachments::carriers(c, &key)?;
            carriers.extend(storage::record_attachments::carriers(c, &key)?);
            Ok((carriers, storage::handling::attachments::get(c, &key)?))
        })
        .await?;
    let Some((content_type, bytes)) = file.filter(|_| !carriers.is_empty()) else {
        return Err(ApiError::NotFound(format!("没有此附件 / no file {sha}")));
    };
    if !carriers.iter().any(|(company, city)| may_read(&caller, company, city).is_ok()) {
        return Err(ApiError::Forbidden("无权查看此附件 / no access to this file".into()));
    }
    // Inline only what is a JPEG or PNG by its bytes and says so; the rest is saved, never rendered.
    let image = domain::photos::ImageKind::sniff(&bytes).filter(|k| k.content_type() == content_type);
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", if image.is_some() { "inline" } else { "attachment" }))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, max-age=31536000, immutable"))
        .insert_header(("ETag", format!("\"{sha}\"")))
        .body(bytes))
}
