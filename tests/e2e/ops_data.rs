//! Data for the operations tests: a database filled the way production fills it (a pull cycle from the simulator,
//! with faulty enterprises, the weekly evaluation and the report of the 20th frozen by their jobs), plus rows in
//! the tables no pull touches (audit trail, acceptance, spot check, revocation), so that every table has rows.

use chrono::TimeDelta;
use diesel::RunQueryDsl;
use sim::{SimConfig, Size, World};
use std::time::Duration;
use storage::Db;

/// Enterprises of the test world.
pub const ENTERPRISES: usize = 14;

/// Migrates the database at `url` and fills it; returns the report month of the data, e.g. `2026-11R`, for
/// `dualprev metrics --period`.
pub fn fill(url: &str) -> String {
    Db::open(url).unwrap().migrate().unwrap();
    fill_migrated(url)
}

/// Fills a database migrated to an older schema (the previous release's) with the rows that release would have
/// written: the data is made at this release's schema in a scratch SQLite file, and the rows of the tables the
/// older schema has are copied over. Returns the report month, as [`fill`].
pub fn fill_previous_release(url: &str) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let scratch_url = format!("sqlite://{}", scratch.path().join("current.db").display());
    let period = fill(&scratch_url);
    let (source, target) = (Db::open(&scratch_url).unwrap(), Db::open(url).unwrap());
    let copied = storage::copy::copy_tables_present(&source, &target).unwrap();
    assert!(copied.iter().any(|t| t == "check_record_versions"), "{copied:?}");
    period
}

/// Fills a database at this release's schema.
pub fn fill_migrated(url: &str) -> String {
    let db = Db::open(url).unwrap();
    db.with(|c| storage::registry::seed_annex(c, testkit::clock().now_utc())).unwrap();
    let now = testkit::clock().now_utc();
    let end = now - TimeDelta::hours(1);
    let start = domain::time::local_date(end) - TimeDelta::days(45);
    actix_web::rt::System::new().block_on(async {
        let cfg = SimConfig::for_registry(ENTERPRISES, 11, start, end, Size::Small, 0.5);
        let world = World::generate(&cfg);
        let sim = sim::serve(world, "127.0.0.1:0").await.unwrap();
        for (code, _) in &cfg.enterprises {
            let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, cfg.seed));
            let base = sim.base_url(code);
            db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &base, key.as_deref(), end)?)).unwrap();
        }
        let pull = ingest::PullConfig {
            timeout: Duration::from_secs(2),
            page_size: 200,
            concurrency: 4,
            attempts: 2,
            backoff: Duration::from_millis(20),
        };
        let puller = ingest::Puller::new(db.clone(), pull, testkit::clock()).unwrap();
        puller.cycle(None).await.unwrap();
        let state = api::AppState::with_calendar(
            db.clone(),
            domain::calendar::WorkCalendar::shipped().unwrap(),
            testkit::clock(),
        );
        api::jobs::weekly_evaluation(&state, now).await.unwrap();
        // A correction of that week, as a province user would store one (`evaluation_revision_rows`).
        db.with(|c| {
            let first = storage::evaluations::all_rows(c)?;
            let week = first[0].week.clone();
            let revised = storage::evaluations::revise(c, &week, now, "province-test", "补报 / late data", &first)?;
            assert_eq!(revised, Some(2));
            Ok(())
        })
        .unwrap();
        api::jobs::monthly_report(&state, now).await.unwrap();
        // A person's account (accounts, password_history).
        let admin = storage::accounts::NewAccount {
            email: Some("sys@example.cn".into()),
            ..storage::accounts::NewAccount::new("sys-admin", "系统管理员", domain::account::AccountRole::Sysadmin)
        };
        let policy = domain::account::PasswordPolicy::default();
        db.with(|c| {
            storage::accounts::create(c, &admin, "Start-2026!x", &policy, now)
                .map_err(|e| storage::StorageError::Corrupt(e.to_string()))
        })
        .unwrap();
        db.with(|c| storage::sessions::start(c, "ops-data-session", "sys-admin", now, TimeDelta::hours(8))).unwrap();
        // A version of the security policy (security_policy).
        let stricter = domain::security_policy::SecurityPolicy { password_min_length: 12, ..Default::default() };
        db.with(|c| storage::security_policy::set(c, &stricter, "sec-admin", now)).unwrap();
        // A group credential and its members (push_groups, push_group_members).
        let members =
            [domain::CompanyCode::parse("140100001").unwrap(), domain::CompanyCode::parse("140100002").unwrap()];
        db.with(|c| Ok(storage::push_groups::set(c, "ops-park", "park-password-2026", &members, now)))
            .unwrap()
            .unwrap();
        // The figures service's checkpoint of one enterprise's history (figure_checkpoints), and of another with the
        // months before the current one stored apart (check_month_parts), as a cache holding one month writes them.
        db.with(|c| {
            let seq = storage::events::last_seq(c)?;
            let built = storage::history::build(c, None)?;
            assert!(built.len() >= 2, "two enterprises with data");
            for (i, mut h) in built.into_values().take(2).enumerate() {
                if i == 1 {
                    let months = h.split_before(domain::months::month_start(domain::months::month_of_time(now)));
                    assert!(!months.is_empty(), "the data reaches into the month before");
                    storage::months::write_split(c, &h, &months, true, seq, now)?;
                } else {
                    storage::checkpoints::write(c, &h, seq, now)?;
                }
            }
            Ok(())
        })
        .unwrap();
        // Warning handling: a city person, the cases the detector opens (warning_cases, warning_actions,
        // notifications), an action with a file (attachments) and the escalations a day later (warning_escalations).
        let officer = storage::accounts::NewAccount::new("ty-officer", "太原市局", domain::account::AccountRole::City)
            .in_city(Some("140100"));
        db.with(|c| {
            storage::accounts::create(c, &officer, "Start-2026!x", &policy, now)
                .map_err(|e| storage::StorageError::Corrupt(e.to_string()))
        })
        .unwrap();
        api::changes::detect::detect(&state, now).await.unwrap();
        let cases =
            db.with(|c| storage::handling::cases::list(c, &storage::handling::cases::Filter::default(), 1, 0)).unwrap();
        let act = storage::handling::actions::Act {
            action: domain::handling::Action::Note,
            actor: "ty-officer".into(),
            role: "city".into(),
            note: "已电话督促企业".into(),
            deadline: None,
            done: true,
            files: vec![storage::handling::attachments::NewFile {
                name: "记录.txt".into(),
                content_type: "text/plain".into(),
                bytes: "通话记录".as_bytes().to_vec(),
            }],
        };
        db.with(|c| storage::handling::actions::act(c, cases[0].id, &act, now)).unwrap();
        assert!(api::handling::escalation::escalate(&state, now + TimeDelta::days(2)).await.unwrap() > 0);
        // The audit rows the jobs queued are written now, not while the test reads the tables.
        state.audit.flush().await.unwrap();
    });
    extras(&db, now);
    let month = domain::Period::report_month_of(domain::time::local_date(now));
    month.label()
}

