//! JavaScript request objects (camelCase, amounts as numbers) to core requests.
//!
//! Only conversions live here: a wrong JavaScript type, a fractional or unsafe amount, or an
//! unknown option becomes a validation error naming the QFPay field (nested ones with a dot:
//! `extend_info.user_creid`) or the option as JavaScript spells it; every QFPay rule is
//! checked by the core's own `validate()`. A message names a wrong value's type, never the
//! value (it could be a key passed in the wrong place).

use std::time::Duration;

use qfpay::{
    CancelRequest, Currency, ExtendInfo, Money, PayType, PaymentRequest, QueryRequest,
    RefundRequest,
};
use serde_json::{Map, Value};

use crate::errors::invalid;

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The key of the stand-in object `lib/index.js` puts where a value has no JSON form (a Buffer,
/// Date, Map, function, Symbol, BigInt...): `{ "\u0000qfpay:type": "a Buffer" }`, so that the
/// error names the field and the type it should have had.
pub const TYPE_MARKER: &str = "\u{0}qfpay:type";

/// The type a stand-in object stands for (`a Buffer`), if `v` is one.
fn marker(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) if m.len() == 1 => m.get(TYPE_MARKER).and_then(Value::as_str),
        _ => None,
    }
}

/// A request object from JavaScript, read key by key. Keys that were read are remembered so
/// that [`Fields::finish`] can reject the ones nobody asked for (a typo such as `goods_name`
/// instead of `goodsName` would otherwise be dropped silently).
pub struct Fields<'a> {
    what: &'static str,
    /// Prepended to every field name (`extend_info.` for the members of `extendInfo`).
    prefix: &'static str,
    /// Prepended to every key as the caller wrote it (`extendInfo.`), for messages.
    js_prefix: &'static str,
    map: Map<String, Value>,
    known: Vec<&'a str>,
    /// Options (client, call, wait, sandbox) are named as JavaScript spells them
    /// (`timeoutMs`); request fields by their QFPay names (`goods_name`).
    js_names: bool,
}

