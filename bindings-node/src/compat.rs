//! Conversions of JavaScript numbers, by the core's rules (`qfpay::convert`).

use std::time::Duration;

/// Milliseconds from a JavaScript number (NaN, infinities, negative values and more than 100
/// years refused, naming the option).
pub fn millis_f64(name: &str, ms: f64) -> qfpay::Result<Duration> {
    qfpay::convert::millis_f64(name, ms)
}
