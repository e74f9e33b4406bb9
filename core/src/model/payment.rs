//! Creating a payment: the request and QFPay's answer.

use crate::error::{Error, Result};
use crate::model::fields::{self, RawMap};
use crate::model::money::{Currency, Money};
use crate::model::pay_params::PayParams;
use crate::model::pay_type::PayType;
use crate::validate;

/// `extend_info`: extra customer information, sent as one JSON string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtendInfo {
    /// WeChat real-name verification (mainland China residents only).
    RealName {
        /// The 18-character resident ID number (`user_creid`).
        user_creid: String,
        /// The payer's real name (`user_truename`).
        user_truename: String,
    },
    /// Any other JSON object, sent exactly as given (for example 800212's `scene_info`).
    Json(String),
}

impl ExtendInfo {
    /// Real-name verification for `user_creid` and `user_truename`.
    pub fn real_name(user_creid: impl Into<String>, user_truename: impl Into<String>) -> Self {
        ExtendInfo::RealName {
            user_creid: user_creid.into(),
            user_truename: user_truename.into(),
        }
    }

    /// The exact string that is signed and sent. Real-name JSON escapes non-ASCII characters
    /// as `\uXXXX`, as in QFPay's documentation.
    pub fn to_wire(&self) -> String {
        match self {
            ExtendInfo::RealName {
                user_creid,
                user_truename,
            } => format!(
                "{{\"user_creid\":{},\"user_truename\":{}}}",
                ascii_json_string(user_creid),
                ascii_json_string(user_truename)
            ),
            ExtendInfo::Json(s) => s.clone(),
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            ExtendInfo::RealName {
                user_creid,
                user_truename,
            } => real_name_rules(user_creid, user_truename),
            ExtendInfo::Json(s) => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(serde_json::Value::Object(map)) => {
                    // The same real-name rules as the structured form; the string itself is
                    // signed and sent exactly as given.
                    let creid = map.get("user_creid");
                    let name = map.get("user_truename");
                    if creid.is_none() && name.is_none() {
                        return Ok(());
                    }
                    let text = |field: &str, v: Option<&serde_json::Value>| match v {
                        Some(serde_json::Value::String(s)) => Ok(s.clone()),
                        None => Err(Error::validation(
                            field,
                            "is required for real-name verification (user_creid and user_truename go together)",
                        )),
                        Some(_) => Err(Error::validation(field, "must be a JSON string")),
                    };
                    let creid = text("extend_info.user_creid", creid)?;
                    let name = text("extend_info.user_truename", name)?;
                    real_name_rules(&creid, &name)
                }
                _ => Err(Error::validation("extend_info", "must be a JSON object")),
            },
        }
    }
}

/// WeChat real-name rules: a GB 11643 resident ID and a non-empty name.
fn real_name_rules(user_creid: &str, user_truename: &str) -> Result<()> {
    validate::resident_id("extend_info.user_creid", user_creid)?;
    if user_truename.trim().is_empty() {
        return Err(Error::validation(
            "extend_info.user_truename",
            "must not be empty",
        ));
    }
    validate::no_control_chars("extend_info.user_truename", user_truename)
}

