//! The hosted checkout (`/checkstand/`) over HTTP: links built by the SDK verified (or
//! refused with QFPay's `QFSign_Error` reason), one order per link, pay / fail / cancel with
//! their redirects and the notification, and expiry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use qfpay::checkout::{CheckoutExpiry, CheckoutLink, CheckoutRequest};
use qfpay::{Currency, Money, SignType};
use qfpay_sandbox::Sandbox;
use serde_json::{Value, json};

fn request(notify: &str) -> CheckoutRequest {
    let mut r = CheckoutRequest::new(
        Money::new(1234, Currency::HKD),
        "https://shop.example/return?order=1&lang=en",
        "https://shop.example/failed",
        notify,
    );
    r.goods_name = Some("Green tea".into());
    r
}

fn link(sb: &Sandbox, key: &str, req: &CheckoutRequest, otn: &str) -> CheckoutLink {
    qfpay::checkout::build(&sb.base_url(), APP, key, SignType::Sha256, req, otn, &now()).unwrap()
}

/// What the page's script posts: the query text after `#/?`.
async fn open(sb: &Sandbox, url: &str) -> Value {
    let query = url.split_once("#/?").map_or(url, |(_, q)| q);
    let (status, v) = page_post(sb, "/checkstand/session", json!({ "query": query })).await;
    assert_eq!(status, 200);
    v
}

