//! `Client`: blocking, with the GIL released while it waits. Thin: it converts the arguments,
//! calls the core, and converts the result or error. `qfpay.AsyncClient` (Python) runs these
//! same calls on a thread pool, so no thread that Python does not own ever touches a Python
//! object.

use std::future::Future;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::PyType;
use qfpay::{ClientBuilder, Environment, SignType, Wait};

use crate::errors::IntoPyResult;
use crate::models::{Cancellation, Payment, QueryPage, Refund, Transaction};
use crate::requests::{self, PaymentArgs, QueryArgs, seconds};

/// Configuration keywords shared by both clients and `from_env`.
#[derive(Default)]
pub struct ConfigArgs {
    pub app_code: Option<String>,
    pub client_key: Option<String>,
    pub environment: Option<String>,
    pub base_url: Option<String>,
    pub mchid: Option<String>,
    pub sign_type: Option<String>,
    pub timeout: Option<f64>,
    pub connect_timeout: Option<f64>,
    pub max_retries: Option<u32>,
    pub reconcile_timeout: Option<f64>,
}

impl ConfigArgs {
    /// Builds the core client; `from_env` first applies the `QFPAY_*` variables.
    pub fn build(self, py: Python<'_>, from_env: bool) -> PyResult<qfpay::Client> {
        let mut b = ClientBuilder::new()
            .user_agent_prefix(format!("qfpay-python/{}", env!("CARGO_PKG_VERSION")));
        if from_env {
            b = b.env().py(py)?;
        }
        if let Some(env) = &self.environment {
            b = b.environment(Environment::parse(env).py(py)?);
        }
        if let Some(url) = self.base_url {
            b = b.base_url(url);
        }
        if let Some(a) = self.app_code {
            b = b.app_code(a);
        }
        if let Some(k) = self.client_key {
            b = b.client_key(k);
        }
        if let Some(m) = self.mchid {
            b = b.mchid(m);
        }
        if let Some(s) = &self.sign_type {
            b = b.sign_type(SignType::parse(s).py(py)?);
        }
        if let Some(t) = self.timeout {
            b = b.timeout(seconds(py, "timeout", t)?);
        }
        if let Some(t) = self.connect_timeout {
            b = b.connect_timeout(seconds(py, "connect_timeout", t)?);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        if let Some(t) = self.reconcile_timeout {
            b = b.reconcile_timeout(seconds(py, "reconcile_timeout", t)?);
        }
        b.build().py(py)
    }
}

fn describe(name: &str, c: &qfpay::Client) -> String {
    let cfg = c.config();
    let mchid = cfg
        .mchid
        .as_deref()
        .map(|m| format!(", mchid={m:?}"))
        .unwrap_or_default();
    format!(
        "{name}(base_url={:?}, app_code={:?}{mchid}, sign_type={:?})",
        cfg.base_url,
        cfg.app_code,
        cfg.sign_type.as_str()
    )
    .replace('"', "'")
}

fn with_timeout(
    py: Python<'_>,
    c: &qfpay::Client,
    timeout: Option<f64>,
) -> PyResult<qfpay::Client> {
    match timeout {
        Some(t) => Ok(c.with_timeout(seconds(py, "timeout", t)?)),
        None => Ok(c.clone()),
    }
}

fn wait(py: Python<'_>, timeout: f64, interval: f64, max_interval: f64) -> PyResult<Wait> {
    Ok(Wait::up_to(seconds(py, "timeout", timeout)?).interval(
        seconds(py, "interval", interval)?,
        seconds(py, "max_interval", max_interval)?,
    ))
}

/// A synchronous QFPay client. Thread-safe: share one between threads; the GIL is released
/// during every network wait.
#[pyclass(frozen, module = "qfpay", name = "Client")]
pub struct Client {
    blocking: qfpay::blocking::Client,
}

impl Client {
    /// Wraps a core client with its own I/O runtime.
    pub fn from_core(py: Python<'_>, inner: qfpay::Client) -> PyResult<Self> {
        Ok(Self {
            blocking: qfpay::blocking::Client::new(inner).py(py)?,
        })
    }

