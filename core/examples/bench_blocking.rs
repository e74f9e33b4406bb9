//! Benchmark (not a test): the blocking facade's sequential payments per second against an
//! embedded sandbox, the path the Python and JVM synchronous clients take.
//!
//! `cargo run --release -p qfpay --example bench_blocking [calls]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use qfpay::{Client, Currency, Money, PaymentRequest};
use qfpay_sandbox::{Sandbox, SandboxConfig};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let sb = Sandbox::start_background(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .unwrap();
    let m = sb.merchant().clone();
    let inner = Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code, m.client_key)
        .build()
        .unwrap();
    let c = qfpay::blocking::Client::new(inner).unwrap();
    let req = || PaymentRequest::wechat_qr(Money::new(300, Currency::HKD));
    c.create_payment(req()).unwrap();
    for _ in 0..3 {
        let start = Instant::now();
        for _ in 0..n {
            c.create_payment(req()).unwrap();
        }
        let t = start.elapsed();
        println!(
            "blocking, sequential: {:.0} /s ({:.0} us per call)",
            f64::from(n) / t.as_secs_f64(),
            t.as_secs_f64() * 1e6 / f64::from(n)
        );
    }
    for threads in [4u32, 16] {
        let start = Instant::now();
        let per = n / threads;
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..per {
                        c.create_payment(req()).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let t = start.elapsed();
        println!(
            "blocking, {threads} threads: {:.0} /s",
            f64::from(per * threads) / t.as_secs_f64()
        );
    }
}