#[tokio::test]
async fn page_and_assets_are_served_with_a_strict_policy() {
    let sb = sandbox().await;
    let r = http()
        .get(format!("{}/checkstand/", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = r.text().await.unwrap();
    for id in [
        "id=\"pay\"",
        "id=\"fail\"",
        "id=\"cancel\"",
        "name=\"viewport\"",
    ] {
        assert!(page.contains(id), "{id}");
    }
    assert!(page.contains("src=\"/checkstand/assets/pages.js\""));
    assert!(!page.contains("<script>"), "no inline script");
    let js = http()
        .get(format!("{}/checkstand/assets/pages.js", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    let js = js.text().await.unwrap();
    assert!(js.contains("textContent") && !js.contains("innerHTML"));
    let r = http()
        .post(format!("{}/checkstand/session", sb.base_url()))
        .header("Origin", "http://evil.example")
        .header("Content-Type", "application/json")
        .body("{\"query\":\"\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn verified_link_opens_one_order_and_bad_ones_show_the_reason() {
    let sb = sandbox().await;
    let otn = unique("C");
    let req = request("https://shop.example/notify");
    let good = link(&sb, KEY, &req, &otn);
    let v = open(&sb, &good.url).await;
    assert_eq!(v["ok"], true, "{v}");
    let o = &v["order"];
    assert_eq!(o["txamt"], 1234);
    assert_eq!(o["amount"], "12.34");
    assert_eq!(o["currency"], "HKD");
    assert_eq!(o["goods_name"], "Green tea");
    assert_eq!(o["out_trade_no"], otn.as_str());
    assert_eq!(o["state"], "pending");
    // The same link again: the same order, not a second one.
    let again = open(&sb, &good.url).await;
    assert_eq!(again["order"]["syssn"], o["syssn"]);
    assert_eq!(
        sb.orders()
            .iter()
            .filter(|x| x["out_trade_no"] == otn.as_str())
            .count(),
        1
    );
    // Another link (another amount) with the same out_trade_no: 1251.
    let mut other = req.clone();
    other.amount = Money::new(999, Currency::HKD);
    let v = open(&sb, &link(&sb, KEY, &other, &otn).url).await;
    assert_eq!(
        (v["ok"].clone(), v["error"].clone()),
        (json!(false), json!("1251")),
        "{v}"
    );

    // A wrong key.
    let v = open(&sb, &link(&sb, "NOT-THE-KEY", &req, &unique("C")).url).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"], "QFSign_Error");
    assert!(s(&v, "reason").starts_with("QFSign_Error"), "{v}");

    // Signed over encoded values (the integrators' mistake).
    let bad = link(&sb, KEY, &req, &unique("C"));
    let unsigned: Vec<(String, String)> = bad
        .params
        .iter()
        .filter(|(k, _)| k != "sign")
        .map(|(k, v)| (k.clone(), qfpay::checkout::encode_component(v)))
        .collect();
    let wrong = qfpay::checkout::signature(&unsigned, KEY, SignType::Sha256);
    let url = format!(
        "{}{wrong}",
        bad.url.rsplit_once("sign=").unwrap().0.to_owned() + "sign="
    );
    let v = open(&sb, &url).await;
    assert_eq!(v["ok"], false);
    assert!(s(&v, "reason").contains("percent-encoded"), "{v}");

    // A value left unencoded in the link: its & splits it.
    let raw_url = bad.url.replace(
        &qfpay::checkout::encode_component("https://shop.example/return?order=1&lang=en"),
        "https://shop.example/return?order=1&lang=en",
    );
    let v = open(&sb, &raw_url).await;
    assert_eq!(v["ok"], false);
    assert!(s(&v, "reason").starts_with("QFSign_Error"), "{v}");

    // Unknown appcode, and garbage.
    let v = open(&sb, "appcode=NOPE&sign=00").await;
    assert_eq!(v["error"], "QFSign_Error");
    let v = open(&sb, "").await;
    assert_eq!(v["error"], "QFSign_Error");
    assert_eq!(
        sb.orders().len(),
        1,
        "only the verified link made an order: {:?}",
        sb.orders()
    );
}

#[tokio::test]
async fn pay_notifies_with_a_valid_signature_and_redirects() {
    let (shop, got) = shop().await;
    let notify = format!("{shop}/notify");
    let sb = sandbox().await;
    let otn = unique("C");
    let url = link(&sb, KEY, &request(&notify), &otn).url;
    let v = open(&sb, &url).await;
    let syssn = s(&v["order"], "syssn");
    let (st, a) = act(&sb, &syssn, json!({"action": "pay", "wallet": "alipay"})).await;
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["state"], "succeeded");
    assert_eq!(a["redirect"], "https://shop.example/return?order=1&lang=en");
    let (headers, body) = first_notification(&got).await;
    let sig = headers["x-qf-sign"].to_str().unwrap();
    let n = qfpay::notify::verify(&body, sig, KEY).unwrap();
    assert_eq!(n.out_trade_no, otn);
    assert_eq!(n.txamt, 1234);
    assert_eq!(n.respcd, "0000");
    let rec = record(&sb, &syssn).await;
    assert_eq!(rec["pay_type"], "801514", "the wallet chosen: {rec}");
    assert_eq!(rec["respcd"], "0000");
    // Reopening the paid link shows it paid, with nothing to pay.
    let v = open(&sb, &url).await;
    assert_eq!(v["order"]["state"], "succeeded", "{v}");
    assert_eq!(v["order"]["syssn"], syssn.as_str());
}

#[tokio::test]
async fn fail_and_cancel_redirect() {
    let sb = sandbox().await;
    let mut req = request("https://shop.example/notify");
    let v = open(&sb, &link(&sb, KEY, &req, &unique("C")).url).await;
    let (_, a) = act(&sb, &s(&v["order"], "syssn"), json!({"action": "fail"})).await;
    assert_eq!(a["state"], "failed", "{a}");
    assert_eq!(a["redirect"], "https://shop.example/failed");

    // Cancel without a cancel_url goes to failed_url; with one, there.
    let v = open(&sb, &link(&sb, KEY, &req, &unique("C")).url).await;
    let (_, a) = act(&sb, &s(&v["order"], "syssn"), json!({"action": "cancel"})).await;
    assert_eq!(a["state"], "cancelled", "{a}");
    assert_eq!(a["redirect"], "https://shop.example/failed");
    req.cancel_url = Some("https://shop.example/cancelled".into());
    let v = open(&sb, &link(&sb, KEY, &req, &unique("C")).url).await;
    let syssn = s(&v["order"], "syssn");
    let (_, a) = act(&sb, &syssn, json!({"action": "cancel"})).await;
    assert_eq!(a["redirect"], "https://shop.example/cancelled");
    let (st, _) = act(&sb, &syssn, json!({"action": "pay"})).await;
    assert_eq!(st, 409, "a cancelled order cannot be paid");
    assert!(sb.notifications().is_empty());
}

#[tokio::test]
async fn checkout_expires() {
    let sb = sandbox().await;
    let mut req = request("https://shop.example/notify");
    req.checkout_expired_time = Some(CheckoutExpiry::Minutes(5));
    let url = link(&sb, KEY, &req, &unique("C")).url;
    let v = open(&sb, &url).await;
    assert_eq!(v["order"]["expired"], false, "{v}");
    sb.advance_clock(6 * 60);
    let v = open(&sb, &url).await;
    assert_eq!(v["order"]["expired"], true, "{v}");
    let (st, a) = act(&sb, &s(&v["order"], "syssn"), json!({"action": "pay"})).await;
    assert_eq!(st, 409, "{a}");
    assert!(s(&a, "error").contains("expired"), "{a}");

    // An instant in the past: expired from the first open.
    let mut req = request("https://shop.example/notify");
    req.checkout_expired_time = Some(CheckoutExpiry::AtMillis(1_700_000_000_000));
    let v = open(&sb, &link(&sb, KEY, &req, &unique("C")).url).await;
    assert_eq!(v["order"]["expired"], true, "{v}");
}
