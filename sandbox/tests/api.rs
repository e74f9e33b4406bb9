//! Every endpoint and error code over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay::SignType;

#[tokio::test]
async fn wechat_qr_payment_shape_and_lifecycle() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "300", "800201").await;
    assert_eq!(s(&v, "respcd"), "0000", "{v}");
    let syssn = s(&v, "syssn");
    assert_eq!(syssn.len(), 26);
    assert!(syssn.bytes().all(|b| b.is_ascii_digit()));
    let qr = s(&v, "qrcode");
    let pr = qr
        .strip_prefix("weixin://wxpay/bizpayurl?pr=")
        .expect("wechat url");
    assert_eq!(pr.len(), 7);
    assert!(pr.chars().all(|c| c.is_ascii_alphanumeric()));
    for k in [
        "sysdtm",
        "paydtm",
        "txcurrcd",
        "respmsg",
        "pay_type",
        "cardcd",
        "udid",
        "txdtm",
        "txamt",
        "resperr",
        "out_trade_no",
        "chnlsn",
    ] {
        assert!(v.get(k).is_some(), "missing {k} in {v}");
    }
    assert_eq!(v["txamt"], "300");
    assert_eq!(s(&v, "sysdtm"), s(&v, "paydtm"));
    assert_eq!(s(&v, "chnlsn"), "");

    // Pending until paid.
    let r = record(&sb, &syssn).await;
    assert_eq!(r["respcd"], "1143");
    assert_eq!(r["order_type"], "payment");
    let paid = sb.pay(&syssn).unwrap();
    assert_eq!(paid["respcd"], "0000");
    let r = record(&sb, &syssn).await;
    assert_eq!(r["respcd"], "0000");
    assert_eq!(r["cancel"], "0");
    let chnlsn = s(&r, "chnlsn");
    assert_eq!(chnlsn.len(), 28);
    assert!(chnlsn.bytes().all(|b| b.is_ascii_digit()));
    // Paying twice is harmless.
    assert_eq!(sb.pay(&syssn).unwrap()["respcd"], "0000");
}

#[tokio::test]
async fn refunds_partial_full_and_errors() {
    let sb = sandbox().await;
    let v = pay_req(&sb, "1000", "800201").await;
    let syssn = s(&v, "syssn");
    let t = now();
    let r1 = unique("R");
    // Unpaid → 1261.
    let (_, e) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &r1),
            ("txamt", "100"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1261", "{e}");
    sb.pay(&syssn).unwrap();
    // Partial.
    let (_, a) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &r1),
            ("txamt", "300"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(a["respcd"], "0000", "{a}");
    assert_eq!(a["orig_syssn"], syssn.as_str());
    let refund_syssn = s(&a, "syssn");
    assert_eq!(refund_syssn.len(), 26);
    assert_ne!(refund_syssn, syssn);
    assert_eq!(record(&sb, &syssn).await["cancel"], "5");
    let rr = record(&sb, &refund_syssn).await;
    assert_eq!(rr["order_type"], "refund");
    assert_eq!(rr["origssn"], syssn.as_str());
    assert_eq!(rr["respcd"], "0000");
    // Same refund number again → 1251.
    let (_, d) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &r1),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(d["respcd"], "1251");
    assert_eq!(d["respmsg"], "out_trade_no is used");
    // Too much → 1272.
    let (_, e) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &unique("R")),
            ("txamt", "701"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1272", "{e}");
    // The rest → full.
    let (_, a) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &unique("R")),
            ("txamt", "700"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(a["respcd"], "0000");
    assert_eq!(record(&sb, &syssn).await["cancel"], "3");
    // Again → 1264 wrong cancel.
    let (_, e) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &unique("R")),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1264");
    assert_eq!(e["respmsg"], "wrong cancel");
    // Unknown → 1268.
    let (_, e) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", "20200101000300000000000000"),
            ("out_trade_no", &unique("R")),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1268");
    // Another merchant's payment → 1268.
    let (_, e) = call(
        &sb,
        "/trade/v1/refund",
        MCH_APP,
        MCH_KEY,
        &[
            ("syssn", &syssn),
            ("out_trade_no", &unique("R")),
            ("txamt", "1"),
            ("txdtm", &t),
            ("mchid", MCHID),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1268");
}

#[tokio::test]
async fn duplicate_out_trade_no_across_payments_and_refunds() {
    let sb = sandbox().await;
    let t = now();
    let otn = unique("D");
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    assert_eq!(
        call(&sb, "/trade/v1/payment", APP, KEY, &p).await.1["respcd"],
        "0000"
    );
    let (_, d) = call(&sb, "/trade/v1/payment", APP, KEY, &p).await;
    assert_eq!(d["respcd"], "1251");
    assert_eq!(d["respmsg"], "out_trade_no is used");
    // A refund may not reuse a payment's number.
    let paid = pay_req(&sb, "1001", "800201").await;
    let (_, d) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &s(&paid, "syssn")),
            ("out_trade_no", &otn),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(d["respcd"], "1251");
    // Another merchant may use the same number.
    let mut pm = p.to_vec();
    pm.push(("mchid", MCHID));
    assert_eq!(
        call(&sb, "/trade/v1/payment", MCH_APP, MCH_KEY, &pm)
            .await
            .1["respcd"],
        "0000"
    );
}

