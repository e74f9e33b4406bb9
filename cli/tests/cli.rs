//! The built `qfpay` binary: demo, sandbox, sign, API commands and errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

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

#[test]
fn demo_runs_the_whole_story() {
    let dir = std::env::temp_dir().join(format!("qfpay-cli-test-{}", std::process::id()));
    let (code, out, err) = qfpay(&["demo", "--out-dir", dir.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    for needle in [
        "weixin://wxpay/bizpayurl?pr=",
        "verified its signature",
        "succeeded",
        "partially_refunded",
        "refund notification: verified",
        "/sandbox/ (open it while the demo runs)",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(
        !out.contains(qfpay_sandbox::DEFAULT_CLIENT_KEY),
        "the key is never printed"
    );
    let png = std::fs::read(dir.join("qfpay-demo-qr.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        std::fs::read_to_string(dir.join("qfpay-demo-qr.svg"))
            .unwrap()
            .contains("<svg")
    );
    let (code, out, _) = qfpay(&["demo", "--json", "--out-dir", dir.to_str().unwrap()], &[]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()),
        "{out}"
    );
}

struct Served {
    child: std::process::Child,
    line: serde_json::Value,
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

#[test]
fn sandbox_prints_one_json_line_and_serves_the_api_commands() {
    let s = serve(&[
        "--port",
        "0",
        "--merchant",
        "MYAPP:MYKEY:MYMCH",
        "--merchant",
        "OTHER:K2",
        "--rate-limit",
        "off",
    ]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"));
    assert_eq!(s.line["app_code"], "MYAPP");
    assert_eq!(s.line["client_key"], "MYKEY");
    assert_eq!(s.line["mchid"], "MYMCH");
    let env = [
        ("QFPAY_BASE_URL", base.as_str()),
        ("QFPAY_APP_CODE", "MYAPP"),
        ("QFPAY_CLIENT_KEY", "MYKEY"),
        ("QFPAY_MCHID", "MYMCH"),
    ];

    let (code, out, err) = qfpay(&["pay", "--amount", "300", "--json"], &env);
    assert_eq!(code, 0, "{out}{err}");
    let p: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(p["respcd"], "0000");
    let syssn = p["syssn"].as_str().unwrap().to_owned();
    let otn = p["out_trade_no"].as_str().unwrap().to_owned();

    let (code, out, _) = qfpay(&["query", "--syssn", &syssn], &env);
    assert_eq!(code, 0);
    assert!(out.contains("pending"), "{out}");
    let (code, out, _) = qfpay(&["close", "--out-trade-no", &otn, "--amount", "300"], &env);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("closed"));

    let (code, out, _) = qfpay(&["pay", "--amount", "1001", "--qr"], &env);
    assert_eq!(code, 0);
    assert!(out.contains("weixin://") && out.contains('█'), "{out}");
    let paid = out
        .lines()
        .find(|l| l.contains("syssn"))
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_owned();
    let (code, out, err) = qfpay(&["refund", "--syssn", &paid, "--amount", "1"], &env);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("refund accepted"));
    let (code, _, err) = qfpay(&["refund", "--syssn", &paid, "--amount", "5000"], &env);
    assert_eq!(code, 1);
    assert!(err.contains("1272"), "{err}");
    let (code, _, err) = qfpay(&["reverse", "--syssn", &paid, "--amount", "1001"], &env);
    assert_eq!(code, 1);
    assert!(err.contains("order_state"), "{err}");

    // A note: refused before sending for a merchant with an mchid; added for one without.
    let (code, _, err) = qfpay(&["note", "--syssn", &paid, "--note", "gift"], &env);
    assert_ne!(code, 0);
    assert!(err.contains("mchid"), "{err}");
    let other = [
        ("QFPAY_BASE_URL", base.as_str()),
        ("QFPAY_APP_CODE", "OTHER"),
        ("QFPAY_CLIENT_KEY", "K2"),
    ];
    let (code, out, err) = qfpay(&["pay", "--amount", "1001", "--json"], &other);
    assert_eq!(code, 0, "{out}{err}");
    let p: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let theirs = p["syssn"].as_str().unwrap().to_owned();
    let (code, out, err) = qfpay(
        &["note", "--syssn", &theirs, "--note", "gift wrap", "--json"],
        &other,
    );
    assert_eq!(code, 0, "{out}{err}");
    let n: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (n["syssn"].as_str(), n["note"].as_str()),
        (Some(theirs.as_str()), Some("gift wrap"))
    );
    let (code, _, err) = qfpay(&["note", "--syssn", &theirs, "--note", ""], &other);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("note"), "{err}");

    // A wrong key: the SDK's message, exit 1, key never printed.
    let bad = [
        ("QFPAY_BASE_URL", base.as_str()),
        ("QFPAY_APP_CODE", "MYAPP"),
        ("QFPAY_CLIENT_KEY", "SECRETWRONGKEY"),
        ("QFPAY_MCHID", "MYMCH"),
    ];
    let (code, out, err) = qfpay(&["query", "--syssn", &syssn], &bad);
    assert_eq!(code, 1);
    assert!(err.contains("1108") || err.contains("auth"), "{err}");
    assert!(!err.contains("SECRETWRONGKEY") && !out.contains("SECRETWRONGKEY"));
}

#[test]
fn sign_masks_the_key() {
    let (code, out, _) = qfpay(
        &[
            "sign",
            "--key",
            "abcd1234",
            "txamt=100",
            "txcurrcd=HKD",
            "mchid=ZaMVg12345",
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("mchid=ZaMVg12345&txamt=100&txcurrcd=HKD<client_key>"),
        "{out}"
    );
    assert!(out.contains("3CB3AA9C21D818AB4CAFAA8FA3FEACF4"), "{out}");
    assert!(!out.contains("abcd1234"));
    let (code, out, _) = qfpay(
        &[
            "sign",
            "--json",
            "--sign-type",
            "sha256",
            "txamt=100",
            "txcurrcd=HKD",
            "mchid=ZaMVg12345",
        ],
        &[("QFPAY_CLIENT_KEY", "abcd1234")],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v["signature"],
        "99D9F7174823928B74C74B1C7A7E1538DF733774DD21C9606A202CB8BB3D74E8"
    );
    assert_eq!(v["header"], "SHA256");
    assert!(!out.contains("abcd1234"));
}

#[test]
fn verify_notification() {
    let body = r#"{"status": "1", "notify_type": "payment", "out_trade_no": "ORDER0001", "goods_name": "\u5c0f\u6797"}"#;
    let path = std::env::temp_dir().join(format!("qfpay-note-{}.json", std::process::id()));
    std::fs::write(&path, body).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = qfpay(
        &[
            "verify-notification",
            "--body",
            p,
            "--signature",
            "460D0EC80EC99C885ECFFD44ADEDEED7",
            "--key",
            "abcd1234",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ORDER0001"));
    let (code, _, err) = qfpay(
        &[
            "verify-notification",
            "--body",
            p,
            "--signature",
            "460D0EC80EC99C885ECFFD44ADEDEED8",
            "--key",
            "abcd1234",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("signature"), "{err}");
    // From standard input.
    let mut child = Command::new(BIN)
        .args([
            "verify-notification",
            "--signature",
            "460d0ec80ec99c885ecffd44adedeed7",
            "--key",
            "abcd1234",
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["goods_name"], "小林");
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    let (code, _, _) = qfpay(&["pay"], &[]);
    assert_eq!(code, 2, "missing --amount");
    let (code, _, err) = qfpay(&["pay", "--amount", "300"], &[]);
    assert_eq!(code, 2, "no credentials: {err}");
    assert!(err.contains("QFPAY_APP_CODE"), "{err}");
    let env = [
        ("QFPAY_BASE_URL", "http://127.0.0.1:9"),
        ("QFPAY_APP_CODE", "A"),
        ("QFPAY_CLIENT_KEY", "K"),
    ];
    let (code, _, err) = qfpay(&["pay", "--amount", "-5"], &env);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = qfpay(&["pay", "--amount", "5", "--currency", "XXX"], &env);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = qfpay(&["pay", "--amount", "5", "--pay-type", "800208"], &env);
    assert_eq!(code, 2, "CPM without auth code: {err}");
    assert!(err.contains("auth_code"));
    let (code, _, _) = qfpay(&["sign", "--key", "k", "novalue"], &[]);
    assert_eq!(code, 2);
    let (code, _, _) = qfpay(&["sandbox", "--merchant", "bad"], &[]);
    assert_eq!(code, 2);
    // Nothing listens on port 9: a network error, exit 1.
    let (code, _, err) = qfpay(&["query", "--syssn", "1"], &env);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn checkout_url_builds_and_verifies_links_and_pay_takes_every_field() {
    let env = [
        ("QFPAY_BASE_URL", "http://127.0.0.1:9"),
        ("QFPAY_APP_CODE", "MYAPP"),
        ("QFPAY_CLIENT_KEY", "MYCHECKOUTKEY"),
    ];
    let (code, out, err) = qfpay(
        &[
            "checkout-url",
            "--json",
            "--amount",
            "300",
            "--return-url",
            "https://shop.example/back?order=1&x=2",
            "--failed-url",
            "https://shop.example/failed",
            "--notify-url",
            "https://shop.example/notify",
            "--goods-name",
            "Coffee",
            "--lang",
            "en",
            "--checkout-expired-time",
            "15",
        ],
        &env,
    );
    assert_eq!(code, 0, "{out}{err}");
    let link: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let url = link["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:9/checkstand/#/?appcode=MYAPP&"));
    assert!(url.contains("return_url=https%3A%2F%2Fshop.example%2Fback%3Forder%3D1%26x%3D2&"));
    assert_eq!(link["txamt"], 300);
    assert_eq!(link["params"]["checkout_expired_time"], "15");

    let (code, out, err) = qfpay(&["checkout-url", "--verify", &url], &env);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("checkout link verified"), "{out}");
    let wrong = [env[0], env[1], ("QFPAY_CLIENT_KEY", "SECRETWRONGKEY")];
    let (code, out, err) = qfpay(&["checkout-url", "--verify", &url], &wrong);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("QFSign_Error") && err.contains("(signature)"),
        "{err}"
    );
    assert!(!err.contains("SECRETWRONGKEY") && !out.contains("SECRETWRONGKEY"));
    let (code, _, err) = qfpay(
        &[
            "checkout-url",
            "--amount",
            "300",
            "--return-url",
            "https://shop.example/r",
            "--failed-url",
            "https://shop.example/f",
            "--notify-url",
            "https://shop.example/n",
            "--paysource",
            "remotepay",
        ],
        &env,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("paysource") && err.contains("_checkout"),
        "{err}"
    );

    // pay: every field is a flag, checked by the core before anything is sent.
    let (code, _, err) = qfpay(&["pay", "--amount", "300", "--pay-type", "800207"], &env);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sub_openid"), "{err}");
    let (code, _, err) = qfpay(
        &["pay", "--amount", "300", "--extra-params", "goods_name=x"],
        &env,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("extra_params.goods_name"), "{err}");

    let s = serve(&["--port", "0", "--rate-limit", "off"]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    let app = s.line["app_code"].as_str().unwrap().to_owned();
    let key = s.line["client_key"].as_str().unwrap().to_owned();
    let live = [
        ("QFPAY_BASE_URL", base.as_str()),
        ("QFPAY_APP_CODE", app.as_str()),
        ("QFPAY_CLIENT_KEY", key.as_str()),
    ];
    let (code, out, err) = qfpay(
        &[
            "pay",
            "--json",
            "--amount",
            "300",
            "--pay-type",
            "800207",
            "--sub-openid",
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "--goods-name",
            "Coffee",
            "--extra-params",
            "new_field=v1",
        ],
        &live,
    );
    assert_eq!(code, 0, "{out}{err}");
    let p: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(p["pay_type"], "800207");
    assert!(
        p["wechat_pay_params"]["package"]
            .as_str()
            .unwrap()
            .starts_with("prepay_id="),
        "{p}"
    );
    // PromptPay (in QFPay's own Postman collection) is accepted; a legacy code too, unless the
    // sandbox is strict.
    let thb = [
        "pay",
        "--amount",
        "300",
        "--currency",
        "THB",
        "--pay-type",
        "802901",
    ];
    let (code, out, err) = qfpay(&thb, &live);
    assert_eq!(code, 0, "{out}{err}");
    let myr = [
        "pay",
        "--amount",
        "300",
        "--currency",
        "MYR",
        "--pay-type",
        "804101",
    ];
    let (code, out, err) = qfpay(&myr, &live);
    assert_eq!(code, 0, "{out}{err}");
    let strict = serve(&["--port", "0", "--rate-limit", "off", "--strict-pay-types"]);
    let strict_base = strict.line["base_url"].as_str().unwrap().to_owned();
    let strict_env = [("QFPAY_BASE_URL", strict_base.as_str()), live[1], live[2]];
    let (code, out, err) = qfpay(&thb, &strict_env);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = qfpay(&myr, &strict_env);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("1104") && err.contains("pay_type"), "{err}");
}

/// `qfpay sandbox` with `env`, its JSON line and a reader of its stderr.
fn serve_with_stderr(
    args: &[&str],
    env: &[(&str, &str)],
) -> (Served, std::io::Lines<BufReader<std::process::ChildStderr>>) {
    let mut c = Command::new(BIN);
    c.arg("sandbox")
        .args(args)
        .env_remove("BROWSER")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let err = BufReader::new(child.stderr.take().unwrap()).lines();
    (
        Served {
            child,
            line: serde_json::from_str(&line).unwrap(),
        },
        err,
    )
}

/// A GET over a plain TCP connection: the status line and the body.
fn http_get(base: &str, path: &str) -> (String, String) {
    use std::io::Read;
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

#[test]
fn sandbox_prints_the_dashboard_url_and_serves_it() {
    let (s, mut err) = serve_with_stderr(&["--port", "0"], &[]);
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    assert_eq!(s.line["dashboard"], format!("{base}/sandbox/"));
    // The existing fields are still there.
    for k in ["base_url", "app_code", "client_key", "mchid", "merchants"] {
        assert!(s.line.get(k).is_some(), "{k}");
    }
    let said: Vec<String> = err.by_ref().take(2).map(Result::unwrap).collect();
    assert!(
        said.iter()
            .any(|l| l.starts_with(&format!("dashboard: {base}/sandbox/"))),
        "{said:?}"
    );
    let (status, body) = http_get(&base, "/sandbox/");
    assert!(status.contains(" 200 "), "{status}");
    assert!(body.contains("QFPay sandbox dashboard"));
}

#[test]
fn sandbox_open_uses_browser_and_never_fails() {
    let dir = std::env::temp_dir().join(format!("qfpay-cli-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opened = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (s, _err) = serve_with_stderr(
        &["--port", "0", "--open"],
        &[("BROWSER", script.to_str().unwrap())],
    );
    let dashboard = s.line["dashboard"].as_str().unwrap().to_owned();
    let mut got = String::new();
    for _ in 0..100 {
        got = std::fs::read_to_string(&opened).unwrap_or_default();
        if !got.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(got.trim(), dashboard);
    drop(s);

    // No browser at all: a note, and the sandbox serves anyway.
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let (s, mut err) = serve_with_stderr(
        &["--port", "0", "--open"],
        &[("PATH", empty.to_str().unwrap())],
    );
    let note: Vec<String> = err.by_ref().take(3).map(Result::unwrap).collect();
    assert!(
        note.iter().any(|l| l.contains("--open: no browser found")),
        "{note:?}"
    );
    let base = s.line["base_url"].as_str().unwrap().to_owned();
    let (status, _) = http_get(&base, "/sandbox/health");
    assert!(status.contains(" 200 "), "{status}");
    drop(s);
    std::fs::remove_dir_all(&dir).ok();
}
