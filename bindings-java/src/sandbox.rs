//! The in-process sandbox (`qfpay-sandbox`) for JVM tests: a real HTTP server on 127.0.0.1
//! with its own thread and runtime.

use std::sync::{Arc, RwLock};

use qfpay::surface::Lang;
use qfpay_sandbox::{Fault, Merchant, Sandbox, SandboxError};

use crate::errors::{FfiResult, QfPayFfiError, to_duration, to_u32};

/// A fault for the next API requests.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum FfiFault {
    /// Process normally, answer after `ms` milliseconds.
    Delay {
        /// The delay.
        ms: i64,
    },
    /// Process, then close the connection without an answer.
    Drop,
    /// Answer with this HTTP status and an empty body, without processing.
    HttpStatus {
        /// The status.
        status: i32,
    },
    /// Process, then answer HTTP 200 with a body that is not JSON.
    Malformed,
    /// Answer exactly this, without processing.
    Canned {
        /// The status.
        status: i32,
        /// The body.
        body: String,
    },
}

fn sandbox_error(e: SandboxError) -> QfPayFfiError {
    QfPayFfiError::simple("sandbox", e.to_string())
}

fn status(v: i32) -> FfiResult<u16> {
    u16::try_from(v).map_err(|_| QfPayFfiError::invalid("status", "must be an HTTP status"))
}

/// A running sandbox; `shutdown` (or garbage collection) stops it.
#[derive(Debug, uniffi::Object)]
pub struct FfiSandbox {
    inner: RwLock<Option<Sandbox>>,
    base_url: String,
    merchant: Merchant,
}

impl FfiSandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> FfiResult<T> {
        let guard = self
            .inner
            .read()
            .map_err(|_| QfPayFfiError::simple("sandbox", "the sandbox lock was poisoned"))?;
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| QfPayFfiError::simple("sandbox", "the sandbox was shut down"))
    }
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
            base_url: sb.base_url(),
            merchant: sb.merchant().clone(),
            inner: RwLock::new(Some(sb)),
        }))
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> FfiResult<i32> {
        self.with(|s| i32::from(s.port()))
    }

    /// The merchant's app code.
    pub fn app_code(&self) -> String {
        self.merchant.app_code.clone()
    }

    /// The merchant's client key.
    pub fn client_key(&self) -> String {
        self.merchant.client_key.clone()
    }

    /// The merchant's `mchid`, if it has one.
    pub fn mchid(&self) -> Option<String> {
        self.merchant.mchid.clone()
    }

    /// The customer pays (scans) the order with this `syssn` or `out_trade_no`; returns the record as JSON.
    pub fn pay(&self, syssn_or_out_trade_no: String) -> FfiResult<String> {
        self.with(|s| s.pay(&syssn_or_out_trade_no))?
            .map(|v| v.to_string())
            .map_err(sandbox_error)
    }

    /// Applies `fault` to the next `count` API requests.
    pub fn inject_fault(&self, fault: FfiFault, count: i32) -> FfiResult<()> {
        let fault = match fault {
            FfiFault::Delay { ms } => Fault::Delay(to_duration("delay", ms)?),
            FfiFault::Drop => Fault::Drop,
            FfiFault::HttpStatus { status: st } => Fault::HttpStatus(status(st)?),
            FfiFault::Malformed => Fault::Malformed,
            FfiFault::Canned { status: st, body } => Fault::Canned {
                status: status(st)?,
                body,
            },
        };
        let count = to_u32("count", i64::from(count))?;
        self.with(|s| s.inject_fault(fault, count))
    }

    /// API requests received since start or reset (rejected ones included).
    pub fn request_count(&self) -> FfiResult<i64> {
        self.with(|s| i64::try_from(s.request_count()).unwrap_or(i64::MAX))
    }

    /// The request log as a JSON array, oldest first.
    pub fn requests_json(&self) -> FfiResult<String> {
        self.with(|s| serde_json::Value::Array(s.requests()).to_string())
    }

    /// Notification deliveries and their attempts as a JSON array.
    pub fn notifications_json(&self) -> FfiResult<String> {
        self.with(|s| serde_json::Value::Array(s.notifications()).to_string())
    }

    /// Every payment and refund the sandbox holds, as a JSON array (see `Sandbox::orders`).
    pub fn orders_json(&self) -> FfiResult<String> {
        self.with(|s| serde_json::Value::Array(s.orders()).to_string())
    }

    /// Moves the sandbox clock forward by `seconds` (the JVM's `advanceClock(Duration)`); refuses
    /// a move beyond its bounds, naming the JVM argument `duration`.
    pub fn advance_clock(&self, seconds: i64) -> FfiResult<()> {
        self.with(|s| s.try_advance_clock(seconds))?
            .map_err(|e| QfPayFfiError::invalid("duration", &e))
    }

    /// Forgets orders, the log, faults and notifications.
    pub fn reset(&self) -> FfiResult<()> {
        self.with(Sandbox::reset)
    }

    /// Stops the server (idempotent).
    pub fn shutdown(&self) {
        let taken = match self.inner.write() {
            Ok(mut g) => g.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(s) = taken {
            s.shutdown();
        }
    }
}

/// The default sandbox merchant's app code.
#[uniffi::export]
pub fn sandbox_app_code() -> String {
    qfpay_sandbox::DEFAULT_APP_CODE.to_owned()
}

/// The default sandbox merchant's client key.
#[uniffi::export]
pub fn sandbox_client_key() -> String {
    qfpay_sandbox::DEFAULT_CLIENT_KEY.to_owned()
}
