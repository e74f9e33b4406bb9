//! The extension proper (only with the `php` feature).
// The ext-php-rs macros emit the `extern "C"` entry points PHP calls (`get_module` with
// `#[no_mangle]`, startup functions); that is the only unsafe code here.
#![allow(unsafe_code)]
// Parameter names are PHP's (camelCase, for named arguments).
#![allow(non_snake_case)]

mod client;
mod convert;
mod errors;
mod functions;
mod logging;
mod results;
mod sandbox;

use ext_php_rs::prelude::*;

/// The extension's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("qfpay")
        .version(VERSION)
        .startup_function(errors::register_exceptions)
        .class::<results::Payment>()
        .class::<results::Transaction>()
        .class::<results::QueryPage>()
        .class::<results::Refund>()
        .class::<results::Cancellation>()
        .class::<functions::Notification>()
        .class::<client::Client>()
        .class::<client::QueryPages>()
        .class::<client::QueryItems>()
        .class::<functions::Signing>()
        .class::<functions::Qr>()
        .class::<functions::QfPay>()
        .class::<sandbox::Sandbox>()
        .interface::<logging::PhpInterfaceLogger>()
}
