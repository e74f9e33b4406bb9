//! The SDK's results as JSON for `--json`: each result type's own serialization (the core's
//! one description of it: the field names every binding uses, computed values such as `state`
//! and `is_paid` included, amounts as integers, `raw` as QFPay sent it).

use serde::Serialize;
use serde_json::Value;

/// A result as JSON.
pub fn json(result: &impl Serialize) -> Value {
    serde_json::to_value(result).unwrap_or_default()
}
