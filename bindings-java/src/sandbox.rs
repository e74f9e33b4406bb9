//! The in-process sandbox (`qfpay-sandbox`) for JVM tests: a real HTTP server on 127.0.0.1
//! with its own thread and runtime.

use std::sync::{Arc, RwLock};

use qfpay_sandbox::{Fault, Merchant, RateLimit, Sandbox, SandboxConfig, SandboxError};

use crate::errors::{FfiResult, QfPayFfiError, to_duration, to_u32};

/// Sandbox settings; `None` keeps the sandbox's defaults.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiSandboxConfig {
    /// The port on 127.0.0.1 (0 or `None`: a free one).
    pub port: Option<i32>,
    /// The merchant's app code (default: the sandbox's default credentials).
    pub app_code: Option<String>,
    /// The merchant's client key.
    pub client_key: Option<String>,
    /// The `mchid` every request must carry, if any.
    pub mchid: Option<String>,
    /// Where notifications go.
    pub notify_url: Option<String>,
    /// Whether the documented rate limit (100/s, 400/min) applies (`None`: the sandbox's
    /// default, on).
    pub rate_limit: Option<bool>,
    /// Multiplies the notification retry schedule (1.0 real time).
    pub notify_time_scale: Option<f64>,
    /// Scenario 1002: queries answered "pending" before it is paid.
    pub pending_queries: Option<i64>,
    /// Scenario 1005: the delay in milliseconds.
    pub slow_response_ms: Option<i64>,
}

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
    /// Starts a sandbox on its own thread.
    #[uniffi::constructor]
    pub fn start(config: FfiSandboxConfig) -> FfiResult<Arc<Self>> {
        let mut c = SandboxConfig::default();
        if let Some(p) = config.port {
            c.port = u16::try_from(p)
                .map_err(|_| QfPayFfiError::invalid("port", "must be between 0 and 65535"))?;
        }
        if config.app_code.is_some()
            || config.client_key.is_some()
            || config.mchid.is_some()
            || config.notify_url.is_some()
        {
            let mut m = Merchant::new(
                config
                    .app_code
                    .unwrap_or_else(|| qfpay_sandbox::DEFAULT_APP_CODE.to_owned()),
                config
                    .client_key
                    .unwrap_or_else(|| qfpay_sandbox::DEFAULT_CLIENT_KEY.to_owned()),
            );
            if let Some(id) = config.mchid {
                m = m.with_mchid(id);
            }
            if let Some(url) = config.notify_url {
                m = m.with_notify_url(url);
            }
            c.merchants = vec![m];
        }
        if let Some(on) = config.rate_limit {
            c.rate_limit = on.then(RateLimit::default);
        }
        if let Some(s) = config.notify_time_scale {
            c.notify_time_scale = s;
        }
        if let Some(n) = config.pending_queries {
            c.pending_queries = to_u32("pendingQueries", n)?;
        }
        if let Some(ms) = config.slow_response_ms {
            c.slow_response = to_duration("slowResponse", ms)?;
        }
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
