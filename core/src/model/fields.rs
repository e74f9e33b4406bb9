//! Tolerant readers for QFPay's JSON: numbers may come as strings and strings as numbers;
//! amounts must still be whole numbers.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A JSON object as QFPay sent it.
pub type RawMap = Map<String, Value>;

/// A field as text: strings as they are, numbers and booleans written out, null or absent as "".
pub fn text(map: &RawMap, key: &str) -> String {
    text_of(map.get(key))
}

/// A value as text, as [`text`] reads a field.
pub fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// [`text_of`] for a value the caller gives up: a string is moved, not copied.
pub fn into_text(v: Option<Value>) -> String {
    match v {
        Some(Value::String(s)) => s,
        other => text_of(other.as_ref()),
    }
}

/// A field as text, `None` when absent, null or empty.
pub fn opt_text(map: &RawMap, key: &str) -> Option<String> {
    Some(text(map, key)).filter(|s| !s.is_empty())
}

/// An amount in minor units, sent as `"300"` or `300`. `None` when absent or empty; an error
/// when present but not a whole number.
pub fn amount(map: &RawMap, key: &str) -> Result<Option<i64>> {
    amount_of(key, map.get(key))
}

/// A value as an amount, as [`amount`] reads field `key`.
pub fn amount_of(key: &str, v: Option<&Value>) -> Result<Option<i64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => s.parse::<i64>().map(Some).map_err(|_| {
            Error::Decode(format!("{key} {s:?} is not a whole number of minor units"))
        }),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
            Error::Decode(format!("{key} {n} is not a whole number of minor units"))
        }),
        Some(other) => Err(Error::Decode(format!(
            "{key} has an unexpected type: {other}"
        ))),
    }
}

/// A small whole number (page numbers), sent as a string or a number.
pub fn count(map: &RawMap, key: &str) -> Option<u32> {
    match map.get(key) {
        Some(Value::Number(n)) => n.as_u64().and_then(|v| u32::try_from(v).ok()),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// Parses a JSON object from bytes.
pub fn parse_object(body: &[u8]) -> Result<RawMap> {
    parse(body, false).map(Body::into_map)
}

/// Parses an answer: a JSON object whose `data` list, when it has one, is kept as its
/// records' text ([`Body::records`]) for a model to read ([`take_records`]).
pub fn parse_body(body: &[u8]) -> Result<Body> {
    parse(body, true)
}

fn parse(body: &[u8], keep_records: bool) -> Result<Body> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let top = serde::de::DeserializeSeed::deserialize(TopLevelSeed { keep_records }, &mut de)
        .and_then(|top| de.end().map(|()| top));
    match top {
        Ok(TopLevel::Object(body)) => Ok(body),
        Ok(TopLevel::Other) => Err(Error::Decode("the body is JSON but not an object".into())),
        Err(e) => Err(Error::Decode(format!("the body is not JSON: {e}"))),
    }
}

/// One record of an answer's `data` list, as the JSON text QFPay sent.
pub type Record = Box<RawValue>;

/// A JSON answer: its fields, but for the records of its `data` list (when `data` is a
/// list), which stay text until a model reads them.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Every field but a `data` list.
    pub fields: RawMap,
    /// The items of `data`, when it is a list.
    pub records: Option<Vec<Record>>,
}

impl Body {
    /// The whole answer as one map, `data`'s records parsed back into it.
    pub fn into_map(self) -> RawMap {
        let mut map = self.fields;
        if let Some(records) = self.records {
            let items = records
                .iter()
                .map(|r| serde_json::from_str::<Value>(r.get()).unwrap_or(Value::Null))
                .collect();
            map.insert("data".to_owned(), Value::Array(items));
        }
        map
    }
}

/// A whole answer: an object, read as a list of pairs and then built into the map in one go
/// (the map's sorted bulk construction, instead of one B-tree insertion per field as
/// `serde_json::Value` does; a repeated key keeps its last value either way), or anything else.
enum TopLevel {
    Object(Body),
    Other,
}

/// Reads a [`TopLevel`]; with `keep_records`, a `data` list's items are kept as text.
#[derive(Clone, Copy)]
struct TopLevelSeed {
    keep_records: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for TopLevelSeed {
    type Value = TopLevel;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<TopLevel, D::Error> {
        d.deserialize_any(self)
    }
}

/// A `data` field: a list's items as text, or any other value.
enum DataField {
    Records(Vec<Record>),
    Other(Value),
}

impl<'de> serde::Deserialize<'de> for DataField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DataField;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<DataField, A::Error> {
                let mut items = Vec::with_capacity(s.size_hint().unwrap_or(100));
                while let Some(item) = s.next_element::<Record>()? {
                    items.push(item);
                }
                Ok(DataField::Records(items))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                m: A,
            ) -> std::result::Result<DataField, A::Error> {
                serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(|map: RawMap| DataField::Other(Value::Object(map)))
            }

