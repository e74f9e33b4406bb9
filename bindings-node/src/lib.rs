//! Node.js binding of the qfpay core, built with napi-rs.
//!
//! Conversions only: JavaScript objects become core requests (`convert`), core results become
//! plain objects (`results`), and core errors become `"[code] message"` errors that the
//! JavaScript wrapper in `lib/` rethrows as `QfPayError` subclasses (`error`). Every QFPay
//! rule lives in the core.

mod client;
mod convert;
mod error;
mod results;
mod sandbox;

use napi::Either;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;
use serde_json::Value;

use crate::error::{invalid, js};

pub use client::{NativeClient, NativeQueryPages, native_client_from_env};
pub use results::{Cancellation, Notification, Payment, QueryPage, Refund, Transaction};
pub use sandbox::{NativeSandbox, start_sandbox};

/// The core's version.
#[napi]
pub const CORE_VERSION: &str = qfpay::VERSION;

/// The body a notification receiver answers with (HTTP 200).
#[napi]
pub const ACK_BODY: &str = qfpay::notify::ACK_BODY;

/// Every error code the core can report.
#[napi]
pub fn error_codes() -> Vec<String> {
    qfpay::Error::CODES
        .iter()
        .map(|c| (*c).to_owned())
        .collect()
}

/// Signing parameters: an object of strings (whole numbers are written out).
fn params(value: Value) -> qfpay::Result<Vec<(String, String)>> {
    let Value::Object(map) = value else {
        return Err(invalid("params", "must be an object of strings"));
    };
    map.into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k, s)),
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok((k, n.to_string())),
            other => Err(invalid(
                &k,
                format!("must be a string or a whole number to be signed, got {other}"),
            )),
        })
        .collect()
}

fn sign_type(value: Option<String>) -> qfpay::Result<qfpay::SignType> {
    qfpay::SignType::parse(value.as_deref().unwrap_or("md5"))
}

/// The request signature (`X-QF-SIGN`, uppercase hex) of `params` under `key`.
#[napi]
pub fn sign(
    params_obj: Value,
    key: String,
    sign_type_name: Option<String>,
) -> napi::Result<String> {
    let p = js(params(params_obj))?;
    let t = js(sign_type(sign_type_name))?;
    Ok(qfpay::sign::sign(&p, &key, t))
}

/// The string that is signed, without the key (sorted, empty values left out, raw values).
#[napi]
pub fn string_to_sign(params_obj: Value) -> napi::Result<String> {
    Ok(qfpay::sign::string_to_sign(&js(params(params_obj))?))
}

/// The string to sign with the key shown as `<client_key>`, to debug a `1108`.
#[napi]
pub fn debug_string_to_sign(params_obj: Value) -> napi::Result<String> {
    Ok(qfpay::sign::debug_string_to_sign(&js(params(params_obj))?))
}

fn bytes(body: &Either<String, Uint8Array>) -> &[u8] {
    match body {
        Either::A(s) => s.as_bytes(),
        Either::B(b) => b,
    }
}

/// The notification signature (uppercase hex MD5 of the raw body and the key).
#[napi]
pub fn notification_signature(raw_body: Either<String, Uint8Array>, key: String) -> String {
    qfpay::sign::notification_signature(bytes(&raw_body), &key)
}

/// Verifies a notification's `X-QF-SIGN` over the exact raw body and reads it.
#[napi]
pub fn verify_notification(
    raw_body: Either<String, Uint8Array>,
    signature: String,
    client_key: String,
) -> napi::Result<Notification> {
    js(qfpay::notify::verify(
        bytes(&raw_body),
        &signature,
        &client_key,
    ))
    .map(Into::into)
}

/// An SVG image of a QR code.
#[napi]
pub fn qr_svg(content: String) -> napi::Result<String> {
    js(qfpay::qr::svg(&content))
}

/// A PNG image of a QR code, `scale` pixels per module (default 8).
#[napi]
pub fn qr_png(content: String, scale: Option<u32>) -> napi::Result<Buffer> {
    js(qfpay::qr::png(&content, scale.unwrap_or(8))).map(Buffer::from)
}

/// A `data:image/png;base64,...` URL of a QR code.
#[napi]
pub fn qr_data_url(content: String) -> napi::Result<String> {
    js(qfpay::qr::data_url(&content))
}

/// A QR code drawn with Unicode blocks for a terminal.
#[napi]
pub fn qr_terminal(content: String) -> napi::Result<String> {
    js(qfpay::qr::terminal(&content))
}

/// A fresh merchant order number (34 URL-safe characters).
#[napi]
pub fn generate_out_trade_no() -> String {
    qfpay::generate_out_trade_no()
}
