//! One record's fields as QFPay sent them, kept as the record's JSON text and read when asked.
//!
//! A query page carries up to 100 records of some 25 fields each. Building a map of every
//! record's fields, and then each language's copy of that map, was most of what reading a
//! page cost; a caller reads `raw` for the odd field the typed ones do not cover, or never.
//! So a record's `raw` is its text: [`Raw::get`] and [`Raw::to_map`] parse it when called,
//! and [`Serialize`] writes it out field by field straight from the text (a JSON object in
//! every serializer: serde_json, a binding's own), with no map in between.

use std::fmt;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::fields::RawMap;

/// Every field QFPay sent in one record, in the record's own JSON text (an object).
#[derive(Clone)]
pub struct Raw(Box<RawValue>);

impl Raw {
    /// The record's text, which the caller has checked is a JSON object.
    pub(crate) fn from_object_text(text: Box<RawValue>) -> Self {
        Raw(text)
    }

    /// The fields of `map`.
    pub fn from_map(map: &RawMap) -> Self {
        let text = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_owned());
        match RawValue::from_string(text) {
            Ok(v) => Raw(v),
            Err(_) => Raw::empty(),
        }
    }

    /// No fields.
    pub fn empty() -> Self {
        match RawValue::from_string("{}".to_owned()) {
            Ok(v) => Raw(v),
            // `{}` is JSON: never reached.
            Err(_) => Raw(Box::default()),
        }
    }

    /// The record as QFPay sent it (a JSON object).
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Every field, parsed now.
    pub fn to_map(&self) -> RawMap {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }

    /// One field as sent (a repeated key: its last value), `None` when absent. Reads the text
    /// for that key alone ([`super::fields::pick`]), without building the map.
    pub fn get(&self, key: &str) -> Option<Value> {
        let [value] = super::fields::pick(self.0.get(), &[key]).ok()?;
        value
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.to_map().is_empty()
    }
}

impl Default for Raw {
    fn default() -> Self {
        Raw::empty()
    }
}

impl From<RawMap> for Raw {
    fn from(map: RawMap) -> Self {
        Raw::from_map(&map)
    }
}

/// Two records are equal when their fields are (not their spacing or key order).
impl PartialEq for Raw {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str() || self.to_map() == other.to_map()
    }
}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields as a map, written from the text as it is read: whatever the serializer (JSON, a
/// binding's language values), the same object the map would give, without building the map.
impl Serialize for Raw {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        serde_transcode::transcode(&mut de, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_fields_as_sent() {
        let text = r#"{"b": "2", "a": {"x": [1, "y", null]}, "c": 1.5, "d": true, "e": null}"#;
        let raw = Raw::from_object_text(RawValue::from_string(text.to_owned()).unwrap());
        assert_eq!(raw.as_str(), text);
        assert_eq!(raw.get("b"), Some(Value::from("2")));
        assert_eq!(raw.get("zz"), None);
        let map = raw.to_map();
        assert_eq!(
            serde_json::to_value(&raw).unwrap(),
            Value::Object(map.clone())
        );
        assert_eq!(Raw::from_map(&map), raw);
        assert_eq!(Raw::from(map), raw);
        assert!(!raw.is_empty());
        assert!(Raw::empty().is_empty());
        assert_eq!(serde_json::to_string(&Raw::default()).unwrap(), "{}");
        assert_eq!(format!("{raw:?}"), text);
    }
}
