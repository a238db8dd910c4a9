//! The pull endpoint over HTTP: `GET /{companyCode}/{table}?updatedSince=&limit=&cursor=`.

use crate::config::{Fault, aes_key, wrong_key};
use crate::faults::{self, TIMEOUT_HOLD};
use crate::page::{Key, parse_query};
use crate::world::World;
use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::NaiveDateTime;
use domain::{CompanyCode, ExchangeTable};
use parking_lot::RwLock;
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the handlers share.
struct Shared {
    world: RwLock<World>,
    requests: AtomicU64,
}

impl Shared {
    fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        let guard = self.world.read();
        f(&guard)
    }
}

/// The query of a pull.
#[derive(Debug, Deserialize)]
struct PullParams {
    #[serde(rename = "updatedSince")]
    updated_since: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// An error answer: `{"error": code, "message": text}`.
fn error(status: StatusCode, code: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": code, "message": message}))
}

/// What a request gets, decided under the read lock.
enum Answer {
    Error(HttpResponse),
    Body(Vec<u8>),
}

/// Builds the page body (or the error) for a request of an enterprise that is not timing out or failing.
fn answer(world: &World, company: &CompanyCode, table: &str, p: &PullParams) -> Answer {
    let Some(ent) = world.ent(company) else { return Answer::Error(not_found(format!("{company}"))) };
    let Ok(table) = ExchangeTable::parse(table) else { return Answer::Error(not_found(table.to_owned())) };
    let q = match parse_query(p.updated_since.as_deref(), p.limit.as_deref(), p.cursor.as_deref()) {
        Ok(q) => q,
        Err(e) => return Answer::Error(error(StatusCode::BAD_REQUEST, "bad_query", e.message())),
    };
    let Some((records, more)) = ent.page(table, q.since, q.after.as_ref(), q.limit) else {
        let msg = crate::page::QueryError::Cursor(p.cursor.clone().unwrap_or_default()).message();
        return Answer::Error(error(StatusCode::BAD_REQUEST, "bad_query", msg));
    };
    let fault = ent.profile.fault;
    let next = if more { records.last().map(|r| Key::of(r).encode()) } else { None };
    let values: Vec<Value> = records
        .iter()
        .map(|r| {
            let mut v = exchange::to_wire(r);
            if fault == Some(Fault::InvalidRecords) && faults::is_broken(r) {
                faults::break_record(table, r, &mut v);
            }
            v
        })
        .collect();
    let seed = world.config().seed;
    let key = match fault {
        Some(Fault::Undecryptable) => Some(wrong_key(company, seed)),
        _ if ent.profile.encrypted => Some(aes_key(company, seed)),
        _ => None,
    };
    let datas = match key.as_deref().and_then(exchange::key_bytes) {
        Some(k) => {
            let plain = serde_json::to_vec(&values).unwrap_or_default();
            Value::from(exchange::encrypt_datas(&plain, domain::client::Cipher::Aes128Cbc, &k, &k))
        }
        None => Value::Array(values),
    };
    Answer::Body(serde_json::to_vec(&json!({"datas": datas, "nextCursor": next})).unwrap_or_default())
}

fn not_found(what: String) -> HttpResponse {
    error(StatusCode::NOT_FOUND, "not_found", format!("没有这个企业或表 / no such enterprise or table: {what}"))
}

async fn pull(
    path: web::Path<(String, String)>,
    params: web::Query<PullParams>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let (company, table) = path.into_inner();
    let Ok(company) = CompanyCode::parse(&company) else { return not_found(company) };
    let fault = shared.read(|w| w.fault(&company));
    match fault {
        Some(Fault::Timeout) => {
            tokio::time::sleep(TIMEOUT_HOLD).await;
            return error(StatusCode::GATEWAY_TIMEOUT, "timeout", "超时 / timed out".to_owned());
        }
        Some(Fault::ServerError) => {
            let msg = "模拟的服务器错误 / simulated server failure".to_owned();
            return error(StatusCode::INTERNAL_SERVER_ERROR, "simulated_failure", msg);
        }
        _ => {}
    }
    let body = match shared.read(|w| answer(w, &company, &table, &params)) {
        Answer::Error(e) => return e,
        Answer::Body(b) => b,
    };
    let mut ok = HttpResponse::Ok();
    ok.content_type("application/json");
    match fault {
        Some(Fault::Truncated) => ok.body(faults::truncate(body)),
        Some(Fault::SlowDrip) => ok.streaming(faults::drip(body)),
        _ => ok.body(body),
    }
}

async fn fallback() -> HttpResponse {
    not_found("/".to_owned())
}

/// A running simulator.
pub struct SimServer {
    /// Where it listens.
    pub addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .field("requests", &self.requests())
            .finish_non_exhaustive()
    }
}

impl SimServer {
    /// The pull base address of an enterprise: `http://{addr}/{companyCode}`.
    pub fn base_url(&self, company: &CompanyCode) -> String {
        format!("http://{}/{}", self.addr, company)
    }

    /// How many requests were received so far (every one counts, faulty and refused ones too).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Moves the served world's now forward (see [`World::advance`]); requests wait while it is regenerated.
    pub fn advance(&self, to: NaiveDateTime) {
        let mut guard = self.shared.world.write();
        guard.advance(to);
    }

    /// Reads the served world.
    pub fn with_world<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        self.shared.read(f)
    }

    /// Stops the server at once: open connections (a timing-out or dripping answer) are dropped.
    pub async fn stop(self) {
        self.handle.stop(false).await;
        let _ = self.task.await;
    }
}

/// Starts serving a world on `bind` (e.g. `127.0.0.1:0` for any free port) and returns at once. Must be called
/// within a Tokio (or actix) runtime. The server does not listen to OS signals: stop it with [`SimServer::stop`].
pub async fn serve(world: World, bind: &str) -> std::io::Result<SimServer> {
    let shared = Arc::new(Shared { world: RwLock::new(world), requests: AtomicU64::new(0) });
    let data = web::Data::from(shared.clone());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/{company}/{table}", web::get().to(pull))
            .default_service(web::to(fallback))
    })
    .workers(workers)
    .disable_signals()
    .shutdown_timeout(1)
    .bind(bind)?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::AddrNotAvailable, "no address bound"))?;
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    tracing::info!(%addr, "enterprise simulator listening");
    Ok(SimServer { addr, handle, task, shared })
}
