//! The one error type of the SDK, with a stable code per kind.

use std::time::Duration;

use crate::model::query::{Transaction, TransactionState};
use crate::model::resp_code::RespCategory;

/// The order a failed money-moving call was about: what [`Error::out_trade_no`],
/// [`Error::syssn`] and [`Error::existing`] read.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRef {
    /// The merchant order number (generated or given).
    pub out_trade_no: String,
    /// QFPay's transaction number, when known.
    pub syssn: Option<String>,
    /// For `duplicate_order` on a caller-given number: the transaction QFPay already has under
    /// it (found by a query), when it could be read.
    pub existing: Option<Transaction>,
}

impl OrderRef {
    fn describe(&self) -> String {
        let mut s = format!("out_trade_no {}", self.out_trade_no);
        if let Some(sn) = self.syssn.as_deref().filter(|s| !s.is_empty()) {
            s.push_str(&format!(", syssn {sn}"));
        }
        s
    }
}

/// A QFPay answer that was not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The category of the code.
    pub category: RespCategory,
    /// QFPay's `respcd` (empty when the answer was an HTTP error without a body).
    pub respcd: String,
    /// QFPay's `resperr`.
    pub resperr: String,
    /// QFPay's `respmsg`.
    pub respmsg: String,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// When the refusal says when to try again: a refund refused in QFPay's 23:30–00:30
    /// window (`1265`) may be sent again at 00:30.
    pub retry_after: Option<Duration>,
    /// A refund refused for the day's unsettled amount (`1269`): what can still be refunded
    /// today, in minor units of the text's currency, when QFPay's text names it.
    pub available: Option<i64>,
}

impl ApiError {
    fn hint(&self) -> &'static str {
        let code = self.category.error_code();
        crate::surface::ERROR_ADVICE
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, advice)| *advice)
    }
}

/// Every failure the SDK reports. [`Error::code`] is a stable string per kind, used by every
/// binding to choose its exception class.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request field broke a documented rule; nothing was sent.
    #[error("invalid {field}: {rule}")]
    Validation {
        /// The field, by its QFPay name (`txamt`, `goods_name`, ...).
        field: String,
        /// The rule it broke.
        rule: String,
    },
    /// An argument or option had the wrong type for its field (a number where text belongs);
    /// nothing was sent. Its [`Error::code`] is `validation`, like a broken rule; bindings whose
    /// language has a type error (Python's `TypeError`) raise one that is also that.
    #[error("invalid {field}: {rule}")]
    ArgumentType {
        /// The field, by its QFPay name, or the option, by the caller's language's name.
        field: String,
        /// What it must be and what it was (never the value).
        rule: String,
    },
    /// The client is not configured correctly.
    #[error("configuration error: {}", config_message(option.as_deref(), message))]
    Config {
        /// The option at fault, by the core's name (`app_code`, `timeout`, `proxy`, ... as
        /// [`crate::ClientBuilder`] calls it), when one option is; bindings show it in their
        /// own spelling. Read it with [`Error::field`].
        option: Option<String>,
        /// What is wrong, worded to follow the option's name (`is missing: ...`); it never
        /// quotes a value that may be a secret.
        message: String,
    },
    /// QFPay answered with a failure code.
    #[error("QFPay error {}: {}{}{}: {}", .0.respcd, .0.resperr, msg_suffix(&.0.respmsg), http_suffix(.0.http_status), .0.hint())]
    Api(Box<ApiError>),
    /// HTTP 429: too many requests (QFPay allows 100 per second and 400 per minute).
    #[error("rate limited by QFPay (HTTP 429); slow down and retry later")]
    RateLimited {
        /// The server's `Retry-After`, when given.
        retry_after: Option<Duration>,
    },
    /// The request could not be delivered (connection refused, DNS, TLS...). Nothing was
    /// processed by QFPay when `sent` is false.
    #[error("network error{}: {message}{}", if *.sent { " after the request was sent" } else { " (the request was not sent)" }, order_suffix(order.as_deref()))]
    Network {
        /// What went wrong.
        message: String,
        /// Whether the request may have reached QFPay.
        sent: bool,
        /// The order of the money-moving call, when this is one (read it with
        /// [`Error::out_trade_no`] and [`Error::syssn`]).
        order: Option<Box<OrderRef>>,
    },
    /// The call's deadline passed (a query or other call that moves no money). The message
    /// names the endpoint, host, attempts and time spent.
    #[error("{0}")]
    Timeout(String),
    /// The outcome of a money-moving call is not known. Do not pay again under a new number:
    /// query `out_trade_no` (or wait for the notification) to learn what happened.
    #[error("status unknown for out_trade_no {out_trade_no}{}: {reason}; do not retry under a new out_trade_no, query this one or wait for the notification", respcd.as_ref().map(|c| format!(" (respcd {c})")).unwrap_or_default())]
    StatusUnknown {
        /// The merchant order number the outcome belongs to.
        out_trade_no: String,
        /// QFPay's transaction number, when known.
        syssn: Option<String>,
        /// The last `respcd` seen, when any.
        respcd: Option<String>,
        /// Why the outcome is not known.
        reason: String,
    },
    /// An answer or a notification could not be understood (the message says which).
    #[error("{0}")]
    Decode(String),
    /// A signature did not verify: a notification's over its body and key, or a checkout
    /// link's. The message says which, and the likely cause.
    #[error("{0}")]
    Signature(String),
    /// Any other error of a money-moving call, with the order it was about. Its
    /// [`Error::code`] and every accessor are the inner error's; [`Error::out_trade_no`],
    /// [`Error::syssn`] and [`Error::existing`] read the order.
    #[error("{}", order_message(error, order))]
    Order {
        /// The error itself.
        error: Box<Error>,
        /// The order the call was about.
        order: Box<OrderRef>,
    },
}

