//! Paying inside WeChat (Official Account pages, 800207): the OAuth code link, and QFPay's
//! cashier redirect (`/q/direct`) built from a payment's `pay_params`. The openid exchange in
//! between is a client call ([`crate::Client::get_wechat_openid`]).
//!
//! QFPay's rule for the OAuth link: `app_code`, `redirect_uri` (and `mchid` when sent) signed as
//! any request (sorted, raw values, the key appended, MD5, uppercase hex), sent as query
//! parameters with `sign`. QFPay's sample puts `redirect_uri` in the link unencoded, which
//! breaks any `redirect_uri` with its own `?` or `&`: here every value is percent-encoded.

use crate::checkout::encode_component;
use crate::error::{Error, Result};
use crate::model::{Money, WechatPayParams};
use crate::sign::{self, SignType};
use crate::validate;

/// The OAuth code path; the browser opens it inside WeChat and is sent on to `redirect_uri`
/// with `code=…`.
pub const OAUTH_PATH: &str = "/tool/v1/get_weixin_oauth_code";

/// The cashier redirect's path.
pub const CASHIER_PATH: &str = "/q/direct";

/// QFPay's cashier hosts by region (`/q/direct`): `hk`, `cn`, `th`.
pub const CASHIER_HOSTS: &[(&str, &str)] = &[
    ("hk", "https://o2-hk.qfapi.com"),
    ("cn", "https://o2.qfpay.com"),
    ("th", "https://o2-th.qfapi.com"),
];

fn query(params: &[(&str, String)]) -> String {
    params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The signed OAuth code link under `base_url` for `redirect_uri` (at most 512 characters).
pub fn oauth_url(
    base_url: &str,
    app_code: &str,
    key: &str,
    redirect_uri: &str,
    mchid: Option<&str>,
) -> Result<String> {
    validate::http_url("redirect_uri", redirect_uri, 512)?;
    validate::optional(mchid, |m| validate::length("mchid", m, 1, 16))?;
    let mut params = vec![
        ("app_code", app_code.to_owned()),
        ("redirect_uri", redirect_uri.to_owned()),
    ];
    if let Some(m) = mchid {
        params.push(("mchid", m.to_owned()));
    }
    let sign = sign::sign(&params, key, SignType::Md5);
    params.push(("sign", sign));
    Ok(format!(
        "{}{OAUTH_PATH}?{}",
        base_url.trim_end_matches('/'),
        query(&params)
    ))
}

/// What QFPay's cashier page shows and where it sends the customer after paying.
#[derive(Debug, Clone, PartialEq)]
pub struct CashierRequest {
    /// The payment's amount (`txamt`, `currency`).
    pub amount: Money,
    /// The six WeChat fields, from the payment's `pay_params`.
    pub pay_params: WechatPayParams,
    /// The merchant's name shown on the page (`mchntnm`, at most 128 characters).
    pub mchntnm: String,
    /// Where the customer goes after paying (at most 512 characters).
    pub redirect_url: String,
    /// Goods shown on the page (at most 64 characters).
    pub goods_name: Option<String>,
}

impl CashierRequest {
    /// Checks the documented limits and that the six WeChat fields are all there.
    pub fn validate(&self) -> Result<()> {
        validate::amount("txamt", &self.amount)?;
        validate::length("mchntnm", &self.mchntnm, 1, 128)?;
        validate::no_control_chars("mchntnm", &self.mchntnm)?;
        validate::http_url("redirect_url", &self.redirect_url, 512)?;
        validate::optional(self.goods_name.as_deref(), |g| {
            validate::length("goods_name", g, 1, 64)
        })?;
        let p = &self.pay_params;
        for (field, v) in [
            ("pay_params.appId", &p.app_id),
            ("pay_params.timeStamp", &p.time_stamp),
            ("pay_params.nonceStr", &p.nonce_str),
            ("pay_params.package", &p.package),
            ("pay_params.signType", &p.sign_type),
            ("pay_params.paySign", &p.pay_sign),
        ] {
            if v.is_empty() {
                return Err(Error::validation(
                    field,
                    "is required: pass the payment's pay_params (800207) as QFPay answered them",
                ));
            }
        }
        Ok(())
    }
}

/// QFPay's cashier link for `req` on `host` (a [`CASHIER_HOSTS`] URL, or the local sandbox's
/// base URL).
pub fn cashier_url(host: &str, req: &CashierRequest) -> Result<String> {
    req.validate()?;
    let p = &req.pay_params;
    let params = [
        ("mchntnm", req.mchntnm.clone()),
        ("txamt", req.amount.amount.to_string()),
        ("currency", req.amount.currency.code().to_owned()),
        ("goods_name", req.goods_name.clone().unwrap_or_default()),
        ("redirect_url", req.redirect_url.clone()),
        ("package", p.package.clone()),
        ("timeStamp", p.time_stamp.clone()),
        ("signType", p.sign_type.clone()),
        ("paySign", p.pay_sign.clone()),
        ("appId", p.app_id.clone()),
        ("nonceStr", p.nonce_str.clone()),
    ];
    Ok(format!(
        "{}{CASHIER_PATH}?{}",
        host.trim_end_matches('/'),
        query(&params)
    ))
}

/// The cashier host for `region` (`hk`, `cn`, `th`).
pub fn cashier_host(region: &str) -> Result<&'static str> {
    CASHIER_HOSTS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, h)| *h)
        .ok_or_else(|| Error::validation("region", "must be hk, cn or th"))
}

