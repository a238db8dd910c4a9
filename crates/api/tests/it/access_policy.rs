//! The policy middleware on its own: a route that has no line in `auth::policy::POLICY` is refused to every role
//! (deny by default), and a listed route is reached only by its roles.

use crate::SECRET;
use actix_web::{App, HttpResponse, test, web};
use api::auth::authorize::authorize;
use api::{AuthConfig, Role};
use chrono::TimeDelta;

#[actix_web::test]
async fn a_route_without_a_rule_is_refused_to_everyone() {
    let auth = AuthConfig::new(SECRET, "dualprev", "dualprev", 0).unwrap().with_clock(testkit::clock());
    let app = test::init_service(
        App::new().app_data(web::Data::new(auth.clone())).service(
            web::scope("")
                .wrap(actix_web::middleware::from_fn(authorize))
                .route("/api/v1/unlisted", web::get().to(HttpResponse::Ok))
                .route("/api/v1/audit", web::get().to(HttpResponse::Ok)),
        ),
    )
    .await;
    let province = auth.issue(Role::Province, None, None, TimeDelta::hours(1)).unwrap();
    let service = auth.issue(Role::Service, None, None, TimeDelta::hours(1)).unwrap();
    let get = |path: &str, token: &str| {
        test::TestRequest::get().uri(path).insert_header(("Authorization", format!("Bearer {token}"))).to_request()
    };
    let status = async |req| match test::try_call_service(&app, req).await {
        Ok(res) => res.status().as_u16(),
        Err(e) => e.as_response_error().status_code().as_u16(),
    };
    assert_eq!(status(get("/api/v1/unlisted", &province)).await, 403, "no rule: refused even to the province");
    assert_eq!(status(get("/api/v1/audit", &province)).await, 200);
    assert_eq!(status(get("/api/v1/audit", &service)).await, 403, "the audit route is the province's");
    assert_eq!(status(test::TestRequest::get().uri("/api/v1/audit").to_request()).await, 401);
}
