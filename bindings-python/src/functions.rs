//! Module-level functions: notification verification, signing, QR rendering.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMapping, PyString};

use crate::convert::{int, invalid, text, text_ref, wrong};
use crate::errors::IntoPyResult;

const RAW_BODY_NEEDED: &str = "verify_notification needs the raw request body (bytes, or str as \
    its UTF-8 text) exactly as QFPay sent it, got {ty}: the signature covers the exact bytes, so \
    a parsed or re-serialised body (dict, json.loads(...), request.json) cannot be verified; pass \
    request.body / request.get_data() / rfile.read(length) instead";

/// A notification body as bytes: `bytes`, `bytearray`, `memoryview`, or `str` taken as its
/// UTF-8 text. Anything else raises `ArgumentTypeError` naming `raw_body`.
fn raw_body_bytes(raw_body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = raw_body.cast::<PyBytes>() {
        Ok(b.as_bytes().to_vec())
    } else if raw_body.is_instance_of::<PyString>() {
        Ok(text("raw_body", raw_body)?.into_bytes())
    } else if let Ok(b) = raw_body.cast::<PyByteArray>() {
        Ok(b.to_vec())
    } else if raw_body.is_instance_of::<pyo3::types::PyMemoryView>() {
        raw_body.call_method0("tobytes")?.extract::<Vec<u8>>()
    } else {
        let ty = raw_body
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "an object".into());
        Err(wrong(
            raw_body.py(),
            "raw_body",
            &RAW_BODY_NEEDED.replace("{ty}", &ty),
        ))
    }
}

/// Verifies a notification's `X-QF-SIGN` against the raw body and the client key, then parses
/// it. Raises `SignatureError` on a mismatch, `DecodeError` when the body is not a notification,
/// and `ArgumentTypeError` (a `TypeError`) naming the argument when given anything but the raw
/// body (`bytes`, `bytearray`, `memoryview`, or `str` taken as its UTF-8 bytes), a signature
/// that is not a `str` (or `None`), or a key that is not a `str`.
#[pyfunction]
#[pyo3(signature = (raw_body, signature, client_key))]
pub fn verify_notification(
    py: Python<'_>,
    raw_body: &Bound<'_, PyAny>,
    signature: Option<&Bound<'_, PyAny>>,
    client_key: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let body = raw_body_bytes(raw_body)?;
    let signature = match signature.filter(|s| !s.is_none()) {
        Some(s) => text("signature", s)?,
        None => String::new(),
    };
    let client_key = text("client_key", client_key)?;
    let n = qfpay::notify::verify(&body, &signature, &client_key).py(py)?;
    crate::results::result(py, "Notification", &n)
}

/// The expected `X-QF-SIGN` of a notification body (uppercase hex MD5 of body + key); for
/// tests of your own receiver. The body is taken as `verify_notification` takes it.
#[pyfunction]
pub fn notification_signature(
    raw_body: &Bound<'_, PyAny>,
    client_key: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let body = raw_body_bytes(raw_body)?;
    let client_key = text("client_key", client_key)?;
    Ok(qfpay::sign::notification_signature(&body, &client_key))
}

/// Name/value pairs as Python strings (borrowed as `&str` without copying when signing).
type Pairs<'py> = Vec<(Bound<'py, PyString>, Bound<'py, PyString>)>;

/// How many parameters `sign` handles without allocating (a payment sends about 5 to 12).
const INLINE_PAIRS: usize = 24;

/// A parameter as name and value strings; `None` values are left out.
fn pair_of<'py>(
    k: Bound<'py, PyAny>,
    v: Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyString>, Bound<'py, PyString>)>> {
    let py = k.py();
    let key = k.cast_into::<PyString>().map_err(|e| {
        let got = crate::convert::type_name(e.into_inner().as_any());
        wrong(
            py,
            "params",
            &format!("must be a mapping with str names, not {got}"),
        )
    })?;
    if v.is_none() {
        return Ok(None);
    }
    let value = match v.cast_into::<PyString>() {
        Ok(s) => s,
        Err(e) => e.into_inner().str()?,
    };
    Ok(Some((key, value)))
}

fn push_pair<'py>(
    out: &mut Pairs<'py>,
    k: Bound<'py, PyAny>,
    v: Bound<'py, PyAny>,
) -> PyResult<()> {
    if let Some(pair) = pair_of(k, v)? {
        out.push(pair);
    }
    Ok(())
}

fn params_of<'py>(params: &Bound<'py, PyAny>) -> PyResult<Pairs<'py>> {
    if let Ok(dict) = params.cast::<PyDict>() {
        let mut out = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            push_pair(&mut out, k, v)?;
        }
        return Ok(out);
    }
    let mapping = params.cast::<PyMapping>().map_err(|_| {
        let got = crate::convert::type_name(params);
        wrong(
            params.py(),
            "params",
            &format!("must be a mapping of names to values, not {got}"),
        )
    })?;
    let mut out = Vec::with_capacity(mapping.len()?);
    for item in mapping.items()?.iter() {
        let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
        push_pair(&mut out, k, v)?;
    }
    Ok(out)
}

