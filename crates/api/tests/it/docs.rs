//! The OpenAPI document: committed, equal to the code's, served, and documented offline at `/docs/`.

use crate::Server;

#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let generated = api::openapi_json();
    if std::env::var_os("DUALPREV_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; regenerate it with:\n  cargo run -- openapi > openapi/openapi.json"
    );
}

#[test]
fn every_route_declares_its_errors_and_protected_routes_their_security() {
    let doc = serde_json::to_value(api::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            // Signing in is public under /api/ (it is how a person gets a session): with a password or single sign-on.
            let signing_in = (path == "/api/v1/session" && method == "post") || path.starts_with("/api/v1/session/sso");
            if path.starts_with("/api/") && !signing_in {
                assert!(op["security"].is_array(), "{method} {path} declares no security");
                for status in ["401", "403"] {
                    assert!(responses.contains_key(status), "{method} {path} lacks {status}");
                }
            }
            // Single sign-on answers the browser with redirects only.
            let success = |s: &String| s.starts_with('2') || (signing_in && s.starts_with('3'));
            assert!(responses.keys().any(success), "{method} {path} has no success response");
        }
    }
}

both_backends!(serves_the_document_and_an_offline_ui);

async fn serves_the_document_and_an_offline_ui(s: Server) {
    let served: serde_json::Value = s.get("/openapi.json", None).await.json().await.unwrap();
    assert_eq!(served, serde_json::to_value(api::openapi()).unwrap());
    let index = s.get("/docs/", None).await;
    assert_eq!(index.status(), 200);
    let html = index.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"));
    let init = s.get("/docs/swagger-initializer.js", None).await.text().await.unwrap();
    assert!(init.contains("/openapi.json"));
    // Nothing the page loads lives on another host: every script and style is served from the binary.
    for text in [&html, &init] {
        for scheme in ["http://", "https://", "//cdn", "//unpkg"] {
            assert!(!text.contains(scheme), "the documentation page names an outside address ({scheme})");
        }
    }
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"] {
        let res = s.get(&format!("/docs/{asset}"), None).await;
        assert_eq!(res.status(), 200, "{asset}");
        assert!(res.bytes().await.unwrap().len() > 10_000, "{asset} is served from the binary");
    }
}

/// The documentation page renders in a real browser with every host but loopback cut off.
#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn docs_render_offline_in_chromium() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    let url = format!("{}/docs/", s.base);
    let dom = tokio::task::spawn_blocking(move || testkit::dump_dom(&url)).await.unwrap();
    // Swagger UI draws one block per operation, from the document it fetched from this server.
    assert!(dom.contains("swagger-ui"), "the page loaded");
    assert!(dom.contains("opblock"), "operations were rendered: {}", &dom[..dom.len().min(500)]);
    assert!(dom.contains("/api/v1/exchange/{table}"), "the push route is documented");
    assert!(dom.contains("/api/v1/metrics"));
}

/// The table of `docs/errors.md` as the registry renders it.
fn error_table() -> String {
    let mut out = String::from("| 代码 code | HTTP | 中文 | English |\n|---|---|---|---|\n");
    for c in domain::Code::ALL {
        out.push_str(&format!("| `{c}` | {} | {} | {} |\n", c.status(), c.title_zh(), c.title_en()));
    }
    out
}

#[test]
fn every_registered_code_is_documented_and_in_the_openapi_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- codes:begin -->\n", "<!-- codes:end -->");
    let (head, rest) = doc.split_once(begin).expect("docs/errors.md has a codes:begin marker");
    let (_, tail) = rest.split_once(end).expect("docs/errors.md has a codes:end marker");
    let wanted = format!("{head}{begin}{}{end}{tail}", error_table());
    if std::env::var_os("DUALPREV_BLESS").is_some() {
        std::fs::write(path, &wanted).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).unwrap() == wanted,
        "docs/errors.md's table differs from domain::Code; regenerate it with:\n  \
         DUALPREV_BLESS=1 cargo test --workspace --test it every_registered_code"
    );
    let openapi = serde_json::to_value(api::openapi()).unwrap();
    let listed: Vec<&str> = openapi["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        .as_array()
        .expect("Problem.code lists the codes")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for c in domain::Code::ALL {
        assert!(listed.contains(&c.as_str()), "{c} is not in the OpenAPI document");
    }
    assert_eq!(listed.len(), domain::Code::ALL.len());
}