fn config_message(option: Option<&str>, message: &str) -> String {
    match option {
        Some(o) => format!("{o} {message}"),
        None => message.to_owned(),
    }
}

fn order_suffix(order: Option<&OrderRef>) -> String {
    order
        .map(|o| format!(" ({})", o.describe()))
        .unwrap_or_default()
}

fn order_message(error: &Error, order: &OrderRef) -> String {
    let mut msg = error.to_string();
    if let Some(t) = &order.existing {
        let state = match t.state {
            TransactionState::Succeeded => "paid",
            TransactionState::Pending => "pending (not paid yet)",
            TransactionState::Failed => "failed",
            TransactionState::Cancelled => "cancelled or closed",
            TransactionState::Refunded => "paid and refunded",
            TransactionState::PartiallyRefunded => "paid and partly refunded",
        };
        msg.push_str(&format!(
            "; QFPay already has out_trade_no {} as {state}: syssn {}, {} {} (check whether it is this order before paying again)",
            order.out_trade_no, t.syssn, t.txamt, t.txcurrcd
        ));
        if !t.other_payments.is_empty() {
            msg.push_str(&format!(
                "; it holds {} more under the same number (syssn {}): a customer may have paid more than once",
                t.other_payments.len(),
                t.other_payments.join(", ")
            ));
        }
    } else {
        msg.push_str(&format!(" ({})", order.describe()));
    }
    msg
}

fn msg_suffix(respmsg: &str) -> String {
    if respmsg.is_empty() {
        String::new()
    } else {
        format!(" ({respmsg})")
    }
}

fn http_suffix(status: u16) -> String {
    if status == 200 {
        String::new()
    } else {
        format!(" [HTTP {status}]")
    }
}

impl Error {
    /// Whether this is an [`Error::ArgumentType`]: a value of the wrong type.
    pub fn is_wrong_type(&self) -> bool {
        matches!(self.base(), Error::ArgumentType { .. })
    }

