//! `#[\SensitiveParameter]` on every parameter that can carry the client key, so that with
//! `zend.exception_ignore_args=0` a trace (`getTrace()`, `print_r`/`var_dump`/`serialize` of the
//! exception, error trackers) holds a `SensitiveParameterValue` there, never the key.
//!
//! ext-php-rs 0.16.4 has no API for parameter attributes: they are added with the engine's
//! `zend_add_attribute()` (as PHP's generated `register_class_*()` do) once the classes exist,
//! which is after module start-up: start-up marks the work as due and the first request
//! start-up of the process does it (again after a SAPI restarts the module).
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::os::raw::c_char;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::{HashTable, zend_function, zend_string};
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::ClassEntry;

/// Every parameter that can carry the client key: class, method (lowercase, as the class's
/// function table keys it) and the parameter's position from 0. Option arrays count: they
/// hold `clientKey` (a sandbox's `merchants` too), and so does a notification's signature
/// argument (derived from the key, and where the key lands when the two are swapped).
pub const SENSITIVE: [(&str, &str, u32); 8] = [
    ("QfPay\\Client", "__construct", 0),
    ("QfPay\\Client", "fromenv", 0),
    ("QfPay\\Sandbox", "start", 0),
    ("QfPay\\Sandbox", "client", 0),
    ("QfPay\\Signing", "sign", 1),
    ("QfPay\\Signing", "notificationsignature", 1),
    ("QfPay\\Notification", "verify", 1),
    ("QfPay\\Notification", "verify", 2),
];

/// `ZEND_ATTRIBUTE_PERSISTENT` (Zend/zend_attributes.h: outlives requests) and
/// `ZEND_INTERNAL_FUNCTION` (Zend/zend_compile.h).
const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;
const ZEND_INTERNAL_FUNCTION: u8 = 1;
/// The attribute's class, as written and as the engine looks it up (lowercase).
const NAME: &str = "SensitiveParameter";
const LC_NAME: &str = "sensitiveparameter";

// Exported by the engine since PHP 8.0 (ZEND_API, Zend/zend_attributes.h); not in ext-php-rs's
// bindings.
unsafe extern "C" {
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut c_void;
    fn zend_get_parameter_attribute_str(
        attributes: *mut HashTable,
        str: *const c_char,
        len: usize,
        offset: u32,
    ) -> *mut c_void;
}

/// Whether the attributes are still to be added since the module last started.
static PENDING: AtomicBool = AtomicBool::new(false);
/// Held while adding them: the first request of each thread waits for it (ZTS).
static ADDING: Mutex<()> = Mutex::new(());

/// Module start-up: the classes are about to be (re)registered; their parameters get their
/// attributes at the first request start-up.
pub fn module_started() {
    PENDING.store(true, Ordering::Release);
}

/// Request start-up (`RINIT`): adds the attributes the first time after module start-up. No
/// PHP code of a request runs before this returns, so no trace is ever built without them.
pub extern "C" fn request_started(_ty: i32, _module_number: i32) -> i32 {
    if PENDING.load(Ordering::Acquire) {
        let _guard = ADDING.lock().unwrap_or_else(|p| p.into_inner());
        if PENDING.load(Ordering::Acquire) {
            for (class, method, offset) in SENSITIVE {
                if !mark(class, method, offset) {
                    eprintln!("qfpay: cannot mark {class}::{method} argument {offset} sensitive");
                }
            }
            PENDING.store(false, Ordering::Release);
        }
    }
    0
}

/// Adds `#[\SensitiveParameter]` to parameter `offset` of `class::method` (an internal method
/// of this extension). `false` when the method is not found.
fn mark(class: &str, method: &str, offset: u32) -> bool {
    let Some(ce) = ClassEntry::try_find(class) else {
        return false;
    };
    let Some(entry) = ce.function_table.get(method) else {
        return false;
    };
    // SAFETY: a class's function table holds IS_PTR zvals whose pointer is the method's
    // `zend_function`, which the engine keeps until the module shuts down.
    let func = unsafe { entry.value.ptr }.cast::<zend_function>();
    if func.is_null() {
        return false;
    }
    // SAFETY: `func` is a live internal function of this extension's classes, read and written
    // only here while no request of this process runs PHP code (request start-up, under
    // `ADDING`). `zend_add_attribute` is the engine's own way to attach an attribute: it
    // allocates the attributes table persistently (ZEND_ATTRIBUTE_PERSISTENT, as
    // `zend_add_parameter_attribute` does for internal functions), keeps its own reference to
    // `name` and a lowercase copy; the engine frees them with the function at module shutdown.
    // Our reference to `name` is released after the call.
    unsafe {
        if (*func).common.type_ != ZEND_INTERNAL_FUNCTION {
            return false;
        }
        let attributes = &raw mut (*func).common.attributes;
        if !(*attributes).is_null()
            && !zend_get_parameter_attribute_str(
                *attributes,
                LC_NAME.as_ptr().cast(),
                LC_NAME.len(),
                offset,
            )
            .is_null()
        {
            return true;
        }
        let name = ZendStr::new(NAME, true).into_raw();
        let attr = zend_add_attribute(
            attributes,
            name,
            0,
            ZEND_ATTRIBUTE_PERSISTENT,
            offset + 1,
            0,
        );
        drop(ZBox::from_raw(name));
        !attr.is_null()
    }
}
