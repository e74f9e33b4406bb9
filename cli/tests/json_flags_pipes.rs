//! `--json` prints the SDK's model and structured errors; `sandbox pay`, `sandbox orders`
//! and `wait`; `--base-url` / `--app-code`; the exclusive `--syssn | --out-trade-no`; a closed
//! pipe ends quietly; `QFPAY_LOG`; the sandbox's documented default rate limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_qfpay");

fn qfpay(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(BIN);
    c.args(args);
    for k in [
        "QFPAY_APP_CODE",
        "QFPAY_CLIENT_KEY",
        "QFPAY_BASE_URL",
        "QFPAY_ENV",
        "QFPAY_MCHID",
        "QFPAY_SIGN_TYPE",
        "QFPAY_LOG",
        "QFPAY_PROXY",
    ] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

struct Served {
    child: std::process::Child,
    line: Value,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    let mut child = Command::new(BIN)
        .arg("sandbox")
        .args(args)
        .env_remove("QFPAY_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    Served {
        child,
        line: serde_json::from_str(&line).unwrap(),
    }
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

#[test]
fn json_is_the_sdk_model_and_errors_name_their_order() {
    let s = serve(&["--rate-limit", "off"]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    let app = s.line["app_code"].as_str().unwrap().to_owned();
    let key = s.line["client_key"].as_str().unwrap().to_owned();
    // Only the key in the environment; where and who come from flags.
    let env = [("QFPAY_CLIENT_KEY", key.as_str())];
    let flags = ["--base-url", base.as_str(), "--app-code", app.as_str()];
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(&flags);
        qfpay(&all, &env)
    };

    let (code, out, err) = run(&["pay", "--amount", "300", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let p = json_of(&out);
    assert_eq!(p["txamt"], 300, "an integer amount: {p}");
    assert_eq!(p["txcurrcd"], "HKD");
    assert_eq!(p["pay_type"], "800201");
    assert!(p["qrcode"].as_str().unwrap().starts_with("weixin://"));
    assert_eq!(p["raw"]["txamt"], "300", "raw keeps QFPay's string");
    let otn = p["out_trade_no"].as_str().unwrap().to_owned();

    let (code, out, _) = run(&["query", "--out-trade-no", &otn, "--json"]);
    assert_eq!(code, 0);
    let q = json_of(&out);
    assert_eq!(q["data"][0]["state"], "pending", "{q}");
    assert_eq!(q["data"][0]["txamt"], 300);
    assert_eq!(q["data"][0]["is_paid"], false);

    // The customer's scan through the running sandbox's control API, then wait.
    let (code, out, err) = run(&["sandbox", "pay", &otn]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("paid") && out.contains(&otn), "{out}");
    let (code, out, err) = run(&["wait", &otn, "--json", "--timeout", "10"]);
    assert_eq!(code, 0, "{out}{err}");
    let w = json_of(&out);
    assert_eq!(w["state"], "succeeded", "{w}");
    assert_eq!(w["txamt"], 300);
    let syssn = w["syssn"].as_str().unwrap().to_owned();
    let (code, out, _) = run(&["wait", &otn]);
    assert_eq!(code, 0);
    assert!(out.contains("succeeded"), "{out}");

    // Errors as {"code", "message", "respcd", "out_trade_no", "syssn"}.
    let (code, out, err) = run(&[
        "refund",
        "--syssn",
        &syssn,
        "--amount",
        "5000",
        "--out-trade-no",
        "R-TOO-MUCH",
        "--json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let e = json_of(&out);
    for k in ["code", "message", "respcd", "out_trade_no", "syssn"] {
        assert!(e.get(k).is_some(), "{k} missing: {e}");
    }
    assert_eq!(e["respcd"], "1272", "{e}");
    assert_eq!(e["out_trade_no"], "R-TOO-MUCH", "{e}");
    assert!(e["message"].as_str().unwrap().contains("R-TOO-MUCH"), "{e}");
    let (code, out, _) = run(&["pay", "--amount", "300", "--out-trade-no", &otn, "--json"]);
    assert_eq!(code, 1);
    let e = json_of(&out);
    assert_eq!(e["code"], "duplicate_order", "{e}");
    assert_eq!(e["out_trade_no"], otn.as_str());
    assert_eq!(e["respcd"], "1251");
    // A usage error in JSON too, exit 2.
    let (code, out, _) = run(&["wait", &otn, "--timeout=-1", "--json"]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(json_of(&out)["code"], "validation");

    // The sandbox's orders, as the fault soaks compare against.
    let (code, out, _) = run(&["sandbox", "orders", "--json"]);
    assert_eq!(code, 0);
    let o = json_of(&out);
    let orders = o["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1, "{o}");
    assert_eq!(orders[0]["state"], "succeeded");
    assert_eq!(orders[0]["txamt"], 300);
    let (code, out, _) = run(&["sandbox", "orders"]);
    assert_eq!(code, 0);
    assert!(out.contains("1 order(s)") && out.contains(&otn), "{out}");
    // Paying an unknown order: not found, exit 1; no sandbox there: a clear message.
    let (code, _, err) = run(&["sandbox", "pay", "NOPE"]);
    assert_eq!(code, 1);
    assert!(err.contains("NOPE"), "{err}");
    let (code, _, err) = qfpay(
        &["sandbox", "pay", "X", "--base-url", "http://127.0.0.1:9"],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("cannot reach the sandbox"), "{err}");
    let (code, _, err) = qfpay(&["sandbox", "pay", "X"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("--base-url"), "{err}");

    // --base-url wins over QFPAY_BASE_URL.
    let env2 = [
        ("QFPAY_CLIENT_KEY", key.as_str()),
        ("QFPAY_APP_CODE", "WRONG"),
        ("QFPAY_BASE_URL", "http://127.0.0.1:9"),
    ];
    let (code, out, err) = qfpay(
        &[
            "query",
            "--syssn",
            &syssn,
            "--base-url",
            &base,
            "--app-code",
            &app,
        ],
        &env2,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("succeeded"));
}

#[test]
fn syssn_and_out_trade_no_are_one_exclusive_group() {
    let env = [
        ("QFPAY_BASE_URL", "http://127.0.0.1:9"),
        ("QFPAY_APP_CODE", "A"),
        ("QFPAY_CLIENT_KEY", "K"),
    ];
    for cmd in ["close", "reverse"] {
        let (code, _, err) = qfpay(
            &[cmd, "--syssn", "1", "--out-trade-no", "2", "--amount", "1"],
            &env,
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be used with"), "{err}");
        let (code, _, err) = qfpay(&[cmd, "--amount", "1"], &env);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("--syssn") && err.contains("--out-trade-no"),
            "{err}"
        );
    }
}

#[test]
fn help_says_where_credentials_and_logging_come_from() {
    let (code, out, _) = qfpay(&["--help"], &[]);
    assert_eq!(code, 0);
    for needle in [
        "QFPAY_APP_CODE",
        "QFPAY_CLIENT_KEY",
        "QFPAY_BASE_URL",
        "QFPAY_ENV",
        "QFPAY_LOG",
        "--base-url",
        "--app-code",
        "wait",
    ] {
        assert!(out.contains(needle), "{needle} missing from --help:\n{out}");
    }
    let (code, out, _) = qfpay(&["sandbox", "--help"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("pay") && out.contains("orders") && out.contains("--rate-limit"),
        "{out}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["demo"][..],
        &["demo", "--json"][..],
        &["sign", "--key", "k", "a=1"][..],
    ] {
        let mut child = Command::new(BIN)
            .args(args)
            .env_remove("QFPAY_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, then close our end (what `| head -1` does).
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn qfpay_log_writes_sdk_events_to_stderr_without_colour() {
    let s = serve(&["--rate-limit", "off"]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    let app = s.line["app_code"].as_str().unwrap().to_owned();
    let key = s.line["client_key"].as_str().unwrap().to_owned();
    let mut env = vec![
        ("QFPAY_BASE_URL", base.as_str()),
        ("QFPAY_APP_CODE", app.as_str()),
        ("QFPAY_CLIENT_KEY", key.as_str()),
    ];
    let (code, _, err) = qfpay(&["pay", "--amount", "300"], &env);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "nothing without QFPAY_LOG: {err}");
    env.push(("QFPAY_LOG", "debug"));
    let (code, _, err) = qfpay(&["pay", "--amount", "300"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("/trade/v1/payment"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no ANSI colours into a pipe: {err:?}"
    );
    assert!(!err.contains(&key), "the key is never logged");
    env.pop();
    env.push(("QFPAY_LOG", "qfpay=trace"));
    let (code, _, err) = qfpay(&["pay", "--amount", "300"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("/trade/v1/payment") && !err.contains(&key),
        "{err}"
    );
    env.pop();
    env.push(("QFPAY_LOG", "qfpay=nonsense[["));
    let (code, _, err) = qfpay(&["pay", "--amount", "300"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("QFPAY_LOG"), "a bad filter is reported: {err}");
}

#[test]
fn the_sandbox_command_keeps_the_documented_rate_limit_by_default() {
    let s = serve(&[]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    let (code, out, _) = qfpay(&["sandbox", "orders", "--base-url", &base], &[]);
    assert_eq!(code, 0, "{out}");
    let health = reqwest_get(&format!("{base}/sandbox/health"));
    assert_eq!(health["rate_limit"]["per_second"], 100, "{health}");
    assert_eq!(health["rate_limit"]["per_minute"], 400, "{health}");
    let d = qfpay_sandbox::SandboxConfig::default().rate_limit.unwrap();
    assert_eq!((d.per_second, d.per_minute), (100, 400));
}

fn reqwest_get(url: &str) -> Value {
    use std::io::{Read, Write};
    let u = url.strip_prefix("http://").unwrap();
    let (host, path) = u.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    serde_json::from_str(&buf[buf.find("\r\n\r\n").unwrap() + 4..]).unwrap()
}
