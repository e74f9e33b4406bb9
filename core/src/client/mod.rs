//! The async client: operations, retries and status-unknown reconciliation.
//!
//! Money-moving calls (payment, refund, close, reversal) are sent again only when QFPay
//! cannot have processed them (the connection was never made, or HTTP 429), always with the
//! same parameters, `out_trade_no` and signature. When the outcome is unknown (`1143`, `1145`,
//! `1298`, a timeout or a lost connection after sending, HTTP 5xx, an unreadable answer) the
//! client queries the same `out_trade_no` for up to `reconcile_timeout`; if it still cannot
//! tell, it returns [`Error::StatusUnknown`] carrying the `out_trade_no`.

mod call;
pub mod config;
mod connect;
mod exchange;
mod notes;
mod online;
mod operations;
mod order_number;
mod pages;
mod retry;
mod statements;
mod tls;
mod transactions;
pub mod transport;
mod wait;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike, Utc};
use rand::TryRngCore;
use tokio::time::{Instant, sleep, sleep_until};

pub use config::{ClientBuilder, Config, Environment, VERSION};
pub use order_number::generate_out_trade_no;
pub use pages::{Pages, QueryPages};
pub use transactions::{MIN_INTERVAL, PAGE_SIZE, ReconcileRequest, Transactions, month_windows};
pub use transport::Endpoint;
pub use wait::Wait;

use order_number::push_datetime;

use call::{Call, CancelGuard, Sent, Verdict};
use wait::poll_query_deadline;

use crate::error::{Error, Result};
use crate::events::{Emit, EventKind, Fields, Observer, ObserverSlot};
use crate::model::fields::{self, RawMap};
use crate::model::query::{TransactionState, pick_order};
use crate::model::resp_code::{RespCategory, is_processing};
use crate::model::{
    CancelRequest, Cancellation, Payment, PaymentRequest, QueryPage, QueryRequest, Refund,
    RefundRequest, Transaction,
};
use transport::{Attempt, Exchange, human};

/// A QFPay client. Cheap to clone (one shared connection pool), `Send + Sync`, no globals.
/// Used in a process forked after it was created, it detects the new process id and opens a
/// fresh connection pool instead of sharing the parent's sockets.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    timeout: Duration,
    max_retries: u32,
    observer: ObserverSlot,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    urls: transport::Urls,
    pid: u32,
    http: transport::Http,
    /// The pool of a forked child (the process id it belongs to).
    forked: Mutex<Option<(u32, transport::Http)>>,
}

impl Inner {
    fn new(config: Config) -> Result<Self> {
        let http = transport::http_client(&config)?;
        Ok(Self {
            urls: transport::Urls::new(&config.base_url)?,
            config,
            pid: std::process::id(),
            http,
            forked: Mutex::new(None),
        })
    }

    /// The connection pool of the current process.
    fn http(&self) -> Result<transport::Http> {
        let pid = std::process::id();
        if pid == self.pid {
            return Ok(self.http.clone());
        }
        let mut slot = self.forked.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = slot.as_ref().filter(|(p, _)| *p == pid) {
            return Ok(c.clone());
        }
        let fresh = transport::http_client(&self.config)?;
        *slot = Some((pid, fresh.clone()));
        Ok(fresh)
    }
}

