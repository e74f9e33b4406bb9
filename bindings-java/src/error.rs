//! The one error type that crosses the FFI boundary; the Kotlin facade turns it into the
//! `QfPayException` class chosen by `code`.

use crate::records::FfiTransaction;

/// Any failure of the core, flattened for the JVM. `code` is the core's `Error::code()`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiErrorInfo {
    /// The stable error code (`validation`, `declined`, `status_unknown`, ...).
    pub code: String,
    /// The human-readable description (the core's message).
    pub detail: String,
    /// The field that failed validation.
    pub field: Option<String>,
    /// The rule the field broke.
    pub rule: Option<String>,
    /// QFPay's `respcd`, when QFPay answered (the last one seen for status unknown).
    pub respcd: Option<String>,
    /// QFPay's `resperr`, when QFPay answered.
    pub resperr: Option<String>,
    /// QFPay's `respmsg`, when QFPay answered.
    pub respmsg: Option<String>,
    /// The HTTP status of QFPay's answer, when there was one.
    pub http_status: Option<i32>,
    /// The order the failed call was about (every money-moving call, whenever known).
    pub out_trade_no: Option<String>,
    /// QFPay's transaction number, when known.
    pub syssn: Option<String>,
    /// The server's `Retry-After` in milliseconds (rate limited).
    pub retry_after_ms: Option<i64>,
    /// Whether the request may have reached QFPay (network).
    pub sent: Option<bool>,
    /// Duplicate order: the transaction already under that `out_trade_no`, when it was read.
    pub existing: Option<FfiTransaction>,
}

/// The error every exported function returns.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum QfPayFfiError {
    /// A failure reported by the core (or, with code `sandbox`, by the in-process sandbox).
    #[error("{}", info.detail)]
    Failure {
        /// What failed.
        info: FfiErrorInfo,
    },
}

impl FfiErrorInfo {
    /// An error with only a code and a description.
    pub(crate) fn simple(code: &str, detail: impl Into<String>) -> Self {
        FfiErrorInfo {
            code: code.to_owned(),
            detail: detail.into(),
            field: None,
            rule: None,
            respcd: None,
            resperr: None,
            respmsg: None,
            http_status: None,
            out_trade_no: None,
            syssn: None,
            retry_after_ms: None,
            sent: None,
            existing: None,
        }
    }
}

impl From<&qfpay::Error> for FfiErrorInfo {
    fn from(e: &qfpay::Error) -> Self {
        FfiErrorInfo {
            code: e.code().to_owned(),
            detail: e.to_string(),
            field: e.field().map(str::to_owned),
            rule: e.rule().map(str::to_owned),
            respcd: e.respcd().map(str::to_owned),
            resperr: e.resperr().map(str::to_owned),
            respmsg: e.respmsg().map(str::to_owned),
            http_status: e.http_status().map(i32::from),
            out_trade_no: e.out_trade_no().map(str::to_owned),
            syssn: e.syssn().map(str::to_owned),
            retry_after_ms: e
                .retry_after()
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            sent: crate::compat::sent(e),
            existing: crate::compat::existing(e),
        }
    }
}

impl QfPayFfiError {
    /// An error with only a code and a description.
    pub(crate) fn simple(code: &str, detail: impl Into<String>) -> Self {
        QfPayFfiError::Failure {
            info: FfiErrorInfo::simple(code, detail),
        }
    }

    /// A validation error for a value the JVM can express but the core's type cannot
    /// (a negative count, for example).
    pub(crate) fn invalid(field: &str, rule: &str) -> Self {
        let mut info = FfiErrorInfo::simple("validation", format!("invalid {field}: {rule}"));
        info.field = Some(field.to_owned());
        info.rule = Some(rule.to_owned());
        QfPayFfiError::Failure { info }
    }
}

impl From<qfpay::Error> for QfPayFfiError {
    fn from(e: qfpay::Error) -> Self {
        QfPayFfiError::Failure {
            info: FfiErrorInfo::from(&e),
        }
    }
}

/// The binding's result type.
pub type FfiResult<T> = Result<T, QfPayFfiError>;

/// A non-negative JVM `long`/`int` as the core's `u32`, or a validation error naming `field`.
pub(crate) fn to_u32(field: &str, v: i64) -> FfiResult<u32> {
    u32::try_from(v).map_err(|_| QfPayFfiError::invalid(field, "must be between 0 and 4294967295"))
}

/// Milliseconds from the JVM as a `Duration`, or an error naming the setting.
pub(crate) fn to_duration(setting: &str, ms: i64) -> FfiResult<std::time::Duration> {
    crate::compat::millis(setting, ms)
}
