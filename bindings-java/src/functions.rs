//! Stateless helpers: signing, notification verification, QR codes, order numbers.

use std::collections::HashMap;

use qfpay::SignType;

use crate::errors::{FfiResult, to_u32};

fn pairs(params: &HashMap<String, String>) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The SDK version of the core this library was built from.
#[uniffi::export]
pub fn core_version() -> String {
    qfpay::VERSION.to_owned()
}

/// The string to sign (without the key): non-empty parameters sorted by name, `k=v` joined by `&`.
#[uniffi::export]
pub fn string_to_sign(params: HashMap<String, String>) -> String {
    qfpay::sign::string_to_sign(&pairs(&params))
}

/// The request signature (`X-QF-SIGN`, uppercase hex) of `params` under `key`;
/// `sign_type` is `md5` or `sha256`.
#[uniffi::export]
pub fn sign(params: HashMap<String, String>, key: String, sign_type: String) -> FfiResult<String> {
    let st = SignType::parse(&sign_type)?;
    Ok(qfpay::sign::sign(&pairs(&params), &key, st))
}

/// The notification signature (uppercase hex MD5 of the raw body followed by the key).
#[uniffi::export]
pub fn notification_signature(raw_body: Vec<u8>, key: String) -> String {
    qfpay::sign::notification_signature(&raw_body, &key)
}

/// A fresh merchant order number.
#[uniffi::export]
pub fn generate_out_trade_no() -> String {
    qfpay::generate_out_trade_no()
}

/// An SVG image of the QR code for `content`.
#[uniffi::export]
pub fn qr_svg(content: String) -> FfiResult<String> {
    Ok(qfpay::qr::svg(&content)?)
}

/// A PNG image of the QR code for `content`, `scale` pixels per module.
#[uniffi::export]
pub fn qr_png(content: String, scale: i32) -> FfiResult<Vec<u8>> {
    Ok(qfpay::qr::png(
        &content,
        to_u32("scale", i64::from(scale))?,
    )?)
}

/// A `data:image/png;base64,...` URL of the QR code for `content`.
#[uniffi::export]
pub fn qr_data_url(content: String) -> FfiResult<String> {
    Ok(qfpay::qr::data_url(&content)?)
}

/// The QR code for `content` drawn with Unicode blocks for a terminal.
#[uniffi::export]
pub fn qr_terminal(content: String) -> FfiResult<String> {
    Ok(qfpay::qr::terminal(&content)?)
}
