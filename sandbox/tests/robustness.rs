//! Rate limiting, bad input, concurrency, the bounded log, and starting/stopping.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay_sandbox::{RateLimit, Sandbox, SandboxConfig};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn rate_limit_per_second_and_minute_per_app_code() {
    let sb = sandbox_with(|c| {
        c.rate_limit = Some(RateLimit {
            per_second: 5,
            per_minute: 8,
        });
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(call(&sb, "/trade/v1/query", APP, KEY, &[]).await.0);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    // Another app code has its own budget.
    assert_eq!(
        call(
            &sb,
            "/trade/v1/query",
            MCH_APP,
            MCH_KEY,
            &[("mchid", MCHID)]
        )
        .await
        .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(call(&sb, "/trade/v1/query", APP, KEY, &[]).await.0);
    }
    assert_eq!(statuses, [200, 200, 200, 429], "8 per minute");
    let r = http()
        .post(format!("{}/trade/v1/query", sb.base_url()))
        .header("X-QF-APPCODE", APP)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
}

#[tokio::test]
async fn documented_default_rate_limit() {
    assert_eq!(
        SandboxConfig::default().rate_limit,
        Some(RateLimit {
            per_second: 100,
            per_minute: 400
        })
    );
    let sb = sandbox_with(|c| c.rate_limit = Some(RateLimit::default())).await;
    let client = http();
    let mut tasks = Vec::new();
    for _ in 0..410 {
        let sig = qfpay::sign::sign::<&str, &str>(&[], KEY, qfpay::SignType::Md5);
        let req = client
            .post(format!("{}/trade/v1/query", sb.base_url()))
            .header("X-QF-APPCODE", APP)
            .header("X-QF-SIGN", sig);
        tasks.push(tokio::spawn(async move {
            req.send().await.unwrap().status().as_u16()
        }));
    }
    let mut ok = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.unwrap() {
            200 => ok += 1,
            429 => limited += 1,
            other => panic!("status {other}"),
        }
    }
    assert!((100..=400).contains(&ok), "ok {ok}");
    assert!(limited >= 10, "limited {limited}");
}

#[tokio::test]
async fn bad_input_never_breaks_it() {
    let sb = sandbox().await;
    let bodies: Vec<Vec<u8>> = vec![
        b"&&&===&%%%&=&a=%zz&%&b=%e4%b8".to_vec(),
        vec![0xff, 0xfe, b'=', 0x80, b'&', b'a', b'=', 0xc3],
        b"txamt=1&txamt=2&txamt".to_vec(),
        "txamt=\u{0}\u{1}&goods_name=\u{202e}".as_bytes().to_vec(),
        vec![b'a'; 100_000],
        Vec::new(),
    ];
    for body in bodies {
        let (st, v) = raw(
            &sb,
            "/trade/v1/payment",
            &[("X-QF-APPCODE", APP), ("X-QF-SIGN", "ABC")],
            body,
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(v["respcd"], "1108", "{v}");
    }
    // A properly signed but malformed form names the field.
    let (_, v) = call(&sb, "/trade/v1/payment", APP, KEY, &[("txamt", "\u{ff}")]).await;
    assert_eq!(v["respcd"], "1104");
    // Non-UTF-8 in a signed value: the signature is over the replacement, it still answers.
    let mut req = "POST /trade/v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nX-QF-SIGN: 00\r\nX-QF-APPCODE: ".as_bytes().to_vec();
    req.extend_from_slice(&[0xff, 0xfe, b'\r', b'\n', b'\r', b'\n']);
    req.extend_from_slice(&[0xff; 10]);
    let (st, _, body) = wire(&sb, &req).await;
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).contains("1108"));
    // Over 1 MiB → 413, declared or streamed.
    let (st, _) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP)],
        vec![b'a'; (1 << 20) + 1],
    )
    .await;
    assert_eq!(st, 413);
    {
        // Chunked, no Content-Length: the limit still holds.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", sb.port()))
            .await
            .unwrap();
        let head = format!(
            "POST /trade/v1/payment HTTP/1.1\r\nHost: x\r\nX-QF-APPCODE: {APP}\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let chunk = format!("{:x}\r\n{}\r\n", 100_000, "b".repeat(100_000));
        for _ in 0..12 {
            if s.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
        }
        let _ = s.write_all(b"0\r\n\r\n").await;
        let mut buf = vec![0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .unwrap()
            .unwrap_or(0);
        assert!(
            String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 413"),
            "{:?}",
            String::from_utf8_lossy(&buf[..n])
        );
    }
    // Exactly 1 MiB is read (and fails the signature).
    let (st, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP), ("X-QF-SIGN", "x")],
        vec![b'a'; 1 << 20],
    )
    .await;
    assert_eq!((st, v["respcd"].clone()), (200, "1108".into()));
    // Unknown paths and methods.
    for path in [
        "/",
        "/trade/v1/nope",
        "/trade/v2/payment",
        "/favicon.ico",
        "/%ff%fe",
    ] {
        let r = http()
            .get(format!("{}{}", sb.base_url(), path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let r = http()
        .get(format!("{}/trade/v1/payment", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    // Raw garbage on the socket.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", sb.port()))
            .await
            .unwrap();
        s.write_all(b"\x00\xff GARBAGE \r\n\r\n\r\n").await.unwrap();
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut buf)).await;
    }
    // Still healthy and consistent.
    let v = pay_req(&sb, "500", "800201").await;
    assert_eq!(v["respcd"], "0000");
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "1143");
}

