//! The one applier: client options, per-call options, wait options and every request, read by
//! name from [`Value`]s, whatever language they came from.
//!
//! Names are the language's ([`Lang::option`] for options, [`Lang::member`] for request
//! fields); units are the language's ([`Lang::duration_unit`]); a wrong type is an
//! [`Error::ArgumentType`] and a value of the right type that cannot be represented an
//! [`Error::Validation`], each naming the QFPay field (request fields, `txamt` for `amount`) or
//! the option as the caller wrote it; a name nobody asked for is refused with the list of the
//! valid ones. Nothing is truncated, coerced or dropped. A value is never quoted: it may be a
//! key passed in the wrong place. Every QFPay rule is then checked by the request's own
//! `validate()`.

use std::time::Duration;

use super::spec::{Kind, Operation, Opt};
use super::{CALL_OPTIONS, CLIENT_OPTIONS, DurationUnit, Lang, WAIT_OPTIONS};
use crate::checkout::{CheckoutExpiry, CheckoutLink, CheckoutRequest};
use crate::client::{Client, ClientBuilder, Environment, Wait};
use crate::error::{Error, Result};
use crate::model::{
    CancelRequest, Cancellation, Currency, ExtendInfo, Money, PayType, Payment, PaymentRequest,
    QueryPage, QueryRequest, Refund, RefundRequest, Transaction,
};
use crate::sign::SignType;
use crate::wechat::CashierRequest;

/// A value from another language, by shape. Bindings build these from their native values;
/// anything with no shape here is [`Value::Other`], named by its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Absent: `None`, `null`, `undefined`, PHP `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Text(String),
    /// A list.
    List(Vec<Value>),
    /// A map with text keys, in the caller's order.
    Map(Vec<(String, Value)>),
    /// Anything else, by the language's name for its type (`bytes`, `a Buffer`).
    Other(String),
    /// Text that is not valid Unicode (a Python str with a lone surrogate).
    BadText,
    /// A whole number beyond 64 bits, as the language writes it.
    Huge(String),
}

/// The key of the stand-in object the Node wrapper puts where a value has no JSON form
/// (`{ "\u0000qfpay:type": "a Buffer" }`): [`Value::from`] reads it as [`Value::Other`].
pub const TYPE_MARKER: &str = "\u{0}qfpay:type";

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::Text(s),
            J::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            J::Object(m) => {
                if m.len() == 1
                    && let Some(J::String(t)) = m.get(TYPE_MARKER)
                {
                    return Value::Other(t.clone());
                }
                Value::Map(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl Value {
    /// The value's type as `lang` names it in a message (`int`, `a number`), never the value.
    pub fn type_name(&self, lang: Lang) -> String {
        let (py, js, php, jvm) = match self {
            Value::Other(t) => return t.clone(),
            Value::Null => ("NoneType", "null", "null", "null"),
            Value::Bool(_) => ("bool", "a boolean", "a bool", "a Boolean"),
            Value::Int(_) | Value::Huge(_) => ("int", "a number", "an int", "a Long"),
            Value::Float(_) => ("float", "a number", "a float", "a Double"),
            Value::Text(_) | Value::BadText => ("str", "a string", "a string", "a String"),
            Value::List(_) => ("list", "an array", "an array", "a List"),
            Value::Map(_) => ("dict", "an object", "an array", "a Map"),
        };
        match lang {
            Lang::Python => py,
            Lang::Node => js,
            Lang::Php => php,
            Lang::Jvm | Lang::Rust => jvm,
        }
        .to_owned()
    }

    fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// As JSON (a map given for `extend_info` is sent as this JSON text). Non-finite floats,
    /// [`Value::Other`], [`Value::BadText`] and [`Value::Huge`] have no JSON form: `None`.
    fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => J::Number(serde_json::Number::from_f64(*f)?),
            Value::Text(s) => J::String(s.clone()),
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect::<Option<_>>()?),
            Value::Map(m) => J::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Other(_) | Value::BadText | Value::Huge(_) => return None,
        })
    }
}

/// Values read by name from a map, remembering which names were asked for so that
/// [`Fields::finish`] refuses the rest (a typo such as `goods_name` for `goodsName` would
/// otherwise be dropped silently).
pub struct Fields {
    lang: Lang,
    what: &'static str,
    map: Vec<(String, Value)>,
    asked: Vec<String>,
    /// Prepended to the QFPay names of nested fields (`extend_info.`).
    prefix: &'static str,
}

impl Fields {
    /// Reads `value`, which must be a map or absent; `what` names it in errors (`the payment`,
    /// `the client options`).
    pub fn new(lang: Lang, what: &'static str, value: Value) -> Result<Self> {
        let map = match value {
            Value::Null => Vec::new(),
            Value::Map(m) => m,
            other => {
                return Err(Error::ArgumentType {
                    field: "options".to_owned(),
                    rule: format!("must be a map of {what}, got {}", other.type_name(lang)),
                });
            }
        };
        Ok(Self {
            lang,
            what,
            map,
            asked: Vec::new(),
            prefix: "",
        })
    }

    /// The name the caller writes for `opt`: an option's spelling, or a request field's.
    fn written(&self, opt: &Opt) -> String {
        if opt.field.is_some() {
            self.lang.member(opt.name)
        } else {
            self.lang.option(opt.name)
        }
    }

    /// The name an error gives `opt`: its QFPay field (with the nesting prefix), or the
    /// option as written.
    fn named(&self, opt: &Opt) -> String {
        match opt.field {
            Some(f) => format!("{}{f}", self.prefix),
            None => self.written(opt),
        }
    }

    /// `rule` about `opt`, saying the name the caller wrote when the error names another
    /// (`amount must be ...` under `txamt`).
    fn rule(&self, opt: &Opt, rule: impl std::fmt::Display) -> (String, String) {
        let field = self.named(opt);
        let written = format!("{}{}", self.prefix, self.written(opt));
        if written == field {
            (field, rule.to_string())
        } else {
            (field, format!("{} {rule}", self.written(opt)))
        }
    }

