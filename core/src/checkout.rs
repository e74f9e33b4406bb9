//! Hosted checkout (`<base>/checkstand/#/?…&sign=…`): the link a web shop sends its customer
//! to, built and read back.
//!
//! QFPay's rule, as its published checkout boilerplate applies it: every parameter but `sign`
//! (`appcode` and `sign_type` included), empty values left out, sorted by name, `k=v` joined by
//! `&` over the **raw** values, the client key appended, hashed (SHA-256 or MD5, lowercase
//! hex); the link then carries every value percent-encoded as JavaScript's
//! `encodeURIComponent` does, in the URL's fragment, and `&sign=` last. Signing encoded values,
//! or putting raw ones in the link (a `return_url` with its own `&` splits), is the
//! `QFSign_Error` integrators meet; [`diagnose`] names which mistake a link made.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::model::Money;
use crate::sign::SignType;
use crate::validate;

/// What `encodeURIComponent` leaves alone: letters, digits and `- _ . ! ~ * ' ( )`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The path of QFPay's hosted checkout page; the parameters follow in the fragment.
pub const CHECKSTAND_PATH: &str = "/checkstand/#/?";

/// Whether `name` is a parameter a checkout link may carry: `appcode`, `sign_type`, `sign`, or
/// a field of the surface's `checkout_url` (its one table).
pub fn is_param(name: &str) -> bool {
    matches!(name, "appcode" | "sign_type" | "sign")
        || crate::surface::operation("checkout_url").is_some_and(|op| {
            op.args
                .iter()
                .chain(op.optional())
                .any(|o| o.field == Some(name))
        })
}

/// The `lang` values the checkout page takes.
pub const LANGS: &[&str] = &["zh-hk", "zh-cn", "en"];

/// How long the checkout page stays open (`checkout_expired_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutExpiry {
    /// Minutes from when the page opens (1 to 999).
    Minutes(u32),
    /// An instant, as Unix milliseconds (13 digits).
    AtMillis(i64),
}

impl CheckoutExpiry {
    /// The value sent: the minutes, or the 13-digit timestamp.
    pub fn value(&self) -> String {
        match self {
            CheckoutExpiry::Minutes(m) => m.to_string(),
            CheckoutExpiry::AtMillis(ms) => ms.to_string(),
        }
    }

    /// Reads a sent value: up to 3 digits are minutes, 13 digits an instant in milliseconds.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        let rule = "must be minutes (1 to 999) or a 13-digit Unix timestamp in milliseconds";
        match (digits, value.len()) {
            (true, 1..=3) => match value.parse::<u32>() {
                Ok(m) if m >= 1 => Ok(CheckoutExpiry::Minutes(m)),
                _ => Err(Error::validation(field, rule)),
            },
            (true, 13) => value
                .parse::<i64>()
                .map(CheckoutExpiry::AtMillis)
                .map_err(|_| Error::validation(field, rule)),
            _ => Err(Error::validation(field, rule)),
        }
    }
}

/// A hosted checkout order: what [`crate::Client::checkout_url`] turns into a signed link.
/// `out_trade_no` is generated and `txdtm` filled in when absent, as for a payment.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutRequest {
    /// The amount (`txamt`, `txcurrcd`).
    pub amount: Money,
    /// `paysource`: must end in `_checkout` (`remotepay_checkout` by default).
    pub paysource: Option<String>,
    /// The merchant order number (at most 128 characters).
    pub out_trade_no: Option<String>,
    /// `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: Option<String>,
    /// Where the customer goes after paying.
    pub return_url: String,
    /// Where the customer goes when the payment fails.
    pub failed_url: String,
    /// Where QFPay posts the notification.
    pub notify_url: String,
    /// Where the customer goes on cancelling.
    pub cancel_url: Option<String>,
    /// Sub-merchant id (agents); note QFPay's name, not `mchid`.
    pub mchntid: Option<String>,
    /// Goods shown on the page (at most 64 characters; QFPay's page advises 20 without
    /// special characters, and its own boilerplate sends 24).
    pub goods_name: Option<String>,
    /// Device id.
    pub udid: Option<String>,
    /// Minutes the wallet's QR code stays payable (5 to 120; WeChat, Alipay).
    pub expired_time: Option<u32>,
    /// How long the checkout page stays open.
    pub checkout_expired_time: Option<CheckoutExpiry>,
    /// When the checkout page closes, `YYYY-MM-DD hh:mm:ss` in the client's offset:
    /// [`crate::Client::checkout_url`] sends it as `checkout_expired_time` in Unix
    /// milliseconds. Not with `checkout_expired_time`.
    pub checkout_expires_at: Option<String>,
    /// `no_credit` to refuse credit cards (WeChat).
    pub limit_pay: Option<String>,
    /// The page's language: `zh-hk`, `zh-cn` or `en`.
    pub lang: Option<String>,
}