    fn run<T, Fut>(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        call: impl FnOnce(qfpay::Client) -> Fut + Send,
    ) -> PyResult<T>
    where
        Fut: Future<Output = qfpay::Result<T>>,
        T: Send,
    {
        let client = with_timeout(py, self.blocking.async_client(), timeout)?;
        let blocking = &self.blocking;
        py.detach(move || blocking.block_on(call(client)).and_then(|r| r))
            .py(py)
    }
}

#[pymethods]
impl Client {
    /// A client configured by keywords (defaults: live-test environment, MD5, 30 s per call,
    /// connect 5 s, 2 retries, 15 s reconciliation).
    #[new]
    #[pyo3(signature = (app_code=None, client_key=None, *, environment=None, base_url=None, mchid=None,
        sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        app_code: Option<String>,
        client_key: Option<String>,
        environment: Option<String>,
        base_url: Option<String>,
        mchid: Option<String>,
        sign_type: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<u32>,
        reconcile_timeout: Option<f64>,
    ) -> PyResult<Self> {
        let args = ConfigArgs {
            app_code,
            client_key,
            environment,
            base_url,
            mchid,
            sign_type,
            timeout,
            connect_timeout,
            max_retries,
            reconcile_timeout,
        };
        Self::from_core(py, args.build(py, false)?)
    }

