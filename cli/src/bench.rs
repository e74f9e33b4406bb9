//! `qfpay bench-sandbox`: payment creations per second on an embedded sandbox, over
//! keep-alive connections on loopback, with raw HTTP/1.1 clients so the client costs little.

use std::time::{Duration, Instant};

use clap::Args;
use qfpay::SignType;
use qfpay_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::Failure;

/// `qfpay bench-sandbox` options.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How long to measure.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Warm-up before measuring, in seconds.
    #[arg(long, default_value_t = 1)]
    pub warmup: u64,
}

fn request(port: u16, app: &str, key: &str, conn: usize, n: u64) -> Vec<u8> {
    let otn = format!("B{conn}x{n}");
    let params = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", "2026-01-15 11:45:44"),
    ];
    let sig = qfpay::sign::sign(&params, key, SignType::Md5);
    let body = format!(
        "txamt=300&txcurrcd=HKD&pay_type=800201&out_trade_no={otn}&txdtm=2026-01-15+11%3A45%3A44"
    );
    format!(
        "POST /trade/v1/payment HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nX-QF-APPCODE: {app}\r\nX-QF-SIGN: {sig}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response; returns whether it was a `0000`.
async fn read_response(s: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = &buf[..end];
            let len = std::str::from_utf8(head)
                .ok()
                .and_then(|h| {
                    h.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        if k.eq_ignore_ascii_case("content-length") {
                            v.trim().parse::<usize>().ok()
                        } else {
                            None
                        }
                    })
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = &buf[end + 4..end + 4 + len];
            return Ok(body.windows(15).any(|w| w == b"\"respcd\":\"0000\""));
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Runs the benchmark.
pub async fn run(a: BenchArgs, json: bool) -> Result<(), Failure> {
    if a.connections == 0 || a.seconds == 0 {
        return Err(Failure::usage(
            "--connections and --seconds must be at least 1",
        ));
    }
    let sb = Sandbox::start_background(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .map_err(|e| Failure::other(format!("cannot start the sandbox: {e}")))?;
    let port = sb.port();
    let app = sb.merchant().app_code.clone();
    let key = sb.merchant().client_key.clone();
    let warmup_end = Instant::now() + Duration::from_secs(a.warmup);
    let end = warmup_end + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    for conn in 0..a.connections {
        let (app, key) = (app.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            s.set_nodelay(true)?;
            let mut lat = Vec::with_capacity(1 << 16);
            let (mut ok, mut failed) = (0u64, 0u64);
            let mut buf = Vec::with_capacity(2048);
            let mut n = 0u64;
            loop {
                let req = request(port, &app, &key, conn, n);
                n += 1;
                let t0 = Instant::now();
                if t0 >= end {
                    break;
                }
                s.write_all(&req).await?;
                let good = read_response(&mut s, &mut buf).await?;
                if t0 >= warmup_end {
                    lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
                    if good { ok += 1 } else { failed += 1 }
                }
            }
            Ok::<_, std::io::Error>((ok, failed, lat))
        }));
    }
    let (mut ok, mut failed, mut lat) = (0u64, 0u64, Vec::new());
    for t in tasks {
        match t.await {
            Ok(Ok((o, f, l))) => {
                ok += o;
                failed += f;
                lat.extend(l);
            }
            Ok(Err(e)) => return Err(Failure::other(format!("a connection failed: {e}"))),
            Err(e) => return Err(Failure::other(format!("a client task failed: {e}"))),
        }
    }
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
        f64::from(lat[i.min(lat.len() - 1)]) / 1000.0
    };
    let rps = ok as f64 / a.seconds as f64;
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    if json {
        crate::output::line(&format!(
            "{}",
            serde_json::json!({"payments_per_second": rps.round(), "created": ok, "failed": failed, "seconds": a.seconds, "connections": a.connections, "cores": cores,
                "latency_ms": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": pct(1.0)}})
        ));
    } else {
        crate::output::line(
            "sandbox payment creations (POST /trade/v1/payment, 800201, keep-alive, loopback)",
        );
        crate::output::line(&format!(
            "  connections: {}   duration: {} s   cores: {cores}",
            a.connections, a.seconds
        ));
        crate::output::line(&format!("  created:     {ok}   failed: {failed}"));
        crate::output::line(&format!("  throughput:  {rps:.0} payments/s"));
        crate::output::line(&format!(
            "  latency ms:  p50 {:.2}   p90 {:.2}   p99 {:.2}   max {:.2}",
            pct(0.5),
            pct(0.9),
            pct(0.99),
            pct(1.0)
        ));
    }
    drop(sb);
    if failed > 0 {
        return Err(Failure::other(format!(
            "{failed} requests did not answer 0000"
        )));
    }
    Ok(())
}
