//! Core errors to Python exceptions. The classes are defined in Python (`qfpay._errors`);
//! this module picks one by [`qfpay::Error::code`] and sets its attributes.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static BY_CODE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
static ARGUMENT_TYPE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// QFPay's name for the field a Python argument is sent as: `txamt` for `amount`, `txcurrcd`
/// for `currency`; every other argument has its QFPay name already (`goods_name`,
/// `extend_info.user_creid`...), and an SDK option (`timeout`, `max_retries`...) is named as
/// Python spells it. A wrong type and a broken rule on the same argument give the same field.
pub fn qfpay_field(arg: &str) -> &str {
    match arg {
        "amount" => "txamt",
        "currency" => "txcurrcd",
        other => other,
    }
}

/// The `(field, rule)` of a problem with the argument `arg`: the field by its QFPay name, the
/// rule naming the argument as the caller wrote it when that differs (`amount must be ...`).
pub fn field_and_rule(arg: &str, rule: &str) -> (String, String) {
    let field = qfpay_field(arg);
    if field == arg {
        (field.to_owned(), rule.to_owned())
    } else {
        (field.to_owned(), format!("{arg} {rule}"))
    }
}

/// `qfpay.ArgumentTypeError` (a `ValidationError` and a `TypeError`) about the argument `arg`:
/// `.field` is its QFPay name ([`qfpay_field`]), the message `invalid <field>: <rule>` names
/// the argument as written.
pub fn argument_type_error(py: Python<'_>, arg: &str, rule: &str) -> PyErr {
    let (field, rule) = field_and_rule(arg, rule);
    let (field, rule) = (field.as_str(), rule.as_str());
    let build = || -> PyResult<PyErr> {
        let cls = ARGUMENT_TYPE_ERROR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("qfpay._errors")?
                .getattr("ArgumentTypeError")?
                .unbind())
        })?;
        let exc = cls.bind(py).call1((format!("invalid {field}: {rule}"),))?;
        exc.setattr("field", field)?;
        exc.setattr("rule", rule)?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    let dict = BY_CODE.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        let module = py.import("qfpay._errors")?;
        Ok(module.getattr("BY_CODE")?.cast_into::<PyDict>()?.unbind())
    })?;
    Ok(dict.bind(py))
}

/// The Python exception for a core error, with `.code` and every attribute that applies.
pub fn to_py_err(py: Python<'_>, err: &qfpay::Error) -> PyErr {
    build(py, err).unwrap_or_else(|e| e)
}

fn build(py: Python<'_>, err: &qfpay::Error) -> PyResult<PyErr> {
    let code = err.code();
    let Some(cls) = classes(py)?.get_item(code)? else {
        return Ok(PyRuntimeError::new_err(format!("[{code}] {err}")));
    };
    let exc = cls.call1((message(err),))?;
    exc.setattr("code", code)?;
    if let Some(v) = err.field() {
        exc.setattr("field", if code == "config" { option_name(v) } else { v })?;
    }
    if let Some(v) = err.rule() {
        exc.setattr("rule", v)?;
    }
    if let Some(v) = err.respcd() {
        exc.setattr("respcd", v)?;
    }
    if let Some(v) = err.resperr() {
        exc.setattr("resperr", v)?;
    }
    if let Some(v) = err.respmsg() {
        exc.setattr("respmsg", v)?;
    }
    if let Some(v) = err.http_status() {
        exc.setattr("http_status", v)?;
    }
    if let Some(v) = err.out_trade_no() {
        exc.setattr("out_trade_no", v)?;
    }
    if let Some(v) = err.syssn() {
        exc.setattr("syssn", v)?;
    }
    if let Some(v) = err.retry_after() {
        exc.setattr("retry_after", v.as_secs_f64())?;
    }
    if let Some(v) = err.sent() {
        exc.setattr("sent", v)?;
    }
    if let Some(t) = err.existing() {
        exc.setattr("existing", crate::results::Transaction::from(t.clone()))?;
    }
    Ok(PyErr::from_value(exc))
}

/// The Python keyword of the client option the core calls `option` (`app_code`, `timeout`,
/// `retry_base_delay`, ...; see `tests/surface.json`). Python spells options as the core does,
/// snake_case, and its durations are seconds with no unit suffix, so the name is the core's:
/// this is the one place that would say otherwise. A `ConfigError`'s `.field` and message go
/// through it.
pub fn option_name(option: &str) -> &str {
    option
}

/// The message of `err`. A configuration error about one option is
/// `configuration error: <option as Python spells it> <rule>`, built from the core's
/// [`qfpay::Error::field`] and [`qfpay::Error::rule`], never from its text; whatever the core
/// appends after it (the order of a money-moving call) is kept.
fn message(err: &qfpay::Error) -> String {
    let text = err.to_string();
    let (Some(option), Some(rule)) = (err.field(), err.rule()) else {
        return text;
    };
    if err.code() != "config" {
        return text;
    }
    let ours = format!("configuration error: {} {rule}", option_name(option));
    match text.strip_prefix(&format!("configuration error: {option} {rule}")) {
        Some(rest) => ours + rest,
        None => ours,
    }
}

/// A `ConfigError` about the option `option` (the core's name, or the binding's own for an
/// option the core does not have, such as `max_concurrency`): `message` follows the name
/// (`must be a positive integer`), as the core's own configuration errors do, and the error
/// goes through the same conversion as theirs.
pub fn config_error(py: Python<'_>, option: &str, message: &str) -> PyErr {
    to_py_err(py, &qfpay::Error::config_option(option, message))
}

/// `qfpay._qfpay._config_error(option, message)`: the `ConfigError` the Python layer raises
/// about an option of its own (`AsyncClient`'s `max_concurrency`), made by [`config_error`].
#[pyfunction]
pub fn _config_error(py: Python<'_>, option: &str, message: &str) -> Py<PyAny> {
    config_error(py, option, message).into_value(py).into_any()
}

/// `err`, a failure of a money-moving call found before the core was called (a conversion),
/// naming the order as the core's own errors on that call do: `.out_trade_no` (and `.syssn`)
/// set and ` (out_trade_no X, syssn Y)` appended to the message. Errors that are not the
/// SDK's, or that name an order already, are returned unchanged.
pub fn with_order(
    py: Python<'_>,
    err: PyErr,
    out_trade_no: Option<&str>,
    syssn: Option<&str>,
) -> PyErr {
    let Some(out_trade_no) = out_trade_no else {
        return err;
    };
    let value = err.value(py);
    let named = || -> PyResult<bool> {
        let base = py.import("qfpay._errors")?.getattr("QfPayError")?;
        if !value.is_instance(&base)? || !value.getattr("out_trade_no")?.is_none() {
            return Ok(false);
        }
        let mut order = format!("out_trade_no {out_trade_no}");
        let syssn = syssn.filter(|s| !s.is_empty());
        if let Some(sn) = syssn {
            order.push_str(&format!(", syssn {sn}"));
        }
        let message: String = value.getattr("message")?.extract()?;
        value.setattr("args", (format!("{message} ({order})"),))?;
        value.setattr("out_trade_no", out_trade_no)?;
        if let Some(sn) = syssn {
            value.setattr("syssn", sn)?;
        }
        Ok(true)
    };
    match named() {
        Ok(_) => err,
        Err(e) => e,
    }
}

/// Extension trait: `result.py(py)?` turns a core result into a Python one.
pub trait IntoPyResult<T> {
    /// Converts the error with [`to_py_err`].
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for qfpay::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}