            fn visit_unit<E>(self) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::Null))
            }

            fn visit_bool<E>(self, v: bool) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::Bool(v)))
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::from(v)))
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::from(v)))
            }

            fn visit_f64<E>(self, v: f64) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::from(v)))
            }

            fn visit_str<E>(self, v: &str) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::from(v)))
            }

            fn visit_string<E>(self, v: String) -> std::result::Result<DataField, E> {
                Ok(DataField::Other(Value::String(v)))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::de::Visitor<'de> for TopLevelSeed {
    type Value = TopLevel;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut m: A,
    ) -> std::result::Result<TopLevel, A::Error> {
        let mut pairs = Vec::with_capacity(m.size_hint().unwrap_or(16));
        let mut records = None;
        while let Some(key) = m.next_key::<String>()? {
            if self.keep_records && key == "data" {
                match m.next_value::<DataField>()? {
                    DataField::Records(items) => records = Some(items),
                    DataField::Other(v) => {
                        records = None;
                        pairs.push((key, v));
                    }
                }
            } else {
                let v = m.next_value::<Value>()?;
                if key == "data" {
                    records = None;
                }
                pairs.push((key, v));
            }
        }
        let mut fields: RawMap = pairs.into_iter().collect();
        if records.is_some() {
            // A later `data` list wins over an earlier value, as in the map.
            fields.remove("data");
        }
        Ok(TopLevel::Object(Body { fields, records }))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut s: A,
    ) -> std::result::Result<TopLevel, A::Error> {
        while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(TopLevel::Other)
    }

    fn visit_unit<E>(self) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }
}

/// Takes the list of records under `data` out of an answer and reads each with `read`; absent
/// or null is no records. `what` names a record in errors (`query record`): an item that is not an
/// object, or a `data` that is not a list, is a decode error.
pub fn take_records<T>(
    raw: &mut RawMap,
    what: &str,
    read: impl Fn(RawMap) -> Result<T>,
) -> Result<Vec<T>> {
    match raw.remove("data") {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::Object(m) => read(m),
                other => Err(Error::Decode(format!("a {what} is not an object: {other}"))),
            })
            .collect(),
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(other) => Err(Error::Decode(format!(
            "data (the {what}s) is not a list: {other}"
        ))),
    }
}

/// [`take_records`] for an answer whose `data` list was kept as text ([`parse_body`]): each
/// record's text is read by `read`.
pub fn take_body_records<T>(
    body: &mut Body,
    what: &str,
    read: impl Fn(Record) -> Result<T>,
) -> Result<Vec<T>> {
    match body.records.take() {
        Some(records) => records.into_iter().map(read).collect(),
        None => take_records(&mut body.fields, what, |map| {
            let text = serde_json::to_string(&map).unwrap_or_else(|_| "{}".to_owned());
            RawValue::from_string(text)
                .map_err(|e| Error::Decode(format!("a {what} could not be kept: {e}")))
                .and_then(&read)
        }),
    }
}

/// The values of `keys` in one record's text (the last of a repeated key), each `None` when
/// absent, read without building a map of the record: other fields are skipped. An error
/// when the text is not a JSON object.
pub fn pick<const N: usize>(
    record: &str,
    keys: &[&str; N],
) -> std::result::Result<[Option<Value>; N], serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(record);
    let values = serde::Deserializer::deserialize_map(&mut de, Pick { keys })?;
    de.end()?;
    Ok(values)
}

struct Pick<'k, const N: usize> {
    keys: &'k [&'k str; N],
}

/// A key of the record: its position in the keys picked, if it is one of them.
struct KeyAt<'k, const N: usize> {
    keys: &'k [&'k str; N],
}

impl<'de, const N: usize> serde::de::DeserializeSeed<'de> for KeyAt<'_, N> {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, const N: usize> serde::de::Visitor<'de> for KeyAt<'_, N> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Option<usize>, E> {
        Ok(self.keys.iter().position(|k| *k == v))
    }
}

