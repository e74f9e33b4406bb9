//! History seeding over HTTP: counts, determinism, duplicates, and the seeded history read
//! back through the query endpoint month by month (its one-month rule still applies).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use chrono::{Datelike, NaiveDate, TimeDelta};
use qfpay_sandbox::Sandbox;
use serde_json::{Value, json};

async fn seed(sb: &Sandbox, body: Value) -> (u16, Value) {
    ctl(sb, Some(body), "/sandbox/seed").await
}

/// Every record of one calendar month, paging at 100.
async fn month(sb: &Sandbox, first: NaiveDate, last: NaiveDate) -> Vec<Value> {
    let start = format!("{first} 00:00:00");
    let end = format!("{last} 23:59:59");
    let mut out = Vec::new();
    for page in 1.. {
        let p = page.to_string();
        let v = query(
            sb,
            &[
                ("start_time", &start),
                ("end_time", &end),
                ("page", &p),
                ("page_size", "100"),
            ],
        )
        .await;
        assert_eq!(s(&v, "respcd"), "0000", "{v}");
        let data = v["data"].as_array().unwrap().clone();
        let n = data.len();
        out.extend(data);
        if n < 100 {
            break;
        }
    }
    out
}

#[tokio::test]
async fn seeds_counts_totals_and_reads_back_month_by_month() {
    let sb = sandbox().await;
    let today = sandbox_now(&sb).await.date();
    let from = today - TimeDelta::days(75);
    let (st, v) = seed(
        &sb,
        json!({"orders": 500, "from": from.to_string(), "to": today.to_string(),
               "refunds": 0.2, "duplicates": 10, "seed": 42}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["orders"], 500);
    assert_eq!(v["refunds"], 100);
    assert_eq!(
        v["full_refunds"].as_u64().unwrap() + v["partial_refunds"].as_u64().unwrap(),
        100
    );
    assert!(v["full_refunds"].as_u64().unwrap() > 0 && v["partial_refunds"].as_u64().unwrap() > 0);
    assert_eq!(v["duplicates"], 10);
    let dup_payments = v["duplicate_payments"].as_u64().unwrap();
    assert!((10..=20).contains(&dup_payments), "{v}");
    let records = v["records"].as_u64().unwrap();
    assert_eq!(records, 500 + 100 + dup_payments);
    let totals = v["totals"].as_object().unwrap();
    let payments: u64 = totals
        .values()
        .map(|t| t["payments"].as_u64().unwrap())
        .sum();
    assert_eq!(payments, 500 + dup_payments);

    // Read back: one query window per calendar month, as QFPay requires.
    let mut seen = Vec::new();
    let mut first = from;
    while first <= today {
        let next_month = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        }
        .unwrap();
        let last = (next_month - TimeDelta::days(1)).min(today);
        seen.extend(month(&sb, first, last).await);
        first = next_month;
    }
    assert_eq!(seen.len() as u64, records);
    let mut syssns: Vec<&str> = seen.iter().map(|r| r["syssn"].as_str().unwrap()).collect();
    syssns.sort_unstable();
    syssns.dedup();
    assert_eq!(syssns.len() as u64, records, "no record twice across pages");
    // A window over two months is still refused.
    let v = query(
        &sb,
        &[
            ("start_time", &format!("{from} 00:00:00")),
            ("end_time", &format!("{today} 23:59:59")),
        ],
    )
    .await;
    if from.month() != today.month() {
        assert_eq!(s(&v, "respcd"), "1104", "{v}");
    }
    // Refund totals match the records.
    for (cur, t) in totals {
        let refunded: i64 = seen
            .iter()
            .filter(|r| r["order_type"] == "refund" && r["txcurrcd"] == cur.as_str())
            .map(|r| s(r, "txamt").parse::<i64>().unwrap())
            .sum();
        assert_eq!(refunded, t["refunded"].as_i64().unwrap(), "{cur}");
    }

    // Duplicates: several successful payments under one out_trade_no.
    let mut by_otn = std::collections::HashMap::<String, usize>::new();
    for r in seen.iter().filter(|r| r["order_type"] == "payment") {
        *by_otn.entry(s(r, "out_trade_no")).or_default() += 1;
    }
    let dups: Vec<&String> = by_otn
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(dups.len(), 10);
    let q = query(&sb, &[("out_trade_no", dups[0])]).await;
    let rows = q["data"].as_array().unwrap();
    assert!(rows.len() >= 2, "{q}");
    assert!(
        rows.iter()
            .all(|r| r["respcd"] == "0000" && &s(r, "out_trade_no") == dups[0])
    );

    // Seeding the same seed again would reuse the numbers: refused, nothing added.
    let (st, v) = seed(
        &sb,
        json!({"orders": 5, "seed": 42, "from": from.to_string(), "to": today.to_string()}),
    )
    .await;
    assert_eq!(st, 409, "{v}");
    assert_eq!(sb.orders().len() as u64, records);
}

#[tokio::test]
async fn deterministic_for_a_seed() {
    let body = json!({"orders": 50, "from": "2025-01-01", "to": "2025-02-28", "refunds": 7, "duplicates": 3, "seed": 9});
    let mut answers = Vec::new();
    for _ in 0..2 {
        let sb = sandbox().await;
        let (st, v) = seed(&sb, body.clone()).await;
        assert_eq!(st, 200, "{v}");
        let orders: Vec<(String, Value, String)> = sb
            .orders()
            .into_iter()
            .map(|o| (s(&o, "out_trade_no"), o["txamt"].clone(), s(&o, "sysdtm")))
            .collect();
        answers.push((v, orders));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0["refunds"], 7);
}

#[tokio::test]
async fn refused_requests() {
    let sb = sandbox().await;
    let today = sandbox_now(&sb).await.date();
    let tomorrow = today + TimeDelta::days(1);
    for (body, status) in [
        (json!({}), 400),
        (json!({"orders": "x"}), 400),
        (json!({"orders": 1, "from": "2025-02-30"}), 400),
        (json!({"orders": 1, "refunds": 2.5}), 400),
        (json!({"orders": 1, "nope": 1}), 400),
        (json!({"orders": 2_000_000}), 400),
        (
            json!({"orders": 1, "from": "2025-03-01", "to": "2025-02-01"}),
            409,
        ),
        (json!({"orders": 1, "to": tomorrow.to_string()}), 409),
        (json!({"orders": 3, "refunds": 2, "duplicates": 2}), 409),
        (json!({"orders": 1, "merchant": "NOPE"}), 404),
    ] {
        let (st, v) = seed(&sb, body.clone()).await;
        assert_eq!(st, status, "{body}: {v}");
    }
    assert!(sb.orders().is_empty());
    // The second merchant.
    let (st, v) = seed(&sb, json!({"orders": 3, "merchant": MCH_APP})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["merchant"], MCH_APP);
    assert!(sb.orders().iter().all(|o| o["app_code"] == MCH_APP));
    // Seeded payments refund through the API like any other.
    let (st, v) = seed(&sb, json!({"orders": 1, "seed": 5})).await;
    assert_eq!(st, 200, "{v}");
    let p = sb
        .orders()
        .into_iter()
        .find(|o| o["app_code"] == APP)
        .unwrap();
    let t = now();
    let (_, r) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &s(&p, "syssn")),
            ("out_trade_no", &unique("SR")),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(s(&r, "respcd"), "0000", "{r}");
}
