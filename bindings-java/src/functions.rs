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

/// The QR code for `content` as `format`: `svg`, `png` (`scale` pixels per module),
/// `data_url` (a PNG `data:` URL) or `terminal` (Unicode blocks); text as UTF-8.
#[uniffi::export]
pub fn qr(content: String, format: String, scale: i32) -> FfiResult<Vec<u8>> {
    Ok(match format.as_str() {
        "svg" => qfpay::qr::svg(&content)?.into_bytes(),
        "png" => qfpay::qr::png(&content, to_u32("scale", i64::from(scale))?)?,
        "data_url" => qfpay::qr::data_url(&content)?.into_bytes(),
        _ => qfpay::qr::terminal(&content)?.into_bytes(),
    })
}
