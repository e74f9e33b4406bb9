//! `QfPay\QfPayException` and one subclass per core error code, with the error's fields as
//! public properties. The classes are plain Zend classes (declared at module start-up), so
//! their properties are ordinary PHP properties and `catch (\Exception $e)` catches them.

use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::{ClassBuilder, ClassProperty};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::PropertyFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ce};

use super::results::Transaction;

/// The base class.
pub const BASE: &str = "QfPay\\QfPayException";
/// The parent of every error QFPay answered with.
const API: &str = "QfPay\\ApiException";

/// Each core code, its class and whether it is an answer from QFPay (extends ApiException).
pub const CLASSES: [(&str, &str, bool); 17] = [
    ("validation", "QfPay\\ValidationException", false),
    ("config", "QfPay\\ConfigException", false),
    ("api", API, false),
    ("auth", "QfPay\\AuthException", true),
    ("invalid_request", "QfPay\\InvalidRequestException", true),
    ("declined", "QfPay\\DeclinedException", true),
    ("duplicate_order", "QfPay\\DuplicateOrderException", true),
    ("order_state", "QfPay\\OrderStateException", true),
    ("refund_rejected", "QfPay\\RefundRejectedException", true),
    ("account", "QfPay\\AccountException", true),
    ("server", "QfPay\\ServerException", true),
    ("rate_limited", "QfPay\\RateLimitedException", false),
    ("network", "QfPay\\NetworkException", false),
    ("timeout", "QfPay\\RequestTimeoutException", false),
    ("status_unknown", "QfPay\\StatusUnknownException", false),
    ("decode", "QfPay\\DecodeException", false),
    ("signature", "QfPay\\SignatureException", false),
];

/// The public properties of every QfPay exception (all `null` unless they apply).
pub const PROPERTIES: [&str; 12] = [
    "errorCode",
    "respcd",
    "resperr",
    "respmsg",
    "httpStatus",
    "outTradeNo",
    "syssn",
    "field",
    "rule",
    "retryAfterMs",
    "sent",
    "existing",
];

fn find(name: &str) -> &'static ClassEntry {
    ClassEntry::try_find(name).unwrap_or_else(ce::exception)
}

/// The base and API classes, kept when they are declared: at module start-up the class table
/// cannot be searched yet, and the subclasses need their parent's entry.
static BASE_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static API_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

fn stored(slot: &AtomicPtr<ClassEntry>) -> &'static ClassEntry {
    let p = slot.load(Ordering::Acquire);
    // SAFETY: the pointer is null or a class entry the engine keeps for the process's life.
    unsafe { p.as_ref() }.unwrap_or_else(ce::exception)
}

fn base_ce() -> &'static ClassEntry {
    stored(&BASE_CE)
}

fn api_ce() -> &'static ClassEntry {
    stored(&API_CE)
}

fn no_registration(_: &'static mut ClassEntry, _: ext_php_rs::args::ArgInfoTables) {}

fn base_registered(ce: &'static mut ClassEntry, _: ext_php_rs::args::ArgInfoTables) {
    BASE_CE.store(ce, Ordering::Release);
}

fn api_registered(ce: &'static mut ClassEntry, _: ext_php_rs::args::ArgInfoTables) {
    API_CE.store(ce, Ordering::Release);
}

fn build(
    name: &str,
    parent: fn() -> &'static ClassEntry,
    parent_name: &'static str,
) -> ClassBuilder {
    let registered = match name {
        BASE => base_registered,
        API => api_registered,
        _ => no_registration,
    };
    ClassBuilder::new(name)
        .extends((parent, parent_name))
        .registration(registered)
}

fn property(name: &str) -> ClassProperty {
    ClassProperty {
        name: name.to_owned(),
        flags: PropertyFlags::Public,
        default: Some(Box::new(|| Ok(Zval::null()))),
        docs: &[],
        ty: None,
        nullable: true,
        readonly: false,
        default_stub: Some("null".to_owned()),
    }
}

/// Declares the exception classes (module start-up). Never panics: a failure is reported to
/// PHP as a start-up failure.
pub extern "C" fn register_exceptions(_ty: i32, _module_number: i32) -> i32 {
    match register() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("qfpay: cannot declare the exception classes: {e}");
            -1
        }
    }
}

