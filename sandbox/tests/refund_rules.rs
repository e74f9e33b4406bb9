//! The refund rules over HTTP: each one on and off, the pending refund's settlement and its
//! single notification, and the control API's `refund_rules`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::time::Duration;

use qfpay_sandbox::{Merchant, RefundRules, Sandbox};
use serde_json::{Value, json};

/// Moves the sandbox clock forward to the next `hh:mm` (UTC+8).
async fn clock_to(sb: &Sandbox, h: u32, m: u32) {
    let now = sandbox_now(sb).await;
    let secs_now = i64::from(chrono::Timelike::num_seconds_from_midnight(&now.time()));
    let target = i64::from(h * 3600 + m * 60);
    sb.advance_clock((target - secs_now).rem_euclid(86_400));
}

/// A paid payment's `syssn`.
async fn paid(sb: &Sandbox, amount: &str, pay_type: &str) -> String {
    let v = pay_req(sb, amount, pay_type).await;
    assert_eq!(s(&v, "respcd"), "0000", "{v}");
    let syssn = s(&v, "syssn");
    sb.pay(&syssn).unwrap();
    syssn
}

async fn refund(sb: &Sandbox, syssn: &str, amount: &str) -> Value {
    refund_as(sb, syssn, amount, &unique("R")).await
}

