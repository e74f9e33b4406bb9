//! Python arguments to core requests. Only type conversions live here: every QFPay rule is
//! checked by the core (`validate()` runs inside each core call, before anything is sent).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use qfpay::{
    CancelRequest, Currency, ExtendInfo, Money, PayType, PaymentRequest, QueryRequest,
    RefundRequest,
};

use crate::convert::{int_arg, opt_int, opt_text, text, wrong_type};
use crate::errors::to_py_err;

/// An amount in minor units with its currency code. Problems are reported as QFPay's fields
/// (`txamt`, `txcurrcd`), naming the arguments (`amount`, `currency`) in the message.
pub fn money(amount: &Bound<'_, PyAny>, currency: &Bound<'_, PyAny>) -> PyResult<Money> {
    if amount.is_instance_of::<PyBool>() || !amount.is_instance_of::<PyInt>() {
        return Err(wrong_type(
            "amount",
            "an int (a whole number of minor units: 300 is HK$3.00)",
            amount,
        ));
    }
    let amount: i64 = int_arg("amount", amount)?;
    Ok(Money::new(amount, self::currency(currency)?))
}

/// A currency code (the core's rule and message: an unknown value is quoted only when it is
/// short enough to be a code).
fn currency(value: &Bound<'_, PyAny>) -> PyResult<Currency> {
    Currency::parse(&text("currency", value)?).map_err(|e| to_py_err(value.py(), &e))
}

/// `str` or a list/tuple of `str` as a list.
fn str_list(field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if value.is_instance_of::<PyString>() {
        return Ok(vec![text(field, value)?]);
    }
    if !(value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>()) {
        return Err(wrong_type(field, "a str or a list of str", value));
    }
    let mut out = Vec::new();
    for item in value.try_iter()? {
        let item = item?;
        if !item.is_instance_of::<PyString>() {
            return Err(wrong_type(field, "a str or a list of str", &item));
        }
        out.push(text(field, &item)?);
    }
    Ok(out)
}

fn extend_info(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ExtendInfo>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyString>() {
        return Ok(Some(ExtendInfo::Json(text("extend_info", value)?)));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let creid = d.get_item("user_creid")?;
        let name = d.get_item("user_truename")?;
        if creid.is_some() || name.is_some() {
            let value_of = |key: &str, v: Option<Bound<'_, PyAny>>| -> PyResult<String> {
                match v {
                    Some(v) => text(&format!("extend_info.{key}"), &v),
                    None => Ok(String::new()),
                }
            };
            return Ok(Some(ExtendInfo::real_name(
                value_of("user_creid", creid)?,
                value_of("user_truename", name)?,
            )));
        }
        let json = value.py().import("json")?;
        let kwargs = PyDict::new(value.py());
        kwargs.set_item("separators", (",", ":"))?;
        let text: String = json.call_method("dumps", (d,), Some(&kwargs))?.extract()?;
        return Ok(Some(ExtendInfo::Json(text)));
    }
    Err(wrong_type(
        "extend_info",
        "a dict ({\"user_creid\": ..., \"user_truename\": ...}) or a JSON str",
        value,
    ))
}

/// Optional fields of a payment, by their QFPay names (converted here, naming each).
#[derive(Default)]
pub struct PaymentArgs<'a, 'py> {
    pub out_trade_no: Option<&'a Bound<'py, PyAny>>,
    pub txdtm: Option<&'a Bound<'py, PyAny>>,
    pub auth_code: Option<&'a Bound<'py, PyAny>>,
    pub expired_time: Option<&'a Bound<'py, PyAny>>,
    pub goods_name: Option<&'a Bound<'py, PyAny>>,
    pub goods_info: Option<&'a Bound<'py, PyAny>>,
    pub mchid: Option<&'a Bound<'py, PyAny>>,
    pub udid: Option<&'a Bound<'py, PyAny>>,
    pub notify_url: Option<&'a Bound<'py, PyAny>>,
    pub return_url: Option<&'a Bound<'py, PyAny>>,
    pub rmb_tag: Option<&'a Bound<'py, PyAny>>,
    pub extend_info: Option<&'a Bound<'py, PyAny>>,
    pub limit_pay: Option<&'a Bound<'py, PyAny>>,
    pub pay_tag: Option<&'a Bound<'py, PyAny>>,
    pub sub_openid: Option<&'a Bound<'py, PyAny>>,
}