/// A JSON string literal with every non-ASCII character escaped as `\uXXXX`.
pub(crate) fn ascii_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A payment to create (`POST /trade/v1/payment`).
///
/// `out_trade_no` is generated when not given, and `txdtm` is filled in with the current time;
/// both are returned in the [`Payment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// Amount and currency (`txamt`, `txcurrcd`).
    pub amount: Money,
    /// Payment method (`pay_type`).
    pub pay_type: PayType,
    /// Merchant order number, unique per merchant across payments and refunds.
    pub out_trade_no: Option<String>,
    /// Request time `YYYY-MM-DD hh:mm:ss`; the current time when absent.
    pub txdtm: Option<String>,
    /// The customer's code (CPM pay types only; required for them).
    pub auth_code: Option<String>,
    /// Minutes until the QR code expires, 5 to 120 (MPM only; QFPay's default is 30).
    pub expired_time: Option<u32>,
    /// Goods description, at most 64 characters.
    pub goods_name: Option<String>,
    /// Goods information (in-app payments).
    pub goods_info: Option<String>,
    /// Sub-merchant id, at most 16 characters; the client's `mchid` when absent.
    pub mchid: Option<String>,
    /// Device id shown in the merchant portal, at most 40 characters.
    pub udid: Option<String>,
    /// Where QFPay sends the payment notification, at most 256 characters.
    pub notify_url: Option<String>,
    /// Where the customer returns after paying (web, WAP and in-app types).
    pub return_url: Option<String>,
    /// `Y` for an RMB transaction with a Hong Kong wallet; only with CNY.
    pub rmb_tag: Option<String>,
    /// Extra customer information (real-name verification).
    pub extend_info: Option<ExtendInfo>,
    /// `no_credit` to refuse credit cards (WeChat MPM, mainland China).
    pub limit_pay: Option<String>,
    /// `ALIPAYHK` or `ALIPAYCN` (Alipay MPM / in-app).
    pub pay_tag: Option<String>,
    /// The WeChat openid (800207 JSAPI, 800213 mini-program).
    pub sub_openid: Option<String>,
    /// The Alipay user's id (800107 service window; not `sub_openid`).
    pub openid: Option<String>,
    /// The Alipay seller id (Alipay in-app 801110, 801510: required there).
    pub seller_id: Option<String>,
    /// Where the customer goes when the payment fails (web, WAP, checkout flows).
    pub failed_url: Option<String>,
    /// Where the customer goes on cancelling (web, WAP flows).
    pub cancel_url: Option<String>,
    /// Parameters this SDK does not name (what QFPay adds later), signed and sent like the
    /// rest; a name the SDK types is refused, never overridden.
    pub extra: Vec<(String, String)>,
}

impl PaymentRequest {
    /// A payment of `amount` by `pay_type`.
    pub fn new(amount: Money, pay_type: PayType) -> Self {
        Self {
            amount,
            pay_type,
            out_trade_no: None,
            txdtm: None,
            auth_code: None,
            expired_time: None,
            goods_name: None,
            goods_info: None,
            mchid: None,
            udid: None,
            notify_url: None,
            return_url: None,
            rmb_tag: None,
            extend_info: None,
            limit_pay: None,
            pay_tag: None,
            sub_openid: None,
            openid: None,
            seller_id: None,
            failed_url: None,
            cancel_url: None,
            extra: Vec::new(),
        }
    }

    /// A WeChat QR payment (800201): QFPay answers with a `qrcode` for the customer to scan.
    pub fn wechat_qr(amount: Money) -> Self {
        Self::new(amount, PayType::WechatQr)
    }

    /// A consumer-presented-code payment: `auth_code` is the code scanned from the customer.
    pub fn cpm(amount: Money, pay_type: PayType, auth_code: impl Into<String>) -> Self {
        Self::new(amount, pay_type).auth_code(auth_code)
    }

