//! The asyncio bridge behind `qfpay.AsyncClient`: no thread per call.
//!
//! Calls run on a tokio runtime that Rust owns (two worker threads per process, rebuilt in a
//! forked child). A finished call leaves its result, still a Rust value, in its channel's
//! queue and writes one byte to a socket pair (only when the queue was empty, so completions
//! arrive in batches). The event loop watches the other end with `loop.add_reader` and calls
//! `drain()`, which converts the results to Python objects on the loop's thread. No Rust
//! thread ever touches a Python object, so nothing can race the interpreter at exit.
//! Cancelling the awaiting task aborts the Rust task: the core's future is dropped (and the core
//! reports a money-moving call cancelled after sending, naming its `out_trade_no`).

use std::collections::HashMap;
use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use tokio::runtime::{Handle, Runtime};
use tokio::task::AbortHandle;

use crate::errors::to_py_err;
use crate::log::EventSink;
use crate::models::{Cancellation, Payment, QueryPage, Refund, Transaction};

/// What a call produced, before conversion to Python.
pub enum Output {
    Payment(qfpay::Payment),
    Transaction(qfpay::Transaction),
    MaybeTransaction(Option<qfpay::Transaction>),
    Page(qfpay::QueryPage),
    MaybePage(Option<qfpay::QueryPage>),
    Refund(qfpay::Refund),
    Cancellation(qfpay::Cancellation),
}

impl Output {
    /// The Python result.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Output::Payment(p) => Payment::from(p).into_py_any(py),
            Output::Transaction(t) => Transaction::from(t).into_py_any(py),
            Output::MaybeTransaction(t) => t.map(Transaction::from).into_py_any(py),
            Output::Page(p) => QueryPage::from_core(py, p)?.into_py_any(py),
            Output::MaybePage(None) => Ok(py.None()),
            Output::MaybePage(Some(p)) => QueryPage::from_core(py, p)?.into_py_any(py),
            Output::Refund(r) => Refund::from(r).into_py_any(py),
            Output::Cancellation(c) => Cancellation::from(c).into_py_any(py),
        }
    }
}

type Done = (u64, qfpay::Result<Output>);

static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// The process's I/O runtime; a forked child (whose copy has no worker threads) gets a new one.
fn runtime() -> PyResult<Handle> {
    let pid = std::process::id();
    let mut slot = RUNTIME
        .lock()
        .map_err(|_| PyRuntimeError::new_err("the qfpay I/O runtime lock was poisoned"))?;
    if let Some((owner, rt)) = *slot
        && owner == pid
    {
        return Ok(rt.handle().clone());
    }
    // The parent's runtime (if any) is left alone: its threads do not exist in this process,
    // so dropping it could wait forever. It is leaked, once per fork.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("qfpay-io")
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the qfpay I/O runtime: {e}")))?;
    let rt: &'static Runtime = Box::leak(Box::new(rt));
    *slot = Some((pid, rt));
    Ok(rt.handle().clone())
}

/// The part of a channel the I/O threads see: the queue and the wake-up socket.
pub struct Shared {
    done: Mutex<Vec<Done>>,
    wake: UnixStream,
    armed: AtomicBool,
}

impl Shared {
    /// Wakes the event loop unless a wake-up is already pending.
    pub fn ring(&self) {
        if !self.armed.swap(true, Ordering::AcqRel) {
            // A full socket buffer means a wake-up is pending anyway.
            let _ = (&self.wake).write(&[1]);
        }
    }

    fn push(&self, item: Done) {
        if let Ok(mut q) = self.done.lock() {
            q.push(item);
        }
        self.ring();
    }
}

/// One event loop's end of the bridge: `fileno()` for `loop.add_reader`, `drain()` to collect
/// finished calls.
#[pyclass(frozen, module = "qfpay._qfpay", name = "_Channel")]
pub struct Channel {
    shared: Arc<Shared>,
    reader: UnixStream,
    sink: Arc<EventSink>,
    tasks: Mutex<HashMap<u64, AbortHandle>>,
    next_id: AtomicU64,
    pid: u32,
}

impl Channel {
    /// Starts `fut` on the I/O runtime; its result arrives through `drain()` under the id returned.
    pub fn spawn<F>(&self, fut: F) -> PyResult<u64>
    where
        F: Future<Output = qfpay::Result<Output>> + Send + 'static,
    {
        if self.pid != std::process::id() {
            return Err(PyRuntimeError::new_err(
                "this event loop's qfpay channel was created before a fork; use a new event loop in the child",
            ));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(&self.shared);
        let handle = runtime()?.spawn(async move {
            let result = fut.await;
            shared.push((id, result));
        });
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.insert(id, handle.abort_handle());
        }
        Ok(id)
    }

    /// The event sink calls on this channel report to.
    pub fn sink(&self) -> Arc<EventSink> {
        Arc::clone(&self.sink)
    }
}

#[pymethods]
impl Channel {
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, wake) = UnixStream::pair().map_err(|e| {
            PyRuntimeError::new_err(format!("cannot create the wake-up socket: {e}"))
        })?;
        reader
            .set_nonblocking(true)
            .and_then(|_| wake.set_nonblocking(true))
            .map_err(|e| {
                PyRuntimeError::new_err(format!("cannot set up the wake-up socket: {e}"))
            })?;
        let shared = Arc::new(Shared {
            done: Mutex::new(Vec::new()),
            wake,
            armed: AtomicBool::new(false),
        });
        Ok(Self {
            sink: Arc::new(EventSink::new(Some(Arc::clone(&shared)))),
            shared,
            reader,
            tasks: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            pid: std::process::id(),
        })
    }

    /// The file descriptor the event loop watches.
    fn fileno(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// Finished calls as `(id, ok, value)` (value: the result, or the exception when not ok);
    /// logs the events that arrived meanwhile.
    fn drain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut buf = [0u8; 256];
        loop {
            match (&self.reader).read(&mut buf) {
                Ok(n) if n == buf.len() => continue,
                Ok(_) => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        self.shared.armed.store(false, Ordering::Release);
        let done = match self.shared.done.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(_) => Vec::new(),
        };
        self.sink.flush(py)?;
        let out = PyList::empty(py);
        if !done.is_empty()
            && let Ok(mut tasks) = self.tasks.lock()
        {
            for (id, _) in &done {
                tasks.remove(id);
            }
        }
        for (id, result) in done {
            let item = match result {
                Ok(v) => PyTuple::new(
                    py,
                    [id.into_py_any(py)?, true.into_py_any(py)?, v.into_py(py)?],
                )?,
                Err(e) => {
                    let exc = to_py_err(py, &e).into_value(py).into_any();
                    PyTuple::new(py, [id.into_py_any(py)?, false.into_py_any(py)?, exc])?
                }
            };
            out.append(item)?;
        }
        Ok(out)
    }

    /// Aborts the call `id` (its awaiting task was cancelled).
    fn cancel(&self, id: u64) {
        let handle = self.tasks.lock().ok().and_then(|mut t| t.remove(&id));
        if let Some(h) = handle {
            h.abort();
        }
    }

    /// Calls still running.
    fn pending(&self) -> usize {
        self.tasks.lock().map(|t| t.len()).unwrap_or(0)
    }
}

/// Registers the bridge classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Channel>()?;
    Ok(())
}
