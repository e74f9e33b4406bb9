//! `Client`: blocking, with the GIL released while it waits. Thin: it converts the arguments,
//! calls the core, and converts the result or error. `qfpay.AsyncClient` (Python) starts these
//! same calls on the asyncio bridge (`aio`) instead, so no thread that Python does not own ever
//! touches a Python object.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::IntoPyObjectExt;

use pyo3::prelude::*;
use pyo3::types::PyType;
use qfpay::{ClientBuilder, Environment, Wait};

use crate::aio::{Channel, Output};
use crate::convert::{opt_int, opt_positive_seconds, opt_seconds, opt_text, sign_type, text};
use crate::errors::{IntoPyResult, to_py_err, with_order};
use crate::events::{self, EventSink};
use crate::requests::{self, OrderArgs, PaymentArgs, QueryArgs};
use crate::results::{QueryPage, Transaction};

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// Configuration keywords shared by both clients and `from_env`.
#[derive(Default)]
pub struct ConfigArgs<'a, 'py> {
    pub app_code: Arg<'a, 'py>,
    pub client_key: Arg<'a, 'py>,
    pub environment: Arg<'a, 'py>,
    pub base_url: Arg<'a, 'py>,
    pub mchid: Arg<'a, 'py>,
    pub sign_type: Arg<'a, 'py>,
    pub timeout: Arg<'a, 'py>,
    pub connect_timeout: Arg<'a, 'py>,
    pub max_retries: Arg<'a, 'py>,
    pub reconcile_timeout: Arg<'a, 'py>,
    pub retry_base_delay: Arg<'a, 'py>,
    pub retry_max_delay: Arg<'a, 'py>,
    pub utc_offset_seconds: Arg<'a, 'py>,
    pub proxy: Arg<'a, 'py>,
}

impl ConfigArgs<'_, '_> {
    /// Builds the core client; `from_env` first applies the `QFPAY_*` variables.
    pub fn build(self, py: Python<'_>, from_env: bool) -> PyResult<qfpay::Client> {
        let fail = |e: qfpay::Error| to_py_err(py, &e);
        let mut b = ClientBuilder::new()
            .user_agent_prefix(format!("qfpay-python/{}", env!("CARGO_PKG_VERSION")));
        if from_env {
            b = b.env().map_err(fail)?;
        }
        if let Some(env) = opt_text("environment", self.environment)? {
            b = b.environment(Environment::parse(&env).map_err(fail)?);
        }
        if let Some(url) = opt_text("base_url", self.base_url)? {
            b = b.base_url(url);
        }
        if let Some(a) = opt_text("app_code", self.app_code)? {
            b = b.app_code(a);
        }
        if let Some(k) = opt_text("client_key", self.client_key)? {
            b = b.client_key(k);
        }
        if let Some(m) = opt_text("mchid", self.mchid)? {
            b = b.mchid(m);
        }
        if let Some(s) = self.sign_type.filter(|s| !s.is_none()) {
            b = b.sign_type(sign_type(s)?);
        }
        // Zero is refused by the core (a ConfigError naming the option), as in every language.
        if let Some(t) = opt_seconds("timeout", self.timeout)? {
            b = b.timeout(t);
        }
        if let Some(t) = opt_seconds("connect_timeout", self.connect_timeout)? {
            b = b.connect_timeout(t);
        }
        if let Some(n) = opt_int::<u32>("max_retries", self.max_retries)? {
            b = b.max_retries(n);
        }
        if let Some(t) = opt_seconds("reconcile_timeout", self.reconcile_timeout)? {
            b = b.reconcile_timeout(t);
        }
        if let Some(d) = opt_seconds("retry_base_delay", self.retry_base_delay)? {
            b = b.retry_base_delay(d);
        }
        if let Some(d) = opt_seconds("retry_max_delay", self.retry_max_delay)? {
            b = b.retry_max_delay(d);
        }
        if let Some(o) = opt_int::<i32>("utc_offset_seconds", self.utc_offset_seconds)? {
            b = b.utc_offset_seconds(o);
        }
        if let Some(p) = opt_text("proxy", self.proxy)? {
            b = b.proxy(p);
        }
        let client = b.build().map_err(fail)?;
        events::config_warnings(py, &client.config().warnings)?;
        Ok(client)
    }
}

