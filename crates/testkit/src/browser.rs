//! A small Chrome DevTools Protocol client for browser tests: headless Chromium launched with [`CHROMIUM_FLAGS`]
//! and every host but loopback unreachable, one page driven over a websocket, its console errors and requests
//! recorded.
//!
//! Test support: failures of the browser itself panic with a message (a test must fail loudly); only what a page's
//! script does is returned as a `Result` ([`Browser::try_eval`]).

use crate::{CHROMIUM_FLAGS, chromium};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// A headless Chromium with one page (a target attached with `flatten`), killed on drop.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    errors: Vec<String>,
    requests: Vec<String>,
}

/// How long one protocol call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

impl Browser {
    /// Launches Chromium (`DUALPREV_CHROMIUM` or `/usr/bin/chromium`) in a 1440×900 window with a fresh profile,
    /// connects to it and opens a blank page with `Runtime`, `Log`, `Network` and `Page` enabled.
    pub fn launch() -> Browser {
        let profile = tempfile::tempdir().expect("profile folder");
        let child = Command::new(chromium())
            .args(CHROMIUM_FLAGS)
            .args([
                "--remote-debugging-port=0",
                "--window-size=1440,900",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium()));
        let (port, path) = active_port(profile.path());
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the DevTools port");
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream.try_clone().expect("clone"))
            .expect("DevTools websocket handshake");
        stream.set_read_timeout(Some(Duration::from_millis(200))).expect("read timeout");
        let mut b = Browser {
            child,
            _profile: profile,
            ws,
            session: String::new(),
            next_id: 0,
            errors: vec![],
            requests: vec![],
        };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().expect("targetId").to_owned();
        let attached = b.call("Target.attachToTarget", json!({"targetId": target, "flatten": true}));
        b.session = attached["sessionId"].as_str().expect("sessionId").to_owned();
        for domain in ["Runtime", "Log", "Network", "Page"] {
            b.call(&format!("{domain}.enable"), json!({}));
        }
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    /// Sends a command (to the page once attached) and returns its result, recording the events read meanwhile.
    /// Panics on a protocol error or after 30 s.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap_or_else(|e| panic!("send {method}: {e}"));
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            assert!(Instant::now() < deadline, "{method}: no answer within {CALL_TIMEOUT:?}");
            let Some(v) = self.read() else { continue };
            if v["id"].as_u64() == Some(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
            self.record(&v);
        }
    }

    /// One message, or `None` when none arrived within the read timeout.
    fn read(&mut self) -> Option<Value> {
        match self.ws.read() {
            Ok(Message::Text(t)) => Some(serde_json::from_str(t.as_str()).expect("DevTools JSON")),
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
            {
                None
            }
            Err(e) => panic!("DevTools connection: {e}"),
        }
    }

    /// Keeps what the tests check from an event: errors of any kind, and every request's URL.
    fn record(&mut self, v: &Value) {
        let p = &v["params"];
        match v["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" if p["type"] == "error" => {
                let args: Vec<String> = p["args"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| x["value"].as_str().or(x["description"].as_str()).unwrap_or("?").to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                self.errors.push(format!("console.error: {}", args.join(" ")));
            }
            "Runtime.exceptionThrown" => {
                let d = &p["exceptionDetails"];
                let text = d["exception"]["description"].as_str().or(d["text"].as_str()).unwrap_or("?");
                self.errors.push(format!("exception: {text}"));
            }
            "Log.entryAdded" if p["entry"]["level"] == "error" => {
                let e = &p["entry"];
                self.errors.push(format!(
                    "log ({}): {} {}",
                    e["source"].as_str().unwrap_or("?"),
                    e["text"].as_str().unwrap_or("?"),
                    e["url"].as_str().unwrap_or("")
                ));
            }
            "Network.requestWillBeSent" => {
                self.requests.push(p["request"]["url"].as_str().unwrap_or_default().to_owned());
            }
            _ => {}
        }
    }

    /// Opens a URL and waits until the document has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("document.readyState === 'complete'", Duration::from_secs(20));
    }

    /// Evaluates an expression in the page (awaiting a promise) and returns its value, or the exception's text.
    pub fn try_eval(&mut self, js: &str) -> Result<Value, String> {
        let r = self.call("Runtime.evaluate", json!({"expression": js, "awaitPromise": true, "returnByValue": true}));
        if let Some(d) = r.get("exceptionDetails") {
            return Err(d["exception"]["description"].as_str().or(d["text"].as_str()).unwrap_or("?").to_owned());
        }
        Ok(r["result"]["value"].clone())
    }

    /// [`Browser::try_eval`], panicking when the expression throws.
    pub fn eval(&mut self, js: &str) -> Value {
        self.try_eval(js).unwrap_or_else(|e| panic!("{js}: {e}"))
    }

    /// Polls an expression every 50 ms until it is truthy; panics after `timeout` with the errors seen.
    pub fn wait_for(&mut self, js: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.try_eval(&format!("Boolean({js})"));
            if v == Ok(Value::Bool(true)) {
                return;
            }
            assert!(Instant::now() < deadline, "waited {timeout:?} for {js} (last {v:?}); errors: {:?}", self.errors);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every error so far: `console.error` calls, uncaught exceptions, and error log entries (failed loads, CSP).
    pub fn console_errors(&mut self) -> Vec<String> {
        self.call("Runtime.evaluate", json!({"expression": "0"}));
        self.errors.clone()
    }

    /// The URL of every request the page made so far (documents, scripts, styles, fetches, images).
    pub fn requests(&mut self) -> Vec<String> {
        self.call("Runtime.evaluate", json!({"expression": "0"}));
        self.requests.clone()
    }

    /// Asserts that every request the page made so far went to `base` (the server under test): nothing left for a
    /// CDN or any other host. `data:` URLs are the browser's own pictures (a date input's calendar button), not
    /// requests.
    pub fn assert_stayed_on(&mut self, base: &str) {
        for u in self.requests().into_iter().filter(|u| !u.starts_with("data:")) {
            assert!(u.starts_with(&format!("{base}/")), "a request left the server: {u}");
        }
    }

    /// Writes a PNG of the whole page (at most 3000 px tall) to `path`, creating its folder.
    pub fn screenshot(&mut self, path: &Path) {
        self.screenshot_scaled(path, 3000.0, 1.0);
    }

    /// Writes a PNG of the page from its top, at most `max_height` CSS pixels tall, drawn at `scale` (1.0 = one
    /// image pixel per CSS pixel; smaller makes smaller files), to `path`.
    pub fn screenshot_scaled(&mut self, path: &Path, max_height: f64, scale: f64) {
        use base64::Engine;
        let m = self.call("Page.getLayoutMetrics", json!({}));
        let width = m["cssContentSize"]["width"].as_f64().unwrap_or(1440.0);
        let height = m["cssContentSize"]["height"].as_f64().unwrap_or(900.0).min(max_height);
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("screenshot base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Best effort: the process is ours and is reaped here.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (up to 20 s) for Chromium to write `DevToolsActivePort`: the port, then the browser's websocket path.
fn active_port(profile: &Path) -> (u16, String) {
    let file = profile.join("DevToolsActivePort");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next())
                && let Ok(port) = port.trim().parse()
            {
                return (port, path.trim().to_owned());
            }
        }
        assert!(Instant::now() < deadline, "Chromium wrote no {} within 20 s", file.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}
