//! The module's functions: signing, notification verification, QR codes, order numbers and
//! the `QFPAY_LOG` setting as the core reads it.

use std::collections::HashMap;

use napi::Either;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;
use qfpay::events::{EventKind, Level};

use crate::errors::{invalid, js, to_napi};
use crate::results::json;

/// The core's version.
#[napi]
pub const CORE_VERSION: &str = qfpay::VERSION;

/// The body a notification receiver answers with (HTTP 200).
#[napi]
pub const NOTIFICATION_ACK: &str = qfpay::notify::ACK_BODY;

/// The default sandbox merchant's app code.
#[napi]
pub const SANDBOX_APP_CODE: &str = qfpay_sandbox::DEFAULT_APP_CODE;

/// The default sandbox merchant's client key.
#[napi]
pub const SANDBOX_CLIENT_KEY: &str = qfpay_sandbox::DEFAULT_CLIENT_KEY;

/// `QFPAY_LOG` as the core reads it (once per process, by `qfpay::log_filter`): what the
/// default logger of `lib/events.js` logs.
#[napi(object)]
pub struct EnvLogFilter {
    /// The most verbose level any SDK target is logged at (`trace` ... `error`).
    pub max_level: String,
    /// Per event kind (`request`, `retry`, ...): whether its events pass the filter.
    pub allowed: HashMap<String, bool>,
    /// Per event kind: whether its bodies pass too (its target is logged at `trace`).
    pub bodies: HashMap<String, bool>,
    /// Whether configuration warnings (target `qfpay::config`, level warn) pass.
    pub config_warnings: bool,
}

/// The `QFPAY_LOG` filter, or `null` when it turns logging off (unset, empty, `off`, or a
/// value that cannot be used: see `takeEnvLogWarning`).
#[napi]
pub fn env_log_filter() -> Option<EnvLogFilter> {
    let filter = qfpay::log_filter::env_log().filter.as_ref()?;
    let max_level = filter.max_level()?;
    let per_kind = |f: &dyn Fn(EventKind) -> bool| {
        EventKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), f(*k)))
            .collect::<HashMap<_, _>>()
    };
    Some(EnvLogFilter {
        max_level: max_level.as_str().to_owned(),
        allowed: per_kind(&|k| filter.allows(k)),
        bodies: per_kind(&|k| filter.level_for(k.target()) == Some(Level::Trace)),
        config_warnings: filter.allows_config_warnings(),
    })
}

/// The warning about a `QFPAY_LOG` value that cannot be used (it never quotes the value), the
/// first time it is asked for in this process; `null` afterwards and when there is none.
#[napi]
pub fn take_env_log_warning() -> Option<String> {
    qfpay::log_filter::env_log()
        .take_warning()
        .map(str::to_owned)
}

/// Signing parameters flattened by the wrapper into one string, `key NUL value NUL` per pair
/// (`count` pairs): one crossing instead of one per property, and no `serde_json::Value`. The
/// pairs borrow from `flat` (no copy per key or value). A NUL inside a key or value changes the
/// number of parts, so it is refused, never mis-signed.
fn params(flat: &str, count: u32) -> napi::Result<Vec<(&str, &str)>> {
    let nul = || to_napi(invalid("params", "must not contain NUL characters"));
    let mut parts = flat.split('\0');
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        match (parts.next(), parts.next()) {
            (Some(k), Some(v)) => out.push((k, v)),
            _ => return Err(nul()),
        }
    }
    // What is left is the empty part after the last NUL.
    match (parts.next(), parts.next()) {
        (Some(""), None) | (None, None) => Ok(out),
        _ => Err(nul()),
    }
}

/// The `signType` argument of `sign` (an argument, so a validation error names it).
fn sign_type(value: Option<String>) -> qfpay::Result<qfpay::SignType> {
    qfpay::SignType::parse(value.as_deref().unwrap_or("md5")).map_err(|_| {
        invalid(
            "signType",
            "must be \"md5\" or \"sha256\" (the value is not quoted here)",
        )
    })
}

/// The request signature (`X-QF-SIGN`, uppercase hex) of `params` under `key`.
#[napi]
pub fn sign(
    flat: String,
    count: u32,
    key: String,
    sign_type_name: Option<String>,
) -> napi::Result<String> {
    let p = params(&flat, count)?;
    let t = js(sign_type(sign_type_name))?;
    Ok(qfpay::sign::sign(&p, &key, t))
}

/// The string that is signed, without the key (sorted, empty values left out, raw values).
#[napi]
pub fn string_to_sign(flat: String, count: u32) -> napi::Result<String> {
    Ok(qfpay::sign::string_to_sign(&params(&flat, count)?))
}

/// The string to sign with the key shown as `<client_key>`, to debug a `1108`.
#[napi]
pub fn debug_string_to_sign(flat: String, count: u32) -> napi::Result<String> {
    Ok(qfpay::sign::debug_string_to_sign(&params(&flat, count)?))
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

/// Verifies a notification's `X-QF-SIGN` over the exact raw body and reads it; the
/// notification as JSON, which the wrapper parses (`JSON.parse` builds the object several
/// times faster than napi setting its properties one by one: bindings-node/BENCHMARKS.md).
#[napi]
pub fn verify_notification(
    raw_body: Either<String, Uint8Array>,
    signature: String,
    client_key: String,
) -> napi::Result<String> {
    let n = js(qfpay::notify::verify(
        bytes(&raw_body),
        &signature,
        &client_key,
    ))?;
    js(json(&n))
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

/// The addon's own allocations (the core's requests, responses, futures) go to mimalloc: with
/// glibc's malloc, the JavaScript thread and the two I/O threads free each other's allocations
/// and contend on its arenas (BENCHMARKS.md: 64 promises 24,200–26,800/s with glibc,
/// 29,100–29,800/s with mimalloc, side by side). Not in the Python and PHP bindings: mimalloc
/// has no `fork()` handlers, and those promise forked workers; a Node process does not fork
/// (`cluster` and `child_process` start new processes). glibc targets only: on musl its
/// initial-exec TLS keeps a dlopen'd addon from loading (scripts/musl-load-check.sh).
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
