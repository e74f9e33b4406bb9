//! The few places that follow the core's binding contract (error accessors, duration
//! conversion, wait defaults), kept together.

use std::time::Duration;

use crate::error::FfiResult;
use crate::records::FfiTransaction;

/// Whether a network failure may have reached QFPay.
pub(crate) fn sent(e: &qfpay::Error) -> Option<bool> {
    e.sent()
}

/// The transaction already under a duplicate order number.
pub(crate) fn existing(e: &qfpay::Error) -> Option<FfiTransaction> {
    e.existing().cloned().map(Into::into)
}

/// JVM milliseconds as a `Duration` through the core's conversion (negative and too large
/// values are refused naming the setting).
pub(crate) fn millis(setting: &str, ms: i64) -> FfiResult<Duration> {
    // An i64 of milliseconds is exact in an f64 up to 2^53 ms (285,000 years), far beyond the
    // core's maximum, so the conversion never accepts a value it should refuse.
    #[allow(clippy::cast_precision_loss)]
    let v = ms as f64;
    Ok(qfpay::convert::millis_f64(setting, v)?)
}

/// The core's default wait: 120 s, polling after 1 s, then up to 5 s apart.
pub(crate) fn default_wait() -> qfpay::Wait {
    qfpay::Wait::default()
}
