//! The task-force dashboard (`docs/dashboard.md`): a zh-CN single page of hand-written HTML, CSS, JavaScript and SVG,
//! embedded in the binary and served at `GET /` and `GET /assets/{file}`. It calls the public API with the user's
//! token, so it shows exactly what that role may see. These browser routes are neither in the OpenAPI document nor
//! under `/api/v1` (so not audited).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::OnceLock;

/// The policy of every dashboard response: scripts, styles, images and connections from this origin only (images
/// also from `blob:`, the object URLs of danger photos fetched with the caller's credentials, `photos.js`); no
/// inline script or style, no plugin, no framing, no form submission (the browser tests fail on any violation).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
                       connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/// One embedded file: its name under `/assets/`, its content type and its content.
#[derive(Debug)]
pub struct Asset {
    /// The file name (`app.js`, `views/city.js`, …); `index.html` is served at `/`.
    pub name: &'static str,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static str,
}

macro_rules! asset {
    ($name:literal, $ct:expr) => {
        Asset { name: $name, content_type: $ct, body: include_str!(concat!("../dashboard/", $name)) }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of the dashboard.
pub static ASSETS: [Asset; 24] = [
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("fmt.js", JS),
    asset!("table.js", JS),
    asset!("chart.js", JS),
    asset!("export.js", JS),
    asset!("photos.js", JS),
    asset!("views/login.js", JS),
    asset!("views/province.js", JS),
    asset!("views/city.js", JS),
    asset!("views/enterprise.js", JS),
    asset!("views/held.js", JS),
    asset!("views/accounts.js", JS),
    asset!("views/audit.js", JS),
    asset!("views/policy.js", JS),
    asset!("views/handling.js", JS),
    asset!("views/warning.js", JS),
    asset!("views/acceptance.js", JS),
    asset!("views/spot.js", JS),
    asset!("notify.js", JS),
    asset!("search.js", JS),
    asset!("icon.svg", "image/svg+xml"),
];

/// FNV-1a, 64 bits: a stable content hash for the `ETag` (not a security function).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The `ETag` of each asset, computed once.
fn etags() -> &'static [String] {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| ASSETS.iter().map(|a| format!("\"{:016x}\"", fnv1a(a.body.as_bytes()))).collect())
}

/// Answers one asset, or 304 when the browser already holds this version.
fn serve(req: &HttpRequest, index: usize) -> HttpResponse {
    let asset = &ASSETS[index];
    let etag = &etags()[index];
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    if fresh {
        return res.finish();
    }
    res.content_type(asset.content_type).body(asset.body)
}

async fn index(req: HttpRequest) -> HttpResponse {
    serve(&req, 0)
}

async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    match ASSETS.iter().position(|a| a.name == name && a.name != "index.html") {
        Some(i) => serve(&req, i),
        None => HttpResponse::NotFound()
            .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
            .content_type("text/plain; charset=utf-8")
            .body(format!("没有此文件 / no such file: {name}")),
    }
}

/// Registers `GET /` and `GET /assets/{file}` (gzip when the browser accepts it). Call before the catch-all scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").wrap(actix_web::middleware::Compress::default()).route(web::get().to(index)))
        .service(
            web::resource("/assets/{file:.+}")
                .wrap(actix_web::middleware::Compress::default())
                .route(web::get().to(file)),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMESPACES: [&str; 2] = ["http://www.w3.org/", "http://schemas.openxmlformats.org/"];

    #[test]
    fn every_asset_is_named_once_and_nothing_leaves_the_origin() {
        let mut names: Vec<_> = ASSETS.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ASSETS.len());
        for a in &ASSETS {
            // XML namespace names (SVG, SpreadsheetML) are identifiers, never fetched.
            let body = NAMESPACES.iter().fold(a.body.to_owned(), |b, ns| b.replace(ns, ""));
            for outside in ["http://", "https://", "//cdn", "@import"] {
                assert!(!body.contains(outside), "{} names an outside address ({outside})", a.name);
            }
        }
        assert_eq!(etags().len(), ASSETS.len());
        assert_ne!(etags()[0], etags()[1]);
    }
}
