//! Typed results from the core's `describe!` (`SCHEMA` and `Serialize`): each result class
//! (generated, `classes.rs`) extends `_Result`, which holds the values in the schema's order
//! (made by `built.rs`), each field a read-only descriptor (`_Field`); `raw` and lists are
//! copied on every read.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyAttributeError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use qfpay::surface::schema::RESULTS;
use serde_json::Value;

/// A JSON value as a Python object (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py),
            (_, Some(u)) => u.into_bound_py_any(py),
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py),
        },
        Value::String(s) => s.into_bound_py_any(py),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            Ok(dict.into_any())
        }
    }
}

/// One field's value: JSON (a scalar, made Python on each read; QFPay's fields, a new dict on
/// every read), a Python object (a result), or a list of objects (a new list on every read).
pub enum Slot {
    Json(Value),
    Obj(Py<PyAny>),
    List(Py<PyList>),
}

/// A result's values: built ahead (a result inside another, an error's `existing`), or the
/// core value itself, moved in and serialised one field per read (nothing copied until read).
pub enum Values {
    Slots(Vec<Slot>),
    Source(crate::built::Source),
}

/// The base of every result class: the values, in the schema's order.
#[pyclass(frozen, subclass, module = "qfpay._qfpay", name = "_Result")]
pub struct Record {
    /// The result's index in `RESULTS`.
    kind: usize,
    values: Values,
}

impl Record {
    /// A result of kind `kind` (its index in `RESULTS`) with these values.
    pub fn new(kind: usize, values: Values) -> Self {
        Record { kind, values }
    }

    fn get(&self, py: Python<'_>, index: usize) -> PyResult<Py<PyAny>> {
        match &self.values {
            Values::Slots(slots) => match &slots[index] {
                Slot::Obj(o) => Ok(o.clone_ref(py)),
                Slot::Json(v) => Ok(json_to_py(py, v)?.unbind()),
                Slot::List(l) => Ok(PyList::new(py, l.bind(py).iter())?.into_any().unbind()),
            },
            Values::Source(source) => {
                let field = source(index).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
                field.into_py(py)
            }
        }
    }
}

#[pymethods]
impl Record {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut shown = Vec::new();
        let (name, _, fields) = RESULTS[self.kind];
        for (index, f) in fields.iter().enumerate() {
            let v = self.get(py, index)?;
            let v = v.bind(py);
            if let Ok(l) = v.cast::<PyList>() {
                shown.push(format!("{}=<{} items>", f.name, l.len()));
                continue;
            }
            let empty = v.is_none()
                || v.cast::<PyDict>().is_ok()
                || v.cast::<PyString>()
                    .is_ok_and(|s| s.len().is_ok_and(|n| n == 0));
            if !empty {
                shown.push(format!("{}={}", f.name, v.repr()?));
            }
        }
        Ok(format!("{name}({})", shown.join(", ")))
    }
}

// A read-only field of a result class (no Rust doc: its `__doc__` is the field's own).
#[pyclass(frozen, module = "qfpay._qfpay", name = "_Field")]
struct Field {
    index: usize,
    name: &'static str,
    doc: &'static str,
}

#[pymethods]
impl Field {
    fn __get__(
        slf: &Bound<'_, Self>,
        obj: Option<&Bound<'_, PyAny>>,
        _owner: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        match obj.filter(|o| !o.is_none()) {
            None => Ok(slf.clone().into_any().unbind()),
            Some(o) => o.cast::<Record>()?.get().get(slf.py(), slf.get().index),
        }
    }

    fn __set__(&self, _obj: &Bound<'_, PyAny>, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyAttributeError::new_err(format!(
            "{} is read-only: a result cannot be changed",
            self.name
        )))
    }

    fn __delete__(&self, obj: &Bound<'_, PyAny>) -> PyResult<()> {
        self.__set__(obj, obj)
    }

    /// The field's one line of documentation (for `help()`).
    #[getter]
    fn __doc__(&self) -> &'static str {
        self.doc
    }
}

/// Adds the result classes, with their docs and fields from the core's descriptions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Record>()?;
    m.add_class::<Field>()?;
    for (name, doc, fields) in RESULTS {
        let cls = m.getattr(*name)?;
        cls.setattr("__doc__", *doc)?;
        for (index, f) in fields.iter().enumerate() {
            cls.setattr(
                f.name,
                Field {
                    index,
                    name: f.name,
                    doc: f.doc,
                },
            )?;
        }
    }
    Ok(())
}