/// Reads `pay_params` given as a map of WeChat's six fields (or the JSON text of one) for
/// [`CashierRequest`]: the same reading as a payment's answer.
pub fn pay_params_from_json(value: &serde_json::Value) -> Result<WechatPayParams> {
    match crate::model::PayParams::read(Some(value)) {
        Some(crate::model::PayParams::WechatJsapi(w)) => Ok(w),
        _ => Err(Error::validation(
            "pay_params",
            "must be a WeChat JSAPI payment's pay_params (appId, timeStamp, nonceStr, package, signType, paySign)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;

    #[test]
    fn the_oauth_link_is_signed_over_raw_values_and_encoded() {
        let url = oauth_url(
            "http://127.0.0.1:1/",
            "APP",
            "KEY",
            "https://shop.example/cb?order=1&x=2",
            None,
        )
        .unwrap();
        let expected = sign::sign(
            &[
                ("app_code", "APP"),
                ("redirect_uri", "https://shop.example/cb?order=1&x=2"),
            ],
            "KEY",
            SignType::Md5,
        );
        assert_eq!(
            url,
            format!(
                "http://127.0.0.1:1/tool/v1/get_weixin_oauth_code?app_code=APP&redirect_uri=https%3A%2F%2Fshop.example%2Fcb%3Forder%3D1%26x%3D2&sign={expected}"
            )
        );
        let e = oauth_url("http://h", "A", "K", "not a url", None).unwrap_err();
        assert_eq!(e.field(), Some("redirect_uri"));
    }

    #[test]
    fn the_cashier_link_carries_the_six_fields() {
        let pp = pay_params_from_json(&serde_json::json!({
            "appId": "wx1", "timeStamp": "1700000000", "nonceStr": "n", "package": "prepay_id=wx2",
            "signType": "MD5", "paySign": "AB"
        }))
        .unwrap();
        let req = CashierRequest {
            amount: Money::new(300, Currency::HKD),
            pay_params: pp,
            mchntnm: "咖啡店".into(),
            redirect_url: "https://shop.example/done".into(),
            goods_name: None,
        };
        let url = cashier_url(cashier_host("hk").unwrap(), &req).unwrap();
        assert!(url.starts_with("https://o2-hk.qfapi.com/q/direct?mchntnm=%E5%92%96"));
        assert!(url.contains("&txamt=300&currency=HKD&redirect_url=https%3A%2F%2Fshop.example%2Fdone&package=prepay_id%3Dwx2&"));
        assert!(pay_params_from_json(&serde_json::json!({"a": 1})).is_err());
        assert!(cashier_host("xx").is_err());
    }
}