/// A parameter name or value as `&str`; a lone surrogate is refused naming `params` (the
/// value itself is never quoted, nor kept in the error).
fn param_str<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    s.to_str().map_err(|_| {
        invalid(
            s.py(),
            "params",
            "hold a name or value that is not valid Unicode text (it contains a lone surrogate)",
        )
    })
}

fn borrowed<'a>(params: &'a Pairs<'_>) -> PyResult<Vec<(&'a str, &'a str)>> {
    params
        .iter()
        .map(|(k, v)| Ok((param_str(k)?, param_str(v)?)))
        .collect()
}

/// The request signature (`X-QF-SIGN`): parameters sorted by name, empty values and `None`
/// left out, `k=v` joined by `&`, the key appended, hashed (`"md5"` or `"sha256"`), uppercase
/// hex. Values that are not `str` are converted with `str()`.
#[pyfunction]
#[pyo3(signature = (params, client_key, sign_type = None), text_signature = "(params, client_key, sign_type='md5')")]
pub fn sign(
    params: &Bound<'_, PyAny>,
    client_key: &Bound<'_, PyAny>,
    sign_type: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let client_key = text_ref("client_key", client_key)?;
    let sign_type = match sign_type.filter(|s| !s.is_none()) {
        None => qfpay::SignType::Md5,
        Some(s) => qfpay::SignType::parse(text_ref("sign_type", s)?).py(s.py())?,
    };
    if let Ok(dict) = params.cast::<PyDict>()
        && dict.len() <= INLINE_PAIRS
    {
        // The common case, without a heap allocation in the binding: the values are borrowed
        // as `&str` straight from the dict's own strings (kept alive by `held`).
        let mut held: [Option<(Bound<'_, PyString>, Bound<'_, PyString>)>; INLINE_PAIRS] =
            [const { None }; INLINE_PAIRS];
        let mut n = 0;
        for (k, v) in dict.iter() {
            if let Some(pair) = pair_of(k, v)? {
                // The dict cannot grow while we iterate it (no Python code runs here except
                // `str()` of a non-str value, which could mutate it): stop at the capacity.
                if n == INLINE_PAIRS {
                    return Err(PyRuntimeError::new_err(
                        "params changed size during signing",
                    ));
                }
                held[n] = Some(pair);
                n += 1;
            }
        }
        let mut pairs: [(&str, &str); INLINE_PAIRS] = [("", ""); INLINE_PAIRS];
        for (slot, pair) in pairs.iter_mut().zip(held.iter().flatten()) {
            *slot = (param_str(&pair.0)?, param_str(&pair.1)?);
        }
        return Ok(qfpay::sign::sign(&pairs[..n], client_key, sign_type));
    }
    let owned = params_of(params)?;
    let pairs = borrowed(&owned)?;
    Ok(qfpay::sign::sign(&pairs, client_key, sign_type))
}

/// The string that is signed, without the key (for debugging a `1108` signature error).
#[pyfunction]
pub fn string_to_sign(params: &Bound<'_, PyAny>) -> PyResult<String> {
    let owned = params_of(params)?;
    let pairs = borrowed(&owned)?;
    Ok(qfpay::sign::string_to_sign(&pairs))
}

/// The QR code for `content` (a payment's `qrcode`) as an SVG document.
#[pyfunction]
pub fn qr_svg(py: Python<'_>, content: &Bound<'_, PyAny>) -> PyResult<String> {
    qfpay::qr::svg(&text("content", content)?).py(py)
}

/// The QR code for `content` as PNG bytes, `scale` pixels per module.
#[pyfunction]
#[pyo3(signature = (content, scale = None), text_signature = "(content, scale=8)")]
pub fn qr_png<'py>(
    py: Python<'py>,
    content: &Bound<'py, PyAny>,
    scale: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let content = text("content", content)?;
    let scale: u32 = match scale.filter(|s| !s.is_none()) {
        None => 8,
        Some(s) => int("scale", s)?,
    };
    let png = qfpay::qr::png(&content, scale).py(py)?;
    Ok(PyBytes::new(py, &png))
}

/// The QR code for `content` as a `data:image/png;base64,...` URL (for an `<img src>`).
#[pyfunction]
pub fn qr_data_url(py: Python<'_>, content: &Bound<'_, PyAny>) -> PyResult<String> {
    qfpay::qr::data_url(&text("content", content)?).py(py)
}

/// The QR code for `content` as text for a terminal.
#[pyfunction]
pub fn qr_terminal(py: Python<'_>, content: &Bound<'_, PyAny>) -> PyResult<String> {
    qfpay::qr::terminal(&text("content", content)?).py(py)
}

/// A fresh merchant order number (34 URL-safe characters).
#[pyfunction]
pub fn generate_out_trade_no() -> String {
    qfpay::generate_out_trade_no()
}
