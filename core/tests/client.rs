//! The async client over real HTTP against the local sandbox.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use qfpay::{
    CancelRequest, Client, Currency, Money, PayType, PaymentRequest, QueryRequest, RefundRequest,
    SignType, TransactionState, Wait,
};
use qfpay_sandbox::{Fault, Merchant, RateLimit, Sandbox, SandboxConfig};
use serde_json::Value;

fn hkd(amount: i64) -> Money {
    Money::new(amount, Currency::HKD)
}

fn builder(sb: &Sandbox) -> qfpay::ClientBuilder {
    let m = sb.merchant();
    let mut b = Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .retry_delay(Duration::from_millis(10), Duration::from_millis(50))
        .reconcile_timeout(Duration::from_secs(2));
    if let Some(mchid) = &m.mchid {
        b = b.mchid(mchid.clone());
    }
    b
}

fn client(sb: &Sandbox) -> Client {
    builder(sb).build().unwrap()
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// The API requests the sandbox logged for `path`, as their form parameters.
fn logged(sb: &Sandbox, path: &str) -> Vec<Value> {
    sb.requests()
        .into_iter()
        .filter(|r| r["path"].as_str() == Some(path))
        .map(|r| {
            let body = r["body"].as_str().unwrap_or_default().to_owned();
            let params: serde_json::Map<String, Value> = form_urlencoded::parse(body.as_bytes())
                .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
                .collect();
            Value::Object(params)
        })
        .collect()
}

/// A sandbox whose slow scenario (1005) answers after 800 ms, and a client that gives up after 250 ms.
async fn slow_sandbox_and_impatient_client() -> (Sandbox, Client) {
    let sb = Sandbox::start(SandboxConfig {
        slow_response: Duration::from_millis(800),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = builder(&sb)
        .timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    (sb, c)
}

fn cpm(amount: i64) -> PaymentRequest {
    PaymentRequest::cpm(hkd(amount), PayType::WechatCpm, "134567890123456789")
}

#[tokio::test]
async fn pay_scan_query_refund() {
    let sb = sandbox().await;
    let c = client(&sb);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).goods_name("Coffee"))
        .await
        .unwrap();
    let qr = p.qrcode.clone().unwrap();
    assert!(qr.starts_with("weixin://wxpay/bizpayurl?pr="), "{qr}");
    assert_eq!(p.syssn.len(), 26);
    assert!(p.syssn.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(p.txamt, 300);
    assert_eq!(p.out_trade_no.len(), 34, "generated order number");
    let before = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(before.state, TransactionState::Pending);

    sb.pay(&p.out_trade_no).unwrap();
    let paid = c
        .wait_for_payment(
            &p.out_trade_no,
            Wait::up_to(Duration::from_secs(5))
                .interval(Duration::from_millis(20), Duration::from_millis(100)),
        )
        .await
        .unwrap();
    assert_eq!(paid.state, TransactionState::Succeeded);
    assert_eq!(paid.syssn, p.syssn);

    let r = c
        .refund(RefundRequest::new(&p.syssn, hkd(100)))
        .await
        .unwrap();
    assert_eq!(r.txamt, 100);
    assert_eq!(r.orig_syssn, p.syssn);
    assert_ne!(r.syssn, p.syssn);
    let after = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(after.state, TransactionState::PartiallyRefunded);

    let over = c
        .refund(RefundRequest::new(&p.syssn, hkd(201)))
        .await
        .unwrap_err();
    assert_eq!(over.code(), "refund_rejected", "{over}");
    c.refund(RefundRequest::new(&p.syssn, hkd(200)))
        .await
        .unwrap();
    let done = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(done.state, TransactionState::Refunded);
    let refunds = c.query(QueryRequest::by_syssn(&r.syssn)).await.unwrap();
    assert!(
        refunds
            .data
            .iter()
            .any(|t| t.is_refund() && t.origssn.as_deref() == Some(p.syssn.as_str()))
    );
}

#[tokio::test]
async fn timeout_after_sending_is_reconciled_by_a_query_on_the_same_number() {
    let (sb, c) = slow_sandbox_and_impatient_client().await;
    let p = c
        .create_payment(cpm(1005).out_trade_no("SLOW-CPM-1"))
        .await
        .unwrap();
    assert_eq!(p.out_trade_no, "SLOW-CPM-1");
    assert_eq!(p.respcd, "0000");
    let payments = logged(&sb, "/trade/v1/payment");
    assert_eq!(
        payments.len(),
        1,
        "the payment was sent exactly once: {payments:?}"
    );
    let queries = logged(&sb, "/trade/v1/query");
    assert!(!queries.is_empty());
    assert!(
        queries.iter().all(|q| q["out_trade_no"] == "SLOW-CPM-1"),
        "{queries:?}"
    );
}

#[tokio::test]
async fn lost_qr_answer_is_status_unknown_with_the_order_identifiers() {
    let (sb, c) = slow_sandbox_and_impatient_client().await;
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1005)).out_trade_no("SLOW-QR-1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown", "{e}");
    assert_eq!(e.out_trade_no(), Some("SLOW-QR-1"));
    assert_eq!(e.syssn().map(str::len), Some(26), "{e}");
    assert_eq!(logged(&sb, "/trade/v1/payment").len(), 1);
}