/// The `paysource` sent when none is given.
pub const DEFAULT_PAYSOURCE: &str = "remotepay_checkout";

impl CheckoutRequest {
    /// A checkout of `amount` with its three required URLs.
    pub fn new(
        amount: Money,
        return_url: impl Into<String>,
        failed_url: impl Into<String>,
        notify_url: impl Into<String>,
    ) -> Self {
        CheckoutRequest {
            amount,
            paysource: None,
            out_trade_no: None,
            txdtm: None,
            return_url: return_url.into(),
            failed_url: failed_url.into(),
            notify_url: notify_url.into(),
            cancel_url: None,
            mchntid: None,
            goods_name: None,
            udid: None,
            expired_time: None,
            checkout_expired_time: None,
            checkout_expires_at: None,
            limit_pay: None,
            lang: None,
        }
    }

    /// Checks every documented rule, naming the field and the rule.
    pub fn validate(&self) -> Result<()> {
        validate::amount("txamt", &self.amount)?;
        if let Some(p) = &self.paysource {
            validate::no_control_chars("paysource", p)?;
            if !p.ends_with("_checkout") || p.len() <= "_checkout".len() {
                return Err(Error::validation(
                    "paysource",
                    "must end in _checkout (remotepay_checkout)",
                ));
            }
            validate::length("paysource", p, 1, 64)?;
        }
        validate::optional(self.out_trade_no.as_deref(), |v| {
            validate::order_number("out_trade_no", v)
        })?;
        validate::optional(self.txdtm.as_deref(), |v| {
            validate::datetime("txdtm", v).map(|_| ())
        })?;
        validate::http_url("return_url", &self.return_url, 512)?;
        validate::http_url("failed_url", &self.failed_url, 512)?;
        validate::http_url("notify_url", &self.notify_url, 256)?;
        validate::optional(self.cancel_url.as_deref(), |v| {
            validate::http_url("cancel_url", v, 512)
        })?;
        validate::optional(self.mchntid.as_deref(), |v| {
            validate::length("mchntid", v, 1, 16)?;
            validate::no_control_chars("mchntid", v)
        })?;
        validate::optional(self.goods_name.as_deref(), |v| {
            validate::length("goods_name", v, 1, 64)?;
            validate::no_control_chars("goods_name", v)
        })?;
        validate::optional(self.udid.as_deref(), |v| {
            validate::length("udid", v, 1, 40)?;
            validate::no_control_chars("udid", v)
        })?;
        if let Some(m) = self.expired_time
            && !(5..=120).contains(&m)
        {
            return Err(Error::validation(
                "expired_time",
                "must be 5 to 120 minutes",
            ));
        }
        if let Some(e) = &self.checkout_expired_time {
            CheckoutExpiry::parse("checkout_expired_time", &e.value())?;
        }
        if let Some(at) = &self.checkout_expires_at {
            if self.checkout_expired_time.is_some() {
                return Err(Error::validation(
                    "checkout_expires_at",
                    "goes instead of checkout_expired_time, not with it",
                ));
            }
            validate::datetime("checkout_expires_at", at)?;
        }
        if let Some(l) = &self.limit_pay
            && l != "no_credit"
        {
            return Err(Error::validation("limit_pay", "must be no_credit"));
        }
        if let Some(l) = &self.lang
            && !LANGS.contains(&l.as_str())
        {
            return Err(Error::validation("lang", "must be zh-hk, zh-cn or en"));
        }
        Ok(())
    }

