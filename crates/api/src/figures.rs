//! The API's bridge to the figures service (`report::service`): runs it on the blocking pool with the state's clock,
//! and turns its cached answers into responses. Routes, jobs and the change detector come here; none of them loads
//! what a figure is computed from.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use chrono::NaiveDateTime;
use domain::City;
use report::Known;
use report::service::Knowledge;

/// What is known for a scope, now or at an explicit earlier moment, from the figures service's histories, for
/// figures of windows starting at or after `since` (a period's start, or [`report::figures::since`] with its previous
/// period). For a request: it counts as computing in the foreground while it reads (background work waits for it).
pub async fn known(
    state: &AppState,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    since: NaiveDateTime,
) -> ApiResult<Known> {
    Ok(knowledge(state, city, as_of, since).await?.known)
}

/// [`known`], with the snapshot generation when it came from the cache (answers can then be reused).
pub async fn knowledge(
    state: &AppState,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    since: NaiveDateTime,
) -> ApiResult<Knowledge> {
    let _busy = state.figures.foreground().enter();
    read(state, city, as_of, since).await
}

/// What is known now, for background work (jobs, the change detector) on windows starting at or after `since`:
/// after the requests computing when it asks ([`background`]), and without counting as one.
pub async fn known_in_background(state: &AppState, since: NaiveDateTime) -> ApiResult<Known> {
    background(state).await?;
    Ok(read(state, None, None, since).await?.known)
}

/// How long background work lets requests go first at most ([`background`]).
pub const YIELD_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

/// Lets requests go first: brings the histories up to date (the start, when nobody has begun it), then waits until
/// no answer is being computed for a request, at most [`YIELD_AT_MOST`]. A request that arrives during the start
/// after a restart is answered before the catch-up jobs compute beside it (`docs/performance.md`).
pub async fn background(state: &AppState) -> ApiResult<()> {
    let (figures, now) = (state.figures.clone(), state.clock.now_utc());
    idle(state).await?;
    state.db(move |c| figures.refresh(c, now).map(drop)).await?;
    let figures = state.figures.clone();
    let quiet = actix_web::web::block(move || figures.foreground().wait_quiet(YIELD_AT_MOST)).await?;
    if !quiet {
        tracing::info!(waited_secs = YIELD_AT_MOST.as_secs(), "background work goes ahead beside busy requests");
    }
    Ok(())
}

async fn read(
    state: &AppState,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    since: NaiveDateTime,
) -> ApiResult<Knowledge> {
    let (figures, now) = (state.figures.clone(), state.clock.now_utc());
    idle(state).await?;
    state.db(move |c| figures.known(c, city, as_of, now, since)).await
}

/// Waits on a blocking thread, holding no pooled connection, while the figures service reads its histories.
pub async fn idle(state: &AppState) -> ApiResult<()> {
    let figures = state.figures.clone();
    Ok(actix_web::web::block(move || figures.wait_idle()).await?)
}

/// How many answers about an explicit past `asOf` are computed at once in a process.
pub const PAST_AT_ONCE: usize = 2;

/// The permits for [`PAST_AT_ONCE`].
static PAST: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PAST_AT_ONCE);

/// The warning inputs (pull status, recent rejects) at a moment.
pub async fn warning_inputs(state: &AppState, at: NaiveDateTime) -> ApiResult<report::warnings::Inputs> {
    state.db(move |c| report::warnings::Inputs::load(c, at)).await
}

/// Answers from the result cache when possible, otherwise computes, keeps and answers. `compute` runs only on a
/// miss, so what it reads beyond `known` (the held and rejected records of `/metrics`) costs nothing on a hit.
pub async fn cached_json<T, F>(
    state: &AppState,
    key: String,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    (since, period_end): (NaiveDateTime, NaiveDateTime),
    compute: impl FnOnce(Known) -> F,
) -> ApiResult<actix_web::HttpResponse>
where
    T: serde::Serialize,
    F: Future<Output = ApiResult<T>>,
{
    Ok(json_response(cached_body(state, key, city, as_of, (since, period_end), compute).await?))
}

/// [`cached_json`]'s body, for a route that adds to it what the cache does not follow (the handling figures of
/// `/metrics`, which change without new exchange data). `since` is the earliest window start the answer computes
/// ([`known`]), `period_end` its period's end (how long the answer is kept).
pub async fn cached_body<T, F>(
    state: &AppState,
    key: String,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    (since, period_end): (NaiveDateTime, NaiveDateTime),
    compute: impl FnOnce(Known) -> F,
) -> ApiResult<actix_web::web::Bytes>
where
    T: serde::Serialize,
    F: Future<Output = ApiResult<T>>,
{
    let _busy = state.figures.foreground().enter();
    // A past moment's knowledge and figures are built per request: at most PAST_AT_ONCE at a time, so that memory
    // stays bounded however many are asked at once (the same moment asked again is answered from the result cache).
    let _permit = match as_of {
        Some(_) => Some(PAST.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?),
        None => None,
    };
    let k = knowledge(state, city, as_of, since).await?;
    let slot = state.figures.slot(&key, &k);
    if let Some(body) = slot.as_ref().and_then(|s| state.figures.cached(s)) {
        return Ok(body);
    }
    let value = compute(k.known).await?;
    let body = actix_web::web::Bytes::from(serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.to_string()))?);
    if let Some(slot) = slot {
        state.figures.keep(slot, period_end, body.clone());
    }
    Ok(body)
}

/// A JSON answer of a body.
pub fn json_response(body: actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().content_type("application/json").body(body)
}