#[tokio::test]
async fn pending_on_create_ends_in_status_unknown_carrying_the_order_number() {
    let sb = sandbox().await;
    let c = client(&sb);
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1004)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown", "{e}");
    let out_trade_no = e.out_trade_no().unwrap().to_owned();
    assert!(out_trade_no.starts_with("qf"));
    assert!(e.respcd().is_some());
    let payments = logged(&sb, "/trade/v1/payment");
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0]["out_trade_no"], out_trade_no.as_str());
    // The order exists: once the customer pays, waiting turns it into paid.
    sb.pay(&out_trade_no).unwrap();
    let t = c
        .wait_for_payment(
            &out_trade_no,
            Wait::up_to(Duration::from_secs(3))
                .interval(Duration::from_millis(20), Duration::from_millis(50)),
        )
        .await
        .unwrap();
    assert_eq!(t.state, TransactionState::Succeeded);
}

#[tokio::test]
async fn reconciliation_uses_its_window_to_the_end() {
    // Retry delays 500 ms doubling: queries at 0, 0.5 and (the last, at the deadline) 1.5 s.
    // Before, the loop stopped when its next back-off would pass the deadline: at about 0.5 s.
    let sb = sandbox().await;
    let window = Duration::from_millis(1500);
    let c = builder(&sb)
        .retry_delay(Duration::from_millis(500), Duration::from_secs(5))
        .reconcile_timeout(window)
        .build()
        .unwrap();
    // A 502 without processing: the order never exists, so every query says "no record yet".
    sb.inject_fault(Fault::HttpStatus(502), 1);
    let started = std::time::Instant::now();
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.code(), "status_unknown", "{e}");
    assert!(
        took >= window,
        "gave up after {took:?} of a {window:?} window"
    );
    assert_eq!(logged(&sb, "/trade/v1/query").len(), 3, "{e}");
}

