//! Online pay types over HTTP: every known pay code, the answer shape per pay type, the
//! per-method required fields, the `pay_url` page, the WeChat tool endpoints and `/q/direct`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use qfpay::SignType;
use serde_json::{Value, json};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn payment(sb: &qfpay_sandbox::Sandbox, pay_type: &str, extra: &[(&str, &str)]) -> Value {
    let otn = unique("O");
    let t = now();
    let mut p = vec![
        ("txamt", "1050"),
        ("txcurrcd", "HKD"),
        ("pay_type", pay_type),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    p.extend_from_slice(extra);
    call(sb, "/trade/v1/payment", APP, KEY, &p).await.1
}

async fn json_of(r: reqwest::Response) -> Value {
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

fn query_string(params: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        q.append_pair(k, v);
    }
    q.finish()
}

fn state_of(sb: &qfpay_sandbox::Sandbox, syssn: &str) -> String {
    sb.orders()
        .iter()
        .find(|o| o["syssn"] == syssn)
        .map(|o| s(o, "state"))
        .unwrap_or_default()
}

#[tokio::test]
async fn each_answer_shape() {
    let sb = sandbox().await;
    let v = payment(&sb, "800201", &[]).await;
    assert!(s(&v, "qrcode").starts_with("weixin://"), "{v}");
    assert!(v.get("pay_params").is_none() && v.get("pay_url").is_none());

    let v = payment(&sb, "800208", &[("auth_code", "134857900000000001")]).await;
    assert_eq!(v["respcd"], "0000");
    assert!(v.get("qrcode").is_none() && v.get("pay_params").is_none());
    assert_eq!(state_of(&sb, &s(&v, "syssn")), "succeeded");

    for code in ["801512", "801514", "805812", "801101", "801107", "802801"] {
        let extra: &[(&str, &str)] = &[("return_url", "https://shop.example/ok")];
        let v = payment(&sb, code, extra).await;
        assert_eq!(v["respcd"], "0000", "{code}: {v}");
        let url = s(&v, "pay_url");
        assert_eq!(
            url,
            format!("{}/sandbox/checkout/{}", sb.base_url(), s(&v, "syssn")),
            "{code}"
        );
        assert!(
            v.get("pay_params").is_none() && v.get("qrcode").is_none(),
            "{code}"
        );
    }

    let v = payment(&sb, "800207", &[("sub_openid", "oUser")]).await;
    let pp = &v["pay_params"];
    let keys: Vec<&str> = pp.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "appId",
        "timeStamp",
        "nonceStr",
        "package",
        "signType",
        "paySign",
    ] {
        assert!(keys.contains(&k), "{k} in {pp}");
    }
    assert_eq!(keys.len(), 6, "{pp}");
    assert!(pp["timeStamp"].as_str().unwrap().parse::<i64>().unwrap() > 1_600_000_000);
    assert!(s(pp, "package").starts_with("prepay_id=wx"));
    assert_eq!(pp["signType"], "MD5");
    let sign = s(pp, "paySign");
    assert_eq!(sign, sign.to_uppercase());
    assert_eq!(sign.len(), 32);

    let v = payment(&sb, "800213", &[("sub_openid", "oUser")]).await;
    assert!(
        s(&v["pay_params"], "package").starts_with("prepay_id=wx"),
        "{v}"
    );

    for code in ["800210", "801010"] {
        let v = payment(&sb, code, &[]).await;
        let pp = &v["pay_params"];
        assert!(pp["timestamp"].is_i64(), "{code}: integer timestamp: {pp}");
        assert_eq!(pp["package"], "Sign=WXPay");
        for k in ["appid", "partnerid", "prepayid", "noncestr", "sign"] {
            assert!(!s(pp, k).is_empty(), "{code} {k}: {pp}");
        }
    }

    let v = payment(
        &sb,
        "801510",
        &[
            ("goods_name", "Tea"),
            ("return_url", "https://shop.example/ok"),
            ("seller_id", "2088SELLER"),
            ("notify_url", "https://shop.example/notify"),
        ],
    )
    .await;
    let pp = &v["pay_params"];
    assert_eq!(pp["service"], "mobile.securitypay.pay", "{v}");
    assert_eq!(pp["seller_id"], "2088SELLER");
    assert_eq!(pp["subject"], "Tea");
    assert_eq!(pp["total_fee"], "10.50");
    assert_eq!(pp["currency"], "HKD");
    assert_eq!(pp["payment_type"], "1");
    assert_eq!(pp["_input_charset"], "utf-8");
    assert_eq!(pp["sign_type"], "RSA");
    assert_eq!(pp["notify_url"], "https://shop.example/notify");
    assert_eq!(pp["return_url"], "https://shop.example/ok");
    for k in ["partner", "body", "it_b_pay", "product_code", "sign"] {
        assert!(!s(pp, k).is_empty(), "{k}: {pp}");
    }
}

