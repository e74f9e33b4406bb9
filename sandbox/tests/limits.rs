//! The sandbox never stops answering: bounded control inputs, a connection cap answered with
//! HTTP 503, idle and request-head timeouts; plus `orders()` and `client()`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay::{CancelRequest, Currency, Money, PaymentRequest, RefundRequest};
use qfpay_sandbox::{Fault, Merchant, Sandbox, SandboxConfig, ServerOptions};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn post_json(sb: &Sandbox, path: &str, body: &str) -> (u16, Value) {
    let r = http()
        .post(format!("{}{}", sb.base_url(), path))
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    let t = r.text().await.unwrap();
    (st, serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

async fn payment_works(sb: &Sandbox) {
    let v = pay_req(sb, "300", "800201").await;
    assert_eq!(v["respcd"], "0000", "{v}");
    let rec = record(sb, &s(&v, "syssn")).await;
    assert_eq!(rec["respcd"], "1143", "{rec}");
}

#[tokio::test]
async fn clock_bounds_answer_400_and_the_api_keeps_working() {
    let sb = sandbox().await;
    for body in [
        r#"{"advance_seconds": 1e13}"#,
        r#"{"advance_seconds": 10000000000000}"#,
        r#"{"advance_seconds": 9223372036854775807}"#,
        r#"{"advance_seconds": -9223372036854775808}"#,
        r#"{"advance_seconds": 18446744073709551615}"#,
        r#"{"advance_seconds": 1.5}"#,
        r#"{"advance_seconds": "60"}"#,
        r#"{"advance_seconds": null}"#,
        r#"{}"#,
    ] {
        let (st, v) = post_json(&sb, "/sandbox/clock", body).await;
        assert_eq!(st, 400, "{body}: {v}");
        assert!(
            v["error"].as_str().unwrap().contains("advance_seconds"),
            "{v}"
        );
        payment_works(&sb).await;
    }
    // Whole numbers written as floats are fine; the clock moves.
    let (st, v) = post_json(&sb, "/sandbox/clock", r#"{"advance_seconds": 3.6e3}"#).await;
    assert_eq!(st, 200, "{v}");
    // Up to the bound in steps, then one step more is refused, and everything still works.
    let max = qfpay_sandbox::MAX_CLOCK_OFFSET_SECONDS;
    let (st, _) = post_json(
        &sb,
        "/sandbox/clock",
        &json!({"advance_seconds": max - 3600}).to_string(),
    )
    .await;
    assert_eq!(st, 200);
    let (st, v) = post_json(&sb, "/sandbox/clock", r#"{"advance_seconds": 1}"#).await;
    assert_eq!(st, 400, "{v}");
    payment_works(&sb).await;
    assert!(sb.try_advance_clock(1).is_err());
    // The Rust call saturates instead of panicking.
    sb.advance_clock(i64::MAX);
    sb.advance_clock(i64::MIN);
    sb.advance_clock(i64::MIN);
    payment_works(&sb).await;
    sb.reset();
    assert!(sb.try_advance_clock(60).is_ok());
    payment_works(&sb).await;
}

#[tokio::test]
async fn other_control_inputs_are_bounded() {
    let sb = sandbox().await;
    for body in [
        r#"{"kind": "delay", "ms": 1e300, "count": 1}"#,
        r#"{"kind": "delay", "ms": -1}"#,
        r#"{"kind": "http_status", "status": 99999999999}"#,
        r#"{"kind": "drop", "count": 1e30}"#,
        r#"{"kind": "drop", "count": -1}"#,
    ] {
        let (st, v) = post_json(&sb, "/sandbox/faults", body).await;
        assert_eq!(st, 400, "{body}: {v}");
    }
    let (st, _) = post_json(
        &sb,
        "/sandbox/pay",
        &json!({"syssn": "9".repeat(100_000)}).to_string(),
    )
    .await;
    assert_eq!(st, 404);
    payment_works(&sb).await;
}

async fn read_all(s: &mut TcpStream, limit: Duration) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit, s.read(&mut buf)).await {
            Err(_) => return Err(std::io::ErrorKind::TimedOut.into()),
            Ok(Ok(0)) => return Ok(out),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Ok(Err(e)) if out.is_empty() => return Err(e),
            Ok(Err(_)) => return Ok(out),
        }
    }
}

#[tokio::test]
async fn a_connection_cap_answers_503_and_frees_up() {
    let sb = Sandbox::start_with_options(
        SandboxConfig {
            merchants: vec![Merchant::new(APP, KEY)],
            rate_limit: None,
            ..SandboxConfig::default()
        },
        ServerOptions {
            max_connections: 16,
            ..ServerOptions::default()
        },
    )
    .await
    .unwrap();
    // 40 idle connections: 16 are kept, the rest are answered 503 and closed.
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(("127.0.0.1", sb.port())).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).await.unwrap();
    s.write_all(b"GET /sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let resp = String::from_utf8(read_all(&mut s, Duration::from_secs(5)).await.unwrap()).unwrap();
    assert!(resp.starts_with("HTTP/1.1 503 "), "{resp}");
    assert!(
        resp.contains("Retry-After: 1") && resp.contains("too many open connections"),
        "{resp}"
    );
    let body = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["respcd"], "503");
    // An SDK client sees a 503 too, not a hang.
    let r = http()
        .get(format!("{}/sandbox/health", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    // Closing the idle ones frees the slots.
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(format!("{}/sandbox/health", sb.base_url()))
            .send()
            .await
            .unwrap();
        if r.status().as_u16() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "slots never freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sb2 = sb; // still answers the API
    let v = {
        let otn = unique("CAP");
        let t = now();
        let p = [
            ("txamt", "300"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", otn.as_str()),
            ("txdtm", t.as_str()),
        ];
        call(&sb2, "/trade/v1/payment", APP, KEY, &p).await.1
    };
    assert_eq!(v["respcd"], "0000", "{v}");
}

#[tokio::test]
async fn idle_and_header_read_timeouts_close_connections() {
    let sb = Sandbox::start_with_options(
        SandboxConfig {
            merchants: vec![Merchant::new(APP, KEY)],
            rate_limit: None,
            ..SandboxConfig::default()
        },
        ServerOptions {
            max_connections: 4,
            header_read_timeout: Duration::from_millis(400),
            idle_timeout: Duration::from_millis(600),
        },
    )
    .await
    .unwrap();
    // An idle connection that never sends anything is closed after the idle timeout.
    let t0 = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).await.unwrap();
    let got = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(got.map(|b| b.is_empty()).unwrap_or(true));
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_secs(3),
        "{took:?}"
    );

    // A keep-alive connection idles out after its answer.
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).await.unwrap();
    s.write_all(b"GET /sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let t0 = Instant::now();
    let resp = read_all(&mut s, Duration::from_secs(5)).await.unwrap();
    assert!(resp.starts_with(b"HTTP/1.1 200"));
    assert!(
        t0.elapsed() >= Duration::from_millis(500),
        "{:?}",
        t0.elapsed()
    );

    // A deliberately slow answer (a delay fault) outlasts both timeouts and still arrives.
    sb.inject_fault(Fault::Delay(Duration::from_millis(1200)), 1);
    let t0 = Instant::now();
    let v = pay_req(&sb, "300", "800201").await;
    assert_eq!(v["respcd"], "0000", "{v}");
    assert!(t0.elapsed() >= Duration::from_millis(1200));
    // And the sandbox still answers normally.
    payment_works(&sb).await;
}

#[tokio::test]
async fn orders_lists_every_payment_and_refund_with_the_sdk_state() {
    let sb = sandbox().await;
    let client = sb.client().unwrap();
    let pending = client
        .create_payment(PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)))
        .await
        .unwrap();
    let paid = client
        .create_payment(PaymentRequest::wechat_qr(Money::new(500, Currency::HKD)))
        .await
        .unwrap();
    sb.pay(&paid.out_trade_no).unwrap();
    let refund = client
        .refund(RefundRequest::new(
            &paid.syssn,
            Money::new(200, Currency::HKD),
        ))
        .await
        .unwrap();
    let closed = client
        .create_payment(PaymentRequest::wechat_qr(Money::new(700, Currency::HKD)))
        .await
        .unwrap();
    client
        .close(CancelRequest::by_out_trade_no(
            &closed.out_trade_no,
            Money::new(700, Currency::HKD),
        ))
        .await
        .unwrap();
    let full = client
        .create_payment(PaymentRequest::wechat_qr(Money::new(1001, Currency::HKD)))
        .await
        .unwrap();
    client
        .refund(RefundRequest::new(
            &full.syssn,
            Money::new(1001, Currency::HKD),
        ))
        .await
        .unwrap();

    let orders = sb.orders();
    assert_eq!(orders.len(), 6, "{orders:#?}");
    let by = |otn: &str| {
        orders
            .iter()
            .find(|o| o["out_trade_no"] == otn)
            .unwrap()
            .clone()
    };
    let o = by(&pending.out_trade_no);
    assert_eq!(o["kind"], "payment");
    assert_eq!(o["state"], "pending");
    assert_eq!(o["txamt"], 300);
    assert_eq!(o["txcurrcd"], "HKD");
    assert_eq!(o["syssn"], pending.syssn.as_str());
    assert!(o["orig_syssn"].is_null());
    assert_eq!(by(&paid.out_trade_no)["state"], "partially_refunded");
    let r = by(&refund.out_trade_no);
    assert_eq!(r["kind"], "refund");
    assert_eq!(r["state"], "succeeded");
    assert_eq!(r["txamt"], 200);
    assert_eq!(r["orig_syssn"], paid.syssn.as_str());
    assert_eq!(by(&closed.out_trade_no)["state"], "cancelled");
    assert_eq!(by(&full.out_trade_no)["state"], "refunded");
    // Every field the surface description promises, in every entry.
    let surface: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/surface.json"
        ))
        .unwrap(),
    )
    .unwrap();
    for f in surface["sandbox"]["orders_fields"].as_array().unwrap() {
        let f = f.as_str().unwrap();
        assert!(orders.iter().all(|o| o.get(f).is_some()), "missing {f}");
    }
    // The state matches what the SDK reads from a query of the same order.
    for o in &orders {
        let t = client
            .query(qfpay::QueryRequest::by_syssn(o["syssn"].as_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(t.data[0].state.as_str(), o["state"], "{o}");
    }
    // The same over HTTP.
    let r = http()
        .get(format!("{}/sandbox/orders", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["count"], 6);
    assert_eq!(v["orders"].as_array().unwrap().len(), 6);
    let r = http()
        .post(format!("{}/sandbox/orders", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    sb.reset();
    assert!(sb.orders().is_empty());
}

#[tokio::test]
async fn client_is_configured_for_the_sandbox() {
    let sb = Sandbox::start(SandboxConfig {
        merchants: vec![Merchant::new("APP_M", "KEY_M").with_mchid("MCH9")],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let client = sb.client().unwrap();
    assert_eq!(client.config().base_url, sb.base_url());
    assert_eq!(client.config().mchid.as_deref(), Some("MCH9"));
    let p = client
        .create_payment(PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)))
        .await
        .unwrap();
    sb.pay(&p.syssn).unwrap();
    let t = client.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(t.state.as_str(), "succeeded");
    // The builder takes more options.
    let c2 = sb
        .client_builder()
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(c2.find_payment("nope").await.unwrap().is_none());
}

#[tokio::test]
async fn a_request_head_dripped_byte_by_byte_is_cut_off() {
    // The idle timeout is long: only the request-head timeout can end this connection.
    let sb = Sandbox::start_with_options(
        SandboxConfig {
            merchants: vec![Merchant::new(APP, KEY)],
            rate_limit: None,
            ..SandboxConfig::default()
        },
        ServerOptions {
            max_connections: 4,
            header_read_timeout: Duration::from_millis(400),
            idle_timeout: Duration::from_secs(30),
        },
    )
    .await
    .unwrap();
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).await.unwrap();
    let t0 = Instant::now();
    let head = b"GET /sandbox/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut closed = false;
    for b in head {
        if s.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        if t0.elapsed() > Duration::from_secs(2) {
            break;
        }
    }
    // The server closed it (EOF or reset), well before the head could have been completed.
    let rest = read_all(&mut s, Duration::from_secs(3)).await;
    assert!(
        !matches!(&rest, Err(e) if e.kind() == std::io::ErrorKind::TimedOut),
        "the connection was not closed"
    );
    let rest = rest.unwrap_or_default();
    assert!(
        !rest.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&rest)
    );
    assert!(closed || t0.elapsed() < Duration::from_secs(3));
    assert!(
        t0.elapsed() < Duration::from_millis(2500),
        "{:?}",
        t0.elapsed()
    );

    // A normal request on a new connection is answered.
    payment_works(&sb).await;
}
