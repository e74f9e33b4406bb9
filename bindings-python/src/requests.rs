//! Python arguments to core requests. Only type conversions live here: every QFPay rule is
//! checked by the core (`validate()` runs inside each core call, before anything is sent).

use std::time::Duration;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString};
use qfpay::{
    CancelRequest, Currency, ExtendInfo, Money, PayType, PaymentRequest, QueryRequest,
    RefundRequest,
};

use crate::errors::to_py_err;

/// A validation error for a value that cannot even be represented in the core's types.
fn out_of_range(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyErr {
    let shown = value.repr().map(|r| r.to_string()).unwrap_or_default();
    to_py_err(
        py,
        &qfpay::Error::Validation {
            field: field.to_owned(),
            rule: format!("is out of range (got {shown})"),
        },
    )
}

/// An integer argument (`bool` refused), converted to the core's integer type.
pub fn int_arg<T: TryFrom<i64>>(field: &str, value: &Bound<'_, PyAny>) -> PyResult<T> {
    let py = value.py();
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be an int, not bool"
        )));
    }
    let wide: i64 = match value.extract() {
        Ok(v) => v,
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) => {
            return Err(out_of_range(py, field, value));
        }
        Err(_) => {
            let ty = value
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            return Err(PyTypeError::new_err(format!(
                "{field} must be an int (minor units for amounts), not {ty}"
            )));
        }
    };
    T::try_from(wide).map_err(|_| out_of_range(py, field, value))
}

fn opt_int<T: TryFrom<i64>>(field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<T>> {
    value
        .filter(|v| !v.is_none())
        .map(|v| int_arg(field, v))
        .transpose()
}

/// An amount in minor units with its currency code.
pub fn money(amount: &Bound<'_, PyAny>, currency: &str) -> PyResult<Money> {
    let py = amount.py();
    let amount: i64 = int_arg("txamt", amount)?;
    let currency = Currency::parse(currency).map_err(|e| to_py_err(py, &e))?;
    Ok(Money::new(amount, currency))
}

/// Seconds (a positive finite float) as a duration; `what` names the argument in the error.
pub fn seconds(py: Python<'_>, what: &str, secs: f64) -> PyResult<Duration> {
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => Err(to_py_err(
            py,
            &qfpay::Error::Config(format!(
                "{what} must be a positive number of seconds (got {secs})"
            )),
        )),
    }
}

/// `str` or a sequence of `str` as a list.
fn str_list(field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(vec![s.to_str()?.to_owned()]);
    }
    value
        .extract::<Vec<String>>()
        .map_err(|_| PyTypeError::new_err(format!("{field} must be a str or a list of str")))
}

fn extend_info(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ExtendInfo>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Some(ExtendInfo::Json(s.to_str()?.to_owned())));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let creid = d.get_item("user_creid")?;
        let name = d.get_item("user_truename")?;
        if creid.is_some() || name.is_some() {
            let text = |v: Option<Bound<'_, PyAny>>| -> PyResult<String> {
                match v {
                    Some(v) => v
                        .extract::<String>()
                        .map_err(|_| PyTypeError::new_err("extend_info values must be str")),
                    None => Ok(String::new()),
                }
            };
            return Ok(Some(ExtendInfo::real_name(text(creid)?, text(name)?)));
        }
        let json = value.py().import("json")?;
        let kwargs = PyDict::new(value.py());
        kwargs.set_item("separators", (",", ":"))?;
        let text: String = json.call_method("dumps", (d,), Some(&kwargs))?.extract()?;
        return Ok(Some(ExtendInfo::Json(text)));
    }
    Err(PyTypeError::new_err(
        "extend_info must be a dict ({\"user_creid\": ..., \"user_truename\": ...}) or a JSON str",
    ))
}

