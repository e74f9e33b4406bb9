//! `Client`: blocking, with the GIL released while it waits. Thin: each operation hands its
//! arguments, by name, to the core's applier (`qfpay::surface::apply`), runs the core call and
//! converts the result or error. `qfpay.AsyncClient` (Python) starts these same calls on the
//! asyncio bridge (`aio`) instead, so no thread that Python does not own ever touches a
//! Python object.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use qfpay::surface::apply::{call_options, client_options, request, wait_options};
use qfpay::surface::{Lang, Operation, Request, Value};
use qfpay::{ClientBuilder, Wait};

use crate::aio::{Channel, Output};
use crate::convert::{args, split};
use crate::errors::{IntoPyResult, to_py_err};
use crate::events::{self, EventSink};

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;
type Ch<'a, 'py> = Option<&'a Bound<'py, Channel>>;

/// How long the blocking wait runs with the GIL released before it checks for signals.
const SIGNAL_SLICE: Duration = Duration::from_millis(100);

fn operation(name: &str) -> PyResult<&'static Operation> {
    qfpay::surface::operation(name)
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err(format!("no operation {name}")))
}

/// The core client from keywords (after the `QFPAY_*` variables, for `from_env`).
fn build(
    py: Python<'_>,
    env: bool,
    named: &[(&str, Arg<'_, '_>)],
    kw: Option<&Bound<'_, PyDict>>,
) -> PyResult<Client> {
    let mut b = ClientBuilder::new()
        .user_agent_prefix(format!("qfpay-python/{}", env!("CARGO_PKG_VERSION")));
    if env {
        b = b.env().py(py)?;
    }
    let client = client_options(b, Lang::Python, args(named, kw))
        .and_then(ClientBuilder::build)
        .py(py)?;
    events::config_warnings(py, &client.config().warnings)?;
    Client::from_core(py, client)
}

/// The order a money-moving call's conversion failure names, as the core names it on its own
/// failures: the `out_trade_no` given, or a generated one (payments and refunds); a close or
/// reversal only when given, with its `syssn`.
fn order_of(op: &Operation, args: &Value) -> Option<(String, Option<String>)> {
    let Value::Map(map) = args else { return None };
    let text = |name: &str| match map.iter().find(|(k, _)| k == name).map(|(_, v)| v) {
        Some(Value::Text(s)) => Some(Some(s.clone())),
        None | Some(Value::Null) => Some(None),
        Some(_) => None,
    };
    let cancels = op.returns == "Cancellation";
    match (op.moves_money, text("out_trade_no")) {
        (true, Some(Some(no))) => Some((no, text("syssn").flatten().filter(|_| cancels))),
        (true, Some(None)) if !cancels => Some((qfpay::generate_out_trade_no(), None)),
        _ => None,
    }
}