    /// A client from the `QFPAY_*` environment variables (`QFPAY_APP_CODE`,
    /// `QFPAY_CLIENT_KEY`, `QFPAY_MCHID`, `QFPAY_ENV` or `QFPAY_BASE_URL`, `QFPAY_SIGN_TYPE`);
    /// keywords override them.
    #[classmethod]
    #[pyo3(signature = (*, app_code=None, client_key=None, environment=None, base_url=None, mchid=None,
        sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_env(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        app_code: Option<String>,
        client_key: Option<String>,
        environment: Option<String>,
        base_url: Option<String>,
        mchid: Option<String>,
        sign_type: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<u32>,
        reconcile_timeout: Option<f64>,
    ) -> PyResult<Self> {
        let args = ConfigArgs {
            app_code,
            client_key,
            environment,
            base_url,
            mchid,
            sign_type,
            timeout,
            connect_timeout,
            max_retries,
            reconcile_timeout,
        };
        Self::from_core(py, args.build(py, true)?)
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> String {
        self.blocking.async_client().config().base_url.clone()
    }

    /// The app code (`X-QF-APPCODE`).
    #[getter]
    fn app_code(&self) -> String {
        self.blocking.async_client().config().app_code.clone()
    }

    /// The default `mchid`, if any.
    #[getter]
    fn mchid(&self) -> Option<String> {
        self.blocking.async_client().config().mchid.clone()
    }

    fn __repr__(&self) -> String {
        describe("Client", self.blocking.async_client())
    }

    /// Creates a payment (`/trade/v1/payment`); `out_trade_no` is generated when absent.
    #[pyo3(signature = (amount, currency, pay_type, *, out_trade_no=None, txdtm=None, auth_code=None,
        expired_time=None, goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None,
        return_url=None, rmb_tag=None, extend_info=None, limit_pay=None, pay_tag=None, sub_openid=None,
        timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn create_payment(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &str,
        pay_type: &str,
        out_trade_no: Option<String>,
        txdtm: Option<String>,
        auth_code: Option<String>,
        expired_time: Option<&Bound<'_, PyAny>>,
        goods_name: Option<String>,
        goods_info: Option<String>,
        mchid: Option<String>,
        udid: Option<String>,
        notify_url: Option<String>,
        return_url: Option<String>,
        rmb_tag: Option<String>,
        extend_info: Option<&Bound<'_, PyAny>>,
        limit_pay: Option<String>,
        pay_tag: Option<String>,
        sub_openid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Payment> {
        let args = PaymentArgs {
            out_trade_no,
            txdtm,
            auth_code,
            expired_time,
            goods_name,
            goods_info,
            mchid,
            udid,
            notify_url,
            return_url,
            rmb_tag,
            extend_info,
            limit_pay,
            pay_tag,
            sub_openid,
        };
        let req = requests::payment(amount, currency, pay_type, args)?;
        self.run(py, timeout, |c| async move { c.create_payment(req).await })
            .map(Payment::from)
    }

    /// A WeChat Pay QR payment (pay type 800201): show `payment.qrcode` to the customer.
    #[pyo3(signature = (amount, currency="HKD", *, out_trade_no=None, txdtm=None, expired_time=None,
        goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None, return_url=None,
        rmb_tag=None, extend_info=None, limit_pay=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn wechat_qr(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &str,
        out_trade_no: Option<String>,
        txdtm: Option<String>,
        expired_time: Option<&Bound<'_, PyAny>>,
        goods_name: Option<String>,
        goods_info: Option<String>,
        mchid: Option<String>,
        udid: Option<String>,
        notify_url: Option<String>,
        return_url: Option<String>,
        rmb_tag: Option<String>,
        extend_info: Option<&Bound<'_, PyAny>>,
        limit_pay: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Payment> {
        let args = PaymentArgs {
            out_trade_no,
            txdtm,
            expired_time,
            goods_name,
            goods_info,
            mchid,
            udid,
            notify_url,
            return_url,
            rmb_tag,
            extend_info,
            limit_pay,
            ..PaymentArgs::default()
        };
        let req = requests::payment(amount, currency, PayType::WECHAT_QR, args)?;
        self.run(py, timeout, |c| async move { c.create_payment(req).await })
            .map(Payment::from)
    }

    /// Queries transactions (one page). `syssn`, `out_trade_no` and `pay_type` take a str or
    /// a list of str.
    #[pyo3(signature = (*, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None,
        end_time=None, page=None, page_size=None, mchid=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn query(
        &self,
        py: Python<'_>,
        syssn: Option<&Bound<'_, PyAny>>,
        out_trade_no: Option<&Bound<'_, PyAny>>,
        pay_type: Option<&Bound<'_, PyAny>>,
        respcd: Option<String>,
        start_time: Option<String>,
        end_time: Option<String>,
        page: Option<&Bound<'_, PyAny>>,
        page_size: Option<&Bound<'_, PyAny>>,
        mchid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<QueryPage> {
        let req = requests::query(QueryArgs {
            syssn,
            out_trade_no,
            pay_type,
            respcd,
            start_time,
            end_time,
            page,
            page_size,
            mchid,
        })?;
        let page = self.run(py, timeout, |c| async move { c.query(req).await })?;
        QueryPage::from_core(py, page)
    }

    /// Iterates over every page of a query, fetching each as the iteration reaches it.
    #[pyo3(signature = (*, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None,
        end_time=None, page=None, page_size=None, mchid=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn query_pages(
        &self,
        py: Python<'_>,
        syssn: Option<&Bound<'_, PyAny>>,
        out_trade_no: Option<&Bound<'_, PyAny>>,
        pay_type: Option<&Bound<'_, PyAny>>,
        respcd: Option<String>,
        start_time: Option<String>,
        end_time: Option<String>,
        page: Option<&Bound<'_, PyAny>>,
        page_size: Option<&Bound<'_, PyAny>>,
        mchid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<QueryPages> {
        let req = requests::query(QueryArgs {
            syssn,
            out_trade_no,
            pay_type,
            respcd,
            start_time,
            end_time,
            page,
            page_size,
            mchid,
        })?;
        let client = with_timeout(py, self.blocking.async_client(), timeout)?;
        Ok(QueryPages {
            blocking: self.blocking.clone(),
            pages: Mutex::new(client.query_pages(req)),
        })
    }

    /// The payment with merchant order number `out_trade_no`, or `None` if QFPay has none.
    #[pyo3(signature = (out_trade_no, *, timeout=None))]
    fn find_payment(
        &self,
        py: Python<'_>,
        out_trade_no: String,
        timeout: Option<f64>,
    ) -> PyResult<Option<Transaction>> {
        self.run(py, timeout, |c| async move {
            c.find_payment(&out_trade_no).await
        })
        .map(|t| t.map(Transaction::from))
    }

    /// Refunds a paid transaction, fully or partly; the refund's `out_trade_no` is generated
    /// when absent.
    #[pyo3(signature = (syssn, amount, currency, *, out_trade_no=None, txdtm=None, mchid=None, udid=None,
        timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn refund(
        &self,
        py: Python<'_>,
        syssn: String,
        amount: &Bound<'_, PyAny>,
        currency: &str,
        out_trade_no: Option<String>,
        txdtm: Option<String>,
        mchid: Option<String>,
        udid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Refund> {
        let req = requests::refund(syssn, amount, currency, out_trade_no, txdtm, mchid, udid)?;
        self.run(py, timeout, |c| async move { c.refund(req).await })
            .map(Refund::from)
    }

    /// Closes an unpaid order (`/trade/v1/close`), by `syssn` or `out_trade_no`.
    #[pyo3(signature = (*, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None,
        udid=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn close(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &str,
        syssn: Option<String>,
        out_trade_no: Option<String>,
        txdtm: Option<String>,
        mchid: Option<String>,
        udid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Cancellation> {
        let req = requests::cancel(syssn, out_trade_no, amount, currency, txdtm, mchid, udid)?;
        self.run(py, timeout, |c| async move { c.close(req).await })
            .map(Cancellation::from)
    }

    /// Reverses an unfinished transaction (`/trade/v1/reversal`). A reversal does not prove
    /// the customer was not charged: confirm with a query.
    #[pyo3(signature = (*, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None,
        udid=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn reverse(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &str,
        syssn: Option<String>,
        out_trade_no: Option<String>,
        txdtm: Option<String>,
        mchid: Option<String>,
        udid: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Cancellation> {
        let req = requests::cancel(syssn, out_trade_no, amount, currency, txdtm, mchid, udid)?;
        self.run(py, timeout, |c| async move { c.reverse(req).await })
            .map(Cancellation::from)
    }

    /// Polls until the payment is paid (returns it), fails (raises), or `timeout` seconds
    /// pass (raises `StatusUnknownError`). Intervals start at `interval` and grow by half up
    /// to `max_interval`.
    #[pyo3(signature = (out_trade_no, *, timeout=120.0, interval=1.0, max_interval=5.0))]
    fn wait_for_payment(
        &self,
        py: Python<'_>,
        out_trade_no: String,
        timeout: f64,
        interval: f64,
        max_interval: f64,
    ) -> PyResult<Transaction> {
        let w = wait(py, timeout, interval, max_interval)?;
        self.run(py, None, |c| async move {
            c.wait_for_payment(&out_trade_no, w).await
        })
        .map(Transaction::from)
    }
}

/// The pages of a query, fetched one by one as iteration advances (GIL released meanwhile).
#[pyclass(frozen, module = "qfpay", name = "QueryPages")]
pub struct QueryPages {
    blocking: qfpay::blocking::Client,
    pages: Mutex<qfpay::QueryPages>,
}

#[pymethods]
impl QueryPages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<QueryPage>> {
        let next = py.detach(|| {
            let mut pages = self
                .pages
                .lock()
                .map_err(|_| qfpay::Error::Config("the page iterator was poisoned".into()))?;
            self.blocking.block_on(pages.next_page())
        });
        match next.py(py)? {
            None => Ok(None),
            Some(page) => QueryPage::from_core(py, page.py(py)?).map(Some),
        }
    }
}

/// Pay type constants used by the helpers.
struct PayType;
impl PayType {
    const WECHAT_QR: &'static str = "800201";
}