fn register() -> ext_php_rs::error::Result<()> {
    let mut base = build(BASE, ce::exception, "\\Exception");
    for p in PROPERTIES {
        base = base.property(property(p));
    }
    base.register()?;
    for (_, class, is_api) in CLASSES {
        let b = if is_api {
            build(class, api_ce, API)
        } else {
            build(class, base_ce, BASE)
        };
        b.register()?;
    }
    Ok(())
}

/// The class of a core error code.
pub fn class_of(code: &str) -> &'static str {
    CLASSES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(BASE, |(_, class, _)| class)
}

fn set(obj: &mut ZendObject, name: &str, value: impl IntoZval) {
    // Public declared properties: writing them cannot fail short of memory exhaustion.
    let _ = obj.set_property(name, value);
}

/// A core option name as PHP code writes it: lowerCamelCase, a duration in milliseconds with
/// the suffix `Ms` (`connect_timeout` → `connectTimeoutMs`, `utc_offset_seconds` →
/// `utcOffsetSeconds`). The binding's own names (`logLevel`, `merchants`) are unchanged.
pub fn php_option(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    let mut words = name.split('_');
    out.extend(words.next());
    for w in words {
        let mut c = w.chars();
        out.extend(c.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(c.as_str());
    }
    if name.ends_with("timeout") || name.ends_with("_delay") {
        out.push_str("Ms");
    }
    out
}

/// The PHP exception for a core error. A configuration error about one option names it as
/// PHP code writes it, in `$field` and in the message: `configuration error: timeoutMs must be
/// greater than zero`.
pub fn to_php(e: &qfpay::Error) -> PhpException {
    let code = e.code();
    let (field, message) = match e.field() {
        Some(option) if code == "config" => {
            let name = php_option(option);
            let message = format!("configuration error: {name} {}", e.rule().unwrap_or(""));
            (Some(name), message)
        }
        field => (field.map(str::to_owned), e.to_string()),
    };
    let ce = find(class_of(code));
    let mut obj = ZendObject::new(ce);
    // Exception::__construct(string $message): sets the (protected) message.
    if obj.try_call_method("__construct", vec![&message]).is_err() {
        return PhpException::new(message, 0, ce);
    }
    set(&mut obj, "errorCode", code);
    set(&mut obj, "respcd", e.respcd().map(str::to_owned));
    set(&mut obj, "resperr", e.resperr().map(str::to_owned));
    set(&mut obj, "respmsg", e.respmsg().map(str::to_owned));
    set(&mut obj, "httpStatus", e.http_status().map(i64::from));
    set(&mut obj, "outTradeNo", e.out_trade_no().map(str::to_owned));
    set(&mut obj, "syssn", e.syssn().map(str::to_owned));
    set(&mut obj, "field", field);
    set(&mut obj, "rule", e.rule().map(str::to_owned));
    set(
        &mut obj,
        "retryAfterMs",
        e.retry_after()
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
    );
    extra(&mut obj, e);
    match obj.into_zval(false) {
        Ok(z) => PhpException::new(message, 0, ce).with_object(z),
        Err(_) => PhpException::new(message, 0, ce),
    }
}

/// `sent` (network) and `existing` (duplicate_order: the transaction already under that
/// out_trade_no).
fn extra(obj: &mut ZendObject, e: &qfpay::Error) {
    set(obj, "sent", e.sent());
    if let Some(t) = e.existing() {
        set(obj, "existing", Transaction::zval(t));
    }
}

/// A validation error naming `field`, for values PHP cannot convert.
pub fn invalid(field: &str, rule: impl Into<String>) -> qfpay::Error {
    qfpay::Error::Validation {
        field: field.to_owned(),
        rule: rule.into(),
    }
}

/// Core result → PHP result.
pub trait Php<T> {
    /// Converts the error into the PHP exception.
    fn php(self) -> PhpResult<T>;
}

impl<T> Php<T> for qfpay::Result<T> {
    fn php(self) -> PhpResult<T> {
        self.map_err(|e| to_php(&e))
    }
}
