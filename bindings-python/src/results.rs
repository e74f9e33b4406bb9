//! Typed results: frozen classes with attributes, a `raw` dict with every field QFPay sent,
//! and a `repr` that names the order (results never hold a secret).

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

/// A JSON value as a Python object (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)
            }
        }
        Value::String(s) => s.into_bound_py_any(py),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Value::Object(map) => Ok(raw_to_dict(py, map)?.into_any()),
    }
}

/// Every field of a QFPay object as a new `dict`.
pub fn raw_to_dict<'py>(py: Python<'py>, raw: &qfpay::RawMap) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in raw {
        dict.set_item(k, json_to_py(py, v)?)?;
    }
    Ok(dict)
}

fn repr_fields(name: &str, fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("{name}({})", inner.join(", "))
}

fn q(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("{s:?}").replace('"', "'")
    }
}

fn q_opt(s: Option<&str>) -> String {
    s.map(q).unwrap_or_default()
}

/// The answer to a payment request. For WeChat QR (800201), `qrcode` is what the customer
/// scans (draw it with the module's `qr_svg`/`qr_png`/`qr_data_url`/`qr_terminal`); the order
/// is unpaid until they do.
#[pyclass(frozen, module = "qfpay", name = "Payment")]
pub struct Payment {
    /// QFPay's transaction number.
    #[pyo3(get)]
    pub syssn: String,
    /// The merchant order number.
    #[pyo3(get)]
    pub out_trade_no: String,
    /// The pay type code (`"800201"`).
    #[pyo3(get)]
    pub pay_type: String,
    /// Amount in minor units.
    #[pyo3(get)]
    pub txamt: i64,
    /// Currency code.
    #[pyo3(get)]
    pub txcurrcd: String,
    /// The request time sent.
    #[pyo3(get)]
    pub txdtm: String,
    /// QFPay's system time.
    #[pyo3(get)]
    pub sysdtm: String,
    /// Payment time, when paid.
    #[pyo3(get)]
    pub paydtm: String,
    /// The QR code content to show (MPM pay types).
    #[pyo3(get)]
    pub qrcode: Option<String>,
    /// A payment page URL (online pay types).
    #[pyo3(get)]
    pub pay_url: Option<String>,
    /// The wallet's transaction number.
    #[pyo3(get)]
    pub chnlsn: String,
    /// Card number field (usually empty).
    #[pyo3(get)]
    pub cardcd: String,
    /// The device id.
    #[pyo3(get)]
    pub udid: String,
    /// `respcd` (`"0000"` on success).
    #[pyo3(get)]
    pub respcd: String,
    /// `resperr`.
    #[pyo3(get)]
    pub resperr: String,
    /// `respmsg`.
    #[pyo3(get)]
    pub respmsg: String,
    raw: qfpay::RawMap,
}

impl From<qfpay::Payment> for Payment {
    fn from(p: qfpay::Payment) -> Self {
        Self {
            syssn: p.syssn,
            out_trade_no: p.out_trade_no,
            pay_type: p.pay_type.code().to_owned(),
            txamt: p.txamt,
            txcurrcd: p.txcurrcd,
            txdtm: p.txdtm,
            sysdtm: p.sysdtm,
            paydtm: p.paydtm,
            qrcode: p.qrcode,
            pay_url: p.pay_url,
            chnlsn: p.chnlsn,
            cardcd: p.cardcd,
            udid: p.udid,
            respcd: p.respcd,
            resperr: p.resperr,
            respmsg: p.respmsg,
            raw: p.raw,
        }
    }
}

#[pymethods]
impl Payment {
    /// Every field QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __repr__(&self) -> String {
        repr_fields(
            "Payment",
            &[
                ("syssn", q(&self.syssn)),
                ("out_trade_no", q(&self.out_trade_no)),
                ("pay_type", q(&self.pay_type)),
                ("txamt", self.txamt.to_string()),
                ("txcurrcd", q(&self.txcurrcd)),
                ("respcd", q(&self.respcd)),
                ("qrcode", q_opt(self.qrcode.as_deref())),
            ],
        )
    }
}