#[tokio::test]
async fn wait_for_payment_turns_pending_into_paid() {
    let sb = sandbox().await;
    let c = client(&sb);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1002)))
        .await
        .unwrap();
    let t = c
        .wait_for_payment(
            &p.out_trade_no,
            Wait::up_to(Duration::from_secs(5))
                .interval(Duration::from_millis(20), Duration::from_millis(50)),
        )
        .await
        .unwrap();
    assert_eq!(t.state, TransactionState::Succeeded);
    assert!(
        logged(&sb, "/trade/v1/query").len() >= 2,
        "it was pending for a few queries first"
    );

    let never = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let e = c
        .wait_for_payment(
            &never.out_trade_no,
            Wait::up_to(Duration::from_millis(200))
                .interval(Duration::from_millis(20), Duration::from_millis(50)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown");
    assert_eq!(e.out_trade_no(), Some(never.out_trade_no.as_str()));
}

#[tokio::test]
async fn declined_duplicate_and_close() {
    let sb = sandbox().await;
    let c = client(&sb);
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1003)))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.respcd()), ("declined", Some("1201")));

    c.create_payment(PaymentRequest::wechat_qr(hkd(300)).out_trade_no("DUP-1"))
        .await
        .unwrap();
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).out_trade_no("DUP-1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_order", "{e}");
    assert_eq!(e.respmsg(), Some("out_trade_no is used"));

    let closed = c
        .close(CancelRequest::by_out_trade_no("DUP-1", hkd(300)))
        .await
        .unwrap();
    assert_eq!(closed.respcd, "0000");
    let t = c.find_payment("DUP-1").await.unwrap().unwrap();
    assert_eq!(t.state, TransactionState::Cancelled);
    let again = c
        .close(CancelRequest::by_out_trade_no("DUP-1", hkd(300)))
        .await
        .unwrap_err();
    assert_eq!(again.code(), "order_state", "{again}");
}

#[tokio::test]
async fn server_error_after_the_order_was_created_is_reconciled() {
    let sb = sandbox().await;
    let c = client(&sb);
    let p = c.create_payment(cpm(1006)).await.unwrap();
    assert_eq!(p.respcd, "0000");
    assert_eq!(logged(&sb, "/trade/v1/payment").len(), 1);
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1006)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown");
}

#[tokio::test]
async fn dropped_connection_and_malformed_answer_are_reconciled() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.inject_fault(Fault::Drop, 1);
    let p = c
        .create_payment(cpm(300).out_trade_no("DROP-1"))
        .await
        .unwrap();
    assert_eq!(p.out_trade_no, "DROP-1");
    sb.inject_fault(Fault::Malformed, 1);
    c.create_payment(cpm(300).out_trade_no("MAL-1"))
        .await
        .unwrap();
    let payments = logged(&sb, "/trade/v1/payment");
    assert_eq!(payments.len(), 2, "never re-sent: {payments:?}");
}

#[tokio::test]
async fn rate_limit_and_connect_failures_are_retried_with_the_same_parameters() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.inject_fault(Fault::HttpStatus(429), 1);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let payments = logged(&sb, "/trade/v1/payment");
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[0], payments[1], "the retry is the same request");
    assert_eq!(payments[1]["out_trade_no"], p.out_trade_no.as_str());

    let limited = builder(&sb).max_retries(1).build().unwrap();
    let e = limited
        .create_payment(PaymentRequest::wechat_qr(hkd(1007)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "rate_limited", "{e}");

    // Nothing listens on this port: the request is never sent, retried, then reported as such.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials("APP", "KEY")
        .retry_delay(Duration::from_millis(5), Duration::from_millis(10))
        .build()
        .unwrap();
    let e = down
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network");
    assert!(
        matches!(e, qfpay::Error::Network { sent: false, .. }),
        "{e}"
    );
}

#[tokio::test]
async fn the_documented_rate_limit_is_enforced() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: Some(RateLimit {
            per_second: 3,
            per_minute: 400,
        }),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = builder(&sb).max_retries(0).build().unwrap();
    let mut limited = 0;
    for _ in 0..6 {
        if let Err(e) = c.query(QueryRequest::new()).await {
            assert_eq!(e.code(), "rate_limited");
            limited += 1;
        }
    }
    assert!(limited >= 2, "{limited}");
}

#[tokio::test]
async fn invalid_requests_never_reach_the_server() {
    let sb = sandbox().await;
    let c = client(&sb);
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).expired_time(121))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("validation", Some("expired_time")));
    let e = c.refund(RefundRequest::new("", hkd(1))).await.unwrap_err();
    assert_eq!(e.field(), Some("syssn"));
    assert_eq!(sb.request_count(), 0);
}

