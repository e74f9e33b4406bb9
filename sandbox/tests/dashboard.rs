//! The dashboard at `/sandbox/`: the page and its assets under the pages' CSP, the JSON it
//! reads, the QR code it shows, the actions it takes through the control API, the request
//! log's signature verdicts, and the refusal of cross-site state changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use serde_json::{Value, json};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(sb: &qfpay_sandbox::Sandbox, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = no_redirects()
        .get(format!("{}{path}", sb.base_url()))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

async fn get_json(sb: &qfpay_sandbox::Sandbox, path: &str) -> Value {
    let (status, _, body) = get(sb, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// A request as a browser on `origin` would send it (`Origin` and `Sec-Fetch-Site`).
async fn browser_send(
    sb: &qfpay_sandbox::Sandbox,
    method: reqwest::Method,
    path: &str,
    origin: Option<&str>,
    fetch_site: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut req = http()
        .request(method, format!("{}{path}", sb.base_url()))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(o) = origin {
        req = req.header("Origin", o);
    }
    if let Some(s) = fetch_site {
        req = req.header("Sec-Fetch-Site", s);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

fn dashboard_order(sb_orders: &Value, syssn: &str) -> Value {
    sb_orders["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["syssn"] == syssn)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn page_and_assets_are_served_with_the_csp() {
    let sb = sandbox().await;
    for (path, ct) in [
        ("/sandbox/", "text/html"),
        ("/sandbox/assets/dashboard.js", "text/javascript"),
        ("/checkstand/assets/pages.css", "text/css"),
    ] {
        let (status, headers, body) = get(&sb, path).await;
        assert_eq!(status, 200, "{path}");
        let h = |n: &str| headers[n].to_str().unwrap().to_owned();
        assert!(h("content-type").starts_with(ct), "{path}");
        assert!(h("content-security-policy").contains("script-src 'self'"));
        assert!(!h("content-security-policy").contains("unsafe-inline"));
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert!(!body.is_empty());
    }
    let (_, _, html) = get(&sb, "/sandbox/").await;
    assert!(html.contains("<script src=\"/sandbox/assets/dashboard.js\" defer></script>"));
    assert!(!html.contains("<script>"), "no inline script");
    for id in [
        "panel-orders",
        "panel-order",
        "panel-requests",
        "panel-faults",
        "panel-merchants",
        "act-pay",
        "act-decline",
        "act-expire",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let (_, _, js) = get(&sb, "/sandbox/assets/dashboard.js").await;
    assert!(
        !js.contains("innerHTML"),
        "the script never parses text as HTML"
    );
    assert!(!js.contains("eval("));

    // Without a trailing slash, SDKs still get the health JSON; a browser is sent to the page.
    let health = get_json(&sb, "/sandbox").await;
    assert_eq!(health["status"], "ok");
    let r = no_redirects()
        .get(format!("{}/sandbox", sb.base_url()))
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("Sec-Fetch-Mode", "navigate")
        .header("Upgrade-Insecure-Requests", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/sandbox/");
    // Java's HttpURLConnection lists text/html first too, but is no browser: JSON.
    let r = no_redirects()
        .get(format!("{}/sandbox", sb.base_url()))
        .header(
            "Accept",
            "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["status"], "ok");
    let health = get_json(&sb, "/sandbox/health").await;
    assert_eq!(health["status"], "ok");

    // The other pages link back to the dashboard.
    let (_, _, checkstand) = get(&sb, "/checkstand/").await;
    assert!(checkstand.contains("href=\"/sandbox/\""));
    let v = pay_req(&sb, "500", "800201").await;
    let (_, _, checkout) = get(&sb, &format!("/sandbox/checkout/{}", s(&v, "syssn"))).await;
    assert!(checkout.contains("href=\"/sandbox/\""));
}

#[tokio::test]
async fn orders_json_shows_amounts_pay_type_names_and_the_qr_svg() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "1050", "800201").await;
    let syssn = s(&v, "syssn");
    let qrcode = s(&v, "qrcode");
    assert!(!qrcode.is_empty(), "{v}");
    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    assert_eq!(list["count"], 1);
    assert!(list["now"].as_str().unwrap().len() == 19);
    let o = dashboard_order(&list, &syssn);
    assert_eq!(o["kind"], "payment");
    assert_eq!(o["txamt"], 1050);
    assert_eq!(o["amount"], "10.50");
    assert_eq!(o["currency"], "HKD");
    assert_eq!(o["exponent"], 2);
    assert_eq!(o["pay_type"], "800201");
    assert!(!o["pay_type_name"].as_str().unwrap().is_empty());
    assert_eq!(o["state"], "pending");
    assert_eq!(o["status"], "pending");
    assert_eq!(o["qrcode"], qrcode.as_str());
    assert!(o["expires_in_seconds"].as_i64().unwrap() > 0);
    assert_eq!(
        o["checkout_url"],
        format!("{}/sandbox/checkout/{syssn}", sb.base_url())
    );
    assert_eq!(o["record"]["syssn"], syssn.as_str());

    let (status, headers, svg) = get(&sb, &format!("/sandbox/orders/{syssn}/qr.svg")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert_eq!(svg, qfpay::qr::svg(&qrcode).unwrap());
    let (status, _, _) = get(&sb, "/sandbox/orders/123/qr.svg").await;
    assert_eq!(status, 404);

    // A currency without minor units: JPY's exponent is 0.
    let otn = unique("J");
    let t = now();
    let (_, v) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "1500"),
            ("txcurrcd", "JPY"),
            ("pay_type", "800201"),
            ("out_trade_no", otn.as_str()),
            ("txdtm", t.as_str()),
        ],
    )
    .await;
    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    let o = dashboard_order(&list, &s(&v, "syssn"));
    assert_eq!(o["exponent"], 0, "{o}");
    assert_eq!(o["amount"], "1500");

    // A refund is listed too, newest first, pointing at its payment.
    let paid = pay_req(&sb, "2000", "800201").await;
    sb.pay(&s(&paid, "syssn")).unwrap();
    let rotn = unique("R");
    let t = now();
    let (_, r) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", s(&paid, "syssn").as_str()),
            ("out_trade_no", rotn.as_str()),
            ("txamt", "500"),
            ("txdtm", t.as_str()),
        ],
    )
    .await;
    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    let refund = dashboard_order(&list, &s(&r, "syssn"));
    assert_eq!(refund["kind"], "refund", "{r}");
    assert_eq!(refund["orig_syssn"], s(&paid, "syssn").as_str());
    assert_eq!(refund["checkout_url"], Value::Null);
}

#[tokio::test]
async fn pay_decline_and_expire_through_the_control_api() {
    let sb = sandbox().await;
    let origin = sb.base_url();
    let a = s(&pay_req(&sb, "700", "800201").await, "syssn");
    let b = s(&pay_req(&sb, "800", "800201").await, "syssn");
    let c = s(&pay_req(&sb, "900", "800201").await, "syssn");

    // Pay as the customer: the dashboard posts /sandbox/pay from its own origin.
    let (status, body) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/pay",
        Some(&origin),
        Some("same-origin"),
        &json!({"syssn": a}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Decline: the checkout page's "fail".
    let (status, body) = act(&sb, &b, json!({"action": "fail"})).await;
    assert_eq!(status, 200, "{body}");

    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    assert_eq!(dashboard_order(&list, &a)["state"], "succeeded");
    assert!(dashboard_order(&list, &a)["paid"].is_string());
    assert_eq!(dashboard_order(&list, &b)["state"], "failed");
    assert_eq!(dashboard_order(&list, &b)["status"], "declined");
    let wait = dashboard_order(&list, &c)["expires_in_seconds"]
        .as_i64()
        .unwrap();

    // Let it expire: advance the clock by what the order says.
    let (status, body) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/clock",
        Some(&origin),
        None,
        &json!({"advance_seconds": wait}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    let expired = dashboard_order(&list, &c);
    assert_eq!(expired["status"], "expired", "{expired}");
    assert_eq!(expired["expires_in_seconds"], Value::Null);
    assert_eq!(record(&sb, &c).await["respcd"], "1181");
}

#[tokio::test]
async fn the_request_log_says_why_a_signature_failed_and_never_shows_the_key() {
    let sb = sandbox().await;
    pay_req(&sb, "100", "800201").await;
    let t = now();
    let params = [
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", "BADSIG1"),
        ("txdtm", t.as_str()),
    ];
    // Signed with the wrong key.
    let (_, v) = call(&sb, "/trade/v1/payment", APP, "not-the-key", &params).await;
    assert_eq!(v["respcd"], "1108");
    let sent = qfpay::sign::sign(&params, "not-the-key", qfpay::SignType::Md5);
    // No signature at all; an unknown app code.
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[
            ("X-QF-APPCODE", APP),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"txamt=1".to_vec(),
    )
    .await;
    assert_eq!(v["respcd"], "1108");
    let (_, v) = call(&sb, "/trade/v1/query", "NOSUCHAPP", KEY, &[("syssn", "1")]).await;
    assert_eq!(v["respcd"], "1108");

    let log = get_json(&sb, "/sandbox/requests").await;
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    // The existing fields are all still there.
    for k in [
        "seq",
        "time",
        "method",
        "path",
        "app_code",
        "sign_type",
        "content_type",
        "body",
        "body_len",
        "status",
        "respcd",
        "fault",
    ] {
        assert!(entries[0].get(k).is_some(), "{k}");
    }
    assert_eq!(entries[0]["signature"]["verdict"], "ok");
    assert_eq!(entries[0]["signature"]["string_to_sign"], Value::Null);
    let bad = &entries[1]["signature"];
    assert_eq!(bad["verdict"], "bad");
    assert_eq!(bad["sign_type"], "MD5");
    assert_eq!(bad["client_sign"], sent.as_str());
    assert_eq!(
        bad["string_to_sign"],
        qfpay::sign::debug_string_to_sign(&params).as_str()
    );
    assert!(
        bad["string_to_sign"]
            .as_str()
            .unwrap()
            .ends_with("<client_key>")
    );
    assert_eq!(entries[2]["signature"]["verdict"], "missing");
    assert_eq!(entries[3]["signature"]["verdict"], "unknown_app_code");

    // A fault answered before any check: no verdict.
    sb.inject_fault(qfpay_sandbox::Fault::HttpStatus(503), 1);
    pay_req(&sb, "100", "800201").await;
    let log = get_json(&sb, "/sandbox/requests").await;
    assert_eq!(log["requests"][4]["signature"], Value::Null);

    // The key is in no answer the dashboard reads.
    sb.pay(&s(&pay_req(&sb, "300", "800201").await, "syssn"))
        .unwrap();
    for path in [
        "/sandbox/",
        "/sandbox/assets/dashboard.js",
        "/sandbox",
        "/sandbox/health",
        "/sandbox/requests",
        "/sandbox/orders",
        "/sandbox/dashboard/orders",
        "/sandbox/notifications",
    ] {
        let (_, _, body) = get(&sb, path).await;
        assert!(!body.contains(KEY), "{path} shows the key");
        assert!(!body.contains(MCH_KEY), "{path} shows the key");
    }
}

#[tokio::test]
async fn the_key_is_shown_only_when_asked_by_the_page() {
    let sb = sandbox().await;
    let origin = sb.base_url();
    let body = json!({"app_code": MCH_APP}).to_string();
    let (status, answer) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/dashboard/key",
        Some(&origin),
        Some("same-origin"),
        &body,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let v: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["client_key"], MCH_KEY);
    let (status, _) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/dashboard/key",
        Some("http://evil.example"),
        Some("cross-site"),
        &body,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = get(&sb, "/sandbox/dashboard/key").await;
    assert_eq!(status, 405);
    let (status, _) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/dashboard/key",
        Some(&origin),
        None,
        &json!({"app_code": "NOPE"}).to_string(),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn cross_site_posts_are_refused_on_every_state_changing_endpoint() {
    let sb = sandbox().await;
    let syssn = s(&pay_req(&sb, "600", "800201").await, "syssn");
    let endpoints: Vec<(reqwest::Method, String, String)> = vec![
        (
            reqwest::Method::POST,
            "/sandbox/pay".into(),
            json!({"syssn": syssn}).to_string(),
        ),
        (
            reqwest::Method::POST,
            "/sandbox/faults".into(),
            json!({"kind": "drop", "count": 0}).to_string(),
        ),
        (
            reqwest::Method::DELETE,
            "/sandbox/faults".into(),
            String::new(),
        ),
        (
            reqwest::Method::POST,
            "/sandbox/clock".into(),
            json!({"advance_seconds": 1}).to_string(),
        ),
        (
            reqwest::Method::POST,
            "/sandbox/config".into(),
            json!({"strict_pay_types": false}).to_string(),
        ),
        (
            reqwest::Method::POST,
            format!("/sandbox/checkout/{syssn}"),
            json!({"action": "cancel"}).to_string(),
        ),
        (
            reqwest::Method::POST,
            "/sandbox/dashboard/key".into(),
            json!({"app_code": APP}).to_string(),
        ),
        (
            reqwest::Method::POST,
            "/sandbox/reset".into(),
            String::new(),
        ),
    ];
    for (method, path, body) in &endpoints {
        for (origin, site) in [
            (Some("http://evil.example"), Some("cross-site")),
            (Some("http://evil.example"), None),
            (Some("null"), None),
            (None, Some("cross-site")),
            (None, Some("same-site")),
        ] {
            let (status, answer) =
                browser_send(&sb, method.clone(), path, origin, site, body).await;
            assert_eq!(
                status, 403,
                "{method} {path} from {origin:?}/{site:?}: {answer}"
            );
        }
    }
    // Nothing changed.
    let list = get_json(&sb, "/sandbox/dashboard/orders").await;
    assert_eq!(dashboard_order(&list, &syssn)["state"], "pending");

    // SDK-style calls (no Origin) and the dashboard's own (same origin) still work.
    for (method, path, body) in &endpoints {
        if path.starts_with("/sandbox/checkout/") || path.ends_with("/key") {
            continue;
        }
        let (status, answer) = browser_send(&sb, method.clone(), path, None, None, body).await;
        assert_eq!(status, 200, "{method} {path}: {answer}");
    }
    let syssn = s(&pay_req(&sb, "600", "800201").await, "syssn");
    let (status, answer) = browser_send(
        &sb,
        reqwest::Method::POST,
        "/sandbox/pay",
        Some(sb.base_url().replace("127.0.0.1", "localhost").as_str()),
        Some("same-origin"),
        &json!({"syssn": syssn}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    // Without a body or content type, as the SDKs reset.
    let r = http()
        .post(format!("{}/sandbox/reset", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    sb.reset();
}