    /// The parameters signed and sent, but `appcode`, `sign_type` and `sign`.
    pub fn to_params(&self, out_trade_no: &str, txdtm: &str) -> Vec<(&'static str, String)> {
        let mut p = vec![
            (
                "paysource",
                self.paysource
                    .clone()
                    .unwrap_or_else(|| DEFAULT_PAYSOURCE.to_owned()),
            ),
            ("txamt", self.amount.amount.to_string()),
            ("txcurrcd", self.amount.currency.code().to_owned()),
            ("out_trade_no", out_trade_no.to_owned()),
            ("txdtm", txdtm.to_owned()),
            ("return_url", self.return_url.clone()),
            ("failed_url", self.failed_url.clone()),
            ("notify_url", self.notify_url.clone()),
        ];
        let optional = [
            ("cancel_url", self.cancel_url.clone()),
            ("mchntid", self.mchntid.clone()),
            ("goods_name", self.goods_name.clone()),
            ("udid", self.udid.clone()),
            ("expired_time", self.expired_time.map(|m| m.to_string())),
            (
                "checkout_expired_time",
                self.checkout_expired_time.map(|e| e.value()),
            ),
            ("limit_pay", self.limit_pay.clone()),
            ("lang", self.lang.clone()),
        ];
        p.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        p
    }
}

/// The value of `sign_type` in a checkout link: lowercase, as QFPay's boilerplate signs it.
pub fn sign_type_value(sign_type: SignType) -> &'static str {
    match sign_type {
        SignType::Md5 => "md5",
        SignType::Sha256 => "sha256",
    }
}

/// The lowercase hex signature of checkout `params` (`sign` excluded by the caller).
pub fn signature<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    key: &str,
    sign_type: SignType,
) -> String {
    crate::sign::digest(&crate::sign::string_to_sign(params), key, sign_type).to_ascii_lowercase()
}

/// `value` percent-encoded as `encodeURIComponent` does.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// A signed checkout link and what it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutLink {
    /// The link to send the customer to.
    pub url: String,
    /// Every parameter, decoded, in the link's order (`sign` last).
    pub params: Vec<(String, String)>,
}

impl CheckoutLink {
    /// The value of parameter `name` (decoded), empty when the link has none.
    pub fn get(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The merchant order number: store it before redirecting, query it afterwards.
    pub fn out_trade_no(&self) -> &str {
        self.get("out_trade_no")
    }

    /// The amount in minor units, when it is a whole number.
    pub fn txamt(&self) -> Option<i64> {
        self.get("txamt").parse().ok()
    }
}

crate::model::describe::describe!(CheckoutLink "A signed hosted-checkout link (QFPay's checkstand page) and the values it carries." {
    url: "str" "The link to send the customer to." = |c| &c.url,
    out_trade_no: "str" "The merchant order number (generated when not given): query it or wait for its notification." = |c| c.get("out_trade_no"),
    txamt: "int?" "Amount in minor units." = |c| c.txamt(),
    txcurrcd: "str" "Currency code." = |c| c.get("txcurrcd"),
    txdtm: "str" "The request time signed." = |c| c.get("txdtm"),
    paysource: "str" "The paysource (ends in _checkout)." = |c| c.get("paysource"),
    appcode: "str" "The app code the link was signed for." = |c| c.get("appcode"),
    sign_type: "str" "md5 or sha256, as signed." = |c| c.get("sign_type"),
    sign: "str" "The signature (lowercase hex)." = |c| c.get("sign"),
    params: "raw" "Every parameter, decoded (sign included)." = |c| c.params.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
});

/// Builds the signed link for `req` (already given its `out_trade_no` and `txdtm`).
pub fn build(
    base_url: &str,
    app_code: &str,
    key: &str,
    sign_type: SignType,
    req: &CheckoutRequest,
    out_trade_no: &str,
    txdtm: &str,
) -> Result<CheckoutLink> {
    req.validate()?;
    validate::order_number("out_trade_no", out_trade_no)?;
    validate::datetime("txdtm", txdtm)?;
    let mut params: Vec<(String, String)> = vec![
        ("appcode".to_owned(), app_code.to_owned()),
        (
            "sign_type".to_owned(),
            sign_type_value(sign_type).to_owned(),
        ),
    ];
    params.extend(
        req.to_params(out_trade_no, txdtm)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v)),
    );
    params.retain(|(_, v)| !v.is_empty());
    params.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let sign = signature(&params, key, sign_type);
    let mut url = format!("{}{CHECKSTAND_PATH}", base_url.trim_end_matches('/'));
    for (k, v) in &params {
        url.push_str(k);
        url.push('=');
        url.push_str(&encode_component(v));
        url.push('&');
    }
    url.push_str("sign=");
    url.push_str(&sign);
    params.push(("sign".to_owned(), sign));
    Ok(CheckoutLink { url, params })
}

