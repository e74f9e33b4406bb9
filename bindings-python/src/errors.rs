//! Core errors to Python exceptions. The classes are defined in Python (`qfpay._errors`);
//! this module picks one by [`qfpay::Error::code`] (`ArgumentTypeError` for a wrong type) and
//! sets its attributes. Python spells options as the core does, so a configuration error's
//! message and `.field` are the core's.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// `qfpay._errors.BY_CODE` and `ArgumentTypeError`.
static CLASSES: PyOnceLock<(Py<PyDict>, Py<PyAny>)> = PyOnceLock::new();

fn class<'py>(py: Python<'py>, err: &qfpay::Error) -> PyResult<Option<Bound<'py, PyAny>>> {
    let (by_code, wrong_type) = CLASSES.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("qfpay._errors")?;
        let by_code = module.getattr("BY_CODE")?.cast_into::<PyDict>()?.unbind();
        Ok((by_code, module.getattr("ArgumentTypeError")?.unbind()))
    })?;
    if err.is_wrong_type() {
        return Ok(Some(wrong_type.bind(py).clone()));
    }
    by_code.bind(py).get_item(err.code())
}

/// The Python exception for a core error, with `.code` and every attribute that applies.
pub fn to_py_err(py: Python<'_>, err: &qfpay::Error) -> PyErr {
    build(py, err).unwrap_or_else(|e| e)
}

fn build(py: Python<'_>, err: &qfpay::Error) -> PyResult<PyErr> {
    let code = err.code();
    let Some(cls) = class(py, err)? else {
        return Ok(PyRuntimeError::new_err(format!("[{code}] {err}")));
    };
    let exc = cls.call1((err.to_string(),))?;
    exc.setattr("code", code)?;
    let set = |name: &str, v: Option<&str>| v.map_or(Ok(()), |v| exc.setattr(name, v));
    set("field", err.field())?;
    set("rule", err.rule())?;
    set("respcd", err.respcd())?;
    set("resperr", err.resperr())?;
    set("respmsg", err.respmsg())?;
    set("out_trade_no", err.out_trade_no())?;
    set("syssn", err.syssn())?;
    if let Some(v) = err.http_status() {
        exc.setattr("http_status", v)?;
    }
    if let Some(v) = err.retry_after() {
        exc.setattr("retry_after", v.as_secs_f64())?;
    }
    if let Some(v) = err.sent() {
        exc.setattr("sent", v)?;
    }
    if let Some(t) = err.existing() {
        exc.setattr("existing", crate::results::result(py, "Transaction", t)?)?;
    }
    Ok(PyErr::from_value(exc))
}

/// `qfpay._qfpay._config_error(option, message)`: the `ConfigError` the Python layer raises
/// about an option of its own (`AsyncClient`'s `max_concurrency`), made as the core's are.
#[pyfunction]
pub fn _config_error(py: Python<'_>, option: &str, message: &str) -> Py<PyAny> {
    to_py_err(py, &qfpay::Error::config_option(option, message))
        .into_value(py)
        .into_any()
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