#[tokio::test]
async fn close_and_reversal() {
    let sb = sandbox().await;
    let t = now();
    let a = pay_req(&sb, "500", "800201").await;
    let (_, c) = call(
        &sb,
        "/trade/v1/close",
        APP,
        KEY,
        &[("syssn", &s(&a, "syssn")), ("txamt", "500"), ("txdtm", &t)],
    )
    .await;
    assert_eq!(c["respcd"], "0000", "{c}");
    assert_eq!(c["orig_syssn"], a["syssn"]);
    assert_eq!(s(&c, "syssn").len(), 26);
    let r = record(&sb, &s(&a, "syssn")).await;
    assert_eq!(r["cancel"], "2");
    assert_eq!(r["respcd"], "1143");
    // Closed again → 1142; cannot be paid.
    let (_, c) = call(
        &sb,
        "/trade/v1/close",
        APP,
        KEY,
        &[("syssn", &s(&a, "syssn")), ("txamt", "500"), ("txdtm", &t)],
    )
    .await;
    assert_eq!(c["respcd"], "1142");
    assert!(sb.pay(&s(&a, "syssn")).is_err());

    // Reversal by out_trade_no.
    let b = pay_req(&sb, "500", "800201").await;
    let (_, c) = call(
        &sb,
        "/trade/v1/reversal",
        APP,
        KEY,
        &[
            ("out_trade_no", &s(&b, "out_trade_no")),
            ("txamt", "500"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(c["respcd"], "0000", "{c}");
    assert_eq!(record(&sb, &s(&b, "syssn")).await["cancel"], "1");

    // Paid → 1260; unknown → 1268.
    let p = pay_req(&sb, "1001", "800201").await;
    let (_, c) = call(
        &sb,
        "/trade/v1/reversal",
        APP,
        KEY,
        &[("syssn", &s(&p, "syssn")), ("txamt", "1001"), ("txdtm", &t)],
    )
    .await;
    assert_eq!(c["respcd"], "1260");
    let (_, c) = call(
        &sb,
        "/trade/v1/close",
        APP,
        KEY,
        &[
            ("syssn", "20200101000300000000000001"),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert_eq!(c["respcd"], "1268");

    // GET with a query string.
    let g = pay_req(&sb, "700", "800201").await;
    let params = [
        ("syssn", s(&g, "syssn")),
        ("txamt", "700".into()),
        ("txdtm", t.clone()),
    ];
    let sig = qfpay::sign::sign(&params, KEY, SignType::Md5);
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &params {
        q.append_pair(k, v);
    }
    let resp = http()
        .get(format!("{}/trade/v1/close?{}", sb.base_url(), q.finish()))
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", sig)
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["respcd"], "0000", "{v}");
}

#[tokio::test]
async fn expiry_after_expired_time() {
    let sb = sandbox().await;
    let t = now();
    let otn = unique("E");
    let (_, v) = call(
        &sb,
        "/trade/v1/payment",
        APP,
        KEY,
        &[
            ("txamt", "500"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", &otn),
            ("txdtm", &t),
            ("expired_time", "5"),
        ],
    )
    .await;
    assert_eq!(v["respcd"], "0000");
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "1143");
    sb.advance_clock(4 * 60);
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "1143");
    sb.advance_clock(61);
    assert_eq!(record(&sb, &s(&v, "syssn")).await["respcd"], "1181");
    assert!(sb.pay(&otn).is_err());
}

#[tokio::test]
async fn query_filters_and_paging() {
    let sb = sandbox().await;
    let a = pay_req(&sb, "500", "800201").await;
    let b = pay_req(&sb, "1001", "800201").await;
    let c = pay_req(&sb, "600", "800208").await;
    // Lists.
    let v = query(
        &sb,
        &[("syssn", &format!("{},{}", s(&a, "syssn"), s(&b, "syssn")))],
    )
    .await;
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["respcd"], "0000");
    for k in ["resperr", "respmsg", "page", "page_size"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    let v = query(
        &sb,
        &[(
            "out_trade_no",
            &format!("{},{}", s(&a, "out_trade_no"), s(&c, "out_trade_no")),
        )],
    )
    .await;
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    // pay_type and respcd filters over the current month.
    let v = query(&sb, &[("pay_type", "800208")]).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"][0]["respcd"], "0000");
    let v = query(&sb, &[("respcd", "1143")]).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    // Paging.
    let v = query(&sb, &[("page", "1"), ("page_size", "2")]).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    let v = query(&sb, &[("page", "2"), ("page_size", "2")]).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    // Errors.
    let (_, e) = call(&sb, "/trade/v1/query", APP, KEY, &[("page_size", "101")]).await;
    assert_eq!(e["respcd"], "1104");
    assert!(s(&e, "resperr").contains("page_size"));
    let (_, e) = call(
        &sb,
        "/trade/v1/query",
        APP,
        KEY,
        &[
            ("start_time", "2026-01-31 00:00:00"),
            ("end_time", "2026-02-01 00:00:00"),
        ],
    )
    .await;
    assert_eq!(e["respcd"], "1104");
    let (_, e) = call(
        &sb,
        "/trade/v1/query",
        APP,
        KEY,
        &[("start_time", "2026/01/31")],
    )
    .await;
    assert!(s(&e, "resperr").contains("start_time"), "{e}");
    // A window in another month finds nothing.
    let v = query(
        &sb,
        &[
            ("start_time", "2020-01-01 00:00:00"),
            ("end_time", "2020-01-31 00:00:00"),
        ],
    )
    .await;
    assert_eq!(v["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn signature_errors_1108() {
    let sb = sandbox().await;
    let t = now();
    let otn = unique("S");
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    // Wrong key.
    let (st, v) = call(&sb, "/trade/v1/payment", APP, "WRONG", &p).await;
    assert_eq!(st, 200);
    assert_eq!(v["respcd"], "1108");
    assert_eq!(v["respmsg"], "");
    assert!(!s(&v, "resperr").is_empty());
    // Unknown app code.
    let (_, v) = call(&sb, "/trade/v1/payment", "NOPE", KEY, &p).await;
    assert_eq!(v["respcd"], "1108");
    // Missing signature.
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP)],
        b"txamt=1".to_vec(),
    )
    .await;
    assert_eq!(v["respcd"], "1108");
    // Unknown sign type.
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[
            ("X-QF-APPCODE", APP),
            ("X-QF-SIGN", "00"),
            ("X-QF-SIGNTYPE", "SHA1"),
        ],
        b"txamt=1".to_vec(),
    )
    .await;
    assert_eq!(v["respcd"], "1108");
    // mchid rules.
    let mut with = p.to_vec();
    with.push(("mchid", "OTHER"));
    assert_eq!(
        call(&sb, "/trade/v1/payment", APP, KEY, &with).await.1["respcd"],
        "1108"
    );
    let (_, v) = call(&sb, "/trade/v1/payment", MCH_APP, MCH_KEY, &p).await;
    assert_eq!(v["respcd"], "1108");
    assert!(s(&v, "resperr").contains("MCHCODE"));
    assert_eq!(
        call(&sb, "/trade/v1/payment", MCH_APP, MCH_KEY, &with)
            .await
            .1["respcd"],
        "1108"
    );
    let mut right = p.to_vec();
    right.push(("mchid", MCHID));
    assert_eq!(
        call(&sb, "/trade/v1/payment", MCH_APP, MCH_KEY, &right)
            .await
            .1["respcd"],
        "0000"
    );
}

#[tokio::test]
async fn signature_variants_accepted() {
    let sb = sandbox().await;
    let t = now();
    // SHA256.
    let otn = unique("V");
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let (_, v) = call_signed(&sb, "/trade/v1/payment", APP, KEY, &p, SignType::Sha256).await;
    assert_eq!(v["respcd"], "0000", "{v}");
    // Lowercase hex, and empty values included in the signed string (legacy rule).
    let otn = unique("V");
    let body = format!(
        "txamt=500&txcurrcd=HKD&pay_type=800201&out_trade_no={otn}&txdtm={}&udid=",
        t.replace(' ', "+")
    );
    let legacy =
        format!("out_trade_no={otn}&pay_type=800201&txamt=500&txcurrcd=HKD&txdtm={t}&udid=");
    let sig = qfpay::sign::digest(&legacy, KEY, SignType::Md5).to_lowercase();
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP), ("X-QF-SIGN", &sig)],
        body.clone().into_bytes(),
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
    // And without them.
    let otn2 = unique("V");
    let body = body.replace(&otn, &otn2);
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn2.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, KEY, SignType::Md5);
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP), ("X-QF-SIGN", &sig)],
        body.into_bytes(),
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
    // A value signed raw but containing '+' sent unencoded (raw reading wins).
    let otn3 = unique("V");
    let p = [
        ("goods_name", "a+b"),
        ("out_trade_no", otn3.as_str()),
        ("pay_type", "800201"),
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, KEY, SignType::Md5);
    let body = format!(
        "goods_name=a+b&out_trade_no={otn3}&pay_type=800201&txamt=500&txcurrcd=HKD&txdtm={t}"
    );
    let (_, v) = raw(
        &sb,
        "/trade/v1/payment",
        &[("X-QF-APPCODE", APP), ("X-QF-SIGN", &sig)],
        body.into_bytes(),
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
}

