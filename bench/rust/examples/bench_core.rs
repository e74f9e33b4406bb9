//! Benchmark (not a test): signing, notification verification, and payments per second through
//! the async client against an embedded sandbox over keep-alive on loopback.
//!
//! `cargo run --release -p qfpay --example bench_core [seconds]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use qfpay::{Client, Currency, Money, PaymentRequest, SignType, notify, sign};
use qfpay_sandbox::{Sandbox, SandboxConfig};

fn per_second(n: u64, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64()
}

fn time_loop(budget: Duration, mut f: impl FnMut()) -> (u64, Duration) {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..1000 {
            f();
        }
        n += 1000;
    }
    (n, start.elapsed())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let secs: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let budget = Duration::from_secs(secs);
    let seed = [
        ("txamt", "10"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", "01234567890123"),
        ("txdtm", "2020-04-10 11:45:44"),
        ("mchid", "ZaMVg*****"),
    ];
    let key = "0E32A59A8B454940A2FF39**********";
    let (n, t) = time_loop(budget, || {
        std::hint::black_box(sign::sign(std::hint::black_box(&seed), key, SignType::Md5));
    });
    println!(
        "| sign (MD5, seed payload) | {:.0} /s | {:.2} µs |",
        per_second(n, t),
        t.as_secs_f64() * 1e6 / n as f64
    );
    let body = br#"{"status": "1", "pay_type": "800201", "txamt": "300", "notify_type": "payment", "syssn": "20200514000300020093755455", "out_trade_no": "A1", "cancel": "0", "respcd": "0000"}"#;
    let sig = sign::notification_signature(body, key);
    let (n, t) = time_loop(budget, || {
        std::hint::black_box(notify::verify(std::hint::black_box(body), &sig, key).unwrap());
    });
    println!(
        "| notification verify + parse | {:.0} /s | {:.2} µs |",
        per_second(n, t),
        t.as_secs_f64() * 1e6 / n as f64
    );

    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let m = sb.merchant().clone();
    let client = Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code, m.client_key)
        .build()
        .unwrap();
    let req = || PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)).goods_name("bench");
    for _ in 0..200 {
        client.create_payment(req()).await.unwrap();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        client.create_payment(req()).await.unwrap();
        n += 1;
    }
    let t = start.elapsed();
    println!(
        "| payments, sequential | {:.0} /s | {:.3} ms |",
        per_second(n, t),
        t.as_secs_f64() * 1e3 / n as f64
    );

    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        let batch: Vec<_> = (0..64)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move { c.create_payment(req()).await.unwrap() })
            })
            .collect();
        for h in batch {
            h.await.unwrap();
        }
        n += 64;
    }
    let t = start.elapsed();
    println!(
        "| payments, 64 in flight | {:.0} /s | {:.3} ms per batch of 64 |",
        per_second(n, t),
        t.as_secs_f64() * 1e3 * 64.0 / n as f64
    );
}