#[tokio::test]
async fn sha256_signatures_and_mchid() {
    let sb = Sandbox::start(SandboxConfig {
        merchants: vec![Merchant::new("AGENTAPP", "AGENTKEY").with_mchid("ZaMVg12345")],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = builder(&sb).sign_type(SignType::Sha256).build().unwrap();
    c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    let no_mchid = Client::builder()
        .base_url(sb.base_url())
        .credentials("AGENTAPP", "AGENTKEY")
        .build()
        .unwrap();
    let e = no_mchid
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "auth", "{e}");
    let wrong_key = Client::builder()
        .base_url(sb.base_url())
        .credentials("AGENTAPP", "WRONG")
        .mchid("ZaMVg12345")
        .build()
        .unwrap();
    let e = wrong_key
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.respcd()), ("auth", Some("1108")));
}

#[tokio::test]
async fn query_pages_iterate_to_the_end() {
    let sb = sandbox().await;
    let c = client(&sb);
    for _ in 0..23 {
        c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
            .await
            .unwrap();
    }
    let mut pages = c.query_pages(QueryRequest::new().page_size(10));
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.unwrap().data.len());
    }
    assert_eq!(sizes, vec![10, 10, 3]);
}

#[test]
fn blocking_client_and_threads() {
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    let c = qfpay::blocking::Client::new(builder(&sb).build().unwrap()).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
                    .unwrap()
                    .out_trade_no
            })
        })
        .collect();
    let mut numbers: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 4);
    let pages: Vec<_> = c.query_pages(QueryRequest::new().page_size(3)).collect();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn requests_go_through_the_configured_proxy() {
    // The sandbox serves absolute-form requests too, so it can stand in for an HTTP proxy: the
    // base URL's host does not exist, so the payment only succeeds through the proxy.
    let sb = sandbox().await;
    let m = sb.merchant();
    let c = Client::builder()
        .base_url("http://qfpay-proxy-test.invalid")
        .credentials(m.app_code.clone(), m.client_key.clone())
        .proxy(sb.base_url())
        .build()
        .unwrap();
    c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap();
    assert_eq!(logged(&sb, "/trade/v1/payment").len(), 1);
    let direct = Client::builder()
        .base_url("http://qfpay-proxy-test.invalid")
        .credentials("A", "K")
        .max_retries(0)
        .build()
        .unwrap()
        .with_connect_timeout(Duration::from_millis(500))
        .unwrap();
    let e = direct.query(QueryRequest::new()).await.unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
}

#[tokio::test]
async fn reversal_closing_a_paid_order_unknown_refund_and_query_retries() {
    let sb = sandbox().await;
    let c = client(&sb);
    let q = c
        .create_payment(PaymentRequest::wechat_qr(hkd(500)))
        .await
        .unwrap();
    let r = c
        .reverse(CancelRequest::by_syssn(&q.syssn, hkd(500)))
        .await
        .unwrap();
    assert_eq!(r.orig_syssn, q.syssn);
    let t = c.find_payment(&q.out_trade_no).await.unwrap().unwrap();
    assert_eq!(t.state, TransactionState::Cancelled);

    let paid = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1001)))
        .await
        .unwrap();
    let e = c
        .close(CancelRequest::by_syssn(&paid.syssn, hkd(1001)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order_state", "{e}");
    let e = c
        .refund(RefundRequest::new("20200101000300000000000000", hkd(1)))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.respcd()), ("order_state", Some("1268")), "{e}");

    let before = logged(&sb, "/trade/v1/query").len();
    sb.inject_fault(Fault::HttpStatus(503), 1);
    c.query(QueryRequest::new()).await.unwrap();
    assert_eq!(
        logged(&sb, "/trade/v1/query").len(),
        before + 2,
        "a query is retried after HTTP 503"
    );
    sb.inject_fault(Fault::HttpStatus(503), 1);
    let e = c
        .with_max_retries(0)
        .query(QueryRequest::new())
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.http_status()), ("server", Some(503)));
}

