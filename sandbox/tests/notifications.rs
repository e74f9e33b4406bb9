//! Notification byte format, signature, precedence and the retry schedule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use qfpay_sandbox::{Merchant, SandboxConfig};

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    /// Answers to give before `SUCCESS` (status, body).
    fail_first: Arc<Mutex<Vec<(u16, &'static str)>>>,
}

async fn receiver(r: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let app = Router::new().route(
        "/notify",
        post(move |headers: HeaderMap, body: Bytes| {
            let r = r.clone();
            async move {
                r.got.lock().unwrap().push((headers, body));
                let next = {
                    let mut f = r.fail_first.lock().unwrap();
                    if f.is_empty() {
                        None
                    } else {
                        Some(f.remove(0))
                    }
                };
                match next {
                    Some((s, b)) => (StatusCode::from_u16(s).unwrap(), b),
                    None => (StatusCode::OK, "SUCCESS"),
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn wait_until(mut f: impl FnMut() -> bool, what: &str) {
    for _ in 0..300 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn payment_notification_exact_format_and_signature() {
    let r = Receiver::default();
    let url = receiver(r.clone()).await;
    let sb = sandbox_with(|c| {
        c.merchants = vec![
            Merchant::new(MCH_APP, MCH_KEY)
                .with_mchid(MCHID)
                .with_notify_url(url.clone()),
        ];
    })
    .await;
    let otn = unique("N");
    let t = now();
    let (_, v) = call(
        &sb,
        "/trade/v1/payment",
        MCH_APP,
        MCH_KEY,
        &[
            ("txamt", "300"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
            ("mchid", MCHID),
            ("goods_name", "咖啡 \"☕\" 😀"),
        ],
    )
    .await;
    assert_eq!(v["respcd"], "0000");
    assert!(sb.notifications().is_empty(), "nothing before the payment");
    sb.pay(&otn).unwrap();
    wait_until(|| !r.got.lock().unwrap().is_empty(), "the notification").await;
    let (headers, body) = r.got.lock().unwrap()[0].clone();
    let text = std::str::from_utf8(&body).unwrap();
    assert!(text.is_ascii(), "non-ASCII is escaped: {text}");
    assert!(text.starts_with("{\"status\": \"1\", "), "{text}");
    assert!(
        text.contains(r#""goods_name": "\u5496\u5561 \"\u2615\" \ud83d\ude00""#),
        "{text}"
    );
    assert!(
        !text.contains("\":\"") && !text.contains("\",\""),
        "python separators: {text}"
    );
    assert_eq!(headers["content-type"], "application/json");
    let sig = headers["x-qf-sign"].to_str().unwrap();
    assert_eq!(sig, qfpay::sign::notification_signature(&body, MCH_KEY));
    assert_eq!(sig, sig.to_uppercase());
    let n = qfpay::notify::verify(&body, sig, MCH_KEY).unwrap();
    assert_eq!(n.kind, qfpay::NotificationKind::Payment);
    assert_eq!(n.out_trade_no, otn);
    assert_eq!(n.txamt, 300);
    assert_eq!(n.respcd, "0000");
    assert_eq!(n.cancel, "0");
    assert_eq!(n.mchid.as_deref(), Some(MCHID));
    assert_eq!(n.goods_name, "咖啡 \"☕\" 😀");
    assert_eq!(n.syssn, s(&v, "syssn"));
    assert_eq!(n.chnlsn.len(), 28);
    // Recorded as delivered at the first attempt.
    wait_until(
        || {
            sb.notifications()
                .first()
                .is_some_and(|d| d["delivered"] == true)
        },
        "the record",
    )
    .await;
    let d = &sb.notifications()[0];
    assert_eq!(d["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(d["body"].as_str().unwrap(), text);
}

#[tokio::test]
async fn refund_notification_and_request_notify_url_wins() {
    let merchant_r = Receiver::default();
    let merchant_url = receiver(merchant_r.clone()).await;
    let request_r = Receiver::default();
    let request_url = receiver(request_r.clone()).await;
    let sb = sandbox_with(|c| {
        c.merchants = vec![Merchant::new(APP, KEY).with_notify_url(merchant_url.clone())];
    })
    .await;
    let otn = unique("N");
    let t = now();
    let (_, v) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "1001"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
            ("notify_url", &request_url),
        ],
    )
    .await;
    assert_eq!(v["respcd"], "0000");
    wait_until(
        || request_r.got.lock().unwrap().len() == 1,
        "payment notification",
    )
    .await;
    let rno = unique("R");
    let (_, rf) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &s(&v, "syssn")),
            ("out_trade_no", &rno),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(rf["respcd"], "0000");
    wait_until(
        || request_r.got.lock().unwrap().len() == 2,
        "refund notification",
    )
    .await;
    assert!(
        merchant_r.got.lock().unwrap().is_empty(),
        "the request's notify_url wins"
    );
    let (h, body) = request_r.got.lock().unwrap()[1].clone();
    let n = qfpay::notify::verify(&body, h["x-qf-sign"].to_str().unwrap(), KEY).unwrap();
    assert_eq!(n.kind, qfpay::NotificationKind::Refund);
    assert_eq!(n.syssn, s(&rf, "syssn"));
    assert_eq!(n.out_trade_no, rno);
    assert_eq!(n.orig_syssn.as_deref(), Some(s(&v, "syssn").as_str()));
    assert_eq!(n.orig_out_trade_no.as_deref(), Some(otn.as_str()));
    assert_eq!(n.txamt, 1);
    assert!(n.mchid.is_none(), "no mchid for a merchant without one");

    // Without a request notify_url, the merchant's URL is used.
    pay_req(&sb, "1001", "800201").await;
    wait_until(|| merchant_r.got.lock().unwrap().len() == 1, "merchant URL").await;
}

#[tokio::test]
async fn retries_on_the_scaled_schedule_until_success() {
    let r = Receiver::default();
    *r.fail_first.lock().unwrap() = vec![(500, "oops"), (200, "FAIL"), (200, "success")];
    let url = receiver(r.clone()).await;
    let sb = sandbox_with(|c| {
        c.notify_time_scale = 0.001; // 2 min → 120 ms, 10 min → 600 ms
        c.merchants = vec![Merchant::new(APP, KEY).with_notify_url(url.clone())];
    })
    .await;
    pay_req(&sb, "1001", "800201").await;
    wait_until(
        || {
            sb.notifications()
                .first()
                .is_some_and(|d| d["delivered"] == true)
        },
        "delivery",
    )
    .await;
    let d = sb.notifications()[0].clone();
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4, "{d}");
    assert_eq!(attempts[0]["status"], 500);
    assert_eq!(attempts[1]["ok"], false);
    assert_eq!(attempts[2]["ok"], false, "lowercase success is not an ack");
    assert_eq!(attempts[3]["ok"], true);
    let at: Vec<u64> = attempts
        .iter()
        .map(|a| a["elapsed_ms"].as_u64().unwrap())
        .collect();
    assert!(at[1] >= 115 && at[1] < 600, "{at:?}");
    assert!(at[2] - at[1] >= 590, "{at:?}");
    assert!(at[3] - at[2] >= 590, "{at:?}");
    // No more attempts after the ack.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(r.got.lock().unwrap().len(), 4);
    assert_eq!(d["finished"], true);
}

#[tokio::test]
async fn gives_up_after_seven_retries() {
    let r = Receiver::default();
    *r.fail_first.lock().unwrap() = vec![(503, ""); 20];
    let url = receiver(r.clone()).await;
    let sb = qfpay_sandbox::Sandbox::start(SandboxConfig {
        merchants: vec![Merchant::new(APP, KEY).with_notify_url(url)],
        notify_time_scale: 0.00002, // the whole 24 h 22 min schedule in about 1.75 s
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    pay_req(&sb, "1001", "800201").await;
    wait_until(
        || {
            sb.notifications()
                .first()
                .is_some_and(|d| d["finished"] == true)
        },
        "giving up",
    )
    .await;
    let d = sb.notifications()[0].clone();
    assert_eq!(
        d["attempts"].as_array().unwrap().len(),
        8,
        "first attempt + 7 retries"
    );
    assert_eq!(d["delivered"], false);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(r.got.lock().unwrap().len(), 8);
}

#[tokio::test]
async fn unreachable_receiver_is_recorded() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sb = sandbox_with(|c| {
        c.notify_time_scale = 1.0;
        c.merchants =
            vec![Merchant::new(APP, KEY).with_notify_url(format!("http://127.0.0.1:{port}/n"))];
    })
    .await;
    pay_req(&sb, "1001", "800201").await;
    wait_until(
        || {
            sb.notifications()
                .first()
                .is_some_and(|d| !d["attempts"].as_array().unwrap().is_empty())
        },
        "attempt",
    )
    .await;
    let d = sb.notifications()[0].clone();
    assert!(d["attempts"][0]["error"].is_string());
    assert_eq!(d["finished"], false, "the next retry is 2 minutes away");
    sb.reset();
    assert!(sb.notifications().is_empty());
}
