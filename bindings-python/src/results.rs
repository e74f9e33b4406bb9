//! Typed results from the core's `describe!` (`SCHEMA`, `Serialize`, `Described`): each result
//! class (generated, `classes.rs`) extends `_Result`, each field a read-only descriptor
//! (`_Field`). A call's result keeps the core value itself and converts a field when it is read
//! (`Described::field_json`: nothing is copied that is not read); a result inside another (a
//! page's transactions) or inside an error holds its values in the schema's order. `raw` and
//! lists are copied on every read.

use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use qfpay::Described;
use qfpay::surface::schema::RESULTS;
use serde_json::Value;

/// A JSON value as a Python object (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, value)?)
}

/// One field's value: a Python object (immutable, or a result), QFPay's fields (a new dict on
/// every read), or a list of objects (a new list on every read).
enum Slot {
    Obj(Py<PyAny>),
    Raw(Value),
    List(Py<PyList>),
}

/// A result's values: its fields in the schema's order, or the core value itself, moved in
/// (field `index` as JSON: `Described::field_json`).
enum Values {
    Slots(Vec<Slot>),
    Source(Box<dyn Fn(usize) -> Option<serde_json::Result<Value>> + Send + Sync>),
}

/// The base of every result class.
#[pyclass(frozen, subclass, module = "qfpay._qfpay", name = "_Result")]
pub struct Record {
    /// The result's index in `RESULTS`.
    kind: usize,
    values: Values,
}

impl Record {
    fn get(&self, py: Python<'_>, index: usize) -> PyResult<Py<PyAny>> {
        let slots = match &self.values {
            Values::Slots(slots) => slots,
            Values::Source(source) => {
                let v = source(index)
                    .ok_or_else(|| PyAttributeError::new_err("no such field"))?
                    .map_err(|e| PyTypeError::new_err(e.to_string()))?;
                return from_json(py, RESULTS[self.kind].2[index].ty, v);
            }
        };
        match &slots[index] {
            Slot::Obj(o) => Ok(o.clone_ref(py)),
            Slot::Raw(v) => Ok(json_to_py(py, v)?.unbind()),
            Slot::List(l) => Ok(PyList::new(py, l.bind(py).iter())?.into_any().unbind()),
        }
    }
}

/// Text longer than this is shown by its length in a result's `repr`.
const LONG_TEXT: usize = 500;

/// A call's result as it leaves the I/O thread: made Python later, under the GIL.
pub type Output = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// [`keep`], deferred.
pub fn kept<T: Described + Send + Sync + 'static>(value: T) -> Output {
    Box::new(move |py| keep(py, value))
}

/// [`keep`] of a value that may be absent (`None` in Python), deferred.
pub fn kept_opt<T: Described + Send + Sync + 'static>(value: Option<T>) -> Output {
    Box::new(move |py| value.map_or_else(|| Ok(py.None()), |v| keep(py, v)))
}

/// `value` as a Python result that keeps it and converts a field when it is read.
pub fn keep<T: Described + Send + Sync + 'static>(py: Python<'_>, value: T) -> PyResult<Py<PyAny>> {
    let kind = RESULTS
        .iter()
        .position(|(n, _, _)| *n == T::NAME)
        .ok_or_else(|| PyTypeError::new_err(format!("no result class {}", T::NAME)))?;
    let values = Values::Source(Box::new(move |index| value.field_json(index)));
    crate::new_result(py, T::NAME, Record { kind, values })
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
            if let Ok(b) = v.cast::<PyBytes>() {
                shown.push(format!("{}=<{} bytes>", f.name, b.as_bytes().len()));
                continue;
            }
            // A document (a report's CSV or JSON) is summarised, not printed.
            if let Some(text) = v.cast::<PyString>().ok().and_then(|s| s.to_cow().ok())
                && (text.contains('\n') || text.chars().count() > LONG_TEXT)
            {
                let lines = text.lines().count();
                let size = match lines {
                    0 | 1 => format!("{} chars", text.chars().count()),
                    n => format!("{n} lines"),
                };
                shown.push(format!("{}=<{size}>", f.name));
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

/// A serialised value as the Python value of surface type `ty` (`str?`, `Transaction`,
/// `list<Transaction>`, `bytes` from its base64 text...; a type that is no result is plain
/// JSON).
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
    if ty == "bytes" {
        // Base64 text in the JSON form (`model::describe::Base64`): Python's bytes.
        let Value::String(text) = v else {
            return Err(PyTypeError::new_err("bytes: not base64 text"));
        };
        let decode = py.import("binascii")?.getattr("a2b_base64")?;
        return Ok(decode.call1((text,))?.unbind());
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
    crate::new_result(
        py,
        name,
        Record {
            kind,
            values: Values::Slots(slots),
        },
    )
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
