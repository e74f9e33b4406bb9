//! Benchmark (not a test): the blocking facade's sequential payments per second against an
//! embedded sandbox, the path the Python and JVM synchronous clients take.
//!
//! `cargo run --release -p qfpay --example bench_blocking [calls]`
//!
//! With `QFPAY_BASE_URL` (and `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`) set, it pays a separate
//! sandbox process instead (`qfpay sandbox --rate-limit off`), and then also reports the CPU
//! time the calling thread spent per call (from `/proc/thread-self/schedstat`): the client's
//! own cost, free of the sandbox's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use qfpay::{Client, Currency, Money, PaymentRequest};
use qfpay_sandbox::{Sandbox, SandboxConfig};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let external = std::env::var_os("QFPAY_BASE_URL").is_some();
    let (_sb, inner) = if external {
        (None, Client::from_env().unwrap())
    } else {
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
        (Some(sb), inner)
    };
    let c = qfpay::blocking::Client::new(inner).unwrap();
    let req = || PaymentRequest::wechat_qr(Money::new(300, Currency::HKD));
    c.create_payment(req()).unwrap();
    for _ in 0..3 {
        let start = Instant::now();
        let cpu0 = thread_cpu_ns();
        for _ in 0..n {
            c.create_payment(req()).unwrap();
        }
        let t = start.elapsed();
        let cpu = (thread_cpu_ns() - cpu0) as f64 / 1e3 / f64::from(n);
        println!(
            "blocking, sequential: {:.0} /s ({:.0} us per call{})",
            f64::from(n) / t.as_secs_f64(),
            t.as_secs_f64() * 1e6 / f64::from(n),
            if external {
                format!(", {cpu:.1} us CPU of the calling thread")
            } else {
                String::new()
            }
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

/// Nanoseconds the calling thread has spent on a CPU.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