/// A transaction as a query returns it, with its interpreted `state`.
#[pyclass(frozen, module = "qfpay", name = "Transaction")]
pub struct Transaction {
    /// QFPay's transaction number.
    #[pyo3(get)]
    pub syssn: String,
    /// The merchant order number.
    #[pyo3(get)]
    pub out_trade_no: String,
    /// `"payment"` or `"refund"`.
    #[pyo3(get)]
    pub order_type: String,
    /// For a refund, the original transaction's number.
    #[pyo3(get)]
    pub origssn: Option<String>,
    /// The pay type code.
    #[pyo3(get)]
    pub pay_type: String,
    /// Amount in minor units.
    #[pyo3(get)]
    pub txamt: i64,
    /// Currency code.
    #[pyo3(get)]
    pub txcurrcd: String,
    /// The request time.
    #[pyo3(get)]
    pub txdtm: String,
    /// QFPay's system time.
    #[pyo3(get)]
    pub sysdtm: String,
    /// Payment time.
    #[pyo3(get)]
    pub paydtm: String,
    /// The transaction's `respcd`.
    #[pyo3(get)]
    pub respcd: String,
    /// The transaction's error message, if any.
    #[pyo3(get)]
    pub errmsg: String,
    /// The cancel/refund flag QFPay sent.
    #[pyo3(get)]
    pub cancel: String,
    /// Goods name.
    #[pyo3(get)]
    pub goods_name: String,
    /// The wallet's transaction number.
    #[pyo3(get)]
    pub chnlsn: String,
    /// `"succeeded"`, `"pending"`, `"failed"`, `"refunded"`, `"partially_refunded"` or `"cancelled"`.
    #[pyo3(get)]
    pub state: &'static str,
    /// Whether money was taken (succeeded, refunded or partially refunded).
    #[pyo3(get)]
    pub is_paid: bool,
    /// Whether this record is a refund.
    #[pyo3(get)]
    pub is_refund: bool,
    raw: qfpay::RawMap,
}

impl From<qfpay::Transaction> for Transaction {
    fn from(t: qfpay::Transaction) -> Self {
        // The computed values are core's (`Transaction::is_paid`, `is_refund`), taken before
        // the fields are moved out.
        let (is_paid, is_refund) = (t.is_paid(), t.is_refund());
        Self {
            syssn: t.syssn,
            out_trade_no: t.out_trade_no,
            order_type: t.order_type,
            origssn: t.origssn,
            pay_type: t.pay_type.code().to_owned(),
            txamt: t.txamt,
            txcurrcd: t.txcurrcd,
            txdtm: t.txdtm,
            sysdtm: t.sysdtm,
            paydtm: t.paydtm,
            respcd: t.respcd,
            errmsg: t.errmsg,
            cancel: t.cancel,
            goods_name: t.goods_name,
            chnlsn: t.chnlsn,
            state: t.state.as_str(),
            is_paid,
            is_refund,
            raw: t.raw,
        }
    }
}

#[pymethods]
impl Transaction {
    /// Every field QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __repr__(&self) -> String {
        repr_fields(
            "Transaction",
            &[
                ("syssn", q(&self.syssn)),
                ("out_trade_no", q(&self.out_trade_no)),
                ("order_type", q(&self.order_type)),
                ("pay_type", q(&self.pay_type)),
                ("txamt", self.txamt.to_string()),
                ("txcurrcd", q(&self.txcurrcd)),
                ("state", q(self.state)),
                ("respcd", q(&self.respcd)),
            ],
        )
    }
}

/// One page of query results. Iterating over it yields its transactions.
#[pyclass(frozen, module = "qfpay", name = "QueryPage")]
pub struct QueryPage {
    /// The page number.
    #[pyo3(get)]
    pub page: u32,
    /// The page size.
    #[pyo3(get)]
    pub page_size: u32,
    data: Vec<Py<Transaction>>,
    raw: qfpay::RawMap,
}

