//! `QfPay\Sandbox`: the in-process QFPay simulator (its own thread and runtime, a free port on
//! 127.0.0.1), for merchants' own PHPUnit tests.

use std::sync::{Mutex, MutexGuard};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use qfpay::ClientBuilder;
use qfpay::surface::Value;
use qfpay_sandbox::{Fault, Sandbox as Inner};
use serde_json::Value as Json;

use super::client::Client;
use super::convert::{self, PHP, invalid};
use super::errors::Php;
use super::results::json_to_zval;

/// A PHP value (read by `convert`) as JSON.
fn json(v: Value) -> Json {
    match v {
        Value::Null | Value::BadText => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Int(i) => Json::from(i),
        Value::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        Value::Text(s) | Value::Other(s) | Value::Huge(s) => Json::String(s),
        Value::List(l) => Json::Array(l.into_iter().map(json).collect()),
        Value::Map(m) => Json::Object(m.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}

fn list(items: Vec<Json>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(0));
    for item in &items {
        let _ = ht.push(json_to_zval(item));
    }
    ht
}

/// A local QFPay simulator on 127.0.0.1. Amounts 1001–1007 trigger scenarios (declined,
/// pending, ...); see the README.
#[php_class]
#[php(name = "QfPay\\Sandbox")]
#[php(flags = ClassFlags::Final)]
pub struct Sandbox {
    inner: Mutex<Option<Inner>>,
    base_url: String,
    port: i64,
    app_code: String,
    client_key: String,
    mchid: Option<String>,
}

impl Sandbox {
    fn lock(&self) -> PhpResult<MutexGuard<'_, Option<Inner>>> {
        let poisoned = |_| qfpay::Error::config("the sandbox lock is poisoned");
        self.inner.lock().map_err(poisoned).php()
    }

    fn with<T>(&self, f: impl FnOnce(&Inner) -> qfpay::Result<T>) -> PhpResult<T> {
        match self.lock()?.as_ref() {
            Some(sb) => f(sb).php(),
            None => Err(qfpay::Error::config("the sandbox was stopped")).php(),
        }
    }
}

#[php_impl]
impl Sandbox {
    /// Starts a sandbox (a free port unless `port` is given). Options: `port`, `merchants`,
    /// `rateLimit` (default on: 100/s, 400/min; false turns it off), `notifyTimeScale`,
    /// `pendingQueries`, `slowResponseMs`, `strictPayTypes`.
    pub fn start(options: Option<&ZendHashTable>) -> PhpResult<Sandbox> {
        // Read by the sandbox's own reader under PHP's names.
        let cfg = qfpay_sandbox::options::config(PHP, convert::map(options, &[])).php()?;
        let sb = Inner::start_background(cfg)
            .map_err(|e| qfpay::Error::config(format!("the sandbox could not start: {e}")))
            .php()?;
        let m = sb.merchant().clone();
        Ok(Sandbox {
            base_url: sb.base_url(),
            port: i64::from(sb.port()),
            app_code: m.app_code,
            client_key: m.client_key,
            mchid: m.mchid,
            inner: Mutex::new(Some(sb)),
        })
    }

    #[php(getter)]
    pub fn get_base_url(&self) -> String {
        self.base_url.clone()
    }

    #[php(getter)]
    pub fn get_port(&self) -> i64 {
        self.port
    }

    #[php(getter)]
    pub fn get_app_code(&self) -> String {
        self.app_code.clone()
    }

    #[php(getter)]
    pub fn get_client_key(&self) -> String {
        self.client_key.clone()
    }

    /// The first merchant's `mchid`, when it has one.
    #[php(getter)]
    pub fn get_mchid(&self) -> Option<String> {
        self.mchid.clone()
    }

    /// A Client for this sandbox's first merchant, its `mchid` included (`overrides`: any
    /// client option).
    pub fn client(&self, overrides: Option<&ZendHashTable>) -> PhpResult<Client> {
        let mut b = ClientBuilder::new().base_url(&self.base_url);
        if let Some(m) = &self.mchid {
            b = b.mchid(m);
        }
        Client::build(
            Ok(b.credentials(&self.app_code, self.client_key.as_str())),
            overrides,
        )
    }

