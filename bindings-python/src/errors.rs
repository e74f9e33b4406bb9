//! Core errors to Python exceptions. The classes are defined in Python (`qfpay._errors`);
//! this module picks one by [`qfpay::Error::code`] (`ArgumentTypeError` for a wrong type) and
//! sets its attributes from the error's `Serialize` form.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use serde_json::Value;

/// `qfpay._errors.BY_CODE` and `ArgumentTypeError`.
static CLASSES: PyOnceLock<(Py<PyDict>, Py<PyAny>)> = PyOnceLock::new();

/// The Python exception for a core error, with `.code` and every attribute that applies.
pub fn to_py_err(py: Python<'_>, err: &qfpay::Error) -> PyErr {
    build(py, err).unwrap_or_else(|e| e)
}

fn build(py: Python<'_>, err: &qfpay::Error) -> PyResult<PyErr> {
    let (by_code, wrong_type) = CLASSES.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("qfpay._errors")?;
        let by_code = module.getattr("BY_CODE")?.cast_into::<PyDict>()?.unbind();
        Ok((by_code, module.getattr("ArgumentTypeError")?.unbind()))
    })?;
    let cls = if err.is_wrong_type() {
        wrong_type.bind(py).clone()
    } else if let Some(cls) = by_code.bind(py).get_item(err.code())? {
        cls
    } else {
        return Ok(PyRuntimeError::new_err(format!("[{}] {err}", err.code())));
    };
    let exc = cls.call1((err.to_string(),))?;
    // Every field of the core's error that applies, from its one serialised form.
    let fields = serde_json::to_value(err).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    for (name, v) in fields.as_object().into_iter().flatten() {
        let v = match (name.as_str(), v) {
            ("message", _) | (_, Value::Null) => continue,
            ("retry_after", v) => (v.as_f64().unwrap_or(0.0) / 1000.0).into_py_any(py)?,
            ("existing", v) => crate::results::from_json(py, "Transaction", v.clone())?,
            (_, v) => crate::results::json_to_py(py, v)?.unbind(),
        };
        exc.setattr(name.as_str(), v)?;
    }
    Ok(PyErr::from_value(exc))
}

/// `AsyncClient`'s own `max_concurrency` (it bounds nothing), checked as the core checks its
/// options: a wrong type is an `ArgumentTypeError`, below 1 a `ConfigError`.
#[pyfunction]
pub fn _check_concurrency(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<()> {
    use qfpay::surface::{Fields, Kind};
    match crate::convert::field("max_concurrency", Kind::Count, v, Fields::int)? {
        Some(n) if n < 1 => {
            let rule = format!("must be a positive integer (got {n})");
            let e = qfpay::Error::config_option("max_concurrency", rule);
            Err(to_py_err(py, &e))
        }
        _ => Ok(()),
    }
}

/// Extension trait: `result.py(py)?` turns a core result into a Python one.
pub trait IntoPyResult<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for qfpay::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}