/// The query part of a checkout link: after `#/?` (or `#?`, or, for a server that receives the
/// parameters, after `?`).
fn query_part(url: &str) -> Option<&str> {
    if let Some((_, frag)) = url.split_once('#') {
        return frag
            .strip_prefix("/?")
            .or_else(|| frag.strip_prefix('?'))
            .or_else(|| frag.split_once('?').map(|(_, q)| q));
    }
    url.split_once('?').map(|(_, q)| q)
}

/// Reads a checkout link's parameters, decoded as `decodeURIComponent` does (`+` stays `+`),
/// without verifying its signature.
pub fn parse(url: &str) -> Result<CheckoutLink> {
    let query = query_part(url).ok_or_else(|| {
        Error::validation("url", "must be a checkout link (…/checkstand/#/?…&sign=…)")
    })?;
    let mut params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| Error::validation("url", "holds a value that is not valid UTF-8"))
        };
        params.push((decode(k)?, decode(v)?));
    }
    if !params.iter().any(|(k, _)| k == "sign") {
        return Err(Error::validation("url", "has no sign parameter"));
    }
    Ok(CheckoutLink {
        url: url.to_owned(),
        params,
    })
}

/// Why a checkout link's signature fails, in QFPay's terms and the likely mistake, or `None`
/// when it verifies under `key`.
pub fn diagnose(link: &CheckoutLink, key: &str) -> Option<String> {
    let sign = link.get("sign");
    let unsigned: Vec<(&str, &str)> = link
        .params
        .iter()
        .filter(|(k, _)| k != "sign")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sign_type = match link.get("sign_type").to_ascii_lowercase().as_str() {
        "sha256" => SignType::Sha256,
        "md5" | "" => SignType::Md5,
        other => {
            return Some(format!(
                "QFSign_Error: sign_type {other:?} is neither md5 nor sha256"
            ));
        }
    };
    let matches = |expected: &str| -> bool {
        let (a, b) = (expected.to_ascii_lowercase(), sign.to_ascii_lowercase());
        a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
    };
    if matches(&signature(&unsigned, key, sign_type)) {
        return None;
    }
    for v in ["txamt", "txcurrcd", "out_trade_no"] {
        if link.get(v).is_empty() {
            return Some(format!("QFSign_Error: the link has no {v}"));
        }
    }
    let encoded: Vec<(&str, String)> = unsigned
        .iter()
        .map(|(k, v)| (*k, encode_component(v)))
        .collect();
    if matches(&signature(&encoded, key, sign_type)) {
        return Some(
            "QFSign_Error: the link was signed over percent-encoded values; sign the raw values and encode them only in the link".to_owned(),
        );
    }
    if let Some((k, _)) = link.params.iter().find(|(k, _)| !is_param(k)) {
        return Some(format!(
            "QFSign_Error: the link holds {k:?}, which is no checkout parameter: a value was put in the link without percent-encoding (its & split it); encode every value in the link"
        ));
    }
    Some(
        "QFSign_Error: the signature does not match: a wrong client key, a value changed after signing, or a value left unencoded in the link (its & split it)".to_owned(),
    )
}