    fn invalid(&self, opt: &Opt, rule: impl std::fmt::Display) -> Error {
        let (field, rule) = self.rule(opt, rule);
        Error::Validation { field, rule }
    }

    fn wrong_type(&self, opt: &Opt, got: &Value) -> Error {
        let (field, rule) = self.rule(
            opt,
            self.lang.wrong_type(opt.kind, &got.type_name(self.lang)),
        );
        Error::ArgumentType { field, rule }
    }

    /// The value given for `opt`, if any (null is absent).
    pub fn take(&mut self, opt: &Opt) -> Option<Value> {
        let name = self.written(opt);
        let found = self
            .map
            .iter_mut()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| std::mem::replace(v, Value::Null));
        self.asked.push(name);
        found.filter(|v| !v.is_null())
    }

    /// Optional text (text, a secret, a currency code).
    pub fn text(&mut self, opt: &Opt) -> Result<Option<String>> {
        match self.take(opt) {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s)),
            Some(Value::BadText) => Err(self.invalid(
                opt,
                "is not valid Unicode text (it contains a lone surrogate)",
            )),
            Some(other) => Err(self.wrong_type(opt, &other)),
        }
    }

    /// Required text.
    pub fn required_text(&mut self, opt: &Opt) -> Result<String> {
        let written = self.written(opt);
        self.text(opt)?
            .ok_or_else(|| Error::validation(&self.named(opt), format!("is required ({written})")))
    }

    /// An optional whole number, never truncated (a Node number holding one is accepted when
    /// exact).
    pub fn int(&mut self, opt: &Opt) -> Result<Option<i64>> {
        let Some(v) = self.take(opt) else {
            return Ok(None);
        };
        match v {
            Value::Int(i) => Ok(Some(i)),
            Value::Float(f) if self.lang == Lang::Node => {
                let name = self.named(opt);
                crate::convert::integer_f64(&name, f)
                    .map(Some)
                    .map_err(|e| self.invalid(opt, e.rule().unwrap_or_default()))
            }
            Value::Huge(shown) => Err(self.invalid(opt, format!("is out of range (got {shown})"))),
            other => Err(self.wrong_type(opt, &other)),
        }
    }

    /// An optional count (0 to 2^32 − 1).
    pub fn count(&mut self, opt: &Opt) -> Result<Option<u32>> {
        match self.int(opt)? {
            None => Ok(None),
            Some(i) => u32::try_from(i)
                .map(Some)
                .map_err(|_| self.invalid(opt, format!("must be 0 to 4294967295, got {i}"))),
        }
    }

    /// An optional duration in the language's unit. NaN, infinities, negative and absurdly
    /// large values are refused by [`crate::convert`]'s rules, naming the option.
    pub fn duration(&mut self, opt: &Opt) -> Result<Option<Duration>> {
        let Some(v) = self.take(opt) else {
            return Ok(None);
        };
        let name = self.named(opt);
        let unit = self.lang.duration_unit();
        let d = match (&v, unit) {
            (Value::Int(n), DurationUnit::Nanos) => u64::try_from(*n)
                .map_err(|_| Error::validation(&name, format!("must not be negative (got {n} ns)")))
                .and_then(|n| crate::convert::check_duration(&name, Duration::from_nanos(n))),
            (Value::Int(n), DurationUnit::Seconds) => crate::convert::seconds_f64(&name, *n as f64),
            (Value::Float(f), DurationUnit::Seconds) => crate::convert::seconds_f64(&name, *f),
            (Value::Int(n), DurationUnit::Millis) => crate::convert::millis_f64(&name, *n as f64),
            (Value::Float(f), DurationUnit::Millis) if self.lang == Lang::Node => {
                crate::convert::millis_f64(&name, *f)
            }
            (Value::Huge(shown), _) => {
                Err(self.invalid(opt, format!("is out of range (got {shown})")))
            }
            _ => Err(self.wrong_type(opt, &v)),
        }?;
        Ok(Some(d))
    }

    /// Pay type codes: one, or a list.
    pub fn pay_types(&mut self, opt: &Opt) -> Result<Vec<PayType>> {
        Ok(self
            .text_list(opt)?
            .iter()
            .map(|c| PayType::from_code(c))
            .collect())
    }

    /// Text, or a list of text.
    pub fn text_list(&mut self, opt: &Opt) -> Result<Vec<String>> {
        match self.take(opt) {
            None => Ok(Vec::new()),
            Some(Value::Text(s)) => Ok(vec![s]),
            Some(Value::List(items)) => items
                .into_iter()
                .map(|i| match i {
                    Value::Text(s) => Ok(s),
                    Value::BadText => Err(self.invalid(
                        opt,
                        "is not valid Unicode text (it contains a lone surrogate)",
                    )),
                    other => Err(self.wrong_type(opt, &other)),
                })
                .collect(),
            Some(Value::BadText) => Err(self.invalid(
                opt,
                "is not valid Unicode text (it contains a lone surrogate)",
            )),
            Some(other) => Err(self.wrong_type(opt, &other)),
        }
    }

    /// The required amount and its currency (`default_currency` when none is given).
    pub fn money(&mut self, amount: &Opt, currency: &Opt) -> Result<Money> {
        let written = self.written(amount);
        let value = self.int(amount)?.ok_or_else(|| {
            Error::validation("txamt", format!("is required ({written}, in minor units)"))
        })?;
        let code = match (self.text(currency)?, currency.default) {
            (Some(c), _) => c,
            (None, Some(d)) => d.to_owned(),
            (None, None) => {
                return Err(Error::validation(
                    "txcurrcd",
                    format!("is required ({})", self.written(currency)),
                ));
            }
        };
        Ok(Money::new(value, Currency::parse(&code)?))
    }

    /// `extend_info`: a map of the real-name fields (`user_creid`, `user_truename`, spelled as
    /// the language spells members), any other map (sent as its JSON text), or JSON text.
    pub fn extend_info(&mut self, opt: &Opt) -> Result<Option<ExtendInfo>> {
        const CREID: Opt = Opt {
            name: "user_creid",
            kind: Kind::Text,
            default: None,
            field: Some("user_creid"),
            doc: "",
        };
        const NAME: Opt = Opt {
            name: "user_truename",
            field: Some("user_truename"),
            ..CREID
        };
        match self.take(opt) {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(ExtendInfo::Json(s))),
            Some(Value::Map(m)) => {
                let real_name = m.iter().any(|(k, _)| {
                    *k == self.lang.member(CREID.name) || *k == self.lang.member(NAME.name)
                });
                if !real_name {
                    return match Value::Map(m).to_json() {
                        Some(json) => Ok(Some(ExtendInfo::Json(json.to_string()))),
                        None => Err(self.invalid(opt, "must hold only JSON values")),
                    };
                }
                let mut nested = Fields::new(self.lang, "extend_info", Value::Map(m))?;
                nested.prefix = "extend_info.";
                let creid = nested.text(&CREID)?.unwrap_or_default();
                let name = nested.text(&NAME)?.unwrap_or_default();
                nested.finish()?;
                Ok(Some(ExtendInfo::real_name(creid, name)))
            }
            Some(other) => Err(self.wrong_type(opt, &other)),
        }
    }

    /// A map of text values (`extra_params`), in the caller's order; JSON text of an object
    /// is read the same way. Names are kept as given (they are QFPay's).
    pub fn text_map(&mut self, opt: &Opt) -> Result<Vec<(String, String)>> {
        let entries = match self.take(opt) {
            None => return Ok(Vec::new()),
            Some(Value::Map(m)) => m,
            Some(Value::Text(s)) => match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(serde_json::Value::Object(o)) => {
                    o.into_iter().map(|(k, v)| (k, Value::from(v))).collect()
                }
                _ => return Err(self.invalid(opt, "must be a map of text, or its JSON text")),
            },
            Some(other) => return Err(self.wrong_type(opt, &other)),
        };
        entries
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                Value::Text(t) => Ok((k, t)),
                _ => Err(Error::validation(
                    &format!("{}.{k}", self.named(opt)),
                    "must be text (QFPay's parameters are text: write numbers as text)",
                )),
            })
            .collect()
    }

    /// A JSON object given as a map or as its JSON text (`pay_params`).
    pub fn json_object(&mut self, opt: &Opt) -> Result<Option<serde_json::Value>> {
        match self.take(opt) {
            None => Ok(None),
            Some(Value::Text(s)) => match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(v @ serde_json::Value::Object(_)) => Ok(Some(v)),
                _ => Err(self.invalid(opt, "must be a JSON object")),
            },
            Some(v @ Value::Map(_)) => match v.to_json() {
                Some(j) => Ok(Some(j)),
                None => Err(self.invalid(opt, "must hold only JSON values")),
            },
            Some(other) => Err(self.wrong_type(opt, &other)),
        }
    }

    /// The merchant's ledger: CSV text, or a list of maps read by the language's member
    /// names (`out_trade_no` / `outTradeNo`, `amount`, `currency`, `state`, `refunded`). An
    /// error names `ledger`, the entry (from 1) or CSV line, and the rule.
    pub fn ledger(&mut self, opt: &Opt) -> Result<Option<crate::reconcile::Ledger>> {
        let lang = self.lang;
        match self.take(opt) {
            None => Ok(None),
            Some(Value::Text(csv)) => crate::reconcile::Ledger::from_csv(&csv).map(Some),
            Some(Value::List(items)) => {
                let mut entries = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let at = |e: Error| {
                        let (field, rule) = (
                            e.field().unwrap_or("").to_owned(),
                            e.rule().unwrap_or("").to_owned(),
                        );
                        Error::validation("ledger", format!("entry {}: {field} {rule}", i + 1))
                    };
                    if !matches!(item, Value::Map(_)) {
                        return Err(Error::validation(
                            "ledger",
                            format!(
                                "entry {}: must be a map (out_trade_no, amount, currency, state, refunded), got {}",
                                i + 1,
                                item.type_name(lang)
                            ),
                        ));
                    }
                    let mut f = Fields::new(lang, "a ledger entry", item).map_err(at)?;
                    let [no, amount, currency, state, refunded] = super::spec::LEDGER_FIELDS;
                    let entry = crate::reconcile::LedgerEntry {
                        out_trade_no: f.required_text(&no).map_err(at)?,
                        amount: f
                            .int(&amount)
                            .map_err(at)?
                            .ok_or_else(|| at(Error::validation("amount", "is required")))?,
                        currency: f.required_text(&currency).map_err(at)?,
                        state: match f.text(&state).map_err(at)? {
                            None => crate::reconcile::LedgerState::Paid,
                            Some(s) => {
                                crate::reconcile::LedgerState::parse(&s).ok_or_else(|| {
                                    at(Error::validation(
                                        "state",
                                        format!(
                                            "must be one of {}",
                                            crate::reconcile::LedgerState::NAMES.join(", ")
                                        ),
                                    ))
                                })?
                            }
                        },
                        refunded: f.int(&refunded).map_err(at)?,
                    };
                    f.finish().map_err(at)?;
                    entries.push(entry);
                }
                crate::reconcile::Ledger::new(entries).map(Some)
            }
            Some(other) => Err(self.wrong_type(opt, &other)),
        }
    }

    /// Fails on a name nobody asked for, listing the valid ones.
    pub fn finish(self) -> Result<()> {
        match self
            .map
            .iter()
            .find(|(k, v)| !v.is_null() && !self.asked.contains(k))
        {
            None => Ok(()),
            Some((k, _)) => Err(Error::validation(
                &format!("{}{k}", self.prefix),
                format!(
                    "is not an option of {} (valid: {})",
                    self.what,
                    self.asked.join(", ")
                ),
            )),
        }
    }
}