/// Optional fields of a payment, by their QFPay names.
#[derive(Default)]
pub struct PaymentArgs<'a, 'py> {
    pub out_trade_no: Option<String>,
    pub txdtm: Option<String>,
    pub auth_code: Option<String>,
    pub expired_time: Option<&'a Bound<'py, PyAny>>,
    pub goods_name: Option<String>,
    pub goods_info: Option<String>,
    pub mchid: Option<String>,
    pub udid: Option<String>,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    pub rmb_tag: Option<String>,
    pub extend_info: Option<&'a Bound<'py, PyAny>>,
    pub limit_pay: Option<String>,
    pub pay_tag: Option<String>,
    pub sub_openid: Option<String>,
}

/// A payment request (not yet validated: the core does that when it is sent).
pub fn payment(
    amount: &Bound<'_, PyAny>,
    currency: &str,
    pay_type: &str,
    a: PaymentArgs<'_, '_>,
) -> PyResult<PaymentRequest> {
    let mut req = PaymentRequest::new(money(amount, currency)?, PayType::from_code(pay_type));
    req.out_trade_no = a.out_trade_no;
    req.txdtm = a.txdtm;
    req.auth_code = a.auth_code;
    req.expired_time = opt_int("expired_time", a.expired_time)?;
    req.goods_name = a.goods_name;
    req.goods_info = a.goods_info;
    req.mchid = a.mchid;
    req.udid = a.udid;
    req.notify_url = a.notify_url;
    req.return_url = a.return_url;
    req.rmb_tag = a.rmb_tag;
    req.extend_info = extend_info(a.extend_info)?;
    req.limit_pay = a.limit_pay;
    req.pay_tag = a.pay_tag;
    req.sub_openid = a.sub_openid;
    Ok(req)
}

/// Query filters, by their QFPay names.
#[derive(Default)]
pub struct QueryArgs<'a, 'py> {
    pub syssn: Option<&'a Bound<'py, PyAny>>,
    pub out_trade_no: Option<&'a Bound<'py, PyAny>>,
    pub pay_type: Option<&'a Bound<'py, PyAny>>,
    pub respcd: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub page: Option<&'a Bound<'py, PyAny>>,
    pub page_size: Option<&'a Bound<'py, PyAny>>,
    pub mchid: Option<String>,
}

/// A query request.
pub fn query(a: QueryArgs<'_, '_>) -> PyResult<QueryRequest> {
    Ok(QueryRequest {
        syssn: str_list("syssn", a.syssn)?,
        out_trade_no: str_list("out_trade_no", a.out_trade_no)?,
        pay_type: str_list("pay_type", a.pay_type)?
            .iter()
            .map(|c| PayType::from_code(c))
            .collect(),
        respcd: a.respcd,
        start_time: a.start_time,
        end_time: a.end_time,
        page: opt_int("page", a.page)?,
        page_size: opt_int("page_size", a.page_size)?,
        mchid: a.mchid,
    })
}

/// A refund request.
pub fn refund(
    syssn: String,
    amount: &Bound<'_, PyAny>,
    currency: &str,
    out_trade_no: Option<String>,
    txdtm: Option<String>,
    mchid: Option<String>,
    udid: Option<String>,
) -> PyResult<RefundRequest> {
    let mut req = RefundRequest::new(syssn, money(amount, currency)?);
    req.out_trade_no = out_trade_no;
    req.txdtm = txdtm;
    req.mchid = mchid;
    req.udid = udid;
    Ok(req)
}

/// A close or reversal request (by `syssn` or `out_trade_no`).
pub fn cancel(
    syssn: Option<String>,
    out_trade_no: Option<String>,
    amount: &Bound<'_, PyAny>,
    currency: &str,
    txdtm: Option<String>,
    mchid: Option<String>,
    udid: Option<String>,
) -> PyResult<CancelRequest> {
    Ok(CancelRequest {
        syssn,
        out_trade_no,
        amount: money(amount, currency)?,
        txdtm,
        mchid,
        udid,
    })
}
