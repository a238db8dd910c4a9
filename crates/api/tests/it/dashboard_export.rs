//! The dashboard's exports read back (XLSX with calamine, CSV as text), and its assets as served: types, caching,
//! the content security policy, 404s, and their size raw and gzipped.

use crate::Server;
use crate::dashboard::Cells;
use calamine::{Data, Reader, Xlsx};
use testkit::browser::Browser;

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The XLSX and CSV of the city table hold the cells shown: names and codes as text, figures as numbers (the rate
/// as a fraction, its numerator and denominator), empty rates where the denominator is 0.
pub fn exports_round_trip(b: &mut Browser, rows: &Cells) {
    use base64::Engine;
    let b64 = b.eval("window.dualprev.xlsxBase64('enterprises')");
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let grid: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(grid.len(), rows.len() + 1, "a header and one line per row");
    let header: Vec<String> = grid[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..3], ["名次", "企业", "企业编码"]);
    assert_eq!(&header[10..13], ["排查任务完成率", "排查任务完成率·分子", "排查任务完成率·分母"]);
    for (shown, line) in rows.iter().zip(&grid[1..]) {
        assert_eq!(line[1].to_string(), shown[1].0, "name");
        assert_eq!(line[2].to_string(), shown[2].0, "code");
        for (col, at) in [(7, 7), (8, 10), (9, 13)] {
            let (num, den) = (shown[col].1.unwrap(), shown[col].2.unwrap());
            assert_eq!(number(&line[at + 1]), Some(num as f64), "{} numerator", shown[2].0);
            assert_eq!(number(&line[at + 2]), Some(den as f64), "{} denominator", shown[2].0);
            let rate = (den > 0).then(|| num as f64 / den as f64);
            assert_eq!(number(&line[at]), rate, "{} rate", shown[2].0);
        }
        assert_eq!(number(&line[16]).map(|n| n.to_string()), Some(shown[10].0.clone()), "overdue");
    }
    let csv = b.eval("window.dualprev.csv('enterprises')").as_str().unwrap().to_owned();
    let csv = csv.strip_prefix('\u{feff}').expect("a UTF-8 BOM for Excel");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), rows.len() + 1);
    assert!(lines[0].starts_with("名次,企业,企业编码,"));
    for (shown, line) in rows.iter().zip(&lines[1..]) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!((fields[1], fields[2]), (shown[1].0.as_str(), shown[2].0.as_str()));
        assert_eq!(
            (fields[11], fields[12]),
            (shown[8].1.unwrap().to_string().as_str(), shown[8].2.unwrap().to_string().as_str())
        );
    }
}

#[actix_web::test]
async fn assets_are_served_from_the_binary_with_their_headers() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    let index = s.get("/", None).await;
    assert_eq!(index.status(), 200);
    let h = index.headers().clone();
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    assert_eq!(h["cache-control"], "no-cache");
    assert!(h["content-security-policy"].to_str().unwrap().starts_with("default-src 'self'"));
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert!(index.text().await.unwrap().contains("/assets/app.js"));
    let again = s.http.get(format!("{}/", s.base)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304, "unchanged content is not sent again");
    let js = s.get("/assets/views/city.js", None).await;
    assert_eq!(
        (js.status().as_u16(), js.headers()["content-type"].to_str().unwrap()),
        (200, "text/javascript; charset=utf-8")
    );
    for missing in ["/assets/nope.js", "/assets/index.html", "/assets/../Cargo.toml"] {
        assert_eq!(s.get(missing, None).await.status(), 404, "{missing}");
    }
    // The size of everything the dashboard sends, raw and gzipped (docs/dashboard.md).
    let (mut raw, mut gzip) = (0, 0);
    for a in &api::dashboard::ASSETS {
        let path = if a.name == "index.html" { "/".to_owned() } else { format!("/assets/{}", a.name) };
        let plain = s.get(&path, None).await.bytes().await.unwrap();
        assert_eq!(plain.as_ref(), a.body.as_bytes(), "{path}");
        let res = s.http.get(format!("{}{path}", s.base)).header("Accept-Encoding", "gzip").send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip", "{path}");
        raw += plain.len();
        gzip += res.bytes().await.unwrap().len();
    }
    println!("dashboard assets: {} files, {raw} bytes raw, {gzip} bytes gzip", api::dashboard::ASSETS.len());
    assert!(raw < 150_000, "{raw} bytes");
    assert!(gzip * 10 < raw * 7, "{gzip} of {raw} bytes");
}
