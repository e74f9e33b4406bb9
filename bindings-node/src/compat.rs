//! Conversions of JavaScript numbers. Until the core's `qfpay::convert` is on main this holds
//! the same rules (NaN, infinities, negative values and more than 100 years refused).

use std::time::Duration;

use crate::error::invalid;

const MAX_SECS: f64 = 100.0 * 365.0 * 24.0 * 3600.0;

/// Milliseconds from a JavaScript number.
pub fn millis_f64(name: &str, ms: f64) -> qfpay::Result<Duration> {
    if ms.is_nan() {
        return Err(invalid(name, "must be a number of milliseconds (got NaN)"));
    }
    if ms.is_infinite() {
        return Err(invalid(
            name,
            "must be a finite number of milliseconds (got Infinity)",
        ));
    }
    if ms < 0.0 {
        return Err(invalid(name, format!("must not be negative (got {ms})")));
    }
    if ms / 1000.0 > MAX_SECS {
        return Err(invalid(
            name,
            format!("must be at most 100 years (got {ms} milliseconds)"),
        ));
    }
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| {
        invalid(
            name,
            format!("is not a valid duration (got {ms} milliseconds)"),
        )
    })
}