    /// The customer pays the order (by syssn or out_trade_no); returns its record.
    pub fn pay(&self, syssnOrOutTradeNo: String) -> PhpResult<Zval> {
        self.with(|sb| {
            sb.pay(&syssnOrOutTradeNo)
                .map(|v| json_to_zval(&v))
                .map_err(|e| invalid("syssn", e.to_string()))
        })
    }

    /// Faults for the next `count` (default 1) API requests: `['kind' => 'delay'|'drop'|
    /// 'http_status'|'malformed'|'canned', 'count' => 1, 'ms' => ..., 'status' => ..., 'body' => ...]`.
    pub fn inject_fault(&self, fault: &ZendHashTable) -> PhpResult<()> {
        let json = json(convert::map(Some(fault), &[]));
        let parsed = Fault::from_json(&json)
            .map_err(|e| invalid("fault", e))
            .php()?;
        let count = match json.get("count") {
            None | Some(Json::Null) => 1,
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| invalid("count", "must be a non-negative int"))
                .php()?,
        };
        self.with(|sb| {
            sb.inject_fault(parsed, count);
            Ok(())
        })
    }

    /// Writes paid history into the first merchant's book (as `POST /sandbox/seed`):
    /// `['orders' => N, 'from' => 'YYYY-MM-DD', 'to' => ..., 'refunds' => count or fraction,
    /// 'duplicates' => N, 'seed' => S]`; returns the summary (`records`, `totals`,
    /// `duplicate_out_trade_nos`, `out_trade_no_prefix`, ...).
    pub fn seed(&self, request: &ZendHashTable) -> PhpResult<Zval> {
        let json = json(convert::map(Some(request), &[]));
        let req = qfpay_sandbox::seed::SeedRequest::from_json(&json)
            .map_err(|e| invalid("seed", e))
            .php()?;
        self.with(|sb| {
            sb.seed(&req)
                .map(|v| json_to_zval(&v))
                .map_err(|e| invalid("seed", e.to_string()))
        })
    }

    /// The request log (the last 1000 API requests), oldest first.
    pub fn requests(&self) -> PhpResult<ZBox<ZendHashTable>> {
        self.with(|sb| Ok(list(sb.requests())))
    }

    /// API requests received since start or reset.
    pub fn request_count(&self) -> PhpResult<i64> {
        self.with(|sb| Ok(i64::try_from(sb.request_count()).unwrap_or(i64::MAX)))
    }

    /// Notification deliveries and their attempts, oldest first.
    pub fn notifications(&self) -> PhpResult<ZBox<ZendHashTable>> {
        self.with(|sb| Ok(list(sb.notifications())))
    }

    /// Every order, payment and refund the sandbox holds (`kind`, `out_trade_no`, `syssn`,
    /// `txamt`, `txcurrcd`, `state`, `orig_syssn`), for checking a test against them.
    pub fn orders(&self) -> PhpResult<ZBox<ZendHashTable>> {
        self.with(|sb| Ok(list(sb.orders())))
    }

    /// Forgets orders, the log, faults and notifications.
    pub fn reset(&self) -> PhpResult<()> {
        self.with(|sb| {
            sb.reset();
            Ok(())
        })
    }

    /// Moves the sandbox clock forward (to expire orders without waiting).
    pub fn advance_clock(&self, seconds: i64) -> PhpResult<()> {
        if !(0..=10 * 365 * 24 * 3600).contains(&seconds) {
            return Err(invalid("seconds", "must be 0 to 10 years")).php();
        }
        self.with(|sb| {
            sb.advance_clock(seconds);
            Ok(())
        })
    }

    /// Stops the server (idempotent).
    pub fn stop(&self) -> PhpResult<()> {
        let taken = self.lock()?.take();
        if let Some(sb) = taken {
            sb.shutdown();
        }
        Ok(())
    }
}