fn spec(table: &'static [Opt], name: &str) -> &'static Opt {
    // The names below are the tables' own; a miss is a bug caught by this module's tests.
    table.iter().find(|o| o.name == name).unwrap_or(&table[0])
}

/// Applies client options to a builder (over `from_env`'s variables when the builder read
/// them). `app_code` and `client_key` may come alone; the builder refuses a client without
/// both when it is built.
pub fn client_options(mut b: ClientBuilder, lang: Lang, options: Value) -> Result<ClientBuilder> {
    let mut f = Fields::new(lang, "the client options", options)?;
    let o = |n| spec(CLIENT_OPTIONS, n);
    if let Some(v) = f.text(o("app_code"))? {
        b = b.app_code(v);
    }
    if let Some(v) = f.text(o("client_key"))? {
        b = b.client_key(v);
    }
    if let Some(v) = f.text(o("environment"))? {
        b = b.environment(Environment::parse(&v)?);
    }
    if let Some(v) = f.text(o("base_url"))? {
        b = b.base_url(v);
    }
    if let Some(v) = f.text(o("mchid"))? {
        b = b.mchid(v);
    }
    if let Some(v) = f.text(o("sign_type"))? {
        b = b.sign_type(SignType::parse(&v)?);
    }
    if let Some(d) = f.duration(o("timeout"))? {
        b = b.timeout(d);
    }
    if let Some(d) = f.duration(o("connect_timeout"))? {
        b = b.connect_timeout(d);
    }
    if let Some(n) = f.count(o("max_retries"))? {
        b = b.max_retries(n);
    }
    if let Some(d) = f.duration(o("reconcile_timeout"))? {
        b = b.reconcile_timeout(d);
    }
    if let Some(d) = f.duration(o("retry_base_delay"))? {
        b = b.retry_base_delay(d);
    }
    if let Some(d) = f.duration(o("retry_max_delay"))? {
        b = b.retry_max_delay(d);
    }
    if let Some(s) = f.int(o("utc_offset_seconds"))? {
        // Beyond an i32 is beyond ±14 hours: the builder refuses it with its own message.
        let s = i32::try_from(s).unwrap_or(if s < 0 { i32::MIN } else { i32::MAX });
        b = b.utc_offset_seconds(s);
    }
    if let Some(v) = f.text(o("proxy"))? {
        b = b.proxy(v);
    }
    f.finish()?;
    Ok(b)
}

/// Per-call options over `client`: its timeout (greater than zero) and retries.
pub fn call_options(client: &crate::Client, lang: Lang, options: Value) -> Result<crate::Client> {
    let mut f = Fields::new(lang, "the call options", options)?;
    let timeout_opt = spec(CALL_OPTIONS, "timeout");
    let timeout = f.duration(timeout_opt)?;
    let retries = f.count(spec(CALL_OPTIONS, "max_retries"))?;
    f.finish()?;
    let mut c = client.clone();
    if let Some(t) = timeout {
        if t.is_zero() {
            return Err(Error::validation(
                &lang.option("timeout"),
                "must be greater than zero",
            ));
        }
        c = c.with_timeout(t);
    }
    if let Some(n) = retries {
        c = c.with_max_retries(n);
    }
    Ok(c)
}

/// `wait_for_payment`'s options.
pub fn wait_options(lang: Lang, options: Value) -> Result<Wait> {
    let mut f = Fields::new(lang, "the wait options", options)?;
    let timeout = f.duration(spec(WAIT_OPTIONS, "timeout"))?;
    let initial = f.duration(spec(WAIT_OPTIONS, "interval"))?;
    let max = f.duration(spec(WAIT_OPTIONS, "max_interval"))?;
    f.finish()?;
    let mut wait = Wait::default();
    if let Some(t) = timeout {
        wait = Wait::up_to(t);
    }
    if initial.is_some() || max.is_some() {
        let initial = initial.unwrap_or(wait.initial_interval);
        wait = wait.interval(initial, max.unwrap_or(wait.max_interval.max(initial)));
    }
    Ok(wait)
}

/// A request, read by [`request`]. Built once per call and consumed at once: the size of the
/// payment variant costs nothing worth a box.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// `create_payment`, `wechat_qr`.
    Payment(PaymentRequest),
    /// `query`, `query_pages`.
    Query(QueryRequest),
    /// `refund`.
    Refund(RefundRequest),
    /// `close`, `reverse`.
    Cancel(CancelRequest),
    /// `find_payment`, `wait_for_payment`: the order number.
    OrderNumber(String),
    /// `checkout_url`.
    Checkout(CheckoutRequest),
    /// `verify_checkout_url`: the link.
    CheckoutLink(String),
    /// `wechat_oauth_url`.
    WechatOauth {
        /// Where QFPay sends the customer back.
        redirect_uri: String,
        /// The sub-merchant, if any.
        mchid: Option<String>,
    },
    /// `get_wechat_openid`.
    WechatOpenid {
        /// The OAuth code.
        code: String,
        /// The sub-merchant, if any.
        mchid: Option<String>,
    },
    /// `transactions`: the period and its criteria.
    Period {
        /// The period's start.
        start_time: String,
        /// Its end.
        end_time: String,
        /// Pay types, status, `mchid`.
        filter: QueryRequest,
        /// The pacing, when not the default.
        min_interval: Option<Duration>,
    },
    /// `reconcile`.
    Reconcile(crate::client::ReconcileRequest),
    /// `download_trade_bill`: the day.
    TradeBill(String),
    /// `settlements`.
    Settlements(crate::model::SettlementRequest),
    /// `add_note`.
    Note(crate::model::NoteRequest),
    /// `cashier_url`.
    Cashier {
        /// The page's contents.
        req: CashierRequest,
        /// `hk`, `cn` or `th`.
        region: Option<String>,
    },
}

