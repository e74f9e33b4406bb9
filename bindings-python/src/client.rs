//! `Client`: each operation hands its arguments by name to the core's applier, runs the core
//! call with the GIL released (or, for `AsyncClient`, on the asyncio bridge, `aio`) and converts
//! the result or error.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString, PyType};
use qfpay::client::Pages;
use qfpay::surface::apply::{
    Outcome, call_options, client_options, perform, perform_local, request, wait_options,
};
use qfpay::surface::{Lang, Operation, Request, Value};
use qfpay::{ClientBuilder, Wait};

use crate::aio::{Channel, Output};
use crate::convert::{args, split};
use crate::errors::{IntoPyResult, to_py_err};
use crate::events::{self, EventSink};
use crate::results::{keep, kept, kept_opt};

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;
type Ch<'a, 'py> = Option<&'a Bound<'py, Channel>>;
type Kw<'a, 'py> = Option<&'a Bound<'py, PyDict>>;

/// How long the blocking wait runs with the GIL released before it checks for signals.
const SIGNAL_SLICE: Duration = Duration::from_millis(100);

/// The core client from keywords (after the `QFPAY_*` variables, for `from_env`).
fn build(
    py: Python<'_>,
    env: bool,
    named: &[(&str, Arg<'_, '_>)],
    kw: Kw<'_, '_>,
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
    Ok(Client {
        blocking: qfpay::blocking::Client::new(client).py(py)?,
    })
}

/// The order a money-moving call's conversion failure names, as the core names it on its own
/// failures: the `out_trade_no` given, or (`None`: one is generated when a failure needs it,
/// never on the success path) for payments and refunds; a close or reversal only when given,
/// with its `syssn`.
fn order_of(op: &Operation, args: &Value) -> Option<(Option<String>, Option<String>)> {
    let Value::Map(map) = args else { return None };
    let text = |name: &str| match map.iter().find(|(k, _)| k == name).map(|(_, v)| v) {
        Some(Value::Text(s)) => Some(Some(s.clone())),
        None | Some(Value::Null) => Some(None),
        Some(_) => None,
    };
    let cancels = op.returns == "Cancellation";
    match (op.moves_money, text("out_trade_no")) {
        (true, Some(Some(no))) => Some((Some(no), text("syssn").flatten().filter(|_| cancels))),
        (true, Some(None)) if !cancels => Some((None, None)),
        _ => None,
    }
}

/// An operation's outcome as its Python value (made later, under the GIL).
fn output(outcome: Outcome) -> Output {
    match outcome {
        Outcome::Payment(p) => kept(p),
        Outcome::QueryPage(p) => kept(p),
        Outcome::Found(t) => kept_opt(t),
        Outcome::Transaction(t) => kept(t),
        Outcome::Refund(r) => kept(r),
        Outcome::Cancellation(c) => kept(c),
        Outcome::CheckoutLink(l) => kept(l),
        Outcome::Text(s) => Box::new(move |py| Ok(PyString::new(py, &s).into_any().unbind())),
        Outcome::Report(r) => kept(r),
        Outcome::TradeBill(b) => kept(b),
        Outcome::Settlements(s) => kept(s),
        Outcome::NoteAdded(n) => kept(n),
    }
}

