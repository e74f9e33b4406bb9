//! PHP values (option arrays with lowerCamelCase keys, `int` amounts) to core requests.
//!
//! Only conversions live here: a wrong PHP type, a float or numeric string where an `int` is
//! needed, or an unknown option key becomes a validation error naming the field; every QFPay
//! rule is checked by the core's own `validate()`.

use std::time::Duration;

use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use qfpay::{
    CancelRequest, Currency, ExtendInfo, Money, PayType, PaymentRequest, QueryRequest,
    RefundRequest,
};

use super::errors::invalid;

/// The SDK's own per-call and wait options that may sit in a request's options array: errors
/// about them name them as written (`maxRetries`), not as a QFPay field.
const SDK_OPTIONS: [&str; 4] = ["timeoutMs", "maxRetries", "intervalMs", "maxIntervalMs"];

/// The QFPay name of a lowerCamelCase key, for error messages (`goodsName` → `goods_name`).
pub fn qf_name(key: &str) -> String {
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

/// How a PHP value reads in an error message. A string is never quoted: it may be a secret
/// given in the wrong place (a client key as `timeoutMs`).
pub fn describe(v: &Zval) -> String {
    let v = v.dereference();
    match v.get_type() {
        DataType::Null => "null".to_owned(),
        DataType::True => "true".to_owned(),
        DataType::False => "false".to_owned(),
        DataType::Bool => format!("{}", v.bool().unwrap_or(false)),
        DataType::Long => format!("int {}", v.long().unwrap_or(0)),
        DataType::Double => format!("float {}", v.double().unwrap_or(f64::NAN)),
        DataType::String => match v.str() {
            Some(s) if !s.is_empty() && s.trim().parse::<f64>().is_ok() => {
                "a numeric string".to_owned()
            }
            Some(_) => "a string".to_owned(),
            None => "a binary string".to_owned(),
        },
        DataType::Array => "an array".to_owned(),
        DataType::Object(_) => "an object".to_owned(),
        other => format!("{other}"),
    }
}

/// An amount argument: a PHP `int` only. A float (even 300.0), a numeric string or a bool is
/// refused, never rounded or coerced.
pub fn amount_arg(field: &str, v: &Zval) -> qfpay::Result<i64> {
    let v = v.dereference();
    match v.long() {
        Some(i) if v.is_long() => Ok(i),
        _ => Err(invalid(
            field,
            format!(
                "must be an int, got {} (amounts are integer minor units: 300 is HK$3.00)",
                describe(v)
            ),
        )),
    }
}

/// An integer argument: a PHP `int` only, never rounded or coerced.
pub fn int_arg(field: &str, v: &Zval) -> qfpay::Result<i64> {
    let v = v.dereference();
    match v.long() {
        Some(i) if v.is_long() => Ok(i),
        _ => Err(invalid(
            field,
            format!("must be a whole number (an int), got {}", describe(v)),
        )),
    }
}

/// A count argument: a PHP `int` from 0 to `u32::MAX`.
pub fn count_arg(field: &str, v: &Zval) -> qfpay::Result<u32> {
    let v = v.dereference();
    let rule = "must be a non-negative whole number (an int from 0 to 4294967295)";
    match v.long() {
        Some(i) if v.is_long() => {
            u32::try_from(i).map_err(|_| invalid(field, format!("{rule}, got {i}")))
        }
        _ => Err(invalid(field, format!("{rule}, got {}", describe(v)))),
    }
}

/// A string argument.
pub fn str_arg(field: &str, v: &Zval) -> qfpay::Result<String> {
    let v = v.dereference();
    if !v.is_string() {
        return Err(invalid(
            field,
            format!("must be a string, got {}", describe(v)),
        ));
    }
    v.str()
        .map(str::to_owned)
        .ok_or_else(|| invalid(field, "must be valid UTF-8 text"))
}

/// A duration in milliseconds: an `int` or a `float` (NaN, infinite and negative values
/// refused).
pub fn millis_arg(field: &str, v: &Zval) -> qfpay::Result<Duration> {
    let v = v.dereference();
    let ms = if v.is_long() {
        v.long().unwrap_or(0) as f64
    } else if v.is_double() {
        v.double().unwrap_or(f64::NAN)
    } else {
        return Err(invalid(
            field,
            format!(
                "must be a number of milliseconds (int), got {}",
                describe(v)
            ),
        ));
    };
    qfpay::convert::millis_f64(field, ms)
}

/// An options array, read key by key. [`Opts::finish`] refuses keys nobody asked for (a typo
/// such as `goods_name` for `goodsName` would otherwise be dropped silently).
pub struct Opts<'a> {
    what: &'static str,
    ht: Option<&'a ZendHashTable>,
    known: Vec<&'static str>,
    /// Errors name keys as written (SDK options), not by their QFPay name.
    as_written: bool,
}

