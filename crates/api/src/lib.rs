//! The HTTP API of dualprev: actix-web routes documented with utoipa, JWT roles with data scope, errors as
//! `application/problem+json`. The same registration list serves the routes and generates the OpenAPI document, so
//! the two cannot drift.

pub mod audit;
pub mod auth;
pub mod changes;
pub mod dashboard;
pub mod error;
pub mod error_doc;
pub mod figures;
pub mod handling;
pub mod jobs;
pub mod limits;
pub mod mail;
pub mod push;
pub mod redact;
pub mod routes;
pub mod sender;
pub mod telemetry;
pub mod webhooks;

use actix_web::{App, HttpRequest, HttpResponse, web};
use error::{ApiError, Problem};
use storage::Db;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

pub use auth::{AuthConfig, Caller, Claims, Key, KeyError, KeyRing, Role};

impl AppState {
    /// The state over a database, with the shipped working-day calendar and a clock. Starts the audit writer (see
    /// [`audit::AuditSink::start`]).
    pub fn new(db: Db, clock: domain::Clock) -> Result<AppState, domain::DomainError> {
        Ok(AppState::with_calendar(db, domain::calendar::WorkCalendar::shipped()?, clock))
    }

    /// The state over a database with a given working-day calendar and a clock.
    pub fn with_calendar(db: Db, calendar: domain::calendar::WorkCalendar, clock: domain::Clock) -> AppState {
        let calendar = std::sync::Arc::new(calendar);
        AppState {
            audit: audit::AuditSink::start(db.clone()),
            clock,
            db,
            figures: std::sync::Arc::new(report::service::Figures::new(calendar.clone())),
            calendar,
            push_limit: Default::default(),
            json_limit: DEFAULT_JSON_LIMIT,
            telemetry: Default::default(),
            changes: Default::default(),
            sessions: Default::default(),
            handling: Default::default(),
        }
    }

    /// The same state with the operator's warning thresholds (a fresh figures service: call before serving).
    pub fn with_thresholds(self, thresholds: report::warnings::Thresholds) -> AppState {
        let figures = report::service::Figures::with_thresholds(self.calendar.clone(), thresholds);
        AppState { figures: std::sync::Arc::new(figures), ..self }
    }

    /// Runs a storage function on a blocking thread with a pooled connection.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut storage::DbConnection) -> storage::Result<T> + Send + 'static,
    ) -> error::ApiResult<T> {
        let db = self.db.clone();
        Ok(web::block(move || db.with(f)).await??)
    }

    /// Runs a function over a pooled connection on a blocking thread, for work whose errors are not storage errors
    /// alone (making a report).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut storage::DbConnection) -> error::ApiResult<T> + Send + 'static,
    ) -> error::ApiResult<T> {
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await?
    }
}

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Where every "now" of the API, its jobs and workers comes from (pinned in tests and the demo).
    pub clock: domain::Clock,
    /// The official working-day calendar.
    pub calendar: std::sync::Arc<domain::calendar::WorkCalendar>,
    /// The figures service: the in-memory snapshots refreshed from the change feed, computed answers reused while
    /// nothing they depend on changed, and the warning thresholds.
    pub figures: std::sync::Arc<report::service::Figures>,
    /// The rate limits of the push route, per enterprise (none by default; `serve` sets `[limits]
    /// push_records_per_minute` and `push_per_minute`).
    pub push_limit: std::sync::Arc<limits::PushLimiter>,
    /// The largest JSON request body of the routes other than push, in bytes.
    pub json_limit: usize,
    /// Where requests are recorded for the audit trail.
    pub audit: audit::AuditSink,
    /// Counters and histograms served at `GET /metrics`.
    pub telemetry: std::sync::Arc<telemetry::Telemetry>,
    /// Wakes change-feed long-polls and the webhook worker when events are appended.
    pub changes: changes::Signal,
    /// People's sessions and password rules (issue 20).
    pub sessions: auth::session::SessionPolicy,
    /// The time limits of warning handling (settings `[handling]`, `docs/warnings.md`).
    pub handling: storage::handling::Limits,
}

/// The default largest JSON body of the routes other than push (64 KiB; push has its own 8 MiB limit).
pub const DEFAULT_JSON_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dualprev",
        description = "山西省危险化学品企业双重预防机制数字化 政府端 API / Government-side API of Shanxi's dual-prevention \
                       platform. Errors are application/problem+json with a stable `code`.",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem)),
    modifiers(&BearerScheme),
    tags(
        (name = "operations", description = "probes / 运行状态"),
        (name = "session", description = "people's sign-in and sessions / 用户登录与会话"),
        (name = "users", description = "accounts, administered with separated duties / 用户账号（三员分立）"),
        (name = "registry", description = "enterprise registry / 企业名单"),
        (name = "exchange", description = "data exchange from enterprises / 企业数据交换"),
        (name = "figures", description = "figures, evaluations and rankings / 运行效果指标、评估与排序"),
        (name = "reports", description = "monthly reports on the 20th / 每月20日报告"),
        (name = "acceptance", description = "expert acceptance and spot checks / 评估验收与抽查"),
        (name = "audit", description = "access audit trail / 访问审计日志"),
        (name = "changes", description = "change feed and webhooks / 变更订阅与推送"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme (JWT).
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        let basic = HttpBuilder::new()
            .scheme(HttpAuthScheme::Basic)
            .description(Some("企业编码与配置的密码，仅用于数据交换接口 / enterprise code and its configured password, exchange routes only"))
            .build();
        components.add_security_scheme("basic", SecurityScheme::Http(basic));
    }
}