async fn refund_as(sb: &Sandbox, syssn: &str, amount: &str, otn: &str) -> Value {
    let t = now();
    let (st, v) = call(
        sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", syssn),
            ("out_trade_no", otn),
            ("txamt", amount),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(st, 200, "{v}");
    v
}

async fn set_rules(sb: &Sandbox, rules: Value) -> (u16, Value) {
    ctl(
        sb,
        Some(json!({ "refund_rules": rules })),
        "/sandbox/config",
    )
    .await
}

#[tokio::test]
async fn every_rule_is_off_by_default_and_reported() {
    let sb = sandbox().await;
    assert_eq!(sb.refund_rules(), RefundRules::default());
    let (_, h) = ctl(&sb, None, "/sandbox/health").await;
    assert_eq!(h["refund_rules"], RefundRules::default().to_json());
    // At 23:45, same-day partial card refund, FPS a year old: all accepted.
    let card = paid(&sb, "1000", "802808").await;
    let fps = paid(&sb, "1000", "802001").await;
    sb.advance_clock(400 * 86_400);
    clock_to(&sb, 23, 45).await;
    assert_eq!(s(&refund(&sb, &fps, "10").await, "respcd"), "0000");
    let card2 = paid(&sb, "1000", "802808").await;
    assert_eq!(s(&refund(&sb, &card2, "10").await, "respcd"), "0000");
    assert_eq!(s(&refund(&sb, &card, "10").await, "respcd"), "0000");
}

#[tokio::test]
async fn config_api_validates_and_switches() {
    let sb = sandbox().await;
    let (st, v) = set_rules(&sb, json!({"time_window": true, "pending_queries": 2})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["refund_rules"]["time_window"], json!(true));
    assert_eq!(v["refund_rules"]["pending_queries"], json!(2));
    // A bad key or value changes nothing.
    for bad in [
        json!({"nope": true}),
        json!({"time_window": "yes"}),
        json!({"fps_refund_days": -1}),
        json!({"no_partial_currencies": "HKD"}),
        json!([1]),
    ] {
        let (st, v) = set_rules(&sb, bad.clone()).await;
        assert_eq!(st, 400, "{bad}: {v}");
    }
    assert!(sb.refund_rules().time_window);
    let (st, _) = set_rules(&sb, json!({"time_window": false, "pending_queries": 0})).await;
    assert_eq!(st, 200);
    assert_eq!(sb.refund_rules(), RefundRules::default());
}

#[tokio::test]
async fn window_1265_on_and_off() {
    let sb = sandbox().await;
    clock_to(&sb, 12, 0).await;
    let p = paid(&sb, "1000", "800208").await;
    clock_to(&sb, 23, 45).await;
    set_rules(&sb, json!({"time_window": true})).await;
    let v = refund(&sb, &p, "100").await;
    assert_eq!(s(&v, "respcd"), "1265", "{v}");
    // The SDK's reading: retry after 00:30 (45 minutes from 23:45).
    let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(23, 45, 0)
        .unwrap();
    assert_eq!(
        qfpay::model::refund::retry_after_1265(at, &s(&v, "resperr"), &s(&v, "respmsg")),
        Some(Duration::from_secs(45 * 60))
    );
    // 00:30 on: accepted again.
    sb.advance_clock(45 * 60);
    assert_eq!(s(&refund(&sb, &p, "100").await, "respcd"), "0000");
    // Off: accepted inside the window.
    clock_to(&sb, 23, 50).await;
    set_rules(&sb, json!({"time_window": false})).await;
    assert_eq!(s(&refund(&sb, &p, "100").await, "respcd"), "0000");
}

#[tokio::test]
async fn refund_period_and_fps_age_1265_final() {
    let sb = sandbox().await;
    clock_to(&sb, 12, 0).await;
    let p = paid(&sb, "1000", "800208").await;
    let fps = paid(&sb, "1000", "802001").await;
    sb.advance_clock(31 * 86_400);
    set_rules(
        &sb,
        json!({"refund_period_days": 30, "fps_refund_days": 29}),
    )
    .await;
    for id in [&p, &fps] {
        let v = refund(&sb, id, "100").await;
        assert_eq!(s(&v, "respcd"), "1265", "{v}");
        assert!(s(&v, "resperr").contains("已經超出可退款時限"), "{v}");
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(23, 45, 0)
            .unwrap();
        assert_eq!(
            qfpay::model::refund::retry_after_1265(at, &s(&v, "resperr"), &s(&v, "respmsg")),
            None
        );
    }
    // FPS alone: the other payment is refundable.
    set_rules(
        &sb,
        json!({"refund_period_days": null, "fps_refund_days": 29}),
    )
    .await;
    assert_eq!(s(&refund(&sb, &fps, "100").await, "respcd"), "1265");
    assert_eq!(s(&refund(&sb, &p, "100").await, "respcd"), "0000");
    set_rules(&sb, json!({"fps_refund_days": 60})).await;
    assert_eq!(s(&refund(&sb, &fps, "100").await, "respcd"), "0000");
}

#[tokio::test]
async fn daily_unsettled_1269_names_the_amount() {
    let sb = sandbox().await;
    clock_to(&sb, 10, 0).await;
    let old = paid(&sb, "1000", "800208").await;
    sb.advance_clock(86_400);
    set_rules(&sb, json!({"daily_unsettled": true})).await;
    let v = refund(&sb, &old, "100").await;
    assert_eq!(s(&v, "respcd"), "1269", "{v}");
    assert!(s(&v, "resperr").contains("0.00 HKD"), "{v}");
    let _today = paid(&sb, "300", "800208").await;
    let v = refund(&sb, &old, "500").await;
    assert_eq!(s(&v, "respcd"), "1269", "{v}");
    assert!(s(&v, "resperr").contains("3.00 HKD"), "{v}");
    // Another pay type's takings do not count.
    let _other = paid(&sb, "5000", "800108").await;
    assert_eq!(s(&refund(&sb, &old, "500").await, "respcd"), "1269");
    assert_eq!(s(&refund(&sb, &old, "300").await, "respcd"), "0000");
    assert_eq!(s(&refund(&sb, &old, "1").await, "respcd"), "1269");
    set_rules(&sb, json!({"daily_unsettled": false})).await;
    assert_eq!(s(&refund(&sb, &old, "1").await, "respcd"), "0000");
}

#[tokio::test]
async fn partial_limits_1270_1271_and_card_void_1124() {
    let sb = sandbox().await;
    clock_to(&sb, 10, 0).await;
    set_rules(&sb, json!({"no_partial_currencies": ["HKD"]})).await;
    let p = paid(&sb, "1000", "800208").await;
    assert_eq!(s(&refund(&sb, &p, "10").await, "respcd"), "1270");
    assert_eq!(s(&refund(&sb, &p, "1000").await, "respcd"), "0000");

    set_rules(
        &sb,
        json!({"no_partial_currencies": [], "no_partial_pay_types": ["805801"]}),
    )
    .await;
    let payme = paid(&sb, "1000", "805801").await;
    let v = refund(&sb, &payme, "10").await;
    assert_eq!(s(&v, "respcd"), "1271", "{v}");
    let wechat = paid(&sb, "1000", "800208").await;
    assert_eq!(s(&refund(&sb, &wechat, "10").await, "respcd"), "0000");
    // After a partial refund, the rest is partial too.
    set_rules(&sb, json!({"no_partial_pay_types": ["800208"]})).await;
    assert_eq!(s(&refund(&sb, &wechat, "990").await, "respcd"), "1271");

    set_rules(
        &sb,
        json!({"no_partial_pay_types": [], "card_void_full": true}),
    )
    .await;
    let card = paid(&sb, "1000", "802808").await;
    let v = refund(&sb, &card, "10").await;
    assert_eq!(s(&v, "respcd"), "1124", "{v}");
    assert!(
        s(&v, "resperr").starts_with("For void request, it must be a full refund"),
        "{v}"
    );
    let card2 = paid(&sb, "1000", "806708").await;
    assert_eq!(s(&refund(&sb, &card2, "1000").await, "respcd"), "0000");
    // The next day it is a refund, not a void: partial is fine.
    sb.advance_clock(86_400);
    assert_eq!(s(&refund(&sb, &card, "10").await, "respcd"), "0000");
    set_rules(&sb, json!({"card_void_full": false})).await;
    let card3 = paid(&sb, "1000", "802808").await;
    assert_eq!(s(&refund(&sb, &card3, "10").await, "respcd"), "0000");
}

#[tokio::test]
async fn pending_refund_settles_after_queries_and_notifies_once() {
    let (shop, got) = shop().await;
    let url = format!("{shop}/notify");
    let sb = sandbox_with(|c| {
        c.merchants = vec![Merchant::new(APP, KEY).with_notify_url(url.clone())];
        c.refund_rules.pending_queries = 2;
    })
    .await;
    let p = paid(&sb, "1000", "800208").await;
    let otn = unique("RP");
    let v = refund_as(&sb, &p, "400", &otn).await;
    assert_eq!(s(&v, "respcd"), "1143", "{v}");
    let rsn = s(&v, "syssn");
    assert!(!rsn.is_empty());
    // A retry under the same number while pending creates nothing.
    let again = refund_as(&sb, &p, "400", &otn).await;
    assert_eq!(s(&again, "respcd"), "1251", "{again}");
    // The amount is reserved: 700 more is over what is left.
    assert_eq!(s(&refund(&sb, &p, "700").await, "respcd"), "1272");
    for expected in ["1143", "1143", "0000", "0000"] {
        let r = query(&sb, &[("out_trade_no", &otn)]).await;
        assert_eq!(r["data"].as_array().unwrap().len(), 1, "{r}");
        assert_eq!(s(&r["data"][0], "respcd"), expected, "{r}");
        assert_eq!(s(&r["data"][0], "order_type"), "refund");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refunds: Vec<String> = bodies(&got)
        .into_iter()
        .filter(|b| b.contains("\"notify_type\": \"refund\""))
        .collect();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert!(refunds[0].contains(&rsn));
    let refund_records: Vec<Value> = sb
        .orders()
        .into_iter()
        .filter(|o| o["kind"] == "refund")
        .collect();
    assert_eq!(refund_records.len(), 1);
    assert_eq!(refund_records[0]["state"], "succeeded");

    // Off again: settles at once.
    sb.set_refund_rules(RefundRules::default());
    assert_eq!(s(&refund(&sb, &p, "100").await, "respcd"), "0000");
}