/// Per-call options every operation takes: `timeout` (seconds) and `max_retries`.
fn per_call(
    c: &qfpay::Client,
    timeout: Arg<'_, '_>,
    max_retries: Arg<'_, '_>,
) -> PyResult<qfpay::Client> {
    let mut c = c.clone();
    if let Some(t) = opt_positive_seconds("timeout", timeout)? {
        c = c.with_timeout(t);
    }
    if let Some(n) = opt_int::<u32>("max_retries", max_retries)? {
        c = c.with_max_retries(n);
    }
    Ok(c)
}

/// The order number a payment or refund names in its errors: the one given, or (none given)
/// a generated one, as the core does; `None` when the given one is not a usable str.
fn order_number(out_trade_no: Arg<'_, '_>) -> Option<String> {
    match out_trade_no.filter(|v| !v.is_none()) {
        None => Some(qfpay::generate_out_trade_no()),
        Some(v) => given_text(Some(v)),
    }
}

/// A given str argument as text, if it is one (for naming the order in an error).
fn given_text(value: Arg<'_, '_>) -> Option<String> {
    value.filter(|v| !v.is_none()).and_then(|v| {
        v.cast::<pyo3::types::PyString>()
            .ok()?
            .to_str()
            .ok()
            .map(str::to_owned)
    })
}

/// `url` without the credentials of its authority (`https://user:pass@host/` shows as
/// `https://***@host/`).
fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => url.to_owned(),
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
        without_credentials(&cfg.base_url),
        cfg.app_code,
        cfg.sign_type.as_str()
    )
    .replace('"', "'")
}

/// The polling schedule of `wait_for_payment` (defaults: the core's `Wait::default()`).
pub fn wait_schedule(
    timeout: Arg<'_, '_>,
    interval: Arg<'_, '_>,
    max_interval: Arg<'_, '_>,
) -> PyResult<Wait> {
    let d = Wait::default();
    let timeout = opt_seconds("timeout", timeout)?.unwrap_or(d.timeout);
    let interval = opt_positive_seconds("interval", interval)?.unwrap_or(d.initial_interval);
    let max_interval =
        opt_positive_seconds("max_interval", max_interval)?.unwrap_or(d.max_interval);
    Ok(Wait::up_to(timeout).interval(interval, max_interval))
}

/// How long the blocking wait runs with the GIL released before it checks for signals.
const SIGNAL_SLICE: Duration = Duration::from_millis(100);

/// A synchronous QFPay client. Thread-safe: share one between threads; the GIL is released
/// during every network wait.
#[pyclass(frozen, module = "qfpay", name = "Client")]
pub struct Client {
    blocking: qfpay::blocking::Client,
}

impl Client {
    /// A close or reversal's request and per-call client; a failure names the order as the
    /// core does for these calls (only when given).
    #[allow(clippy::too_many_arguments)]
    fn cancel_call(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        args: OrderArgs<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
    ) -> PyResult<(qfpay::CancelRequest, qfpay::Client)> {
        let (syssn, out_trade_no) = (given_text(args.syssn), given_text(args.out_trade_no));
        requests::cancel(amount, currency, args)
            .and_then(|req| Ok((req, per_call(self.core(), timeout, max_retries)?)))
            .map_err(|e| with_order(py, e, out_trade_no.as_deref(), syssn.as_deref()))
    }

    /// Wraps a core client with its own I/O runtime.
    pub fn from_core(py: Python<'_>, inner: qfpay::Client) -> PyResult<Self> {
        Ok(Self {
            blocking: qfpay::blocking::Client::new(inner).py(py)?,
        })
    }

    /// The core client inside (for the asyncio bridge).
    pub fn core(&self) -> &qfpay::Client {
        self.blocking.async_client()
    }