/// `now + d`, saturating far in the future instead of overflowing.
pub(crate) fn deadline_after(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d)
        .or_else(|| now.checked_add(crate::convert::MAX_DURATION))
        .unwrap_or(now)
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the `QFPAY_*` environment variables.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::new().env()?.build()
    }

    /// A client for a checked configuration.
    pub fn from_config(config: Config) -> Result<Self> {
        let (timeout, max_retries) = (config.timeout, config.max_retries);
        Ok(Self {
            inner: Arc::new(Inner::new(config)?),
            timeout,
            max_retries,
            observer: ObserverSlot::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The same client reporting [`crate::events::Event`]s to `observer` (shares the
    /// connection pool).
    pub fn with_observer(&self, observer: Arc<dyn Observer>) -> Self {
        self.with_observer_slot(ObserverSlot(Some(observer)))
    }

    pub(crate) fn with_observer_slot(&self, observer: ObserverSlot) -> Self {
        Self {
            observer,
            ..self.clone()
        }
    }

    /// The same client (configuration, observer, deadline, retries) with a connection pool of
    /// its own. A pool's connections are driven by the runtime that opened them: work run on
    /// another runtime than this client's (a blocking walk's reading thread,
    /// [`crate::blocking::PagesAhead`]) needs its own, or it would wait on connections that
    /// nothing drives.
    pub fn with_own_pool(&self) -> Result<Self> {
        Ok(Self {
            inner: Arc::new(Inner::new(self.inner.config.clone())?),
            ..self.clone()
        })
    }

    /// The same client with another per-call deadline (shares the connection pool). A
    /// deadline too far to compute (`Duration::MAX`) means "no deadline".
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        Self {
            timeout,
            ..self.clone()
        }
    }

    /// The same client with another connect timeout. This needs its own connection pool, so
    /// keep the result for the calls that need it rather than creating one per call.
    pub fn with_connect_timeout(&self, connect_timeout: Duration) -> Result<Self> {
        config::check_duration("connect_timeout", connect_timeout)?;
        if connect_timeout.is_zero() {
            return Err(Error::config_option(
                "connect_timeout",
                "must be greater than zero",
            ));
        }
        let mut config = self.inner.config.clone();
        config.connect_timeout = connect_timeout;
        Ok(Self {
            inner: Arc::new(Inner::new(config)?),
            ..self.clone()
        })
    }

    /// The same client with another retry count (shares the connection pool).
    pub fn with_max_retries(&self, max_retries: u32) -> Self {
        Self {
            max_retries,
            ..self.clone()
        }
    }

    /// The current time as `txdtm`, in the configured zone.
    pub fn now_txdtm(&self) -> String {
        let mut out = String::with_capacity(19);
        push_datetime(&mut out, &self.now_local(), "-", " ", ":");
        out
    }

    /// The current time in the configured zone (QFPay's: UTC+8 by default).
    fn now_local(&self) -> NaiveDateTime {
        Utc::now().naive_utc() + TimeDelta::seconds(i64::from(self.inner.config.utc_offset_seconds))
    }

    /// A call's result with the client key masked in the error's texts (a server, or an
    /// option the key was pasted into, may echo it).
    fn masked<T>(&self, result: Result<T>) -> Result<T> {
        match (result, self.inner.config.client_key.maskable()) {
            (Err(e), Some(secret)) => Err(e.redact(secret)),
            (other, _) => other,
        }
    }

    fn mchid<'a>(&'a self, own: Option<&'a str>) -> Option<&'a str> {
        own.filter(|m| !m.is_empty())
            .or(self.inner.config.mchid.as_deref())
    }

    fn emit(&self) -> Emit<'_> {
        Emit {
            observer: self.observer.0.as_deref(),
            secret: self.inner.config.client_key.maskable(),
        }
    }

    fn guard<'a>(&'a self, endpoint: Endpoint, out_trade_no: Option<&'a str>) -> CancelGuard<'a> {
        CancelGuard {
            endpoint,
            out_trade_no,
            started: std::time::Instant::now(),
            observer: self.observer.0.as_deref(),
            secret: self.inner.config.client_key.maskable(),
            sent: AtomicBool::new(false),
            done: false,
        }
    }

    fn call<'a>(
        &'a self,
        endpoint: Endpoint,
        out_trade_no: Option<&'a str>,
        guard: Option<&'a CancelGuard<'a>>,
    ) -> Call<'a> {
        Call {
            endpoint,
            out_trade_no,
            started: guard.map_or_else(std::time::Instant::now, |g| g.started),
            emit: self.emit(),
            sent: guard.map(|g| &g.sent),
            mask: None,
        }
    }
}

/// Logs a warning when `t` was picked from several records under its order number: a customer
/// who paid twice must be refunded or reconciled, never missed.
fn warn_if_several(t: &Transaction) {
    if !t.other_payments.is_empty() {
        tracing::warn!(
            target: "qfpay::http",
            out_trade_no = %t.out_trade_no,
            syssn = %t.syssn,
            others = %t.other_payments.join(","),
            "several payments under one out_trade_no; reporting the one that took the money"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_debug_hides_key() {
        let c = Client::builder()
            .credentials("APP", "TOPSECRETKEY")
            .build()
            .unwrap();
        assert!(!format!("{c:?}").contains("TOPSECRETKEY"));
        assert_eq!(c.now_txdtm().len(), 19);
    }
}
