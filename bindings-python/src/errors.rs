//! Core errors to Python exceptions. The classes are defined in Python (`qfpay._errors`);
//! this module picks one by [`qfpay::Error::code`] and sets its attributes.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static BY_CODE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
static ARGUMENT_TYPE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `qfpay.ArgumentTypeError` (a `ValidationError` and a `TypeError`) naming `field`.
pub fn argument_type_error(py: Python<'_>, field: &str, rule: &str) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = ARGUMENT_TYPE_ERROR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("qfpay._errors")?
                .getattr("ArgumentTypeError")?
                .unbind())
        })?;
        let exc = cls.bind(py).call1((format!("{field} {rule}"),))?;
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
    let exc = cls.call1((err.to_string(),))?;
    exc.setattr("code", code)?;
    if let Some(v) = err.field() {
        exc.setattr("field", v)?;
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
        exc.setattr("existing", crate::models::Transaction::from(t.clone()))?;
    }
    Ok(PyErr::from_value(exc))
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
