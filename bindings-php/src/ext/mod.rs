//! The extension proper (only with the `php` feature).
// The ext-php-rs macros emit the `extern "C"` entry points PHP calls (`get_module` with
// `#[no_mangle]`, startup functions); besides them, the only unsafe code is `sensitive` (the
// engine's `zend_add_attribute`) and the class-entry pointers of `errors`.
#![allow(unsafe_code)]
// Parameter names are PHP's (camelCase, for named arguments).
#![allow(non_snake_case)]

mod client;
mod convert;
mod errors;
mod events;
mod functions;
mod results;
mod sandbox;
mod sensitive;

use ext_php_rs::prelude::*;

/// The extension's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Module start-up: declares the exception and result classes; the key-carrying parameters
/// are marked `#[\SensitiveParameter]` once the other classes exist (see `sensitive`). Never
/// panics: a failure is reported to PHP as a start-up failure.
extern "C" fn startup(_ty: i32, _module_number: i32) -> i32 {
    sensitive::module_started();
    match errors::register().and_then(|()| results::register(functions::verify_method())) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("qfpay: cannot declare the exception and result classes: {e}");
            -1
        }
    }
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("qfpay")
        .version(VERSION)
        .startup_function(startup)
        .request_startup_function(sensitive::request_started)
        .class::<client::Client>()
        .class::<client::QueryPages>()
        .class::<client::QueryItems>()
        .class::<functions::Signing>()
        .class::<functions::Qr>()
        .class::<functions::QfPay>()
        .class::<sandbox::Sandbox>()
        .interface::<events::PhpInterfaceLogger>()
}
