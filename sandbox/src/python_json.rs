//! JSON in the exact bytes Python's `json.dumps` produces with its defaults: `", "` between
//! items, `": "` after keys, and everything outside printable ASCII escaped as `\uXXXX`
//! (lowercase hex, surrogate pairs above U+FFFF). QFPay notifications use this format and
//! their signature covers these bytes.

/// Serialises string pairs, in order, as a JSON object in `json.dumps` style.
pub fn dumps_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::with_capacity(pairs.len() * 32 + 2);
    out.push('{');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str(&mut out, k.as_ref());
        out.push_str(": ");
        push_str(&mut out, v.as_ref());
    }
    out.push('}');
    out
}

/// Appends `s` as a JSON string literal with Python's `ensure_ascii=True` escaping.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python() {
        // python3 -c 'import json; print(json.dumps({"a": "x\"y\\z", "b": "小林", "c": "😀\n\x7f"}))'
        let s = dumps_pairs(&[("a", "x\"y\\z"), ("b", "小林"), ("c", "😀\n\u{7f}")]);
        assert_eq!(
            s,
            r#"{"a": "x\"y\\z", "b": "\u5c0f\u6797", "c": "\ud83d\ude00\n\u007f"}"#
        );
        assert_eq!(dumps_pairs::<&str, &str>(&[]), "{}");
    }

    #[test]
    fn spec_notification_vector() {
        let body = dumps_pairs(&[
            ("status", "1"),
            ("notify_type", "payment"),
            ("out_trade_no", "ORDER0001"),
            ("goods_name", "小林"),
        ]);
        assert_eq!(
            qfpay::sign::notification_signature(body.as_bytes(), "abcd1234"),
            "460D0EC80EC99C885ECFFD44ADEDEED7"
        );
    }
}
