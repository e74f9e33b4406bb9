//! `qfpay._qfpay._Sandbox`: the in-process QFPay sandbox (`qfpay-sandbox`) on its own thread
//! and runtime, the base class of `qfpay.testing.Sandbox` (which starts it with `_start`).

use std::sync::Mutex;

use pyo3::exceptions::{PyLookupError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use qfpay::surface::{Fields, Kind, Lang};
use qfpay_sandbox::{Fault, Sandbox, SandboxError};

use crate::errors::to_py_err;
use crate::results::json_to_py;

/// A merchant as `(app_code, client_key, mchid, notify_url)` (the first is the default).
type MerchantTuple = (String, String, Option<String>, Option<String>);

/// A sandbox, running once started; `stop()` (or garbage collection) stops it.
#[pyclass(frozen, subclass, module = "qfpay._qfpay", name = "_Sandbox")]
#[derive(Default)]
pub struct PySandbox {
    inner: Mutex<Option<Sandbox>>,
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

    fn json<'py>(
        &self,
        py: Python<'py>,
        f: impl FnOnce(&Sandbox) -> Vec<serde_json::Value>,
    ) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::Value::Array(self.with(f)?))
    }
}

#[pymethods]
impl PySandbox {
    #[new]
    #[pyo3(signature = (*_args, **_kw))]
    fn new(_args: &Bound<'_, PyTuple>, _kw: Option<&Bound<'_, PyDict>>) -> Self {
        Self::default()
    }

    /// Starts the sandbox on 127.0.0.1 (the options read by the sandbox crate's reader): its
    /// base URL, port and merchants.
    #[pyo3(signature = (**options))]
    fn _start(
        &self,
        py: Python<'_>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(String, u16, Vec<MerchantTuple>)> {
        let config =
            qfpay_sandbox::options::config(Lang::Python, crate::convert::args(&[], options))
                .map_err(|e| to_py_err(py, &e))?;
        let sandbox = py
            .detach(|| Sandbox::start_background(config))
            .map_err(|e| PyRuntimeError::new_err(format!("the sandbox did not start: {e}")))?;
        let merchants = match sandbox.merchants() {
            [] => std::slice::from_ref(sandbox.merchant()),
            all => all,
        };
        let merchants = merchants.iter().cloned();
        let merchants = merchants
            .map(|m| (m.app_code, m.client_key, m.mchid, m.notify_url))
            .collect();
        let started = (sandbox.base_url(), sandbox.port(), merchants);
        let mut inner = self.inner.lock().map_err(|_| stopped())?;
        if inner.is_some() {
            return Err(PyRuntimeError::new_err("the sandbox was started already"));
        }
        *inner = Some(sandbox);
        Ok(started)
    }

    /// The customer's scan: pays the pending order and returns its query record.
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
        let delay = match delay {
            Some(d) => crate::convert::field("delay", Kind::Duration, d, Fields::duration)?,
            None => None,
        };
        let status = status.unwrap_or(if kind == "canned" { 200 } else { 500 });
        let ms = delay.map_or(500, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let spec = serde_json::json!({"kind": kind, "ms": ms, "status": status, "body": body});
        let fault = Fault::from_json(&spec).map_err(PyValueError::new_err)?;
        self.with(|s| s.inject_fault(fault, count))
    }

    /// The request log (the last 1000 API requests), oldest first.
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.json(py, |s| s.requests())
    }

    /// API requests received since start or reset, rejected ones included.
    fn request_count(&self) -> PyResult<usize> {
        self.with(|s| s.request_count())
    }

    /// Notification deliveries and their attempts, oldest first.
    fn notifications<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.json(py, |s| s.notifications())
    }

    /// Every payment and refund the sandbox holds, oldest first.
    fn orders<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.json(py, |s| s.orders())
    }

    /// Forgets orders, the log, faults and notifications.
    fn reset(&self) -> PyResult<()> {
        self.with(|s| s.reset())
    }

    /// Moves the sandbox clock forward (to expire orders without waiting).
    fn advance_clock(&self, seconds: i64) -> PyResult<()> {
        self.with(|s| s.advance_clock(seconds))
    }

    /// Stops the sandbox (stopping twice is harmless); leaving a `with` block does it.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self.inner.lock().map_err(|_| stopped())?.take();
        if let Some(s) = taken {
            py.detach(move || s.shutdown());
        }
        Ok(())
    }

    /// Whether `stop()` was called.
    #[getter]
    fn stopped(&self) -> PyResult<bool> {
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