impl<'a> Opts<'a> {
    /// Reads the options of a request (absent means empty): an error names a QFPay field by
    /// its QFPay name (`goodsName` → `goods_name`), an SDK option (`timeoutMs`) as written.
    pub fn new(what: &'static str, ht: Option<&'a ZendHashTable>) -> Self {
        Self {
            what,
            ht,
            known: Vec::new(),
            as_written: false,
        }
    }

    /// Reads SDK options (client, sandbox): an error names the key as written (`maxRetries`).
    pub fn options(what: &'static str, ht: Option<&'a ZendHashTable>) -> Self {
        Self {
            as_written: true,
            ..Self::new(what, ht)
        }
    }

    /// The `field` of an error about `key`.
    fn field(&self, key: &str) -> String {
        if self.as_written || SDK_OPTIONS.contains(&key) {
            key.to_owned()
        } else {
            qf_name(key)
        }
    }

    /// The value under `key`, `None` when absent or null.
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Zval> {
        self.known.push(key);
        let v = self.ht?.get(key)?.dereference();
        if v.is_null() { None } else { Some(v) }
    }

    /// An optional string.
    pub fn str(&mut self, key: &'static str) -> qfpay::Result<Option<String>> {
        let field = self.field(key);
        self.raw(key).map(|v| str_arg(&field, v)).transpose()
    }

    /// A required string.
    pub fn req_str(&mut self, key: &'static str) -> qfpay::Result<String> {
        let field = self.field(key);
        self.str(key)?
            .ok_or_else(|| invalid(&field, format!("is required ({key})")))
    }

    /// An optional `int`.
    pub fn int(&mut self, key: &'static str) -> qfpay::Result<Option<i64>> {
        let field = self.field(key);
        self.raw(key).map(|v| int_arg(&field, v)).transpose()
    }

    /// An optional non-negative `int` that fits a `u32`.
    pub fn u32(&mut self, key: &'static str) -> qfpay::Result<Option<u32>> {
        let field = self.field(key);
        self.raw(key).map(|v| count_arg(&field, v)).transpose()
    }

    /// An optional duration in milliseconds.
    pub fn millis(&mut self, key: &'static str) -> qfpay::Result<Option<Duration>> {
        self.raw(key).map(|v| millis_arg(key, v)).transpose()
    }

    /// An optional duration in milliseconds that must be greater than zero (a deadline).
    pub fn positive_millis(&mut self, key: &'static str) -> qfpay::Result<Option<Duration>> {
        match self.millis(key)? {
            Some(d) if d.is_zero() => Err(invalid(key, "must be greater than zero")),
            d => Ok(d),
        }
    }

    /// A string or a list of strings.
    pub fn str_list(&mut self, key: &'static str) -> qfpay::Result<Vec<String>> {
        let field = self.field(key);
        let Some(v) = self.raw(key) else {
            return Ok(Vec::new());
        };
        if v.is_string() {
            return Ok(vec![str_arg(&field, v)?]);
        }
        let Some(items) = v.array() else {
            return Err(invalid(
                &field,
                format!("must be a string or a list of strings, got {}", describe(v)),
            ));
        };
        items.values().map(|item| str_arg(&field, item)).collect()
    }

