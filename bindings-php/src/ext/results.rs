//! Core results as PHP objects, from the core's one description of each result
//! (`qfpay::surface::schema::RESULTS`, each type's `describe!`): a final class per result
//! (`QfPay\Payment`, `QfPay\Transaction`, ...) with one typed `public readonly` property per
//! field, named in lowerCamelCase, filled from the result's `Serialize` (computed values such
//! as `state` and `isPaid` included, `raw` as QFPay sent it). No field is listed here.

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
        "str" => STRING,
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
        unsafe {
            zend_declare_typed_property(
                &raw mut *ce,
                name,
                &raw mut undef,
                PUBLIC_READONLY,
                std::ptr::null_mut(),
                ty,
            );
            drop(ZBox::from_raw(name));
        }
    }
    CLASSES[i].store(ce, Ordering::Release);
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

/// A field's value: a result type's (or a list of them) as its objects, anything else as is;
/// an optional one (`WechatPayParams?`) is null when absent.
fn field_zval(ty: &str, v: &Value) -> Zval {
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
        _ if index(ty).is_some() => build(ty, v),
        _ => json_to_zval(v),
    }
}

/// The object of result class `class` from its serialized fields (null when it cannot be
/// built: the class is missing, which only a broken start-up could cause).
fn build(class: &str, v: &Value) -> Zval {
    let Some(i) = index(class) else {
        return Zval::null();
    };
    let p = CLASSES[i].load(Ordering::Acquire);
    // SAFETY: null or a class entry the engine keeps for the process's life.
    let Some(ce) = (unsafe { p.as_ref() }) else {
        return Zval::null();
    };
    let mut obj = ZendObject::new(ce);
    // Readonly properties are initialised from their class's scope: the engine's
    // `fake_scope`, as `zend_update_property()` sets it.
    let saved = std::mem::replace(
        &mut ExecutorGlobals::get_mut().fake_scope,
        std::ptr::from_ref(ce).cast_mut(),
    );
    for f in RESULTS[i].2 {
        let z = field_zval(f.ty, v.get(f.name).unwrap_or(&Value::Null));
        let _ = obj.set_property(&PHP.member(f.name), z);
    }
    ExecutorGlobals::get_mut().fake_scope = saved;
    obj.into_zval(false).unwrap_or_else(|_| Zval::null())
}

/// A core result as an object of its PHP class (`class` is its name in `RESULTS`), from its
/// `Serialize`.
pub fn object<T: serde::Serialize>(class: &str, result: &T) -> Zval {
    build(class, &serde_json::to_value(result).unwrap_or(Value::Null))
}
