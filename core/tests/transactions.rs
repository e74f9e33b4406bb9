//! `Client::transactions`: every transaction of a period over real HTTP against the sandbox,
//! split into calendar months, paged at 100, paced, and 429s waited out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::time::Duration;

use qfpay::{Currency, Money, PaymentRequest, QueryRequest, RefundRequest};
use qfpay_sandbox::{RateLimit, Sandbox, SandboxConfig};

/// Payments over three calendar months (`counts` of them in each), one of them partly
/// refunded; their syssns and the first and last `sysdtm`.
async fn history(
    sb: &Sandbox,
    c: &qfpay::Client,
    counts: [usize; 3],
) -> (HashSet<String>, String, String) {
    let mut made = HashSet::new();
    let (mut first, mut last) = (None, String::new());
    for (month, n) in counts.into_iter().enumerate() {
        if month > 0 {
            sb.advance_clock(35 * 86_400);
        }
        for _ in 0..n {
            let p = c
                .create_payment(PaymentRequest::wechat_qr(Money::new(1001, Currency::HKD)))
                .await
                .unwrap();
            first.get_or_insert_with(|| p.sysdtm.clone());
            last = p.sysdtm.clone();
            made.insert(p.syssn);
        }
    }
    let paid = made.iter().next().unwrap().clone();
    let r = c
        .refund(RefundRequest::new(paid, Money::new(100, Currency::HKD)))
        .await
        .unwrap();
    last = last.max(r.sysdtm.clone());
    made.insert(r.syssn);
    (made, first.unwrap(), last)
}

#[tokio::test]
async fn every_transaction_of_three_months_month_by_month_and_page_by_page() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = sb.client_builder().max_retries(0).build().unwrap();
    // 102 in the last month: two pages.
    let (made, first, last) = history(&sb, &c, [3, 2, 102]).await;
    let windows = qfpay::month_windows(
        qfpay::validate::datetime("f", &first).unwrap(),
        qfpay::validate::datetime("t", &last).unwrap(),
    );
    assert!(windows.len() >= 3, "{windows:?}");
    let interval = Duration::from_millis(20);
    let mut all = c
        .transactions(&first, &last, QueryRequest::new())
        .unwrap()
        .min_interval(interval);
    let started = std::time::Instant::now();
    let mut seen = HashSet::new();
    let mut refunds = 0;
    while let Some(t) = all.next().await {
        let t = t.unwrap();
        if t.is_refund() {
            refunds += 1;
            assert!(made.contains(t.origssn.as_deref().unwrap()), "linked");
        }
        assert!(seen.insert(t.syssn.clone()), "{} twice", t.syssn);
    }
    assert_eq!(seen, made);
    assert_eq!(refunds, 1);
    // One request per month window, and a second page for the month of 102.
    let requests = all.requests();
    assert_eq!(requests, windows.len() as u64 + 1);
    assert!(started.elapsed() >= interval * (requests as u32 - 1));

    // Filters other than the period are kept; a period is not filtered by order numbers.
    let mut none = c
        .transactions(&first, &last, QueryRequest::new().respcd("1205"))
        .unwrap()
        .min_interval(Duration::ZERO);
    assert!(none.next().await.is_none());
    let e = c
        .transactions(&first, &last, QueryRequest::by_out_trade_no("qfX"))
        .unwrap_err();
    assert_eq!(e.code(), "validation");
    let e = c.transactions(&last, &first, QueryRequest::new());
    assert!(first == last || e.is_err());
}

#[tokio::test]
async fn a_rate_limited_walk_waits_and_finishes() {
    // One request a second: the walk's back-to-back pages meet 429 (Retry-After: 1).
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: Some(RateLimit {
            per_second: 1,
            per_minute: 1000,
        }),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let patient = sb.client_builder().max_retries(8).build().unwrap();
    let (made, first, last) = history(&sb, &patient, [1, 1, 1]).await;
    let c = sb.client_builder().max_retries(0).build().unwrap();
    let mut all = c
        .transactions(&first, &last, QueryRequest::new())
        .unwrap()
        .min_interval(Duration::ZERO);
    let mut seen = HashSet::new();
    while let Some(t) = all.next().await {
        seen.insert(t.unwrap().syssn);
    }
    assert_eq!(seen, made);
    let windows = qfpay::month_windows(
        qfpay::validate::datetime("f", &first).unwrap(),
        qfpay::validate::datetime("t", &last).unwrap(),
    );
    assert!(
        all.requests() > windows.len() as u64,
        "no 429 was waited out ({} requests)",
        all.requests()
    );
}