    /// Sets `out_trade_no`.
    pub fn out_trade_no(mut self, v: impl Into<String>) -> Self {
        self.out_trade_no = Some(v.into());
        self
    }
    /// Sets `txdtm`.
    pub fn txdtm(mut self, v: impl Into<String>) -> Self {
        self.txdtm = Some(v.into());
        self
    }
    /// Sets `auth_code`.
    pub fn auth_code(mut self, v: impl Into<String>) -> Self {
        self.auth_code = Some(v.into());
        self
    }
    /// Sets `expired_time` in minutes.
    pub fn expired_time(mut self, minutes: u32) -> Self {
        self.expired_time = Some(minutes);
        self
    }
    /// Sets `goods_name`.
    pub fn goods_name(mut self, v: impl Into<String>) -> Self {
        self.goods_name = Some(v.into());
        self
    }
    /// Sets `goods_info`.
    pub fn goods_info(mut self, v: impl Into<String>) -> Self {
        self.goods_info = Some(v.into());
        self
    }
    /// Sets `mchid`.
    pub fn mchid(mut self, v: impl Into<String>) -> Self {
        self.mchid = Some(v.into());
        self
    }
    /// Sets `udid`.
    pub fn udid(mut self, v: impl Into<String>) -> Self {
        self.udid = Some(v.into());
        self
    }
    /// Sets `notify_url`.
    pub fn notify_url(mut self, v: impl Into<String>) -> Self {
        self.notify_url = Some(v.into());
        self
    }
    /// Sets `return_url`.
    pub fn return_url(mut self, v: impl Into<String>) -> Self {
        self.return_url = Some(v.into());
        self
    }
    /// Sets `rmb_tag` (must be `Y`, with CNY).
    pub fn rmb_tag(mut self, v: impl Into<String>) -> Self {
        self.rmb_tag = Some(v.into());
        self
    }
    /// Sets `extend_info`.
    pub fn extend_info(mut self, v: ExtendInfo) -> Self {
        self.extend_info = Some(v);
        self
    }
    /// Sets `limit_pay`.
    pub fn limit_pay(mut self, v: impl Into<String>) -> Self {
        self.limit_pay = Some(v.into());
        self
    }
    /// Sets `pay_tag`.
    pub fn pay_tag(mut self, v: impl Into<String>) -> Self {
        self.pay_tag = Some(v.into());
        self
    }
    /// Sets `sub_openid`.
    pub fn sub_openid(mut self, v: impl Into<String>) -> Self {
        self.sub_openid = Some(v.into());
        self
    }