#[tokio::test]
async fn many_concurrent_clients() {
    let sb = std::sync::Arc::new(sandbox().await);
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let sb = sb.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..15 {
                let v = pay_req(&sb, "500", "800201").await;
                assert_eq!(v["respcd"], "0000", "{v}");
                out.push(s(&v, "syssn"));
            }
            out
        }));
    }
    let mut all = HashSet::new();
    for t in tasks {
        for syssn in t.await.unwrap() {
            assert!(all.insert(syssn), "unique syssn");
        }
    }
    assert_eq!(all.len(), 600);
    let mut seen = 0;
    for page in 1..=6 {
        let v = query(&sb, &[("page", &page.to_string()), ("page_size", "100")]).await;
        seen += v["data"].as_array().unwrap().len();
    }
    assert_eq!(seen, 600);
}

#[tokio::test]
async fn request_log_is_bounded() {
    let sb = sandbox().await;
    let client = http();
    for _ in 0..1020 {
        client
            .post(format!("{}/trade/v1/query", sb.base_url()))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(sb.requests().len(), 1000);
    assert_eq!(sb.request_count(), 1020);
    assert_eq!(sb.requests()[0]["seq"], 21);
}

#[test]
fn start_background_without_a_runtime_and_shutdown() {
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    assert_eq!(sb.merchant().app_code, qfpay_sandbox::DEFAULT_APP_CODE);
    assert_eq!(sb.merchants().len(), 1);
    assert!(sb.base_url().ends_with(&sb.port().to_string()));
    // Use it from a plain thread with the blocking HTTP of a throwaway runtime.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let otn = unique("BG");
    let t = now();
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, qfpay_sandbox::DEFAULT_CLIENT_KEY, qfpay::SignType::Md5);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(p)
        .finish();
    let url = format!("{}/trade/v1/payment", sb.base_url());
    let text = rt.block_on(async {
        http()
            .post(url)
            .header("X-QF-APPCODE", qfpay_sandbox::DEFAULT_APP_CODE)
            .header("X-QF-SIGN", sig)
            .body(body)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert!(text.contains("\"respcd\":\"0000\""), "{text}");
    assert_eq!(sb.pay(&otn).unwrap()["respcd"], "0000");
    assert_eq!(sb.request_count(), 1);
    let port = sb.port();
    sb.shutdown();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "closed after shutdown"
    );
    // The port is free again.
    let again = Sandbox::start_background(SandboxConfig {
        port,
        ..SandboxConfig::default()
    })
    .unwrap();
    assert_eq!(again.port(), port);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_inside_another_runtime_is_clean() {
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    let port = sb.port();
    drop(sb);
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
    );
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let port = sb.port();
    drop(sb);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
    );
}

#[test]
fn port_in_use_is_an_error() {
    let sb = Sandbox::start_background(SandboxConfig::default()).unwrap();
    let err = Sandbox::start_background(SandboxConfig {
        port: sb.port(),
        ..SandboxConfig::default()
    });
    assert!(err.is_err());
}
