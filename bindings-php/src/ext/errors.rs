//! `QfPay\QfPayException` and one subclass per core error code (named by the core,
//! `Lang::error_class`), with the error's fields (`qfpay::surface::ERROR_FIELDS`) as public
//! properties. The classes are plain Zend classes (declared at module start-up), so their
//! properties are ordinary PHP properties and `catch (\Exception $e)` catches them.

use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::{ClassBuilder, ClassProperty};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::PropertyFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ce};
use qfpay::surface::{ERROR_FIELDS, is_api_category};

use super::convert::PHP;
use super::results;

/// The base class.
const BASE: &str = "QfPay\\QfPayException";
/// The parent of every error QFPay answered with.
const API: &str = "QfPay\\ApiException";

/// The class of a core error code.
fn class_of(code: &str) -> String {
    format!("QfPay\\{}", PHP.error_class(Some(code)))
}

/// An error field's property: `code` is `errorCode` (`getCode()` is PHP's own), a duration
/// has its unit (`retryAfterMs`); `message` is the exception's own.
fn property_name(field: &str) -> Option<String> {
    match field {
        "message" => None,
        "code" => Some("errorCode".to_owned()),
        f => Some(PHP.option(f)),
    }
}

/// The base and API classes, kept when they are declared: at module start-up the class table
/// cannot be searched yet, and the subclasses need their parent's entry.
static PARENTS: [AtomicPtr<ClassEntry>; 2] = [const { AtomicPtr::new(std::ptr::null_mut()) }; 2];

fn parent(i: usize) -> &'static ClassEntry {
    // SAFETY: the pointer is null or a class entry the engine keeps for the process's life.
    unsafe { PARENTS[i].load(Ordering::Acquire).as_ref() }.unwrap_or_else(ce::exception)
}

fn base_ce() -> &'static ClassEntry {
    parent(0)
}

fn api_ce() -> &'static ClassEntry {
    parent(1)
}

/// Declares the exception classes (module start-up).
pub fn register() -> ext_php_rs::error::Result<()> {
    let mut base = ClassBuilder::new(BASE)
        .extends((ce::exception, "\\Exception"))
        .registration(|ce, _| PARENTS[0].store(ce, Ordering::Release));
    for name in ERROR_FIELDS.iter().filter_map(|f| property_name(f.0)) {
        base = base.property(ClassProperty {
            name,
            flags: PropertyFlags::Public,
            default: Some(Box::new(|| Ok(Zval::null()))),
            docs: &[],
            ty: None,
            nullable: true,
            readonly: false,
            default_stub: Some("null".to_owned()),
        });
    }
    base.register()?;
    ClassBuilder::new(API)
        .extends((base_ce, BASE))
        .registration(|ce, _| PARENTS[1].store(ce, Ordering::Release))
        .register()?;
    for code in qfpay::Error::CODES {
        let (class, api) = (class_of(code), is_api_category(code));
        if class != API {
            let parent = if api {
                (api_ce as fn() -> _, API)
            } else {
                (base_ce as fn() -> _, BASE)
            };
            ClassBuilder::new(class)
                .extends(parent)
                .registration(|_, _| {})
                .register()?;
        }
    }
    Ok(())
}

/// The PHP exception for a core error, its properties filled from the error's `Serialize`
/// (`existing` as a `Transaction`). A configuration error about one option names it as PHP
/// code writes it (the core's `in_lang`), in `$field` and in the message:
/// `configuration error: timeoutMs must be greater than zero`.
pub fn to_php(e: qfpay::Error) -> PhpException {
    let e = e.in_lang(PHP);
    let message = e.to_string();
    let ce = ClassEntry::try_find(&class_of(e.code())).unwrap_or_else(base_ce);
    let mut obj = ZendObject::new(ce);
    // Exception::__construct(string $message): sets the (protected) message.
    if obj.try_call_method("__construct", vec![&message]).is_err() {
        return PhpException::new(message, 0, ce);
    }
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&e) {
        for (k, v) in &fields {
            let z = match (k.as_str(), e.existing()) {
                ("existing", Some(t)) => results::object("Transaction", t),
                _ => results::json_to_zval(v),
            };
            if let Some(name) = property_name(k) {
                // A public declared property: writing it cannot fail short of memory exhaustion.
                let _ = obj.set_property(&name, z);
            }
        }
    }
    match obj.into_zval(false) {
        Ok(z) => PhpException::new(message, 0, ce).with_object(z),
        Err(_) => PhpException::new(message, 0, ce),
    }
}

/// Core result → PHP result.
pub trait Php<T> {
    /// Converts the error into the PHP exception.
    fn php(self) -> PhpResult<T>;
}

impl<T> Php<T> for qfpay::Result<T> {
    fn php(self) -> PhpResult<T> {
        self.map_err(to_php)
    }
}
