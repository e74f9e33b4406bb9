//! `QfPay\Notification` (verify + the verified notification), `QfPay\Signing`, `QfPay\Qr` and
//! `QfPay\QfPay` (version constants).

use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert::{describe, key_name, str_arg};
use super::errors::{Php, invalid};
use super::results::map_to_array;

/// Name/value pairs from a PHP array (strings and ints; null values left out).
fn pairs(params: &ZendHashTable) -> qfpay::Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(params.len());
    for (k, v) in params.iter() {
        let key = key_name(k);
        let v = v.dereference();
        if v.is_null() {
            continue;
        }
        let value = if v.is_long() {
            v.long().unwrap_or(0).to_string()
        } else if v.is_string() {
            str_arg(&key, v)?
        } else {
            return Err(invalid(
                &key,
                format!(
                    "parameter values must be strings or ints, got {}",
                    describe(v)
                ),
            ));
        };
        out.push((key, value));
    }
    Ok(out)
}

fn raw_bytes<'a>(field: &str, v: &'a Zval) -> qfpay::Result<&'a [u8]> {
    let v = v.dereference();
    match v.zend_str() {
        Some(s) if v.is_string() => Ok(s.as_bytes()),
        _ => Err(invalid(
            field,
            format!(
                "must be the raw request body as a string (file_get_contents('php://input')), got {}",
                describe(v)
            ),
        )),
    }
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
        let st = match signType.as_deref() {
            None | Some("md5") => qfpay::SignType::Md5,
            Some(other) => qfpay::SignType::parse(other).php()?,
        };
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

/// A verified notification (what `Notification::verify` returns).
#[php_class]
#[php(name = "QfPay\\Notification")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Notification {
    inner: qfpay::Notification,
}

#[php_impl]
impl Notification {
    /// Verifies `X-QF-SIGN` (`$_SERVER['HTTP_X_QF_SIGN'] ?? null`) over the raw body
    /// (`file_get_contents('php://input')`) and reads the notification. A missing or empty
    /// signature, or one that does not match, is a SignatureException.
    pub fn verify(
        rawBody: &Zval,
        signature: Option<&Zval>,
        clientKey: &Zval,
    ) -> PhpResult<Notification> {
        let prepared = (|| {
            let body = raw_bytes("raw_body", rawBody)?;
            let sig = match signature.map(Zval::dereference) {
                None => String::new(),
                Some(s) if s.is_null() => String::new(),
                Some(s) => str_arg("signature", s)?,
            };
            let key = str_arg("clientKey", clientKey)?;
            qfpay::notify::verify(body, &sig, &key)
        })();
        prepared.php().map(|inner| Notification { inner })
    }

    #[php(getter)]
    pub fn get_notify_type(&self) -> String {
        self.inner.kind.as_str().to_owned()
    }
    #[php(getter)]
    pub fn get_status(&self) -> String {
        self.inner.status.clone()
    }
    #[php(getter)]
    pub fn get_pay_type(&self) -> String {
        self.inner.pay_type.code().to_owned()
    }
    #[php(getter)]
    pub fn get_syssn(&self) -> String {
        self.inner.syssn.clone()
    }
    #[php(getter)]
    pub fn get_out_trade_no(&self) -> String {
        self.inner.out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_txamt(&self) -> i64 {
        self.inner.txamt
    }
    #[php(getter)]
    pub fn get_txcurrcd(&self) -> String {
        self.inner.txcurrcd.clone()
    }
    #[php(getter)]
    pub fn get_txdtm(&self) -> String {
        self.inner.txdtm.clone()
    }
    #[php(getter)]
    pub fn get_sysdtm(&self) -> String {
        self.inner.sysdtm.clone()
    }
    #[php(getter)]
    pub fn get_paydtm(&self) -> String {
        self.inner.paydtm.clone()
    }
    #[php(getter)]
    pub fn get_cancel(&self) -> String {
        self.inner.cancel.clone()
    }
    #[php(getter)]
    pub fn get_respcd(&self) -> String {
        self.inner.respcd.clone()
    }
    #[php(getter)]
    pub fn get_mchid(&self) -> Option<String> {
        self.inner.mchid.clone()
    }
    #[php(getter)]
    pub fn get_goods_name(&self) -> String {
        self.inner.goods_name.clone()
    }
    #[php(getter)]
    pub fn get_chnlsn(&self) -> String {
        self.inner.chnlsn.clone()
    }
    #[php(getter)]
    pub fn get_orig_syssn(&self) -> Option<String> {
        self.inner.orig_syssn.clone()
    }
    #[php(getter)]
    pub fn get_orig_out_trade_no(&self) -> Option<String> {
        self.inner.orig_out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_is_success(&self) -> bool {
        self.inner.is_success()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
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
