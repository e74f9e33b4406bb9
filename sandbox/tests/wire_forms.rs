//! Every wire form published QFPay clients send, besides the four seed samples (those are in
//! wire_shapes.rs): multipart bodies, parameters in the query string, a stray `sign`
//! parameter, no Content-Type, `+`/`%20`, raw values, either hex case, an explicit
//! `X-QF-SIGNTYPE: MD5`, a `txdtm` in UTC. Each is sent byte for byte over raw TCP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay::SignType;
use serde_json::Value;

fn utc_now() -> String {
    chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Sends `method target` with these headers and body; Content-Length is added when there is
/// a body.
async fn send(
    sb: &qfpay_sandbox::Sandbox,
    method: &str,
    target: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, Value) {
    let mut r = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
        sb.port()
    )
    .into_bytes();
    for (k, v) in headers {
        r.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    if !body.is_empty() || method == "POST" {
        r.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    r.extend_from_slice(b"\r\n");
    r.extend_from_slice(body);
    let (status, _, resp) = wire(sb, &r).await;
    (
        status,
        serde_json::from_slice(&resp)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&resp).into())),
    )
}

fn md5(params: &[(&str, &str)]) -> String {
    qfpay::sign::sign(params, KEY, SignType::Md5)
}

fn auth(sig: String) -> Vec<(&'static str, String)> {
    vec![("X-QF-APPCODE", APP.to_owned()), ("X-QF-SIGN", sig)]
}

fn urlencoded(params: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

fn assert_paid_qr(v: &Value) {
    assert_eq!(v["respcd"], "0000", "{v}");
    assert!(
        v["qrcode"]
            .as_str()
            .unwrap_or_default()
            .starts_with("weixin://"),
        "{v}"
    );
}

#[tokio::test]
async fn multipart_form_data_body() {
    let sb = sandbox().await;
    let otn = unique("MP");
    let t = now();
    let p = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
        ("goods_name", "Coffee & Tea+"),
    ];
    // curl -F / PHP CURLOPT_POSTFIELDS with an array: values as is, CRLF, a quoted boundary.
    let boundary = "------------------------d74496d66958873e";
    let mut body = Vec::new();
    for (k, v) in p {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut h = auth(md5(&p));
    h.push((
        "Content-Type",
        format!("multipart/form-data; boundary=\"{boundary}\""),
    ));
    let (status, v) = send(&sb, "POST", "/trade/v1/payment", &h, &body).await;
    assert_eq!(status, 200);
    assert_paid_qr(&v);
    let rec = record(&sb, &s(&v, "syssn")).await;
    assert_eq!(rec["goods_name"], "Coffee & Tea+");

    // A query as multipart too, unquoted boundary.
    let q = [("out_trade_no", otn.as_str())];
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"out_trade_no\"\r\n\r\n{otn}\r\n--XyZ--\r\n"
    );
    let mut h = auth(md5(&q));
    h.push(("Content-Type", "multipart/form-data; boundary=XyZ".into()));
    let (_, v) = send(&sb, "POST", "/trade/v1/query", &h, body.as_bytes()).await;
    assert_eq!(v["respcd"], "0000", "{v}");
    assert_eq!(v["data"][0]["out_trade_no"], otn.as_str());
}

