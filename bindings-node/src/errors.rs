//! The one place where core errors become JavaScript errors.
//!
//! napi cannot give an async rejection a custom `code`, so every failure is a
//! `GenericFailure` whose message is `"[code] message"`, then the ASCII record separator
//! (`\u001e`) and a JSON object with the error's fields. `lib/errors.js` parses it once and
//! throws the matching `QfPayError` subclass.

use serde_json::{Map, Value, json};

use crate::results;

/// Separates the human message from the JSON details in a native error message.
pub const DETAIL_SEPARATOR: char = '\u{1e}';

/// A core error as a napi error in the `[code] message␞{json}` format.
pub fn to_napi(e: qfpay::Error) -> napi::Error {
    let e = e.in_lang(qfpay::surface::Lang::Node);
    let mut detail = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            detail.insert(k.to_owned(), v);
        }
    };
    put("field", json!(e.field()));
    put("rule", json!(e.rule()));
    put("respcd", json!(e.respcd()));
    put("resperr", json!(e.resperr()));
    put("respmsg", json!(e.respmsg()));
    put("httpStatus", json!(e.http_status()));
    put("outTradeNo", json!(e.out_trade_no()));
    put("syssn", json!(e.syssn()));
    // Milliseconds, like every Node duration.
    put(
        "retryAfterMs",
        json!(
            e.retry_after()
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        ),
    );
    put("sent", json!(e.sent()));
    if e.code() == "duplicate_order" {
        // The transaction already under that out_trade_no, or null when it could not be read.
        detail.insert(
            "existing".to_owned(),
            e.existing().map_or(Value::Null, results::value),
        );
    }
    napi::Error::new(
        napi::Status::GenericFailure,
        format!(
            "[{}] {}{DETAIL_SEPARATOR}{}",
            e.code(),
            e,
            Value::Object(detail)
        ),
    )
}

/// A validation error raised by the binding's own conversion of a JavaScript value (a wrong
/// type, a fractional amount, an unknown option), named by the QFPay field.
pub fn invalid(field: &str, rule: impl Into<String>) -> qfpay::Error {
    qfpay::Error::Validation {
        field: field.to_owned(),
        rule: rule.into(),
    }
}

/// A configuration error raised by the binding, not about one option.
pub fn config(message: impl Into<String>) -> qfpay::Error {
    qfpay::Error::config(message)
}

/// Converts a core result for JavaScript.
pub fn js<T>(r: qfpay::Result<T>) -> napi::Result<T> {
    r.map_err(to_napi)
}
