//! The front-end parameters a payment answer carries, per [`qfpay::AnswerShape`]: WeChat's
//! JSAPI / mini-program six fields, WeChat's in-app fields, and Alipay in-app's
//! `mobile.securitypay.pay` fields. Stub values, shaped and typed as the wallets document them.

use chrono::{NaiveDateTime, TimeDelta};
use qfpay::SignType;
use serde_json::{Value, json};

use crate::state::random_alnum;

/// The key the sandbox signs WeChat `paySign` / `sign` with (standing in for the wallet's API
/// key, which only QFPay holds): uppercase MD5 of WeChat's sorted `k=v&…&key=<this>`.
pub const WECHAT_KEY: &str = "SANDBOXWECHATPAYKEY0000000000001";

/// Unix seconds of a sandbox time (the sandbox clock runs in UTC+8).
pub fn unix_seconds(now: NaiveDateTime) -> i64 {
    (now - TimeDelta::hours(8)).and_utc().timestamp()
}

/// A stand-in WeChat `appId` for a merchant: `wx` and 14 hex digits derived from its app code
/// (16 characters, the documented length).
pub fn wechat_app_id(app_code: &str) -> String {
    let d = qfpay::sign::digest(app_code, "wechat-app-id", SignType::Md5).to_ascii_lowercase();
    format!("wx{}", d.get(..14).unwrap_or_default())
}

/// A new prepay id: `wx` and 30 letters and digits.
pub fn new_prepay_id() -> String {
    format!("wx{}", random_alnum(30))
}

/// WeChat's signature of `params`: uppercase MD5 of the sorted `k=v` pairs, `&key=`, the key.
pub fn wechat_sign(params: &[(&str, &str)]) -> String {
    let unsigned = format!("{}&key=", qfpay::sign::string_to_sign(params));
    qfpay::sign::digest(&unsigned, WECHAT_KEY, SignType::Md5)
}

/// JSAPI / mini-program `pay_params`: `appId`, `timeStamp` (a string), `nonceStr`, `package`
/// (`prepay_id=…`), `signType` (`MD5`), `paySign`. Returns them with the prepay id and the
/// `paySign`, which `/q/direct` later checks.
pub fn wechat_jsapi(app_code: &str, now: NaiveDateTime) -> (Value, String, String) {
    let prepay_id = new_prepay_id();
    let app_id = wechat_app_id(app_code);
    let time_stamp = unix_seconds(now).to_string();
    let nonce = random_alnum(32);
    let package = format!("prepay_id={prepay_id}");
    let pay_sign = wechat_sign(&[
        ("appId", &app_id),
        ("timeStamp", &time_stamp),
        ("nonceStr", &nonce),
        ("package", &package),
        ("signType", "MD5"),
    ]);
    let v = json!({
        "appId": app_id,
        "timeStamp": time_stamp,
        "nonceStr": nonce,
        "package": package,
        "signType": "MD5",
        "paySign": pay_sign,
    });
    (v, prepay_id, pay_sign)
}

/// WeChat in-app `pay_params`: `appid`, `partnerid`, `prepayid`, `package` (`Sign=WXPay`),
/// `noncestr`, `timestamp` (a JSON integer), `sign`. Returns them with the prepay id.
pub fn wechat_app(app_code: &str, now: NaiveDateTime) -> (Value, String) {
    let prepay_id = new_prepay_id();
    let app_id = wechat_app_id(app_code);
    let d = qfpay::sign::digest(app_code, "wechat-partner-id", SignType::Md5);
    let partner_id: String = d
        .bytes()
        .take(10)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    let timestamp = unix_seconds(now);
    let ts = timestamp.to_string();
    let nonce = random_alnum(32);
    let sign = wechat_sign(&[
        ("appid", &app_id),
        ("partnerid", &partner_id),
        ("prepayid", &prepay_id),
        ("package", "Sign=WXPay"),
        ("noncestr", &nonce),
        ("timestamp", &ts),
    ]);
    let v = json!({
        "appid": app_id,
        "partnerid": partner_id,
        "prepayid": prepay_id,
        "package": "Sign=WXPay",
        "noncestr": nonce,
        "timestamp": timestamp,
        "sign": sign,
    });
    (v, prepay_id)
}