    pub(crate) fn validation(field: &str, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.to_owned(),
            rule: rule.into(),
        }
    }

    /// A decode error saying what could not be decoded (`what`: "the notification",
    /// "QFPay's answer from ...").
    pub(crate) fn decoding(self, what: &str) -> Self {
        match self {
            Error::Decode(m) => Error::Decode(format!("could not decode {what}: {m}")),
            e => e,
        }
    }

    /// The same error with every occurrence of `secret` in its texts replaced by `***`: the
    /// client's own key, wherever a server or a misplaced option would echo it (see
    /// [`crate::secret::ClientKey::maskable`]).
    pub(crate) fn redact(self, secret: &str) -> Self {
        let r = |s: String| {
            if s.contains(secret) {
                s.replace(secret, "***")
            } else {
                s
            }
        };
        match self {
            Error::Validation { field, rule } => Error::Validation {
                field: r(field),
                rule: r(rule),
            },
            Error::ArgumentType { field, rule } => Error::ArgumentType {
                field: r(field),
                rule: r(rule),
            },
            Error::Config { option, message } => Error::Config {
                option,
                message: r(message),
            },
            Error::Api(mut a) => {
                a.resperr = r(std::mem::take(&mut a.resperr));
                a.respmsg = r(std::mem::take(&mut a.respmsg));
                Error::Api(a)
            }
            Error::Network {
                message,
                sent,
                order,
            } => Error::Network {
                message: r(message),
                sent,
                order,
            },
            Error::Timeout(m) => Error::Timeout(r(m)),
            Error::StatusUnknown {
                out_trade_no,
                syssn,
                respcd,
                reason,
            } => Error::StatusUnknown {
                out_trade_no,
                syssn,
                respcd,
                reason: r(reason),
            },
            Error::Decode(m) => Error::Decode(r(m)),
            Error::Signature(m) => Error::Signature(r(m)),
            Error::Order { error, order } => Error::Order {
                error: Box::new(error.redact(secret)),
                order,
            },
            other @ Error::RateLimited { .. } => other,
        }
    }

    /// A configuration error not about one option.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            option: None,
            message: message.into(),
        }
    }

    /// A configuration error about `option` (the core's name for it); `message` follows the
    /// name: `Error::config_option("timeout", "must be greater than zero")`.
    pub fn config_option(option: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            option: Some(option.into()),
            message: message.into(),
        }
    }

    pub(crate) fn api(respcd: &str, resperr: &str, respmsg: &str, http_status: u16) -> Self {
        Error::Api(Box::new(ApiError {
            category: RespCategory::of(respcd, resperr, respmsg),
            respcd: respcd.to_owned(),
            resperr: resperr.to_owned(),
            respmsg: respmsg.to_owned(),
            http_status,
            retry_after: None,
            available: None,
        }))
    }

    /// An HTTP error answer without a QFPay body.
    pub(crate) fn http(category: RespCategory, http_status: u16) -> Self {
        Error::Api(Box::new(ApiError {
            category,
            respcd: String::new(),
            resperr: format!("HTTP {http_status}"),
            respmsg: String::new(),
            http_status,
            retry_after: None,
            available: None,
        }))
    }

    /// The error without its order context.
    fn base(&self) -> &Error {
        match self {
            Error::Order { error, .. } => error.base(),
            e => e,
        }
    }

    fn order(&self) -> Option<&OrderRef> {
        match self {
            Error::Order { order, .. } => Some(order),
            Error::Network { order, .. } => order.as_deref(),
            _ => None,
        }
    }

    /// The same error, naming the order `out_trade_no` (and `syssn` when known) of the
    /// money-moving call it came from. Errors that already name an order keep theirs.
    pub fn with_order(self, out_trade_no: &str, syssn: Option<&str>) -> Self {
        let order = || {
            Box::new(OrderRef {
                out_trade_no: out_trade_no.to_owned(),
                syssn: syssn.filter(|s| !s.is_empty()).map(str::to_owned),
                existing: None,
            })
        };
        match self {
            Error::StatusUnknown {
                out_trade_no: o,
                syssn: s,
                respcd,
                reason,
            } => {
                let s = s.or_else(|| syssn.filter(|s| !s.is_empty()).map(str::to_owned));
                Error::StatusUnknown {
                    out_trade_no: o,
                    syssn: s,
                    respcd,
                    reason,
                }
            }
            Error::Network {
                message,
                sent,
                order: None,
            } => Error::Network {
                message,
                sent,
                order: Some(order()),
            },
            e @ (Error::Network { .. } | Error::Order { .. }) => e,
            e => Error::Order {
                error: Box::new(e),
                order: order(),
            },
        }
    }

    /// Sets the transaction already under this order number (`duplicate_order`).
    pub(crate) fn with_existing(mut self, existing: Transaction) -> Self {
        if let Error::Order { order, .. } = &mut self {
            if order.syssn.is_none() && !existing.syssn.is_empty() {
                order.syssn = Some(existing.syssn.clone());
            }
            order.existing = Some(existing);
        }
        self
    }

    /// A stable, machine-readable code for the kind of error: `validation`, `config`, `auth`,
    /// `invalid_request`, `declined`, `duplicate_order`, `order_state`, `refund_rejected`,
    /// `account`, `server`, `api`, `rate_limited`, `network`, `timeout`, `status_unknown`,
    /// `decode` or `signature`.
    pub fn code(&self) -> &'static str {
        match self.base() {
            Error::Validation { .. } | Error::ArgumentType { .. } => "validation",
            Error::Config { .. } => "config",
            Error::Api(e) => e.category.error_code(),
            Error::RateLimited { .. } => "rate_limited",
            Error::Network { .. } => "network",
            Error::Timeout(_) => "timeout",
            Error::StatusUnknown { .. } => "status_unknown",
            Error::Decode(_) => "decode",
            Error::Signature(_) => "signature",
            Error::Order { error, .. } => error.code(),
        }
    }

    /// Every code [`Error::code`] can return.
    pub const CODES: [&'static str; 17] = [
        "validation",
        "config",
        "auth",
        "invalid_request",
        "declined",
        "duplicate_order",
        "order_state",
        "refund_rejected",
        "account",
        "server",
        "api",
        "rate_limited",
        "network",
        "timeout",
        "status_unknown",
        "decode",
        "signature",
    ];

    /// QFPay's answer, when the error is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self.base() {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// QFPay's `respcd`, when QFPay answered (also the last one seen for status unknown).
    pub fn respcd(&self) -> Option<&str> {
        match self.base() {
            Error::Api(e) if !e.respcd.is_empty() => Some(&e.respcd),
            Error::StatusUnknown { respcd, .. } => respcd.as_deref(),
            _ => None,
        }
    }

    /// QFPay's `resperr`, when QFPay answered.
    pub fn resperr(&self) -> Option<&str> {
        self.api_error().map(|e| e.resperr.as_str())
    }

    /// QFPay's `respmsg`, when QFPay answered.
    pub fn respmsg(&self) -> Option<&str> {
        self.api_error().map(|e| e.respmsg.as_str())
    }

    /// The HTTP status of QFPay's answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self.base() {
            Error::Api(e) => Some(e.http_status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The field that failed validation.
    pub fn field(&self) -> Option<&str> {
        match self.base() {
            Error::Validation { field, .. } | Error::ArgumentType { field, .. } => Some(field),
            Error::Config { option, .. } => option.as_deref(),
            _ => None,
        }
    }

    /// The rule the field broke.
    pub fn rule(&self) -> Option<&str> {
        match self.base() {
            Error::Validation { rule, .. } | Error::ArgumentType { rule, .. } => Some(rule),
            Error::Config {
                option: Some(_),
                message,
            } => Some(message),
            _ => None,
        }
    }

    /// The merchant order number of the money-moving call the error came from (every error
    /// of `create_payment`, `refund`, `close` and `reverse` once the number is known, generated
    /// or given), or of the order whose outcome is unknown.
    pub fn out_trade_no(&self) -> Option<&str> {
        match self {
            Error::StatusUnknown { out_trade_no, .. } => Some(out_trade_no),
            e => e.order().map(|o| o.out_trade_no.as_str()),
        }
    }

    /// QFPay's transaction number, when known.
    pub fn syssn(&self) -> Option<&str> {
        match self {
            Error::StatusUnknown { syssn, .. } => syssn.as_deref(),
            e => e.order().and_then(|o| o.syssn.as_deref()),
        }
    }

    /// `duplicate_order` for a caller-given `out_trade_no`: the transaction QFPay already has
    /// under that number (its state, amount, currency and syssn tell "already paid" from
    /// "someone else's order"), when the query for it succeeded.
    pub fn existing(&self) -> Option<&Transaction> {
        self.order().and_then(|o| o.existing.as_ref())
    }

    /// `network`: whether the request may have reached QFPay.
    pub fn sent(&self) -> Option<bool> {
        match self.base() {
            Error::Network { sent, .. } => Some(*sent),
            _ => None,
        }
    }

    /// How long to wait before retrying: what the server asked (`rate_limited`), or until
    /// 00:30 for a refund refused in QFPay's nightly window (`refund_rejected`, `1265`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self.base() {
            Error::RateLimited { retry_after } => *retry_after,
            Error::Api(a) => a.retry_after,
            _ => None,
        }
    }

    /// A refund refused because the day's unsettled amount cannot cover it (`1269`): the
    /// amount QFPay says is still refundable today, in minor units, when its text names it.
    pub fn available(&self) -> Option<i64> {
        match self.base() {
            Error::Api(a) => a.available,
            _ => None,
        }
    }
}

