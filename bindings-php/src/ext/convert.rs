//! PHP values to the core's [`Value`] (one function), and a call's arguments and options array
//! as the maps the core's applier (`qfpay::surface::apply`) reads by PHP's names: every name,
//! unit, type rule and QFPay field mapping is the core's.

use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use qfpay::surface::{Kind, Lang, Operation, Value};

/// PHP's conventions: lowerCamelCase names, durations as `int` milliseconds named `…Ms`.
pub const PHP: Lang = Lang::Php;

/// A PHP value by shape. A list (keys 0..n) is a [`Value::List`], any other array (the empty
/// one included) a [`Value::Map`]; an object or a string that is not UTF-8 is
/// [`Value::Other`], named by its type, never by its content.
pub fn value(z: &Zval) -> Value {
    let z = z.dereference();
    if z.is_null() {
        Value::Null
    } else if z.is_bool() {
        Value::Bool(z.bool().unwrap_or(false))
    } else if let Some(i) = z.long().filter(|_| z.is_long()) {
        Value::Int(i)
    } else if let Some(f) = z.double().filter(|_| z.is_double()) {
        Value::Float(f)
    } else if z.is_string() {
        z.str().map_or_else(
            || Value::Other("a non-UTF-8 string".into()),
            |s| Value::Text(s.to_owned()),
        )
    } else if let Some(ht) = z.array() {
        if !ht.is_empty() && ht.has_sequential_keys() {
            Value::List(ht.values().map(value).collect())
        } else {
            map(Some(ht), &[])
        }
    } else if z.is_object() {
        Value::Other("an object".into())
    } else {
        Value::Other(format!("{}", z.get_type()))
    }
}

/// An array as a map (absent: empty), without the keys in `skip`.
pub fn map(ht: Option<&ZendHashTable>, skip: &[&str]) -> Value {
    Value::Map(
        ht.into_iter()
            .flat_map(ZendHashTable::iter)
            .map(|(k, v)| (key_name(k), v))
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k, value(v)))
            .collect(),
    )
}

/// Operation `op`'s request (its positional `args` and the request fields of `options`) and
/// its per-call or wait options (the rest of `options` named by `op.call`), by PHP's names. A
/// positional argument repeated in `options` is refused.
pub fn split(
    op: &Operation,
    args: &[(&str, Option<&Zval>)],
    options: Option<&ZendHashTable>,
) -> qfpay::Result<(Value, Value)> {
    let call_names: Vec<String> = op.call.iter().map(|o| PHP.option(o.name)).collect();
    let mut request: Vec<_> = args
        .iter()
        .filter_map(|(name, v)| Some(((*name).to_owned(), value((*v)?))))
        .collect();
    let mut call = Vec::new();
    for (k, v) in options.into_iter().flat_map(ZendHashTable::iter) {
        let k = key_name(k);
        if args.iter().any(|(a, v)| *a == k && v.is_some()) {
            return Err(invalid(&k, "is an argument of its own, not an option"));
        }
        let side = if call_names.contains(&k) {
            &mut call
        } else {
            &mut request
        };
        side.push((k, value(v)));
    }
    Ok((Value::Map(request), Value::Map(call)))
}

/// A string argument (`field` names it in the error).
pub fn text(field: &str, z: &Zval) -> qfpay::Result<String> {
    match value(z) {
        Value::Text(s) => Ok(s),
        other => Err(qfpay::Error::ArgumentType {
            field: field.to_owned(),
            rule: PHP.wrong_type(Kind::Text, &other.type_name(PHP)),
        }),
    }
}

/// A broken rule about `field` (a value of the right type that PHP's side cannot take).
pub fn invalid(field: &str, rule: impl Into<String>) -> qfpay::Error {
    qfpay::Error::Validation {
        field: field.to_owned(),
        rule: rule.into(),
    }
}

/// An array key as text.
pub fn key_name(k: ArrayKey<'_>) -> String {
    match k {
        ArrayKey::Long(i) => i.to_string(),
        ArrayKey::String(s) => s,
        ArrayKey::Str(s) => s.to_owned(),
        ArrayKey::ZendString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
    }
}