#[tokio::test]
async fn parameter_errors_1104_name_the_field() {
    let sb = sandbox().await;
    let t = now();
    let base = vec![
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", "X1"),
        ("txdtm", t.as_str()),
    ];
    let long_name = "g".repeat(65);
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "txamt",
            base.iter()
                .filter(|(k, _)| *k != "txamt")
                .cloned()
                .collect(),
        ),
        (
            "txcurrcd",
            base.iter()
                .filter(|(k, _)| *k != "txcurrcd")
                .cloned()
                .collect(),
        ),
        (
            "pay_type",
            base.iter()
                .filter(|(k, _)| *k != "pay_type")
                .cloned()
                .collect(),
        ),
        (
            "out_trade_no",
            base.iter()
                .filter(|(k, _)| *k != "out_trade_no")
                .cloned()
                .collect(),
        ),
        (
            "txdtm",
            base.iter()
                .filter(|(k, _)| *k != "txdtm")
                .cloned()
                .collect(),
        ),
        ("txamt", replace(&base, "txamt", "12.5")),
        ("txamt", replace(&base, "txamt", "-5")),
        ("txcurrcd", replace(&base, "txcurrcd", "XXX")),
        ("txdtm", replace(&base, "txdtm", "2024/01/01 10:00")),
        ("pay_type", replace(&base, "pay_type", "999999")),
        ("expired_time", with(&base, "expired_time", "4")),
        ("expired_time", with(&base, "expired_time", "121")),
        ("goods_name", with(&base, "goods_name", &long_name)),
        ("auth_code", replace(&base, "pay_type", "800208")),
        ("notify_url", with(&base, "notify_url", "ftp://x")),
    ];
    for (field, params) in cases {
        let (st, v) = call(&sb, "/trade/v1/payment", APP, KEY, &params).await;
        assert_eq!(st, 200);
        assert_eq!(v["respcd"], "1104", "{field}: {v}");
        assert!(s(&v, "resperr").contains(field), "{field}: {v}");
    }
    // Refund and close name theirs too.
    let (_, v) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[("syssn", "1"), ("txamt", "1"), ("txdtm", &t)],
    )
    .await;
    assert!(s(&v, "resperr").contains("out_trade_no"), "{v}");
    let (_, v) = call(&sb, "/trade/v1/close", APP, KEY, &[("txamt", "1")]).await;
    assert_eq!(v["respcd"], "1104");
    // CPM with auth_code is paid at once.
    let v = pay_req(&sb, "500", "800208").await;
    assert_eq!(v["respcd"], "0000");
    assert!(v.get("qrcode").is_none());
    assert_eq!(s(&v, "chnlsn").len(), 28);
    // Other MPM pay types return a QR code.
    let v = pay_req(&sb, "500", "800101").await;
    assert!(!s(&v, "qrcode").is_empty());
}

fn replace<'a>(p: &[(&'a str, &'a str)], k: &str, v: &'a str) -> Vec<(&'a str, &'a str)> {
    p.iter()
        .map(|(a, b)| if *a == k { (*a, v) } else { (*a, *b) })
        .collect()
}

fn with<'a>(p: &[(&'a str, &'a str)], k: &'a str, v: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut out = p.to_vec();
    out.push((k, v));
    out
}
