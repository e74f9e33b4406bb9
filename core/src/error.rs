//! The one error type of the SDK, with a stable code per kind.

use std::time::Duration;

use crate::model::resp_code::RespCategory;

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
}

impl ApiError {
    fn hint(&self) -> &'static str {
        match self.category {
            RespCategory::Auth => {
                "check the app code, client key, mchid and environment; qfpay::sign::debug_string_to_sign shows what was signed"
            }
            RespCategory::InvalidRequest => "fix the request parameters",
            RespCategory::Declined => {
                "the payment was declined; the customer may try again or use another method"
            }
            RespCategory::DuplicateOrder => {
                "this out_trade_no was used before; query it instead of paying again"
            }
            RespCategory::OrderState => "query the order to see its current state",
            RespCategory::RefundRejected => "the refund was refused; query the original payment",
            RespCategory::Account => "the merchant account, device or store is not set up for this",
            RespCategory::Server => "QFPay had a transient problem; query before trying again",
            RespCategory::Success | RespCategory::Processing | RespCategory::Unknown => {
                "treat as failed; query the order if money may have moved"
            }
        }
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
    /// The client is not configured correctly.
    #[error("configuration error: {0}")]
    Config(String),
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
    #[error("network error{}: {message}", if *.sent { " after the request was sent" } else { " (the request was not sent)" })]
    Network {
        /// What went wrong.
        message: String,
        /// Whether the request may have reached QFPay.
        sent: bool,
    },
    /// The call's deadline passed (a query or other call that moves no money).
    #[error("timed out: {0}")]
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
    /// An answer could not be understood.
    #[error("could not decode QFPay's answer: {0}")]
    Decode(String),
    /// A notification's signature did not match its body and key.
    #[error("notification signature mismatch: {0}")]
    Signature(String),
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
    pub(crate) fn validation(field: &str, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.to_owned(),
            rule: rule.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config(message.into())
    }

    pub(crate) fn api(respcd: &str, resperr: &str, respmsg: &str, http_status: u16) -> Self {
        Error::Api(Box::new(ApiError {
            category: RespCategory::of(respcd, resperr, respmsg),
            respcd: respcd.to_owned(),
            resperr: resperr.to_owned(),
            respmsg: respmsg.to_owned(),
            http_status,
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
        }))
    }

    /// A stable, machine-readable code for the kind of error: `validation`, `config`, `auth`,
    /// `invalid_request`, `declined`, `duplicate_order`, `order_state`, `refund_rejected`,
    /// `account`, `server`, `api`, `rate_limited`, `network`, `timeout`, `status_unknown`,
    /// `decode` or `signature`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::Config(_) => "config",
            Error::Api(e) => match e.category {
                RespCategory::Auth => "auth",
                RespCategory::InvalidRequest => "invalid_request",
                RespCategory::Declined => "declined",
                RespCategory::DuplicateOrder => "duplicate_order",
                RespCategory::OrderState => "order_state",
                RespCategory::RefundRejected => "refund_rejected",
                RespCategory::Account => "account",
                RespCategory::Server => "server",
                RespCategory::Success | RespCategory::Processing | RespCategory::Unknown => "api",
            },
            Error::RateLimited { .. } => "rate_limited",
            Error::Network { .. } => "network",
            Error::Timeout(_) => "timeout",
            Error::StatusUnknown { .. } => "status_unknown",
            Error::Decode(_) => "decode",
            Error::Signature(_) => "signature",
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
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// QFPay's `respcd`, when QFPay answered (also the last one seen for status unknown).
    pub fn respcd(&self) -> Option<&str> {
        match self {
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
        match self {
            Error::Api(e) => Some(e.http_status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The field that failed validation.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The rule the field broke.
    pub fn rule(&self) -> Option<&str> {
        match self {
            Error::Validation { rule, .. } => Some(rule),
            _ => None,
        }
    }

    /// The order whose outcome is unknown.
    pub fn out_trade_no(&self) -> Option<&str> {
        match self {
            Error::StatusUnknown { out_trade_no, .. } => Some(out_trade_no),
            _ => None,
        }
    }

    /// QFPay's transaction number, when known for a status-unknown error.
    pub fn syssn(&self) -> Option<&str> {
        match self {
            Error::StatusUnknown { syssn, .. } => syssn.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

/// The SDK's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

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
    fn messages_name_field_and_code() {
        let e = Error::validation("goods_name", "at most 64 characters");
        assert_eq!(e.to_string(), "invalid goods_name: at most 64 characters");
        let e = Error::api("1201", "Insufficient balance", "", 200);
        assert!(e.to_string().contains("1201"));
        assert_eq!(e.respcd(), Some("1201"));
    }
}
