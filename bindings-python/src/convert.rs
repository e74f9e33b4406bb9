//! Python values to the core's [`Value`]s, which its applier reads by name, and the few plain
//! arguments of the module functions (a wrong type is `qfpay.ArgumentTypeError`).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use qfpay::surface::{Fields, Kind, Lang, Opt, Value};

use crate::errors::to_py_err;

/// Python's name for the type of `value` (`bytes`, `int`).
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    let name = value.get_type().name();
    name.map_or_else(|_| "object".into(), |n| n.to_string())
}

/// A Python value by shape (an iterator, such as a generator, as the list it yields); anything
/// else is `Other` by its type name, a str with a lone surrogate `BadText`, an int beyond 64
/// bits `Huge`.
pub fn value(v: &Bound<'_, PyAny>) -> Value {
    if v.is_none() {
        Value::Null
    } else if let Ok(b) = v.cast::<PyBool>() {
        Value::Bool(b.is_true())
    } else if v.is_instance_of::<PyInt>() {
        v.extract::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Huge(v.repr().map(|r| r.to_string()).unwrap_or_default()))
    } else if let Ok(f) = v.cast::<PyFloat>() {
        Value::Float(f.value())
    } else if let Ok(s) = v.cast::<PyString>() {
        s.to_str()
            .map(|t| Value::Text(t.to_owned()))
            .unwrap_or(Value::BadText)
    } else if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        match v.try_iter() {
            Ok(items) => Value::List(items.flatten().map(|i| value(&i)).collect()),
            Err(_) => Value::Other(type_name(v)),
        }
    } else if let Ok(d) = v.cast::<PyDict>() {
        dict(d)
    } else if v.hasattr("__next__").unwrap_or(false) {
        // An iterator (a generator, a database cursor, `map(...)`): read to its end. An
        // iteration that raises is refused, naming the error, never cut short.
        match v.try_iter() {
            Ok(items) => {
                let mut list = Vec::new();
                for item in items {
                    match item {
                        Ok(i) => list.push(value(&i)),
                        Err(e) => {
                            return Value::Other(format!(
                                "{} whose iteration raised {e}",
                                type_name(v)
                            ));
                        }
                    }
                }
                Value::List(list)
            }
            Err(_) => Value::Other(type_name(v)),
        }
    } else {
        Value::Other(type_name(v))
    }
}

/// A dict by its str keys.
fn dict(d: &Bound<'_, PyDict>) -> Value {
    let mut map = Vec::with_capacity(d.len());
    for (k, item) in d.iter() {
        match k.cast::<PyString>().ok().and_then(|k| k.to_str().ok()) {
            Some(k) => map.push((k.to_owned(), value(&item))),
            None => return Value::Other("dict with a key that is not a str".into()),
        }
    }
    Value::Map(map)
}

/// Named arguments (positional ones by their names, then the keywords) as a `Value::Map`.
pub fn args(named: &[(&str, Option<&Bound<'_, PyAny>>)], kw: Option<&Bound<'_, PyDict>>) -> Value {
    let mut map: Vec<(String, Value)> = named
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.map_or(Value::Null, value)))
        .collect();
    if let Value::Map(extra) = kw.map_or(Value::Null, |d| value(d.as_any())) {
        map.extend(extra);
    }
    Value::Map(map)
}

/// Splits `names` (the per-call or wait options) out of an argument map.
pub fn split(all: Value, names: &[qfpay::surface::Opt]) -> (Value, Value) {
    let Value::Map(all) = all else {
        return (all, Value::Null);
    };
    let (opts, rest): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|(k, _)| names.iter().any(|o| Lang::Python.option(o.name) == *k));
    (Value::Map(rest), Value::Map(opts))
}

/// `qfpay.ArgumentTypeError` about `field`: `rule` says what it must be.
pub fn wrong(py: Python<'_>, field: &str, rule: &str) -> PyErr {
    let e = qfpay::Error::ArgumentType {
        field: field.to_owned(),
        rule: rule.to_owned(),
    };
    to_py_err(py, &e)
}

/// `qfpay.ValidationError` about `field`.
pub fn invalid(py: Python<'_>, field: &str, rule: impl Into<String>) -> PyErr {
    let e = qfpay::Error::Validation {
        field: field.to_owned(),
        rule: rule.into(),
    };
    to_py_err(py, &e)
}

const BAD_TEXT: &str = "is not valid Unicode text (it contains a lone surrogate)";

/// A `str` argument borrowed; a lone surrogate is refused, never replaced.
pub fn text_ref<'a>(field: &str, v: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    let s = v.cast::<PyString>().map_err(|_| {
        wrong(
            v.py(),
            field,
            &Lang::Python.wrong_type(Kind::Text, &type_name(v)),
        )
    })?;
    s.to_str().map_err(|_| invalid(v.py(), field, BAD_TEXT))
}

/// A `str` argument.
pub fn text(field: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    text_ref(field, v).map(str::to_owned)
}

/// One argument `v` read by the core's applier (`read`: `Fields::count`, `Fields::duration`...),
/// with its rules and messages.
pub fn field<T>(
    name: &'static str,
    kind: Kind,
    v: &Bound<'_, PyAny>,
    read: impl FnOnce(&mut Fields, &Opt) -> qfpay::Result<Option<T>>,
) -> PyResult<Option<T>> {
    let opt = Opt {
        name,
        kind,
        default: None,
        field: None,
        doc: "",
    };
    Fields::new(
        Lang::Python,
        name,
        Value::Map(vec![(name.to_owned(), value(v))]),
    )
    .and_then(|mut f| read(&mut f, &opt))
    .map_err(|e| to_py_err(v.py(), &e))
}
