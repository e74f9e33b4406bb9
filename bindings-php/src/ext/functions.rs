//! `QfPay\Notification::verify()`, `QfPay\Signing`, `QfPay\Qr` and `QfPay\QfPay` (version
//! constants).

use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use qfpay::surface::Value;

use super::convert::{PHP, invalid, key_name, text, value};
use super::errors::Php;
use super::results;

/// Name/value pairs from a PHP array (strings and ints; null values left out).
fn pairs(params: &ZendHashTable) -> qfpay::Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(params.len());
    for (k, v) in params.iter() {
        let key = key_name(k);
        let value = match value(v) {
            Value::Null => continue,
            Value::Int(i) => i.to_string(),
            Value::Text(s) => s,
            other => {
                return Err(qfpay::Error::ArgumentType {
                    rule: format!(
                        "parameter values must be strings or ints, got {}",
                        other.type_name(PHP)
                    ),
                    field: key,
                });
            }
        };
        out.push((key, value));
    }
    Ok(out)
}

/// Request signatures (`X-QF-SIGN`), for debugging a `1108` and testing your own code.
#[php_class]
#[php(name = "QfPay\\Signing")]
#[php(flags = ClassFlags::Final)]
pub struct Signing;

#[php_impl]
impl Signing {
    /// The signature of `params` under `clientKey`: sorted by name, empty values left out,
    /// `k=v` joined by `&`, the key appended, hashed (`md5` or `sha256`), uppercase hex.
    pub fn sign(
        params: &ZendHashTable,
        clientKey: String,
        signType: Option<String>,
    ) -> PhpResult<String> {
        let st = qfpay::SignType::parse(signType.as_deref().unwrap_or("md5")).php()?;
        let p = pairs(params).php()?;
        Ok(qfpay::sign::sign(&p, &clientKey, st))
    }

    /// The string that is signed, without the key.
    pub fn string_to_sign(params: &ZendHashTable) -> PhpResult<String> {
        let p = pairs(params).php()?;
        Ok(qfpay::sign::string_to_sign(&p))
    }

    /// The expected `X-QF-SIGN` of a notification body (uppercase hex MD5 of body + key).
    pub fn notification_signature(rawBody: BinarySlice<'_, u8>, clientKey: String) -> String {
        qfpay::sign::notification_signature(&rawBody, &clientKey)
    }
}

/// QR codes for a payment's `qrcode`.
#[php_class]
#[php(name = "QfPay\\Qr")]
#[php(flags = ClassFlags::Final)]
pub struct Qr;

#[php_impl]
impl Qr {
    /// An SVG document.
    pub fn svg(content: String) -> PhpResult<String> {
        qfpay::qr::svg(&content).php()
    }

    /// PNG bytes, `scale` pixels per module.
    pub fn png(content: String, scale: Option<i64>) -> PhpResult<Binary<u8>> {
        let scale = match scale {
            None => 8,
            Some(s) => u32::try_from(s)
                .ok()
                .filter(|s| (1..=64).contains(s))
                .ok_or_else(|| invalid("scale", format!("must be 1 to 64 (got {s})")))
                .php()?,
        };
        qfpay::qr::png(&content, scale).php().map(Binary::from)
    }

    /// A `data:image/png;base64,...` URL for an `<img src>`.
    pub fn data_url(content: String) -> PhpResult<String> {
        qfpay::qr::data_url(&content).php()
    }

    /// Text for a terminal.
    pub fn terminal(content: String) -> PhpResult<String> {
        qfpay::qr::terminal(&content).php()
    }
}

/// `verify()` as the method it is declared as (`results::register`).
pub fn verify_method() -> ext_php_rs::builders::FunctionBuilder<'static> {
    wrap_function!(verify)
}

/// `QfPay\\Notification::verify()`: verifies `X-QF-SIGN` (`$_SERVER['HTTP_X_QF_SIGN'] ?? null`,
/// missing, empty or wrong: a SignatureException) over the raw body
/// (`file_get_contents('php://input')`) and reads the notification.
#[php_function]
pub fn verify(rawBody: &Zval, signature: Option<&Zval>, clientKey: &Zval) -> PhpResult<Zval> {
    let body = match rawBody.dereference().zend_str() {
        Some(s) if rawBody.dereference().is_string() => s.as_bytes(),
        _ => {
            return Err(qfpay::Error::ArgumentType {
                field: "raw_body".into(),
                rule: format!(
                    "must be the raw request body as a string (file_get_contents('php://input')), got {}",
                    value(rawBody).type_name(PHP)
                ),
            })
            .php();
        }
    };
    let sig = match signature {
        Some(s) if !s.dereference().is_null() => text("signature", s).php()?,
        _ => String::new(),
    };
    let key = text("clientKey", clientKey).php()?;
    let n = qfpay::notify::verify(body, &sig, &key).php()?;
    Ok(results::object("Notification", &n))
}

/// Versions and fixed values.
#[php_class]
#[php(name = "QfPay\\QfPay")]
#[php(flags = ClassFlags::Final)]
pub struct QfPay;

#[php_impl]
impl QfPay {
    /// This extension's version.
    pub const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    /// The Rust core's version.
    pub const CORE_VERSION: &'static str = qfpay::VERSION;
    /// The body a notification receiver answers with (HTTP 200), or QFPay sends the
    /// notification again.
    pub const NOTIFICATION_ACK: &'static str = qfpay::notify::ACK_BODY;
    /// The local sandbox's default app code.
    pub const SANDBOX_APP_CODE: &'static str = qfpay_sandbox::DEFAULT_APP_CODE;
    /// The local sandbox's default client key.
    pub const SANDBOX_CLIENT_KEY: &'static str = qfpay_sandbox::DEFAULT_CLIENT_KEY;

    /// A fresh merchant order number (34 URL-safe characters, from the OS random source):
    /// generate it, store it with the order, then pay with it.
    pub fn generate_out_trade_no() -> String {
        qfpay::generate_out_trade_no()
    }
}
