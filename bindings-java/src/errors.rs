//! The one error that crosses the FFI boundary: the core's `Serialize` form of the error (every
//! field of `qfpay::surface::ERROR_FIELDS`, a configuration error's option by its Java name) as
//! a generic value (`value.rs`); the Kotlin facade picks the `QfPayException` class by `code`.

use qfpay::surface::Lang;
use serde_json::{Value as J, json};

/// Any failure, as the bytes of its generic value.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum QfPayFfiError {
    /// A failure reported by the core (or, with code `sandbox`, by the in-process sandbox).
    #[error("qfpay error")]
    Failure {
        /// The error's fields by their canonical names, as `value.rs` writes them.
        info: Vec<u8>,
    },
}

impl QfPayFfiError {
    fn of(v: &J) -> Self {
        let mut info = Vec::with_capacity(256);
        crate::value::write(v, &mut info);
        QfPayFfiError::Failure { info }
    }

    /// An error with only a code and a description.
    pub(crate) fn simple(code: &str, message: impl Into<String>) -> Self {
        Self::of(&json!({"code": code, "message": message.into()}))
    }

    /// A validation error for a value the JVM can express but the core's type cannot
    /// (a negative count, for example). `field` is the JVM's name.
    pub(crate) fn invalid(field: &str, rule: &str) -> Self {
        let message = format!("invalid {field}: {rule}");
        Self::of(&json!({"code": "validation", "message": message, "field": field, "rule": rule}))
    }
}

impl From<qfpay::Error> for QfPayFfiError {
    /// The core's form of the error, a configuration error's option named as Java spells it.
    fn from(e: qfpay::Error) -> Self {
        let mut v = serde_json::to_value(e.in_lang(Lang::Jvm)).unwrap_or(J::Null);
        if let Some(t) = v.get_mut("existing") {
            crate::value::shape(t, "Transaction?");
        }
        Self::of(&v)
    }
}

/// The binding's result type.
pub type FfiResult<T> = Result<T, QfPayFfiError>;

/// A non-negative JVM `long`/`int` as the core's `u32`, or a validation error naming `field`.
pub(crate) fn to_u32(field: &str, v: i64) -> FfiResult<u32> {
    u32::try_from(v).map_err(|_| QfPayFfiError::invalid(field, "must be between 0 and 4294967295"))
}

#[cfg(test)]
mod tests {
    use super::QfPayFfiError;

    #[test]
    fn config_errors_name_the_option_as_java_does() {
        for (core, java) in [
            ("connect_timeout", "connectTimeout"),
            ("app_code", "appCode"),
        ] {
            let e = qfpay::Error::config_option(core, "is wrong").with_order("qf1", None);
            let QfPayFfiError::Failure { info } = QfPayFfiError::from(e);
            let v = crate::value::read(&mut info.as_slice()).unwrap();
            let text = format!("{v:?}");
            assert!(
                text.contains(java) && text.contains("qf1") && !text.contains(core),
                "{text}"
            );
        }
    }
}