    /// Sets the Alipay `openid` (800107 service window).
    pub fn openid(mut self, v: impl Into<String>) -> Self {
        self.openid = Some(v.into());
        self
    }
    /// Sets the Alipay `seller_id` (Alipay in-app).
    pub fn seller_id(mut self, v: impl Into<String>) -> Self {
        self.seller_id = Some(v.into());
        self
    }
    /// Sets `failed_url`.
    pub fn failed_url(mut self, v: impl Into<String>) -> Self {
        self.failed_url = Some(v.into());
        self
    }
    /// Sets `cancel_url`.
    pub fn cancel_url(mut self, v: impl Into<String>) -> Self {
        self.cancel_url = Some(v.into());
        self
    }
    /// Adds a parameter this SDK does not name (see [`PaymentRequest::extra`]).
    pub fn extra(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// Checks every documented rule. The client calls this before anything is sent.
    pub fn validate(&self) -> Result<()> {
        use validate::optional;
        validate::amount("txamt", &self.amount)?;
        let code = self.pay_type.code();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::validation(
                "pay_type",
                "must be a 6-digit pay type code",
            ));
        }
        optional(self.out_trade_no.as_deref(), |v| {
            validate::order_number("out_trade_no", v)
        })?;
        optional(self.txdtm.as_deref(), |v| {
            validate::datetime("txdtm", v).map(|_| ())
        })?;
        match (&self.auth_code, self.pay_type.is_cpm()) {
            (None, true) => {
                return Err(Error::validation(
                    "auth_code",
                    format!("is required for consumer-presented (CPM) pay type {code}"),
                ));
            }
            (Some(_), false) => {
                return Err(Error::validation(
                    "auth_code",
                    format!("is only for consumer-presented (CPM) pay types, not {code}"),
                ));
            }
            (Some(a), true) => validate::length("auth_code", a, 1, 128)?,
            (None, false) => {}
        }
        if let Some(minutes) = self.expired_time {
            if self.pay_type.is_cpm() {
                return Err(Error::validation(
                    "expired_time",
                    "is only for merchant-presented (MPM) pay types",
                ));
            }
            if !(5..=120).contains(&minutes) {
                return Err(Error::validation(
                    "expired_time",
                    format!("must be 5 to 120 minutes (got {minutes})"),
                ));
            }
        }
        optional(self.goods_name.as_deref(), |v| {
            validate::length("goods_name", v, 1, 64)
        })?;
        optional(self.goods_info.as_deref(), |v| {
            validate::length("goods_info", v, 1, 1024)
        })?;
        optional(self.mchid.as_deref(), |v| {
            validate::length("mchid", v, 1, 16)
        })?;
        optional(self.udid.as_deref(), |v| validate::length("udid", v, 1, 40))?;
        optional(self.notify_url.as_deref(), |v| {
            validate::http_url("notify_url", v, 256)
        })?;
        optional(self.return_url.as_deref(), |v| {
            validate::http_url("return_url", v, 512)
        })?;
        if let Some(tag) = &self.rmb_tag {
            if tag != "Y" {
                return Err(Error::validation(
                    "rmb_tag",
                    format!("must be \"Y\" (got {tag:?})"),
                ));
            }
            if self.amount.currency != Currency::CNY {
                return Err(Error::validation(
                    "rmb_tag",
                    format!(
                        "is only allowed with CNY (txcurrcd is {})",
                        self.amount.currency
                    ),
                ));
            }
        }
        optional(self.extend_info.as_ref(), ExtendInfo::validate)?;
        optional(self.limit_pay.as_deref(), |v| {
            if v == "no_credit" {
                Ok(())
            } else {
                Err(Error::validation("limit_pay", "must be \"no_credit\""))
            }
        })?;
        optional(self.pay_tag.as_deref(), |v| {
            if v == "ALIPAYHK" || v == "ALIPAYCN" {
                Ok(())
            } else {
                Err(Error::validation(
                    "pay_tag",
                    "must be \"ALIPAYHK\" or \"ALIPAYCN\"",
                ))
            }
        })?;
        optional(self.sub_openid.as_deref(), |v| {
            validate::length("sub_openid", v, 1, 128)
        })?;
        optional(self.openid.as_deref(), |v| {
            validate::length("openid", v, 1, 64)?;
            validate::no_control_chars("openid", v)
        })?;
        optional(self.seller_id.as_deref(), |v| {
            validate::length("seller_id", v, 1, 64)?;
            validate::no_control_chars("seller_id", v)
        })?;
        optional(self.failed_url.as_deref(), |v| {
            validate::http_url("failed_url", v, 512)
        })?;
        optional(self.cancel_url.as_deref(), |v| {
            validate::http_url("cancel_url", v, 512)
        })?;
        self.method_rules()?;
        if self.extra.is_empty() {
            return Ok(());
        }
        // The QFPay names the typed fields send (the surface's one table): an extra parameter
        // may not take one.
        let typed: Vec<&str> = crate::surface::operation("create_payment")
            .into_iter()
            .flat_map(|op| op.args.iter().chain(op.optional()))
            .filter_map(|o| o.field)
            .filter(|f| *f != crate::surface::spec::EXTRA_PARAMS.name)
            .collect();
        validate::extra_params(&self.extra, &typed)
    }

    /// What each method's page requires ([`crate::AnswerShape`] and QFPay's per-method pages):
    /// JSAPI and mini-programs need `sub_openid`; the Alipay service window `openid`; Alipay
    /// in-app `goods_name`, `return_url` and `seller_id`; Alipay WAP `return_url`; WAP pages
    /// take URLs of at most 255 characters.
    fn method_rules(&self) -> Result<()> {
        let code = self.pay_type.code();
        if let Some((fields, why)) = self.pay_type.required_fields() {
            for field in fields {
                let given = match *field {
                    "sub_openid" => self.sub_openid.is_some(),
                    "openid" => self.openid.is_some(),
                    "goods_name" => self.goods_name.is_some(),
                    "return_url" => self.return_url.is_some(),
                    "seller_id" => self.seller_id.is_some(),
                    "extend_info" => self.extend_info.is_some(),
                    _ => true,
                };
                if !given {
                    return Err(Error::validation(
                        field,
                        format!("is required for {why} ({code})"),
                    ));
                }
            }
        }
        if code.ends_with("12") && code.len() == 6 {
            for (field, v) in [
                ("return_url", &self.return_url),
                ("notify_url", &self.notify_url),
            ] {
                if let Some(v) = v
                    && v.chars().count() > 255
                {
                    return Err(Error::validation(
                        field,
                        format!("must be at most 255 characters for WAP pay types ({code})"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The form parameters, with `out_trade_no`, `txdtm` and `mchid` already resolved.
    pub(crate) fn to_params(
        &self,
        out_trade_no: &str,
        txdtm: &str,
        mchid: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = vec![
            ("txamt", self.amount.amount.to_string()),
            ("txcurrcd", self.amount.currency.code().to_owned()),
            ("pay_type", self.pay_type.code().to_owned()),
            ("out_trade_no", out_trade_no.to_owned()),
            ("txdtm", txdtm.to_owned()),
        ];
        let opt = |p: &mut Vec<(&'static str, String)>, k: &'static str, v: Option<&str>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                p.push((k, v.to_owned()));
            }
        };
        opt(&mut p, "auth_code", self.auth_code.as_deref());
        if let Some(m) = self.expired_time {
            p.push(("expired_time", m.to_string()));
        }
        opt(&mut p, "goods_name", self.goods_name.as_deref());
        opt(&mut p, "goods_info", self.goods_info.as_deref());
        opt(&mut p, "mchid", mchid);
        opt(&mut p, "udid", self.udid.as_deref());
        opt(&mut p, "notify_url", self.notify_url.as_deref());
        opt(&mut p, "return_url", self.return_url.as_deref());
        opt(&mut p, "rmb_tag", self.rmb_tag.as_deref());
        if let Some(info) = &self.extend_info {
            p.push(("extend_info", info.to_wire()));
        }
        opt(&mut p, "limit_pay", self.limit_pay.as_deref());
        opt(&mut p, "pay_tag", self.pay_tag.as_deref());
        opt(&mut p, "sub_openid", self.sub_openid.as_deref());
        opt(&mut p, "openid", self.openid.as_deref());
        opt(&mut p, "seller_id", self.seller_id.as_deref());
        opt(&mut p, "failed_url", self.failed_url.as_deref());
        opt(&mut p, "cancel_url", self.cancel_url.as_deref());
        p
    }
}

/// QFPay's answer to a payment. For MPM pay types (800201) `respcd 0000` means the order was
/// created and `qrcode` is ready to show; the customer has not paid yet. For CPM pay types it
/// means the customer paid.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The merchant order number (generated by the SDK when not given).
    pub out_trade_no: String,
    /// The payment method.
    pub pay_type: PayType,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency code.
    pub txcurrcd: String,
    /// The request time sent.
    pub txdtm: String,
    /// QFPay's system time.
    pub sysdtm: String,
    /// Payment time (equals `sysdtm` for an unpaid MPM order).
    pub paydtm: String,
    /// The QR code content to show (MPM pay types).
    pub qrcode: Option<String>,
    /// Payment page URL (H5 / WAP pay types).
    pub pay_url: Option<String>,
    /// Web payment page URL (the web pay types some pages document with `web_url`).
    pub web_url: Option<String>,
    /// The front end's pay parameters (JSAPI, mini-program, in-app pay types), by shape.
    pub pay_params: Option<PayParams>,
    /// The wallet's transaction number, when known.
    pub chnlsn: String,
    /// Card or buyer id, when any.
    pub cardcd: String,
    /// Device id.
    pub udid: String,
    /// `respcd` (`0000`).
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent, as sent.
    pub raw: RawMap,
}

impl Payment {
    /// Reads a successful answer; `fallback` supplies what QFPay left out.
    pub(crate) fn from_raw(
        raw: RawMap,
        out_trade_no: &str,
        txdtm: &str,
        amount: &Money,
        pay_type: &PayType,
    ) -> Result<Self> {
        let txamt = fields::amount(&raw, "txamt")?.unwrap_or(amount.amount);
        Ok(Self {
            syssn: fields::text(&raw, "syssn"),
            out_trade_no: fields::opt_text(&raw, "out_trade_no")
                .unwrap_or_else(|| out_trade_no.to_owned()),
            pay_type: fields::opt_text(&raw, "pay_type")
                .map_or_else(|| pay_type.clone(), |c| PayType::from_code(&c)),
            txamt,
            txcurrcd: fields::opt_text(&raw, "txcurrcd")
                .unwrap_or_else(|| amount.currency.code().to_owned()),
            txdtm: fields::opt_text(&raw, "txdtm").unwrap_or_else(|| txdtm.to_owned()),
            sysdtm: fields::text(&raw, "sysdtm"),
            paydtm: fields::text(&raw, "paydtm"),
            qrcode: fields::opt_text(&raw, "qrcode"),
            pay_url: fields::opt_text(&raw, "pay_url"),
            web_url: fields::opt_text(&raw, "web_url"),
            pay_params: PayParams::read(raw.get("pay_params")),
            chnlsn: fields::text(&raw, "chnlsn"),
            cardcd: fields::text(&raw, "cardcd"),
            udid: fields::text(&raw, "udid"),
            respcd: fields::text(&raw, "respcd"),
            resperr: fields::text(&raw, "resperr"),
            respmsg: fields::text(&raw, "respmsg"),
            raw,
        })
    }
}

crate::model::describe::describe!(Payment "A created payment: what to show the customer (QR code or payment page) and QFPay's numbers." {
    syssn: "str" "QFPay's transaction number." = |p| &p.syssn,
    out_trade_no: "str" "The merchant order number (generated by the SDK when not given)." = |p| &p.out_trade_no,
    pay_type: "str" "The payment method (pay type code, 800201 is WeChat QR)." = |p| p.pay_type.code(),
    txamt: "int" "Amount in minor units." = |p| p.txamt,
    txcurrcd: "str" "Currency code." = |p| &p.txcurrcd,
    txdtm: "str" "The request time sent." = |p| &p.txdtm,
    sysdtm: "str" "QFPay's system time." = |p| &p.sysdtm,
    paydtm: "str" "Payment time (equals sysdtm for an unpaid QR order)." = |p| &p.paydtm,
    qrcode: "str?" "The QR code content to show (QR pay types)." = |p| &p.qrcode,
    pay_url: "str?" "Payment page URL (H5 / WAP / web pay types)." = |p| &p.pay_url,
    web_url: "str?" "Web payment page URL, where QFPay answers web_url instead of pay_url." = |p| &p.web_url,
    wechat_pay_params: "WechatPayParams?" "WeChat JSAPI / mini-program pay parameters (800207, 800213)." = |p| p.pay_params.as_ref().and_then(PayParams::wechat),
    wechat_app_params: "WechatAppParams?" "WeChat in-app pay parameters (800210, 801010)." = |p| p.pay_params.as_ref().and_then(PayParams::wechat_app),
    alipay_pay_params: "AlipayPayParams?" "Alipay in-app pay parameters (801110, 801510)." = |p| p.pay_params.as_ref().and_then(PayParams::alipay),
    chnlsn: "str" "The wallet's transaction number, when known." = |p| &p.chnlsn,
    cardcd: "str" "Card or buyer id, when any." = |p| &p.cardcd,
    udid: "str" "Device id." = |p| &p.udid,
    respcd: "str" "QFPay response code (0000)." = |p| &p.respcd,
    resperr: "str" "QFPay response text." = |p| &p.resperr,
    respmsg: "str" "QFPay message, when any." = |p| &p.respmsg,
    raw: "raw" "Every field QFPay sent, as sent." = |p| &p.raw,
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter a payment sends from a typed field is refused as an extra parameter.
    #[test]
    fn no_extra_parameter_shadows_a_typed_one() {
        let mut full = PaymentRequest::cpm(
            Money::new(300, Currency::CNY),
            PayType::WechatCpm,
            "134567890123456789",
        );
        full.goods_name = Some("g".into());
        full.goods_info = Some("i".into());
        full.udid = Some("u".into());
        full.notify_url = Some("https://a.example/n".into());
        full.return_url = Some("https://a.example/r".into());
        full.rmb_tag = Some("Y".into());
        full.extend_info = Some(ExtendInfo::Json("{}".into()));
        full.limit_pay = Some("no_credit".into());
        full.pay_tag = Some("ALIPAYHK".into());
        full.sub_openid = Some("o".into());
        full.openid = Some("o".into());
        full.seller_id = Some("s".into());
        full.failed_url = Some("https://a.example/f".into());
        full.cancel_url = Some("https://a.example/c".into());
        full.expired_time = Some(10);
        let sent = full.to_params("qfX", "2026-12-07 10:00:00", Some("MCH"));
        assert_eq!(sent.len(), 22, "every typed field is sent");
        for (name, _) in sent {
            let r = qr().extra(name, "x");
            assert_eq!(
                r.validate().unwrap_err().field(),
                Some(format!("extra_params.{name}").as_str()),
                "{name}"
            );
        }
    }

    fn qr() -> PaymentRequest {
        PaymentRequest::wechat_qr(Money::new(300, Currency::HKD))
    }

    fn field_of(r: &PaymentRequest) -> Option<String> {
        r.validate()
            .err()
            .and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn rules() {
        assert!(qr().validate().is_ok());
        assert_eq!(
            field_of(&qr().expired_time(4)).as_deref(),
            Some("expired_time")
        );
        assert!(qr().expired_time(5).validate().is_ok());
        assert!(qr().expired_time(120).validate().is_ok());
        assert_eq!(
            field_of(&qr().expired_time(121)).as_deref(),
            Some("expired_time")
        );
        assert_eq!(field_of(&qr().rmb_tag("Y")).as_deref(), Some("rmb_tag"));
        assert!(
            PaymentRequest::wechat_qr(Money::new(1, Currency::CNY))
                .rmb_tag("Y")
                .validate()
                .is_ok()
        );
        assert_eq!(
            field_of(&PaymentRequest::new(
                Money::new(1, Currency::HKD),
                PayType::WechatCpm
            ))
            .as_deref(),
            Some("auth_code")
        );
        assert_eq!(
            field_of(&qr().extend_info(ExtendInfo::real_name("11010519491231002X", " ")))
                .as_deref(),
            Some("extend_info.user_truename")
        );
    }

    #[test]
    fn extend_info_as_a_json_string_gets_the_real_name_rules() {
        let f = |json: &str| field_of(&qr().extend_info(ExtendInfo::Json(json.into())));
        let good = r#"{"user_creid":"11010519491231002X","user_truename":"\u5c0f\u6797"}"#;
        assert_eq!(f(good), None);
        assert_eq!(
            f(r#"{"user_creid":"110105194912310021","user_truename":"A"}"#).as_deref(),
            Some("extend_info.user_creid"),
            "check digit"
        );
        assert_eq!(
            f(r#"{"user_creid":"11010519491231002","user_truename":"A"}"#).as_deref(),
            Some("extend_info.user_creid"),
            "17 characters"
        );
        assert_eq!(
            f(r#"{"user_creid":"11010519491231002X","user_truename":" "}"#).as_deref(),
            Some("extend_info.user_truename")
        );
        assert_eq!(
            f(r#"{"user_creid":"11010519491231002X"}"#).as_deref(),
            Some("extend_info.user_truename")
        );
        assert_eq!(
            f(r#"{"user_truename":"A","user_creid":123}"#).as_deref(),
            Some("extend_info.user_creid")
        );
        assert_eq!(f(r#"{"scene_info":{"h5_info":{}}}"#), None);
        assert_eq!(f("[1]").as_deref(), Some("extend_info"));
        // Sent byte-for-byte as given.
        let spaced = r#"{ "user_creid" : "11010519491231002X", "user_truename": "\u5c0f\u6797" }"#;
        let r = qr().extend_info(ExtendInfo::Json(spaced.into()));
        let params = r.to_params("A1", "2026-01-01 00:00:00", None);
        assert!(
            params
                .iter()
                .any(|(k, v)| *k == "extend_info" && v == spaced)
        );
    }

    #[test]
    fn extend_info_wire_is_ascii() {
        let e = ExtendInfo::real_name("430067798868676871", "小林");
        assert_eq!(
            e.to_wire(),
            r#"{"user_creid":"430067798868676871","user_truename":"\u5c0f\u6797"}"#
        );
    }
}
