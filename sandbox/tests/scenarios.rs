//! The scenario amounts 1001-1007.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::time::{Duration, Instant};

#[tokio::test]
async fn s1001_paid_at_once() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "1001", "800201").await;
    assert_eq!(v["respcd"], "0000");
    assert!(v["qrcode"].as_str().unwrap().starts_with("weixin://"));
    let r = record(&sb, &s(&v, "syssn")).await;
    assert_eq!(r["respcd"], "0000");
    assert_eq!(r["cancel"], "0");
}

#[tokio::test]
async fn s1002_pending_then_paid() {
    let sb = sandbox_with(|c| c.pending_queries = 2).await;
    let v = pay_req(&sb, "1002", "800201").await;
    assert_eq!(v["respcd"], "0000");
    let syssn = s(&v, "syssn");
    assert_eq!(record(&sb, &syssn).await["respcd"], "1143");
    assert_eq!(record(&sb, &syssn).await["respcd"], "1143");
    assert_eq!(record(&sb, &syssn).await["respcd"], "0000");
    assert_eq!(record(&sb, &syssn).await["respcd"], "0000");
}

#[tokio::test]
async fn s1003_declined_no_order() {
    let sb = sandbox().await;
    let otn = unique("N");
    let t = now();
    let (st, v) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "1003"),
            ("txcurrcd", "USD"),
            ("pay_type", "800201"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(v["respcd"], "1201");
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn s1004_pending_on_create() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "1004", "800201").await;
    assert_eq!(v["respcd"], "1145");
    let otn = s(&v, "out_trade_no");
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"][0]["respcd"], "1143");
    sb.pay(&otn).unwrap();
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"][0]["respcd"], "0000");
}

#[tokio::test]
async fn s1005_slow_but_created() {
    let sb = sandbox().await; // slow_response = 1.5 s
    let otn = unique("SLOW");
    let t = now();
    let p = [
        ("txamt", "1005"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, KEY, qfpay::SignType::Md5);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(p)
        .finish();
    let started = Instant::now();
    let r = http()
        .post(format!("{}/trade/v1/payment", sb.base_url()))
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", sig)
        .body(body)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(r.is_err(), "the client times out");
    assert!(started.elapsed() < Duration::from_millis(1400));
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1, "the order exists");
    // Without a client timeout the answer arrives after slow_response.
    let started = Instant::now();
    let v = pay_req(&sb, "1005", "800201").await;
    assert!(started.elapsed() >= Duration::from_millis(1400));
    assert_eq!(v["respcd"], "0000");
}

#[tokio::test]
async fn s1006_server_error_after_create() {
    let sb = sandbox().await;
    let otn = unique("E500");
    let t = now();
    let (st, _) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "1006"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(st, 500);
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn s1007_rate_limited_no_order() {
    let sb = sandbox().await;
    let otn = unique("RL");
    let t = now();
    let p = [
        ("txamt", "1007"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, KEY, qfpay::SignType::Md5);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(p)
        .finish();
    let r = http()
        .post(format!("{}/trade/v1/payment", sb.base_url()))
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn other_amounts_mpm_waits_cpm_paid() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "1008", "800201").await;
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "1143");
    let v = pay_req(&sb, "1008", "800108").await;
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "0000");
}
