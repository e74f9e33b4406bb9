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
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::Decode("the body is JSON but not an object".into())),
        Err(e) => Err(Error::Decode(format!("the body is not JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
