//! The one generic value that crosses between the JVM and the core, both ways: the Kotlin
//! builders' options and arguments by name (read here into [`qfpay::surface::Value`]s for the
//! core's applier) and every result (the core's `Serialize` output, read by the generated Kotlin
//! result classes). A tagged binary form, written and read by `Wire` in `Jni.kt`:
//! `0` null, `1`/`2` false/true, `3` + i64, `4` + f64, `5` + text, `6` + count + items,
//! `7` + count + (text key, value) pairs; counts and text lengths are u32, everything
//! big-endian, text UTF-8.

use qfpay::surface::Value;
use serde_json::Value as J;

use crate::errors::{FfiResult, QfPayFfiError};

fn take<'a>(b: &mut &'a [u8], n: usize) -> FfiResult<&'a [u8]> {
    let truncated = || QfPayFfiError::simple("config", "a truncated value from the JVM");
    let (head, rest) = b.split_at_checked(n).ok_or_else(truncated)?;
    *b = rest;
    Ok(head)
}

/// The next `N` bytes (a big-endian number).
fn bytes<const N: usize>(b: &mut &[u8]) -> FfiResult<[u8; N]> {
    let mut a = [0; N];
    a.copy_from_slice(take(b, N)?);
    Ok(a)
}

fn len(b: &mut &[u8]) -> FfiResult<usize> {
    Ok(u32::from_be_bytes(bytes(b)?) as usize)
}

fn text(b: &mut &[u8]) -> FfiResult<Option<String>> {
    let n = len(b)?;
    Ok(String::from_utf8(take(b, n)?.to_vec()).ok())
}

/// Reads one value written by the JVM (text that is not UTF-8 is [`Value::BadText`]).
pub(crate) fn read(b: &mut &[u8]) -> FfiResult<Value> {
    Ok(match take(b, 1)?[0] {
        0 => Value::Null,
        1 => Value::Bool(false),
        2 => Value::Bool(true),
        3 => Value::Int(i64::from_be_bytes(bytes(b)?)),
        4 => Value::Float(f64::from_be_bytes(bytes(b)?)),
        5 => text(b)?.map_or(Value::BadText, Value::Text),
        6 => Value::List((0..len(b)?).map(|_| read(b)).collect::<FfiResult<_>>()?),
        7 => Value::Map(
            (0..len(b)?)
                .map(|_| Ok((text(b)?.unwrap_or_default(), read(b)?)))
                .collect::<FfiResult<_>>()?,
        ),
        t => {
            return Err(QfPayFfiError::simple(
                "config",
                format!("unknown value tag {t}"),
            ));
        }
    })
}

fn put_text(s: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Writes `v` for the JVM.
pub(crate) fn write(v: &J, out: &mut Vec<u8>) {
    match v {
        J::Null => out.push(0),
        J::Bool(b) => out.push(if *b { 2 } else { 1 }),
        J::Number(n) => match n.as_i64() {
            Some(i) => {
                out.push(3);
                out.extend_from_slice(&i.to_be_bytes());
            }
            None => {
                out.push(4);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_be_bytes());
            }
        },
        J::String(s) => {
            out.push(5);
            put_text(s, out);
        }
        J::Array(a) => {
            out.push(6);
            out.extend_from_slice(&(a.len() as u32).to_be_bytes());
            a.iter().for_each(|x| write(x, out));
        }
        J::Object(m) => {
            out.push(7);
            out.extend_from_slice(&(m.len() as u32).to_be_bytes());
            for (k, x) in m {
                put_text(k, out);
                write(x, out);
            }
        }
    }
}

/// `v` of type `ty` with its `raw` fields' values as text (see [`encode`]).
pub(crate) fn shape(v: &mut J, ty: &str) {
    let ty = ty.trim_end_matches('?');
    if ty == "raw" {
        if let J::Object(m) = v {
            for x in m.values_mut().filter(|x| !x.is_string()) {
                *x = J::String(x.to_string());
            }
        }
    } else if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        if let J::Array(a) = v {
            a.iter_mut().for_each(|x| shape(x, item));
        }
    } else if let (Some((_, _, fields)), J::Object(m)) = (
        qfpay::surface::schema::RESULTS.iter().find(|r| r.0 == ty),
        v,
    ) {
        for f in *fields {
            if let Some(x) = m.get_mut(f.name) {
                shape(x, f.ty);
            }
        }
    }
}

/// A result of type `ty` (a name of `qfpay::surface::schema::RESULTS`, `list<…>`, `…?`) as the
/// JVM reads it: the core's `Serialize` output, with each `raw` field's non-text values as
/// their JSON text (the JVM's `raw` is a `Map<String, String>`).
pub(crate) fn encode<T: serde::Serialize>(ty: &str, v: &T) -> Vec<u8> {
    encode_json(ty, serde_json::to_value(v).unwrap_or(J::Null))
}

/// [`encode`] of a result already in its JSON form.
pub(crate) fn encode_json(ty: &str, mut j: J) -> Vec<u8> {
    shape(&mut j, ty);
    let mut out = Vec::with_capacity(512);
    write(&j, &mut out);
    out
}
