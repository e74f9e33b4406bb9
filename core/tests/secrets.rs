//! The client key never appears in Debug/Display output, errors, or tracing output at TRACE.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qfpay::{Client, Currency, Money, PaymentRequest, QueryRequest, RefundRequest};
use qfpay_sandbox::{Fault, Merchant, Sandbox, SandboxConfig};

const KEY: &str = "S3CR3T-CLIENT-KEY-0E32A59A8B4549";

/// The tests of this file run one at a time: `tracing` caches each callsite's interest
/// globally, and a callsite first reached by the other test, on a thread with no subscriber,
/// could be cached as unwanted while the TRACE capture below runs (it then missed events).
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_key_never_appears_in_output() {
    let _serial = SERIAL.blocking_lock();
    let sb = Sandbox::start_background(SandboxConfig {
        merchants: vec![Merchant::new("SECRETAPP", KEY)],
        slow_response: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
    .unwrap();
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let mut printed = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let c = Client::builder()
                .base_url(sb.base_url())
                .credentials("SECRETAPP", KEY)
                .timeout(Duration::from_millis(150))
                .reconcile_timeout(Duration::from_millis(300))
                .retry_delay(Duration::from_millis(5), Duration::from_millis(10))
                .build()
                .unwrap();
            printed.push(format!(
                "{c:?} {:?} {:?}",
                c.config(),
                c.config().client_key
            ));
            printed.push(c.config().client_key.to_string());
            let hkd = |a| Money::new(a, Currency::HKD);
            let p = c
                .create_payment(PaymentRequest::wechat_qr(hkd(300)))
                .await
                .unwrap();
            printed.push(format!("{p:?}"));
            for result in [
                c.create_payment(PaymentRequest::wechat_qr(hkd(1003))).await,
                c.create_payment(PaymentRequest::wechat_qr(hkd(1004))).await,
                c.create_payment(PaymentRequest::wechat_qr(hkd(1005))).await,
                c.create_payment(PaymentRequest::wechat_qr(hkd(0))).await,
            ] {
                let e = result.unwrap_err();
                printed.push(format!("{e} {e:?}"));
            }
            sb.inject_fault(
                Fault::Canned {
                    status: 200,
                    body: r#"{"respcd":"1108","resperr":"sign error"}"#.into(),
                },
                1,
            );
            printed.push(format!("{:?}", c.query(QueryRequest::new()).await));
            printed.push(format!(
                "{:?}",
                c.refund(RefundRequest::new("2026", hkd(1))).await
            ));
            let bad = Client::builder()
                .base_url(sb.base_url())
                .credentials("SECRETAPP", "WRONG")
                .build()
                .unwrap();
            printed.push(format!("{:?}", bad.query(QueryRequest::new()).await));
        });
    });
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("request /trade/v1/payment"),
        "TRACE output was captured: {logs}"
    );
    assert!(logs.contains("TRACE"), "TRACE level was on");
    assert!(!logs.contains(KEY), "the key leaked into tracing output");
    for p in &printed {
        assert!(!p.contains(KEY), "the key leaked: {p}");
    }
    assert!(!qfpay::sign::debug_string_to_sign(&[("txamt", "1")]).contains(KEY));
}

/// Collects every event text.
struct Texts(Mutex<Vec<String>>);

impl qfpay::Observer for Texts {
    fn enabled(&self, _: qfpay::Level) -> bool {
        true
    }
    fn on_event(&self, e: &qfpay::Event) {
        self.0.lock().unwrap().push(format!("{e:?}"));
    }
}

#[tokio::test]
async fn an_echoed_or_misplaced_key_is_masked() {
    let _serial = SERIAL.lock().await;
    let sb = Sandbox::start(SandboxConfig {
        merchants: vec![Merchant::new("SECRETAPP", KEY)],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let texts = Arc::new(Texts(Mutex::new(Vec::new())));
    let c = Client::builder()
        .base_url(sb.base_url())
        .credentials("SECRETAPP", KEY)
        .retry_delay(Duration::from_millis(5), Duration::from_millis(10))
        .reconcile_timeout(Duration::from_millis(100))
        .observer(texts.clone())
        .build()
        .unwrap();
    let hkd = |a| Money::new(a, Currency::HKD);
    let echo = format!(r#"{{"respcd":"1150","resperr":"bad {KEY}","respmsg":"{KEY}"}}"#);
    let mut printed = Vec::new();
    // The server echoes the key, on a money-moving call and on a query.
    for _ in 0..2 {
        sb.inject_fault(
            Fault::Canned {
                status: 200,
                body: echo.clone(),
            },
            1,
        );
    }
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)))
        .await
        .unwrap_err();
    printed.push(format!("{e} {e:?} {:?}", e.respmsg()));
    let e = c.query(QueryRequest::new()).await.unwrap_err();
    printed.push(format!("{e} {e:?}"));
    // The key pasted into a field that is sent and logged.
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).goods_name(KEY))
        .await;
    assert!(p.is_ok(), "{p:?}");
    // The key in the wrong option.
    for e in [
        qfpay::Environment::parse(KEY).unwrap_err(),
        qfpay::SignType::parse(KEY).unwrap_err(),
        Currency::parse(KEY).unwrap_err(),
    ] {
        printed.push(format!("{e} {e:?}"));
    }
    let events = texts.0.lock().unwrap().join("\n");
    assert!(events.contains("/trade/v1/payment"), "{events}");
    assert!(
        !events.contains(KEY),
        "the key leaked into an event: {events}"
    );
    for p in &printed {
        assert!(!p.contains(KEY), "the key leaked: {p}");
    }
    assert!(printed[0].contains("***"), "{}", printed[0]);
    // A short key is not masked (masking "K" would garble every text), and never needs to be.
    assert!(qfpay::ClientKey::new("SHORT").maskable().is_none());
}
