//! Core results as PHP objects, from the core's one description of each result
//! (`qfpay::surface::schema::RESULTS`, each type's `describe!`): a final class per result
//! (`QfPay\Payment`, `QfPay\Transaction`, ...) with one typed `public readonly` property per
//! field, named in lowerCamelCase, filled from the result's `Serialize` (computed values such
//! as `state` and `isPaid` included, `raw` as QFPay sent it). No field is listed here.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::ffi::{zend_class_entry, zend_property_info, zend_string, zend_type, zval};
use ext_php_rs::flags::{ClassFlags, MethodFlags};
use ext_php_rs::types::{ZendHashTable, ZendObject, ZendStr, Zval};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};
use qfpay::surface::schema::RESULTS;
use serde_json::Value;

use super::convert::PHP;
use super::to_zval::to_zval;

// Exported by the engine (ZEND_API, Zend/zend_API.h); not in ext-php-rs's bindings, which
// declare untyped properties only (a readonly property must have a type).
unsafe extern "C" {
    fn zend_declare_typed_property(
        ce: *mut zend_class_entry,
        name: *mut zend_string,
        default: *mut zval,
        access_type: i32,
        doc_comment: *mut zend_string,
        ty: zend_type,
    ) -> *mut zend_property_info;
}

/// `ZEND_ACC_PUBLIC | ZEND_ACC_READONLY` (Zend/zend_compile.h).
const PUBLIC_READONLY: i32 = 1 | (1 << 7);

/// The type mask of a field (`MAY_BE_*`, Zend/zend_type_info.h) from the surface's type.
fn type_mask(ty: &str) -> u32 {
    const NULL: u32 = 1 << 1;
    const BOOL: u32 = (1 << 2) | (1 << 3);
    const LONG: u32 = 1 << 4;
    const STRING: u32 = 1 << 6;
    const ARRAY: u32 = 1 << 7;
    const OBJECT: u32 = 1 << 8;
    if let Some(inner) = ty.strip_suffix('?') {
        return type_mask(inner) | NULL;
    }
    match ty {
        "str" | "bytes" => STRING,
        "int" | "count" => LONG,
        "bool" => BOOL,
        "raw" => ARRAY,
        t if t.starts_with("list<") => ARRAY,
        t if t.starts_with("enum:") => STRING,
        _ => OBJECT,
    }
}

/// `_ZEND_TYPE_NAME_BIT` (Zend/zend_types.h): the type is the class named by `ptr`.
const NAME_BIT: u32 = 1 << 24;
/// `MAY_BE_NULL`.
const MAY_BE_NULL: u32 = 1 << 1;

/// The result class a field's type names (`WechatPayParams?`), and whether it may be null.
fn class_of(ty: &str) -> Option<(&str, bool)> {
    let (inner, nullable) = ty.strip_suffix('?').map_or((ty, false), |t| (t, true));
    index(inner).map(|_| (inner, nullable))
}

/// Each result class's entry, in the order of `RESULTS`, kept when it is declared.
static CLASSES: [AtomicPtr<ClassEntry>; RESULTS.len()] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; RESULTS.len()];

fn index(class: &str) -> Option<usize> {
    RESULTS.iter().position(|(name, _, _)| *name == class)
}

/// Declares the typed readonly properties of a result class just registered.
fn declared(ce: &'static mut ClassEntry, _: ext_php_rs::args::ArgInfoTables) {
    let Some(i) = ce
        .name()
        .and_then(|n| n.strip_prefix("QfPay\\"))
        .and_then(index)
    else {
        return;
    };
    let mut slots = Vec::with_capacity(RESULTS[i].2.len());
    for f in RESULTS[i].2 {
        let name = ZendStr::new(PHP.member(f.name), true).into_raw();
        // No default (`IS_UNDEF`): the property is uninitialized until the object is built.
        let mut undef = Zval::new();
        undef.u1.type_info = 0;
        let ty = match class_of(f.ty) {
            // A nested result (`WechatPayParams?`): typed by its class, as PHP's generated
            // `register_class_*()` do (`ZEND_TYPE_INIT_CLASS`): the engine owns the name.
            Some((class, nullable)) => zend_type {
                ptr: ZendStr::new(format!("QfPay\\{class}"), true)
                    .into_raw()
                    .cast(),
                type_mask: NAME_BIT | if nullable { MAY_BE_NULL } else { 0 },
            },
            None => zend_type {
                ptr: std::ptr::null_mut(),
                type_mask: type_mask(f.ty),
            },
        };
        // SAFETY: what PHP's generated `register_class_*()` functions do for a typed property
        // of an internal class at module start-up: the engine copies the (undefined) default,
        // keeps its own interned copy of `name`, and frees the property with the class.
        let info = unsafe {
            let info = zend_declare_typed_property(
                &raw mut *ce,
                name,
                &raw mut undef,
                PUBLIC_READONLY,
                std::ptr::null_mut(),
                ty,
            );
            drop(ZBox::from_raw(name));
            info.as_ref()
        };
        // The engine's property info: where the property's zval lies in an object.
        slots.push(info.map(|p| Slot {
            offset: p.offset as usize,
            accepts: type_mask(f.ty),
        }));
    }
    if let Some(slots) = slots.into_iter().collect::<Option<Vec<_>>>() {
        let _ = SLOTS[i].set(slots);
    }
    CLASSES[i].store(ce, Ordering::Release);
}