#[test]
fn blocking_calls_from_two_threads_overlap() {
    // The blocking facade's runtime is driven by its callers: a second caller must not wait for
    // the first call to finish. Two calls each held 500 ms by the sandbox overlap.
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    let c = qfpay::blocking::Client::new(builder(&sb).build().unwrap()).unwrap();
    c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .unwrap();
    sb.inject_fault(Fault::Delay(Duration::from_millis(500)), 2);
    let start = std::time::Instant::now();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_millis(950),
        "the calls ran one after the other: {elapsed:?}"
    );
}

/// Accepts one connection on `listener`, reads what the client sends first, answers `reply`.
async fn answer_once(listener: tokio::net::TcpListener, reply: &'static [u8]) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut sock, _) = listener.accept().await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = sock.read(&mut buf).await.unwrap();
    buf.truncate(n);
    let _ = sock.write_all(reply).await;
    let _ = sock.shutdown().await;
    buf
}

#[tokio::test]
async fn a_redirect_is_never_followed() {
    // A payment answered with a redirect is an error naming the status; the request is not
    // re-sent to the other location (a redirected POST would arrive there as a GET).
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = elsewhere.local_addr().unwrap();
    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    let reply: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 302 Found\r\nLocation: http://{target}/trade/v1/payment\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let served = tokio::spawn(answer_once(server, reply));
    let c = Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials("APP", "KEY")
        .reconcile_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(302), "{e}");
    assert!(e.out_trade_no().is_some(), "{e}");
    assert!(String::from_utf8_lossy(&served.await.unwrap()).starts_with("POST /trade/v1/payment"));
    let followed = tokio::time::timeout(Duration::from_millis(200), elsewhere.accept()).await;
    assert!(followed.is_err(), "the redirect was followed");
}

#[tokio::test]
async fn https_uses_tls_with_sni_and_alpn() {
    // The shared TLS configuration (built once per process) is the one every client uses: a
    // TLS ClientHello naming the host and offering h2 and http/1.1 goes out for https URLs.
    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = server.local_addr().unwrap().port();
    let hello = tokio::spawn(answer_once(server, b""));
    for _ in 0..2 {
        // A second client reuses the configuration; both must work the same.
        let _ = Client::builder()
            .base_url(format!("https://localhost:{port}"))
            .credentials("APP", "KEY")
            .build()
            .unwrap();
    }
    let c = Client::builder()
        .base_url(format!("https://localhost:{port}"))
        .credentials("APP", "KEY")
        .max_retries(0)
        .build()
        .unwrap();
    let e = c
        .query(QueryRequest::by_out_trade_no("X1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
    let hello = hello.await.unwrap();
    assert_eq!(hello.first(), Some(&0x16), "a TLS handshake record");
    let has = |needle: &[u8]| hello.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"localhost"), "SNI");
    assert!(has(b"\x02h2") && has(b"\x08http/1.1"), "ALPN h2, http/1.1");
}

