//! The in-process sandbox (`qfpay-sandbox`) for JVM tests: a real HTTP server on 127.0.0.1
//! with its own thread and runtime, driven by name from `Sandbox.kt`.

use std::sync::{Arc, PoisonError, RwLock};

use qfpay::surface::{Lang, Value};
use qfpay_sandbox::{Fault, Sandbox};
use serde_json::Value as J;

use crate::errors::{FfiResult, QfPayFfiError, to_u32};

/// A running sandbox; `call("shutdown")` (or garbage collection) stops it.
#[derive(Debug, uniffi::Object)]
pub struct FfiSandbox {
    inner: RwLock<Option<Sandbox>>,
}

fn int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n)) => *n,
        _ => 0,
    }
}

fn text(args: &[Value], i: usize) -> &str {
    match args.get(i) {
        Some(Value::Text(t)) => t,
        _ => "",
    }
}

fn status(v: i64) -> FfiResult<u16> {
    u16::try_from(v).map_err(|_| QfPayFfiError::invalid("status", "must be an HTTP status"))
}

/// A fault from its kind and arguments (`Fault` in `Sandbox.kt`); a delay in nanoseconds.
fn fault(args: &[Value]) -> FfiResult<Fault> {
    Ok(match text(args, 0) {
        "delay" => {
            #[allow(clippy::cast_precision_loss)]
            let ms = int(args, 1) as f64 / 1e6;
            Fault::Delay(qfpay::convert::millis_f64("delay", ms)?)
        }
        "drop" => Fault::Drop,
        "http_status" => Fault::HttpStatus(status(int(args, 1))?),
        "malformed" => Fault::Malformed,
        _ => Fault::Canned {
            status: status(int(args, 1))?,
            body: text(args, 2).to_owned(),
        },
    })
}

#[uniffi::export]
impl FfiSandbox {
    /// Starts a sandbox on its own thread; `options` are its start options by their Java names
    /// (a generic value, `value.rs`), read by the sandbox's reader.
    #[uniffi::constructor]
    pub fn start(options: Vec<u8>) -> FfiResult<Arc<Self>> {
        let options = crate::value::read(&mut options.as_slice())?;
        let c = qfpay_sandbox::options::config(Lang::Jvm, options)?;
        let sb = Sandbox::start_background(c).map_err(|e| {
            QfPayFfiError::simple("sandbox", format!("cannot start the sandbox: {e}"))
        })?;
        Ok(Arc::new(Self {
            inner: RwLock::new(Some(sb)),
        }))
    }

    /// The sandbox method `what` (see `Sandbox.kt`) with `args` (a generic list, `value.rs`);
    /// its result as text (JSON for the logs), if any.
    pub fn call(&self, what: String, args: Vec<u8>) -> FfiResult<Option<String>> {
        let args = match crate::value::read(&mut args.as_slice())? {
            Value::List(a) => a,
            _ => Vec::new(),
        };
        if what == "shutdown" {
            let mut guard = self.inner.write().unwrap_or_else(PoisonError::into_inner);
            if let Some(s) = guard.take() {
                s.shutdown();
            }
            return Ok(None);
        }
        let guard = self
            .inner
            .read()
            .map_err(|_| QfPayFfiError::simple("sandbox", "the sandbox lock was poisoned"))?;
        let s = guard
            .as_ref()
            .ok_or_else(|| QfPayFfiError::simple("sandbox", "the sandbox was shut down"))?;
        let m = s.merchant();
        Ok(match what.as_str() {
            "base_url" => Some(s.base_url()),
            "port" => Some(s.port().to_string()),
            "app_code" => Some(m.app_code.clone()),
            "client_key" => Some(m.client_key.clone()),
            "mchid" => m.mchid.clone(),
            "pay" => Some(
                s.pay(text(&args, 0))
                    .map_err(|e| QfPayFfiError::simple("sandbox", e.to_string()))?
                    .to_string(),
            ),
            "inject_fault" => {
                let fault = fault(args.get(1..).unwrap_or_default())?;
                s.inject_fault(fault, to_u32("count", int(&args, 0))?);
                None
            }
            "request_count" => Some(s.request_count().to_string()),
            "requests" => Some(J::Array(s.requests()).to_string()),
            "notifications" => Some(J::Array(s.notifications()).to_string()),
            "orders" => Some(J::Array(s.orders()).to_string()),
            "advance_clock" => {
                let moved = s.try_advance_clock(int(&args, 0));
                moved.map_err(|e| QfPayFfiError::invalid("duration", &e))?;
                None
            }
            "reset" => {
                s.reset();
                None
            }
            _ => return Err(QfPayFfiError::simple("sandbox", format!("no {what}"))),
        })
    }
}