/// Runs the core's call for `op`.
async fn run(
    op: &'static Operation,
    c: qfpay::Client,
    req: Request,
    wait: Wait,
) -> qfpay::Result<Output> {
    perform(&c, op, req, wait).await.map(output)
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
    fn core(&self) -> &qfpay::Client {
        self.blocking.async_client()
    }

    /// Reads `op`'s arguments (`named` positional ones, then `kw`) with the core's applier:
    /// the request, the client with this call's options, the wait schedule.
    fn prepare(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
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
                Some((no, syssn)) => {
                    let no = no.clone().unwrap_or_else(qfpay::generate_out_trade_no);
                    e.with_order(&no, syssn.as_deref())
                }
                None => e,
            };
            to_py_err(py, &e)
        })
    }

    /// Runs operation `op`: blocking with the GIL released, or (with `channel`, for
    /// `AsyncClient`) spawned on the I/O runtime, returning the asyncio future of its result.
    fn call(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
        channel: Ch<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
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
            // The GIL released in slices, checking for signals (Ctrl-C) between them: a handler
            // that raises (KeyboardInterrupt) stops the wait and drops the future.
            let mut fut = Box::pin(fut);
            loop {
                let slice = async { tokio::time::timeout(SIGNAL_SLICE, &mut fut).await };
                let step = py.detach(|| self.blocking.block_on(slice));
                sink.flush(py)?;
                match step.py(py)? {
                    Ok(result) => return result.py(py)?(py),
                    Err(_elapsed) => py.check_signals()?,
                }
            }
        }
        let blocking = &self.blocking;
        let result = py.detach(move || blocking.block_on(fut).and_then(|r| r));
        sink.flush(py)?;
        result.py(py)?(py)
    }

    /// Runs operation `op`, which sends nothing (`io` false), at once on the caller's thread:
    /// the same plain call on `Client` and `AsyncClient`, without per-call options.
    fn local(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let outcome = request(Lang::Python, op, args(named, kw))
            .and_then(|req| perform_local(self.core(), req))
            .map_err(|e| to_py_err(py, &e))?;
        output(outcome)(py)
    }

    /// The pages of stream `op` (`apply::pages`: a query's, or a period's month by month),
    /// fetched as the iteration advances; the arguments are checked at once.
    fn walk(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
    ) -> PyResult<Walk> {
        let (req, client, _) = self.prepare(py, op, named, kw)?;
        let sink = Arc::new(EventSink::new(None));
        let client = client.with_observer(Arc::clone(&sink) as Arc<dyn qfpay::events::Observer>);
        let pages = qfpay::surface::apply::pages(&client, req).py(py)?;
        Ok(Walk {
            blocking: self.blocking.clone(),
            pages: Arc::new(Mutex::new(Some(pages))),
            sink,
        })
    }

    /// The page iterator of an operation returning `list<QueryPage>`.
    fn pages(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
    ) -> PyResult<QueryPages> {
        Ok(QueryPages {
            walk: self.walk(py, op, named, kw)?,
        })
    }

    /// The item iterator of an operation returning `list<Transaction>`.
    fn items(
        &self,
        py: Python<'_>,
        op: &'static Operation,
        named: &[(&str, Arg<'_, '_>)],
        kw: Kw<'_, '_>,
    ) -> PyResult<Transactions> {
        Ok(Transactions {
            walk: self.walk(py, op, named, kw)?,
            buffer: Arc::new(Mutex::new(VecDeque::new())),
        })
    }
}

/// A walk over pages (`qfpay::client::Pages`), shared by the page and item iterators: the
/// pages (taken out while the asyncio bridge fetches one) and the events to log.
struct Walk {
    blocking: qfpay::blocking::Client,
    pages: Arc<Mutex<Option<Pages>>>,
    sink: Arc<EventSink>,
}

impl Walk {
    /// The next page, fetched with the GIL released; `None` after the last. The GIL is
    /// released in slices, checking for signals between them, as `wait_for_payment` does: a
    /// walk waiting out a 429 stops on Ctrl-C (the page is fetched again on the next call).
    fn next_blocking(&self, py: Python<'_>) -> PyResult<Option<qfpay::QueryPage>> {
        self.sink.refresh(py);
        let busy =
            || PyRuntimeError::new_err("the next page of this walk is already being fetched");
        let mut pages = self
            .pages
            .lock()
            .map_err(|_| busy())?
            .take()
            .ok_or_else(busy)?;
        let next = {
            let mut fut = Box::pin(pages.next_page());
            loop {
                let slice = async { tokio::time::timeout(SIGNAL_SLICE, &mut fut).await };
                let step = py.detach(|| self.blocking.block_on(slice));
                match step {
                    Ok(Ok(next)) => break Ok(next),
                    Ok(Err(_elapsed)) => {
                        if let Err(e) = py.check_signals() {
                            break Err(e);
                        }
                    }
                    Err(e) => break Err(to_py_err(py, &e)),
                }
            }
        };
        if let Ok(mut slot) = self.pages.lock() {
            *slot = Some(pages);
        }
        self.sink.flush(py)?;
        next?.transpose().py(py)
    }

