//! Numbers from other languages, checked once here so every binding refuses the same values.
//!
//! Python floats, JavaScript numbers and JVM doubles can be NaN, infinite, negative, fractional
//! or too large for the Rust type they become. These helpers turn such a value into a
//! [`Duration`] or an `i64`, or into [`crate::Error::Validation`] naming the option (`name`).

use std::time::Duration;

use crate::error::{Error, Result};

/// The largest duration accepted from another language: 100 years. Longer values would only
/// overflow the clock arithmetic; no QFPay call waits that long.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The largest integer a JavaScript number (an IEEE double) holds exactly: 2^53 − 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

fn finite_non_negative(name: &str, v: f64, unit: &str) -> Result<f64> {
    if v.is_nan() {
        return Err(Error::validation(
            name,
            format!("must be a number of {unit} (got NaN)"),
        ));
    }
    if v.is_infinite() {
        return Err(Error::validation(
            name,
            format!(
                "must be a finite number of {unit} (got {})",
                if v > 0.0 { "Infinity" } else { "-Infinity" }
            ),
        ));
    }
    if v < 0.0 {
        return Err(Error::validation(
            name,
            format!("must not be negative (got {v})"),
        ));
    }
    Ok(v)
}

fn duration(name: &str, secs: f64, shown: f64, unit: &str) -> Result<Duration> {
    if secs > MAX_DURATION.as_secs_f64() {
        return Err(Error::validation(
            name,
            format!("must be at most 100 years (got {shown} {unit})"),
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| {
        Error::validation(
            name,
            format!("is not a valid duration (got {shown} {unit})"),
        )
    })
}

/// Seconds as a float (Python's convention) → a [`Duration`]. NaN, ±Infinity, negative values
/// and values above [`MAX_DURATION`] are refused, naming `name`.
pub fn seconds_f64(name: &str, v: f64) -> Result<Duration> {
    let v = finite_non_negative(name, v, "seconds")?;
    duration(name, v, v, "seconds")
}

/// Milliseconds as a float (JavaScript's and the JVM bindings' convention) → a [`Duration`].
/// Same rules as [`seconds_f64`].
pub fn millis_f64(name: &str, v: f64) -> Result<Duration> {
    let v = finite_non_negative(name, v, "milliseconds")?;
    duration(name, v / 1000.0, v, "milliseconds")
}

/// A whole number given as a float (a JavaScript number: amounts, counts) → an `i64`. NaN,
/// ±Infinity, negative values, fractions and values above 2^53 − 1 (where a double stops
/// being exact) are refused, naming `name`. Range rules of the field itself (an amount must be
/// positive...) are checked later by the request's own validation.
pub fn integer_f64(name: &str, v: f64) -> Result<i64> {
    let v = finite_non_negative(name, v, "units")?;
    if v.fract() != 0.0 {
        return Err(Error::validation(
            name,
            format!("must be a whole number (got {v})"),
        ));
    }
    if v > MAX_SAFE_INTEGER as f64 {
        return Err(Error::validation(
            name,
            format!("must be at most {MAX_SAFE_INTEGER} (got {v})"),
        ));
    }
    // In range and whole: the cast is exact.
    Ok(v as i64)
}

/// A Rust [`Duration`] option checked the same way as the converted ones: at most
/// [`MAX_DURATION`], so deadlines computed from it never overflow.
pub fn check_duration(name: &str, d: Duration) -> Result<Duration> {
    if d > MAX_DURATION {
        return Err(Error::validation(
            name,
            format!("must be at most 100 years (got {} s)", d.as_secs()),
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn durations() {
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            1e300,
            -0.5,
        ] {
            assert_eq!(
                field(seconds_f64("timeout", bad)).as_deref(),
                Some("timeout"),
                "{bad}"
            );
            assert_eq!(
                field(millis_f64("timeout_ms", bad)).as_deref(),
                Some("timeout_ms"),
                "{bad}"
            );
        }
        assert_eq!(seconds_f64("t", 0.0).unwrap(), Duration::ZERO);
        assert_eq!(seconds_f64("t", 1.5).unwrap(), Duration::from_millis(1500));
        assert_eq!(millis_f64("t", 1.5).unwrap(), Duration::from_micros(1500));
        assert_eq!(millis_f64("t", 0.0).unwrap(), Duration::ZERO);
        assert!(seconds_f64("t", 1e19).is_err());
        assert!(millis_f64("t", 1e300).is_err());
        let e = seconds_f64("timeout", f64::NAN).unwrap_err();
        assert_eq!(e.code(), "validation");
        assert!(e.to_string().contains("timeout"), "{e}");
        assert!(check_duration("timeout", Duration::MAX).is_err());
        assert!(check_duration("timeout", Duration::ZERO).is_ok());
    }

    #[test]
    fn integers() {
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            1e300,
            1.5,
            9007199254740992.0,
        ] {
            assert_eq!(
                field(integer_f64("txamt", bad)).as_deref(),
                Some("txamt"),
                "{bad}"
            );
        }
        assert_eq!(integer_f64("txamt", 0.0).unwrap(), 0);
        assert_eq!(integer_f64("txamt", 300.0).unwrap(), 300);
        assert_eq!(
            integer_f64("txamt", 9007199254740991.0).unwrap(),
            MAX_SAFE_INTEGER
        );
        assert!(
            integer_f64("txamt", 1.5)
                .unwrap_err()
                .to_string()
                .contains("whole")
        );
    }
}
