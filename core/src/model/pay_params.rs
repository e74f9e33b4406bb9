//! `pay_params`: what a payment's answer hands the customer's front end, typed by shape
//! ([`crate::AnswerShape`]). QFPay sends it as a JSON object (some hosts as a JSON string of
//! one); each type keeps the object exactly as sent in `raw`, which is what the page passes to
//! `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, `wx.requestPayment(…)`, the WeChat app
//! SDK or Alipay's.

use crate::model::fields::{RawMap, text};
use serde_json::Value;

/// WeChat's JSAPI / mini-program parameters (800207, 800213): the six fields
/// `WeixinJSBridge` and `wx.requestPayment` take, and QFPay's cashier (`/q/direct`) copies.
#[derive(Debug, Clone, PartialEq)]
pub struct WechatPayParams {
    /// `appId`.
    pub app_id: String,
    /// `timeStamp`: Unix seconds, as text.
    pub time_stamp: String,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `package`: `prepay_id=…`.
    pub package: String,
    /// `signType` (`MD5` by default).
    pub sign_type: String,
    /// `paySign`.
    pub pay_sign: String,
    /// The object as QFPay sent it (WeChat's own key names).
    pub raw: RawMap,
}

crate::model::describe::describe!(WechatPayParams "WeChat JSAPI / mini-program pay parameters (800207, 800213): pass raw to WeixinJSBridge or wx.requestPayment as it is." {
    app_id: "str" "appId." = |w| &w.app_id,
    time_stamp: "str" "timeStamp (Unix seconds, as text)." = |w| &w.time_stamp,
    nonce_str: "str" "nonceStr." = |w| &w.nonce_str,
    package: "str" "package (prepay_id=...)." = |w| &w.package,
    sign_type: "str" "signType (MD5 by default)." = |w| &w.sign_type,
    pay_sign: "str" "paySign." = |w| &w.pay_sign,
    raw: "raw" "The object as QFPay sent it, with WeChat's key names: what the page hands to WeChat." = |w| &w.raw,
});

/// WeChat in-app parameters (800210, 801010) for the WeChat app SDK's `PayReq`.
#[derive(Debug, Clone, PartialEq)]
pub struct WechatAppParams {
    /// `appid`.
    pub app_id: String,
    /// `partnerid`.
    pub partner_id: String,
    /// `prepayid`.
    pub prepay_id: String,
    /// `package` (`Sign=WXPay`).
    pub package: String,
    /// `noncestr`.
    pub nonce_str: String,
    /// `timestamp`: Unix seconds (an integer in QFPay's JSON, text here).
    pub timestamp: String,
    /// `sign`.
    pub sign: String,
    /// The object as QFPay sent it.
    pub raw: RawMap,
}

crate::model::describe::describe!(WechatAppParams "WeChat in-app pay parameters (800210, 801010) for the WeChat app SDK: pass raw to the app as it is." {
    app_id: "str" "appid." = |w| &w.app_id,
    partner_id: "str" "partnerid." = |w| &w.partner_id,
    prepay_id: "str" "prepayid." = |w| &w.prepay_id,
    package: "str" "package (Sign=WXPay)." = |w| &w.package,
    nonce_str: "str" "noncestr." = |w| &w.nonce_str,
    timestamp: "str" "timestamp (Unix seconds; an integer in QFPay's JSON)." = |w| &w.timestamp,
    sign: "str" "sign." = |w| &w.sign,
    raw: "raw" "The object as QFPay sent it: what the app hands to the WeChat SDK." = |w| &w.raw,
});

/// Alipay in-app parameters (801110, 801510): Alipay's `mobile.securitypay.pay` fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AlipayPayParams {
    /// `partner`.
    pub partner: String,
    /// `seller_id`.
    pub seller_id: String,
    /// `subject`.
    pub subject: String,
    /// `total_fee`: major units as Alipay writes them (`"10.00"`), text, never a float.
    pub total_fee: String,
    /// `currency`.
    pub currency: String,
    /// `service` (`mobile.securitypay.pay`).
    pub service: String,
    /// `sign` (RSA).
    pub sign: String,
    /// `sign_type` (`RSA`).
    pub sign_type: String,
    /// The object as QFPay sent it (every other field: `body`, `notify_url`, `it_b_pay`,
    /// `return_url`, `payment_inst`, `product_code`, `secondary_merchant_*`...).
    pub raw: RawMap,
}

crate::model::describe::describe!(AlipayPayParams "Alipay in-app pay parameters (801110, 801510): pass raw to Alipay's SDK as it is." {
    partner: "str" "partner." = |a| &a.partner,
    seller_id: "str" "seller_id." = |a| &a.seller_id,
    subject: "str" "subject." = |a| &a.subject,
    total_fee: "str" "total_fee: major units as text (10.00), never a float." = |a| &a.total_fee,
    currency: "str" "currency." = |a| &a.currency,
    service: "str" "service (mobile.securitypay.pay)." = |a| &a.service,
    sign: "str" "sign (RSA)." = |a| &a.sign,
    sign_type: "str" "sign_type (RSA)." = |a| &a.sign_type,
    raw: "raw" "The object as QFPay sent it: every field, for Alipay's SDK." = |a| &a.raw,
});