    /// The keys that were not read: the first, and `unknown option(s) 'a', 'b'`.
    fn unknown(&self) -> Option<(String, String)> {
        let ht = self.ht?;
        let mut unknown = Vec::new();
        for (k, _) in ht.iter() {
            let name = key_name(k);
            if !self.known.iter().any(|known| *known == name) {
                unknown.push(name);
            }
        }
        let first = unknown.first()?.clone();
        let text = format!(
            "unknown option{} {}",
            if unknown.len() > 1 { "s" } else { "" },
            unknown
                .iter()
                .map(|u| format!("'{u}'"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        Some((first, text))
    }

    /// The keys that were read, for messages.
    fn known(&self) -> String {
        let mut known = self.known.clone();
        known.sort_unstable();
        known.dedup();
        known.join(", ")
    }

    /// Refuses the keys that were not read: a validation error naming the options array (a
    /// request's options), or the first unknown key as written (SDK options: client, sandbox).
    pub fn finish(self) -> qfpay::Result<()> {
        let Some((first, text)) = self.unknown() else {
            return Ok(());
        };
        let known = self.known();
        Err(if self.as_written {
            invalid(&first, format!("{text} in {} (known: {known})", self.what))
        } else {
            invalid(self.what, format!("{text} (known: {known})"))
        })
    }
}

/// Per-call options every operation takes: `timeoutMs`, `maxRetries`.
pub struct CallOptions {
    /// This call's deadline.
    pub timeout: Option<Duration>,
    /// This call's retries.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// Reads `timeoutMs` and `maxRetries` from `o`.
    pub fn read(o: &mut Opts<'_>) -> qfpay::Result<Self> {
        Ok(Self {
            timeout: o.positive_millis("timeoutMs")?,
            max_retries: o.u32("maxRetries")?,
        })
    }

    /// The client with these options applied (shares the connection pool).
    pub fn apply(&self, c: &qfpay::Client) -> qfpay::Client {
        let mut c = c.clone();
        if let Some(t) = self.timeout {
            c = c.with_timeout(t);
        }
        if let Some(n) = self.max_retries {
            c = c.with_max_retries(n);
        }
        c
    }
}

/// `amount` + `currency` → money.
pub fn money(amount: &Zval, currency: &Zval) -> qfpay::Result<Money> {
    let amount = amount_arg("txamt", amount)?;
    let currency = Currency::parse(&str_arg("txcurrcd", currency)?)?;
    Ok(Money::new(amount, currency))
}

/// A payment from its arguments and options. `wechat` restricts the options to WeChat QR's.
pub fn payment(
    money: Money,
    pay_type: PayType,
    o: &mut Opts<'_>,
    mpm_only: bool,
) -> qfpay::Result<PaymentRequest> {
    let mut r = PaymentRequest::new(money, pay_type);
    r.out_trade_no = o.str("outTradeNo")?;
    r.txdtm = o.str("txdtm")?;
    if let Some(m) = o.u32("expiredTime")? {
        r.expired_time = Some(m);
    }
    r.goods_name = o.str("goodsName")?;
    r.goods_info = o.str("goodsInfo")?;
    r.mchid = o.str("mchid")?;
    r.udid = o.str("udid")?;
    r.notify_url = o.str("notifyUrl")?;
    r.return_url = o.str("returnUrl")?;
    r.rmb_tag = o.str("rmbTag")?;
    r.extend_info = extend_info(o)?;
    r.limit_pay = o.str("limitPay")?;
    if !mpm_only {
        r.auth_code = o.str("authCode")?;
        r.pay_tag = o.str("payTag")?;
        r.sub_openid = o.str("subOpenid")?;
    }
    Ok(r)
}

fn extend_info(o: &mut Opts<'_>) -> qfpay::Result<Option<ExtendInfo>> {
    let Some(v) = o.raw("extendInfo") else {
        return Ok(None);
    };
    if v.is_string() {
        return Ok(Some(ExtendInfo::Json(str_arg("extend_info", v)?)));
    }
    let Some(ht) = v.array() else {
        return Err(invalid(
            "extend_info",
            format!(
                "must be ['userCreid' => ..., 'userTruename' => ...] or a JSON object string, got {}",
                describe(v)
            ),
        ));
    };
    let mut f = Opts::new("extend_info", Some(ht));
    let creid = f.str("userCreid")?.unwrap_or_default();
    let name = f.str("userTruename")?.unwrap_or_default();
    f.finish()?;
    Ok(Some(ExtendInfo::real_name(creid, name)))
}

/// A query from its options.
pub fn query(o: &mut Opts<'_>) -> qfpay::Result<QueryRequest> {
    let mut q = QueryRequest::new();
    q.syssn = o.str_list("syssn")?;
    q.out_trade_no = o.str_list("outTradeNo")?;
    q.pay_type = o
        .str_list("payType")?
        .iter()
        .map(|c| PayType::from_code(c))
        .collect();
    q.respcd = o.str("respcd")?;
    q.start_time = o.str("startTime")?;
    q.end_time = o.str("endTime")?;
    q.page = o.u32("page")?;
    q.page_size = o.u32("pageSize")?;
    q.mchid = o.str("mchid")?;
    Ok(q)
}

/// A refund from its arguments and options.
pub fn refund(syssn: String, money: Money, o: &mut Opts<'_>) -> qfpay::Result<RefundRequest> {
    let mut r = RefundRequest::new(syssn, money);
    r.out_trade_no = o.str("outTradeNo")?;
    r.txdtm = o.str("txdtm")?;
    r.mchid = o.str("mchid")?;
    r.udid = o.str("udid")?;
    Ok(r)
}

/// A close or reversal from its arguments and options (`syssn` or `outTradeNo`).
pub fn cancel(money: Money, o: &mut Opts<'_>) -> qfpay::Result<CancelRequest> {
    let syssn = o.str("syssn")?;
    let out_trade_no = o.str("outTradeNo")?;
    let mut r = match (syssn, out_trade_no) {
        (Some(s), o2) => {
            let mut r = CancelRequest::by_syssn(s, money);
            r.out_trade_no = o2;
            r
        }
        (None, Some(o2)) => CancelRequest::by_out_trade_no(o2, money),
        (None, None) => {
            return Err(invalid(
                "syssn",
                "give 'syssn' or 'outTradeNo' in the options: which order to cancel",
            ));
        }
    };
    r.txdtm = o.str("txdtm")?;
    r.mchid = o.str("mchid")?;
    r.udid = o.str("udid")?;
    Ok(r)
}

/// An array key as text.
pub fn key_name(k: ArrayKey<'_>) -> String {
    match k {
        ArrayKey::Long(i) => i.to_string(),
        ArrayKey::String(s) => s,
        ArrayKey::Str(s) => s.to_owned(),
        ArrayKey::ZendString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
    }
}
