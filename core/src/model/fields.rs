//! Tolerant readers for QFPay's JSON: numbers may come as strings and strings as numbers;
//! amounts must still be whole numbers.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A JSON object as QFPay sent it.
pub type RawMap = Map<String, Value>;

/// A field as text: strings as they are, numbers and booleans written out, null or absent as "".
pub fn text(map: &RawMap, key: &str) -> String {
    match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// A field as text, `None` when absent, null or empty.
pub fn opt_text(map: &RawMap, key: &str) -> Option<String> {
    Some(text(map, key)).filter(|s| !s.is_empty())
}

/// An amount in minor units, sent as `"300"` or `300`. `None` when absent or empty; an error
/// when present but not a whole number.
pub fn amount(map: &RawMap, key: &str) -> Result<Option<i64>> {
    match map.get(key) {
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
    match serde_json::from_slice::<TopLevel>(body) {
        Ok(TopLevel::Object(map)) => Ok(map),
        Ok(TopLevel::Other) => Err(Error::Decode("the body is JSON but not an object".into())),
        Err(e) => Err(Error::Decode(format!("the body is not JSON: {e}"))),
    }
}

/// A whole answer: an object, read as a list of pairs and then built into the map in one go
/// (the map's sorted bulk construction, instead of one B-tree insertion per field as
/// `serde_json::Value` does; a repeated key keeps its last value either way), or anything else.
enum TopLevel {
    Object(RawMap),
    Other,
}

impl<'de> serde::Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> serde::de::Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut m: A,
    ) -> std::result::Result<TopLevel, A::Error> {
        let mut pairs = Vec::with_capacity(m.size_hint().unwrap_or(16));
        while let Some(pair) = m.next_entry::<String, Value>()? {
            pairs.push(pair);
        }
        Ok(TopLevel::Object(pairs.into_iter().collect()))
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
