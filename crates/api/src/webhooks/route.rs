//! The webhook routes: subscribe, list, show, remove, resume, the delivery log and replay. A province token manages
//! every subscription; a service token those made with a service token.

pub use super::dto::{DeliveryView, SubscribeRequest, WebhookView};
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::changes::{KINDS, NOT_FOR_SERVICE};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::webhooks::dto::{ByIdRefused, NoSuchSubscription};
use actix_web::{HttpResponse, delete, get, post, web};
use domain::Code;
use serde::Deserialize;
use storage::webhooks::{self, Subscription, WebhookRow};
use utoipa::IntoParams;

fn role_key(role: Role) -> &'static str {
    if role == Role::Province { "province" } else { "service" }
}

/// The subscription `id` if the caller may manage it: 404 when there is none, 403 when it is not the caller's.
async fn owned(state: &AppState, caller: &Caller, id: i64) -> ApiResult<WebhookRow> {
    let hook = state
        .db(move |c| Ok(webhooks::get(c, id)?))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("没有此订阅 / no such webhook: {id}")))?;
    if caller.role() != Role::Province && hook.sub.owner_role != role_key(caller.role()) {
        return Err(ApiError::Forbidden(format!("无权管理此订阅 / not your webhook: {id}")));
    }
    Ok(hook)
}

fn check_request(caller: &Caller, body: &SubscribeRequest) -> ApiResult<()> {
    let url_ok = (body.url.starts_with("http://") || body.url.starts_with("https://")) && body.url.len() <= 2000;
    if !url_ok {
        return Err(ApiError::unprocessable(Code::BadUrl, "url 须为 http(s) 地址 / url must be an http(s) URL"));
    }
    for k in &body.kinds {
        let allowed =
            KINDS.contains(&k.as_str()) && !(caller.role() == Role::Service && NOT_FOR_SERVICE.contains(&k.as_str()));
        if !allowed {
            return Err(ApiError::unprocessable(
                Code::BadKind,
                format!("无效或无权的事件类型 / unknown or not allowed kind: {k}"),
            ));
        }
    }
    if body.secret.as_ref().is_some_and(|s| !(16..=200).contains(&s.chars().count())) {
        return Err(ApiError::unprocessable(
            Code::BadSecret,
            "secret 须为16至200个字符 / secret must have 16 to 200 characters",
        ));
    }
    Ok(())
}

/// Subscribe a URL to events (province or service). The answer carries the secret; it is never shown again.
#[utoipa::path(tag = "changes", request_body = SubscribeRequest, security(("bearer" = [])), responses(
    (status = 201, description = "the subscription, with its secret", body = WebhookView),
    (status = 400, description = "malformed body", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not province or service", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "bad url, kind or secret", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<SubscribeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    check_request(&caller, &body)?;
    let secret = body.secret.clone().unwrap_or_else(|| format!("whsec_{}", uuid::Uuid::new_v4().simple()));
    let mut new = Subscription {
        url: body.url,
        kinds: body.kinds.join(","),
        secret: secret.clone(),
        owner_role: role_key(caller.role()).to_owned(),
        owner: caller.claims.sub.clone(),
        state: "active".into(),
        cursor: body.after.unwrap_or(-1),
        failures: 0,
        created_at: state.clock.now_utc(),
    };
    let row = state
        .db(move |c| {
            if new.cursor < 0 {
                new.cursor = storage::events::last_seq(c)?;
            }
            Ok(webhooks::create(c, &new)?)
        })
        .await?;
    state.changes.bump();
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok(HttpResponse::Created().json(view))
}

/// The subscriptions the caller manages.
#[utoipa::path(tag = "changes", security(("bearer" = [])), responses(
    (status = 200, description = "subscriptions, oldest first (without secrets)", body = [WebhookView]),
    NoToken,
    (status = 403, description = "not province or service", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>, caller: Caller) -> ApiResult<web::Json<Vec<WebhookView>>> {
    let only = (caller.role() != Role::Province).then(|| role_key(caller.role()));
    let rows = state.db(move |c| Ok(webhooks::list(c, only)?)).await?;
    Ok(web::Json(rows.into_iter().map(WebhookView::from).collect()))
}

/// One subscription.
#[utoipa::path(tag = "changes", params(("id" = i64, Path, description = "the subscription")), security(("bearer" = [])), responses(
    (status = 200, description = "the subscription (without its secret)", body = WebhookView),
    ByIdRefused, NoSuchSubscription,
))]
#[get("/api/v1/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<WebhookView>> {
    Ok(web::Json(owned(&state, &caller, id.into_inner()).await?.into()))
}

/// Remove a subscription and its delivery log.
#[utoipa::path(tag = "changes", params(("id" = i64, Path, description = "the subscription")), security(("bearer" = [])), responses(
    (status = 204, description = "removed"),
    ByIdRefused, NoSuchSubscription,
))]
#[delete("/api/v1/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, caller: Caller, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let hook = owned(&state, &caller, id.into_inner()).await?;
    state.db(move |c| Ok(webhooks::delete(c, hook.id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Resume a paused subscription: its oldest pending delivery is tried at once.
#[utoipa::path(tag = "changes", params(("id" = i64, Path, description = "the subscription")), security(("bearer" = [])), responses(
    (status = 200, description = "the subscription, active", body = WebhookView),
    ByIdRefused, NoSuchSubscription,
))]
#[post("/api/v1/webhooks/{id}/resume")]
pub async fn resume_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<WebhookView>> {
    let id = owned(&state, &caller, id.into_inner()).await?.id;
    let now = state.clock.now_utc();
    let row = state
        .db(move |c| {
            webhooks::resume(c, id, now)?;
            webhooks::get(c, id)?.ok_or_else(|| storage::StorageError::NotFound(format!("webhook {id}")))
        })
        .await?;
    state.changes.bump();
    Ok(web::Json(row.into()))
}

/// Query of the delivery log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// The delivery log of a subscription, newest first.
#[utoipa::path(tag = "changes", params(("id" = i64, Path, description = "the subscription"), DeliveriesQuery), security(("bearer" = [])), responses(
    (status = 200, description = "deliveries, newest first", body = [DeliveryView]),
    ByIdRefused, NoSuchSubscription,
))]
#[get("/api/v1/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    q: web::Query<DeliveriesQuery>,
) -> ApiResult<web::Json<Vec<DeliveryView>>> {
    let id = owned(&state, &caller, id.into_inner()).await?.id;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let rows = state.db(move |c| Ok(webhooks::deliveries(c, id, limit)?)).await?;
    Ok(web::Json(rows.into_iter().map(DeliveryView::from).collect()))
}

/// Send one delivery again (queued now, with a fresh 24 h of retries).
#[utoipa::path(tag = "changes", params(("id" = i64, Path, description = "the subscription"),
    ("deliveryId" = i64, Path, description = "the delivery")), security(("bearer" = [])), responses(
    (status = 202, description = "queued again"),
    ByIdRefused,
    (status = 404, description = "no such subscription or delivery", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay")]
pub async fn replay_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (id, delivery) = path.into_inner();
    let id = owned(&state, &caller, id).await?.id;
    let now = state.clock.now_utc();
    if !state.db(move |c| Ok(webhooks::replay(c, id, delivery, now)?)).await? {
        return Err(ApiError::NotFound(format!("没有此投递 / no such delivery: {delivery}")));
    }
    state.changes.bump();
    Ok(HttpResponse::Accepted().finish())
}
