//! `qfpay._qfpay._Sandbox`: the in-process QFPay sandbox (`qfpay-sandbox`) on its own thread
//! and runtime. `qfpay.testing.Sandbox` wraps it as a context manager.

use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::{PyLookupError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use qfpay::surface::Lang;
use qfpay_sandbox::{Fault, Sandbox, SandboxError};

use crate::errors::to_py_err;

use crate::results::json_to_py;

/// A merchant as `(app_code, client_key, mchid, notify_url)`.
type MerchantTuple = (String, String, Option<String>, Option<String>);

/// A running sandbox; `close()` (or garbage collection) stops it.
#[pyclass(frozen, module = "qfpay._qfpay", name = "_Sandbox")]
pub struct PySandbox {
    inner: Mutex<Option<Sandbox>>,
    base_url: String,
    port: u16,
    merchants: Vec<MerchantTuple>,
}

fn stopped() -> PyErr {
    PyRuntimeError::new_err("the sandbox is closed")
}

fn sandbox_err(e: SandboxError) -> PyErr {
    match e {
        SandboxError::NotFound(m) => PyLookupError::new_err(format!("sandbox: not found: {m}")),
        SandboxError::InvalidState(m) => {
            PyValueError::new_err(format!("sandbox: invalid state: {m}"))
        }
    }
}

impl PySandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> PyResult<T> {
        let guard = self.inner.lock().map_err(|_| stopped())?;
        guard.as_ref().map(f).ok_or_else(stopped)
    }
}

fn json_list<'py>(py: Python<'py>, items: &[serde_json::Value]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for item in items {
        list.append(json_to_py(py, item)?)?;
    }
    Ok(list)
}

#[pymethods]
impl PySandbox {
    /// Starts a sandbox on 127.0.0.1 with the start options read by the sandbox crate's one
    /// reader (`qfpay_sandbox::options::config`, Python's names, durations in seconds):
    /// `port`, `merchants` (dicts), `rate_limit` (a bool or a dict), `notify_time_scale`,
    /// `pending_queries`, `slow_response`. Every option left out keeps the sandbox's default.
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let config =
            qfpay_sandbox::options::config(Lang::Python, crate::convert::args(&[], options))
                .map_err(|e| to_py_err(py, &e))?;
        let sandbox = py
            .detach(|| Sandbox::start_background(config))
            .map_err(|e| PyRuntimeError::new_err(format!("the sandbox did not start: {e}")))?;
        let merchants = sandbox.merchants();
        let merchants = if merchants.is_empty() {
            std::slice::from_ref(sandbox.merchant())
        } else {
            merchants
        };
        let merchants = merchants
            .iter()
            .map(|m| {
                let m = m.clone();
                (m.app_code, m.client_key, m.mchid, m.notify_url)
            })
            .collect();
        Ok(Self {
            base_url: sandbox.base_url(),
            port: sandbox.port(),
            merchants,
            inner: Mutex::new(Some(sandbox)),
        })
    }

    /// `http://127.0.0.1:<port>`.
    #[getter]
    fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The port.
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    /// The merchants as `(app_code, client_key, mchid, notify_url)`; the first is the default.
    #[getter]
    fn merchants(&self) -> Vec<MerchantTuple> {
        self.merchants.clone()
    }

    /// The customer's scan: pays the pending order with this `syssn` or `out_trade_no` and
    /// returns its query record.
    fn pay<'py>(
        &self,
        py: Python<'py>,
        syssn_or_out_trade_no: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = py
            .detach(|| self.with(|s| s.pay(syssn_or_out_trade_no)))?
            .map_err(sandbox_err)?;
        json_to_py(py, &record)
    }

    /// Applies a fault to the next `count` API requests: `kind` is `delay` (`delay`, seconds,
    /// default 0.5), `drop`, `http_status` (`status`), `malformed` or `canned` (`status`, `body`).
    #[pyo3(signature = (kind, count=1, delay=None, status=None, body=None))]
    fn inject_fault(
        &self,
        kind: &str,
        count: u32,
        delay: Option<&Bound<'_, PyAny>>,
        status: Option<u16>,
        body: Option<String>,
    ) -> PyResult<()> {
        let delay = delay
            .filter(|d| !d.is_none())
            .map(|d| crate::convert::seconds("delay", d))
            .transpose()?;
        let fault = match kind {
            "delay" => Fault::Delay(delay.unwrap_or(Duration::from_millis(500))),
            "drop" => Fault::Drop,
            "http_status" => Fault::HttpStatus(status.unwrap_or(500)),
            "malformed" => Fault::Malformed,
            "canned" => Fault::Canned {
                status: status.unwrap_or(200),
                body: body.unwrap_or_default(),
            },
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown fault kind {other:?}: use delay, drop, http_status, malformed or canned"
                )));
            }
        };
        self.with(|s| s.inject_fault(fault, count))
    }

    /// The request log (the last 1000 API requests), oldest first.
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.with(|s| s.requests())?;
        json_list(py, &items)
    }

    /// API requests received since start or reset, rejected ones included.
    fn request_count(&self) -> PyResult<usize> {
        self.with(|s| s.request_count())
    }

    /// Notification deliveries and their attempts, oldest first.
    fn notifications<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.with(|s| s.notifications())?;
        json_list(py, &items)
    }

    /// Every order the sandbox holds (payments and refunds), oldest first: `kind`,
    /// `out_trade_no`, `syssn`, `txamt`, `txcurrcd`, `state`, `orig_syssn`.
    fn orders<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.with(|s| s.orders())?;
        json_list(py, &items)
    }

    /// Forgets orders, the log, faults and notifications.
    fn reset(&self) -> PyResult<()> {
        self.with(|s| s.reset())
    }

    /// Moves the sandbox clock forward (to expire orders without waiting).
    fn advance_clock(&self, seconds: i64) -> PyResult<()> {
        self.with(|s| s.advance_clock(seconds))
    }

    /// Stops the server; further calls raise `RuntimeError`. Closing twice is harmless.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self.inner.lock().map_err(|_| stopped())?.take();
        if let Some(s) = taken {
            py.detach(move || s.shutdown());
        }
        Ok(())
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> PyResult<bool> {
        Ok(self.inner.lock().map_err(|_| stopped())?.is_none())
    }
}

/// Registers the sandbox class.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySandbox>()?;
    m.add("SANDBOX_APP_CODE", qfpay_sandbox::DEFAULT_APP_CODE)?;
    m.add("SANDBOX_CLIENT_KEY", qfpay_sandbox::DEFAULT_CLIENT_KEY)?;
    Ok(())
}
