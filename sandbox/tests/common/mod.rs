//! Helpers for the sandbox's HTTP tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use qfpay::SignType;
use qfpay_sandbox::{Merchant, Sandbox, SandboxConfig};
use serde_json::Value;

pub const APP: &str = "TESTAPP0001";
pub const KEY: &str = "TESTKEY0001";
pub const MCH_APP: &str = "TESTAPP_MCH";
pub const MCH_KEY: &str = "TESTKEY_MCH";
pub const MCHID: &str = "MCH00001";

/// A sandbox with two merchants (one without mchid, one with), no rate limit, fast schedule.
pub async fn sandbox() -> Sandbox {
    sandbox_with(|_| {}).await
}

pub async fn sandbox_with(f: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut config = SandboxConfig {
        merchants: vec![
            Merchant::new(APP, KEY),
            Merchant::new(MCH_APP, MCH_KEY).with_mchid(MCHID),
        ],
        rate_limit: None,
        notify_time_scale: 0.001,
        slow_response: std::time::Duration::from_millis(1500),
        ..SandboxConfig::default()
    };
    f(&mut config);
    Sandbox::start(config).await.expect("sandbox starts")
}

thread_local! {
    // One client per test thread (each test has its own runtime and thread): building a
    // client is slow, and pooled connections must not cross runtimes.
    static HTTP: reqwest::Client = reqwest::Client::builder().no_proxy().build().unwrap();
}

pub fn http() -> reqwest::Client {
    HTTP.with(Clone::clone)
}

pub fn now() -> String {
    (chrono::Utc::now().naive_utc() + chrono::TimeDelta::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A properly encoded, signed request.
pub async fn call(
    sb: &Sandbox,
    path: &str,
    app: &str,
    key: &str,
    params: &[(&str, &str)],
) -> (u16, Value) {
    call_signed(sb, path, app, key, params, SignType::Md5).await
}

pub async fn call_signed(
    sb: &Sandbox,
    path: &str,
    app: &str,
    key: &str,
    params: &[(&str, &str)],
    st: SignType,
) -> (u16, Value) {
    let sig = qfpay::sign::sign(params, key, st);
    let body = {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            ser.append_pair(k, v);
        }
        ser.finish()
    };
    let mut req = http()
        .post(format!("{}{}", sb.base_url(), path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-QF-APPCODE", app)
        .header("X-QF-SIGN", sig)
        .body(body);
    if let Some(h) = st.header_value() {
        req = req.header("X-QF-SIGNTYPE", h);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Sends exactly these body bytes with these headers.
pub async fn raw(
    sb: &Sandbox,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = http().post(format!("{}{}", sb.base_url(), path)).body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Creates a payment for the default merchant; returns the answer.
pub async fn pay_req(sb: &Sandbox, amount: &str, pay_type: &str) -> Value {
    let otn = unique("P");
    let t = now();
    let mut p = vec![
        ("txamt", amount),
        ("txcurrcd", "HKD"),
        ("pay_type", pay_type),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    if pay_type.ends_with("08") {
        p.push(("auth_code", "134857900000000001"));
    }
    call(sb, "/trade/v1/payment", APP, KEY, &p).await.1
}

pub async fn query(sb: &Sandbox, params: &[(&str, &str)]) -> Value {
    let (s, v) = call(sb, "/trade/v1/query", APP, KEY, params).await;
    assert_eq!(s, 200, "{v}");
    v
}

pub async fn record(sb: &Sandbox, syssn: &str) -> Value {
    let v = query(sb, &[("syssn", syssn)]).await;
    v["data"][0].clone()
}

pub fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_owned()
}

/// Sends exactly `request` (a whole HTTP/1.1 request) over a new TCP connection and reads
/// one response: (status, headers, body).
pub async fn wire(sb: &Sandbox, request: &[u8]) -> (u16, String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", sb.port()))
        .await
        .unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                return (status, head, buf[end + 4..end + 4 + len].to_vec());
            }
        }
    }
    panic!(
        "connection closed before a full response: {:?}",
        String::from_utf8_lossy(&buf)
    );
}

/// POSTs JSON to one of the sandbox's page endpoints as its own pages do (same origin): the
/// status and the JSON answer (`/checkstand/session`, `/sandbox/checkout/<syssn>`).
pub async fn page_post(sb: &Sandbox, path: &str, body: Value) -> (u16, Value) {
    let r = http()
        .post(format!("{}{path}", sb.base_url()))
        .header("Origin", sb.base_url())
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (
        status,
        serde_json::from_str(&r.text().await.unwrap()).unwrap(),
    )
}

/// A page action (`pay`, `fail`, `cancel`) on order `syssn`.
pub async fn act(sb: &Sandbox, syssn: &str, body: Value) -> (u16, Value) {
    page_post(sb, &format!("/sandbox/checkout/{syssn}"), body).await
}

/// A control call: status and JSON answer.
pub async fn ctl(sb: &Sandbox, post: Option<Value>, path: &str) -> (u16, Value) {
    let url = format!("{}{path}", sb.base_url());
    let r = match post {
        Some(b) => http()
            .post(url)
            .header("Content-Type", "application/json")
            .body(b.to_string()),
        None => http().get(url),
    }
    .send()
    .await
    .unwrap();
    let st = r.status().as_u16();
    (st, serde_json::from_str(&r.text().await.unwrap()).unwrap())
}

/// The sandbox clock now.
pub async fn sandbox_now(sb: &Sandbox) -> chrono::NaiveDateTime {
    let (_, v) = ctl(
        sb,
        Some(serde_json::json!({"advance_seconds": 0})),
        "/sandbox/clock",
    )
    .await;
    chrono::NaiveDateTime::parse_from_str(&s(&v, "now"), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// What a [`shop`] received at `/notify`: each notification's headers and raw body.
pub type Got = std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, axum::body::Bytes)>>>;

/// A merchant's site on 127.0.0.1: `POST /notify` records each notification and answers
/// `SUCCESS`; `GET /return` and `GET /failed` are the pages a customer comes back to. Its base
/// URL and what it received.
pub async fn shop() -> (String, Got) {
    let got: Got = Default::default();
    let g = got.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route(
            "/notify",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let g = g.clone();
                    async move {
                        g.lock().unwrap().push((headers, body));
                        "SUCCESS"
                    }
                },
            ),
        )
        .route("/return", axum::routing::get(|| async { "Thank you" }))
        .route("/failed", axum::routing::get(|| async { "Payment failed" }));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, got)
}

/// The bodies a [`shop`] received so far, as text.
pub fn bodies(got: &Got) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect()
}

/// The first notification a [`shop`] received, waiting up to 4 s for it.
pub async fn first_notification(got: &Got) -> (axum::http::HeaderMap, axum::body::Bytes) {
    for _ in 0..200 {
        if let Some(n) = got.lock().unwrap().first().cloned() {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no notification arrived")
}