/// What an operation gives back, for a binding to convert (each variant is a result type of
/// the schema, or text).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// `create_payment`, `wechat_qr`.
    Payment(Payment),
    /// `query`.
    QueryPage(QueryPage),
    /// `find_payment`: the payment, or none.
    Found(Option<Transaction>),
    /// `wait_for_payment`.
    Transaction(Transaction),
    /// `refund`.
    Refund(Refund),
    /// `close`, `reverse`.
    Cancellation(Cancellation),
    /// `checkout_url`, `verify_checkout_url`.
    CheckoutLink(CheckoutLink),
    /// `wechat_oauth_url`, `get_wechat_openid`, `cashier_url`.
    Text(String),
    /// `reconcile`.
    Report(crate::reconcile::ReconcileReport),
    /// `download_trade_bill`.
    TradeBill(crate::model::TradeBill),
    /// `settlements`.
    Settlements(crate::model::Settlements),
    /// `add_note`.
    NoteAdded(crate::model::NoteAdded),
}

impl Outcome {
    /// The result's JSON form (each type's `describe!` serialisation; `null` for no payment
    /// found), for a binding that converts from JSON.
    pub fn to_json(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            Outcome::Payment(p) => serde_json::to_value(p),
            Outcome::QueryPage(p) => serde_json::to_value(p),
            Outcome::Found(t) => serde_json::to_value(t),
            Outcome::Transaction(t) => serde_json::to_value(t),
            Outcome::Refund(r) => serde_json::to_value(r),
            Outcome::Cancellation(c) => serde_json::to_value(c),
            Outcome::CheckoutLink(l) => serde_json::to_value(l),
            Outcome::Text(t) => serde_json::to_value(t),
            Outcome::Report(r) => serde_json::to_value(r),
            Outcome::TradeBill(b) => serde_json::to_value(b),
            Outcome::Settlements(s) => serde_json::to_value(s),
            Outcome::NoteAdded(n) => serde_json::to_value(n),
        }
    }
}

