//! The checkout page in a real headless Chromium (Debian's package), when one is installed:
//! the page's script reads the link from `location.hash`, the session verifies it under the
//! page's Content-Security-Policy, and the order is shown. Skipped (with a note) without
//! Chromium; `QFPAY_REQUIRE_BROWSER=1` makes its absence a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use qfpay::checkout::CheckoutRequest;
use qfpay::{Currency, Money, SignType};

/// One browser at a time: three headless Chromiums at once on a two-core machine made a run
/// miss its deadlines.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn chromium() -> Option<std::path::PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| {
            std::env::var_os("PATH")
                .map(|p| {
                    std::env::split_paths(&p)
                        .map(|d| d.join(name))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .find(|p| p.is_file());
    if found.is_none() && std::env::var_os("QFPAY_REQUIRE_BROWSER").is_some() {
        panic!("QFPAY_REQUIRE_BROWSER is set but no Chromium is installed");
    }
    found
}

/// Runs a program to its end (at most 120 s), returning whether it succeeded and its stdout.
async fn run(program: &std::path::Path, args: &[String]) -> (bool, String) {
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let mut waited = 0;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if waited > 120_000 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} did not finish in 120 s", program.display());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 50;
    };
    (status.success(), reader.join().unwrap())
}

async fn dump_dom(browser: &std::path::Path, url: &str) -> String {
    let profile = std::env::temp_dir().join(unique("qfpay-sandbox-chromium-"));
    let args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--virtual-time-budget=5000",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .chain([
        format!("--user-data-dir={}", profile.display()),
        "--dump-dom".to_owned(),
        url.to_owned(),
    ])
    .collect();
    let (_, out) = run(browser, &args).await;
    let _ = std::fs::remove_dir_all(&profile);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_page_renders_the_verified_order_and_the_signature_error() {
    let Some(browser) = chromium() else {
        eprintln!("no Chromium installed: skipping the browser test");
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let sb = sandbox().await;
    let mut req = CheckoutRequest::new(
        Money::new(1234, Currency::HKD),
        "https://shop.example/return?order=1&lang=en",
        "https://shop.example/failed",
        "https://shop.example/notify",
    );
    req.goods_name = Some("Green <b>tea</b>".into());
    let otn = unique("B");
    let good = qfpay::checkout::build(
        &sb.base_url(),
        APP,
        KEY,
        SignType::Sha256,
        &req,
        &otn,
        &now(),
    )
    .unwrap();
    let dom = dump_dom(&browser, &good.url).await;
    assert!(dom.contains("HKD 12.34"), "{dom}");
    assert!(dom.contains("(1234 minor units)"), "{dom}");
    assert!(
        dom.contains("Green &lt;b&gt;tea&lt;/b&gt;"),
        "set as text: {dom}"
    );
    assert!(dom.contains(&otn), "{dom}");
    assert!(dom.contains("Choose how to pay."), "{dom}");

    let bad = qfpay::checkout::build(
        &sb.base_url(),
        APP,
        "WRONG",
        SignType::Sha256,
        &req,
        &unique("B"),
        &now(),
    )
    .unwrap();
    let dom = dump_dom(&browser, &bad.url).await;
    assert!(dom.contains("QFSign_Error: "), "{dom}");
    assert!(!dom.contains("Choose how to pay."), "{dom}");
}

fn node() -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("node"))
            .find(|p| p.is_file())
    })
}

async fn click(
    node: &std::path::Path,
    browser: &std::path::Path,
    url: &str,
    button: &str,
    expected: &str,
    pre: Option<&str>,
) -> String {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/cdp_click.js");
    let mut args = vec![
        script.display().to_string(),
        browser.display().to_string(),
        url.to_owned(),
        button.to_owned(),
        expected.to_owned(),
    ];
    if let Some(p) = pre {
        args.push(p.to_owned());
    }
    let (ok, out) = run(node, &args).await;
    assert!(ok, "the browser run failed: {out}");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_browser_pays_from_the_sdk_link_to_the_verified_notification() {
    let (Some(browser), Some(node)) = (chromium(), node()) else {
        eprintln!("no Chromium or no Node.js: skipping the browser test");
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let (shop, got) = shop().await;
    let sb = sandbox().await;
    let req = CheckoutRequest::new(
        Money::new(2500, Currency::HKD),
        format!("{shop}/return?order=7&lang=en"),
        format!("{shop}/failed"),
        format!("{shop}/notify"),
    );
    let otn = unique("R");
    let link = qfpay::checkout::build(&sb.base_url(), APP, KEY, SignType::Md5, &req, &otn, &now())
        .unwrap();
    let out = click(
        &node,
        &browser,
        &link.url,
        "pay",
        &format!("{shop}/return"),
        Some("wallet-card"),
    )
    .await;
    assert!(
        out.contains(&format!("{shop}/return?order=7&lang=en")),
        "{out}"
    );
    for _ in 0..300 {
        if !got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (headers, body) = got.lock().unwrap().first().cloned().expect("notified");
    let n = qfpay::notify::verify(&body, headers["x-qf-sign"].to_str().unwrap(), KEY).unwrap();
    assert_eq!(n.out_trade_no, otn);
    assert_eq!(n.txamt, 2500);
    assert_eq!(n.respcd, "0000");
    assert_eq!(n.pay_type.code(), "802801", "the card chosen on the page");

    // Fail goes to failed_url and leaves the order failed.
    let otn = unique("R");
    let link = qfpay::checkout::build(&sb.base_url(), APP, KEY, SignType::Md5, &req, &otn, &now())
        .unwrap();
    let out = click(
        &node,
        &browser,
        &link.url,
        "fail",
        &format!("{shop}/failed"),
        None,
    )
    .await;
    assert!(out.contains("/failed"), "{out}");
    let order = sb
        .orders()
        .into_iter()
        .find(|o| o["out_trade_no"] == otn.as_str())
        .unwrap();
    assert_eq!(order["state"], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_browser_pays_through_q_direct() {
    let (Some(browser), Some(node)) = (chromium(), node()) else {
        eprintln!("no Chromium or no Node.js: skipping the browser test");
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let (shop, got) = shop().await;
    let sb = sandbox().await;
    let otn = unique("J");
    let t = now();
    let notify = format!("{shop}/notify");
    let (_, v) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "880"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800207"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
            ("sub_openid", "oSANDBOXUSER"),
            ("notify_url", &notify),
        ],
    )
    .await;
    let pp = &v["pay_params"];
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("mchntnm", "Sandbox Shop")
        .append_pair("txamt", "880")
        .append_pair("currency", "HKD")
        .append_pair("goods_name", "Tea")
        .append_pair("redirect_url", &format!("{shop}/return?paid=1"));
    for k in [
        "package",
        "timeStamp",
        "signType",
        "paySign",
        "appId",
        "nonceStr",
    ] {
        q.append_pair(k, pp[k].as_str().unwrap());
    }
    let url = format!("{}/q/direct?{}", sb.base_url(), q.finish());
    let out = click(
        &node,
        &browser,
        &url,
        "pay",
        &format!("{shop}/return?paid=1"),
        None,
    )
    .await;
    assert!(out.contains("/return?paid=1"), "{out}");
    for _ in 0..300 {
        if !got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (headers, body) = got.lock().unwrap().first().cloned().expect("notified");
    let n = qfpay::notify::verify(&body, headers["x-qf-sign"].to_str().unwrap(), KEY).unwrap();
    assert_eq!(n.out_trade_no, otn);
    assert_eq!(n.pay_type.code(), "800207");
}
