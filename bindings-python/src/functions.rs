//! Module-level functions: notification verification, signing, QR rendering.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMapping, PyMemoryView, PyString};

use qfpay::surface::{Fields, Kind};

use crate::convert::{field, invalid, text, text_ref, wrong};
use crate::errors::IntoPyResult;

const RAW_BODY_NEEDED: &str = "verify_notification needs the raw request body (bytes, or str as \
    its UTF-8 text) exactly as QFPay sent it, got {ty}: the signature covers the exact bytes, so \
    a parsed or re-serialised body (dict, json.loads(...), request.json) cannot be verified; pass \
    request.body / request.get_data() / rfile.read(length) instead";

/// A notification body as bytes (a `str` as its UTF-8 text); else `ArgumentTypeError`.
fn raw_body_bytes(raw_body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let py = raw_body.py();
    if let Ok(b) = raw_body.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    } else if raw_body.is_instance_of::<PyString>() {
        return Ok(text("raw_body", raw_body)?.into_bytes());
    } else if raw_body.is_instance_of::<PyByteArray>() || raw_body.is_instance_of::<PyMemoryView>()
    {
        let bytes = py.get_type::<PyBytes>().call1((raw_body,))?;
        return Ok(bytes.cast_into::<PyBytes>()?.as_bytes().to_vec());
    }
    let ty = crate::convert::type_name(raw_body);
    Err(wrong(py, "raw_body", &RAW_BODY_NEEDED.replace("{ty}", &ty)))
}

/// Verifies a notification's `X-QF-SIGN` against the raw body (`bytes`, `bytearray`,
/// `memoryview`, or `str` as its UTF-8 text) and the client key, then parses it.
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
    crate::results::keep(py, n)
}

/// The `X-QF-SIGN` QFPay would send with a notification body (for tests of a receiver).
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

/// The pairs of `params`, a mapping (a dict, or anything with `items()`).
fn params_of<'py>(params: &Bound<'py, PyAny>) -> PyResult<Pairs<'py>> {
    let items = match params.cast::<PyDict>() {
        Ok(dict) => dict.items(),
        Err(_) => match params.cast::<PyMapping>() {
            Ok(m) => m.items()?,
            Err(_) => {
                let got = crate::convert::type_name(params);
                let rule = format!("must be a mapping of names to values, not {got}");
                return Err(wrong(params.py(), "params", &rule));
            }
        },
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items.iter() {
        let (k, v) = item.extract()?;
        out.extend(pair_of(k, v)?);
    }
    Ok(out)
}

/// A parameter name or value as `&str`; a lone surrogate is refused (never quoted).
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

/// The request signature (`X-QF-SIGN`) of `params` (values that are not `str` by `str()`).
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
        // The common case, without a heap allocation: `&str`s borrowed from the dict's strings.
        let mut held: [Option<(Bound<'_, PyString>, Bound<'_, PyString>)>; INLINE_PAIRS] =
            [const { None }; INLINE_PAIRS];
        let mut n = 0;
        for (k, v) in dict.iter() {
            if let Some(pair) = pair_of(k, v)? {
                // Only `str()` of a value runs Python code here (and could grow the dict).
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
    let scale = match scale {
        Some(s) => field("scale", Kind::Count, s, Fields::count)?.unwrap_or(8),
        None => 8,
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