/// The pages of an operation returning a stream (`list<QueryPage>`: `query_pages`, whose
/// iterator yields the pages; `list<Transaction>`: `transactions`, whose iterator yields each
/// page's records in turn), from its request: what a binding's iterator holds. Nothing is sent
/// until the first page is asked for.
pub fn pages(client: &Client, req: Request) -> Result<crate::client::Pages> {
    use crate::client::Pages;
    match req {
        Request::Query(q) => Ok(Pages::Query(client.query_pages(q))),
        Request::Period {
            start_time,
            end_time,
            filter,
            min_interval,
        } => {
            let walk = client.transactions(&start_time, &end_time, filter)?;
            Ok(Pages::Period(match min_interval {
                Some(i) => walk.min_interval(i),
                None => walk,
            }))
        }
        _ => Err(Error::config("this operation does not return pages")),
    }
}

/// Runs operation `op` with its request (from [`request`]) on `client`; `wait` is
/// `wait_for_payment`'s schedule. `query_pages` is the binding's own iteration over `query`.
pub async fn perform(client: &Client, op: &Operation, req: Request, wait: Wait) -> Result<Outcome> {
    if !op.io {
        return perform_local(client, req);
    }
    Ok(match req {
        Request::Payment(p) => Outcome::Payment(client.create_payment(p).await?),
        Request::Query(q) => Outcome::QueryPage(client.query(q).await?),
        Request::Refund(r) => Outcome::Refund(client.refund(r).await?),
        Request::Cancel(r) if op.name == "close" => Outcome::Cancellation(client.close(r).await?),
        Request::Cancel(r) => Outcome::Cancellation(client.reverse(r).await?),
        Request::OrderNumber(n) if op.name == "find_payment" => {
            Outcome::Found(client.find_payment(&n).await?)
        }
        Request::OrderNumber(n) => Outcome::Transaction(client.wait_for_payment(&n, wait).await?),
        Request::WechatOpenid { code, mchid } => {
            Outcome::Text(client.get_wechat_openid(&code, mchid.as_deref()).await?)
        }
        Request::Reconcile(r) => Outcome::Report(client.reconcile(r).await?),
        Request::TradeBill(day) => Outcome::TradeBill(client.download_trade_bill(&day).await?),
        Request::Settlements(r) => Outcome::Settlements(client.settlements(r).await?),
        Request::Note(r) => Outcome::NoteAdded(client.add_note(r).await?),
        Request::Period { .. } => {
            return Err(Error::config(
                "transactions returns pages: iterate them (apply::pages)",
            ));
        }
        local => perform_local(client, local)?,
    })
}

/// Runs an operation that does not talk to QFPay ([`Operation::io`] false): at once, on the
/// caller's thread. Any other request is a configuration error.
pub fn perform_local(client: &Client, req: Request) -> Result<Outcome> {
    Ok(match req {
        Request::Checkout(c) => Outcome::CheckoutLink(client.checkout_url(c)?),
        Request::CheckoutLink(url) => Outcome::CheckoutLink(client.verify_checkout_url(&url)?),
        Request::WechatOauth {
            redirect_uri,
            mchid,
        } => Outcome::Text(client.wechat_oauth_url(&redirect_uri, mchid.as_deref())?),
        Request::Cashier { req, region } => {
            Outcome::Text(client.cashier_url(&req, region.as_deref())?)
        }
        _ => {
            return Err(Error::config(
                "this operation talks to QFPay: run it with perform",
            ));
        }
    })
}

/// The amount and currency arguments of `op`, as money.
fn money_arg(f: &mut Fields, op: &Operation) -> Result<Money> {
    let arg = |n: &str| op.args.iter().find(|o| o.name == n);
    let (Some(amount), Some(currency)) = (arg("amount"), arg("currency")) else {
        return Err(Error::config(format!(
            "the surface table of {} lacks money",
            op.name
        )));
    };
    f.money(amount, currency)
}

