//! `NativeSandbox`: the core's in-process QFPay simulator on its own thread and runtime.

use std::sync::Mutex;

use napi_derive::napi;
use qfpay::surface::Lang;
use qfpay_sandbox::{Fault, Merchant, Sandbox, SandboxConfig};
use serde_json::{Map, Value, json};

use crate::convert;
use crate::errors::{config, invalid, js};

/// `Sandbox.start`'s options, by the sandbox's own reader under Node's names.
fn sandbox_config(options: Option<Value>) -> qfpay::Result<SandboxConfig> {
    qfpay_sandbox::options::config(Lang::Node, convert::value(options))
}

fn merchant_json(m: &Merchant) -> Value {
    let mut o = Map::new();
    o.insert("appCode".into(), json!(m.app_code));
    o.insert("clientKey".into(), json!(m.client_key));
    if let Some(id) = &m.mchid {
        o.insert("mchid".into(), json!(id));
    }
    if let Some(u) = &m.notify_url {
        o.insert("notifyUrl".into(), json!(u));
    }
    Value::Object(o)
}

/// Starts a sandbox on 127.0.0.1 (a free port unless `port` is given), on its own thread.
#[napi]
pub fn start_sandbox(options: Option<Value>) -> napi::Result<NativeSandbox> {
    let cfg = js(sandbox_config(options))?;
    let sb = Sandbox::start_background(cfg)
        .map_err(|e| crate::errors::to_napi(config(format!("the sandbox could not start: {e}"))))?;
    Ok(NativeSandbox {
        base_url: sb.base_url(),
        port: u32::from(sb.port()),
        merchants: sb.merchants().iter().map(merchant_json).collect(),
        inner: Mutex::new(Some(sb)),
    })
}

/// The native sandbox behind the JavaScript `Sandbox`.
#[napi]
pub struct NativeSandbox {
    inner: Mutex<Option<Sandbox>>,
    base_url: String,
    port: u32,
    merchants: Vec<Value>,
}

impl NativeSandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> napi::Result<T> {
        let guard = self
            .inner
            .lock()
            .map_err(|_| napi::Error::from_reason("the sandbox lock is poisoned"))?;
        match guard.as_ref() {
            Some(sb) => Ok(f(sb)),
            None => Err(crate::errors::to_napi(config("the sandbox was stopped"))),
        }
    }
}

#[napi]
impl NativeSandbox {
    /// `http://127.0.0.1:<port>`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The port.
    #[napi(getter)]
    pub fn port(&self) -> u32 {
        self.port
    }

    /// The merchants `{ appCode, clientKey, mchid?, notifyUrl? }`.
    #[napi]
    pub fn merchants(&self) -> Vec<Value> {
        self.merchants.clone()
    }

    /// The customer pays the order (by `syssn` or `out_trade_no`); returns the record.
    #[napi]
    pub fn pay(&self, syssn_or_out_trade_no: String) -> napi::Result<Value> {
        self.with(|sb| sb.pay(&syssn_or_out_trade_no))?
            .map_err(|e| crate::errors::to_napi(invalid("syssn", e.to_string())))
    }

    /// Faults for the next `count` (default 1) API requests:
    /// `{ kind: 'delay'|'drop'|'http_status'|'malformed'|'canned', count?, ms?, status?, body? }`.
    #[napi]
    pub fn inject_fault(&self, fault: Value) -> napi::Result<()> {
        let parsed =
            Fault::from_json(&fault).map_err(|e| crate::errors::to_napi(invalid("fault", e)))?;
        let count = match fault.get("count") {
            None | Some(Value::Null) => 1,
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    crate::errors::to_napi(invalid("count", "must be a whole number"))
                })?,
        };
        self.with(|sb| sb.inject_fault(parsed, count))
    }

    /// The request log, oldest first.
    #[napi]
    pub fn requests(&self) -> napi::Result<Vec<Value>> {
        self.with(Sandbox::requests)
    }

    /// API requests received since start or reset.
    #[napi]
    pub fn request_count(&self) -> napi::Result<u32> {
        self.with(|sb| u32::try_from(sb.request_count()).unwrap_or(u32::MAX))
    }

    /// Notification deliveries and their attempts.
    #[napi]
    pub fn notifications(&self) -> napi::Result<Vec<Value>> {
        self.with(Sandbox::notifications)
    }

    /// Every payment and refund the sandbox holds (QFPay's snake_case names; the wrapper
    /// gives them camelCase).
    #[napi]
    pub fn orders(&self) -> napi::Result<Vec<Value>> {
        self.with(Sandbox::orders)
    }

    /// Moves the sandbox clock forward by `seconds` (at most 100 years either way).
    #[napi]
    pub fn advance_clock(&self, seconds: f64) -> napi::Result<()> {
        const MAX: f64 = 100.0 * 366.0 * 24.0 * 3600.0;
        if !seconds.is_finite() || seconds.fract() != 0.0 || seconds.abs() > MAX {
            return Err(crate::errors::to_napi(invalid(
                "seconds",
                format!("must be a whole number of seconds within 100 years, got {seconds}"),
            )));
        }
        // Whole and within 100 years: the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let s = seconds as i64;
        self.with(|sb| sb.advance_clock(s))
    }

    /// Forgets orders, the log, faults and notifications.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(Sandbox::reset)
    }

    /// Stops the server (idempotent). The shutdown waits for the server thread on a blocking
    /// pool thread, never on the event loop.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let taken = self
            .inner
            .lock()
            .map_err(|_| napi::Error::from_reason("the sandbox lock is poisoned"))?
            .take();
        if let Some(sb) = taken {
            napi::bindgen_prelude::spawn_blocking(move || sb.shutdown())
                .await
                .map_err(|e| napi::Error::from_reason(format!("the sandbox did not stop: {e}")))?;
        }
        Ok(())
    }
}
