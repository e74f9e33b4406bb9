//! The module's functions: signing, notification verification, QR codes, order numbers and
//! the `QFPAY_LOG` setting as the core reads it.

use napi::Either;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;
use qfpay::events::{EventKind, Level};

use crate::results::{invalid, js, json, to_napi};
use serde_json::{Value, json};

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

/// `QFPAY_LOG` as the core reads it (once per process, by `qfpay::log_filter`), for the default
/// logger of `lib/events.js`: `{ filter, warning }`. `filter`: `{ maxLevel, allowed, bodies,
/// configWarnings }` (per event kind: whether its events pass, and its bodies too, its target
/// being logged at `trace`), absent when it turns logging off (unset, empty, `off`, or a value
/// that cannot be used). `warning`: about a value that cannot be used (never quoting it), the
/// first time it is asked for in this process only.
#[napi]
pub fn env_log() -> Value {
    let log = qfpay::log_filter::env_log();
    let per_kind = |f: &dyn Fn(EventKind) -> bool| {
        let kinds = EventKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), Value::Bool(f(*k))));
        Value::Object(kinds.collect())
    };
    let filter = log.filter.as_ref().and_then(|filter| {
        Some(json!({
            "maxLevel": filter.max_level()?.as_str(),
            "allowed": per_kind(&|k| filter.allows(k)),
            "bodies": per_kind(&|k| filter.level_for(k.target()) == Some(Level::Trace)),
            "configWarnings": filter.allows_config_warnings(),
        }))
    });
    json!({ "filter": filter, "warning": log.take_warning() })
}

/// Signing parameters flattened by the wrapper into one string, `key NUL value NUL` per pair
/// (`count` pairs): one crossing instead of one per property, and no `serde_json::Value`. The
/// pairs borrow from `flat` (no copy per key or value). A NUL inside a key or value changes the
/// number of parts, so it is refused, never mis-signed.
fn params(flat: &str, count: u32) -> napi::Result<Vec<(&str, &str)>> {
    let mut parts = flat.split('\0');
    let pairs = (0..count).map_while(|_| Some((parts.next()?, parts.next()?)));
    let out: Vec<_> = pairs.collect();
    // What is left is the empty part after the last NUL.
    match (parts.next(), parts.next()) {
        (Some("") | None, None) if out.len() == count as usize => Ok(out),
        _ => Err(to_napi(invalid(
            "params",
            "must not contain NUL characters",
        ))),
    }
}

/// The request signature (`X-QF-SIGN`, uppercase hex) of `params` under `key` (`signType` an
/// argument, so a validation error names it); without a key, the string that is signed
/// (sorted, empty values left out, raw values), or (`masked`) with the key shown as
/// `<client_key>`, to debug a `1108`.
#[napi]
pub fn sign(
    flat: String,
    count: u32,
    key: Option<String>,
    sign_type: Option<String>,
    masked: Option<bool>,
) -> napi::Result<String> {
    let p = params(&flat, count)?;
    let Some(key) = key else {
        let text = [
            qfpay::sign::string_to_sign,
            qfpay::sign::debug_string_to_sign,
        ];
        return Ok(text[usize::from(masked == Some(true))](&p));
    };
    let rule = "must be \"md5\" or \"sha256\" (the value is not quoted here)";
    let t = qfpay::SignType::parse(sign_type.as_deref().unwrap_or("md5"))
        .map_err(|_| invalid("signType", rule));
    Ok(qfpay::sign::sign(&p, &key, js(t)?))
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
    let body = bytes(&raw_body);
    js(qfpay::notify::verify(body, &signature, &client_key).and_then(|n| json(&n)))
}

/// A QR code of `content` as `format`: `svg` (text), `png` (a Buffer, `scale` pixels per
/// module, default 8), `dataUrl` (a `data:image/png;base64,...` URL) or `terminal` (Unicode
/// blocks).
#[napi]
pub fn qr(
    format: String,
    content: String,
    scale: Option<u32>,
) -> napi::Result<Either<String, Buffer>> {
    js(match format.as_str() {
        "svg" => qfpay::qr::svg(&content).map(Either::A),
        "png" => qfpay::qr::png(&content, scale.unwrap_or(8)).map(|b| Either::B(b.into())),
        "dataUrl" => qfpay::qr::data_url(&content).map(Either::A),
        _ => qfpay::qr::terminal(&content).map(Either::A),
    })
}

/// A fresh merchant order number (34 URL-safe characters).
#[napi]
pub fn generate_out_trade_no() -> String {
    qfpay::generate_out_trade_no()
}

/// The addon's own allocations go to mimalloc: with glibc's malloc, the JavaScript thread and
/// the I/O threads contend on its arenas (BENCHMARKS.md). Not in the Python and PHP bindings
/// (mimalloc has no `fork()` handlers; a Node process does not fork), nor on musl (its
/// initial-exec TLS keeps a dlopen'd addon from loading: scripts/musl-load-check.sh).
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
