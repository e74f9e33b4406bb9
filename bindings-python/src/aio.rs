//! The asyncio bridge behind `qfpay.AsyncClient`: no thread per call. Calls run on a tokio
//! runtime Rust owns (two workers per process, rebuilt in a forked child). A finished call
//! queues its result, still a Rust value, and writes one byte to a socket pair (only when the
//! queue was empty, so completions arrive in batches); the event loop watches the other end
//! (`loop.add_reader`) and `drain()` converts the results and resolves the asyncio futures on
//! the loop's thread. No Rust thread touches a Python object, so nothing races the interpreter
//! at exit. Cancelling the awaiting task aborts the Rust task (the core's future is dropped).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
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

/// A call's result, serialised on the I/O thread.
pub type Output = crate::results::Output;

/// A finished call: the key of its future, its id, its result.
type Done = (usize, u64, qfpay::Result<Output>);

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
    // The parent's runtime is leaked (once per fork): its threads do not exist here.
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
}

/// A call in flight: its id (never reused, so a late result reaches only its own future), its
/// asyncio future (touched on the loop's thread only) and its abort handle.
struct Pending {
    id: u64,
    future: Py<PyAny>,
    abort: AbortHandle,
}

/// The calls in flight, by the address of their future (held, so not reused meanwhile).
type Calls = HashMap<usize, Pending>;

/// One event loop's end of the bridge: the loop watches `fileno()` and calls `drain()`.
#[pyclass(frozen, module = "qfpay._qfpay", name = "_Channel")]
pub struct Channel {
    shared: Arc<Shared>,
    reader: UnixStream,
    sink: Arc<EventSink>,
    calls: Mutex<Calls>,
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

    /// Starts `fut` on the I/O runtime; returns the asyncio future `drain()` will resolve.
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
        // Boxed: the core's future is ~4 KB, else copied into the task on the loop's thread.
        let fut = Box::pin(fut);
        let key = future.as_ptr() as usize;
        let handle = runtime()?.spawn(async move {
            let result = fut.await;
            if let Ok(mut q) = shared.done.lock() {
                q.push((key, id, result));
            }
            shared.ring();
        });
        let pending = Pending {
            id,
            future: future.clone().unbind(),
            abort: handle.abort_handle(),
        };
        self.calls()?.insert(key, pending);
        Ok(future.unbind())
    }

    pub fn sink(&self) -> Arc<EventSink> {
        Arc::clone(&self.sink)
    }
}

#[pymethods]
impl Channel {
    #[new]
    fn new(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (reader, wake) = UnixStream::pair()
            .and_then(|(r, w)| Ok((r.set_nonblocking(true).map(|_| r)?, w)))
            .and_then(|(r, w)| Ok((r, w.set_nonblocking(true).map(|_| w)?)))
            .map_err(|e| {
                PyRuntimeError::new_err(format!("cannot create the wake-up socket: {e}"))
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
            calls: Mutex::new(Calls::new()),
            event_loop: PyWeakrefReference::new(event_loop)?.unbind(),
            next_id: AtomicU64::new(1),
            pid: std::process::id(),
        })
    }

    fn fileno(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// Resolves the futures of the finished calls and logs the events that arrived meanwhile.
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
            for (key, id, result) in done {
                // A call cancelled meanwhile is no longer in the table: its result is dropped.
                if let Entry::Occupied(e) = calls.entry(key)
                    && e.get().id == id
                {
                    finished.push((e.remove().future, result));
                }
            }
        }
        // Events first, so a call's log records come before its awaiting task resumes.
        let flushed = self.sink.flush(py);
        let mut first_error = None;
        for (future, result) in finished {
            let future = future.bind(py);
            let delivered = (|| -> PyResult<()> {
                if !future.call_method0(intern!(py, "done"))?.is_truthy()? {
                    let value = result.map_err(|e| to_py_err(py, &e));
                    match value.and_then(|f| f(py)) {
                        Ok(v) => future.call_method1(intern!(py, "set_result"), (v,))?,
                        Err(e) => future.call_method1(intern!(py, "set_exception"), (e,))?,
                    };
                }
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
        let pending = self.calls()?.remove(&(future.as_ptr() as usize));
        if let Some(p) = pending {
            p.abort.abort();
        }
        Ok(())
    }

    /// Calls still running (for tests).
    fn pending(&self) -> PyResult<usize> {
        Ok(self.calls()?.len())
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.event_loop)?;
        if let Ok(calls) = self.calls.try_lock() {
            for p in calls.values() {
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
