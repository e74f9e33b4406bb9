//! The seed document's four sample clients, reproduced byte for byte on the wire: each must get
//! `0000` and a QR code with nothing changed but the base URL and credentials.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay::SignType;
use qfpay_sandbox::{Merchant, Sandbox, SandboxConfig};

// The credentials substituted into the samples. The Python, Java and Node samples send
// mchid 'ZaMVg*****', the PHP one sends none.
const SEED_APP: &str = "D5589D2A1F2E42A9A60C37000000000";
const SEED_KEY: &str = "0E32A59A8B454940A2FF39000000000";
const SEED_MCHID: &str = "ZaMVg*****";
const PHP_APP: &str = "FF2FF74F2F2E42769A4A73000000000";
const PHP_KEY: &str = "7BE791E0FD2E48E6926043B00000000";

async fn seed_sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        merchants: vec![
            Merchant::new(SEED_APP, SEED_KEY).with_mchid(SEED_MCHID),
            Merchant::new(PHP_APP, PHP_KEY),
        ],
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// The samples' own signing: sorted `k=v` joined by `&`, key appended, MD5 hex.
fn sample_md5(sorted_pairs: &[(&str, &str)], key: &str) -> String {
    let joined = sorted_pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    qfpay::sign::digest(&joined, key, SignType::Md5)
}

fn assert_qr_answer(status: u16, body: &[u8]) -> serde_json::Value {
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(v["respcd"], "0000", "{v}");
    assert!(
        v["qrcode"]
            .as_str()
            .unwrap()
            .starts_with("weixin://wxpay/bizpayurl?pr="),
        "{v}"
    );
    v
}

fn http_request(port: u16, headers: &[(&str, String)], body: &str) -> Vec<u8> {
    let mut r = format!("POST /trade/v1/payment HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    r.push_str(body);
    r.into_bytes()
}

#[tokio::test]
async fn python_requests_form_encoded_uppercase_md5() {
    let sb = seed_sandbox().await;
    // datetime.datetime.now().replace(microsecond=0) → str() as the form value.
    let txdtm = "2026-01-15 11:45:44";
    let out_trade_no = "01234567890123";
    // make_req_sign: sorted keys, '%s=%s', md5 hexdigest upper.
    let sign = sample_md5(
        &[
            ("mchid", SEED_MCHID),
            ("out_trade_no", out_trade_no),
            ("pay_type", "800201"),
            ("txamt", "10"),
            ("txcurrcd", "HKD"),
            ("txdtm", txdtm),
        ],
        SEED_KEY,
    );
    assert_eq!(sign, sign.to_uppercase());
    // requests.post(data=dict): urlencode in dict order, quote_plus.
    let body = "txamt=10&txcurrcd=HKD&pay_type=800201&out_trade_no=01234567890123&txdtm=2026-01-15+11%3A45%3A44&mchid=ZaMVg%2A%2A%2A%2A%2A";
    let req = http_request(
        sb.port(),
        &[
            ("User-Agent", "python-requests/2.31.0".into()),
            ("Accept-Encoding", "gzip, deflate".into()),
            ("Accept", "*/*".into()),
            ("Connection", "keep-alive".into()),
            ("X-QF-APPCODE", SEED_APP.into()),
            ("X-QF-SIGN", sign),
            ("Content-Type", "application/x-www-form-urlencoded".into()),
        ],
        body,
    );
    let (status, _, resp) = wire(&sb, &req).await;
    let v = assert_qr_answer(status, &resp);
    assert_eq!(v["out_trade_no"], out_trade_no);
    assert_eq!(v["txdtm"], txdtm);
}

#[tokio::test]
async fn node_request_form_lowercase_md5() {
    let sb = seed_sandbox().await;
    // new Date().toISOString().replace(/T/, ' ').replace(/\..+/, '')
    let txdtm = "2026-01-15 03:45:44";
    let trade = "482913377";
    let sign = sample_md5(
        &[
            ("mchid", SEED_MCHID),
            ("out_trade_no", trade),
            ("pay_type", "800201"),
            ("txamt", "10"),
            ("txcurrcd", "HKD"),
            ("txdtm", txdtm),
        ],
        SEED_KEY,
    )
    .to_lowercase(); // crypto.createHash('md5').digest('hex')
    // request's form: qs.stringify in object order, RFC 3986 (%20 for space, * escaped).
    let body = format!(
        "txamt=10&txcurrcd=HKD&pay_type=800201&out_trade_no={trade}&txdtm=2026-01-15%2003%3A45%3A44&mchid=ZaMVg%2A%2A%2A%2A%2A"
    );
    let req = http_request(
        sb.port(),
        &[
            ("X-QF-APPCODE", SEED_APP.into()),
            ("X-QF-SIGN", sign),
            ("content-type", "application/x-www-form-urlencoded".into()),
            ("Connection", "close".into()),
        ],
        &body,
    );
    let (status, _, resp) = wire(&sb, &req).await;
    assert_qr_answer(status, &resp);
}

#[tokio::test]
async fn php_curl_raw_string_with_literal_space() {
    let sb = seed_sandbox().await;
    // ksort($fields), "$key=$value&" without encoding, strtoupper(md5(...)); no mchid.
    let out_trade_no = "aB3dE5gH7jK9mN1pQ3sT";
    let fields = [
        ("out_trade_no", out_trade_no),
        ("pay_type", "800201"),
        ("txamt", "2200"),
        ("txcurrcd", "HKD"),
        ("txdtm", "2026-01-15 11:45:44"),
    ];
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    assert!(body.contains("txdtm=2026-01-15 11:45:44"));
    let sign = sample_md5(&fields, PHP_KEY);
    let req = http_request(
        sb.port(),
        &[
            ("Accept", "*/*".into()),
            ("X-QF-APPCODE", PHP_APP.into()),
            ("X-QF-SIGN", sign),
            ("Content-Type", "application/x-www-form-urlencoded".into()),
        ],
        &body,
    );
    let (status, _, resp) = wire(&sb, &req).await;
    let v = assert_qr_answer(status, &resp);
    assert_eq!(v["txamt"], "2200");
}

#[tokio::test]
async fn java_raw_string_with_literal_space() {
    let sb = seed_sandbox().await;
    // QFPayUtils.getDataString(map): sorted k=v&..., getMd5Value(data+key) uppercase;
    // Requests.sendPostRequest writes `data` as is with HttpURLConnection.
    let fields = [
        ("mchid", SEED_MCHID),
        ("out_trade_no", "01234567890123"),
        ("pay_type", "800201"),
        ("txamt", "10"),
        ("txcurrcd", "EUR"),
        ("txdtm", "2026-01-15 11:45:44"),
    ];
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let sign = sample_md5(&fields, SEED_KEY);
    let req = http_request(
        sb.port(),
        &[
            ("X-QF-APPCODE", SEED_APP.into()),
            ("X-QF-SIGN", sign),
            (
                "Content-Type",
                "application/x-www-form-urlencoded;charset=UTF-8".into(),
            ),
            ("User-Agent", "Java/1.8.0_292".into()),
            (
                "Accept",
                "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2".into(),
            ),
            ("Connection", "keep-alive".into()),
        ],
        &body,
    );
    let (status, _, resp) = wire(&sb, &req).await;
    let v = assert_qr_answer(status, &resp);
    assert_eq!(v["txcurrcd"], "EUR");
    // The request log shows the raw body as sent.
    let log = sb.requests();
    assert!(
        log.last().unwrap()["body"]
            .as_str()
            .unwrap()
            .contains("txdtm=2026-01-15 11:45:44")
    );
}
