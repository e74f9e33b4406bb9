//! Typed results from the core's `describe!` (`SCHEMA` and `Serialize`): each result class
//! (generated, `classes.rs`) extends `_Result`, which holds the values in the schema's order,
//! each field a read-only descriptor (`_Field`); `raw` and lists are copied on every read.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyAttributeError, PyTypeError};
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

/// One field's value: a Python object (immutable, or a result), QFPay's fields (a new dict on
/// every read), or a list of objects (a new list on every read).
enum Slot {
    Obj(Py<PyAny>),
    Raw(Value),
    List(Py<PyList>),
}

/// The base of every result class: the values, in the schema's order.
#[pyclass(frozen, subclass, module = "qfpay._qfpay", name = "_Result")]
pub struct Record {
    /// The result's index in `RESULTS`.
    kind: usize,
    slots: Vec<Slot>,
}

impl Record {
    fn get(&self, py: Python<'_>, index: usize) -> PyResult<Py<PyAny>> {
        match &self.slots[index] {
            Slot::Obj(o) => Ok(o.clone_ref(py)),
            Slot::Raw(v) => Ok(json_to_py(py, v)?.unbind()),
            Slot::List(l) => Ok(PyList::new(py, l.bind(py).iter())?.into_any().unbind()),
        }
    }
}

#[pymethods]
impl Record {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut shown = Vec::new();
        let (name, _, fields) = RESULTS[self.kind];
        for (f, slot) in fields.iter().zip(&self.slots) {
            match slot {
                Slot::Obj(o) => {
                    let o = o.bind(py);
                    let empty = o.is_none()
                        || o.cast::<PyString>()
                            .is_ok_and(|s| s.len().is_ok_and(|n| n == 0));
                    if !empty {
                        shown.push(format!("{}={}", f.name, o.repr()?));
                    }
                }
                Slot::List(l) => shown.push(format!("{}=<{} items>", f.name, l.bind(py).len())),
                Slot::Raw(_) => {}
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

/// A serialised value as the Python value of surface type `ty` (`str?`, `Transaction`,
/// `list<Transaction>`...; a type that is no result is plain JSON).
pub fn from_json(py: Python<'_>, ty: &str, v: Value) -> PyResult<Py<PyAny>> {
    let ty = ty.trim_end_matches('?');
    if v.is_null() {
        return Ok(py.None());
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        let items = match v {
            Value::Array(a) => a,
            _ => Vec::new(),
        };
        let items: Vec<_> = items
            .into_iter()
            .map(|i| from_json(py, item, i))
            .collect::<PyResult<_>>()?;
        return Ok(PyList::new(py, items)?.into_any().unbind());
    }
    let Some(kind) = RESULTS.iter().position(|(n, _, _)| *n == ty) else {
        return Ok(json_to_py(py, &v)?.unbind());
    };
    let (name, _, fields) = RESULTS[kind];
    let mut map = match v {
        Value::Object(m) => m,
        _ => return Err(PyTypeError::new_err(format!("{name}: not an object"))),
    };
    let mut slots = Vec::with_capacity(fields.len());
    for f in fields {
        let v = map.remove(f.name).unwrap_or(Value::Null);
        slots.push(match f.ty {
            "raw" => Slot::Raw(v),
            t => {
                let o = from_json(py, t, v)?;
                match o.bind(py).cast::<PyList>() {
                    Ok(l) => Slot::List(l.clone().unbind()),
                    Err(_) => Slot::Obj(o),
                }
            }
        });
    }
    crate::new_result(py, name, Record { kind, slots })
}

/// A core value as the Python value of surface type `ty`.
pub fn result<T: serde::Serialize>(py: Python<'_>, ty: &str, value: &T) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(value).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    from_json(py, ty, v)
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
