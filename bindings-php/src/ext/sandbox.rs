//! `QfPay\Sandbox`: the in-process QFPay simulator (its own thread and runtime, a free port on
//! 127.0.0.1), for merchants' own PHPUnit tests.

use std::sync::Mutex;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use qfpay_sandbox::{Fault, Merchant, RateLimit, Sandbox as Inner, SandboxConfig};
use serde_json::{Map, Value};

use super::client::Client;
use super::convert::{Opts, describe, key_name};
use super::errors::{Php, invalid};
use super::results::json_to_zval;

/// A PHP value as JSON (arrays with keys 0..n as lists, other arrays as objects).
pub fn zval_to_json(v: &Zval) -> Value {
    let v = v.dereference();
    if v.is_null() {
        Value::Null
    } else if v.is_bool() {
        Value::Bool(v.bool().unwrap_or(false))
    } else if v.is_long() {
        Value::from(v.long().unwrap_or(0))
    } else if v.is_double() {
        serde_json::Number::from_f64(v.double().unwrap_or(f64::NAN))
            .map_or(Value::Null, Value::Number)
    } else if let Some(s) = v.str() {
        Value::String(s.to_owned())
    } else if let Some(ht) = v.array() {
        if ht.has_sequential_keys() {
            Value::Array(ht.values().map(zval_to_json).collect())
        } else {
            let mut m = Map::new();
            for (k, item) in ht.iter() {
                let key = key_name(k);
                m.insert(key, zval_to_json(item));
            }
            Value::Object(m)
        }
    } else {
        Value::String(describe(v))
    }
}

fn list(items: Vec<Value>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(0));
    for item in &items {
        let _ = ht.push(json_to_zval(item));
    }
    ht
}

fn merchant(v: &Zval) -> qfpay::Result<Merchant> {
    let Some(ht) = v.dereference().array() else {
        return Err(qfpay::Error::config_option(
            "merchants",
            "must each be ['appCode' => ..., 'clientKey' => ...]",
        ));
    };
    let mut f = Opts::options("a sandbox merchant", Some(ht));
    let mut m = Merchant::new(f.req_str("appCode")?, f.req_str("clientKey")?);
    if let Some(id) = f.str("mchid")? {
        m = m.with_mchid(id);
    }
    if let Some(u) = f.str("notifyUrl")? {
        m = m.with_notify_url(u);
    }
    f.finish()?;
    Ok(m)
}

fn sandbox_config(options: Option<&ZendHashTable>) -> qfpay::Result<SandboxConfig> {
    let mut f = Opts::options("the sandbox options", options);
    let c = read_sandbox_config(&mut f)?;
    f.finish()?;
    Ok(c)
}

fn read_sandbox_config(f: &mut Opts<'_>) -> qfpay::Result<SandboxConfig> {
    let mut c = SandboxConfig::default();
    if let Some(p) = f.int("port")? {
        c.port = u16::try_from(p)
            .map_err(|_| invalid("port", format!("must be 0 to 65535, got {p}")))?;
    }
    if let Some(v) = f.raw("merchants") {
        let Some(items) = v.array() else {
            return Err(qfpay::Error::config_option(
                "merchants",
                "must be a list of ['appCode' => ..., 'clientKey' => ...]",
            ));
        };
        c.merchants = items.values().map(merchant).collect::<qfpay::Result<_>>()?;
    }
    match f.raw("rateLimit") {
        None => {}
        Some(v) if v.is_false() => c.rate_limit = None,
        Some(v) if v.is_true() => c.rate_limit = Some(RateLimit::default()),
        Some(v) if v.is_array() => {
            let mut r = Opts::options("rateLimit", v.array());
            let d = RateLimit::default();
            c.rate_limit = Some(RateLimit {
                per_second: r.u32("perSecond")?.unwrap_or(d.per_second),
                per_minute: r.u32("perMinute")?.unwrap_or(d.per_minute),
            });
            r.finish()?;
        }
        Some(_) => {
            return Err(qfpay::Error::config_option(
                "rateLimit",
                "must be false, true or ['perSecond' => ..., 'perMinute' => ...]",
            ));
        }
    }
    if let Some(v) = f.raw("notifyTimeScale") {
        let scale = if v.is_long() {
            v.long().unwrap_or(1) as f64
        } else {
            v.double().unwrap_or(f64::NAN)
        };
        if !scale.is_finite() || scale < 0.0 {
            return Err(invalid(
                "notifyTimeScale",
                format!("must be a finite number >= 0, got {}", describe(v)),
            ));
        }
        c.notify_time_scale = scale;
    }
    if let Some(n) = f.u32("pendingQueries")? {
        c.pending_queries = n;
    }
    if let Some(d) = f.millis("slowResponseMs")? {
        c.slow_response = d;
    }
    Ok(c)
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
}

impl Sandbox {
    fn with<T>(&self, f: impl FnOnce(&Inner) -> qfpay::Result<T>) -> PhpResult<T> {
        let guard = self
            .inner
            .lock()
            .map_err(|_| qfpay::Error::config("the sandbox lock is poisoned"))
            .php()?;
        match guard.as_ref() {
            Some(sb) => f(sb).php(),
            None => Err(qfpay::Error::config("the sandbox was stopped")).php(),
        }
    }
}

#[php_impl]
impl Sandbox {
    /// Starts a sandbox (a free port unless `port` is given). Options: `port`, `merchants`,
    /// `rateLimit` (default on: 100/s, 400/min; false turns it off), `notifyTimeScale`,
    /// `pendingQueries`, `slowResponseMs`.
    pub fn start(options: Option<&ZendHashTable>) -> PhpResult<Sandbox> {
        let cfg = sandbox_config(options).php()?;
        let sb = Inner::start_background(cfg)
            .map_err(|e| qfpay::Error::config(format!("the sandbox could not start: {e}")))
            .php()?;
        let m = sb.merchant().clone();
        Ok(Sandbox {
            base_url: sb.base_url(),
            port: i64::from(sb.port()),
            app_code: m.app_code,
            client_key: m.client_key,
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

    /// A Client for this sandbox's first merchant (`overrides`: any client option).
    pub fn client(&self, overrides: Option<&ZendHashTable>) -> PhpResult<Client> {
        Client::for_sandbox(&self.base_url, &self.app_code, &self.client_key, overrides)
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
        let mut json = Map::new();
        for (k, v) in fault.iter() {
            let key = key_name(k);
            json.insert(key, zval_to_json(v));
        }
        let json = Value::Object(json);
        let parsed = Fault::from_json(&json)
            .map_err(|e| invalid("fault", e))
            .php()?;
        let count = match json.get("count") {
            None | Some(Value::Null) => 1,
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
        let taken = self
            .inner
            .lock()
            .map_err(|_| qfpay::Error::config("the sandbox lock is poisoned"))
            .php()?
            .take();
        if let Some(sb) = taken {
            sb.shutdown();
        }
        Ok(())
    }
}