/// Reads operation `op`'s arguments (required and optional, by name) from `args`.
pub fn request(lang: Lang, op: &Operation, args: Value) -> Result<Request> {
    let what = match op.name {
        "create_payment" | "wechat_qr" => "the payment",
        "query" | "query_pages" => "the query",
        "transactions" => "the period",
        "reconcile" => "the reconciliation",
        "settlements" => "the settlement query",
        "add_note" => "the note",
        "refund" => "the refund",
        "close" | "reverse" => "the cancellation",
        "checkout_url" | "verify_checkout_url" => "the checkout",
        "cashier_url" => "the cashier link",
        _ => "the call",
    };
    let mut f = Fields::new(lang, what, args)?;
    let arg = |n: &str| op.args.iter().find(|o| o.name == n);
    let opt = |n: &str| op.optional().find(|o| o.name == n);
    let req = match op.name {
        "create_payment" | "wechat_qr" => {
            let money = money_arg(&mut f, op)?;
            let pay_type = match arg("pay_type") {
                Some(p) => PayType::from_code(&f.required_text(p)?),
                None => PayType::WechatQr,
            };
            let mut r = PaymentRequest::new(money, pay_type);
            for o in op.optional() {
                match o.name {
                    "out_trade_no" => r.out_trade_no = f.text(o)?,
                    "txdtm" => r.txdtm = f.text(o)?,
                    "auth_code" => r.auth_code = f.text(o)?,
                    "expired_time" => r.expired_time = f.count(o)?,
                    "goods_name" => r.goods_name = f.text(o)?,
                    "goods_info" => r.goods_info = f.text(o)?,
                    "mchid" => r.mchid = f.text(o)?,
                    "udid" => r.udid = f.text(o)?,
                    "notify_url" => r.notify_url = f.text(o)?,
                    "return_url" => r.return_url = f.text(o)?,
                    "rmb_tag" => r.rmb_tag = f.text(o)?,
                    "extend_info" => r.extend_info = f.extend_info(o)?,
                    "limit_pay" => r.limit_pay = f.text(o)?,
                    "pay_tag" => r.pay_tag = f.text(o)?,
                    "sub_openid" => r.sub_openid = f.text(o)?,
                    "openid" => r.openid = f.text(o)?,
                    "seller_id" => r.seller_id = f.text(o)?,
                    "failed_url" => r.failed_url = f.text(o)?,
                    "cancel_url" => r.cancel_url = f.text(o)?,
                    "extra_params" => r.extra = f.text_map(o)?,
                    _ => {}
                }
            }
            Request::Payment(r)
        }
        "query" | "query_pages" => {
            let mut r = QueryRequest::new();
            for o in op.optional() {
                match o.name {
                    "syssn" => r.syssn = f.text_list(o)?,
                    "out_trade_no" => r.out_trade_no = f.text_list(o)?,
                    "pay_type" => r.pay_type = f.pay_types(o)?,
                    "respcd" => r.respcd = f.text(o)?,
                    "start_time" => r.start_time = f.text(o)?,
                    "end_time" => r.end_time = f.text(o)?,
                    "page" => r.page = f.count(o)?,
                    "page_size" => r.page_size = f.count(o)?,
                    "mchid" => r.mchid = f.text(o)?,
                    _ => {}
                }
            }
            Request::Query(r)
        }
        "refund" | "close" | "reverse" => {
            let syssn = match arg("syssn") {
                Some(s) => Some(f.required_text(s)?),
                None => match opt("syssn") {
                    Some(s) => f.text(s)?,
                    None => None,
                },
            };
            let money = money_arg(&mut f, op)?;
            let mut out_trade_no = None;
            let (mut txdtm, mut mchid, mut udid) = (None, None, None);
            for o in op.optional() {
                match o.name {
                    "out_trade_no" => out_trade_no = f.text(o)?,
                    "txdtm" => txdtm = f.text(o)?,
                    "mchid" => mchid = f.text(o)?,
                    "udid" => udid = f.text(o)?,
                    _ => {}
                }
            }
            if op.name == "refund" {
                let mut r = RefundRequest::new(syssn.unwrap_or_default(), money);
                (r.out_trade_no, r.txdtm, r.mchid, r.udid) = (out_trade_no, txdtm, mchid, udid);
                Request::Refund(r)
            } else {
                let mut r = CancelRequest::by_syssn(String::new(), money);
                (r.syssn, r.out_trade_no, r.txdtm, r.mchid, r.udid) =
                    (syssn, out_trade_no, txdtm, mchid, udid);
                Request::Cancel(r)
            }
        }
        "checkout_url" => {
            let money = money_arg(&mut f, op)?;
            let mut url = |n: &str| match arg(n) {
                Some(o) => f.required_text(o),
                None => Err(Error::config("the surface table of a checkout lacks a URL")),
            };
            let (ret, failed, notify) =
                (url("return_url")?, url("failed_url")?, url("notify_url")?);
            let mut r = CheckoutRequest::new(money, ret, failed, notify);
            for o in op.optional() {
                match o.name {
                    "out_trade_no" => r.out_trade_no = f.text(o)?,
                    "txdtm" => r.txdtm = f.text(o)?,
                    "paysource" => r.paysource = f.text(o)?,
                    "cancel_url" => r.cancel_url = f.text(o)?,
                    "mchntid" => r.mchntid = f.text(o)?,
                    "goods_name" => r.goods_name = f.text(o)?,
                    "udid" => r.udid = f.text(o)?,
                    "expired_time" => r.expired_time = f.count(o)?,
                    "checkout_expired_time" => {
                        if let Some(m) = f.count(o)? {
                            r.checkout_expired_time =
                                Some(CheckoutExpiry::parse(o.name, &m.to_string())?);
                        }
                    }
                    "checkout_expires_at" => r.checkout_expires_at = f.text(o)?,
                    "limit_pay" => r.limit_pay = f.text(o)?,
                    "lang" => r.lang = f.text(o)?,
                    _ => {}
                }
            }
            Request::Checkout(r)
        }
        "transactions" | "reconcile" => {
            let ledger = match arg("ledger") {
                Some(o) => Some(f.ledger(o)?.ok_or_else(|| {
                    Error::validation("ledger", "is required (CSV text or a list of entries)")
                })?),
                None => None,
            };
            let mut period = |n: &str| match arg(n) {
                Some(o) => f.required_text(o),
                None => Err(Error::config(
                    "the surface table of a period lacks its times",
                )),
            };
            let (start_time, end_time) = (period("start_time")?, period("end_time")?);
            let mut filter = QueryRequest::new();
            let (mut min_interval, mut pending_after) = (None, None);
            for o in op.optional() {
                match o.name {
                    "pay_type" => filter.pay_type = f.pay_types(o)?,
                    "respcd" => filter.respcd = f.text(o)?,
                    "mchid" => filter.mchid = f.text(o)?,
                    "min_interval" => min_interval = f.duration(o)?,
                    "pending_after" => pending_after = f.duration(o)?,
                    _ => {}
                }
            }
            match ledger {
                Some(ledger) => {
                    let mut r = crate::client::ReconcileRequest::new(ledger, start_time, end_time);
                    r.filter = filter;
                    if let Some(i) = min_interval {
                        r.min_interval = i;
                    }
                    if let Some(p) = pending_after {
                        r.pending_after = p;
                    }
                    Request::Reconcile(r)
                }
                None => Request::Period {
                    start_time,
                    end_time,
                    filter,
                    min_interval,
                },
            }
        }
        "download_trade_bill" => match arg("trade_date") {
            Some(o) => Request::TradeBill(f.required_text(o)?),
            None => return Err(Error::config("download_trade_bill without its day")),
        },
        "settlements" => {
            let mut day = |n: &str| match arg(n) {
                Some(o) => f.required_text(o),
                None => Err(Error::config(
                    "the surface table of settlements lacks its days",
                )),
            };
            let mut r = crate::model::SettlementRequest::new(day("date_start")?, day("date_end")?);
            for o in op.optional() {
                match o.name {
                    "paymethod" => r.paymethod = f.text(o)?,
                    "mchid" => r.mchid = f.text(o)?,
                    _ => {}
                }
            }
            Request::Settlements(r)
        }
        "add_note" => {
            let mut text = |n: &str| match arg(n) {
                Some(o) => f.required_text(o),
                None => Err(Error::config(
                    "the surface table of add_note lacks its fields",
                )),
            };
            let syssn = text("syssn")?;
            Request::Note(crate::model::NoteRequest::new(syssn, text("note")?))
        }
        "verify_checkout_url" => match arg("url") {
            Some(o) => Request::CheckoutLink(f.required_text(o)?),
            None => return Err(Error::config("verify_checkout_url without its url")),
        },
        "wechat_oauth_url" | "get_wechat_openid" => {
            let first = op
                .args
                .first()
                .ok_or_else(|| Error::config("an operation without arguments to read"))?;
            let value = f.required_text(first)?;
            let mchid = match opt("mchid") {
                Some(o) => f.text(o)?,
                None => None,
            };
            if op.name == "wechat_oauth_url" {
                Request::WechatOauth {
                    redirect_uri: value,
                    mchid,
                }
            } else {
                Request::WechatOpenid { code: value, mchid }
            }
        }
        "cashier_url" => {
            let amount = money_arg(&mut f, op)?;
            let pay_params = match arg("pay_params") {
                Some(o) => f.json_object(o)?.ok_or_else(|| {
                    Error::validation(
                        "pay_params",
                        "is required (the payment's wechat_pay_params)",
                    )
                })?,
                None => return Err(Error::config("cashier_url without pay_params")),
            };
            let pay_params = crate::wechat::pay_params_from_json(&pay_params)?;
            let mut text = |n: &str| match arg(n) {
                Some(o) => f.required_text(o),
                None => Err(Error::config(
                    "the surface table of a cashier link lacks a field",
                )),
            };
            let (mchntnm, redirect_url) = (text("mchntnm")?, text("redirect_url")?);
            let (mut goods_name, mut region) = (None, None);
            for o in op.optional() {
                match o.name {
                    "goods_name" => goods_name = f.text(o)?,
                    "region" => region = f.text(o)?,
                    _ => {}
                }
            }
            Request::Cashier {
                req: CashierRequest {
                    amount,
                    pay_params,
                    mchntnm,
                    redirect_url,
                    goods_name,
                },
                region,
            }
        }
        _ => match arg("out_trade_no") {
            Some(o) => {
                let no = f.required_text(o)?;
                if no.is_empty() {
                    return Err(Error::validation("out_trade_no", "must not be empty"));
                }
                Request::OrderNumber(no)
            }
            None => return Err(Error::config("an operation without arguments to read")),
        },
    };
    f.finish()?;
    Ok(req)
}

