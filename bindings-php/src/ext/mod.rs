//! The extension proper (only with the `php` feature).
// The ext-php-rs macros emit the `extern "C"` entry points PHP calls; besides them, the unsafe
// code is the engine functions ext-php-rs does not bind (`sensitive`, `results`), the
// class-entry pointers of `errors` and `results`, and `results`' writes of a new result
// object's property slots.
#![allow(unsafe_code)]
// Parameter names are PHP's (camelCase, for named arguments).
#![allow(non_snake_case)]

mod client;
mod convert;
mod errors;
mod events;
mod functions;
#[rustfmt::skip]
mod methods;
mod results;
mod sandbox;
mod sensitive;
mod to_zval;

use ext_php_rs::prelude::*;

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
        .version(env!("CARGO_PKG_VERSION"))
        .startup_function(startup)
        .request_startup_function(sensitive::request_started)
        .class::<client::Client>()
        .class::<client::QueryPages>()
        .class::<client::QueryItems>()
        .class::<client::Transactions>()
        .class::<functions::Signing>()
        .class::<functions::Qr>()
        .class::<functions::QfPay>()
        .class::<sandbox::Sandbox>()
        .interface::<events::PhpInterfaceLogger>()
}