/// Rows of the tables a pull does not fill.
fn extras(db: &Db, now: chrono::NaiveDateTime) {
    let rows: Vec<storage::audit::NewAuditRow> = (0..25)
        .map(|i| storage::audit::NewAuditRow {
            at: now + TimeDelta::microseconds(i * 1_001),
            actor: format!("city-{i}"),
            role: (i % 3 != 0).then(|| "city".to_owned()),
            scope: Some("140100".into()),
            method: "GET".into(),
            route: "/api/v1/metrics".into(),
            path: "/api/v1/metrics".into(),
            query: format!("period=2026-W{i:02}&by=city"),
            status: if i % 5 == 0 { 403 } else { 200 },
            outcome: if i % 5 == 0 { "denied".into() } else { "ok".into() },
            detail: (i % 2 == 0).then(|| format!("{{\"rows\":{i},\"名\":\"太原\"}}")),
            client: (i % 4 != 0).then(|| "10.0.0.7".to_owned()),
        })
        .collect();
    db.with(|c| storage::audit::append(c, &rows)).unwrap();
    let at = now.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    #[derive(diesel::QueryableByName)]
    struct Batch {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let batch = db
        .with(|c| Ok(diesel::sql_query("SELECT min(batch_id) AS id FROM batches").get_result::<Batch>(c)?))
        .unwrap()
        .id;
    let photo = storage::handling::attachments::digest("通话记录".as_bytes());
    let sql = [
        format!(
            "INSERT INTO acceptances (company_code, city_code, accepted_on, experts, grade, findings, rectify_by, \
             recheck_on, recheck_grade, recorded_by, recorded_at) VALUES ('140100001', '140100', '2026-11-02', \
             '[\"张工\",\"李工\"]', '良', '台账不全', '2026-11-30', NULL, NULL, 'city-140100', '{at}')"
        ),
        format!(
            "INSERT INTO spot_draws (id, city_code, seed, size, companies, drawn_by, drawn_at) VALUES (7, '140100', \
             9007199254740993, 2, '[\"140100001\",\"140100002\"]', 'province', '{at}')"
        ),
        format!(
            "INSERT INTO spot_findings (draw_id, company_code, checked_on, result, findings, recorded_by, recorded_at) \
             VALUES (7, '140100001', '2026-11-05', 'fail', '整改未闭环', 'province', '{at}')"
        ),
        format!(
            "INSERT INTO pending_records (table_name, company_code, record_id, update_date, content_hash, batch_id, \
             received_at, parent_table, parent_key, payload) VALUES ('risk_event', '140100001', 'e-held', '{at}', \
             'abc', '{batch}', '{at}', 'risk_unit', 'u-missing', '{{\"id\":\"e-held\"}}')"
        ),
        format!(
            "INSERT INTO discarded_records (seq, table_name, company_code, record_id, update_date, content_hash, \
             batch_id, received_at, parent_table, parent_key, payload, discarded_at, discarded_by) VALUES (1, \
             'check_record', '140100001', 'c-gone', '{at}', 'def', '{batch}', '{at}', 'check_task', 't-missing', \
             '{{\"id\":\"c-gone\"}}', '{at}', 'enterprise-140100001')"
        ),
        format!("INSERT INTO batch_rejects (batch_id, record_index, raw) VALUES ('{batch}', 9999, '{{\"坏\":true}}')"),
        // A danger's photo (record_attachments), here the handling file's content stored above.
        format!(
            "INSERT INTO record_attachments (sha256, company_code, table_name, record_id, field) VALUES ('{photo}', \
             '140100001', 'danger', 'd-photo', 'dangerImg')"
        ),
        format!(
            "INSERT INTO pull_claims (cycle, company_code, worker, claimed_until, attempts, done_at) VALUES \
             ('2026-11-29T20:00Z', '140100001', '4242-w', '{at}', 2, '{at}')"
        ),
        format!(
            "INSERT INTO revoked_tokens (jti, reason, revoked_by, revoked_at, expires_at) VALUES \
             ('3f2a9c0e', '令牌泄露', 'cli', '{at}', NULL)"
        ),
        format!(
            "INSERT INTO webhooks (id, url, kinds, secret, owner_role, owner, state, cursor, failures, created_at, \
             paused_at) VALUES (3, 'http://10.0.0.9/hook', 'batch.stored', 's3cret', 'service', 'service', \
             'active', 1, 0, '{at}', NULL)"
        ),
        format!(
            "INSERT INTO webhook_deliveries (id, webhook_id, seq, kind, state, attempts, first_attempt_at, \
             next_attempt_at, last_status, last_error, created_at, delivered_at) VALUES (5, 3, 1, 'batch.stored', \
             'failed', 2, '{at}', '{at}', 500, '服务器错误', '{at}', NULL)"
        ),
        format!(
            "INSERT INTO event_marks (mark_key, company_code, value, at) VALUES \
             ('140100001|taskCompletion|2026-W48', '140100001', '{{\"num\":1,\"den\":2}}', '{at}')"
        ),
    ];
    // More than one page (2 000 rows) in a table with a composite key, and text keys whose order depends on the
    // collation (PostgreSQL's is not SQLite's byte order).
    let errors: Vec<String> =
        (0..4_100).map(|i| format!("('{batch}', {}, {i}, NULL, 'f{i}', 'c', '错误 {i}')", 10_000 + i)).collect();
    let jtis: Vec<String> = (0..2_500)
        .map(|i| format!("('{}{i}', 'r', 'cli', '{at}', NULL)", ["a-", "A_", "b.", "B ", "ä", "_"][i % 6]))
        .collect();
    let bulk = [
        format!(
            "INSERT INTO batch_errors (batch_id, ord, record_index, record_id, field, code, message) VALUES {}",
            errors.join(", ")
        ),
        format!(
            "INSERT INTO revoked_tokens (jti, reason, revoked_by, revoked_at, expires_at) VALUES {}",
            jtis.join(", ")
        ),
    ];
    let tables: Vec<String> =
        db.with(|c| Ok(storage::copy::tables(c).unwrap())).unwrap().into_iter().map(|t| t.name).collect();
    for s in sql.into_iter().chain(bulk) {
        if !tables.iter().any(|t| s.starts_with(&format!("INSERT INTO {t} "))) {
            continue;
        }
        db.with(|c| Ok(diesel::sql_query(&s).execute(c)?)).unwrap();
    }
}

/// Every table of a database with its row count and content digest.
pub fn digests(url: &str) -> Vec<storage::copy::TableDigest> {
    digests_of(&Db::open(url).unwrap())
}

fn digests_of(db: &Db) -> Vec<storage::copy::TableDigest> {
    let mut c = db.conn().unwrap();
    let tables = storage::copy::tables(&mut c).unwrap();
    tables.iter().map(|t| storage::copy::digest(&mut c, t).unwrap()).collect()
}