/// The QFPay name of a camelCase key, for error messages (`goodsName` → `goods_name`).
fn qf_name(key: &str) -> String {
    match key {
        "amount" => "txamt".to_owned(),
        "currency" => "txcurrcd".to_owned(),
        _ => {
            let mut out = String::with_capacity(key.len() + 4);
            for c in key.chars() {
                if c.is_ascii_uppercase() {
                    out.push('_');
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// What a wrong value is, by its JavaScript type only: the value itself is never quoted.
pub fn describe(v: &Value) -> String {
    if let Some(t) = marker(v) {
        return t.to_owned();
    }
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
    .to_owned()
}

/// The error for a request or options argument that is not an object.
fn not_object(what: &str, arg: &str, v: &Value) -> qfpay::Error {
    invalid(
        arg,
        format!("must be an object ({what}), got {}", describe(v)),
    )
}

impl<'a> Fields<'a> {
    /// Reads `value`, which must be an object (or absent, for an empty request); `arg` is
    /// the argument's name, which an error names when `value` is not an object (`request`).
    pub fn new(what: &'static str, arg: &str, value: Option<Value>) -> qfpay::Result<Self> {
        let map = match value {
            None | Some(Value::Null) => Map::new(),
            Some(v @ Value::Object(_)) if marker(&v).is_some() => {
                return Err(not_object(what, arg, &v));
            }
            Some(Value::Object(m)) => m,
            Some(other) => return Err(not_object(what, arg, &other)),
        };
        Ok(Self {
            what,
            prefix: "",
            js_prefix: "",
            map,
            known: Vec::new(),
            js_names: false,
        })
    }

    /// Reads an options object: errors name the option as JavaScript spells it.
    pub fn options(what: &'static str, arg: &str, value: Option<Value>) -> qfpay::Result<Self> {
        let mut f = Self::new(what, arg, value)?;
        f.js_names = true;
        Ok(f)
    }

    /// Reads a nested object of QFPay fields: errors name them `prefix` + the QFPay name.
    pub fn nested(
        what: &'static str,
        prefix: &'static str,
        js_prefix: &'static str,
        value: Option<Value>,
    ) -> qfpay::Result<Self> {
        let mut f = Self::new(what, prefix.trim_end_matches('.'), value)?;
        f.prefix = prefix;
        f.js_prefix = js_prefix;
        Ok(f)
    }

    /// The name an error gives `key`.
    fn name(&self, key: &str) -> String {
        if self.js_names {
            key.to_owned()
        } else {
            format!("{}{}", self.prefix, qf_name(key))
        }
    }

    /// A conversion error for `key`, named by its field; the rule starts with the name the
    /// caller wrote when that differs (`goods_name`: "goodsName must be a string, got a Buffer").
    fn wrong(&self, key: &str, rule: impl std::fmt::Display) -> qfpay::Error {
        let field = self.name(key);
        let written = format!("{}{key}", self.js_prefix);
        if written == field {
            invalid(&field, rule.to_string())
        } else {
            invalid(&field, format!("{written} {rule}"))
        }
    }

    fn take(&mut self, key: &'a str) -> Option<Value> {
        self.known.push(key);
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.clone()),
        }
    }

    /// An optional string.
    pub fn str(&mut self, key: &'a str) -> qfpay::Result<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(
                key,
                format_args!("must be a string, got {}", describe(&other)),
            )),
        }
    }

    /// A required string.
    pub fn req_str(&mut self, key: &'a str) -> qfpay::Result<String> {
        self.str(key)?
            .ok_or_else(|| invalid(&self.name(key), format!("is required ({key})")))
    }

    /// An optional whole number that JavaScript holds exactly; never truncated.
    pub fn int(&mut self, key: &'a str) -> qfpay::Result<Option<i64>> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let Value::Number(n) = &v else {
            return Err(self.wrong(
                key,
                format_args!("must be a whole number, got {}", describe(&v)),
            ));
        };
        if let Some(i) = n.as_i64() {
            return Ok(Some(i));
        }
        match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER => Ok(Some(f as i64)),
            Some(f) if f.fract() == 0.0 => Err(self.wrong(
                key,
                format_args!("{f} is beyond Number.MAX_SAFE_INTEGER and cannot be exact"),
            )),
            _ => Err(self.wrong(
                key,
                format_args!(
                    "must be a whole number{}, got {n}",
                    if key == "amount" {
                        " of minor units (300 is HK$3.00)"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }

    /// An optional whole number that fits a `u32`.
    pub fn u32(&mut self, key: &'a str) -> qfpay::Result<Option<u32>> {
        match self.int(key)? {
            None => Ok(None),
            Some(i) => u32::try_from(i)
                .map(Some)
                .map_err(|_| self.wrong(key, format_args!("must be 0 to 4294967295, got {i}"))),
        }
    }

    /// A required amount plus currency.
    pub fn money(&mut self, default_currency: Option<&str>) -> qfpay::Result<Money> {
        let amount = self
            .int("amount")?
            .ok_or_else(|| invalid("txamt", "is required (amount, in minor units)"))?;
        let currency = match (self.str("currency")?, default_currency) {
            (Some(c), _) => c,
            (None, Some(d)) => d.to_owned(),
            (None, None) => return Err(invalid("txcurrcd", "is required (currency)")),
        };
        Ok(Money::new(amount, Currency::parse(&currency)?))
    }

    /// A string or a list of strings.
    pub fn list(&mut self, key: &'a str) -> qfpay::Result<Vec<String>> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s]),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s),
                    other => Err(self.wrong(
                        key,
                        format_args!("items must be strings, got {}", describe(&other)),
                    )),
                })
                .collect(),
            Some(other) => Err(self.wrong(
                key,
                format_args!(
                    "must be a string or a list of strings, got {}",
                    describe(&other)
                ),
            )),
        }
    }

    /// A duration in milliseconds. NaN, infinities, negative and absurdly large values are
    /// refused by the core's conversion rules, naming the option.
    pub fn millis(&mut self, key: &'a str) -> qfpay::Result<Option<Duration>> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let name = self.name(key);
        match v.as_f64() {
            Some(ms) => qfpay::convert::millis_f64(&name, ms).map(Some),
            None => Err(self.wrong(
                key,
                format_args!("must be a number of milliseconds, got {}", describe(&v)),
            )),
        }
    }

    /// Any value (already typed by the caller).
    pub fn raw(&mut self, key: &'a str) -> Option<Value> {
        self.take(key)
    }

    /// Fails on keys that were never read.
    pub fn finish(self) -> qfpay::Result<()> {
        let unknown: Vec<&String> = self
            .map
            .iter()
            .filter(|(k, v)| !v.is_null() && !self.known.contains(&k.as_str()))
            .map(|(k, _)| k)
            .collect();
        match unknown.first() {
            None => Ok(()),
            Some(k) => Err(invalid(
                k,
                format!(
                    "is not an option of {} (options are camelCase: {})",
                    self.what,
                    self.known.join(", ")
                ),
            )),
        }
    }
}

