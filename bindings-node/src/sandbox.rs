//! `NativeSandbox`: the core's in-process QFPay simulator on its own thread and runtime.

use std::sync::{Mutex, PoisonError};

use napi_derive::napi;
use qfpay::surface::Lang;
use qfpay_sandbox::{Fault, Sandbox};
use serde_json::{Value, json};

use crate::convert;
use crate::results::{invalid, js};

/// Starts a sandbox on 127.0.0.1 (a free port unless `port` is given), on its own thread;
/// `options` as the sandbox's own reader takes them, under Node's names.
#[napi]
pub fn start_sandbox(options: Option<Value>) -> napi::Result<NativeSandbox> {
    let cfg = js(qfpay_sandbox::options::config(
        Lang::Node,
        convert::value(options),
    ))?;
    let started = Sandbox::start_background(cfg)
        .map_err(|e| qfpay::Error::config(format!("the sandbox could not start: {e}")));
    Ok(NativeSandbox(Mutex::new(Some(js(started)?))))
}

/// The native sandbox behind the JavaScript `Sandbox`.
#[napi]
pub struct NativeSandbox(Mutex<Option<Sandbox>>);

#[napi]
impl NativeSandbox {
    /// The sandbox's controls, by name (`lib/sandbox.js` checks their arguments): `info`,
    /// `pay` (a `syssn` or `out_trade_no`: the customer pays; the order's record),
    /// `injectFault` (`{ kind, count?, ms?, status?, body? }` for the next `count` API
    /// requests), `requests` (the log, oldest first), `requestCount` (API requests since
    /// start or reset), `notifications` (deliveries and their attempts), `orders` (every
    /// payment and refund, QFPay's snake_case names) and `reset` (forgets orders, the log,
    /// faults and notifications) and `advanceClock` (whole `seconds`, at most 100 years either
    /// way).
    #[napi]
    pub fn control(&self, name: String, arg: Option<Value>) -> napi::Result<Value> {
        let guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let sb = js(guard
            .as_ref()
            .ok_or_else(|| qfpay::Error::config("the sandbox was stopped")))?;
        let arg = arg.unwrap_or(Value::Null);
        js(match name.as_str() {
            "info" => {
                let merchants = sb.merchants().iter().map(|m| {
                    let mut o = json!({ "appCode": m.app_code, "clientKey": m.client_key,
                        "mchid": m.mchid, "notifyUrl": m.notify_url });
                    if let Value::Object(o) = &mut o {
                        o.retain(|_, v| !v.is_null());
                    }
                    o
                });
                let merchants: Vec<Value> = merchants.collect();
                Ok(json!({ "baseUrl": sb.base_url(), "port": sb.port(), "merchants": merchants }))
            }
            "pay" => sb
                .pay(arg.as_str().unwrap_or_default())
                .map_err(|e| invalid("syssn", e.to_string())),
            "injectFault" => {
                // It lasts `count` API requests, default 1.
                let count = match arg.get("count") {
                    None | Some(Value::Null) => Some(1),
                    Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()),
                };
                let fault = Fault::from_json(&arg).map_err(|e| invalid("fault", e));
                fault.and_then(|f| {
                    let count = count.ok_or_else(|| invalid("count", "must be a whole number"))?;
                    sb.inject_fault(f, count);
                    Ok(Value::Null)
                })
            }
            "advanceClock" => match arg.as_f64() {
                // Whole and well within i64: the cast is exact; the sandbox refuses a move that
                // leaves the clock more than 100 years from real time.
                #[allow(clippy::cast_possible_truncation)]
                Some(s) if s.fract() == 0.0 && s.abs() < 1e15 => sb
                    .try_advance_clock(s as i64)
                    .map(|()| Value::Null)
                    .map_err(|e| invalid("seconds", e)),
                _ => Err(invalid(
                    "seconds",
                    format!("must be a whole number of seconds, got {arg}"),
                )),
            },
            "requests" => Ok(Value::Array(sb.requests())),
            "requestCount" => Ok(json!(sb.request_count())),
            "notifications" => Ok(Value::Array(sb.notifications())),
            "orders" => Ok(Value::Array(sb.orders())),
            "reset" => {
                sb.reset();
                Ok(Value::Null)
            }
            other => Err(invalid(
                "control",
                format!("{other:?} is not a sandbox control"),
            )),
        })
    }

    /// Stops the server (idempotent). The shutdown waits for the server thread on a blocking
    /// pool thread, never on the event loop.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(sb) = taken {
            napi::bindgen_prelude::spawn_blocking(move || sb.shutdown())
                .await
                .map_err(|e| napi::Error::from_reason(format!("the sandbox did not stop: {e}")))?;
        }
        Ok(())
    }
}
