//! Core results for JavaScript, from the core's own description of each result (`describe!`
//! in core: its fields, computed values included, and its `Serialize`). Nothing here names a
//! field: [`Camel`] writes whatever the core serializes as JSON with Node's conventions:
//! - a struct's field names in lowerCamelCase (`out_trade_no` → `outTradeNo`);
//! - an absent optional field (one serialized as `null`) left out, as `field?: T` in
//!   `lib/surface.d.ts`;
//! - maps (`raw`) untouched: QFPay's own keys, as sent.
//!
//! Results cross as JSON text that the wrapper parses once (`JSON.parse` builds the object
//! several times faster than napi setting properties one by one: bindings-node/BENCHMARKS.md).
//!
//! Core errors become JavaScript errors here too: napi cannot give an async rejection a custom
//! `code`, so every failure is a `GenericFailure` whose message is `"[code] message"`, then
//! the ASCII record separator (`\u001e`) and the error's own serialization as JSON, with these
//! conventions. `lib/index.js` parses it once and throws the matching `QfPayError` subclass.

use std::sync::LazyLock;

use qfpay::surface::schema::RESULTS;
use qfpay::surface::{ERROR_FIELDS, Lang};
use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct};
use serde_json::Error;

/// A result (or `Option`/`Vec` of one, an error, an event) as the JSON text the wrapper parses.
pub fn json<T: Serialize + ?Sized>(v: &T) -> qfpay::Result<String> {
    let mut out = Vec::with_capacity(1024);
    let to_json = |e: &dyn std::fmt::Display| qfpay::Error::Decode(format!("result to JSON: {e}"));
    v.serialize(Camel(&mut out)).map_err(|e| to_json(&e))?;
    String::from_utf8(out).map_err(|e| to_json(&e))
}

/// A struct's field names with their camelCase forms, by position.
type Names = Vec<(&'static str, String)>;

/// Every result's field names in lowerCamelCase, by struct name and position, from the core's
/// description of each (`RESULTS`, in the order `describe!` serializes them): each name is
/// converted once per process, not once per result (converting per result cost about 15 % of
/// a payment's conversion).
static NAMES: LazyLock<Vec<(&'static str, Names)>> = LazyLock::new(|| {
    RESULTS
        .iter()
        .map(|(name, _, fields)| {
            let names = fields.iter().map(|f| (f.name, Lang::Node.member(f.name)));
            (*name, names.collect())
        })
        .collect()
});

/// The serializer that applies the conventions to `.0`: structs, sequences and maps are
/// written here (so that their items get the conventions too), everything else by serde_json.
struct Camel<'a>(&'a mut Vec<u8>);

impl<'a> Camel<'a> {
    /// Opens an object: a struct with its camelCase `names`, or a map.
    #[inline]
    fn object(self, names: Option<&'static [(&'static str, String)]>) -> Result<Object<'a>, Error> {
        self.0.push(b'{');
        let (out, first, at) = (self.0, true, 0);
        Ok(Object {
            out,
            first,
            names,
            at,
        })
    }
}

/// An object being written: a struct (`names`: its camelCase names when it is a result) or a
/// map.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    names: Option<&'static [(&'static str, String)]>,
    at: usize,
}

/// A sequence being written.
struct Items<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

/// `Serializer` methods of [`Camel`] that serde_json writes as they are.
macro_rules! plain {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(#[inline]
        fn $method(self, $($arg: $ty),*) -> Result<(), Error> {
            ser::Serializer::$method(&mut serde_json::Serializer::new(self.0), $($arg),*)
        })*
    };
}

/// `Serializer` methods of [`Camel`] for shapes no result has.
macro_rules! unsupported {
    ($($method:ident($($ty:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $ty),*) -> Result<$ret, Error> {
            Err(ser::Error::custom(concat!(stringify!($method), " is not a result's shape")))
        })*
    };
}

impl<'a> ser::Serializer for Camel<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), Error>;

    #[inline]
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Object<'a>, Error> {
        let names = NAMES.iter().find(|(k, _)| *k == name);
        self.object(names.map(|(_, n)| n.as_slice()))
    }

    #[inline]
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Error> {
        self.object(None)
    }

    #[inline]
    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'a>, Error> {
        self.0.push(b'[');
        Ok(Items {
            out: self.0,
            first: true,
        })
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }

    plain! {
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

    unsupported! {
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, v)?;
        SerializeMap::end(map)
    }
}

impl SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let (start, at) = (self.out.len(), self.at);
        self.at += 1;
        if !self.first {
            self.out.push(b',');
        }
        // Field names are identifiers: nothing to escape.
        self.out.push(b'"');
        match self.names.and_then(|n| n.get(at)) {
            Some((k, camel)) if *k == key => self.out.extend_from_slice(camel.as_bytes()),
            _ => self
                .out
                .extend_from_slice(Lang::Node.member(key).as_bytes()),
        }
        self.out.extend_from_slice(b"\":");
        let value = self.out.len();
        v.serialize(Camel(self.out))?;
        if &self.out[value..] == b"null" {
            self.out.truncate(start);
        } else {
            self.first = false;
        }
        Ok(())
    }

    #[inline]
    fn end(self) -> Result<(), Error> {
        self.out.push(b'}');
        Ok(())
    }
}

impl SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        // QFPay's keys: strings, which serde_json escapes.
        key.serialize(&mut serde_json::Serializer::new(&mut *self.out))?;
        self.out.push(b':');
        Ok(())
    }

    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(Camel(self.out))
    }

    #[inline]
    fn end(self) -> Result<(), Error> {
        SerializeStruct::end(self)
    }
}

impl SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        v.serialize(Camel(self.out))
    }

    #[inline]
    fn end(self) -> Result<(), Error> {
        self.out.push(b']');
        Ok(())
    }
}

/// Separates the human message from the JSON details in a native error message.
pub const DETAIL_SEPARATOR: char = '\u{1e}';

/// A core error as a napi error in the `[code] message␞{json}` format: the JSON is the core's
/// own serialization of the error (code and message included) with Node's names (absent fields left out, `existing`
/// a Transaction as every result, durations named like the options: `retryAfterMs`).
pub fn to_napi(e: qfpay::Error) -> napi::Error {
    let e = e.in_lang(Lang::Node);
    let text = json(&e).unwrap_or_default();
    let mut detail = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(m) = &mut detail {
        for (name, ..) in ERROR_FIELDS {
            let (member, option) = (Lang::Node.member(name), Lang::Node.option(name));
            if member != option
                && let Some(v) = m.remove(&member)
            {
                m.insert(option, v);
            }
        }
    }
    let message = format!("[{}] {e}{DETAIL_SEPARATOR}{detail}", e.code());
    napi::Error::new(napi::Status::GenericFailure, message)
}

/// A validation error raised by the binding's own conversion of a JavaScript value (a wrong
/// type, a fractional amount, an unknown option), named by the QFPay field.
pub fn invalid(field: &str, rule: impl Into<String>) -> qfpay::Error {
    qfpay::Error::Validation {
        field: field.to_owned(),
        rule: rule.into(),
    }
}

/// Converts a core result for JavaScript.
pub fn js<T>(r: qfpay::Result<T>) -> napi::Result<T> {
    r.map_err(to_napi)
}