#[tokio::test]
async fn parameters_in_the_query_string_with_an_empty_body() {
    let sb = sandbox().await;
    let otn = unique("QS");
    let t = now();
    let p = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    // POST with an empty body (Content-Length: 0) and with no Content-Type.
    let target = format!("/trade/v1/payment?{}", urlencoded(&p));
    let (status, v) = send(&sb, "POST", &target, &auth(md5(&p)), b"").await;
    assert_eq!(status, 200);
    assert_paid_qr(&v);
    // GET query with the parameters in the URL, no body, no Content-Length.
    let q = [("out_trade_no", otn.as_str())];
    let target = format!("/trade/v1/query?{}", urlencoded(&q));
    let (status, v) = send(&sb, "GET", &target, &auth(md5(&q)), b"").await;
    assert_eq!(status, 200);
    assert_eq!(v["data"][0]["out_trade_no"], otn.as_str(), "{v}");
    // GET close with raw spaces percent-encoded in the URL.
    let amount = "300";
    let c = [
        ("out_trade_no", otn.as_str()),
        ("txamt", amount),
        ("txdtm", t.as_str()),
    ];
    let target = format!(
        "/trade/v1/close?out_trade_no={otn}&txamt={amount}&txdtm={}",
        t.replace(' ', "%20")
    );
    let (_, v) = send(&sb, "GET", &target, &auth(md5(&c)), b"").await;
    assert_eq!(v["respcd"], "0000", "{v}");
}

#[tokio::test]
async fn a_stray_sign_parameter_is_not_signed() {
    let sb = sandbox().await;
    let otn = unique("SG");
    let t = now();
    let p = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = md5(&p);
    // The signature both in the header and in the body (some clients add it to the form).
    let body = format!("{}&sign={sig}", urlencoded(&p));
    let mut h = auth(sig.clone());
    h.push(("Content-Type", "application/x-www-form-urlencoded".into()));
    let (_, v) = send(&sb, "POST", "/trade/v1/payment", &h, body.as_bytes()).await;
    assert_paid_qr(&v);
    // Only in the body, no header (the hosted-checkout style).
    let otn2 = unique("SG");
    let p2 = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn2.as_str()),
        ("txdtm", t.as_str()),
    ];
    let body = format!("sign={}&{}", md5(&p2), urlencoded(&p2));
    let h = vec![("X-QF-APPCODE", APP.to_owned())];
    let (_, v) = send(&sb, "POST", "/trade/v1/payment", &h, body.as_bytes()).await;
    assert_paid_qr(&v);
    // A wrong sign parameter next to a right header does not matter; a wrong header does.
    let q = [("out_trade_no", otn.as_str())];
    let body = format!("out_trade_no={otn}&sign=WRONG");
    let (_, v) = send(
        &sb,
        "POST",
        "/trade/v1/query",
        &auth(md5(&q)),
        body.as_bytes(),
    )
    .await;
    assert_eq!(v["respcd"], "0000", "{v}");
    let (_, v) = send(
        &sb,
        "POST",
        "/trade/v1/query",
        &auth("0".repeat(32)),
        body.as_bytes(),
    )
    .await;
    assert_eq!(v["respcd"], "1108", "{v}");
}

#[tokio::test]
async fn with_or_without_content_type() {
    let sb = sandbox().await;
    for ct in [
        None,
        Some("application/x-www-form-urlencoded"),
        Some("application/x-www-form-urlencoded; charset=UTF-8"),
        Some("text/plain"),
        Some("application/octet-stream"),
    ] {
        let otn = unique("CT");
        let t = now();
        let p = [
            ("txamt", "300"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800201"),
            ("out_trade_no", otn.as_str()),
            ("txdtm", t.as_str()),
        ];
        let mut h = auth(md5(&p));
        if let Some(ct) = ct {
            h.push(("Content-Type", ct.to_owned()));
        }
        // A trailing line end, as some clients write one.
        let body = format!("{}\r\n", urlencoded(&p));
        let (status, v) = send(&sb, "POST", "/trade/v1/payment", &h, body.as_bytes()).await;
        assert_eq!(status, 200, "{ct:?}");
        assert_paid_qr(&v);
    }
}

#[tokio::test]
async fn plus_or_percent_20_spaces_and_raw_values() {
    let sb = sandbox().await;
    let t = now();
    for (label, encode) in [("plus", "+"), ("pct20", "%20"), ("raw", " ")] {
        let otn = unique(label);
        let p = [
            ("goods_name", "Flat White x2"),
            ("out_trade_no", otn.as_str()),
            ("pay_type", "800201"),
            ("txamt", "300"),
            ("txcurrcd", "HKD"),
            ("txdtm", t.as_str()),
        ];
        let body = p
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace(' ', encode)))
            .collect::<Vec<_>>()
            .join("&");
        let (_, v) = send(
            &sb,
            "POST",
            "/trade/v1/payment",
            &auth(md5(&p)),
            body.as_bytes(),
        )
        .await;
        assert_paid_qr(&v);
        let rec = record(&sb, &s(&v, "syssn")).await;
        assert_eq!(rec["goods_name"], "Flat White x2", "{label}");
    }
    // Raw values with characters that URL-encoding would change: '+', '*', '%', ':', '/',
    // and UTF-8 (what the PHP and Java samples send when a value holds them).
    let otn = unique("RAW");
    let p = [
        ("goods_name", "A+B*C 50%/小林"),
        ("notify_url", "https://shop.example/qfpay/notify?x=1"),
        ("out_trade_no", otn.as_str()),
        ("pay_type", "800201"),
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("txdtm", t.as_str()),
    ];
    let body = p
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut h = auth(md5(&p));
    h.push(("Content-Type", "application/x-www-form-urlencoded".into()));
    let (_, v) = send(&sb, "POST", "/trade/v1/payment", &h, body.as_bytes()).await;
    assert_paid_qr(&v);
    let rec = record(&sb, &s(&v, "syssn")).await;
    assert_eq!(rec["goods_name"], "A+B*C 50%/小林");
}