    /// Runs `call` on `client`: blocking with the GIL released, or (with `channel`, for
    /// `AsyncClient`) spawned on the I/O runtime, returning the asyncio future of its result.
    fn dispatch<Fut>(
        &self,
        py: Python<'_>,
        client: qfpay::Client,
        channel: Option<&Bound<'_, Channel>>,
        call: impl FnOnce(qfpay::Client) -> Fut + Send + 'static,
    ) -> PyResult<Py<PyAny>>
    where
        Fut: Future<Output = qfpay::Result<Output>> + Send + 'static,
    {
        if let Some(ch) = channel {
            let ch = ch.get();
            let c = events::observed(py, client, &ch.sink());
            return ch.spawn(py, call(c));
        }
        let sink = Arc::new(EventSink::new(None));
        let c = events::observed(py, client, &sink);
        let blocking = &self.blocking;
        let result = py.detach(move || blocking.block_on(call(c)).and_then(|r| r));
        sink.flush(py)?;
        result.py(py)?.into_py(py)
    }

    /// Runs `fut` with the GIL released in slices, checking for signals (Ctrl-C) between them;
    /// a signal handler that raises (KeyboardInterrupt) stops the wait and drops the future.
    fn run_interruptible<T, Fut>(&self, py: Python<'_>, sink: &EventSink, fut: Fut) -> PyResult<T>
    where
        Fut: Future<Output = qfpay::Result<T>> + Send,
        T: Send,
    {
        let mut fut = Box::pin(fut);
        loop {
            let blocking = &self.blocking;
            let step = py.detach(|| {
                blocking.block_on(async { tokio::time::timeout(SIGNAL_SLICE, &mut fut).await })
            });
            sink.flush(py)?;
            match step.py(py)? {
                Ok(result) => return result.py(py),
                Err(_elapsed) => py.check_signals()?,
            }
        }
    }
}

#[pymethods]
impl Client {
    /// A client configured by keywords (defaults: live-test environment, MD5, 30 s per call,
    /// connect 5 s, 2 retries, 15 s reconciliation).
    #[new]
    #[pyo3(signature = (app_code=None, client_key=None, *, environment=None, base_url=None, mchid=None,
        sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None,
        retry_base_delay=None, retry_max_delay=None, utc_offset_seconds=None, proxy=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        app_code: Arg<'_, '_>,
        client_key: Arg<'_, '_>,
        environment: Arg<'_, '_>,
        base_url: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        sign_type: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        connect_timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        reconcile_timeout: Arg<'_, '_>,
        retry_base_delay: Arg<'_, '_>,
        retry_max_delay: Arg<'_, '_>,
        utc_offset_seconds: Arg<'_, '_>,
        proxy: Arg<'_, '_>,
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
            retry_base_delay,
            retry_max_delay,
            utc_offset_seconds,
            proxy,
        };
        Self::from_core(py, args.build(py, false)?)
    }

    /// A client from the `QFPAY_*` environment variables (`QFPAY_APP_CODE`,
    /// `QFPAY_CLIENT_KEY`, `QFPAY_MCHID`, `QFPAY_ENV` or `QFPAY_BASE_URL`, `QFPAY_SIGN_TYPE`,
    /// `QFPAY_PROXY`); keywords override them.
    #[classmethod]
    #[pyo3(signature = (*, app_code=None, client_key=None, environment=None, base_url=None, mchid=None,
        sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None,
        retry_base_delay=None, retry_max_delay=None, utc_offset_seconds=None, proxy=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_env(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        app_code: Arg<'_, '_>,
        client_key: Arg<'_, '_>,
        environment: Arg<'_, '_>,
        base_url: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        sign_type: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        connect_timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        reconcile_timeout: Arg<'_, '_>,
        retry_base_delay: Arg<'_, '_>,
        retry_max_delay: Arg<'_, '_>,
        utc_offset_seconds: Arg<'_, '_>,
        proxy: Arg<'_, '_>,
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
            retry_base_delay,
            retry_max_delay,
            utc_offset_seconds,
            proxy,
        };
        Self::from_core(py, args.build(py, true)?)
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> String {
        self.core().config().base_url.clone()
    }

    /// The app code (`X-QF-APPCODE`).
    #[getter]
    fn app_code(&self) -> String {
        self.core().config().app_code.clone()
    }

    /// The default `mchid`, if any.
    #[getter]
    fn mchid(&self) -> Option<String> {
        self.core().config().mchid.clone()
    }

    fn __repr__(&self) -> String {
        describe("Client", self.core())
    }

    /// Creates a payment (`/trade/v1/payment`); `out_trade_no` is generated when absent.
    #[pyo3(signature = (amount, currency, pay_type, *, out_trade_no=None, txdtm=None, auth_code=None,
        expired_time=None, goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None,
        return_url=None, rmb_tag=None, extend_info=None, limit_pay=None, pay_tag=None, sub_openid=None,
        timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn create_payment(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        pay_type: &Bound<'_, PyAny>,
        out_trade_no: Arg<'_, '_>,
        txdtm: Arg<'_, '_>,
        auth_code: Arg<'_, '_>,
        expired_time: Arg<'_, '_>,
        goods_name: Arg<'_, '_>,
        goods_info: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        udid: Arg<'_, '_>,
        notify_url: Arg<'_, '_>,
        return_url: Arg<'_, '_>,
        rmb_tag: Arg<'_, '_>,
        extend_info: Arg<'_, '_>,
        limit_pay: Arg<'_, '_>,
        pay_tag: Arg<'_, '_>,
        sub_openid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
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
        let (req, c) = requests::payment(amount, currency, pay_type, args)
            .and_then(|req| Ok((req, per_call(self.core(), timeout, max_retries)?)))
            .map_err(|e| with_order(py, e, order_number(out_trade_no).as_deref(), None))?;
        self.dispatch(py, c, _channel, |c| async move {
            c.create_payment(req).await.map(Output::Payment)
        })
    }

    /// A WeChat Pay QR payment (pay type 800201): show `payment.qrcode` to the customer.
    #[pyo3(signature = (amount, currency=None, *, out_trade_no=None, txdtm=None, expired_time=None,
        goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None, return_url=None,
        rmb_tag=None, extend_info=None, limit_pay=None, timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn wechat_qr(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: Arg<'_, '_>,
        out_trade_no: Arg<'_, '_>,
        txdtm: Arg<'_, '_>,
        expired_time: Arg<'_, '_>,
        goods_name: Arg<'_, '_>,
        goods_info: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        udid: Arg<'_, '_>,
        notify_url: Arg<'_, '_>,
        return_url: Arg<'_, '_>,
        rmb_tag: Arg<'_, '_>,
        extend_info: Arg<'_, '_>,
        limit_pay: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
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
        let hkd = pyo3::types::PyString::new(py, "HKD");
        let currency = currency.filter(|c| !c.is_none()).unwrap_or(hkd.as_any());
        let wechat = pyo3::types::PyString::new(py, WECHAT_QR);
        let (req, c) = requests::payment(amount, currency, wechat.as_any(), args)
            .and_then(|req| Ok((req, per_call(self.core(), timeout, max_retries)?)))
            .map_err(|e| with_order(py, e, order_number(out_trade_no).as_deref(), None))?;
        self.dispatch(py, c, _channel, |c| async move {
            c.create_payment(req).await.map(Output::Payment)
        })
    }

    /// Queries transactions (one page). `syssn`, `out_trade_no` and `pay_type` take a str or
    /// a list of str.
    #[pyo3(signature = (*, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None,
        end_time=None, page=None, page_size=None, mchid=None, timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn query(
        &self,
        py: Python<'_>,
        syssn: Arg<'_, '_>,
        out_trade_no: Arg<'_, '_>,
        pay_type: Arg<'_, '_>,
        respcd: Arg<'_, '_>,
        start_time: Arg<'_, '_>,
        end_time: Arg<'_, '_>,
        page: Arg<'_, '_>,
        page_size: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
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
        let c = per_call(self.core(), timeout, max_retries)?;
        self.dispatch(py, c, _channel, |c| async move {
            c.query(req).await.map(Output::Page)
        })
    }

    /// Iterates over every page of a query, fetching each as the iteration reaches it;
    /// `.items()` iterates over the transactions of every page.
    #[pyo3(signature = (*, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None,
        end_time=None, page=None, page_size=None, mchid=None, timeout=None, max_retries=None))]
    #[allow(clippy::too_many_arguments)]
    fn query_pages(
        &self,
        syssn: Arg<'_, '_>,
        out_trade_no: Arg<'_, '_>,
        pay_type: Arg<'_, '_>,
        respcd: Arg<'_, '_>,
        start_time: Arg<'_, '_>,
        end_time: Arg<'_, '_>,
        page: Arg<'_, '_>,
        page_size: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
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
        let client = per_call(self.core(), timeout, max_retries)?;
        let sink = Arc::new(EventSink::new(None));
        let client = client.with_observer(Arc::clone(&sink) as Arc<dyn qfpay::events::Observer>);
        Ok(QueryPages {
            blocking: self.blocking.clone(),
            pages: Arc::new(Mutex::new(Some(client.query_pages(req)))),
            sink,
        })
    }

    /// The payment with merchant order number `out_trade_no`, or `None` if QFPay has none.
    #[pyo3(signature = (out_trade_no, *, timeout=None, max_retries=None, _channel=None))]
    fn find_payment(
        &self,
        py: Python<'_>,
        out_trade_no: &Bound<'_, PyAny>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
        let out_trade_no = text("out_trade_no", out_trade_no)?;
        let c = per_call(self.core(), timeout, max_retries)?;
        self.dispatch(py, c, _channel, |c| async move {
            c.find_payment(&out_trade_no)
                .await
                .map(Output::MaybeTransaction)
        })
    }

    /// Refunds a paid transaction, fully or partly; the refund's `out_trade_no` is generated
    /// when absent.
    #[pyo3(signature = (syssn, amount, currency, *, out_trade_no=None, txdtm=None, mchid=None, udid=None,
        timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn refund(
        &self,
        py: Python<'_>,
        syssn: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        out_trade_no: Arg<'_, '_>,
        txdtm: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        udid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
        let args = OrderArgs {
            out_trade_no,
            txdtm,
            mchid,
            udid,
            ..OrderArgs::default()
        };
        let (req, c) = requests::refund(syssn, amount, currency, args)
            .and_then(|req| Ok((req, per_call(self.core(), timeout, max_retries)?)))
            .map_err(|e| with_order(py, e, order_number(out_trade_no).as_deref(), None))?;
        self.dispatch(py, c, _channel, |c| async move {
            c.refund(req).await.map(Output::Refund)
        })
    }

    /// Closes an unpaid order (`/trade/v1/close`), by `syssn` or `out_trade_no`.
    #[pyo3(signature = (*, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None,
        udid=None, timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn close(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        syssn: Arg<'_, '_>,
        out_trade_no: Arg<'_, '_>,
        txdtm: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        udid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
        let args = OrderArgs {
            syssn,
            out_trade_no,
            txdtm,
            mchid,
            udid,
        };
        let (req, c) = self.cancel_call(py, amount, currency, args, timeout, max_retries)?;
        self.dispatch(py, c, _channel, |c| async move {
            c.close(req).await.map(Output::Cancellation)
        })
    }

    /// Reverses an unfinished transaction (`/trade/v1/reversal`). A reversal does not prove
    /// the customer was not charged: confirm with a query.
    #[pyo3(signature = (*, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None,
        udid=None, timeout=None, max_retries=None, _channel=None))]
    #[allow(clippy::too_many_arguments)]
    fn reverse(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        syssn: Arg<'_, '_>,
        out_trade_no: Arg<'_, '_>,
        txdtm: Arg<'_, '_>,
        mchid: Arg<'_, '_>,
        udid: Arg<'_, '_>,
        timeout: Arg<'_, '_>,
        max_retries: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
        let args = OrderArgs {
            syssn,
            out_trade_no,
            txdtm,
            mchid,
            udid,
        };
        let (req, c) = self.cancel_call(py, amount, currency, args, timeout, max_retries)?;
        self.dispatch(py, c, _channel, |c| async move {
            c.reverse(req).await.map(Output::Cancellation)
        })
    }

    /// Polls until the payment is paid (returns it), fails (raises), or `timeout` seconds
    /// pass (raises `StatusUnknownError`; one last query is made at the deadline). Intervals
    /// start at `interval` and grow by half up to `max_interval`. Ctrl-C stops the wait.
    #[pyo3(signature = (out_trade_no, *, timeout=None, interval=None, max_interval=None, _channel=None))]
    fn wait_for_payment(
        &self,
        py: Python<'_>,
        out_trade_no: &Bound<'_, PyAny>,
        timeout: Arg<'_, '_>,
        interval: Arg<'_, '_>,
        max_interval: Arg<'_, '_>,
        _channel: Option<&Bound<'_, Channel>>,
    ) -> PyResult<Py<PyAny>> {
        let out_trade_no = text("out_trade_no", out_trade_no)?;
        let w = wait_schedule(timeout, interval, max_interval)?;
        let c = self.core().clone();
        if _channel.is_some() {
            return self.dispatch(py, c, _channel, move |c| async move {
                c.wait_for_payment(&out_trade_no, w)
                    .await
                    .map(Output::Transaction)
            });
        }
        let sink = Arc::new(EventSink::new(None));
        let c = events::observed(py, c, &sink);
        let t = self.run_interruptible(py, &sink, async move {
            c.wait_for_payment(&out_trade_no, w).await
        })?;
        Transaction::from(t).into_py_any(py)
    }
}

