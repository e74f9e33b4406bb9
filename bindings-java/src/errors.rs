//! The one error type that crosses the FFI boundary; the Kotlin facade turns it into the
//! `QfPayException` class chosen by `code`.

use crate::results::FfiTransaction;

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

/// The JVM's name for an option the core names in snake_case: the builder method's, in
/// camelCase (`connect_timeout` -> `connectTimeout`, `utc_offset_seconds` ->
/// `utcOffsetSeconds`). Durations are `java.time.Duration`s, so they carry no unit suffix, as
/// in the core.
pub(crate) fn java_option(option: &str) -> String {
    let mut out = String::with_capacity(option.len());
    let mut upper = false;
    for c in option.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl From<&qfpay::Error> for FfiErrorInfo {
    fn from(e: &qfpay::Error) -> Self {
        let (detail, field) = match (e.code(), e.field(), e.rule()) {
            // A configuration error about one option: named as Java spells it, in `field` and
            // in the message, which is rebuilt from the parts (the order too, when there is one).
            ("config", Some(option), Some(rule)) => {
                let name = java_option(option);
                let mut renamed = qfpay::Error::config_option(name.as_str(), rule);
                if let Some(order) = e.out_trade_no() {
                    renamed = renamed.with_order(order, e.syssn());
                }
                (renamed.to_string(), Some(name))
            }
            _ => (e.to_string(), e.field().map(str::to_owned)),
        };
        FfiErrorInfo {
            code: e.code().to_owned(),
            detail,
            field,
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
            existing: e.existing().cloned().map(Into::into),
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

impl QfPayFfiError {
    /// A configuration error the binding finds about `option` (the core's snake_case name, or
    /// the binding's own option's): converted like the core's, so it is named as Java spells it.
    pub(crate) fn config_option(option: &str, message: &str) -> Self {
        qfpay::Error::config_option(option, message).into()
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
    use super::{FfiErrorInfo, java_option};

    /// Every client option the core names, as the JVM builder spells it.
    const OPTIONS: [(&str, &str); 13] = [
        ("app_code", "appCode"),
        ("client_key", "clientKey"),
        ("environment", "environment"),
        ("base_url", "baseUrl"),
        ("mchid", "mchid"),
        ("sign_type", "signType"),
        ("timeout", "timeout"),
        ("connect_timeout", "connectTimeout"),
        ("reconcile_timeout", "reconcileTimeout"),
        ("retry_base_delay", "retryBaseDelay"),
        ("retry_max_delay", "retryMaxDelay"),
        ("utc_offset_seconds", "utcOffsetSeconds"),
        ("proxy", "proxy"),
    ];

    #[test]
    fn config_errors_name_the_option_as_java_does() {
        for (core, java) in OPTIONS {
            assert_eq!(java_option(core), java);
            let info = FfiErrorInfo::from(&qfpay::Error::config_option(core, "is wrong"));
            assert_eq!(info.code, "config");
            assert_eq!(info.field.as_deref(), Some(java), "{core}");
            assert_eq!(info.rule.as_deref(), Some("is wrong"), "{core}");
            assert_eq!(info.detail, format!("configuration error: {java} is wrong"));
            // From a money-moving call: the order still named, the option still Java's.
            let e = qfpay::Error::config_option(core, "is wrong").with_order("qf1", None);
            let info = FfiErrorInfo::from(&e);
            assert_eq!(info.field.as_deref(), Some(java), "{core}");
            assert_eq!(info.out_trade_no.as_deref(), Some("qf1"));
            let core_detail = e.to_string().replace(core, java);
            assert_eq!(info.detail, core_detail);
            assert!(info.detail.contains("qf1"), "{}", info.detail);
        }
    }

    #[test]
    fn other_errors_keep_their_names() {
        let info = FfiErrorInfo::from(&qfpay::Error::config("the I/O runtime was shut down"));
        assert_eq!(info.field, None);
        assert_eq!(info.rule, None);
        assert_eq!(
            info.detail,
            "configuration error: the I/O runtime was shut down"
        );
        // A validation error's field is QFPay's name for it (or already the JVM's).
        let v = qfpay::convert::millis_f64("goods_name", -1.0).unwrap_err();
        assert_eq!(FfiErrorInfo::from(&v).field.as_deref(), Some("goods_name"));
    }
}
