//! Python arguments to Rust values, every failure naming the argument.
//!
//! A value of the wrong type raises `qfpay.ArgumentTypeError` (a `ValidationError` that is
//! also a `TypeError`) with `.field` set to the argument's QFPay name (`txamt` for `amount`,
//! the same as a broken rule on that argument gives; see `errors::qfpay_field`); a value of the right type
//! that cannot be represented (a lone surrogate in a str, NaN or a huge number of seconds)
//! raises `ValidationError` naming it. Numbers go through the core's `qfpay::convert`, so every
//! binding refuses the same values.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};

use crate::errors::{argument_type_error, field_and_rule, to_py_err};

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// `field must be <expected>, not <type>` as `qfpay.ArgumentTypeError`.
pub fn wrong_type(field: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    argument_type_error(
        value.py(),
        field,
        &format!("must be {expected}, not {}", type_name(value)),
    )
}

/// A validation error about the argument `arg`: `.field` is its QFPay name (`txamt` for
/// `amount`), the rule names the argument as written when that differs.
pub fn invalid(py: Python<'_>, arg: &str, rule: impl Into<String>) -> PyErr {
    let (field, rule) = field_and_rule(arg, &rule.into());
    to_py_err(py, &qfpay::Error::Validation { field, rule })
}

/// A `str` argument; a lone surrogate (not encodable as UTF-8) is refused, never replaced.
pub fn text(field: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = value
        .cast::<PyString>()
        .map_err(|_| wrong_type(field, "a str", value))?;
    match s.to_str() {
        Ok(t) => Ok(t.to_owned()),
        Err(_) => Err(invalid(
            value.py(),
            field,
            "is not valid Unicode text (it contains a lone surrogate)",
        )),
    }
}

/// A `str` argument borrowed without a copy (same checks as [`text`]).
pub fn text_ref<'a>(field: &str, value: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    let s = value
        .cast::<PyString>()
        .map_err(|_| wrong_type(field, "a str", value))?;
    s.to_str().map_err(|_| {
        invalid(
            value.py(),
            field,
            "is not valid Unicode text (it contains a lone surrogate)",
        )
    })
}

/// An optional `str` argument (`None` is absent).
pub fn opt_text(field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match value {
        Some(v) if !v.is_none() => text(field, v).map(Some),
        _ => Ok(None),
    }
}

/// An integer argument (`bool` refused: `True` is not a count), converted to the core's type.
pub fn int_arg<T: TryFrom<i64>>(field: &str, value: &Bound<'_, PyAny>) -> PyResult<T> {
    let py = value.py();
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(field, "an int", value));
    }
    let shown = || value.repr().map(|r| r.to_string()).unwrap_or_default();
    let wide: i64 = value
        .extract()
        .map_err(|_| invalid(py, field, format!("is out of range (got {})", shown())))?;
    T::try_from(wide).map_err(|_| invalid(py, field, format!("is out of range (got {})", shown())))
}

/// An optional integer argument.
pub fn opt_int<T: TryFrom<i64>>(
    field: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<T>> {
    match value {
        Some(v) if !v.is_none() => int_arg(field, v).map(Some),
        _ => Ok(None),
    }
}

/// A number of seconds (`int` or `float`, `bool` refused) as a duration, through
/// `qfpay::convert::seconds_f64`: NaN, infinities, negative and absurdly large values raise a
/// `ValidationError` naming `field`.
pub fn seconds(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let py = value.py();
    if value.is_instance_of::<PyBool>()
        || !(value.is_instance_of::<PyFloat>() || value.is_instance_of::<PyInt>())
    {
        return Err(wrong_type(
            field,
            "a number of seconds (int or float)",
            value,
        ));
    }
    let secs: f64 = value
        .extract()
        .map_err(|_| invalid(py, field, "is out of range"))?;
    qfpay::convert::seconds_f64(field, secs).map_err(|e| to_py_err(py, &e))
}

/// An optional number of seconds.
pub fn opt_seconds(field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Duration>> {
    match value {
        Some(v) if !v.is_none() => seconds(field, v).map(Some),
        _ => Ok(None),
    }
}

/// A strictly positive number of seconds (a timeout of zero would fail every call).
pub fn positive_seconds(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let d = seconds(field, value)?;
    if d.is_zero() {
        return Err(invalid(
            value.py(),
            field,
            "must be a positive number of seconds (got 0)",
        ));
    }
    Ok(d)
}

/// An optional strictly positive number of seconds.
pub fn opt_positive_seconds(
    field: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Duration>> {
    match value {
        Some(v) if !v.is_none() => positive_seconds(field, v).map(Some),
        _ => Ok(None),
    }
}

/// A sign type, `"md5"` or `"sha256"` (any case). An unknown value raises the core's
/// `ConfigError` about `sign_type`, which never quotes the value (it may be a key pasted in
/// the wrong place).
pub fn sign_type(value: &Bound<'_, PyAny>) -> PyResult<qfpay::SignType> {
    let s = text("sign_type", value)?;
    qfpay::SignType::parse(&s).map_err(|e| to_py_err(value.py(), &e))
}
