//! Node.js binding of the qfpay core, built with napi-rs.
//!
//! Conversions only: JavaScript objects become core requests (`convert`), core results become
//! JSON from the core's own description of them with Node's naming applied (`results`), and
//! core errors become `"[code] message"` errors that the JavaScript wrapper in `lib/` rethrows
//! as `QfPayError` subclasses (`results` too); the module's
//! functions (signing, notifications, QR, `QFPAY_LOG`) are in `functions`. Every QFPay
//! rule lives in the core.

pub mod client;
mod convert;
pub mod functions;
mod results;
pub mod sandbox;
