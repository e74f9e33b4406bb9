//! The client's online flows over real HTTP against the sandbox: a hosted checkout link the
//! sandbox verifies and pays, with the notification verified; the JSAPI sequence from the OAuth
//! link to a payment paid through QFPay's cashier page; extra parameters signed and sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use qfpay::checkout::CheckoutRequest;
use qfpay::wechat::CashierRequest;
use qfpay::{Client, Currency, Money, PayType, PaymentRequest, TransactionState, Wait};
use qfpay_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

type Got = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A merchant's notification receiver: its URL and what it got (signature, raw body).
async fn receiver() -> (String, Got) {
    let got: Got = Arc::default();
    let g = got.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/notify",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let g = g.clone();
                async move {
                    let sig = headers
                        .get("X-QF-SIGN")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    g.lock().unwrap().push((sig, body.to_vec()));
                    "SUCCESS"
                }
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

async fn setup() -> (Sandbox, Client) {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        notify_time_scale: 0.001,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = sb.client_builder().max_retries(0).build().unwrap();
    (sb, c)
}

/// An HTTP client like a browser that does not follow redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// What the sandbox's pages post (as the page's script does, from the sandbox's own origin).
async fn post(sb: &Sandbox, path: &str, body: Value) -> Value {
    let r = browser()
        .post(format!("{}{path}", sb.base_url()))
        .header("Origin", sb.base_url())
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

async fn notified(got: &Got) -> (String, Vec<u8>) {
    for _ in 0..500 {
        if let Some(n) = got.lock().unwrap().first().cloned() {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no notification arrived")
}

#[tokio::test]
async fn a_checkout_link_is_verified_and_paid_and_its_notification_verifies() {
    let (sb, c) = setup().await;
    let (notify, got) = receiver().await;
    let mut req = CheckoutRequest::new(
        Money::new(2500, Currency::HKD),
        "https://shop.example/return?order=7&lang=en",
        "https://shop.example/failed",
        notify,
    );
    req.goods_name = Some("Green tea".into());
    let link = c.checkout_url(req).unwrap();
    let out_trade_no = link.params[link
        .params
        .iter()
        .position(|(k, _)| k == "out_trade_no")
        .unwrap()]
    .1
    .clone();
    let query = link.url.split_once("#/?").unwrap().1;
    let session = post(&sb, "/checkstand/session", json!({"query": query})).await;
    assert_eq!(session["ok"], true, "{session}");
    let syssn = session["order"]["syssn"].as_str().unwrap().to_owned();
    let paid = post(
        &sb,
        &format!("/sandbox/checkout/{syssn}"),
        json!({"action": "pay", "wallet": "wechat"}),
    )
    .await;
    assert_eq!(
        paid["redirect"], "https://shop.example/return?order=7&lang=en",
        "{paid}"
    );
    let (sig, body) = notified(&got).await;
    let key = sb.merchant().client_key.clone();
    let n = qfpay::notify::verify(&body, &sig, &key).unwrap();
    assert_eq!(
        (n.out_trade_no.as_str(), n.txamt),
        (out_trade_no.as_str(), 2500)
    );
    let t = c.find_payment(&out_trade_no).await.unwrap().unwrap();
    assert_eq!(t.state, TransactionState::Succeeded);

    // The same link signed with another key: QFPay's QFSign_Error, with the reason.
    let other = sb
        .client_builder()
        .credentials(
            sb.merchant().app_code.clone(),
            "ANOTHERKEY00000000000000000000",
        )
        .build()
        .unwrap();
    let bad = other
        .checkout_url(CheckoutRequest::new(
            Money::new(100, Currency::HKD),
            "https://shop.example/r",
            "https://shop.example/f",
            "https://shop.example/n",
        ))
        .unwrap();
    let refused = post(
        &sb,
        "/checkstand/session",
        json!({"query": bad.url.split_once("#/?").unwrap().1}),
    )
    .await;
    assert_eq!(refused["error"], "QFSign_Error", "{refused}");
    assert!(refused["reason"].as_str().unwrap().contains("QFSign_Error"));
}

#[tokio::test]
async fn the_jsapi_sequence_ends_paid_through_the_cashier_page() {
    let (sb, c) = setup().await;
    // 1. The OAuth link, opened in WeChat: QFPay redirects back with a code.
    let oauth = c
        .wechat_oauth_url("https://shop.example/wechat/cb?order=9&x=1", None)
        .unwrap();
    let r = browser().get(&oauth).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("https://shop.example/wechat/cb?order=9&x=1&code="));
    let code = location.rsplit_once("code=").unwrap().1.to_owned();
    // 2. The code for the openid, once.
    let openid = c.get_wechat_openid(&code, None).await.unwrap();
    assert!(openid.starts_with('o'), "{openid}");
    let again = c.get_wechat_openid(&code, None).await.unwrap_err();
    assert_eq!(
        (again.code(), again.respcd()),
        ("invalid_request", Some("1104"))
    );
    // 3. The payment with the openid: WeChat's pay parameters, typed.
    let p = c
        .create_payment(
            PaymentRequest::new(Money::new(1050, Currency::HKD), PayType::WechatJsapi)
                .sub_openid(openid)
                .goods_name("Coffee"),
        )
        .await
        .unwrap();
    let pp = p
        .pay_params
        .as_ref()
        .and_then(|p| p.wechat())
        .unwrap()
        .clone();
    assert!(pp.package.starts_with("prepay_id="), "{pp:?}");
    assert_eq!(pp.raw["paySign"], json!(pp.pay_sign));
    // 4. QFPay's cashier page, then Pay.
    let cashier = c
        .cashier_url(
            &CashierRequest {
                amount: Money::new(1050, Currency::HKD),
                pay_params: pp,
                mchntnm: "Sandbox Café".into(),
                redirect_url: "https://shop.example/done?order=9".into(),
                goods_name: Some("Coffee".into()),
            },
            None,
        )
        .unwrap();
    assert!(cashier.starts_with(&format!("{}/q/direct?", sb.base_url())));
    let page = browser().get(&cashier).send().await.unwrap();
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    let paid = post(
        &sb,
        &format!("/sandbox/checkout/{}", p.syssn),
        json!({"action": "pay", "redirect_url": "https://shop.example/done?order=9"}),
    )
    .await;
    assert_eq!(
        paid["redirect"], "https://shop.example/done?order=9",
        "{paid}"
    );
    let t = c
        .wait_for_payment(&p.out_trade_no, Wait::up_to(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(t.state, TransactionState::Succeeded);
}

#[tokio::test]
async fn extra_parameters_are_signed_and_sent() {
    let (sb, c) = setup().await;
    let p = c
        .create_payment(
            PaymentRequest::wechat_qr(Money::new(300, Currency::HKD))
                .extra("new_field", "v1")
                .failed_url("https://shop.example/f"),
        )
        .await
        .unwrap();
    assert_eq!(p.respcd, "0000");
    let log = sb.requests();
    let body = log.last().unwrap()["body"].as_str().unwrap().to_owned();
    assert!(body.contains("new_field=v1"), "{body}");
    assert!(body.contains("failed_url="), "{body}");
    let before = sb.request_count();
    let e = c
        .create_payment(
            PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)).extra("goods_name", "x"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("extra_params.goods_name"));
    assert_eq!(sb.request_count(), before, "nothing is sent");
}

/// A refund refused in QFPay's nightly window (1265) says when to send it again; the final
/// refusal (the refund period has passed) does not.
#[tokio::test]
async fn a_refund_refused_at_night_carries_retry_after() {
    use chrono::Timelike;
    let (sb, _) = setup().await;
    // The client's clock set so that it is 23:40 in its zone now (within ±12 h of UTC).
    let now = chrono::Utc::now()
        .naive_utc()
        .time()
        .num_seconds_from_midnight() as i32;
    let mut offset = (23 * 3600 + 40 * 60) - now;
    if offset > 12 * 3600 {
        offset -= 24 * 3600;
    }
    if offset < -12 * 3600 {
        offset += 24 * 3600;
    }
    let c = sb
        .client_builder()
        .max_retries(0)
        .utc_offset_seconds(offset)
        .build()
        .unwrap();
    let canned = |resperr: &str| qfpay_sandbox::Fault::Canned {
        status: 200,
        body: json!({"respcd": "1265", "resperr": resperr, "respmsg": ""}).to_string(),
    };
    let refund =
        || qfpay::RefundRequest::new("20261207000300020000000001", Money::new(100, Currency::HKD));
    sb.inject_fault(canned("Cannot be refunded(1265)"), 1);
    let e = c.refund(refund()).await.unwrap_err();
    assert_eq!((e.code(), e.respcd()), ("refund_rejected", Some("1265")));
    let wait = e.retry_after().unwrap();
    assert!(
        (Duration::from_secs(49 * 60)..=Duration::from_secs(51 * 60)).contains(&wait),
        "{wait:?}"
    );
    sb.inject_fault(canned("已經超出可退款時限(1265)"), 1);
    let e = c.refund(refund()).await.unwrap_err();
    assert_eq!((e.code(), e.retry_after()), ("refund_rejected", None));
}