impl<'de, const N: usize> serde::de::Visitor<'de> for Pick<'_, N> {
    type Value = [Option<Value>; N];

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut m: A,
    ) -> std::result::Result<[Option<Value>; N], A::Error> {
        let mut values: [Option<Value>; N] = std::array::from_fn(|_| None);
        while let Some(at) = m.next_key_seed(KeyAt { keys: self.keys })? {
            match at {
                Some(i) => values[i] = Some(m.next_value::<Value>()?),
                None => {
                    m.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_objects_like_serde_json_value() {
        let body = br#"{"b":"2","a":{"x":[1,"y",null]},"c":1.5,"b":"3","d":true,"e":null}"#;
        let expected = match serde_json::from_slice::<Value>(body).unwrap() {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let got = parse_object(body).unwrap();
        assert_eq!(got, expected);
        // A repeated key keeps its last value, as serde_json's own map does.
        assert_eq!(got["b"], "3");
        assert_eq!(got.keys().collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
        for other in [
            &b"[1,2]"[..],
            b"null",
            b"1",
            b"\"s\"",
            b"true",
            b"-1",
            b"1.5",
        ] {
            let e = parse_object(other).unwrap_err().to_string();
            assert!(e.contains("not an object"), "{e}");
        }
        for broken in [&b""[..], b"{", b"{\"a\":}", b"{} x", b"[1,"] {
            let e = parse_object(broken).unwrap_err().to_string();
            assert!(e.contains("not JSON"), "{e}");
        }
    }

    #[test]
    fn an_answers_data_list_is_kept_as_its_records_text() {
        let body = br#"{"respcd":"0000","data":[{"a":"1"}, {"b":[1,2]}, 3],"page":"1"}"#;
        let b = parse_body(body).unwrap();
        let texts: Vec<&str> = b
            .records
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.get())
            .collect();
        assert_eq!(texts, [r#"{"a":"1"}"#, r#"{"b":[1,2]}"#, "3"]);
        assert!(!b.fields.contains_key("data"));
        assert_eq!(b.clone().into_map(), parse_object(body).unwrap());
        // Whatever `data` is, and however often it comes, the map reads the same.
        for body in [
            &br#"{"data":5}"#[..],
            br#"{"data":null}"#,
            br#"{"data":{"x":[1]}}"#,
            br#"{"data":[{"a":1}],"data":"later"}"#,
            br#"{"data":"earlier","data":[{"a":1}]}"#,
            br#"{"x":{"data":[1]}}"#,
        ] {
            let b = parse_body(body).unwrap();
            assert_eq!(b.into_map(), parse_object(body).unwrap(), "{body:?}");
        }
        assert!(parse_body(br#"{"data":[1,}"#).is_err());
        assert!(parse_body(b"[1]").is_err());
    }

    #[test]
    fn picked_fields_read_like_the_map() {
        let record = r#"{"a":"x","b":10,"skip":{"deep":[1,{"a":"no"}]},"c":null,"a":"last","e\u0041":"esc"}"#;
        let [a, b, c, d, e] = pick(record, &["a", "b", "c", "d", "eA"]).unwrap();
        let map: RawMap = serde_json::from_str(record).unwrap();
        assert_eq!(a.as_ref(), map.get("a"));
        assert_eq!(into_text(a), "last");
        assert_eq!(text_of(b.as_ref()), text(&map, "b"));
        assert_eq!(amount_of("b", b.as_ref()).unwrap(), Some(10));
        assert_eq!(c, Some(Value::Null));
        assert_eq!(d, None);
        assert_eq!(into_text(e), "esc");
        for not_object in ["[1]", "3", "\"s\"", "null", "{", "{} x"] {
            assert!(pick(not_object, &["a"]).is_err(), "{not_object}");
        }
    }

    #[test]
    fn tolerant_reading() {
        let Value::Object(m) =
            json!({"a": "10", "b": 10, "c": null, "d": "1.5", "e": 1.5, "f": ""})
        else {
            return;
        };
        assert_eq!(amount(&m, "a").ok(), Some(Some(10)));
        assert_eq!(amount(&m, "b").ok(), Some(Some(10)));
        assert_eq!(amount(&m, "c").ok(), Some(None));
        assert!(amount(&m, "d").is_err());
        assert!(amount(&m, "e").is_err());
        assert_eq!(amount(&m, "f").ok(), Some(None));
        assert_eq!(text(&m, "b"), "10");
        assert_eq!(opt_text(&m, "c"), None);
    }
}