/// Reads a checkout link and verifies its signature under `key` (case-insensitive hex, in
/// constant time); a failure is [`Error::Signature`] saying which mistake it looks like.
pub fn verify(url: &str, key: &str) -> Result<CheckoutLink> {
    let link = parse(url)?;
    match diagnose(&link, key) {
        None => Ok(link),
        Some(reason) => Err(Error::Signature(format!(
            "checkout link signature mismatch: {reason}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;

    fn req() -> CheckoutRequest {
        let mut r = CheckoutRequest::new(
            Money::new(1, Currency::HKD),
            "https://www.baidu.com",
            "https://www.baidu.com",
            "https://www.baidu.com",
        );
        r.goods_name = Some("remotfpay_checkout".into());
        r
    }

    #[test]
    fn a_link_verifies_and_reads_back() {
        let mut r = req();
        r.return_url = "https://shop.example/back?shop=2&k=a b+c".into();
        let link = build(
            "https://test-openapi-hk.qfapi.com/",
            "APP",
            "KEY",
            SignType::Sha256,
            &r,
            "13322916216626239614",
            "2020-06-28 18:33:20",
        )
        .unwrap();
        assert!(
            link.url
                .starts_with("https://test-openapi-hk.qfapi.com/checkstand/#/?appcode=APP&")
        );
        assert!(
            link.url.contains(
                "return_url=https%3A%2F%2Fshop.example%2Fback%3Fshop%3D2%26k%3Da%20b%2Bc&"
            )
        );
        let back = verify(&link.url, "KEY").unwrap();
        assert_eq!(back.params, link.params);
        assert_eq!(back.txamt(), Some(1));
        let wrong = verify(&link.url, "OTHER").unwrap_err();
        assert_eq!(wrong.code(), "signature");
        // The same values, raw in the link: the return URL's & splits it.
        let raw = link.url.replace(
            "https%3A%2F%2Fshop.example%2Fback%3Fshop%3D2%26k%3Da%20b%2Bc",
            "https://shop.example/back?shop=2&k=a b+c",
        );
        assert!(verify(&raw, "KEY").is_err());
    }

    #[test]
    fn signing_encoded_values_is_named() {
        let params = [
            ("appcode", "APP"),
            ("return_url", "https://a.example/?x=1&y=2"),
        ];
        let encoded: Vec<(&str, String)> = params
            .iter()
            .map(|(k, v)| (*k, encode_component(v)))
            .collect();
        let sign = signature(&encoded, "KEY", SignType::Md5);
        let url = format!(
            "https://h/checkstand/#/?appcode=APP&return_url={}&txamt=1&sign={sign}",
            encode_component("https://a.example/?x=1&y=2")
        );
        // txamt was not signed either: a changed value.
        assert!(verify(&url, "KEY").is_err());
    }

    #[test]
    fn rules_name_their_field() {
        let field = |r: &CheckoutRequest| r.validate().unwrap_err().field().map(str::to_owned);
        let mut r = req();
        r.paysource = Some("remotepay".into());
        assert_eq!(field(&r).as_deref(), Some("paysource"));
        let mut r = req();
        r.lang = Some("fr".into());
        assert_eq!(field(&r).as_deref(), Some("lang"));
        let mut r = req();
        r.return_url = "shop/back".into();
        assert_eq!(field(&r).as_deref(), Some("return_url"));
        let mut r = req();
        r.goods_name = Some("x".repeat(65));
        assert_eq!(field(&r).as_deref(), Some("goods_name"));
        assert!(CheckoutExpiry::parse("c", "12").is_ok());
        assert!(CheckoutExpiry::parse("c", "1767225600000").is_ok());
        assert!(CheckoutExpiry::parse("c", "1234").is_err());
        assert!(CheckoutExpiry::parse("c", "0").is_err());
    }

    #[test]
    fn every_parameter_a_link_carries_is_known() {
        let mut r = req();
        r.cancel_url = Some("https://a.example/c".into());
        r.mchntid = Some("M".into());
        r.udid = Some("u".into());
        r.expired_time = Some(10);
        r.checkout_expired_time = Some(CheckoutExpiry::Minutes(5));
        r.limit_pay = Some("no_credit".into());
        r.lang = Some("en".into());
        let link = build(
            "http://h",
            "A",
            "K",
            SignType::Md5,
            &r,
            "qfX",
            "2026-12-07 10:00:00",
        )
        .unwrap();
        assert_eq!(link.params.len(), 19);
        assert!(link.params.iter().all(|(k, _)| is_param(k)));
        assert!(!is_param("shopId"));
    }

    #[test]
    fn encoding_is_encode_uri_component() {
        assert_eq!(
            encode_component("a b&c=d/é!~*'()-_.+"),
            "a%20b%26c%3Dd%2F%C3%A9!~*'()-_.%2B"
        );
    }
}