/// Where a result property's value lies in its object (`zend_property_info.offset`, from the
/// object's start: the engine's `OBJ_PROP()`), and the `MAY_BE_*` types it accepts.
struct Slot {
    offset: usize,
    accepts: u32,
}

/// Each result class's property slots, in the order of `RESULTS` and of its fields; set when
/// the class is declared.
static SLOTS: [OnceLock<Vec<Slot>>; RESULTS.len()] = [const { OnceLock::new() }; RESULTS.len()];

/// A value's `MAY_BE_*` bit: `1 << ` its type (`IS_NULL` 1 ... `IS_OBJECT` 8; `IS_UNDEF`'s 0
/// no type accepts).
fn type_bit(z: &Zval) -> u32 {
    // SAFETY: the type byte of an initialised zval (every `Zval` is).
    let ty = u32::from(unsafe { z.u1.v.type_ });
    if ty == 0 || ty > 8 { 0 } else { 1 << ty }
}

/// Declares the result classes (module start-up). `Notification` also has the static
/// `verify()`.
pub fn register(verify: FunctionBuilder<'static>) -> ext_php_rs::error::Result<()> {
    let mut verify = Some(verify);
    for (name, _, _) in RESULTS {
        let mut b = ClassBuilder::new(format!("QfPay\\{name}"))
            .flags(ClassFlags::Final | ClassFlags::NoDynamicProperties)
            .registration(declared);
        if *name == "Notification"
            && let Some(v) = verify.take()
        {
            b = b.method(v, MethodFlags::Public | MethodFlags::Static);
        }
        b.register()?;
    }
    Ok(())
}

/// A JSON value as a PHP value (objects and lists as arrays).
pub fn json_to_zval(v: &Value) -> Zval {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64().or(n.as_u64().map(|_| i64::MAX)) {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => {
            if z.set_string(s, false).is_err() {
                z.set_null();
            }
        }
        Value::Array(items) => return list(items, json_to_zval),
        Value::Object(m) => {
            let mut ht = ZendHashTable::with_capacity(u32::try_from(m.len()).unwrap_or(0));
            for (k, v) in m {
                let _ = ht.insert(k.as_str(), json_to_zval(v));
            }
            z.set_hashtable(ht);
        }
    }
    z
}

/// A PHP list of `items`, each converted by `f`.
pub fn list<T>(items: &[T], f: impl Fn(&T) -> Zval) -> Zval {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(0));
    for i in items {
        let _ = ht.push(f(i));
    }
    let mut z = Zval::new();
    z.set_hashtable(ht);
    z
}

/// Standard base64 text (a `bytes` value's JSON form) as its bytes; `None` when it is not.
fn base64(text: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let text = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= sextet(*c)? << (18 - 6 * i);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.extend_from_slice(&[a, b, c][..chunk.len().checked_sub(1)?]);
    }
    Some(out)
}

/// A value of the surface's type `ty` (a result type, a list of them, `bytes`, anything else
/// as is) as PHP's value: result types as their objects, `bytes` as a (binary) string; an
/// optional one (`WechatPayParams?`) is null when absent. What an operation returns and every
/// field of a result go through here.
pub fn field_zval(ty: &str, v: &Value) -> Zval {
    if let Some(inner) = ty.strip_suffix('?') {
        return if v.is_null() {
            Zval::null()
        } else {
            field_zval(inner, v)
        };
    }
    let item = ty
        .strip_prefix("list<")
        .and_then(|t| t.strip_suffix('>'))
        .filter(|t| index(t).is_some());
    match (item, v) {
        (Some(class), Value::Array(items)) => list(items, |i| build(class, i)),
        (None, Value::String(text)) if ty == "bytes" => {
            let mut z = Zval::new();
            match base64(text) {
                Some(bytes) => z.set_binary(bytes),
                None => z.set_null(),
            }
            z
        }
        _ if index(ty).is_some() => build(ty, v),
        _ => json_to_zval(v),
    }
}