/// A payment's `pay_params`, by its shape (told by its keys, not by the pay type: QFPay's pages
/// disagree on which types answer which).
#[derive(Debug, Clone, PartialEq)]
pub enum PayParams {
    /// WeChat JSAPI / mini-program.
    WechatJsapi(WechatPayParams),
    /// WeChat in-app.
    WechatApp(WechatAppParams),
    /// Alipay in-app.
    AlipayApp(AlipayPayParams),
    /// A shape this SDK does not name: kept as sent (in the payment's `raw`).
    Other(RawMap),
}

impl PayParams {
    /// Reads `pay_params` as QFPay sent it: an object, or a JSON string holding one. `None`
    /// when absent or empty.
    pub fn read(value: Option<&Value>) -> Option<Self> {
        let map = match value? {
            Value::Object(m) => m.clone(),
            Value::String(s) if !s.trim().is_empty() => match serde_json::from_str(s) {
                Ok(Value::Object(m)) => m,
                _ => return None,
            },
            _ => return None,
        };
        if map.is_empty() {
            return None;
        }
        let has = |k: &str| map.contains_key(k);
        Some(if has("paySign") || (has("appId") && has("timeStamp")) {
            PayParams::WechatJsapi(WechatPayParams {
                app_id: text(&map, "appId"),
                time_stamp: text(&map, "timeStamp"),
                nonce_str: text(&map, "nonceStr"),
                package: text(&map, "package"),
                sign_type: text(&map, "signType"),
                pay_sign: text(&map, "paySign"),
                raw: map,
            })
        } else if has("prepayid") || has("partnerid") {
            PayParams::WechatApp(WechatAppParams {
                app_id: text(&map, "appid"),
                partner_id: text(&map, "partnerid"),
                prepay_id: text(&map, "prepayid"),
                package: text(&map, "package"),
                nonce_str: text(&map, "noncestr"),
                timestamp: text(&map, "timestamp"),
                sign: text(&map, "sign"),
                raw: map,
            })
        } else if has("partner") || has("service") || has("total_fee") {
            PayParams::AlipayApp(AlipayPayParams {
                partner: text(&map, "partner"),
                seller_id: text(&map, "seller_id"),
                subject: text(&map, "subject"),
                total_fee: text(&map, "total_fee"),
                currency: text(&map, "currency"),
                service: text(&map, "service"),
                sign: text(&map, "sign"),
                sign_type: text(&map, "sign_type"),
                raw: map,
            })
        } else {
            PayParams::Other(map)
        })
    }

    /// The WeChat JSAPI shape, if that is what this is.
    pub fn wechat(&self) -> Option<&WechatPayParams> {
        match self {
            PayParams::WechatJsapi(w) => Some(w),
            _ => None,
        }
    }

    /// The WeChat in-app shape, if that is what this is.
    pub fn wechat_app(&self) -> Option<&WechatAppParams> {
        match self {
            PayParams::WechatApp(w) => Some(w),
            _ => None,
        }
    }

    /// The Alipay in-app shape, if that is what this is.
    pub fn alipay(&self) -> Option<&AlipayPayParams> {
        match self {
            PayParams::AlipayApp(a) => Some(a),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_are_told_by_their_keys() {
        let w = json!({"appId": "wx1", "timeStamp": "1700000000", "nonceStr": "n", "package": "prepay_id=wx2", "signType": "MD5", "paySign": "AB"});
        let p = PayParams::read(Some(&w)).unwrap();
        let wechat = p.wechat().unwrap();
        assert_eq!(wechat.package, "prepay_id=wx2");
        assert_eq!(Value::Object(wechat.raw.clone()), w);
        // As a JSON string, too.
        let s = Value::String(w.to_string());
        assert_eq!(PayParams::read(Some(&s)), Some(p));
        let app = json!({"appid": "wx1", "partnerid": "1", "prepayid": "wx3", "package": "Sign=WXPay", "noncestr": "n", "timestamp": 1700000000, "sign": "S"});
        let app = PayParams::read(Some(&app)).unwrap();
        assert_eq!(app.wechat_app().unwrap().timestamp, "1700000000");
        let ali = json!({"partner": "2088", "seller_id": "s@x", "total_fee": "10.00", "service": "mobile.securitypay.pay"});
        assert_eq!(
            PayParams::read(Some(&ali))
                .unwrap()
                .alipay()
                .unwrap()
                .total_fee,
            "10.00"
        );
        assert!(matches!(
            PayParams::read(Some(&json!({"tn": "1"}))),
            Some(PayParams::Other(_))
        ));
        assert_eq!(PayParams::read(Some(&json!(""))), None);
        assert_eq!(PayParams::read(None), None);
    }
}