/// The pages of a query, fetched one by one as iteration advances (GIL released meanwhile).
#[pyclass(frozen, module = "qfpay", name = "QueryPages")]
pub struct QueryPages {
    blocking: qfpay::blocking::Client,
    pages: Arc<Mutex<Option<qfpay::QueryPages>>>,
    sink: Arc<EventSink>,
}

fn busy() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(
        "the next page of this query is already being fetched",
    )
}

impl QueryPages {
    fn next_page(&self, py: Python<'_>) -> PyResult<Option<qfpay::QueryPage>> {
        self.sink.refresh(py);
        let next = py.detach(|| {
            let mut guard = self
                .pages
                .lock()
                .map_err(|_| qfpay::Error::config("the page iterator was poisoned"))?;
            let pages = guard
                .as_mut()
                .ok_or_else(|| qfpay::Error::config("the next page is already being fetched"))?;
            self.blocking.block_on(pages.next_page())
        });
        self.sink.flush(py)?;
        match next.py(py)? {
            None => Ok(None),
            Some(page) => page.py(py).map(Some),
        }
    }
}

#[pymethods]
impl QueryPages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<QueryPage>> {
        match self.next_page(py)? {
            None => Ok(None),
            Some(page) => QueryPage::from_core(py, page).map(Some),
        }
    }

    /// The transactions of every remaining page, in order (pages fetched as needed).
    fn items(slf: Bound<'_, Self>) -> QueryItems {
        QueryItems {
            pages: slf.unbind(),
            current: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// Fetches the next page on the asyncio bridge (`AsyncQueryPages`); the result is the page
    /// or `None` after the last one.
    fn _next_async(&self, py: Python<'_>, channel: &Bound<'_, Channel>) -> PyResult<Py<PyAny>> {
        self.sink.refresh(py);
        let mut pages = self
            .pages
            .lock()
            .map_err(|_| busy())?
            .take()
            .ok_or_else(busy)?;
        let slot = Arc::clone(&self.pages);
        channel.get().spawn(py, async move {
            let next = pages.next_page().await;
            if let Ok(mut s) = slot.lock() {
                *s = Some(pages);
            }
            match next {
                None => Ok(Output::MaybePage(None)),
                Some(r) => r.map(|p| Output::MaybePage(Some(p))),
            }
        })
    }

    /// Logs the events of the pages fetched so far.
    fn _flush(&self, py: Python<'_>) -> PyResult<()> {
        self.sink.flush(py)
    }
}

/// Transactions across the pages of a query: `for t in client.query_pages(...).items()`.
#[pyclass(frozen, module = "qfpay", name = "QueryItems")]
pub struct QueryItems {
    pages: Py<QueryPages>,
    current: Mutex<std::collections::VecDeque<qfpay::Transaction>>,
}

#[pymethods]
impl QueryItems {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Transaction>> {
        loop {
            let popped = self
                .current
                .lock()
                .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("iterator poisoned"))?
                .pop_front();
            if let Some(t) = popped {
                return Ok(Some(Transaction::from(t)));
            }
            match self.pages.get().next_page(py)? {
                None => return Ok(None),
                Some(page) => {
                    let mut cur = self.current.lock().map_err(|_| {
                        pyo3::exceptions::PyRuntimeError::new_err("iterator poisoned")
                    })?;
                    cur.extend(page.data);
                }
            }
        }
    }
}

/// Pay type of WeChat Pay QR payments.
const WECHAT_QR: &str = "800201";
