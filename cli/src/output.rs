//! Printing results as text or JSON.

use serde_json::{Map, Value};

/// Prints `fields` as aligned `name: value` lines, or `raw` as one JSON object with `--json`.
pub fn print(json: bool, title: &str, fields: &[(&str, String)], raw: &Map<String, Value>) {
    if json {
        println!("{}", Value::Object(raw.clone()));
        return;
    }
    println!("{title}");
    let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in fields {
        if !v.is_empty() {
            println!("  {k:width$}  {v}");
        }
    }
}