impl Error {
    /// The same error with a configuration error's option named as `lang` spells it (in
    /// [`Error::field`] and the message: `timeoutMs must be greater than zero`).
    pub fn in_lang(self, lang: Lang) -> Error {
        match self {
            Error::Config {
                option: Some(option),
                message,
            } => Error::Config {
                option: Some(lang.option(&option)),
                message,
            },
            Error::Order { error, order } => Error::Order {
                error: Box::new(error.in_lang(lang)),
                order,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::operation;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn err(r: Result<Request>) -> Error {
        match r {
            Err(e) => e,
            Ok(r) => panic!("accepted: {r:?}"),
        }
    }

    #[test]
    fn a_payment_by_each_languages_names() {
        let op = operation("create_payment").unwrap();
        for (lang, goods) in [(Lang::Python, "goods_name"), (Lang::Node, "goodsName")] {
            let r = request(
                lang,
                op,
                map(&[
                    ("amount", Value::Int(300)),
                    ("currency", Value::Text("HKD".into())),
                    (
                        if lang == Lang::Node {
                            "payType"
                        } else {
                            "pay_type"
                        },
                        Value::Text("800201".into()),
                    ),
                    (goods, Value::Text("Coffee".into())),
                ]),
            )
            .unwrap();
            let Request::Payment(p) = r else { panic!() };
            assert_eq!(p.goods_name.as_deref(), Some("Coffee"));
            assert_eq!(p.amount.amount, 300);
        }
    }

    #[test]
    fn wechat_qr_defaults_to_hkd() {
        let r = request(
            Lang::Php,
            operation("wechat_qr").unwrap(),
            map(&[("amount", Value::Int(1))]),
        )
        .unwrap();
        let Request::Payment(p) = r else { panic!() };
        assert_eq!(p.amount.currency.code(), "HKD");
    }

    #[test]
    fn wrong_types_name_the_field_never_the_value() {
        let op = operation("create_payment").unwrap();
        let e = err(request(
            Lang::Node,
            op,
            map(&[
                ("amount", Value::Text("12345".into())),
                ("currency", Value::Text("HKD".into())),
            ]),
        ));
        assert!(e.is_wrong_type());
        assert_eq!(e.field(), Some("txamt"));
        assert!(
            e.rule()
                .unwrap()
                .starts_with("amount must be a whole number"),
            "{e}"
        );
        assert!(!e.to_string().contains("12345"), "{e}");
        let e = err(request(
            Lang::Python,
            op,
            map(&[
                ("amount", Value::Float(3.0)),
                ("currency", Value::Text("HKD".into())),
            ]),
        ));
        assert_eq!(
            e.rule(),
            Some(
                "amount must be an int (a whole number of minor units: 300 is HK$3.00), not float"
            )
        );
    }

    #[test]
    fn unknown_names_are_refused_with_the_valid_ones() {
        let e = err(request(
            Lang::Node,
            operation("refund").unwrap(),
            map(&[
                ("syssn", Value::Text("1".into())),
                ("amount", Value::Int(1)),
                ("currency", Value::Text("HKD".into())),
                ("goods_name", Value::Text("x".into())),
            ]),
        ));
        assert_eq!(e.field(), Some("goods_name"));
        assert!(
            e.rule().unwrap().contains("outTradeNo, txdtm, mchid, udid"),
            "{e}"
        );
    }

    #[test]
    fn durations_in_each_unit_and_zero_per_call_timeout_refused() {
        let w = wait_options(Lang::Python, map(&[("timeout", Value::Float(1.5))])).unwrap();
        assert_eq!(w.timeout, Duration::from_millis(1500));
        let w = wait_options(Lang::Node, map(&[("timeoutMs", Value::Int(1500))])).unwrap();
        assert_eq!(w.timeout, Duration::from_millis(1500));
        let w = wait_options(Lang::Jvm, map(&[("timeout", Value::Int(1_500_000_000))])).unwrap();
        assert_eq!(w.timeout, Duration::from_millis(1500));
        let e = wait_options(Lang::Jvm, map(&[("timeout", Value::Int(i64::MAX))])).unwrap_err();
        assert_eq!(e.field(), Some("timeout"));
        assert!(e.rule().unwrap().contains("at most 100 years"), "{e}");
        let client = crate::Client::builder()
            .base_url("http://127.0.0.1:9")
            .credentials("A", "K")
            .build()
            .unwrap();
        for lang in [Lang::Python, Lang::Node, Lang::Jvm, Lang::Php] {
            let e = call_options(
                &client,
                lang,
                map(&[(&lang.option("timeout"), Value::Int(0))]),
            )
            .err()
            .unwrap();
            assert_eq!(e.field(), Some(lang.option("timeout").as_str()));
            assert_eq!(e.rule(), Some("must be greater than zero"));
        }
    }

    #[test]
    fn client_options_by_name() {
        let b = client_options(
            ClientBuilder::new(),
            Lang::Node,
            map(&[
                ("appCode", Value::Text("A".into())),
                ("clientKey", Value::Text("K".into())),
                ("baseUrl", Value::Text("http://127.0.0.1:9".into())),
                ("retryMaxDelayMs", Value::Int(100)),
            ]),
        )
        .unwrap();
        assert!(b.build().is_ok());
        let e = client_options(
            ClientBuilder::new(),
            Lang::Php,
            map(&[("timeout", Value::Int(1))]),
        )
        .err()
        .unwrap();
        assert_eq!(e.field(), Some("timeout"));
        assert!(e.rule().unwrap().contains("timeoutMs"), "{e}");
    }

    #[test]
    fn real_name_and_any_json_object() {
        let op = operation("wechat_qr").unwrap();
        let r = request(
            Lang::Python,
            op,
            map(&[
                ("amount", Value::Int(1)),
                (
                    "extend_info",
                    map(&[("scene_info", map(&[("a", Value::Int(1))]))]),
                ),
            ]),
        )
        .unwrap();
        let Request::Payment(p) = r else { panic!() };
        assert_eq!(
            p.extend_info,
            Some(ExtendInfo::Json("{\"scene_info\":{\"a\":1}}".into()))
        );
        let e = err(request(
            Lang::Node,
            op,
            map(&[
                ("amount", Value::Int(1)),
                ("extendInfo", map(&[("userCreid", Value::Int(1))])),
            ]),
        ));
        assert_eq!(e.field(), Some("extend_info.user_creid"));
        let e = err(request(
            Lang::Node,
            op,
            map(&[
                ("amount", Value::Int(1)),
                ("extendInfo", map(&[("userTruename", Value::Int(1))])),
            ]),
        ));
        assert_eq!(e.field(), Some("extend_info.user_truename"));
        assert!(
            e.rule()
                .unwrap()
                .starts_with("userTruename must be a string"),
            "{e}"
        );
    }
}