impl QueryPage {
    /// Converts a core page (creates the transaction objects).
    pub fn from_core(py: Python<'_>, p: qfpay::QueryPage) -> PyResult<Self> {
        let data = p
            .data
            .into_iter()
            .map(|t| Py::new(py, Transaction::from(t)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            page: p.page,
            page_size: p.page_size,
            data,
            raw: p.raw,
        })
    }
}

#[pymethods]
impl QueryPage {
    /// The transactions on this page.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.data.iter().map(|t| t.clone_ref(py)))
    }

    /// Every field of the envelope QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __len__(&self) -> usize {
        self.data.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.data(py)?.try_iter().map(Bound::into_any)
    }

    fn __repr__(&self) -> String {
        format!(
            "QueryPage(page={}, page_size={}, records={})",
            self.page,
            self.page_size,
            self.data.len()
        )
    }
}

/// The answer to a refund request.
#[pyclass(frozen, module = "qfpay", name = "Refund")]
pub struct Refund {
    /// The refund's own transaction number.
    #[pyo3(get)]
    pub syssn: String,
    /// The refunded payment's transaction number.
    #[pyo3(get)]
    pub orig_syssn: String,
    /// The refund's own merchant order number.
    #[pyo3(get)]
    pub out_trade_no: String,
    /// Refunded amount in minor units.
    #[pyo3(get)]
    pub txamt: i64,
    /// Currency code.
    #[pyo3(get)]
    pub txcurrcd: String,
    /// The request time.
    #[pyo3(get)]
    pub txdtm: String,
    /// QFPay's system time.
    #[pyo3(get)]
    pub sysdtm: String,
    /// `respcd`.
    #[pyo3(get)]
    pub respcd: String,
    /// `resperr`.
    #[pyo3(get)]
    pub resperr: String,
    /// `respmsg`.
    #[pyo3(get)]
    pub respmsg: String,
    raw: qfpay::RawMap,
}

impl From<qfpay::Refund> for Refund {
    fn from(r: qfpay::Refund) -> Self {
        Self {
            syssn: r.syssn,
            orig_syssn: r.orig_syssn,
            out_trade_no: r.out_trade_no,
            txamt: r.txamt,
            txcurrcd: r.txcurrcd,
            txdtm: r.txdtm,
            sysdtm: r.sysdtm,
            respcd: r.respcd,
            resperr: r.resperr,
            respmsg: r.respmsg,
            raw: r.raw,
        }
    }
}

#[pymethods]
impl Refund {
    /// Every field QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __repr__(&self) -> String {
        repr_fields(
            "Refund",
            &[
                ("syssn", q(&self.syssn)),
                ("orig_syssn", q(&self.orig_syssn)),
                ("out_trade_no", q(&self.out_trade_no)),
                ("txamt", self.txamt.to_string()),
                ("txcurrcd", q(&self.txcurrcd)),
                ("respcd", q(&self.respcd)),
            ],
        )
    }
}

/// The answer to a close or reversal.
#[pyclass(frozen, module = "qfpay", name = "Cancellation")]
pub struct Cancellation {
    /// The cancellation's own transaction number (empty when learned by a query).
    #[pyo3(get)]
    pub syssn: String,
    /// The cancelled transaction's number.
    #[pyo3(get)]
    pub orig_syssn: String,
    /// The cancelled transaction's merchant order number.
    #[pyo3(get)]
    pub out_trade_no: String,
    /// Amount in minor units.
    #[pyo3(get)]
    pub txamt: i64,
    /// `respcd`.
    #[pyo3(get)]
    pub respcd: String,
    /// `resperr`.
    #[pyo3(get)]
    pub resperr: String,
    /// `respmsg`.
    #[pyo3(get)]
    pub respmsg: String,
    raw: qfpay::RawMap,
}

