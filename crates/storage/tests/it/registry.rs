//! The registry: seeded from the annex, listed with filters, updated by imports.

use chrono::NaiveDateTime;
use diesel::RunQueryDsl;
use domain::{City, ConstructionBatch, EnterpriseFlag};
use storage::Db;
use storage::registry::{self, Filter};
use storage::registry_import;

fn code(s: &str) -> domain::CompanyCode {
    domain::CompanyCode::parse(s).unwrap()
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

both_backends!(
    seeds_the_annex_once,
    imports_update_rekey_and_add,
    bad_rows_change_nothing,
    rekey_refused_with_data,
    an_import_waits_for_another_writer
);

fn seeds_the_annex_once(db: &Db) {
    let mut c = db.conn().unwrap();
    assert_eq!(registry::seed_annex(&mut c, t("2026-11-29 00:00:00")).unwrap(), 176);
    assert_eq!(registry::seed_annex(&mut c, t("2026-11-29 01:00:00")).unwrap(), 0);
    let all = registry::list(&mut c, Filter::default()).unwrap();
    assert_eq!(all.len(), 176);
    let per_city: Vec<usize> =
        City::ALL.iter().map(|city| all.iter().filter(|r| r.enterprise.city == *city).count()).collect();
    // Group sizes read off the annex (docs/registry.md): 太原 … 吕梁 in GB/T 2260 order.
    assert_eq!(per_city, [14, 7, 3, 28, 27, 4, 22, 22, 9, 21, 19]);
    let unknown = registry::list(&mut c, Filter { city: None, batch: Some(ConstructionBatch::Unknown) }).unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].enterprise.name, "山西中煤平朔能源化工有限公司");
    assert!(unknown[0].enterprise.has(EnterpriseFlag::BatchUnknown));
    let jc =
        registry::list(&mut c, Filter { city: Some(City::Jincheng), batch: Some(ConstructionBatch::Second) }).unwrap();
    let nc: Vec<_> = jc.iter().filter(|r| r.enterprise.has(EnterpriseFlag::NotConnected)).collect();
    assert_eq!(nc.len(), 1);
    assert_eq!(nc[0].enterprise.name, "中国石化销售股份有限公司山西晋城石油分公司");
    let first = registry::get(&mut c, &code("140100001")).unwrap();
    assert_eq!(first.enterprise.annex_no, Some(1));
    assert_eq!(registry::get(&mut c, &code("999999999")).unwrap_err().code(), "not_found");
}

fn imports_update_rekey_and_add(db: &Db) {
    let mut c = db.conn().unwrap();
    registry::seed_annex(&mut c, t("2026-11-29 00:00:00")).unwrap();
    let csv = "companyCode,name,cityCode,batch,tyshxydm,baseUrl,aesKey\n\
               140100001,中国石化销售股份有限公司山西太原石油分公司油库,140100,1,,http://10.1.1.1/api,0123456789abcdef\n\
               140612345,山西中煤平朔能源化工有限公司,140600,2,91110000710925462X,,\n\
               140199999,新企业有限公司,140100,,,,\n\
               140100002,太原国新洁净液化天然气有限公司,140100,1,,,\n";
    let (rows, errors) = registry_import::parse(csv);
    assert_eq!(errors, vec![]);
    let report = registry_import::apply(&mut c, &rows, t("2026-11-29 02:00:00")).unwrap();
    // Row 4 confirms a provisional code as the real one: an update that clears the flag.
    assert_eq!(report.updated, ["140100001", "140100002"]);
    assert!(registry::get(&mut c, &code("140100002")).unwrap().enterprise.flags.is_empty());
    assert_eq!(report.rekeyed, [("140600001".to_owned(), "140612345".to_owned())]);
    assert_eq!(report.added, ["140199999"]);
    assert_eq!(report.unchanged, 0);
    let rekeyed = registry::get(&mut c, &code("140612345")).unwrap();
    assert_eq!(rekeyed.enterprise.batch, ConstructionBatch::Second);
    assert!(rekeyed.enterprise.flags.is_empty(), "no longer provisional nor of unknown batch");
    assert_eq!(rekeyed.enterprise.annex_no, Some(80));
    assert!(registry::get(&mut c, &code("140600001")).is_err());
    let updated = registry::get(&mut c, &code("140100001")).unwrap();
    assert!(updated.has_aes_key && updated.base_url.as_deref() == Some("http://10.1.1.1/api"));
    let added = registry::get(&mut c, &code("140199999")).unwrap();
    assert_eq!(added.enterprise.batch, ConstructionBatch::Unknown);
    assert_eq!(added.enterprise.flags, [EnterpriseFlag::BatchUnknown]);
    assert_eq!(registry::list(&mut c, Filter::default()).unwrap().len(), 177);
    // Importing the same file again changes nothing.
    let again = registry_import::apply(&mut c, &rows, t("2026-11-29 03:00:00")).unwrap();
    assert_eq!((again.unchanged, again.added.len(), again.updated.len()), (4, 0, 0));
}