/// `extendInfo`: `{ userCreid, userTruename }` for real-name verification, or a JSON string
/// sent as given.
fn extend_info(v: Value) -> qfpay::Result<ExtendInfo> {
    match v {
        Value::String(s) => Ok(ExtendInfo::Json(s)),
        Value::Object(_) if marker(&v).is_none() => {
            let mut f = Fields::nested("extendInfo", "extend_info.", "extendInfo.", Some(v))?;
            let creid = f.str("userCreid")?.unwrap_or_default();
            let name = f.str("userTruename")?.unwrap_or_default();
            f.finish()
                .map_err(|e| invalid("extend_info", e.rule().unwrap_or_default().to_owned()))?;
            Ok(ExtendInfo::real_name(creid, name))
        }
        other => Err(invalid(
            "extend_info",
            format!(
                "must be {{ userCreid, userTruename }} or a JSON string, got {}",
                describe(&other)
            ),
        )),
    }
}

/// `createPayment({...})` / `wechatQr({...})`. `fixed_pay_type` is the helper's pay type.
pub fn payment(
    value: Option<Value>,
    fixed_pay_type: Option<PayType>,
) -> qfpay::Result<PaymentRequest> {
    let mut f = Fields::new("the payment", "request", value)?;
    let (amount, pay_type) = match fixed_pay_type {
        Some(p) => (f.money(Some("HKD"))?, p),
        None => {
            let amount = f.money(None)?;
            let code = f.req_str("payType")?;
            (amount, PayType::from_code(&code))
        }
    };
    let mut r = PaymentRequest::new(amount, pay_type);
    r.out_trade_no = f.str("outTradeNo")?;
    r.txdtm = f.str("txdtm")?;
    r.auth_code = f.str("authCode")?;
    r.expired_time = f.u32("expiredTime")?;
    r.goods_name = f.str("goodsName")?;
    r.goods_info = f.str("goodsInfo")?;
    r.mchid = f.str("mchid")?;
    r.udid = f.str("udid")?;
    r.notify_url = f.str("notifyUrl")?;
    r.return_url = f.str("returnUrl")?;
    r.rmb_tag = f.str("rmbTag")?;
    r.extend_info = f.raw("extendInfo").map(extend_info).transpose()?;
    r.limit_pay = f.str("limitPay")?;
    r.pay_tag = f.str("payTag")?;
    r.sub_openid = f.str("subOpenid")?;
    f.finish()?;
    Ok(r)
}

/// `query({...})`.
pub fn query(value: Option<Value>) -> qfpay::Result<QueryRequest> {
    let mut f = Fields::new("the query", "request", value)?;
    let r = QueryRequest {
        syssn: f.list("syssn")?,
        out_trade_no: f.list("outTradeNo")?,
        pay_type: f
            .list("payType")?
            .iter()
            .map(|c| PayType::from_code(c))
            .collect(),
        respcd: f.str("respcd")?,
        start_time: f.str("startTime")?,
        end_time: f.str("endTime")?,
        page: f.u32("page")?,
        page_size: f.u32("pageSize")?,
        mchid: f.str("mchid")?,
    };
    f.finish()?;
    Ok(r)
}

/// `refund({...})`.
pub fn refund(value: Option<Value>) -> qfpay::Result<RefundRequest> {
    let mut f = Fields::new("the refund", "request", value)?;
    let syssn = f.req_str("syssn")?;
    let amount = f.money(None)?;
    let mut r = RefundRequest::new(syssn, amount);
    r.out_trade_no = f.str("outTradeNo")?;
    r.txdtm = f.str("txdtm")?;
    r.mchid = f.str("mchid")?;
    r.udid = f.str("udid")?;
    f.finish()?;
    Ok(r)
}

/// `close({...})` / `reverse({...})`.
pub fn cancel(value: Option<Value>) -> qfpay::Result<CancelRequest> {
    let mut f = Fields::new("the cancellation", "request", value)?;
    let syssn = f.str("syssn")?;
    let out_trade_no = f.str("outTradeNo")?;
    let amount = f.money(None)?;
    let mut r = CancelRequest::by_syssn(String::new(), amount);
    r.syssn = syssn;
    r.out_trade_no = out_trade_no;
    r.txdtm = f.str("txdtm")?;
    r.mchid = f.str("mchid")?;
    r.udid = f.str("udid")?;
    f.finish()?;
    Ok(r)
}