impl From<qfpay::Cancellation> for Cancellation {
    fn from(c: qfpay::Cancellation) -> Self {
        Self {
            syssn: c.syssn,
            orig_syssn: c.orig_syssn,
            out_trade_no: c.out_trade_no,
            txamt: c.txamt,
            respcd: c.respcd,
            resperr: c.resperr,
            respmsg: c.respmsg,
            raw: c.raw,
        }
    }
}

#[pymethods]
impl Cancellation {
    /// Every field QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __repr__(&self) -> String {
        repr_fields(
            "Cancellation",
            &[
                ("syssn", q(&self.syssn)),
                ("orig_syssn", q(&self.orig_syssn)),
                ("out_trade_no", q(&self.out_trade_no)),
                ("txamt", self.txamt.to_string()),
                ("respcd", q(&self.respcd)),
            ],
        )
    }
}

/// A verified asynchronous notification from QFPay.
#[pyclass(frozen, module = "qfpay", name = "Notification")]
pub struct Notification {
    /// `"payment"`, `"refund"` or another type QFPay sent.
    #[pyo3(get)]
    pub notify_type: String,
    /// `"1"` when the transaction succeeded.
    #[pyo3(get)]
    pub status: String,
    /// The pay type code.
    #[pyo3(get)]
    pub pay_type: String,
    /// QFPay's transaction number.
    #[pyo3(get)]
    pub syssn: String,
    /// The merchant order number.
    #[pyo3(get)]
    pub out_trade_no: String,
    /// Amount in minor units.
    #[pyo3(get)]
    pub txamt: i64,
    /// Currency code.
    #[pyo3(get)]
    pub txcurrcd: String,
    /// The request time.
    #[pyo3(get)]
    pub txdtm: String,
    /// QFPay's system time.
    #[pyo3(get)]
    pub sysdtm: String,
    /// Payment time.
    #[pyo3(get)]
    pub paydtm: String,
    /// The cancel flag.
    #[pyo3(get)]
    pub cancel: String,
    /// `respcd`.
    #[pyo3(get)]
    pub respcd: String,
    /// The merchant id, when sent.
    #[pyo3(get)]
    pub mchid: Option<String>,
    /// Goods name.
    #[pyo3(get)]
    pub goods_name: String,
    /// The wallet's transaction number.
    #[pyo3(get)]
    pub chnlsn: String,
    /// For a refund, the original transaction's number.
    #[pyo3(get)]
    pub orig_syssn: Option<String>,
    /// For a refund, the original merchant order number.
    #[pyo3(get)]
    pub orig_out_trade_no: Option<String>,
    /// Whether the notification reports a success (`status == "1"`).
    #[pyo3(get)]
    pub is_success: bool,
    raw: qfpay::RawMap,
}

impl From<qfpay::Notification> for Notification {
    fn from(n: qfpay::Notification) -> Self {
        let is_success = n.is_success();
        Self {
            notify_type: n.kind.as_str().to_owned(),
            status: n.status,
            pay_type: n.pay_type.code().to_owned(),
            syssn: n.syssn,
            out_trade_no: n.out_trade_no,
            txamt: n.txamt,
            txcurrcd: n.txcurrcd,
            txdtm: n.txdtm,
            sysdtm: n.sysdtm,
            paydtm: n.paydtm,
            cancel: n.cancel,
            respcd: n.respcd,
            mchid: n.mchid,
            goods_name: n.goods_name,
            chnlsn: n.chnlsn,
            orig_syssn: n.orig_syssn,
            orig_out_trade_no: n.orig_out_trade_no,
            is_success,
            raw: n.raw,
        }
    }
}

#[pymethods]
impl Notification {
    /// Every field QFPay sent, as a new dict.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        raw_to_dict(py, &self.raw)
    }

    fn __repr__(&self) -> String {
        repr_fields(
            "Notification",
            &[
                ("notify_type", q(&self.notify_type)),
                ("status", q(&self.status)),
                ("syssn", q(&self.syssn)),
                ("out_trade_no", q(&self.out_trade_no)),
                ("txamt", self.txamt.to_string()),
                ("txcurrcd", q(&self.txcurrcd)),
            ],
        )
    }
}