/// Each result class's property names (PHP's member spelling), in the order of `RESULTS` and
/// of each one's fields: computed once.
fn member_names(i: usize) -> &'static [String] {
    static NAMES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        RESULTS
            .iter()
            .map(|(_, _, fields)| fields.iter().map(|f| PHP.member(f.name)).collect())
            .collect()
    })[i]
        .as_slice()
}

/// A new object of result class `i` (in `RESULTS`) with each field's value from `value`;
/// null when the class is missing, which only a broken start-up could cause.
/// `value` takes the field's position, name and type.
fn instantiate(i: usize, mut value: impl FnMut(usize, &str, &str) -> Zval) -> Zval {
    let p = CLASSES[i].load(Ordering::Acquire);
    // SAFETY: null or a class entry the engine keeps for the process's life.
    let Some(ce) = (unsafe { p.as_ref() }) else {
        return Zval::null();
    };
    let mut obj = ZendObject::new(ce);
    let fields = RESULTS[i].2;
    // Each value of the property's type goes straight into the object's property slot, as
    // the engine's own internal classes initialise their readonly properties (`zend_enum`'s
    // `name` and `value`: `ZVAL_COPY(OBJ_PROP_NUM(obj, 0), ...)`): a fresh object, every
    // slot undefined. Any other value is written by name below, where the engine checks it.
    let mut by_name = Vec::new();
    let slots = SLOTS[i].get().filter(|s| s.len() == fields.len());
    for (at, f) in fields.iter().enumerate() {
        let z = value(at, f.name, f.ty);
        match slots.map(|s| &s[at]) {
            Some(slot) if slot.accepts & type_bit(&z) != 0 => {
                let base = (&raw mut *obj).cast::<u8>();
                // SAFETY: `offset` is the engine's offset of this declared property within
                // an object of this class (`zend_property_info.offset`, inside the object's
                // allocation); the slot holds `IS_UNDEF` (nothing to release), and `z` moves
                // into it (its reference is the object's now).
                unsafe { std::ptr::write(base.add(slot.offset).cast::<Zval>(), z) };
            }
            _ => by_name.push((at, z)),
        }
    }
    if by_name.is_empty() {
        return obj.into_zval(false).unwrap_or_else(|_| Zval::null());
    }
    // Readonly properties are initialised from their class's scope: the engine's
    // `fake_scope`, as `zend_update_property()` sets it.
    let saved = std::mem::replace(
        &mut ExecutorGlobals::get_mut().fake_scope,
        std::ptr::from_ref(ce).cast_mut(),
    );
    for (at, z) in by_name {
        let _ = obj.set_property(&member_names(i)[at], z);
    }
    ExecutorGlobals::get_mut().fake_scope = saved;
    obj.into_zval(false).unwrap_or_else(|_| Zval::null())
}

/// The object of result class `class` from its serialized fields (null when it cannot be
/// built).
fn build(class: &str, v: &Value) -> Zval {
    let Some(i) = index(class) else {
        return Zval::null();
    };
    instantiate(i, |_, name, ty| {
        field_zval(ty, v.get(name).unwrap_or(&Value::Null))
    })
}

/// The object of result class `class` from its fields already converted (`to_zval`: nested
/// results are objects already), by name, in the schema's order; a `bytes` field's base64
/// text becomes the bytes. The fields back when `class` is no result class.
pub fn from_fields(
    class: &str,
    mut fields: Vec<(&'static str, Zval)>,
) -> Result<Zval, Vec<(&'static str, Zval)>> {
    let Some(i) = index(class) else {
        return Err(fields);
    };
    Ok(instantiate(i, |at, name, ty| {
        let slot = match fields.get(at) {
            Some((n, _)) if *n == name => fields.get_mut(at),
            _ => fields.iter_mut().find(|(n, _)| *n == name),
        };
        let z = slot.map_or_else(Zval::null, |(_, z)| std::mem::replace(z, Zval::null()));
        if ty.trim_end_matches('?') == "bytes"
            && let Some(text) = z.str()
        {
            let mut bytes = Zval::new();
            match base64(text) {
                Some(b) => bytes.set_binary(b),
                None => bytes.set_null(),
            }
            return bytes;
        }
        z
    }))
}

/// A core result as an object of its PHP class (`class` is its name in `RESULTS`), from its
/// `Serialize`: straight into PHP values (`to_zval`), else through its JSON form.
pub fn object<T: serde::Serialize>(class: &str, result: &T) -> Zval {
    match to_zval(result) {
        Ok(z) if z.is_object() => z,
        _ => build(class, &serde_json::to_value(result).unwrap_or(Value::Null)),
    }
}