/// The SDK's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error field of [`crate::surface::ERROR_FIELDS`], in that order, under its canonical
/// name: what the bindings build their exceptions from instead of listing the accessors.
/// `retry_after` is in whole milliseconds; `existing` is the [`Transaction`]'s own form; fields
/// that do not apply are null.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Error", 14)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("respcd", &self.respcd())?;
        s.serialize_field("resperr", &self.resperr())?;
        s.serialize_field("respmsg", &self.respmsg())?;
        s.serialize_field("http_status", &self.http_status())?;
        s.serialize_field("out_trade_no", &self.out_trade_no())?;
        s.serialize_field("syssn", &self.syssn())?;
        s.serialize_field("field", &self.field())?;
        s.serialize_field("rule", &self.rule())?;
        s.serialize_field(
            "retry_after",
            &self
                .retry_after()
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        )?;
        s.serialize_field("sent", &self.sent())?;
        s.serialize_field("existing", &self.existing())?;
        s.serialize_field("available", &self.available())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_every_error_field_in_order() {
        let e = Error::config_option("timeout", "must be greater than zero");
        let v = serde_json::to_value(&e).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want: Vec<&str> = crate::surface::ERROR_FIELDS.iter().map(|f| f.0).collect();
        let mut got = keys.clone();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(v["code"], "config");
        assert_eq!(v["field"], "timeout");
        assert_eq!(v["message"], e.to_string());
        assert!(v["retry_after"].is_null());
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(Error::api("1108", "sig", "", 200).code(), "auth");
        assert_eq!(Error::api("1201", "", "", 200).code(), "declined");
        assert_eq!(
            Error::api("1251", "", "out_trade_no is used", 200).code(),
            "duplicate_order"
        );
        let e = Error::StatusUnknown {
            out_trade_no: "A1".into(),
            syssn: None,
            respcd: Some("1145".into()),
            reason: "still processing".into(),
        };
        assert_eq!(e.code(), "status_unknown");
        assert_eq!(e.out_trade_no(), Some("A1"));
        assert!(e.to_string().contains("A1"));
        for code in Error::CODES {
            assert!(!code.is_empty());
        }
    }

    #[test]
    fn order_context_keeps_code_and_accessors() {
        let e = Error::api("1201", "Insufficient balance", "", 200).with_order("A9", Some("SN1"));
        assert_eq!(e.code(), "declined");
        assert_eq!(
            (e.out_trade_no(), e.syssn(), e.respcd()),
            (Some("A9"), Some("SN1"), Some("1201"))
        );
        assert!(e.to_string().contains("out_trade_no A9"), "{e}");
        let e = Error::validation("goods_name", "too long").with_order("A8", None);
        assert_eq!(
            (e.code(), e.field(), e.out_trade_no()),
            ("validation", Some("goods_name"), Some("A8"))
        );
        let e = Error::Network {
            message: "x".into(),
            sent: false,
            order: None,
        }
        .with_order("A7", None);
        assert!(
            matches!(e, Error::Network { sent: false, .. }),
            "network stays a network variant"
        );
        assert_eq!((e.sent(), e.out_trade_no()), (Some(false), Some("A7")));
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(2)),
        }
        .with_order("A6", None);
        assert_eq!(
            (e.retry_after(), e.http_status()),
            (Some(Duration::from_secs(2)), Some(429))
        );
        let twice = e.with_order("OTHER", None);
        assert_eq!(twice.out_trade_no(), Some("A6"));
        let auth = Error::api("1108", "sig", "", 200).to_string();
        assert!(
            !auth.contains("qfpay::") && auth.contains("string to sign"),
            "{auth}"
        );
        let t = Error::Timeout(
            "/trade/v1/query at h: no answer from h within 250 ms (3 attempts, 1.2 s in all)"
                .into(),
        );
        assert!(!t.to_string().contains("timed out: timed out"));
    }

    #[test]
    fn messages_name_field_and_code() {
        let e = Error::validation("goods_name", "at most 64 characters");
        assert_eq!(e.to_string(), "invalid goods_name: at most 64 characters");
        let e = Error::api("1201", "Insufficient balance", "", 200);
        assert!(e.to_string().contains("1201"));
        assert_eq!(e.respcd(), Some("1201"));
    }
}