fn bad_rows_change_nothing(db: &Db) {
    let mut c = db.conn().unwrap();
    registry::seed_annex(&mut c, t("2026-11-29 00:00:00")).unwrap();
    let csv = "companyCode,name,cityCode,cityName,batch,tyshxydm,aesKey\n\
               14010000,短编码,140100,,1,,\n\
               140100003,阳煤集团太原化工新材料有限公司,149900,,1,,\n\
               140100004,山西西山煤气化有限责任公司,140100,大同市,1,,\n\
               140100005,山西金荣石化有限公司,140100,,3,,\n\
               140100006,山西盈德气体有限公司,140100,,1,91110000710925463X,\n\
               140100007,中国航空油料有限责任公司山西分公司,140100,,2,,short\n\
               140100008,,140100,,2,,\n\
               140100009,中铁十七局集团物资有限公司,140100,太原市,2,,\n\
               140100009,中铁十七局集团物资有限公司,140100,太原市,2,,\n";
    let (rows, errors) = registry_import::parse(csv);
    let codes: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(
        codes,
        [
            (2, "bad_company_code"),
            (3, "unknown_city"),
            (4, "city_mismatch"),
            (5, "bad_batch"),
            (6, "bad_credit_code"),
            (7, "bad_key"),
            (8, "missing_field"),
            (10, "duplicate_in_file"),
        ]
    );
    assert_eq!(rows.len(), 1);
    let before = registry::list(&mut c, Filter::default()).unwrap();
    let report = registry_import::apply(&mut c, &rows, t("2026-11-29 02:00:00")).unwrap();
    assert_eq!(report.updated, ["140100009"]);
    let after = registry::list(&mut c, Filter::default()).unwrap();
    let changed: Vec<&str> =
        before.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, _)| a.enterprise.code.as_str()).collect();
    assert_eq!(changed, ["140100009"], "only the one good row changed anything");
    let (_, header_errors) = registry_import::parse("code,name\n1,x\n");
    assert_eq!(header_errors[0].code, "bad_header");
}

fn rekey_refused_with_data(db: &Db) {
    let mut c = db.conn().unwrap();
    registry::seed_annex(&mut c, t("2026-11-29 00:00:00")).unwrap();
    diesel::sql_query(
        "INSERT INTO batches (batch_id, table_name, company_code, source, actor, received_at, received, accepted, \
         unchanged, pending, rejected) VALUES ('b1', 'risk_unit', '140200001', 'push', 'test', '2026-11-29 00:00:00', \
         1, 1, 0, 0, 0)",
    )
    .execute(&mut *c)
    .unwrap();
    let (rows, _) = registry_import::parse("companyCode,name,cityCode\n140254321,大同国新液化天然气有限公司,140200\n");
    let report = registry_import::apply(&mut c, &rows, t("2026-11-29 02:00:00")).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].code, "has_data");
    assert!(registry::get(&mut c, &code("140200001")).is_ok());
    assert!(registry::get(&mut c, &code("140254321")).is_err());
}

/// An import that starts while another connection is writing waits for it and is applied. (On SQLite a transaction
/// that read before the other's commit and writes after it fails with "database is locked" at once, whatever the
/// busy timeout: imports take the write lock first.)
fn an_import_waits_for_another_writer(db: &Db) {
    let mut c = db.conn().unwrap();
    registry::seed_annex(&mut c, t("2026-11-29 00:00:00")).unwrap();
    let (started, wait_started) = std::sync::mpsc::channel();
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut other = db.conn().unwrap();
            storage::tx::write_transaction(&mut other, |o| {
                diesel::sql_query("UPDATE enterprises SET name = name WHERE company_code = '140100002'").execute(o)?;
                started.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
                Ok::<_, diesel::result::Error>(())
            })
        })
    };
    wait_started.recv().unwrap();
    let csv = "companyCode,name,cityCode,batch,tyshxydm,baseUrl,aesKey\n\
               140100001,中国石化销售股份有限公司山西太原石油分公司油库,140100,1,,http://10.1.1.1/api,\n";
    let (rows, errors) = registry_import::parse(csv);
    assert_eq!(errors, vec![]);
    let report = registry_import::apply(&mut c, &rows, t("2026-11-29 02:00:00")).unwrap();
    writer.join().unwrap().unwrap();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(report.updated, ["140100001"]);
    let updated = registry::get(&mut c, &code("140100001")).unwrap();
    assert_eq!(updated.base_url.as_deref(), Some("http://10.1.1.1/api"));
}
