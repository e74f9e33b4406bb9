//! The asyncio bridge behind `qfpay.AsyncClient`: no thread per call.
//!
//! Calls run on a tokio runtime that Rust owns (two worker threads per process, rebuilt in a
//! forked child). A finished call leaves its result, still a Rust value, in its channel's
//! queue and writes one byte to a socket pair (only when the queue was empty, so completions
//! arrive in batches). The event loop watches the other end with `loop.add_reader` and calls
//! `drain()`, which converts the results to Python objects and resolves the calls' asyncio
//! futures, on the loop's thread (no Python loop over the results, no done-callback per call).
//! No Rust thread ever touches a Python object (the futures live in the channel's table, which
//! only the loop's thread reads), so nothing can race the interpreter at exit.
//! Cancelling the awaiting task aborts the Rust task: the core's future is dropped (and the core
//! reports a money-moving call cancelled after sending, naming its `out_trade_no`).

use std::collections::HashMap;
use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyRuntimeError;
use pyo3::gc::PyVisit;
use pyo3::prelude::*;
use pyo3::types::PyWeakrefReference;
use pyo3::{PyTraverseError, intern};
use tokio::runtime::{Handle, Runtime};
use tokio::task::AbortHandle;

use crate::errors::to_py_err;
use crate::events::EventSink;

/// What a call produced, before conversion to Python: the core's result serialised (on the
/// I/O thread) and its surface type (`Payment`, `Transaction?`...).
pub struct Output {
    pub ty: &'static str,
    pub value: serde_json::Value,
}

impl Output {
    /// The Python result.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::results::from_json(py, self.ty, self.value)
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

/// A call in flight: its asyncio future (only ever touched on the loop's thread, with the
/// GIL) and the handle that aborts its Rust task.
struct Pending {
    future: Py<PyAny>,
    abort: AbortHandle,
}

/// The calls in flight of one channel, by call id; `by_future` finds a call from its future
/// (for `cancel`). A call id is never reused, so a late result can only reach its own future.
#[derive(Default)]
struct Calls {
    by_id: HashMap<u64, Pending>,
    by_future: HashMap<usize, u64>,
}

impl Calls {
    fn remove(&mut self, id: u64) -> Option<Pending> {
        let p = self.by_id.remove(&id)?;
        self.by_future.remove(&(p.future.as_ptr() as usize));
        Some(p)
    }
}

/// One event loop's end of the bridge. The loop watches `fileno()` (`loop.add_reader`) and
/// calls `drain()`, which resolves the futures of the calls that finished.
#[pyclass(frozen, module = "qfpay._qfpay", name = "_Channel")]
pub struct Channel {
    shared: Arc<Shared>,
    reader: UnixStream,
    sink: Arc<EventSink>,
    calls: Mutex<Calls>,
    /// A weak reference to the event loop (which owns this channel through its reader).
    event_loop: Py<PyWeakrefReference>,
    next_id: AtomicU64,
    pid: u32,
}

impl Channel {
    fn calls(&self) -> PyResult<std::sync::MutexGuard<'_, Calls>> {
        self.calls
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the qfpay call table lock was poisoned"))
    }

    /// Starts `fut` on the I/O runtime and returns the asyncio future its result will resolve
    /// (in `drain()`, on the loop's thread).
    pub fn spawn<F>(&self, py: Python<'_>, fut: F) -> PyResult<Py<PyAny>>
    where
        F: Future<Output = qfpay::Result<Output>> + Send + 'static,
    {
        if self.pid != std::process::id() {
            return Err(PyRuntimeError::new_err(
                "this event loop's qfpay channel was created before a fork; use a new event loop in the child",
            ));
        }
        let event_loop = self.event_loop.bind(py).upgrade().ok_or_else(|| {
            PyRuntimeError::new_err("the event loop of this qfpay channel is gone")
        })?;
        let future = event_loop.call_method0(intern!(py, "create_future"))?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(&self.shared);
        // Boxed: the core's future is ~4 KB, and unboxed it would be copied into the task (and
        // again on its first poll) on the event loop's thread.
        let fut = Box::pin(fut);
        let handle = runtime()?.spawn(async move {
            let result = fut.await;
            shared.push((id, result));
        });
        let mut calls = self.calls()?;
        calls.by_future.insert(future.as_ptr() as usize, id);
        calls.by_id.insert(
            id,
            Pending {
                future: future.clone().unbind(),
                abort: handle.abort_handle(),
            },
        );
        Ok(future.unbind())
    }

    /// The event sink calls on this channel report to.
    pub fn sink(&self) -> Arc<EventSink> {
        Arc::clone(&self.sink)
    }
}

#[pymethods]
impl Channel {
    #[new]
    fn new(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
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
            calls: Mutex::new(Calls::default()),
            event_loop: PyWeakrefReference::new(event_loop)?.unbind(),
            next_id: AtomicU64::new(1),
            pid: std::process::id(),
        })
    }

    /// The file descriptor the event loop watches.
    fn fileno(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// Resolves the futures of the calls that finished (results converted to Python objects
    /// here, on the loop's thread) and logs the events that arrived meanwhile.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
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
        let mut finished = Vec::with_capacity(done.len());
        if !done.is_empty() {
            let mut calls = self.calls()?;
            for (id, result) in done {
                // A call cancelled meanwhile is no longer in the table: its result is dropped.
                if let Some(p) = calls.remove(id) {
                    finished.push((p.future, result));
                }
            }
        }
        // Events first, so a call's log records come before its awaiting task resumes.
        let flushed = self.sink.flush(py);
        let mut first_error = None;
        for (future, result) in finished {
            let future = future.bind(py);
            let delivered = (|| -> PyResult<()> {
                if future.call_method0(intern!(py, "done"))?.is_truthy()? {
                    return Ok(());
                }
                match result
                    .map_err(|e| to_py_err(py, &e))
                    .and_then(|v| v.into_py(py))
                {
                    Ok(v) => future.call_method1(intern!(py, "set_result"), (v,))?,
                    Err(e) => {
                        future.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?
                    }
                };
                Ok(())
            })();
            if let Err(e) = delivered {
                first_error.get_or_insert(e);
            }
        }
        flushed?;
        first_error.map_or(Ok(()), Err)
    }

    /// Aborts the call whose future is `future` (its awaiting task was cancelled).
    fn cancel(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        let pending = {
            let mut calls = self.calls()?;
            match calls.by_future.get(&(future.as_ptr() as usize)).copied() {
                Some(id) => calls.remove(id),
                None => None,
            }
        };
        if let Some(p) = pending {
            p.abort.abort();
        }
        Ok(())
    }

    /// Calls still running.
    fn pending(&self) -> PyResult<usize> {
        Ok(self.calls()?.by_id.len())
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.event_loop)?;
        if let Ok(calls) = self.calls.try_lock() {
            for p in calls.by_id.values() {
                visit.call(&p.future)?;
            }
        }
        Ok(())
    }

    fn __clear__(&self) {
        // Only when the loop and its tasks are garbage: the calls finish unobserved.
        let calls = self.calls.lock().map(|mut c| std::mem::take(&mut *c));
        drop(calls);
    }
}

/// Registers the bridge classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Channel>()?;
    Ok(())
}
