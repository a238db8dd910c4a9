//! A push, whoever sends it (`routes::exchange::push` with a token or HTTP Basic, `routes::exchange_secret` by the
//! secret base address): the rate limit, the body, ingestion, telemetry and the answer in the enterprise's profile.

pub mod national;

use crate::AppState;
use crate::audit::AuditDetail;
use crate::error::{ApiError, ApiResult};
use crate::routes::exchange::{push_body_limit, read_body_up_to};
use crate::sender::{Pusher, Sender};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use domain::client::Profile;
use domain::{CompanyCode, ExchangeTable};
use exchange::Receipt;
use ingest::group::GroupOutcome;
use ingest::{IncomingBatch, Source};

/// The request's id (`X-Request-Id`), for the national answer's `requestId`.
fn request_id(req: &HttpRequest) -> String {
    req.extensions().get::<crate::telemetry::middleware::RequestId>().map(|r| r.0.clone()).unwrap_or_default()
}

/// The answer profile of an enterprise (standard when it is not registered or the row cannot be read).
async fn profile_of(state: &AppState, company: &CompanyCode) -> Profile {
    let code = company.clone();
    let row = state.db(move |c| storage::registry::row(c, &code)).await;
    row.ok().flatten().and_then(|r| Profile::parse(&r.profile).ok()).unwrap_or_default()
}

/// Processes a push of `table` by a verified sender and answers it; errors are answered in the national shape
/// when the sender is one enterprise whose profile is `national`.
pub async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
    sender: Sender,
    table: &str,
    dry_run: bool,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let actor = sender.actor.clone();
    let profile = match &sender.pusher {
        Pusher::Enterprise(company) => profile_of(&state, company).await,
        Pusher::Group(_) => Profile::Standard,
    };
    match run(&state, sender, table, dry_run, payload).await {
        Ok((receipt, profile_after)) => answer(&state, &req, &actor, &receipt, profile_after.unwrap_or(profile)),
        Err(e) if profile == Profile::National => Ok(national::refusal(&request_id(&req), &e)),
        Err(e) => Err(e),
    }
}

/// Reads and processes the body; the receipt, and the profile of the enterprise a group pushed for.
async fn run(
    state: &web::Data<AppState>,
    sender: Sender,
    table: &str,
    dry_run: bool,
    payload: web::Payload,
) -> ApiResult<(Receipt, Option<Profile>)> {
    let limited = sender.limit_key();
    state.push_limit.admit(&limited).map_err(ApiError::TooManyRequests)?;
    let table = ExchangeTable::parse(table).map_err(|e| ApiError::NotFound(format!("{e}")))?;
    // A danger body may carry photos: a larger bound (`push_body_limit`), checked again without them once parsed.
    let limit = push_body_limit(table);
    let body = read_body_up_to(payload, limit).await.inspect_err(|_| state.push_limit.charge(&limited, 1))?;
    let db = state.db.clone();
    let now = state.clock.now_utc();
    let actor = sender.actor.clone();
    let outcome = web::block(move || {
        // A group's batch is the enterprise its records name (`process_group` sets it); its first member stands in.
        let (company, members) = match &sender.pusher {
            Pusher::Enterprise(c) => (c, None),
            Pusher::Group(m) => match m.first() {
                Some(first) => (first, Some(m)),
                None => return Ok(GroupOutcome::NoMember),
            },
        };
        let batch = IncomingBatch { table, sender: company, actor: &sender.actor, source: Source::Push, dry_run, now };
        match members {
            None => ingest::process(&db, &batch, &body).map(|r| GroupOutcome::Processed(company.clone(), r)),
            Some(m) => ingest::group::process_group(&db, &batch, m, &body),
        }
    })
    .await?;
    // Every admitted push is charged its records once read (a body refused as a whole: one).
    let received = match &outcome {
        Ok(GroupOutcome::Processed(_, r)) => r.received,
        _ => 1,
    };
    state.push_limit.charge(&limited, received);
    let (company, receipt) = match outcome? {
        GroupOutcome::Processed(company, receipt) => (company, receipt),
        GroupOutcome::NoMember => {
            return Err(ApiError::Forbidden(format!(
                "本批记录的 companyCode 都不是 {actor} 可推送的企业 / no record names an enterprise {actor} may push for"
            )));
        }
    };
    let after =
        if actor.starts_with(crate::sender::GROUP_PREFIX) { Some(profile_of(state, &company).await) } else { None };
    Ok((receipt, after))
}

/// The answer: telemetry, the change-feed wake-up, the audit detail, and the receipt in the profile's shape.
fn answer(
    state: &AppState,
    req: &HttpRequest,
    actor: &str,
    receipt: &Receipt,
    profile: Profile,
) -> ApiResult<HttpResponse> {
    let status =
        actix_web::http::StatusCode::from_u16(receipt.status()).map_err(|e| ApiError::Internal(e.to_string()))?;
    if !receipt.dry_run {
        let outcomes = crate::telemetry::Outcomes {
            accepted: receipt.accepted,
            unchanged: receipt.unchanged,
            pending: receipt.pending,
            rejected: receipt.rejected,
        };
        state.telemetry.records("push", receipt.table.name(), outcomes);
        // The batch's `batch.stored` event was appended with it: wake the feed's long-polls and the webhooks.
        state.changes.bump();
    }
    let detail = serde_json::json!({"batchId": receipt.batch_id, "accepted": receipt.accepted,
        "rejected": receipt.rejected, "sender": actor, "companyCode": receipt.company_code, "dryRun": receipt.dry_run,
        "profile": profile.as_str()});
    let mut res = match profile {
        Profile::Standard => HttpResponse::build(status).json(receipt),
        Profile::National => national::receipt(&request_id(req), status, receipt)?,
    };
    res.extensions_mut().insert(AuditDetail(detail));
    Ok(res)
}