/// Runs the core's call for `op`.
async fn run(
    op: &'static Operation,
    c: qfpay::Client,
    req: Request,
    wait: Wait,
) -> qfpay::Result<Output> {
    fn json<T: serde::Serialize>(v: T) -> qfpay::Result<serde_json::Value> {
        serde_json::to_value(v).map_err(|e| qfpay::Error::Decode(e.to_string()))
    }
    let value = match req {
        Request::Payment(p) => json(c.create_payment(p).await?),
        Request::Query(q) => json(c.query(q).await?),
        Request::Refund(r) => json(c.refund(r).await?),
        Request::Cancel(r) if op.name == "close" => json(c.close(r).await?),
        Request::Cancel(r) => json(c.reverse(r).await?),
        Request::OrderNumber(n) if op.name == "find_payment" => json(c.find_payment(&n).await?),
        Request::OrderNumber(n) => json(c.wait_for_payment(&n, wait).await?),
    }?;
    Ok(Output {
        ty: op.returns,
        value,
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

    /// The core client inside.
    pub fn core(&self) -> &qfpay::Client {
        self.blocking.async_client()
    }

    /// Reads `op`'s arguments (`named` positional ones, then `kw`) with the core's applier:
    /// the request, the client with this call's options, the wait schedule.
    fn prepare(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(Request, qfpay::Client, Wait)> {
        let all = args(named, kw);
        let order = order_of(op, &all);
        let (fields, options) = split(all, op.call);
        let prepared = (|| {
            let req = request(Lang::Python, op, fields)?;
            if op.name == "wait_for_payment" {
                let w = wait_options(Lang::Python, options)?;
                return Ok((req, self.core().clone(), w));
            }
            let c = call_options(self.core(), Lang::Python, options)?;
            Ok((req, c, Wait::default()))
        })();
        prepared.map_err(|e: qfpay::Error| {
            let e = match &order {
                Some((no, syssn)) => e.with_order(no, syssn.as_deref()),
                None => e,
            };
            to_py_err(py, &e)
        })
    }

    /// Runs operation `name`: blocking with the GIL released, or (with `channel`, for
    /// `AsyncClient`) spawned on the I/O runtime, returning the asyncio future of its result.
    fn call(
        &self,
        py: Python<'_>,
        name: &str,
        named: &[(&str, Arg<'_, '_>)],
        kw: Option<&Bound<'_, PyDict>>,
        channel: Ch<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let op = operation(name)?;
        let (req, client, wait) = self.prepare(py, op, named, kw)?;
        if let Some(ch) = channel {
            let ch = ch.get();
            let c = events::observed(py, client, &ch.sink());
            return ch.spawn(py, run(op, c, req, wait));
        }
        let sink = Arc::new(EventSink::new(None));
        let c = events::observed(py, client, &sink);
        let fut = run(op, c, req, wait);
        if op.name == "wait_for_payment" {
            return self.run_interruptible(py, &sink, fut)?.into_py(py);
        }
        let blocking = &self.blocking;
        let result = py.detach(move || blocking.block_on(fut).and_then(|r| r));
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

/// The `#[pymethods]` of `Client`: the methods in braces as written, then one method per
/// operation that runs a call, handing its positional arguments (by name) and its keywords to
/// [`Client::call`]. The string is the signature Python shows (every keyword it takes).
macro_rules! client_methods {
    ({ $($fixed:tt)* } $($(#[$doc:meta])* $name:ident($($arg:ident),*) $sig:tt $text:tt;)*) => {
        #[pymethods]
        impl Client {
            $($fixed)*
            $(
                $(#[$doc])*
                #[pyo3(signature = $sig, text_signature = $text)]
                fn $name(
                    &self,
                    py: Python<'_>,
                    $($arg: Arg<'_, '_>,)*
                    _channel: Ch<'_, '_>,
                    kw: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    let named = [$((stringify!($arg), $arg)),*];
                    self.call(py, stringify!($name), &named, kw, _channel)
                }
            )*
        }
    };
}

client_methods! {
{
    /// A client configured by keywords (defaults: live-test environment, MD5, 30 s per call,
    /// connect 5 s, 2 retries, 15 s reconciliation).
    #[new]
    #[pyo3(signature = (app_code=None, client_key=None, **kw), text_signature = "(app_code=None, client_key=None, *, environment=None, base_url=None, mchid=None, sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None, retry_base_delay=None, retry_max_delay=None, utc_offset_seconds=None, proxy=None)")]
    fn new(
        py: Python<'_>,
        app_code: Arg<'_, '_>,
        client_key: Arg<'_, '_>,
        kw: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        build(
            py,
            false,
            &[("app_code", app_code), ("client_key", client_key)],
            kw,
        )
    }

    /// A client from the `QFPAY_*` environment variables (`QFPAY_APP_CODE`,
    /// `QFPAY_CLIENT_KEY`, `QFPAY_MCHID`, `QFPAY_ENV` or `QFPAY_BASE_URL`, `QFPAY_SIGN_TYPE`,
    /// `QFPAY_PROXY`); keywords override them.
    #[classmethod]
    #[pyo3(signature = (**kw), text_signature = "($cls, *, app_code=None, client_key=None, environment=None, base_url=None, mchid=None, sign_type=None, timeout=None, connect_timeout=None, max_retries=None, reconcile_timeout=None, retry_base_delay=None, retry_max_delay=None, utc_offset_seconds=None, proxy=None)")]
    fn from_env(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        kw: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        build(py, true, &[], kw)
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
        let cfg = self.core().config();
        let mchid = cfg.mchid.as_deref().map(|m| format!(", mchid={m:?}"));
        format!(
            "Client(base_url={:?}, app_code={:?}{}, sign_type={:?})",
            without_credentials(&cfg.base_url),
            cfg.app_code,
            mchid.unwrap_or_default(),
            cfg.sign_type.as_str()
        )
        .replace('"', "'")
    }

    /// Iterates over every page of a query, fetching each as the iteration reaches it;
    /// `.items()` iterates over the transactions of every page.
    #[pyo3(signature = (**kw), text_signature = "($self, *, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None, end_time=None, page=None, page_size=None, mchid=None, timeout=None, max_retries=None)")]
    fn query_pages(&self, py: Python<'_>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<QueryPages> {
        let (req, client, _) = self.prepare(py, operation("query_pages")?, &[], kw)?;
        let Request::Query(req) = req else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err("not a query"));
        };
        let sink = Arc::new(EventSink::new(None));
        let client = client.with_observer(Arc::clone(&sink) as Arc<dyn qfpay::events::Observer>);
        Ok(QueryPages {
            blocking: self.blocking.clone(),
            pages: Arc::new(Mutex::new(Some(client.query_pages(req)))),
            sink,
        })
    }
}
    /// Creates a payment (`/trade/v1/payment`); `out_trade_no` is generated when absent.
    create_payment(amount, currency, pay_type) (amount, currency, pay_type, *, _channel=None, **kw)
        "($self, amount, currency, pay_type, *, out_trade_no=None, txdtm=None, expired_time=None, goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None, return_url=None, rmb_tag=None, extend_info=None, limit_pay=None, auth_code=None, pay_tag=None, sub_openid=None, timeout=None, max_retries=None)";

    /// A WeChat Pay QR payment (pay type 800201): show `payment.qrcode` to the customer.
    wechat_qr(amount, currency) (amount, currency=None, *, _channel=None, **kw)
        "($self, amount, currency='HKD', *, out_trade_no=None, txdtm=None, expired_time=None, goods_name=None, goods_info=None, mchid=None, udid=None, notify_url=None, return_url=None, rmb_tag=None, extend_info=None, limit_pay=None, timeout=None, max_retries=None)";

    /// Queries transactions (one page). `syssn`, `out_trade_no` and `pay_type` take a str or
    /// a list of str.
    query() (*, _channel=None, **kw)
        "($self, *, syssn=None, out_trade_no=None, pay_type=None, respcd=None, start_time=None, end_time=None, page=None, page_size=None, mchid=None, timeout=None, max_retries=None)";

    /// The payment with merchant order number `out_trade_no`, or `None` if QFPay has none.
    find_payment(out_trade_no) (out_trade_no, *, _channel=None, **kw)
        "($self, out_trade_no, *, timeout=None, max_retries=None)";

    /// Refunds a paid transaction, fully or partly; the refund's `out_trade_no` is generated
    /// when absent.
    refund(syssn, amount, currency) (syssn, amount, currency, *, _channel=None, **kw)
        "($self, syssn, amount, currency, *, out_trade_no=None, txdtm=None, mchid=None, udid=None, timeout=None, max_retries=None)";

    /// Closes an unpaid order (`/trade/v1/close`), by `syssn` or `out_trade_no`.
    close(amount, currency) (*, amount, currency, _channel=None, **kw)
        "($self, *, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None, udid=None, timeout=None, max_retries=None)";

    /// Reverses an unfinished transaction (`/trade/v1/reversal`). A reversal does not prove
    /// the customer was not charged: confirm with a query.
    reverse(amount, currency) (*, amount, currency, _channel=None, **kw)
        "($self, *, amount, currency, syssn=None, out_trade_no=None, txdtm=None, mchid=None, udid=None, timeout=None, max_retries=None)";

    /// Polls until the payment is paid (returns it), fails (raises), or `timeout` seconds
    /// pass (raises `StatusUnknownError`; one last query is made at the deadline). Intervals
    /// start at `interval` and grow by half up to `max_interval`. Ctrl-C stops the wait.
    wait_for_payment(out_trade_no) (out_trade_no, *, _channel=None, **kw)
        "($self, out_trade_no, *, timeout=None, interval=None, max_interval=None)";
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

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        match self.next_page(py)? {
            None => Ok(None),
            Some(page) => crate::results::result(py, "QueryPage", &page).map(Some),
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
            let value = match next.transpose()? {
                None => serde_json::Value::Null,
                Some(p) => {
                    serde_json::to_value(p).map_err(|e| qfpay::Error::Decode(e.to_string()))?
                }
            };
            Ok(Output {
                ty: "QueryPage?",
                value,
            })
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

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let poisoned = || pyo3::exceptions::PyRuntimeError::new_err("iterator poisoned");
        loop {
            let popped = self.current.lock().map_err(|_| poisoned())?.pop_front();
            if let Some(t) = popped {
                return crate::results::result(py, "Transaction", &t).map(Some);
            }
            match self.pages.get().next_page(py)? {
                None => return Ok(None),
                Some(page) => self
                    .current
                    .lock()
                    .map_err(|_| poisoned())?
                    .extend(page.data),
            }
        }
    }
}
