//! `dualprev demo`: the whole platform on one machine. Embedded SQLite under the data folder, the simulator for the
//! 176 registered enterprises on loopback (a few of them faulty), one pull of all of them, then the API and the
//! dashboard. A second run on the same folder keeps the data and pulls only what is new.

use crate::settings::Settings;
use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeDelta};
use ingest::{CycleOutcome, PullConfig, Puller};
use serde::{Deserialize, Serialize};
use sim::{SimConfig, Size, World};
use std::path::Path;
use std::time::{Duration, Instant};

/// What the demo keeps between runs (`demo.toml` in the data folder).
#[derive(Debug, Serialize, Deserialize)]
struct DemoState {
    /// The simulator's seed.
    seed: u64,
    /// The first day of the simulated history.
    start: NaiveDate,
    /// The token secret of the demo.
    secret: String,
}

/// The share of faulty enterprises: about one of each fault kind among 176.
const FAULT_RATE: f64 = 0.04;

fn load_state(dir: &Path, clock: &domain::Clock) -> Result<DemoState> {
    let path = dir.join("demo.toml");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return toml::from_str(&text).with_context(|| format!("{} 无效 / is invalid", path.display()));
    }
    let today = clock.today();
    let secret = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let state = DemoState { seed: 2026, start: today - TimeDelta::days(Size::Demo.default_days()), secret };
    std::fs::write(&path, toml::to_string(&state)?).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(state)
}

