//! Core results for JavaScript, from the core's own description of each result (`describe!`
//! in core: its fields, computed values included, and its `Serialize`). Nothing here names a
//! field: [`Js`] applies Node's conventions to whatever the core serializes, in one place:
//! - a result's field names in lowerCamelCase (`out_trade_no` → `outTradeNo`);
//! - an absent optional field left out (not `null`), as `field?: T` in `lib/surface.d.ts`;
//! - maps (`raw`) untouched: QFPay's own keys, as sent.
//!
//! Results cross as JSON text that the wrapper parses once (`JSON.parse` builds the object
//! several times faster than napi setting properties one by one: bindings-node/BENCHMARKS.md).

use std::sync::LazyLock;

use qfpay::surface::Lang;
use qfpay::surface::schema::RESULTS;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeSeq, Serializer};

/// A core result (or `Option`/`Vec` of one) as JavaScript sees it.
pub struct Js<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Js<'_, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Camel(serializer))
    }
}

/// A result as the JSON text the wrapper parses.
pub fn json<T: Serialize + ?Sized>(v: &T) -> qfpay::Result<String> {
    serde_json::to_string(&Js(v)).map_err(|e| qfpay::Error::Decode(format!("result to JSON: {e}")))
}

/// A result as a JSON value (a `duplicate_order` error's `existing`).
pub fn value<T: Serialize + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::to_value(Js(v)).unwrap_or(serde_json::Value::Null)
}

/// A field's name and its camelCase form.
type Field = (&'static str, String);

/// A struct's field names with their camelCase forms, by position.
type Names = &'static [Field];

/// Every result's field names in lowerCamelCase, by struct name and position, from the core's
/// description of each (`RESULTS`, in the order `describe!` serializes them): each name is
/// converted once per process, not once per result (converting per result cost about 15 % of
/// a payment's conversion).
static NAMES: LazyLock<Vec<(&'static str, Vec<Field>)>> = LazyLock::new(|| {
    RESULTS
        .iter()
        .map(|(name, _, fields)| {
            let names = fields.iter().map(|f| (f.name, Lang::Node.member(f.name)));
            (*name, names.collect())
        })
        .collect()
});

/// The names of struct `name`, if it is a result.
fn names_of(name: &str) -> Option<Names> {
    NAMES
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, n)| n.as_slice())
}

/// `Serializer` methods of [`Camel`] that hand their value to the inner serializer.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(#[inline]
        fn $method(self, $($arg: $ty),*) -> Result<$ret, S::Error> {
            self.0.$method($($arg),*)
        })*
    };
}

/// The serializer that applies the conventions: structs become objects with camelCase keys and
/// absent fields left out; sequences and options carry the conventions to their items; maps
/// and everything else go to `S` as they are.
struct Camel<S>(S);

/// A struct's fields, written as an object's entries.
struct Fields<M> {
    map: M,
    /// The struct's field names, when it is a result.
    names: Option<Names>,
    /// The position of the next field.
    at: usize,
}

/// A sequence's items, each with the conventions.
struct Items<Q>(Q);

impl<S: Serializer> Serializer for Camel<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Items<S::SerializeSeq>;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = Fields<S::SerializeMap>;
    type SerializeStructVariant = S::SerializeStructVariant;

    #[inline]
    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        // No length: absent fields are left out.
        let map = self.0.serialize_map(None)?;
        Ok(Fields {
            map,
            names: names_of(name),
            at: 0,
        })
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Items)
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Js(v))
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Js(v))
    }

    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Js(v))
    }

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
    }
}

impl<M: SerializeMap> ser::SerializeStruct for Fields<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), M::Error> {
        let at = self.at;
        self.at += 1;
        if is_none(v) {
            return Ok(());
        }
        match self.names.and_then(|n| n.get(at)) {
            Some((k, camel)) if std::ptr::eq(*k, key) || *k == key => {
                self.map.serialize_key(camel)?;
            }
            _ => self.map.serialize_key(&Lang::Node.member(key))?,
        }
        self.map.serialize_value(&Js(v))
    }

    #[inline]
    fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

impl<Q: SerializeSeq> SerializeSeq for Items<Q> {
    type Ok = Q::Ok;
    type Error = Q::Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Q::Error> {
        self.0.serialize_element(&Js(v))
    }

    #[inline]
    fn end(self) -> Result<Q::Ok, Q::Error> {
        self.0.end()
    }
}

/// Whether `v` serializes as `None` (an absent optional field). Monomorphized per field type,
/// so it costs nothing for the fields that are never optional.
#[inline]
fn is_none<T: Serialize + ?Sized>(v: &T) -> bool {
    matches!(v.serialize(NoneProbe), Ok(true))
}

/// Answers "is it `None`?" from the first call a value makes, without serializing it.
struct NoneProbe;

/// Any value that is not `None` (a map or sequence stops the probe at its start).
#[derive(Debug)]
struct NotNone;

impl std::fmt::Display for NotNone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not None")
    }
}

impl std::error::Error for NotNone {}

impl ser::Error for NotNone {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotNone
    }
}

/// `Serializer` methods of [`NoneProbe`] for values that are not `None`.
macro_rules! not_none {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(#[inline]
        fn $method(self, $(_: $arg),*) -> Result<$ret, NotNone> {
            Err(NotNone)
        })*
    };
}

impl Serializer for NoneProbe {
    type Ok = bool;
    type Error = NotNone;
    type SerializeSeq = Impossible<bool, NotNone>;
    type SerializeTuple = Impossible<bool, NotNone>;
    type SerializeTupleStruct = Impossible<bool, NotNone>;
    type SerializeTupleVariant = Impossible<bool, NotNone>;
    type SerializeMap = Impossible<bool, NotNone>;
    type SerializeStruct = Impossible<bool, NotNone>;
    type SerializeStructVariant = Impossible<bool, NotNone>;

    #[inline]
    fn serialize_none(self) -> Result<bool, NotNone> {
        Ok(true)
    }
    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<bool, NotNone> {
        Ok(false)
    }
    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotNone> {
        Err(NotNone)
    }
    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotNone> {
        Err(NotNone)
    }
    not_none! {
        serialize_bool(bool) -> bool;
        serialize_i8(i8) -> bool;
        serialize_i16(i16) -> bool;
        serialize_i32(i32) -> bool;
        serialize_i64(i64) -> bool;
        serialize_u8(u8) -> bool;
        serialize_u16(u16) -> bool;
        serialize_u32(u32) -> bool;
        serialize_u64(u64) -> bool;
        serialize_f32(f32) -> bool;
        serialize_f64(f64) -> bool;
        serialize_char(char) -> bool;
        serialize_str(&str) -> bool;
        serialize_bytes(&[u8]) -> bool;
        serialize_unit() -> bool;
        serialize_unit_struct(&'static str) -> bool;
        serialize_unit_variant(&'static str, u32, &'static str) -> bool;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}
