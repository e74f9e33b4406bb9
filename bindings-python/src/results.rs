//! Typed results, built from the core's one description of each (`describe!`: its `SCHEMA` and
//! its `Serialize`), with no field list here. Each result type (`qfpay.Payment`,
//! `qfpay.Transaction`, ...) is a frozen class extending `_Result`, which holds the values in
//! the schema's order; each field is a read-only descriptor (`_Field`) on the class. A `raw`
//! field gives a new dict on every read, a list a new list; a result's repr names its order
//! (results never hold a secret).

use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::{IntoPyObjectExt, PyClassInitializer};
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
    List(Vec<Py<PyAny>>),
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
            Slot::List(items) => Ok(PyList::new(py, items.iter().map(|i| i.clone_ref(py)))?
                .into_any()
                .unbind()),
        }
    }

    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let i = RESULTS[self.kind]
            .2
            .iter()
            .position(|f| f.ty.starts_with("list<"));
        let items = i.map(|i| self.get(py, i)).transpose()?;
        match items {
            Some(l) => Ok(l.into_bound(py).cast_into::<PyList>()?),
            None => Ok(PyList::empty(py)),
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
                Slot::List(items) => shown.push(format!("{}=<{} items>", f.name, items.len())),
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

/// The index in `RESULTS` of the result type `name`.
fn kind(name: &str) -> Option<usize> {
    RESULTS.iter().position(|(n, _, _)| *n == name)
}

/// A value of surface type `ty` (`str?`, `int`, `Transaction`, `list<Transaction>`...).
fn object(py: Python<'_>, ty: &str, v: Value) -> PyResult<Py<PyAny>> {
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
            .map(|i| object(py, item, i))
            .collect::<PyResult<_>>()?;
        return Ok(PyList::new(py, items)?.into_any().unbind());
    }
    let Some(kind) = kind(ty) else {
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
        slots.push(match (f.ty, v) {
            ("raw", v) => Slot::Raw(v),
            (t, Value::Array(items)) if t.starts_with("list<") => {
                let item = &t[5..t.len() - 1];
                Slot::List(
                    items
                        .into_iter()
                        .map(|i| object(py, item, i))
                        .collect::<PyResult<_>>()?,
                )
            }
            (t, v) => Slot::Obj(object(py, t, v)?),
        });
    }
    let record = Record { kind, slots };
    new_result(py, name, record)
}

/// A core value as the Python result of surface type `ty` (a result's name, optionally `?`).
pub fn result<T: serde::Serialize>(py: Python<'_>, ty: &str, value: &T) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(value).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    object(py, ty, v)
}

/// An already serialised value as the Python result of surface type `ty`.
pub fn from_json(py: Python<'_>, ty: &str, v: Value) -> PyResult<Py<PyAny>> {
    object(py, ty, v)
}

macro_rules! result_classes {
    ($($t:ident),+) => {
        $(
            #[doc = concat!("`qfpay.", stringify!($t), "`.")]
            #[pyclass(frozen, extends = Record, module = "qfpay")]
            pub struct $t;
        )+

        fn new_result(py: Python<'_>, name: &str, record: Record) -> PyResult<Py<PyAny>> {
            let init = PyClassInitializer::from(record);
            match name {
                $(stringify!($t) => Ok(Py::new(py, init.add_subclass($t))?.into_any()),)+
                other => Err(PyTypeError::new_err(format!("no result class {other}"))),
            }
        }

        /// Adds the result classes, with their docs and fields from the core's descriptions.
        pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            m.add_class::<Record>()?;
            m.add_class::<Field>()?;
            $(m.add_class::<$t>()?;)+
            for (name, doc, fields) in RESULTS {
                let cls = m.getattr(*name)?;
                cls.setattr("__doc__", *doc)?;
                for (index, f) in fields.iter().enumerate() {
                    cls.setattr(f.name, Field { index, name: f.name, doc: f.doc })?;
                }
            }
            Ok(())
        }
    };
}

result_classes!(
    Payment,
    Transaction,
    QueryPage,
    Refund,
    Cancellation,
    Notification
);

#[pymethods]
impl QueryPage {
    /// The number of transactions on this page.
    fn __len__(slf: &Bound<'_, Self>) -> PyResult<usize> {
        let record: &Bound<'_, Record> = slf.as_super();
        Ok(record.get().list(slf.py())?.len())
    }

    /// The transactions on this page.
    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let record: &Bound<'_, Record> = slf.as_super();
        let list = record.get().list(slf.py())?;
        Ok(list.try_iter()?.into_any())
    }
}
