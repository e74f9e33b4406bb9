//! The one error type that crosses the FFI boundary; the Kotlin facade turns it into the
//! `QfPayException` class chosen by `code`.

use qfpay::surface::Lang;

/// Any failure of the core, flattened for the JVM. `code` is the core's `Error::code()`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiErrorInfo {
    /// The stable error code (`validation`, `declined`, `status_unknown`, ...).
    pub code: String,
    /// The human-readable description (the core's message).
    pub detail: String,
    /// The field that failed validation, or the option a configuration error is about, by its
    /// Java name (the builder method's: `appCode`, `connectTimeout`).
    pub field: Option<String>,
    /// The rule the field or option broke (what follows its name in `detail`).
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
    /// Duplicate order: the transaction already under that `out_trade_no`, when it was read
    /// (a generic value, see `value.rs`).
    pub existing: Option<Vec<u8>>,
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

impl From<qfpay::Error> for FfiErrorInfo {
    /// The error with a configuration error's option named as Java spells it.
    fn from(e: qfpay::Error) -> Self {
        let e = e.in_lang(Lang::Jvm);
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
            sent: e.sent(),
            existing: e.existing().map(|t| crate::value::encode("Transaction", t)),
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
    /// (a negative count, for example). `field` is the JVM's name.
    pub(crate) fn invalid(field: &str, rule: &str) -> Self {
        let mut info = FfiErrorInfo::simple("validation", format!("invalid {field}: {rule}"));
        info.field = Some(field.to_owned());
        info.rule = Some(rule.to_owned());
        QfPayFfiError::Failure { info }
    }
}

impl From<qfpay::Error> for QfPayFfiError {
    fn from(e: qfpay::Error) -> Self {
        QfPayFfiError::Failure { info: e.into() }
    }
}

/// The binding's result type.
pub type FfiResult<T> = Result<T, QfPayFfiError>;

/// A non-negative JVM `long`/`int` as the core's `u32`, or a validation error naming `field`.
pub(crate) fn to_u32(field: &str, v: i64) -> FfiResult<u32> {
    u32::try_from(v).map_err(|_| QfPayFfiError::invalid(field, "must be between 0 and 4294967295"))
}

/// Milliseconds from the JVM as a `Duration` through the core's conversion (negative and too
/// large values are refused naming the setting).
pub(crate) fn to_duration(setting: &str, ms: i64) -> FfiResult<std::time::Duration> {
    // An i64 of milliseconds is exact in an f64 up to 2^53 ms (285,000 years), far beyond the
    // core's maximum, so the conversion never accepts a value it should refuse.
    #[allow(clippy::cast_precision_loss)]
    let v = ms as f64;
    Ok(qfpay::convert::millis_f64(setting, v)?)
}

#[cfg(test)]
mod tests {
    use super::FfiErrorInfo;

    #[test]
    fn config_errors_name_the_option_as_java_does() {
        for (core, java) in [
            ("connect_timeout", "connectTimeout"),
            ("app_code", "appCode"),
        ] {
            let e = qfpay::Error::config_option(core, "is wrong").with_order("qf1", None);
            let info = FfiErrorInfo::from(e);
            assert_eq!(info.field.as_deref(), Some(java), "{core}");
            assert_eq!(info.out_trade_no.as_deref(), Some("qf1"));
            assert!(info.detail.contains(java) && !info.detail.contains(core));
        }
    }
}
