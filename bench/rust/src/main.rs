//! The native Rust reference of the cross-language benchmark (`bench/run.sh`): the same
//! WeChat QR payment (800201) through `qfpay::Client` against the shared sandbox process named
//! by `QFPAY_BASE_URL`, `QFPAY_APP_CODE` and `QFPAY_CLIENT_KEY`. Prints one JSON line.
//!
//! `qfpay-bench-rust pay async64|seq|blocking SECONDS WARMUP` · `qfpay-bench-rust micro` · `qfpay-bench-rust rss`
//! · `qfpay-bench-rust transactions sdk|hand` ([`transactions`])

mod transactions;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use qfpay::{Client, Currency, Money, PaymentRequest, SignType};

fn client() -> Result<Client, String> {
    Client::from_env().map_err(|e| format!("client: {e}"))
}

fn request() -> PaymentRequest {
    PaymentRequest::wechat_qr(Money::new(300, Currency::HKD))
}

/// `width` tasks each paying in a loop until `until`; returns (completed, failed).
async fn drive(client: &Client, width: usize, until: Instant) -> (u64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::with_capacity(width);
    for _ in 0..width {
        let (c, ok, failed) = (client.clone(), ok.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                match c.create_payment(request()).await {
                    Ok(p) if p.respcd == "0000" => ok.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for t in tasks {
        if t.await.is_err() {
            failed.fetch_add(1, Ordering::Relaxed);
        }
    }
    (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed))
}

/// `qfpay::blocking::Client` paying in a loop until `until` on this thread (the facade the PHP
/// extension calls: a current-thread runtime driven by the calling thread).
fn drive_blocking(client: &qfpay::blocking::Client, until: Instant) -> (u64, u64) {
    let (mut ok, mut failed) = (0, 0);
    while Instant::now() < until {
        match client.create_payment(request()) {
            Ok(p) if p.respcd == "0000" => ok += 1,
            _ => failed += 1,
        }
    }
    (ok, failed)
}

/// The sequential case on the blocking facade, on a thread of its own (outside any runtime).
fn pay_blocking(seconds: f64, warmup: f64) -> Result<String, String> {
    let client = qfpay::blocking::Client::from_env().map_err(|e| format!("client: {e}"))?;
    let run = std::thread::spawn(move || {
        drive_blocking(&client, Instant::now() + Duration::from_secs_f64(warmup));
        let start = Instant::now();
        let (n, failed) = drive_blocking(&client, start + Duration::from_secs_f64(seconds));
        (n, failed, start.elapsed().as_secs_f64())
    });
    let (n, failed, secs) = run
        .join()
        .map_err(|_| "the paying thread failed".to_owned())?;
    Ok(format!(
        r#"{{"n":{n},"errors":{failed},"secs":{secs:.4},"rate":{:.1}}}"#,
        n as f64 / secs
    ))
}

async fn pay(case: &str, seconds: f64, warmup: f64) -> Result<String, String> {
    if case == "blocking" {
        return pay_blocking(seconds, warmup);
    }
    let width = match case {
        "async64" => 64,
        "seq" => 1,
        other => return Err(format!("unknown case {other:?}")),
    };
    let client = client()?;
    drive(
        &client,
        width,
        Instant::now() + Duration::from_secs_f64(warmup),
    )
    .await;
    let start = Instant::now();
    let (n, failed) = drive(&client, width, start + Duration::from_secs_f64(seconds)).await;
    let secs = start.elapsed().as_secs_f64();
    Ok(format!(
        r#"{{"n":{n},"errors":{failed},"secs":{secs:.4},"rate":{:.1}}}"#,
        n as f64 / secs
    ))
}

/// Best of 5 timings of `n` calls, in nanoseconds per call.
fn ns_per_call(n: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / f64::from(n));
    }
    best
}

fn micro() -> Result<String, String> {
    let client = client()?;
    let seed = [
        ("txamt", "10"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", "01234567890123"),
        ("txdtm", "2020-04-10 11:45:44"),
        ("mchid", "ZaMVg*****"),
    ];
    let key = "0E32A59A8B454940A2FF39**********";
    let trivial = ns_per_call(1_000_000, || {
        std::hint::black_box(std::hint::black_box(&client).config().base_url.len());
    });
    let sign = ns_per_call(200_000, || {
        std::hint::black_box(qfpay::sign::sign(
            std::hint::black_box(&seed),
            key,
            SignType::Md5,
        ));
    });
    Ok(format!(
        r#"{{"trivial_ns":{trivial:.2},"sign_sdk_ns":{sign:.1}}}"#
    ))
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn rss() -> Result<String, String> {
    let client = client()?;
    let mut failed = 0u32;
    for _ in 0..1000 {
        if client.create_payment(request()).await.is_err() {
            failed += 1;
        }
    }
    Ok(format!(r#"{{"rss_kb":{},"errors":{failed}}}"#, rss_kb()))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: f64| {
        args.get(i)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(default)
    };
    let out = match args.first().map(String::as_str) {
        Some("pay") => {
            pay(
                args.get(1).map_or("async64", String::as_str),
                num(2, 3.0),
                num(3, 1.0),
            )
            .await
        }
        Some("micro") => micro(),
        Some("rss") => rss().await,
        Some("transactions") => transactions::run(args.get(1).map_or("sdk", String::as_str)).await,
        _ => Err(
            "usage: qfpay-bench-rust pay CASE SECONDS WARMUP | micro | rss | transactions sdk|hand"
                .into(),
        ),
    };
    match out {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("qfpay-bench-rust: {e}");
            ExitCode::FAILURE
        }
    }
}