/// What Alipay in-app `pay_params` are built from.
#[derive(Debug, Clone, Copy)]
pub struct AlipayOrder<'a> {
    /// The request's `seller_id`.
    pub seller_id: &'a str,
    /// `goods_name`.
    pub goods_name: &'a str,
    /// `goods_info` (else the goods name).
    pub goods_info: &'a str,
    /// Minor units.
    pub txamt: i64,
    /// Currency code.
    pub txcurrcd: &'a str,
    /// The notification URL the order uses (may be empty).
    pub notify_url: &'a str,
    /// The request's `return_url`.
    pub return_url: &'a str,
    /// Minutes the order stays payable.
    pub expired_minutes: i64,
    /// `pay_tag` (`ALIPAYHK` by default, or `ALIPAYCN`).
    pub pay_tag: &'a str,
    /// The order's `syssn` (Alipay's `out_trade_no`).
    pub syssn: &'a str,
}

/// `txamt` minor units of `currency` as an exact major-unit decimal string (`1050` HKD is
/// `"10.50"`, `500` JPY is `"500"`); an unknown currency is taken to have two decimals.
pub fn major_units(txamt: i64, currency: &str) -> String {
    match qfpay::Currency::parse(currency) {
        Ok(c) => qfpay::Money::new(txamt, c).to_major_string(),
        Err(_) => qfpay::Money::new(txamt, qfpay::Currency::HKD).to_major_string(),
    }
}

/// Alipay in-app `pay_params` (`mobile.securitypay.pay`), with a stand-in RSA `sign`.
pub fn alipay_app(o: &AlipayOrder<'_>) -> Value {
    let partner = format!(
        "2088{}",
        qfpay::sign::digest(o.seller_id, "alipay-partner", SignType::Md5)
            .bytes()
            .take(12)
            .map(|b| char::from(b'0' + b % 10))
            .collect::<String>()
    );
    let body = if o.goods_info.is_empty() {
        o.goods_name
    } else {
        o.goods_info
    };
    let mut sig = Vec::with_capacity(128);
    let d = qfpay::sign::digest(o.syssn, "alipay-rsa", SignType::Sha256);
    while sig.len() < 128 {
        sig.extend_from_slice(d.as_bytes());
    }
    sig.truncate(128);
    json!({
        "partner": partner,
        "seller_id": o.seller_id,
        "out_trade_no": o.syssn,
        "subject": o.goods_name,
        "body": body,
        "total_fee": major_units(o.txamt, o.txcurrcd),
        "notify_url": o.notify_url,
        "service": "mobile.securitypay.pay",
        "payment_type": "1",
        "_input_charset": "utf-8",
        "it_b_pay": format!("{}m", o.expired_minutes),
        "return_url": o.return_url,
        "payment_inst": o.pay_tag,
        "currency": o.txcurrcd,
        "product_code": "NEW_WAP_OVERSEAS_SELLER",
        "sign": base64(&sig),
        "sign_type": "RSA",
    })
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_units_are_exact() {
        assert_eq!(major_units(1050, "HKD"), "10.50");
        assert_eq!(major_units(1, "USD"), "0.01");
        assert_eq!(major_units(500, "JPY"), "500");
        assert_eq!(major_units(99_999_999_999, "HKD"), "999999999.99");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn jsapi_shape_and_sign() {
        let now = crate::state::Clock::default().now();
        let (v, prepay, sign) = wechat_jsapi("APP", now);
        assert_eq!(v["package"], format!("prepay_id={prepay}"));
        assert_eq!(v["paySign"], sign.as_str());
        assert!(v["timeStamp"].is_string());
        assert_eq!(v["appId"].as_str().unwrap().len(), 16);
        assert_eq!(sign, sign.to_ascii_uppercase());
        let (a, _) = wechat_app("APP", now);
        assert!(a["timestamp"].is_i64());
        assert_eq!(a["package"], "Sign=WXPay");
    }
}
