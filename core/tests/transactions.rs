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

/// A sandbox without a rate limit, and a client of it that retries nothing.
async fn unlimited() -> (Sandbox, qfpay::Client) {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = sb.client_builder().max_retries(0).build().unwrap();
    (sb, c)
}

#[tokio::test]
async fn every_transaction_of_three_months_month_by_month_and_page_by_page() {
    let (sb, c) = unlimited().await;
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

#[tokio::test]
async fn the_next_page_is_asked_for_while_this_one_is_read_and_a_walk_left_early_stops() {
    let (sb, c) = unlimited().await;
    let (made, first, last) = history(&sb, &c, [1, 1, 1]).await;
    let before = sb.request_count();
    let interval = Duration::from_millis(300);
    let mut all = c
        .transactions(&first, &last, QueryRequest::new())
        .unwrap()
        .min_interval(interval);
    assert_eq!(
        sb.request_count(),
        before,
        "nothing is sent before the first next()"
    );
    let started = std::time::Instant::now();
    let one = all.next().await.unwrap().unwrap();
    assert!(made.contains(&one.syssn));
    // The caller is busy with the first window's record: the second window's request goes out
    // at its pace, without waiting for the caller to ask.
    tokio::time::sleep(interval + Duration::from_millis(400)).await;
    assert_eq!(sb.request_count(), before + 2);
    assert_eq!(all.requests(), 2);
    // Left early: the request in flight is the last one sent.
    drop(all);
    tokio::time::sleep(interval + Duration::from_millis(400)).await;
    assert_eq!(sb.request_count(), before + 2);
    assert!(started.elapsed() >= interval);

    // A whole walk still sends each request once, at least `interval` apart.
    let mut all = c
        .transactions(&first, &last, QueryRequest::new())
        .unwrap()
        .min_interval(Duration::from_millis(50));
    let started = std::time::Instant::now();
    let mut seen = HashSet::new();
    while let Some(t) = all.next().await {
        assert!(seen.insert(t.unwrap().syssn));
    }
    assert_eq!(seen, made);
    assert_eq!(all.requests(), 3);
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[test]
fn a_blocking_walk_read_ahead_on_its_own_thread_yields_each_record_once_and_stops_when_dropped() {
    use qfpay::blocking::PagesAhead;
    use qfpay::client::Pages;
    use qfpay_sandbox::seed::{Refunds, SeedRequest};

    let sb = Sandbox::start_background(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .unwrap();
    let mut seed = SeedRequest::new(250);
    seed.from = Some("2026-01-05".parse().unwrap());
    seed.to = Some("2026-02-20".parse().unwrap());
    seed.refunds = Refunds::Count(10);
    seed.seed = Some(3);
    sb.seed(&seed).unwrap();
    let (from, to) = ("2026-01-01 00:00:00", "2026-02-28 23:59:59");
    let c = sb.client_builder().max_retries(0).build().unwrap();
    let walk = |c: &qfpay::Client| {
        Pages::Period(
            c.transactions(from, to, QueryRequest::new())
                .unwrap()
                .min_interval(Duration::ZERO),
        )
    };

    // Every record once, the same as the async walk's, over a pool of the walk's own.
    let mut ahead = PagesAhead::start(walk(&c.with_own_pool().unwrap())).unwrap();
    let mut seen = HashSet::new();
    let mut pages = 0;
    for page in &mut ahead {
        pages += 1;
        for t in page.unwrap().data {
            assert!(seen.insert(t.syssn.clone()), "{} twice", t.syssn);
        }
    }
    assert!(ahead.next_page().is_none(), "nothing after the end");
    assert_eq!(seen.len(), 260);
    assert!(pages >= 3, "{pages} pages");

    // Before the caller asks, the thread has fetched: a page waits in the channel and the
    // walk has asked for the next. Dropped, it asks for nothing more.
    let before = sb.request_count();
    let mut ahead = PagesAhead::start(walk(&c.with_own_pool().unwrap())).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let read = sb.request_count() - before;
    assert!(
        read >= 2,
        "{read} requests before the first page was asked for"
    );
    assert_eq!(ahead.next_page().unwrap().unwrap().data.len(), 100);
    drop(ahead);
    std::thread::sleep(Duration::from_millis(300));
    let after = sb.request_count() - before;
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sb.request_count() - before, after, "the thread stopped");
    assert!(
        after <= read + 2,
        "{after} requests after the drop, {read} before"
    );

    // An error ends the walk: yielded once, then nothing.
    sb.inject_fault(qfpay_sandbox::Fault::HttpStatus(500), 1000);
    let mut ahead = PagesAhead::start(walk(&c.with_own_pool().unwrap())).unwrap();
    let e = ahead.next_page().unwrap().unwrap_err();
    assert_eq!(e.code(), "server");
    assert!(ahead.next_page().is_none());
}

#[tokio::test]
async fn a_call_cancelled_while_a_page_is_on_its_way_loses_nothing() {
    let (sb, c) = unlimited().await;
    // 102 in the last month: a window of two pages after two of one page each.
    let (made, first, last) = history(&sb, &c, [1, 1, 102]).await;
    let mut all = c
        .transactions(&first, &last, QueryRequest::new())
        .unwrap()
        .min_interval(Duration::ZERO);
    let mut seen = HashSet::new();
    let mut cancelled = 0;
    loop {
        // Every answer slow, every call given up before it comes: each call is cancelled at
        // least once, and the next one takes up the same page.
        sb.inject_fault(qfpay_sandbox::Fault::Delay(Duration::from_millis(150)), 1);
        let page = match tokio::time::timeout(Duration::from_millis(50), all.next_page()).await {
            Err(_) => {
                cancelled += 1;
                continue;
            }
            Ok(None) => break,
            Ok(Some(page)) => page.unwrap(),
        };
        for t in page.data {
            assert!(seen.insert(t.syssn.clone()), "{} twice", t.syssn);
        }
    }
    assert!(cancelled >= 3, "{cancelled} calls cancelled");
    assert_eq!(seen, made);
}