/// Registers every documented route.
fn routes(cfg: &mut ServiceConfig<'_>) {
    use routes::*;
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(session::sign_in)
        .service(session::who_am_i)
        .service(session::sign_out)
        .service(session::change_password)
        .service(sso::sso_status)
        .service(sso::sso_start)
        .service(sso::sso_callback)
        .service(prometheus::prometheus)
        .service(batches::list_batches)
        .service(enterprises::list_enterprises)
        .service(enterprises::get_enterprise)
        .service(exchange::list_receipts)
        .service(pending::list_pending)
        .service(pending::discard_pending)
        .service(exchange::get_receipt)
        .service(exchange::push)
        .service(exchange_secret::push_by_secret)
        .service(figures::get_metrics)
        .service(evaluations::get_evaluations)
        .service(evaluation_revisions::revise_week)
        .service(rankings::get_rankings)
        .service(explain::get_explain)
        .service(warnings::get_warnings)
        .service(warning_item::get_warning)
        .service(warning_actions::post_action)
        .service(warning_cases::list_cases)
        .service(attachments::get_attachment)
        .service(notifications::list_notifications)
        .service(notifications::mark_read)
        .service(notifications::get_email)
        .service(notifications::put_email)
        .service(warning_inputs::get_warning_inputs)
        .service(records::get_record)
        .service(reports::list_reports)
        .service(reports::revise_report)
        .service(reports::get_report)
        .service(acceptances::list_acceptances)
        .service(acceptances::record_acceptance)
        .service(spot_checks::list_spot_checks)
        .service(spot_checks::draw_spot_check)
        .service(spot_checks::record_finding)
        .service(tokens::revoke_token)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::patch_user)
        .service(security_policy::get_policy)
        .service(security_policy::put_policy)
        .service(crate::audit::route::list_audit)
        .service(crate::changes::route::get_changes)
        .service(crate::webhooks::route::list_webhooks)
        .service(crate::webhooks::route::create_webhook)
        .service(crate::webhooks::route::get_webhook)
        .service(crate::webhooks::route::delete_webhook)
        .service(crate::webhooks::route::resume_webhook)
        .service(crate::webhooks::route::list_deliveries)
        .service(crate::webhooks::route::replay_delivery);
}

/// The OpenAPI document of the API (the one committed as `openapi/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes).split_for_parts().1;
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    auth::policy_doc::publish(&mut doc);
    error_doc::publish(&mut doc);
    doc
}

/// The OpenAPI document as pretty JSON with a trailing newline, as committed.
pub fn openapi_json() -> String {
    let mut s = openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}

/// Answers malformed query strings, paths and JSON bodies with problem+json.
fn bad_input(code: domain::Code) -> impl Fn(String) -> actix_web::Error + Clone {
    move |msg| ApiError::bad_request(code, format!("请求参数无效 / invalid request: {msg}")).into()
}

/// Configures the whole application: state, routes, the OpenAPI document and the documentation page.
pub fn configure(state: AppState, auth: AuthConfig) -> impl FnOnce(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        let query = bad_input(domain::Code::BadQuery);
        let path = bad_input(domain::Code::BadPath);
        let json = bad_input(domain::Code::BadJson);
        let json_limit = state.json_limit;
        cfg.app_data(web::Data::new(state))
            .app_data(web::Data::new(auth))
            .app_data(web::QueryConfig::default().error_handler(move |e, _| query(e.to_string())))
            .app_data(web::PathConfig::default().error_handler(move |e, _| path(e.to_string())))
            .app_data(web::JsonConfig::default().limit(json_limit).error_handler(move |e, _| {
                match e {
                    actix_web::error::JsonPayloadError::Overflow { .. }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => ApiError::TooLarge(format!(
                        "请求体超过 {json_limit} 字节 / the body exceeds {json_limit} bytes"
                    ))
                    .into(),
                    other => json(other.to_string()),
                }
            }));
        cfg.configure(dashboard::configure);
        cfg.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi()));
        // Every route sits in one scope wrapped by, from the outside in: the request-id middleware (one log line,
        // `X-Request-Id`, latency by route), the audit middleware (it records `/api/v1/*`, refusals included) and the
        // policy middleware (`auth::policy`: who may call each route). The scope has no prefix,
        // so it answers every path not matched before it: register other services above it.
        cfg.service(
            web::scope("")
                .wrap(actix_web::middleware::from_fn(auth::authorize::authorize))
                .wrap(actix_web::middleware::from_fn(audit::middleware::record))
                .wrap(actix_web::middleware::from_fn(telemetry::middleware::track))
                .configure(|c| routes(&mut ServiceConfig::new(c))),
        );
        cfg.default_service(web::to(not_found));
    }
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let path = redact::path(req.path());
    ApiError::NotFound(format!("没有此地址 / no such route: {} {path}", req.method())).error_response()
}
