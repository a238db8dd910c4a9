//! A webhook receiver on loopback for the tests: a real HTTP server that records every request and answers 500 to
//! the first `fail_first` ones (and to every one when `fail_first` is `usize::MAX`), 200 afterwards.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Got {
    /// What the receiver answered.
    pub answered: u16,
    /// `X-Dualprev-Signature`.
    pub signature: String,
    /// `X-Dualprev-Event`.
    pub event: String,
    /// `X-Dualprev-Delivery`.
    pub delivery: String,
    /// The body as received.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: Instant,
}

impl Got {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A running receiver.
pub struct Receiver {
    /// Its URL.
    pub url: String,
    got: Arc<Mutex<Vec<Got>>>,
}

struct Shared {
    got: Arc<Mutex<Vec<Got>>>,
    fail_first: usize,
}

async fn receive(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
    let mut got = shared.got.lock();
    let answered = if got.len() < shared.fail_first { 500 } else { 200 };
    got.push(Got {
        answered,
        signature: header("X-Dualprev-Signature"),
        event: header("X-Dualprev-Event"),
        delivery: header("X-Dualprev-Delivery"),
        body: body.to_vec(),
        at: Instant::now(),
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).unwrap()).finish()
}

impl Receiver {
    /// Starts a receiver on port 0.
    pub fn start(fail_first: usize) -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let shared = web::Data::new(Shared { got: got.clone(), fail_first });
        let server = HttpServer::new(move || App::new().app_data(shared.clone()).default_service(web::to(receive)))
            .workers(1)
            .bind("127.0.0.1:0")
            .unwrap();
        let addr = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        Receiver { url: format!("http://{addr}/hook"), got }
    }

    /// Every request so far.
    pub fn got(&self) -> Vec<Got> {
        self.got.lock().clone()
    }

    /// The requests answered 200.
    pub fn accepted(&self) -> Vec<Got> {
        self.got().into_iter().filter(|g| g.answered == 200).collect()
    }

    /// Waits until `done` holds for the requests so far (polling, with a deadline); panics after `within`.
    pub async fn wait_for(&self, within: Duration, done: impl Fn(&[Got]) -> bool) -> Vec<Got> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.got();
            if done(&got) {
                return got;
            }
            assert!(Instant::now() < deadline, "the receiver did not get what was expected: {} requests", got.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
