//! The core contract the bindings rely on: every error names its order, events for every
//! attempt and decision, cancellation, waiting to the deadline, extreme durations, pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qfpay::events::{Event, EventKind, Level, Observer};
use qfpay::{
    Client, Currency, Money, PayType, PaymentRequest, QueryRequest, RefundRequest,
    TransactionState, Wait,
};
use qfpay_sandbox::{Fault, Sandbox, SandboxConfig};

#[derive(Default)]
struct Collect {
    level: Option<Level>,
    events: Mutex<Vec<Event>>,
}

impl Collect {
    fn at(level: Level) -> Arc<Self> {
        Arc::new(Self {
            level: Some(level),
            events: Mutex::new(Vec::new()),
        })
    }
    fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }
}

impl Observer for Collect {
    fn enabled(&self, level: Level) -> bool {
        self.level.is_some_and(|l| level >= l)
    }
    fn on_event(&self, event: &Event) {
        self.events.lock().unwrap().push(event.clone());
    }
}

fn hkd(a: i64) -> Money {
    Money::new(a, Currency::HKD)
}

fn cpm(a: i64) -> PaymentRequest {
    PaymentRequest::cpm(hkd(a), PayType::WechatCpm, "134567890123456789")
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn builder(sb: &Sandbox) -> qfpay::ClientBuilder {
    let m = sb.merchant();
    Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .retry_delay(Duration::from_millis(10), Duration::from_millis(40))
        .reconcile_timeout(Duration::from_secs(2))
}

fn kinds(events: &[Event]) -> Vec<(&'static str, u32, Option<&'static str>)> {
    events
        .iter()
        .map(|e| (e.kind.as_str(), e.attempt, e.decision))
        .collect()
}

#[tokio::test]
async fn a_payment_retried_after_429_produces_request_response_retry_events() {
    let sb = sandbox().await;
    let obs = Collect::at(Level::Debug);
    let c = builder(&sb).observer(obs.clone()).build().unwrap();
    sb.inject_fault(Fault::HttpStatus(429), 1);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let events = obs.take();
    assert_eq!(
        kinds(&events),
        [
            ("request", 1, None),
            ("response", 1, Some("retry")),
            ("retry", 1, Some("retry")),
            ("request", 2, None),
            ("response", 2, Some("done")),
        ],
        "{events:#?}"
    );
    for e in &events {
        assert_eq!(e.out_trade_no.as_deref(), Some(p.out_trade_no.as_str()));
        assert_eq!(e.endpoint, "/trade/v1/payment");
        assert!(e.body.is_none(), "bodies only at Trace");
    }
    assert_eq!(events[1].http_status, Some(429));
    assert_eq!(events[1].level, Level::Debug);
    assert_eq!(events[2].level, Level::Info);
    assert_eq!(events[4].respcd.as_deref(), Some("0000"));
    assert!(events[2].reason.as_deref().unwrap().contains("429"));
}

#[tokio::test]
async fn a_payment_reconciled_after_a_dropped_answer_produces_a_reconcile_event() {
    let sb = sandbox().await;
    let obs = Collect::at(Level::Debug);
    let c = builder(&sb).observer(obs.clone()).build().unwrap();
    sb.inject_fault(Fault::Drop, 1);
    let p = c.create_payment(cpm(300)).await.unwrap();
    let events = obs.take();
    let k = kinds(&events);
    assert_eq!(k[0], ("request", 1, None));
    assert_eq!(k[1], ("response", 1, Some("reconcile")));
    assert_eq!(k[2].0, "reconcile");
    assert_eq!(events[2].level, Level::Warn);
    assert_eq!(events[2].endpoint, "/trade/v1/payment");
    let last = events.last().unwrap();
    assert_eq!(
        (last.kind, last.endpoint, last.decision),
        (EventKind::Response, "/trade/v1/query", Some("done"))
    );
    for e in &events {
        assert_eq!(
            e.out_trade_no.as_deref(),
            Some(p.out_trade_no.as_str()),
            "{e:?}"
        );
    }
    assert!(!k.iter().any(|e| e.0 == "status_unknown"));
}

#[tokio::test]
async fn status_unknown_is_an_event_naming_the_order() {
    let sb = sandbox().await;
    let obs = Collect::at(Level::Warn);
    let c = builder(&sb)
        .reconcile_timeout(Duration::from_millis(100))
        .observer(obs.clone())
        .build()
        .unwrap();
    // 1004: QFPay answers 1145 and the order stays pending.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1004)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown");
    let events = obs.take();
    let k: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(k, ["reconcile", "status_unknown"], "{events:#?}");
    assert_eq!(events[1].out_trade_no.as_deref(), e.out_trade_no());
    assert_eq!(events[1].decision, Some("status_unknown"));
}

#[tokio::test]
async fn an_observer_that_is_off_sees_nothing_and_one_that_panics_breaks_nothing() {
    struct Off;
    impl Observer for Off {
        fn enabled(&self, _: Level) -> bool {
            false
        }
        fn on_event(&self, _: &Event) {
            panic!("must not be called")
        }
    }
    struct Panics;
    impl Observer for Panics {
        fn enabled(&self, _: Level) -> bool {
            true
        }
        fn on_event(&self, _: &Event) {
            panic!("observer bug")
        }
    }
    let sb = sandbox().await;
    let c = builder(&sb).build().unwrap();
    c.with_observer(Arc::new(Off))
        .create_payment(cpm(300))
        .await
        .unwrap();
    c.with_observer(Arc::new(Panics))
        .create_payment(cpm(300))
        .await
        .unwrap();
}

const KEY: &str = "K3Y-THAT-MUST-NEVER-BE-SEEN-77A1";
const WRONG: &str = "WR0NG-K3Y-ALSO-SECRET-19C2";

#[tokio::test]
async fn at_trace_the_client_key_is_in_no_event() {
    let sb = Sandbox::start(SandboxConfig {
        merchants: vec![qfpay_sandbox::Merchant::new("APPK", KEY)],
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let obs = Collect::at(Level::Trace);
    let c = Client::builder()
        .base_url(sb.base_url())
        .credentials("APPK", KEY)
        .observer(obs.clone())
        .build()
        .unwrap();
    let p = c.create_payment(cpm(300)).await.unwrap();
    let wrong = Client::builder()
        .base_url(sb.base_url())
        .credentials("APPK", WRONG)
        .observer(obs.clone())
        .build()
        .unwrap();
    let e = wrong.create_payment(cpm(300)).await.unwrap_err();
    assert_eq!(e.code(), "auth");
    assert!(!e.to_string().contains("qfpay::"), "{e}");
    let n = qfpay::notify::verify(br#"{"notify_type": "payment"}"#, "ABCDEF", KEY).unwrap_err();
    let events = obs.take();
    assert!(
        events.iter().any(|e| e
            .body
            .as_deref()
            .is_some_and(|b| b.contains("auth_code=***"))),
        "{events:#?}"
    );
    assert!(events.iter().any(|e| e.respcd.as_deref() == Some("1108")));
    let all = format!("{events:?} {e} {e:?} {n} {n:?} {p:?}");
    assert!(!all.contains(KEY) && !all.contains(WRONG), "a key leaked");
    for (i, piece) in [
        format!("{events:?}"),
        format!("{e} {e:?}"),
        format!("{p:?}"),
    ]
    .iter()
    .enumerate()
    {
        assert!(
            !piece.contains("134567890123456789"),
            "auth_code in clear in piece {i}: {piece}"
        );
    }
}

#[tokio::test]
async fn every_error_of_a_money_moving_call_names_its_order() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = builder(&sb).max_retries(0).build().unwrap();
    let check = |e: &qfpay::Error, code: &str| {
        assert_eq!(e.code(), code, "{e}");
        let o = e
            .out_trade_no()
            .unwrap_or_else(|| panic!("no out_trade_no on {e}"));
        assert!(e.to_string().contains(o), "{e}");
        o.to_owned()
    };
    // Declined (1003), generated number.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1003)))
        .await
        .unwrap_err();
    assert!(check(&e, "declined").starts_with("qf"));
    assert_eq!(e.respcd(), Some("1201"));
    // Rate limited (1007), given number.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1007)).out_trade_no("RL-1"))
        .await
        .unwrap_err();
    assert_eq!(check(&e, "rate_limited"), "RL-1");
    assert_eq!(e.http_status(), Some(429));
    // Validation, raised after the number was generated.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).goods_name("x".repeat(65)))
        .await
        .unwrap_err();
    check(&e, "validation");
    assert_eq!(e.field(), Some("goods_name"));
    // Auth.
    let bad = builder(&sb).client_key("WRONGKEY").build().unwrap();
    let e = bad.create_payment(cpm(300)).await.unwrap_err();
    check(&e, "auth");
    assert!(e.to_string().contains("string to sign"), "{e}");
    // Network, nothing sent.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down = Client::builder()
        .base_url(format!("http://127.0.0.1:{closed}"))
        .credentials("A", "K")
        .max_retries(1)
        .retry_delay(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let e = down.create_payment(cpm(300)).await.unwrap_err();
    check(&e, "network");
    assert_eq!(e.sent(), Some(false));
    let msg = e.to_string();
    assert!(
        msg.contains("/trade/v1/payment")
            && msg.contains("127.0.0.1")
            && msg.contains("2 attempts"),
        "{msg}"
    );
    // Refund of an unknown transaction, and its decline keeps the number.
    let e = c
        .refund(RefundRequest::new("20260101000000000000000000", hkd(1)).out_trade_no("RF-1"))
        .await
        .unwrap_err();
    assert_eq!(e.out_trade_no(), Some("RF-1"), "{e}");
    // Close by out_trade_no.
    let e = c
        .close(qfpay::CancelRequest::by_out_trade_no(
            "NO-SUCH-ORDER",
            hkd(300),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.out_trade_no(), Some("NO-SUCH-ORDER"), "{e}");
}

#[tokio::test]
async fn a_resubmitted_paid_order_is_answered_with_the_existing_transaction() {
    let sb = sandbox().await;
    let c = builder(&sb).build().unwrap();
    let p = c
        .create_payment(cpm(300).out_trade_no("DUP-PAID-1"))
        .await
        .unwrap();
    let e = c
        .create_payment(cpm(300).out_trade_no("DUP-PAID-1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_order");
    assert_eq!(e.out_trade_no(), Some("DUP-PAID-1"));
    let t = e.existing().expect("the existing transaction");
    assert_eq!(t.state, TransactionState::Succeeded);
    assert_eq!((t.syssn.as_str(), t.txamt), (p.syssn.as_str(), 300));
    assert_eq!(e.syssn(), Some(p.syssn.as_str()));
    assert!(e.to_string().contains("as paid"), "{e}");
    // A generated number never gets a query.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1003)))
        .await
        .unwrap_err();
    assert!(e.existing().is_none());
}

#[tokio::test]
async fn a_call_cancelled_after_sending_warns_with_its_order() {
    let sb = sandbox().await;
    let obs = Collect::at(Level::Warn);
    let c = builder(&sb).observer(obs.clone()).build().unwrap();
    sb.inject_fault(Fault::Delay(Duration::from_millis(600)), 1);
    let r = tokio::time::timeout(
        Duration::from_millis(150),
        c.create_payment(PaymentRequest::wechat_qr(hkd(300)).out_trade_no("CANCEL-1")),
    )
    .await;
    assert!(r.is_err(), "the call should have been cut off");
    let events = obs.take();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].kind, EventKind::Cancelled);
    assert_eq!(events[0].level, Level::Warn);
    assert_eq!(events[0].out_trade_no.as_deref(), Some("CANCEL-1"));
    assert!(events[0].reason.as_deref().unwrap().contains("CANCEL-1"));
    // Dropped before anything was sent: no event.
    drop(c.create_payment(cpm(300)));
    assert!(obs.take().is_empty());
}

#[tokio::test]
async fn wait_for_payment_keeps_its_deadline_and_queries_at_it() {
    let sb = sandbox().await;
    let c = builder(&sb).build().unwrap();
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let wait = Wait::up_to(Duration::from_millis(800))
        .interval(Duration::from_millis(300), Duration::from_millis(500));
    let before = sb.request_count();
    let started = Instant::now();
    let e = c.wait_for_payment(&p.out_trade_no, wait).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.code(), "status_unknown");
    assert!(
        elapsed >= Duration::from_millis(800),
        "gave up early: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    let msg = e.to_string();
    assert!(msg.contains("waited up to 800 ms"), "{msg}");
    assert!(
        sb.request_count() - before >= 4,
        "queries at 0, 0.3, 0.75 and the deadline"
    );
    let d = Wait::default();
    assert_eq!(
        (d.timeout, d.initial_interval, d.max_interval),
        (
            Duration::from_secs(120),
            Duration::from_secs(1),
            Duration::from_secs(5)
        )
    );
    assert_eq!(Wait::DEFAULT_TIMEOUT, Duration::from_secs(120));
}

#[tokio::test]
async fn extreme_durations_are_refused_or_saturated_never_a_panic() {
    let sb = sandbox().await;
    let names = [
        "timeout",
        "connect_timeout",
        "reconcile_timeout",
        "retry_base_delay",
        "retry_max_delay",
    ];
    type Set = fn(qfpay::ClientBuilder, Duration) -> qfpay::ClientBuilder;
    let setters: [Set; 5] = [
        |b, d| b.timeout(d),
        |b, d| b.connect_timeout(d),
        |b, d| b.reconcile_timeout(d),
        |b, d| b.retry_delay(d, Duration::from_millis(1)),
        |b, d| b.retry_delay(Duration::from_millis(1), d),
    ];
    for (name, set) in names.iter().zip(setters) {
        let e = set(builder(&sb), Duration::MAX).build().unwrap_err();
        assert_eq!(e.code(), "config");
        assert!(e.to_string().contains(name), "{e}");
        match set(builder(&sb), Duration::ZERO).build() {
            Ok(c) => {
                // Zero reconciliation or retry delays still give an answer, not a panic.
                sb.inject_fault(Fault::Drop, 1);
                let r = c.create_payment(cpm(300)).await;
                assert!(
                    r.is_ok() || r.as_ref().unwrap_err().code() == "status_unknown",
                    "{name}: {r:?}"
                );
            }
            Err(e) => assert!(e.to_string().contains(name), "{e}"),
        }
    }
    let c = builder(&sb).build().unwrap();
    c.with_timeout(Duration::MAX)
        .create_payment(cpm(300))
        .await
        .unwrap();
    c.with_timeout(Duration::ZERO)
        .create_payment(cpm(300))
        .await
        .unwrap_err();
    assert!(c.with_connect_timeout(Duration::MAX).is_err());
    assert!(c.with_connect_timeout(Duration::ZERO).is_err());
    let p = c.create_payment(cpm(300)).await.unwrap();
    c.wait_for_payment(&p.out_trade_no, Wait::up_to(Duration::MAX))
        .await
        .unwrap();
    let q = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let e = c
        .wait_for_payment(&q.out_trade_no, Wait::up_to(Duration::ZERO))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown");
    let w = Wait::up_to(Duration::from_millis(200)).interval(Duration::MAX, Duration::MAX);
    let e = c.wait_for_payment(&q.out_trade_no, w).await.unwrap_err();
    assert_eq!(e.code(), "status_unknown");
    let w = Wait::up_to(Duration::from_millis(50)).interval(Duration::ZERO, Duration::ZERO);
    assert_eq!(
        c.wait_for_payment(&q.out_trade_no, w)
            .await
            .unwrap_err()
            .code(),
        "status_unknown"
    );
}

/// A server that answers every request with HTTP 429 and `Retry-After: <huge>`.
fn huge_retry_after_server() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 18446744073709551615\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    url
}

#[tokio::test]
async fn a_huge_retry_after_is_no_panic() {
    let c = Client::builder()
        .base_url(huge_retry_after_server())
        .credentials("A", "K")
        .build()
        .unwrap();
    let e = c.create_payment(cpm(300)).await.unwrap_err();
    assert_eq!(e.code(), "rate_limited");
    assert!(e.retry_after().is_some());
    assert!(e.out_trade_no().is_some());
    let e = c.query(QueryRequest::new()).await.unwrap_err();
    assert_eq!(e.code(), "rate_limited");
}

#[tokio::test]
async fn query_pages_never_ends_with_an_empty_page() {
    let sb = sandbox().await;
    let c = builder(&sb).build().unwrap();
    for _ in 0..20 {
        c.create_payment(cpm(300)).await.unwrap();
    }
    let mut pages = c.query_pages(QueryRequest::new().page_size(10));
    let mut sizes = Vec::new();
    while let Some(p) = pages.next_page().await {
        sizes.push(p.unwrap().data.len());
    }
    assert_eq!(sizes, [10, 10]);
    let mut pages = c.query_pages(QueryRequest::new().page_size(7));
    let mut sizes = Vec::new();
    while let Some(p) = pages.next_page().await {
        sizes.push(p.unwrap().data.len());
    }
    assert_eq!(sizes, [7, 7, 6]);
}

#[test]
fn environment_names() {
    use qfpay::Environment;
    assert_eq!(Environment::parse("prod").unwrap(), Environment::Production);
    assert_eq!(Environment::parse("test").unwrap(), Environment::LiveTest);
    assert_eq!(
        Environment::parse("card_sandbox").unwrap().base_url(),
        "https://openapi-int.qfapi.com"
    );
    for refused in ["sandbox", "live"] {
        let e = Environment::parse(refused).unwrap_err();
        assert_eq!(e.code(), "config");
        assert!(e.to_string().contains("use"), "{e}");
    }
    assert!(
        Environment::parse("sandbox")
            .unwrap_err()
            .to_string()
            .contains("card_sandbox")
    );
}
