//! `NativeSandbox`: the in-process QFPay simulator (filled in when `qfpay-sandbox` lands).

use napi_derive::napi;

/// The native sandbox behind the JavaScript `Sandbox`.
#[napi]
pub struct NativeSandbox {}
