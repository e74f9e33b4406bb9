//! The client key never appears in Debug/Display output, errors, or tracing output at TRACE.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qfpay::{Client, Currency, Money, PaymentRequest, QueryRequest, RefundRequest};
use qfpay_sandbox::{Fault, Merchant, Sandbox, SandboxConfig};

const KEY: &str = "S3CR3T-CLIENT-KEY-0E32A59A8B4549";

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
