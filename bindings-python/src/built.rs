//! Python values from a core value's serialisation (its `Serialize`, the one form every binding
//! reads), without an intermediate map.
//!
//! A call's result that is a result type (`Payment`, `Transaction`...) is not copied at all: the
//! core value moves into the Python object ([`Source`]) and each field is serialised when it is
//! read ([`Pick`]). Anything else is built ahead into plain Rust values ([`Built`], without the
//! GIL, on the thread that ran the call): a struct named like a result type becomes that
//! result's values in its schema's order, any other struct its fields in order, a sequence a
//! list, everything else (scalars, QFPay's raw fields) JSON. Copying every field (QFPay's raw
//! map above all) through a `serde_json::Value` is where the sync client lost its time (see
//! BENCHMARKS.md, issue 23).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use qfpay::surface::schema::RESULTS;
use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

use crate::results::{Record, Slot, Values, json_to_py};

/// A serialised value, not yet Python.
pub enum Built {
    /// A scalar, a map or anything else serde_json holds.
    Json(Value),
    /// A sequence.
    List(Vec<Built>),
    /// A result type (its index in `RESULTS`) and its values in the schema's order.
    Result(usize, Vec<(&'static str, Built)>),
    /// Any other struct: its fields in order (a Python `dict`).
    Fields(Vec<(&'static str, Built)>),
    /// A result type (its index in `RESULTS`) read from the core value itself.
    Source(usize, Source),
}

/// A core value of a result type, moved in: field `index` serialised on demand.
pub type Source = Box<dyn Fn(usize) -> Result<Built, serde_json::Error> + Send + Sync>;

/// `value`'s serialisation as a [`Built`].
pub fn build<T: Serialize + ?Sized>(value: &T) -> Result<Built, serde_json::Error> {
    value.serialize(Builder)
}

/// `value` for Python: moved into a [`Source`] when it is (an `Option` of) a result type,
/// otherwise [`build`]; a core error for a value that cannot be serialised.
pub fn built<T: Serialize + Send + Sync + 'static>(value: T) -> qfpay::Result<Built> {
    let built = match value.serialize(Pick(None)) {
        Ok(Picked::Result(kind)) => Ok(Built::Source(
            kind,
            Box::new(move |index| match value.serialize(Pick(Some(index)))? {
                Picked::Field(field) => Ok(field),
                _ => Err(ser::Error::custom("the field is missing")),
            }),
        )),
        Ok(Picked::Null) => Ok(Built::Json(Value::Null)),
        _ => build(&value),
    };
    built.map_err(|e| qfpay::Error::Decode(e.to_string()))
}

impl Built {
    /// The Python value: a result object, a list, a dict or a JSON value.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Built::Json(v) => Ok(json_to_py(py, &v)?.unbind()),
            Built::List(items) => Ok(list(py, items)?.into_any().unbind()),
            Built::Source(kind, source) => crate::new_result(
                py,
                RESULTS[kind].0,
                Record::new(kind, Values::Source(source)),
            ),
            Built::Result(kind, values) => {
                let slots = values
                    .into_iter()
                    .map(|(_, v)| match v {
                        Built::Json(v) => Ok(Slot::Json(v)),
                        Built::List(items) => Ok(Slot::List(list(py, items)?.unbind())),
                        other => other.into_py(py).map(Slot::Obj),
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                crate::new_result(py, RESULTS[kind].0, Record::new(kind, Values::Slots(slots)))
            }
            Built::Fields(fields) => {
                let dict = PyDict::new(py);
                for (name, v) in fields {
                    dict.set_item(name, v.into_py(py)?)?;
                }
                Ok(dict.into_any().unbind())
            }
        }
    }
}

fn list(py: Python<'_>, items: Vec<Built>) -> PyResult<Bound<'_, PyList>> {
    let items: Vec<_> = items
        .into_iter()
        .map(|i| i.into_py(py))
        .collect::<PyResult<_>>()?;
    PyList::new(py, items)
}

/// The serializer behind [`build`]: serde_json's, except for sequences and structs.
struct Builder;

use serde_json::value::Serializer as JsonSerializer;
type JsonMap = <JsonSerializer as ser::Serializer>::SerializeMap;

/// Forwards each scalar method to serde_json's value serializer.
macro_rules! json_scalars {
    ($($method:ident($($arg:ident: $ty:ty),*);)+) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<Built, serde_json::Error> {
            ser::Serializer::$method(JsonSerializer, $($arg),*).map(Built::Json)
        }
    )+};
}

impl ser::Serializer for Builder {
    type Ok = Built;
    type Error = serde_json::Error;
    type SerializeSeq = Items;
    type SerializeTuple = Impossible<Built, serde_json::Error>;
    type SerializeTupleStruct = Impossible<Built, serde_json::Error>;
    type SerializeTupleVariant = Impossible<Built, serde_json::Error>;
    type SerializeMap = Map;
    type SerializeStruct = Struct;
    type SerializeStructVariant = Impossible<Built, serde_json::Error>;

    json_scalars! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Built, serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Built, serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Built, serde_json::Error> {
        JsonSerializer
            .serialize_newtype_variant(name, index, variant, value)
            .map(Built::Json)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items, serde_json::Error> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(unsupported("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(unsupported(name))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(unsupported(name))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Map, serde_json::Error> {
        JsonSerializer.serialize_map(len).map(Map)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct, serde_json::Error> {
        let kind = RESULTS.iter().position(|(n, _, _)| *n == name);
        Ok(Struct {
            kind,
            values: Vec::with_capacity(len),
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(unsupported(name))
    }
}

fn unsupported(what: &str) -> serde_json::Error {
    ser::Error::custom(format!("{what} has no Python form"))
}

/// A sequence being built.
struct Items(Vec<Built>);

impl ser::SerializeSeq for Items {
    type Ok = Built;
    type Error = serde_json::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.0.push(v.serialize(Builder)?);
        Ok(())
    }

    fn end(self) -> Result<Built, serde_json::Error> {
        Ok(Built::List(self.0))
    }
}

/// A map being built (serde_json's own).
struct Map(JsonMap);

impl ser::SerializeMap for Map {
    type Ok = Built;
    type Error = serde_json::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), serde_json::Error> {
        self.0.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.0.serialize_value(v)
    }

    fn end(self) -> Result<Built, serde_json::Error> {
        self.0.end().map(Built::Json)
    }
}

/// A struct being built: a result type's values (checked against its schema) or fields.
struct Struct {
    kind: Option<usize>,
    values: Vec<(&'static str, Built)>,
}

impl ser::SerializeStruct for Struct {
    type Ok = Built;
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        if let Some(kind) = self.kind {
            let (ty, _, fields) = RESULTS[kind];
            let expected = fields.get(self.values.len()).map(|f| f.name);
            if expected != Some(name) {
                let msg = format!("{ty}.{name} is not in its schema's place ({expected:?})");
                return Err(ser::Error::custom(msg));
            }
        }
        self.values.push((name, v.serialize(Builder)?));
        Ok(())
    }

    fn end(self) -> Result<Built, serde_json::Error> {
        match self.kind {
            Some(kind) => {
                let (ty, _, fields) = RESULTS[kind];
                if self.values.len() != fields.len() {
                    let msg = format!(
                        "{ty} has {} values, not {}",
                        self.values.len(),
                        fields.len()
                    );
                    return Err(ser::Error::custom(msg));
                }
                Ok(Built::Result(kind, self.values))
            }
            None => Ok(Built::Fields(self.values)),
        }
    }
}

/// What [`Pick`] found: a result type (`Pick(None)`), field `i` of one (`Pick(Some(i))`), null,
/// or something else.
enum Picked {
    Result(usize),
    Field(Built),
    Null,
    Other,
}

/// A serializer that reads only the kind of a result, or one of its fields (the other fields'
/// values are never serialised).
struct Pick(Option<usize>);

/// A serializer method that finds nothing.
macro_rules! other {
    ($($method:ident($($ty:ty),*);)+) => {$(
        fn $method(self, $(_: $ty),*) -> Result<Picked, serde_json::Error> {
            Ok(Picked::Other)
        }
    )+};
}

type Nothing = Impossible<Picked, serde_json::Error>;

impl ser::Serializer for Pick {
    type Ok = Picked;
    type Error = serde_json::Error;
    type SerializeSeq = Nothing;
    type SerializeTuple = Nothing;
    type SerializeTupleStruct = Nothing;
    type SerializeTupleVariant = Nothing;
    type SerializeMap = Nothing;
    type SerializeStruct = PickField;
    type SerializeStructVariant = Nothing;

    other! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_none(self) -> Result<Picked, serde_json::Error> {
        Ok(Picked::Null)
    }

    fn serialize_unit(self) -> Result<Picked, serde_json::Error> {
        Ok(Picked::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Picked, serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Picked, serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Picked, serde_json::Error> {
        Ok(Picked::Other)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Nothing, serde_json::Error> {
        Err(unsupported("a sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Nothing, serde_json::Error> {
        Err(unsupported("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Nothing, serde_json::Error> {
        Err(unsupported(name))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Nothing, serde_json::Error> {
        Err(unsupported(name))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Nothing, serde_json::Error> {
        Err(unsupported("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<PickField, serde_json::Error> {
        Ok(PickField {
            kind: RESULTS.iter().position(|(n, _, _)| *n == name),
            want: self.0,
            at: 0,
            found: None,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Nothing, serde_json::Error> {
        Err(unsupported(name))
    }
}

/// A struct's fields, passed over but for the one wanted.
struct PickField {
    kind: Option<usize>,
    want: Option<usize>,
    at: usize,
    found: Option<Built>,
}

impl ser::SerializeStruct for PickField {
    type Ok = Picked;
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _name: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        if self.kind.is_some() && self.want == Some(self.at) {
            self.found = Some(v.serialize(Builder)?);
        }
        self.at += 1;
        Ok(())
    }

    fn end(self) -> Result<Picked, serde_json::Error> {
        Ok(match (self.kind, self.found) {
            (Some(_), Some(field)) => Picked::Field(field),
            (Some(kind), None) if self.want.is_none() => Picked::Result(kind),
            _ => Picked::Other,
        })
    }
}
