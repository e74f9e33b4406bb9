//! A result's `Serialize` straight into PHP values, without a JSON tree in between: a struct
//! named like a result class (`describe!` serialises each result as a struct of its type's
//! name, fields in the schema's order) becomes that class's object (`results::from_fields`),
//! any other map or struct an array, a sequence a list. The values are the ones
//! `serde_json::to_value` would give (then `results::json_to_zval`); only the tree is skipped,
//! which is most of the cost of a long walk (`transactions`).

use std::fmt;

use ext_php_rs::types::{ZendHashTable, Zval};
use serde::ser::{self, Impossible, Serialize};

use super::results;

/// Why a value could not be converted (a type no result has).
#[derive(Debug)]
pub struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, Unsupported>;

/// `value` as PHP's value.
pub fn to_zval<T: Serialize + ?Sized>(value: &T) -> Result<Zval> {
    value.serialize(ToZval)
}

fn text(s: &str) -> Zval {
    let mut z = Zval::new();
    if z.set_string(s, false).is_err() {
        z.set_null();
    }
    z
}

fn long(i: i64) -> Zval {
    let mut z = Zval::new();
    z.set_long(i);
    z
}

fn table(ht: ext_php_rs::boxed::ZBox<ZendHashTable>) -> Zval {
    let mut z = Zval::new();
    z.set_hashtable(ht);
    z
}

fn capacity(len: Option<usize>) -> u32 {
    len.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

/// The serializer (a unit: every state lives in the compound serializers).
struct ToZval;

/// A list being built.
struct Seq(ext_php_rs::boxed::ZBox<ZendHashTable>);

/// A map being built, and the key waiting for its value.
struct Map {
    ht: ext_php_rs::boxed::ZBox<ZendHashTable>,
    key: Option<Zval>,
}

/// A struct being built: its name and fields in order.
struct Struct {
    name: &'static str,
    fields: Vec<(&'static str, Zval)>,
}

impl ser::Serializer for ToZval {
    type Ok = Zval;
    type Error = Unsupported;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Impossible<Zval, Unsupported>;
    type SerializeMap = Map;
    type SerializeStruct = Struct;
    type SerializeStructVariant = Impossible<Zval, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<Zval> {
        let mut z = Zval::new();
        z.set_bool(v);
        Ok(z)
    }

    fn serialize_i8(self, v: i8) -> Result<Zval> {
        Ok(long(v.into()))
    }

    fn serialize_i16(self, v: i16) -> Result<Zval> {
        Ok(long(v.into()))
    }

    fn serialize_i32(self, v: i32) -> Result<Zval> {
        Ok(long(v.into()))
    }

    fn serialize_i64(self, v: i64) -> Result<Zval> {
        Ok(long(v))
    }

    fn serialize_u8(self, v: u8) -> Result<Zval> {
        Ok(long(v.into()))
    }

    fn serialize_u16(self, v: u16) -> Result<Zval> {
        Ok(long(v.into()))
    }

    fn serialize_u32(self, v: u32) -> Result<Zval> {
        Ok(long(v.into()))
    }

    /// Beyond PHP's int: `i64::MAX`, as `results::json_to_zval` reads it.
    fn serialize_u64(self, v: u64) -> Result<Zval> {
        Ok(long(i64::try_from(v).unwrap_or(i64::MAX)))
    }

    fn serialize_f32(self, v: f32) -> Result<Zval> {
        self.serialize_f64(v.into())
    }

    /// JSON has no NaN or infinity: null, as `serde_json::to_value` gives.
    fn serialize_f64(self, v: f64) -> Result<Zval> {
        let mut z = Zval::new();
        if v.is_finite() {
            z.set_double(v);
        } else {
            z.set_null();
        }
        Ok(z)
    }

    fn serialize_char(self, v: char) -> Result<Zval> {
        Ok(text(v.encode_utf8(&mut [0; 4])))
    }

    fn serialize_str(self, v: &str) -> Result<Zval> {
        Ok(text(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Zval> {
        let mut z = Zval::new();
        z.set_binary(v.to_vec());
        Ok(z)
    }

    fn serialize_none(self) -> Result<Zval> {
        Ok(Zval::null())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Zval> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Zval> {
        Ok(Zval::null())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Zval> {
        Ok(Zval::null())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Zval> {
        Ok(text(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Zval> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Zval> {
        let mut ht = ZendHashTable::with_capacity(1);
        ht.insert(variant, value.serialize(self)?)
            .map_err(|e| Unsupported(e.to_string()))?;
        Ok(table(ht))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq> {
        Ok(Seq(ZendHashTable::with_capacity(capacity(len))))
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported(format!("{name}: a tuple variant")))
    }

    /// A map of unknown length (a record's `raw`, read from its text as it is written) starts
    /// with room for a record's fields, so it is not grown three times on the way.
    fn serialize_map(self, len: Option<usize>) -> Result<Map> {
        Ok(Map {
            ht: ZendHashTable::with_capacity(capacity(len.or(Some(32)))),
            key: None,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct> {
        Ok(Struct {
            name,
            fields: Vec::with_capacity(len),
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported(format!("{name}: a struct variant")))
    }
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.0
            .push(value.serialize(ToZval)?)
            .map_err(|e| Unsupported(e.to_string()))
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Zval;
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }

    fn end(self) -> Result<Zval> {
        Ok(table(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Zval;
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }

    fn end(self) -> Result<Zval> {
        Ok(table(self.0))
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Zval;
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }

    fn end(self) -> Result<Zval> {
        Ok(table(self.0))
    }
}

impl ser::SerializeMap for Map {
    type Ok = Zval;
    type Error = Unsupported;

    /// A key is text, or a number written as text (as JSON keys are). Kept as the PHP string
    /// it was made into, and read from there when its value comes.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let k = key.serialize(ToZval)?;
        if k.str().is_none() && k.long().is_none() {
            return Err(Unsupported("a map key that is not text".into()));
        }
        self.key = Some(k);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let value = value.serialize(ToZval)?;
        let inserted = match self.key.take() {
            Some(k) => match (k.str(), k.long()) {
                (Some(s), _) => self.ht.insert(s, value),
                (None, Some(i)) => self.ht.insert(i.to_string().as_str(), value),
                (None, None) => self.ht.insert("", value),
            },
            None => self.ht.insert("", value),
        };
        inserted.map_err(|e| Unsupported(e.to_string()))
    }

    fn end(self) -> Result<Zval> {
        Ok(table(self.ht))
    }
}

impl ser::SerializeStruct for Struct {
    type Ok = Zval;
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.fields.push((key, value.serialize(ToZval)?));
        Ok(())
    }

    /// A result class's object, or an array of the fields.
    fn end(self) -> Result<Zval> {
        match results::from_fields(self.name, self.fields) {
            Ok(object) => Ok(object),
            Err(fields) => {
                let mut ht = ZendHashTable::with_capacity(capacity(Some(fields.len())));
                for (k, v) in fields {
                    ht.insert(k, v).map_err(|e| Unsupported(e.to_string()))?;
                }
                Ok(table(ht))
            }
        }
    }
}
