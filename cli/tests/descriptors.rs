//! The sandbox keeps answering at the usual open-file limit: it raises its soft limit to the
//! hard one at start, and keeps its connection cap below the descriptors it has, so a flood of
//! connections gets 503s and the health check an answer instead of hanging in the backlog.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_qfpay");

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `qfpay sandbox` under `ulimit` settings given as a shell fragment; its base URL.
fn serve_limited(ulimit: &str) -> (Served, String) {
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{ulimit} && exec \"$0\" sandbox --port 0 --rate-limit off"
        ))
        .arg(BIN)
        .env_remove("QFPAY_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let base = v["base_url"].as_str().unwrap().to_owned();
    (Served(child), base)
}

/// `GET /sandbox/health` on a new connection: the status line's code and the body, or the
/// error when nothing came back within 5 s.
fn health(base: &str) -> Result<(u16, String), String> {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET /sandbox/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)
        .map_err(|e| format!("no answer: {e}"))?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status line: {text:?}"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((code, body))
}

fn max_connections(base: &str) -> u64 {
    let (code, body) = health(base).unwrap();
    assert_eq!(code, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["max_connections"].as_u64().unwrap()
}

#[test]
fn a_flood_at_the_open_file_limit_gets_answers_not_silence() {
    // Soft and hard limit 256: the cap must fit under it.
    let (_s, base) = serve_limited("ulimit -n 256");
    let cap = max_connections(&base);
    assert!(
        cap < 256 - 64,
        "cap {cap} leaves no room under 256 descriptors"
    );
    let host = base.trim_start_matches("http://").to_owned();
    // Far more connections than the sandbox has descriptors; each sends nothing and waits.
    let flood: Vec<TcpStream> = (0..400)
        .filter_map(|_| TcpStream::connect(&host).ok())
        .collect();
    assert!(
        flood.len() > 300,
        "the test could open only {}",
        flood.len()
    );
    // A new connection is dealt with at once: answered (503 while over the cap, 200 once a
    // slot is free) or, while 64 others are being answered 503, closed; never left silent in
    // the backlog (before: no answer at all, for as long as the flood lasted).
    match health(&base) {
        Ok((code, body)) => assert!(code == 503 || code == 200, "{code}: {body}"),
        Err(e) => assert!(
            !e.contains("timed out")
                && !e.contains("would block")
                && !e.contains("Resource temporarily unavailable"),
            "health was left without an answer: {e}"
        ),
    }
    drop(flood);
    // And once the flood is gone, the API answers normally again.
    let mut answered = None;
    for _ in 0..50 {
        if let Ok((200, body)) = health(&base) {
            answered = Some(body);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        answered.is_some(),
        "health never answered 200 after the flood"
    );
}

/// The sandbox process's open-file limits (soft, hard), from `/proc/<pid>/limits`.
fn open_file_limits(pid: u32) -> (String, String) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .to_owned();
    let mut words = line.split_whitespace().skip(3);
    (
        words.next().unwrap().to_owned(),
        words.next().unwrap().to_owned(),
    )
}

#[test]
fn the_soft_limit_is_raised_to_the_hard_one() {
    // A soft limit of 256 under a higher hard limit: the sandbox raises its own soft limit to
    // the hard one, and its cap is not squeezed under 256.
    let (s, base) = serve_limited("ulimit -S -n 256");
    let (soft, hard) = open_file_limits(s.0.id());
    assert_eq!(soft, hard, "the soft limit was not raised");
    let cap = max_connections(&base);
    match hard.parse::<u64>() {
        Ok(h) if h >= 2048 => assert_eq!(cap, 1024, "hard limit {h}"),
        Ok(h) => assert!(cap < h, "cap {cap} over the hard limit {h}"),
        Err(_) => assert_eq!(cap, 1024, "hard limit {hard}"),
    }
}
