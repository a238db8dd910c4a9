//! The national answer profile (`docs/data-exchange.md` §9): existing clients parse every answer as
//! `{"requestId", "success", "code", "state", "msg", "data": {"code", "msg", "data"}}` and read `data.code` ("200"
//! ok, "500" failed); without a `data` member they throw and stop paging. For an enterprise whose profile is
//! `national`, a push is answered in that shape with the HTTP status unchanged: the receipt in `data.data`, or the
//! problem document there when the push was refused as a whole.

use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use exchange::Receipt;
use serde_json::{Value, json};

/// `data.code` of an answer: "200", "207" and "422" as the HTTP status of a receipt; "500" for a push refused as a
/// whole (400, 401, 403, 404, 413, 429, 503: the HTTP status says which).
pub fn data_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200 => "200",
        207 => "207",
        422 => "422",
        _ => "500",
    }
}

/// The whole answer around `payload` (a receipt or a problem document).
fn envelope(request_id: &str, status: StatusCode, msg: String, payload: Value) -> Value {
    let code = data_code(status);
    let success = matches!(code, "200" | "207");
    json!({
        "requestId": request_id,
        "success": success,
        "code": code,
        "state": if success { "success" } else { "fail" },
        "msg": msg,
        "data": {"code": code, "msg": msg, "data": payload},
    })
}

/// The summary of a receipt, zh-CN then English.
fn summary(r: &Receipt) -> String {
    format!(
        "共 {} 条：入库 {}，未变 {}，暂存 {}，拒收 {} / {} records: {} stored, {} unchanged, {} held, {} rejected",
        r.received,
        r.accepted,
        r.unchanged,
        r.pending,
        r.rejected,
        r.received,
        r.accepted,
        r.unchanged,
        r.pending,
        r.rejected
    )
}

/// A receipt answered in the national shape (`requestId` is the request's `X-Request-Id`).
pub fn receipt(request_id: &str, status: StatusCode, r: &Receipt) -> ApiResult {
    let body = envelope(request_id, status, summary(r), serde_json::to_value(r).map_err(internal)?);
    Ok(HttpResponse::build(status).json(body))
}

/// A refused push answered in the national shape: the status and headers (`Retry-After`, `WWW-Authenticate`) of
/// the problem answer, its document in `data.data`.
pub fn refusal(request_id: &str, e: &ApiError) -> HttpResponse {
    let base = actix_web::ResponseError::error_response(e);
    let problem = e.problem();
    let body = envelope(request_id, base.status(), problem.detail.clone(), json!(problem));
    let mut res = HttpResponse::build(base.status());
    for (name, value) in base.headers().iter().filter(|(name, _)| *name != CONTENT_TYPE) {
        res.insert_header((name.clone(), value.clone()));
    }
    res.json(body)
}

type ApiResult = Result<HttpResponse, ApiError>;

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_codes_follow_the_status() {
        let codes: Vec<&str> = [200, 207, 422, 400, 401, 413, 429, 503]
            .into_iter()
            .map(|s| data_code(StatusCode::from_u16(s).unwrap()))
            .collect();
        assert_eq!(codes, ["200", "207", "422", "500", "500", "500", "500", "500"]);
        let v = envelope("r1", StatusCode::MULTI_STATUS, "m".into(), json!({"accepted": 1}));
        assert_eq!(
            (v["success"].clone(), v["data"]["code"].clone(), v["data"]["data"]["accepted"].clone()),
            (json!(true), json!("207"), json!(1))
        );
        let v = envelope("r1", StatusCode::UNPROCESSABLE_ENTITY, "m".into(), json!({}));
        assert_eq!((v["success"].clone(), v["state"].clone()), (json!(false), json!("fail")));
    }
}