#[tokio::test]
async fn every_known_code_and_strict_mode() {
    let sb = sandbox().await;
    for code in ["802901", "800710", "804101", "800151"] {
        let v = payment(&sb, code, &[]).await;
        assert_eq!(v["respcd"], "0000", "{code}: {v}");
    }
    let v = payment(&sb, "999999", &[]).await;
    assert_eq!(v["respcd"], "1104");

    sb.set_strict_pay_types(true);
    assert!(sb.strict_pay_types());
    let v = payment(&sb, "804101", &[]).await;
    assert_eq!(v["respcd"], "1104", "{v}");
    assert!(s(&v, "resperr").contains("pay_type"));
    assert!(s(&v, "resperr").contains("strict"));
    for code in ["802901", "800710"] {
        let v = payment(&sb, code, &[]).await;
        assert_eq!(v["respcd"], "0000", "{code} stays accepted: {v}");
    }

    // Through the control API too.
    let r = http()
        .post(format!("{}/sandbox/config", sb.base_url()))
        .header("Content-Type", "application/json")
        .body(json!({"strict_pay_types": false}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!sb.strict_pay_types());
    let v = payment(&sb, "804101", &[]).await;
    assert_eq!(v["respcd"], "0000", "{v}");
}

#[tokio::test]
async fn per_method_required_fields() {
    let sb = sandbox().await;
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        ("800207", "sub_openid", &[]),
        ("800213", "sub_openid", &[]),
        ("800107", "openid", &[]),
        ("801110", "goods_name", &[]),
        (
            "801510",
            "seller_id",
            &[("goods_name", "Tea"), ("return_url", "https://a.example/")],
        ),
        (
            "801110",
            "return_url",
            &[("goods_name", "Tea"), ("seller_id", "S")],
        ),
        ("801107", "return_url", &[]),
        ("801512", "return_url", &[]),
        ("800212", "extend_info", &[]),
    ];
    for (code, field, extra) in cases {
        let v = payment(&sb, code, extra).await;
        assert_eq!(v["respcd"], "1104", "{code}: {v}");
        assert!(
            s(&v, "resperr").contains(field),
            "{code} names {field}: {v}"
        );
    }
    // Satisfied, and the new optional fields and an unknown (signed) field accepted.
    let v = payment(
        &sb,
        "800107",
        &[
            ("openid", "2088OPENID"),
            ("failed_url", "https://a.example/f"),
            ("cancel_url", "https://a.example/c"),
            ("some_future_field", "x"),
        ],
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
    assert!(!s(&v, "pay_url").is_empty());
    let v = payment(&sb, "801512", &[("return_url", "javascript:alert(1)")]).await;
    assert_eq!(v["respcd"], "1104");
}

#[tokio::test]
async fn jsapi_form_as_query_parameters_on_a_post() {
    let sb = sandbox().await;
    let otn = unique("Q");
    let t = now();
    let params = [
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800207"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
        ("sub_openid", "oABC"),
    ];
    let r = signed_in_query(&sb, reqwest::Method::POST, "/trade/v1/payment", &params).await;
    let v = json_of(r).await;
    assert_eq!(v["respcd"], "0000", "{v}");
    assert!(v["pay_params"]["paySign"].is_string());
}

#[tokio::test]
async fn pay_url_page_pays_declines_and_refuses_other_origins() {
    let sb = sandbox().await;
    let v = payment(&sb, "801512", &[("return_url", "https://shop.example/ok")]).await;
    let syssn = s(&v, "syssn");
    let r = http().get(s(&v, "pay_url")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"pay\"") && page.contains("id=\"fail\""),
        "{page}"
    );
    assert!(
        page.contains("10.50") && page.contains("1050 minor units"),
        "{page}"
    );
    assert!(page.contains(&s(&v, "out_trade_no")));

    // CSRF: another origin, or not JSON, is refused.
    let r = http()
        .post(s(&v, "pay_url"))
        .header("Origin", "http://evil.example")
        .header("Content-Type", "application/json")
        .body(json!({"action": "pay"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http()
        .post(s(&v, "pay_url"))
        .header("Content-Type", "text/plain")
        .body(r#"{"action":"pay"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(state_of(&sb, &syssn), "pending");

    let (st, a) = act(&sb, &syssn, json!({"action": "pay"})).await;
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["redirect"], "https://shop.example/ok");
    assert_eq!(state_of(&sb, &syssn), "succeeded");
    let (st, _) = act(&sb, &syssn, json!({"action": "fail"})).await;
    assert_eq!(st, 409);

    let v = payment(&sb, "805812", &[]).await;
    let (st, a) = act(&sb, &s(&v, "syssn"), json!({"action": "fail"})).await;
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["state"], "failed");
    let rec = record(&sb, &s(&v, "syssn")).await;
    assert_ne!(rec["respcd"], "0000");

    let r = http()
        .get(format!("{}/sandbox/checkout/123", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

fn oauth_url(sb: &qfpay_sandbox::Sandbox, redirect: &str, key: &str) -> String {
    let sign = qfpay::sign::sign(
        &[("app_code", APP), ("redirect_uri", redirect)],
        key,
        SignType::Md5,
    )
    .to_lowercase();
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("app_code", APP)
        .append_pair("redirect_uri", redirect)
        .append_pair("sign", &sign)
        .finish();
    format!("{}/tool/v1/get_weixin_oauth_code?{q}", sb.base_url())
}

/// A header-signed request whose parameters travel in the URL's query (QFPay's JSAPI sample
/// posts its form that way; the openid exchange is a GET).
async fn signed_in_query(
    sb: &qfpay_sandbox::Sandbox,
    method: reqwest::Method,
    path: &str,
    params: &[(&str, &str)],
) -> reqwest::Response {
    let sig = qfpay::sign::sign(params, KEY, SignType::Md5);
    http()
        .request(
            method,
            format!("{}{path}?{}", sb.base_url(), query_string(params)),
        )
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", sig)
        .send()
        .await
        .unwrap()
}

async fn openid(sb: &qfpay_sandbox::Sandbox, code: &str) -> Value {
    let params = [("code", code)];
    let r = signed_in_query(
        sb,
        reqwest::Method::GET,
        "/tool/v1/get_weixin_openid",
        &params,
    )
    .await;
    assert_eq!(r.status(), 200);
    json_of(r).await
}

#[tokio::test]
async fn oauth_code_then_openid_once() {
    let sb = sandbox().await;
    let r = no_redirects()
        .get(oauth_url(&sb, "https://shop.example/cb?step=2", KEY))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let code = loc
        .strip_prefix("https://shop.example/cb?step=2&code=")
        .unwrap_or_else(|| panic!("{loc}"))
        .to_owned();
    assert!(!code.is_empty());

    let v = openid(&sb, &code).await;
    assert_eq!(v["respcd"], "0000", "{v}");
    assert_eq!(v["resperr"], "success");
    let id = s(&v, "openid");
    assert!(id.starts_with('o') && id.len() == 28, "{id}");
    let again = openid(&sb, &code).await;
    assert_eq!(again["respcd"], "1104", "{again}");
    assert_eq!(again["respmsg"], "code used or invalid");
    assert_eq!(openid(&sb, "never-issued").await["respcd"], "1104");

    // Wrong key → 1108; missing redirect_uri → 1104 naming it.
    let r = no_redirects()
        .get(oauth_url(&sb, "https://shop.example/cb", "WRONG"))
        .send()
        .await
        .unwrap();
    let v = json_of(r).await;
    assert_eq!(v["respcd"], "1108", "{v}");
    let r = no_redirects()
        .get(format!(
            "{}/tool/v1/get_weixin_oauth_code?app_code={APP}&sign=AB",
            sb.base_url()
        ))
        .send()
        .await
        .unwrap();
    let v = json_of(r).await;
    assert_eq!(v["respcd"], "1104");
    assert!(s(&v, "resperr").contains("redirect_uri"), "{v}");
}

fn direct_url(sb: &qfpay_sandbox::Sandbox, pp: &Value, txamt: &str, redirect: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("mchntnm", "Sandbox Café <b>")
        .append_pair("txamt", txamt)
        .append_pair("currency", "HKD")
        .append_pair("goods_name", "Tea")
        .append_pair("redirect_url", redirect);
    for k in [
        "package",
        "timeStamp",
        "signType",
        "paySign",
        "appId",
        "nonceStr",
    ] {
        q.append_pair(k, &s(pp, k));
    }
    format!("{}/q/direct?{}", sb.base_url(), q.finish())
}

#[tokio::test]
async fn jsapi_sequence_ends_paid_through_q_direct() {
    let (shop, received) = shop().await;
    let notify = format!("{shop}/notify");

    let sb = sandbox().await;
    let loc = no_redirects()
        .get(oauth_url(&sb, "https://shop.example/cb", KEY))
        .send()
        .await
        .unwrap()
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let code = loc.split("code=").nth(1).unwrap().to_owned();
    let oid = s(&openid(&sb, &code).await, "openid");
    let v = payment(
        &sb,
        "800207",
        &[("sub_openid", &oid), ("notify_url", &notify)],
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
    let pp = v["pay_params"].clone();

    // A tampered paySign or amount is shown, with nothing to pay.
    let mut bad = pp.clone();
    bad["paySign"] = json!("0".repeat(32));
    let r = http()
        .get(direct_url(&sb, &bad, "1050", "https://shop.example/done"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("paySign does not match"), "{page}");
    assert!(!page.contains("id=\"pay\""));
    let page = http()
        .get(direct_url(&sb, &pp, "999", "https://shop.example/done"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("txamt does not match"), "{page}");

    let r = http()
        .get(direct_url(&sb, &pp, "1050", "https://shop.example/done"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Sandbox Café &lt;b&gt;"), "escaped: {page}");
    assert!(page.contains("id=\"pay\""));
    assert!(page.contains("data-redirect=\"https://shop.example/done\""));
    let (st, a) = act(
        &sb,
        &s(&v, "syssn"),
        json!({"action": "pay", "redirect_url": "https://shop.example/done"}),
    )
    .await;
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["redirect"], "https://shop.example/done");
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "0000");
    let (_, body) = first_notification(&received).await;
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains(&s(&v, "out_trade_no")), "{body}");
}
