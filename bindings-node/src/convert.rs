//! JavaScript values to the core's [`Value`]s: the one conversion. Names, units, types, the
//! QFPay field an error names and every rule are the core's (`qfpay::surface::apply`).
//!
//! napi hands a request or options object over as JSON; `lib/index.js` has already put a
//! stand-in `{ "\u0000qfpay:type": ... }` ([`TYPE_MARKER`]) where a value has no JSON form: the
//! type's name (`a Buffer`), [`BAD_TEXT`] for a string with a lone surrogate, or `NaN` /
//! `Infinity` / `-Infinity` for a number JSON cannot hold.

use qfpay::surface::apply::TYPE_MARKER;
use qfpay::surface::spec::Kind;
use qfpay::surface::{Lang, Operation, Request, Value, apply};
use serde_json::Value as Json;

/// The stand-in's type for a string with a lone surrogate (`lib/index.js` puts it).
const BAD_TEXT: &str = "\u{0}bad text";

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JavaScript value (as napi's JSON, with `lib/index.js`'s stand-ins) as a core [`Value`]. A
/// whole number JavaScript holds exactly is an integer, whatever napi made of it.
pub fn value(v: Option<Json>) -> Value {
    let Some(v) = v else { return Value::Null };
    match v {
        Json::Number(n) => match n.as_f64() {
            Some(f) if n.as_i64().is_none() && f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER => {
                // Whole and within 2^53: the cast is exact.
                #[allow(clippy::cast_possible_truncation)]
                Value::Int(f as i64)
            }
            _ => Value::from(Json::Number(n)),
        },
        Json::Array(a) => Value::List(a.into_iter().map(|i| value(Some(i))).collect()),
        Json::Object(m) => match m.get(TYPE_MARKER) {
            Some(Json::String(t)) if m.len() == 1 => match t.as_str() {
                BAD_TEXT => Value::BadText,
                "NaN" => Value::Float(f64::NAN),
                "Infinity" => Value::Float(f64::INFINITY),
                "-Infinity" => Value::Float(f64::NEG_INFINITY),
                other => Value::Other(other.to_owned()),
            },
            _ => Value::Map(m.into_iter().map(|(k, v)| (k, value(Some(v)))).collect()),
        },
        other => Value::from(other),
    }
}

/// The operation behind JavaScript method `method` (`createPayment` → `create_payment`) and
/// its request from its JavaScript argument: the request object, the order number of
/// `findPayment(outTradeNo)` / `waitForPayment(outTradeNo)`, or the one text argument of
/// `verifyCheckoutUrl(url)`, `wechatOauthUrl(redirectUri)`, `getWechatOpenid(code)`. An
/// argument that is not an object is named `request`.
pub fn request(method: &str, first: Option<Json>) -> qfpay::Result<(&'static Operation, Request)> {
    let op = qfpay::surface::OPERATIONS
        .iter()
        .find(|o| Lang::Node.member(o.name) == method);
    let op =
        op.ok_or_else(|| crate::results::invalid("method", format!("{method:?} is not a method")))?;
    let first = value(first);
    // One required argument and no options: it stands alone (`findPayment(outTradeNo)`,
    // `verifyCheckoutUrl(url)`); one required text argument with options: the text alone, or
    // a request object (`wechatOauthUrl(redirectUri)`, `wechatOauthUrl({ redirectUri, mchid })`).
    let alone = match (op.args, &first) {
        ([_], _) if op.options.is_empty() => true,
        ([only], Value::Text(_) | Value::BadText) => only.kind == Kind::Text,
        _ => false,
    };
    let args = if alone {
        Value::Map(vec![(Lang::Node.member(op.args[0].name), first)])
    } else {
        first
    };
    match apply::request(Lang::Node, op, args) {
        Err(qfpay::Error::ArgumentType { field, rule }) if field == "options" => {
            let field = "request".to_owned();
            Err(qfpay::Error::ArgumentType { field, rule })
        }
        r => r.map(|req| (op, req)),
    }
}