    /// Fetches the next page on the asyncio bridge; `then` makes the future's result of it.
    fn next_async(
        &self,
        py: Python<'_>,
        channel: &Bound<'_, Channel>,
        then: impl FnOnce(Option<qfpay::QueryPage>) -> Output + Send + 'static,
    ) -> PyResult<Py<PyAny>> {
        self.sink.refresh(py);
        let busy =
            || PyRuntimeError::new_err("the next page of this walk is already being fetched");
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
            Ok(then(next.transpose()?))
        })
    }
}

include!("operations.rs");

client_methods! {
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
}

/// The pages of a query, fetched one by one as iteration advances (GIL released meanwhile).
#[pyclass(frozen, module = "qfpay", name = "QueryPages")]
pub struct QueryPages {
    walk: Walk,
}

#[pymethods]
impl QueryPages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        match self.walk.next_blocking(py)? {
            None => Ok(None),
            Some(page) => keep(py, page).map(Some),
        }
    }

    /// The transactions of every remaining page, in order (pages fetched as needed).
    fn items<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let items = slf.py().import("qfpay._bridge")?.getattr("QueryItems")?;
        items.call1((slf,))
    }

    /// Fetches the next page on the asyncio bridge (`AsyncQueryPages`); the result is the page
    /// or `None` after the last one.
    fn _next_async(&self, py: Python<'_>, channel: &Bound<'_, Channel>) -> PyResult<Py<PyAny>> {
        self.walk.next_async(py, channel, kept_opt)
    }

    /// Logs the events of the pages fetched so far.
    fn _flush(&self, py: Python<'_>) -> PyResult<()> {
        self.walk.sink.flush(py)
    }
}

/// The transactions of a walk, one at a time: one page is buffered, fetched (GIL released)
/// when the previous one is used up.
#[pyclass(frozen, module = "qfpay", name = "Transactions")]
pub struct Transactions {
    walk: Walk,
    buffer: Arc<Mutex<VecDeque<qfpay::Transaction>>>,
}

impl Transactions {
    fn pop(&self) -> PyResult<Option<qfpay::Transaction>> {
        let mut buffer = self
            .buffer
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the transaction iterator was poisoned"))?;
        Ok(buffer.pop_front())
    }
}

#[pymethods]
impl Transactions {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            if let Some(t) = self.pop()? {
                return keep(py, t).map(Some);
            }
            match self.walk.next_blocking(py)? {
                None => return Ok(None),
                Some(page) => {
                    let mut buffer = self.buffer.lock().map_err(|_| {
                        PyRuntimeError::new_err("the transaction iterator was poisoned")
                    })?;
                    buffer.extend(page.data);
                }
            }
        }
    }

    /// The next buffered transaction, or `None` when the buffer is empty (nothing is fetched:
    /// `AsyncTransactions` then awaits `_fill_async`).
    fn _take(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.pop()?.map(|t| keep(py, t)).transpose()
    }

    /// Fetches the next page into the buffer on the asyncio bridge; the result is `False`
    /// after the last page.
    fn _fill_async(&self, py: Python<'_>, channel: &Bound<'_, Channel>) -> PyResult<Py<PyAny>> {
        let buffer = Arc::clone(&self.buffer);
        self.walk.next_async(py, channel, move |page| {
            let more = page.is_some();
            if let (Some(page), Ok(mut b)) = (page, buffer.lock()) {
                b.extend(page.data);
            }
            Box::new(move |py| Ok(PyBool::new(py, more).to_owned().into_any().unbind()))
        })
    }

    /// Logs the events of the pages fetched so far.
    fn _flush(&self, py: Python<'_>) -> PyResult<()> {
        self.walk.sink.flush(py)
    }
}