#[tokio::test]
async fn either_hex_case_and_an_explicit_sign_type() {
    let sb = sandbox().await;
    let t = now();
    for (st, header, lower) in [
        (SignType::Md5, Some("MD5"), false),
        (SignType::Md5, Some("md5"), true),
        (SignType::Md5, None, true),
        (SignType::Sha256, Some("SHA256"), true),
        (SignType::Sha256, Some("sha256"), false),
    ] {
        let otn = unique("HX");
        let p = [
            ("out_trade_no", otn.as_str()),
            ("pay_type", "800201"),
            ("txamt", "300"),
            ("txcurrcd", "HKD"),
            ("txdtm", t.as_str()),
        ];
        let sig = qfpay::sign::sign(&p, KEY, st);
        let sig = if lower { sig.to_lowercase() } else { sig };
        let mut h = auth(sig);
        if let Some(hv) = header {
            h.push(("X-QF-SIGNTYPE", hv.to_owned()));
        }
        h.push(("Content-Type", "application/x-www-form-urlencoded".into()));
        let (_, v) = send(
            &sb,
            "POST",
            "/trade/v1/payment",
            &h,
            urlencoded(&p).as_bytes(),
        )
        .await;
        assert_eq!(v["respcd"], "0000", "{st:?} {header:?} lower={lower}: {v}");
    }
}

#[tokio::test]
async fn txdtm_in_utc_like_the_go_client() {
    // caiguanhao/qfpayslim: UTC txdtm, X-QF-SIGNTYPE: MD5, "%X" (uppercase) MD5, form body.
    let sb = sandbox().await;
    let otn = unique("GO");
    let t = utc_now();
    let p = [
        ("txamt", "300"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let mut h = auth(md5(&p));
    h.push(("X-QF-SIGNTYPE", "MD5".into()));
    h.push(("Content-Type", "application/x-www-form-urlencoded".into()));
    h.push(("User-Agent", "Go-http-client/1.1".into()));
    h.push(("Accept-Encoding", "gzip".into()));
    let (_, v) = send(
        &sb,
        "POST",
        "/trade/v1/payment",
        &h,
        urlencoded(&p).as_bytes(),
    )
    .await;
    assert_paid_qr(&v);
    assert_eq!(v["txdtm"], t.as_str());
    // Query by out_trade_no finds it (the record keeps the txdtm as sent).
    let rec = query(&sb, &[("out_trade_no", otn.as_str())]).await;
    assert_eq!(rec["data"][0]["txdtm"], t.as_str());
}