/// Runs the demo until interrupted.
pub async fn run(settings: &Settings, data_dir: &Path, bind: &str) -> Result<()> {
    let started = Instant::now();
    if settings.clock.is_pinned() {
        let at = domain::time::format_local(settings.clock.now_utc());
        eprintln!("时钟固定于 {at}（DUALPREV_NOW）/ the clock is pinned at {at} (DUALPREV_NOW)");
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("无法创建 / cannot create {}", data_dir.display()))?;
    let state = load_state(data_dir, &settings.clock)?;
    let url = format!("sqlite://{}", data_dir.join("dualprev.db").display());
    let db = super::open_db(settings, Some(&url))?;
    let people = super::demo_accounts::ensure(&db, data_dir, &settings.clock)?;
    let clients = super::demo_clients::prepare(&db, &settings.clock)?;
    let end = settings.clock.now_utc();
    let cfg = SimConfig::for_registry(176, state.seed, state.start, end, Size::Demo, FAULT_RATE);
    let world = World::generate(&cfg);
    eprintln!("模拟数据 / simulated: {}", world.totals());
    let sim = sim::serve(world, "127.0.0.1:0").await.context("simulator")?;
    for (code, _) in &cfg.enterprises {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, cfg.seed));
        let base = sim.base_url(code);
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &base, key.as_deref(), end)?))?;
    }
    let pull = PullConfig {
        timeout: Duration::from_secs(5),
        attempts: 2,
        backoff: Duration::from_millis(200),
        ..settings.pull.config()
    };
    let puller = Puller::new(db.clone(), pull, settings.clock.clone())?;
    if let CycleOutcome::Ran(r) = puller.cycle(None).await? {
        eprintln!("{}（失败的为模拟故障 / the failures are simulated faults）", r.summary());
    }
    // Figures: freeze last week's evaluation and compute this report month's figures, which warms the cache.
    let app_state = api::AppState::with_calendar(db, settings.calendar()?, settings.clock.clone());
    if let Some(n) =
        api::jobs::weekly_evaluation(&app_state, settings.clock.now_utc()).await.map_err(|e| anyhow::anyhow!("{e}"))?
    {
        eprintln!("已冻结上周运行效果评估 / last week's evaluation frozen: {n} 家 / enterprises");
    }
    // The report of the last 20th, frozen now as the catch-up of `serve` would.
    if let Some(ids) =
        api::jobs::monthly_report(&app_state, settings.clock.now_utc()).await.map_err(|e| anyhow::anyhow!("{e}"))?
    {
        eprintln!("已冻结上一期月报 / the last monthly report frozen: {} 份 / reports", ids.len());
    }
    // Warning handling: a case per open warning, and the demo's first steps on them.
    let prepared = super::demo_handling::prepare(&app_state).await?;
    let month = domain::Period::report_month_of(domain::time::local_date(settings.clock.now_utc()));
    let known =
        api::figures::known(&app_state, None, None, month.bounds_utc().0).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let intake = app_state.db.with(|c| report::quality::Intake::load(c, month, known.as_of))?;
    let figures = report::shape::metrics_response(&known, month, report::By::Province, &intake)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(p) = figures.rows.first() {
        let pct = |f: &report::shape::FigureView| metrics::figure::Figure::new(f.num, f.den).percent();
        eprintln!(
            "{} 全省 / province: 风险分析完成率 {}，排查任务完成率 {}，隐患整改率 {}，超期重大隐患 {}",
            month.label(),
            pct(&p.risk_analysis),
            pct(&p.task_completion),
            pct(&p.rectification),
            p.overdue_major_dangers
        );
        let q = &p.data_quality;
        eprintln!(
            "数据质量 / data quality: 迟报排查记录 {}（{}/{}），待关联 {} 条，拒收 {} 条",
            pct(&q.late_check_records),
            q.late_check_records.num,
            q.late_check_records.den,
            q.held_records,
            q.rejected_records
        );
    }
    let stored = api::jobs::last_complete_week(settings.clock.now_utc()).label();
    let auth = api::AuthConfig::new(
        state.secret.as_bytes(),
        &settings.jwt_issuer,
        &settings.jwt_audience,
        settings.jwt_leeway_secs,
    )
    .map_err(anyhow::Error::msg)?
    .with_clock(settings.clock.clone());
    let token = auth.issue(api::Role::Province, None, None, TimeDelta::days(30)).map_err(anyhow::Error::msg)?;
    let a = auth.clone();
    let audit = app_state.audit.clone();
    // The change worker: figure and warning events, cases for new warnings, and escalation.
    let worker = api::changes::start_change_worker(app_state.clone(), api::changes::ChangeConfig::default());
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new().configure(api::configure(app_state.clone(), a.clone()))
    })
    .bind(bind)
    .with_context(|| format!("无法监听 / cannot listen on {bind}"))?;
    let addr = server.addrs().first().copied().context("no address")?;
    eprintln!(
        "就绪，用时 {:.1} 秒 / ready in {:.1} s",
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    // The token rides in the fragment, which browsers never send to a server; the page moves it into the tab's
    // session storage and removes it from the address bar.
    println!("仪表盘 / dashboard:   http://{addr}/#token={token}");
    println!("接口文档 / API docs:  http://{addr}/docs/");
    println!("登录账户 / accounts to sign in with (POST http://{addr}/api/v1/session):");
    for p in &people {
        println!("  {:<10} {:<24} {}", p.username, p.password, p.label);
    }
    println!(
        "待安全管理员确认的账号 / an account waiting for the security administrator: {} (PATCH \
         http://{addr}/api/v1/users/{} {{\"confirm\": true}} signed in as secadmin)",
        super::demo_accounts::PENDING,
        super::demo_accounts::PENDING
    );
    let open: Vec<String> = prepared
        .open
        .iter()
        .filter_map(|(k, n)| domain::handling::HandlingState::parse(k).map(|s| format!("{} {n}", s.label())))
        .collect();
    println!("预警处置 / warning handling: {}（看板“预警处置”页）", open.join("，"));
    if let Some(id) = &prepared.to_verify {
        println!("  taiyuan 可核销 / for taiyuan to verify: http://{addr}/#/warnings/{id}");
    }
    super::demo_clients::print(&addr, &clients);
    println!("省级令牌 / province token (30 天 / days):");
    println!("{token}");
    println!("已发布的周评估 / the stored week: http://{addr}/api/v1/evaluations?week={stored}");
    println!(
        "更正该周（新版次，旧版保留；TOKEN 为上面的令牌）/ correct it (a new revision; TOKEN as above): curl -X POST -H \"Authorization: Bearer $TOKEN\" \
         -H 'Content-Type: application/json' -d '{{\"reason\":\"补报\"}}' http://{addr}/api/v1/evaluations/{stored}/revisions"
    );
    server.run().await.context("server")?;
    worker.abort();
    if let Err(e) = audit.flush().await {
        tracing::error!(error = %e, "audit rows queued at shutdown may be lost");
    }
    sim.stop().await;
    Ok(())
}