/// A payment request (not yet validated: the core does that when it is sent).
pub fn payment(
    amount: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    pay_type: &Bound<'_, PyAny>,
    a: PaymentArgs<'_, '_>,
) -> PyResult<PaymentRequest> {
    let pay_type = text("pay_type", pay_type)?;
    let mut req = PaymentRequest::new(money(amount, currency)?, PayType::from_code(&pay_type));
    req.out_trade_no = opt_text("out_trade_no", a.out_trade_no)?;
    req.txdtm = opt_text("txdtm", a.txdtm)?;
    req.auth_code = opt_text("auth_code", a.auth_code)?;
    req.expired_time = opt_int("expired_time", a.expired_time)?;
    req.goods_name = opt_text("goods_name", a.goods_name)?;
    req.goods_info = opt_text("goods_info", a.goods_info)?;
    req.mchid = opt_text("mchid", a.mchid)?;
    req.udid = opt_text("udid", a.udid)?;
    req.notify_url = opt_text("notify_url", a.notify_url)?;
    req.return_url = opt_text("return_url", a.return_url)?;
    req.rmb_tag = opt_text("rmb_tag", a.rmb_tag)?;
    req.extend_info = extend_info(a.extend_info)?;
    req.limit_pay = opt_text("limit_pay", a.limit_pay)?;
    req.pay_tag = opt_text("pay_tag", a.pay_tag)?;
    req.sub_openid = opt_text("sub_openid", a.sub_openid)?;
    Ok(req)
}

/// Query filters, by their QFPay names.
#[derive(Default)]
pub struct QueryArgs<'a, 'py> {
    pub syssn: Option<&'a Bound<'py, PyAny>>,
    pub out_trade_no: Option<&'a Bound<'py, PyAny>>,
    pub pay_type: Option<&'a Bound<'py, PyAny>>,
    pub respcd: Option<&'a Bound<'py, PyAny>>,
    pub start_time: Option<&'a Bound<'py, PyAny>>,
    pub end_time: Option<&'a Bound<'py, PyAny>>,
    pub page: Option<&'a Bound<'py, PyAny>>,
    pub page_size: Option<&'a Bound<'py, PyAny>>,
    pub mchid: Option<&'a Bound<'py, PyAny>>,
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
        respcd: opt_text("respcd", a.respcd)?,
        start_time: opt_text("start_time", a.start_time)?,
        end_time: opt_text("end_time", a.end_time)?,
        page: opt_int("page", a.page)?,
        page_size: opt_int("page_size", a.page_size)?,
        mchid: opt_text("mchid", a.mchid)?,
    })
}

/// Optional fields of a refund, close or reversal (by their QFPay names).
#[derive(Default)]
pub struct OrderArgs<'a, 'py> {
    pub syssn: Option<&'a Bound<'py, PyAny>>,
    pub out_trade_no: Option<&'a Bound<'py, PyAny>>,
    pub txdtm: Option<&'a Bound<'py, PyAny>>,
    pub mchid: Option<&'a Bound<'py, PyAny>>,
    pub udid: Option<&'a Bound<'py, PyAny>>,
}

/// A refund request.
pub fn refund(
    syssn: &Bound<'_, PyAny>,
    amount: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    a: OrderArgs<'_, '_>,
) -> PyResult<RefundRequest> {
    let mut req = RefundRequest::new(text("syssn", syssn)?, money(amount, currency)?);
    req.out_trade_no = opt_text("out_trade_no", a.out_trade_no)?;
    req.txdtm = opt_text("txdtm", a.txdtm)?;
    req.mchid = opt_text("mchid", a.mchid)?;
    req.udid = opt_text("udid", a.udid)?;
    Ok(req)
}

/// A close or reversal request (by `syssn` or `out_trade_no`).
pub fn cancel(
    amount: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    a: OrderArgs<'_, '_>,
) -> PyResult<CancelRequest> {
    Ok(CancelRequest {
        syssn: opt_text("syssn", a.syssn)?,
        out_trade_no: opt_text("out_trade_no", a.out_trade_no)?,
        amount: money(amount, currency)?,
        txdtm: opt_text("txdtm", a.txdtm)?,
        mchid: opt_text("mchid", a.mchid)?,
        udid: opt_text("udid", a.udid)?,
    })
}