/// A client for `base` through the proxy at `addr`, with credentials `u@x` / `p:ss` written
/// percent-encoded in the proxy URL (`Basic dUB4OnA6c3M=` once decoded), no retries.
fn through_proxy(base: &str, addr: std::net::SocketAddr) -> Client {
    Client::builder()
        .base_url(base)
        .credentials("APP", "KEY")
        .proxy(format!("http://u%40x:p%3Ass@{addr}"))
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_through_a_proxy_is_a_connect_tunnel_with_the_credentials() {
    // The proxy gets `CONNECT host:443` with the URL's credentials (percent-decoded, Basic),
    // answers 200, and the TLS handshake to QFPay's host then runs inside the tunnel.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = proxy.local_addr().unwrap();
    let seen = tokio::spawn(async move {
        let (mut sock, _) = proxy.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = sock.read(&mut buf).await.unwrap();
        let connect = String::from_utf8_lossy(&buf[..n]).into_owned();
        sock.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .unwrap();
        let n = sock.read(&mut buf).await.unwrap();
        (connect, buf[..n].to_vec())
    });
    let c = through_proxy("https://qfpay-tunnel-test.invalid", addr);
    let e = c
        .query(QueryRequest::by_out_trade_no("X1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
    assert!(!e.to_string().contains("dUB4"), "{e}");
    let (connect, hello) = seen.await.unwrap();
    assert!(
        connect.starts_with("CONNECT qfpay-tunnel-test.invalid:443 HTTP/1.1\r\n"),
        "{connect}"
    );
    // "u@x:p:ss"
    assert!(
        connect.contains("Proxy-Authorization: Basic dUB4OnA6c3M=\r\n"),
        "{connect}"
    );
    assert_eq!(hello.first(), Some(&0x16), "a TLS handshake in the tunnel");
    let has = |needle: &[u8]| hello.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"qfpay-tunnel-test.invalid"), "SNI of QFPay's host");
}

#[tokio::test]
async fn a_forwarding_proxy_gets_absolute_form_and_the_credentials() {
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = proxy.local_addr().unwrap();
    let served = tokio::spawn(answer_once(
        proxy,
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ));
    let c = through_proxy("http://qfpay-forward-test.invalid", addr);
    let _ = c.query(QueryRequest::by_out_trade_no("X1")).await;
    let request = String::from_utf8(served.await.unwrap()).unwrap();
    assert!(
        request.starts_with("POST http://qfpay-forward-test.invalid/trade/v1/query HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dub4ona6c3m=\r\n"),
        "{request}"
    );
}

/// A TCP relay in front of `target` on its own thread, counting the connections it accepts.
fn counting_relay(
    target: std::net::SocketAddr,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let accepted = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = accepted.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let (mut inbound, _) = listener.accept().await.unwrap();
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut out = tokio::net::TcpStream::connect(target).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                });
            }
        });
    });
    (url, accepted)
}

#[test]
fn shared_blocking_clients_reuse_one_pool_per_configuration() {
    use std::sync::atomic::Ordering;
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    let target = sb.base_url().trim_start_matches("http://").parse().unwrap();
    let (url, accepted) = counting_relay(target);
    let m = sb.merchant().clone();
    let make = |timeout: u64| {
        Client::builder()
            .base_url(url.clone())
            .credentials(m.app_code.clone(), m.client_key.clone())
            .timeout(Duration::from_secs(timeout))
    };
    let pay = |c: &qfpay::blocking::Client| {
        c.create_payment(PaymentRequest::wechat_qr(hkd(300)))
            .unwrap();
    };
    // A PHP-FPM worker creating its client for every request: one connection for all of them.
    for _ in 0..3 {
        let c = qfpay::blocking::Client::shared(make(30)).unwrap();
        pay(&c);
        drop(c);
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    // Another configuration (here another timeout) gets a pool of its own.
    pay(&qfpay::blocking::Client::shared(make(31)).unwrap());
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
    // Plain clients never share.
    pay(&qfpay::blocking::Client::new(make(30).build().unwrap()).unwrap());
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    // Another key is another configuration, and a wrong one: refused, on a new connection.
    let wrong = Client::builder()
        .base_url(url.clone())
        .credentials(m.app_code.clone(), "NOT-THE-KEY")
        .timeout(Duration::from_secs(30));
    let e = qfpay::blocking::Client::shared(wrong)
        .unwrap()
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .unwrap_err();
    assert_eq!(e.respcd(), Some("1108"), "{e}");
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
    pay(&qfpay::blocking::Client::shared(make(30)).unwrap());
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}
