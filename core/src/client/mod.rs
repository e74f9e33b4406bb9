//! The async client: operations, retries and status-unknown reconciliation.
//!
//! Money-moving calls (payment, refund, close, reversal) are sent again only when QFPay
//! cannot have processed them (the connection was never made, or HTTP 429), always with the
//! same parameters, `out_trade_no` and signature. When the outcome is unknown (`1143`, `1145`,
//! `1298`, a timeout or a lost connection after sending, HTTP 5xx, an unreadable answer) the
//! client queries the same `out_trade_no` for up to `reconcile_timeout`; if it still cannot
//! tell, it returns [`Error::StatusUnknown`] carrying the `out_trade_no`.

pub mod config;
mod connect;
mod retry;
mod tls;
pub mod transport;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike, Utc};
use rand::TryRngCore;
use tokio::time::{Instant, sleep};

pub use config::{ClientBuilder, Config, Environment, VERSION};
pub use transport::Endpoint;

use crate::error::{Error, Result};
use crate::events::{Emit, EventKind, Fields, Observer, ObserverSlot};
use crate::model::fields::{self, RawMap};
use crate::model::query::TransactionState;
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

/// Emits a warning if a money-moving call is dropped after its request was sent.
struct CancelGuard<'a> {
    endpoint: Endpoint,
    out_trade_no: Option<&'a str>,
    started: std::time::Instant,
    observer: Option<&'a dyn Observer>,
    secret: Option<&'a str>,
    sent: AtomicBool,
    done: bool,
}

impl Drop for CancelGuard<'_> {
    fn drop(&mut self) {
        if self.done || !self.sent.load(Ordering::Relaxed) {
            return;
        }
        let emit = Emit {
            observer: self.observer,
            secret: self.secret,
        };
        let who = self.out_trade_no.unwrap_or("(unknown)");
        if !emit.wants(EventKind::Cancelled) {
            return;
        }
        emit.emit(EventKind::Cancelled, self.endpoint.path(), |_| Fields {
            out_trade_no: self.out_trade_no.map(str::to_owned),
            elapsed: self.started.elapsed(),
            decision: Some("status_unknown"),
            reason: Some(format!(
                "the call was cancelled after its request was sent; the outcome of out_trade_no {who} is unknown: query it (or wait for the notification) before paying again"
            )),
            ..Fields::default()
        });
    }
}

/// How long and how often [`Client::wait_for_payment`] polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// Give up after this long.
    pub timeout: Duration,
    /// First interval between queries.
    pub initial_interval: Duration,
    /// Largest interval between queries (the interval grows by half each time).
    pub max_interval: Duration,
}

impl Default for Wait {
    /// 120 s, querying after 1 s, then every 1.5× longer up to 5 s.
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            initial_interval: Self::DEFAULT_INTERVAL,
            max_interval: Self::DEFAULT_MAX_INTERVAL,
        }
    }
}

impl Wait {
    /// The default timeout: 120 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
    /// The default first interval: 1 s.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
    /// The default largest interval: 5 s.
    pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(5);

    /// Wait up to `timeout`, querying after 1 s, then every 1.5× longer up to 5 s.
    pub fn up_to(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Self::DEFAULT_INTERVAL,
            max_interval: Self::DEFAULT_MAX_INTERVAL,
        }
    }

    /// Sets the intervals between queries.
    pub fn interval(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max.max(initial);
        self
    }
}

/// Appends `t` as `YYYY{d}MM{d}DD{s}hh{c}mm{c}ss` (chrono's `format` would parse its pattern
/// again on every call, a measurable part of a payment's CPU time).
fn push_datetime(out: &mut String, t: &NaiveDateTime, d: &str, s: &str, c: &str) {
    // Digits written directly: `write!` with padded integers cost ~1,900 instructions a call
    // (two calls per payment), this ~100.
    fn digits(out: &mut String, v: u32, width: u32) {
        for i in (0..width).rev() {
            let digit = (v / 10u32.pow(i)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    }
    match u32::try_from(t.year()) {
        Ok(y) if y <= 9999 => digits(out, y, 4),
        _ => {
            // Outside 0..=9999 (never a current date): as `{:04}` writes it, sign and all digits.
            use std::fmt::Write;
            let _ = write!(out, "{:04}", t.year());
        }
    }
    out.push_str(d);
    digits(out, t.month(), 2);
    out.push_str(d);
    digits(out, t.day(), 2);
    out.push_str(s);
    digits(out, t.hour(), 2);
    out.push_str(c);
    digits(out, t.minute(), 2);
    out.push_str(c);
    digits(out, t.second(), 2);
}

/// A fresh merchant order number: `qf`, the UTC time to the second, and 18 random letters and
/// digits (34 URL-safe characters). The random part comes from the operating system
/// (`getrandom`), never from a user-space generator whose state a `fork()` would copy, so
/// parent and children never draw the same numbers.
pub fn generate_out_trade_no() -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let t = Utc::now().naive_utc();
    let mut out = String::with_capacity(34);
    out.push_str("qf");
    push_datetime(&mut out, &t, "", "", "");
    let mut buf = [0u8; 32];
    while out.len() < 34 {
        if rand::rngs::OsRng.try_fill_bytes(&mut buf).is_err() {
            // No OS random source (never seen on supported systems): mix the process id into
            // the thread generator so forked processes still diverge.
            use rand::Rng;
            let mut rng = rand::rng();
            let pid = std::process::id().to_le_bytes();
            rng.fill(&mut buf);
            for (b, p) in buf.iter_mut().zip(pid.iter().cycle()) {
                *b ^= *p;
            }
        }
        // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == 34 {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(*b % 62)]));
        }
    }
    out
}

/// What a money-moving exchange ended in, before interpretation.
enum Sent {
    Done(RawMap),
    Unknown {
        reason: String,
        respcd: Option<String>,
    },
}

/// What reconciliation makes of the records a query returned.
enum Verdict<T> {
    Done(Result<T>),
    Wait(String),
    Stop(String),
}

/// Pages of query results, fetched one at a time.
#[derive(Debug)]
pub struct QueryPages {
    client: Client,
    req: QueryRequest,
    next: Option<u32>,
    first: u32,
}

impl QueryPages {
    /// The next page, or `None` after the last one (a page shorter than the page size, or an
    /// empty page after a full one, which is never yielded) or after an error.
    pub async fn next_page(&mut self) -> Option<Result<QueryPage>> {
        let page = self.next?;
        let req = QueryRequest {
            page: Some(page),
            ..self.req.clone()
        };
        let result = self.client.query(req).await;
        self.next = match &result {
            Ok(p) if !p.data.is_empty() && p.data.len() as u32 >= p.page_size => {
                page.checked_add(1)
            }
            _ => None,
        };
        match &result {
            // The previous page was full and this one is empty: the count was a multiple of
            // the page size, so the previous page was the last.
            Ok(p) if p.data.is_empty() && page > self.first => None,
            _ => Some(result),
        }
    }
}

/// What one call is, for its events.
struct Call<'a> {
    endpoint: Endpoint,
    out_trade_no: Option<&'a str>,
    started: std::time::Instant,
    emit: Emit<'a>,
    sent: Option<&'a AtomicBool>,
    /// A secret value of the request (the customer's `auth_code`) to mask wherever the server
    /// echoes it back.
    mask: Option<&'a str>,
}

impl<'a> Call<'a> {
    /// `text` with the masked value replaced by `***`.
    fn masked(&self, text: String) -> String {
        match self.mask {
            Some(m) if text.contains(m) => text.replace(m, "***"),
            _ => text,
        }
    }

    fn attempt(&'a self, number: u32) -> Attempt<'a> {
        Attempt {
            endpoint: self.endpoint,
            number,
            out_trade_no: self.out_trade_no,
            started: self.started,
            emit: &self.emit,
            sent: self.sent,
        }
    }

    /// The `response` event of an attempt, with the decision taken on it.
    fn response(
        &self,
        number: u32,
        http_status: Option<u16>,
        respcd: Option<&str>,
        decision: &'static str,
        reason: impl FnOnce() -> Option<String>,
        body: Option<String>,
    ) {
        self.emit
            .emit(EventKind::Response, self.endpoint.path(), |with_body| {
                Fields {
                    attempt: number,
                    out_trade_no: self.out_trade_no.map(str::to_owned),
                    elapsed: self.started.elapsed(),
                    http_status,
                    respcd: respcd.filter(|r| !r.is_empty()).map(str::to_owned),
                    decision: Some(decision),
                    reason: reason().map(|r| self.masked(r)),
                    body: body.filter(|_| with_body).map(|b| self.masked(b)),
                }
            });
    }

    /// The `response` event of an attempt whose outcome is unknown (reconciliation follows),
    /// and that outcome.
    fn unknown(
        &self,
        number: u32,
        http_status: Option<u16>,
        respcd: Option<String>,
        reason: String,
        body: Option<String>,
    ) -> Sent {
        self.response(
            number,
            http_status,
            respcd.as_deref(),
            "reconcile",
            || Some(reason.clone()),
            body,
        );
        Sent::Unknown { reason, respcd }
    }

    fn retry(&self, number: u32, delay: Duration, err: &Error) {
        self.emit
            .emit(EventKind::Retry, self.endpoint.path(), |_| Fields {
                attempt: number,
                out_trade_no: self.out_trade_no.map(str::to_owned),
                elapsed: self.started.elapsed(),
                http_status: err.http_status(),
                decision: Some("retry"),
                reason: Some(format!(
                    "{err}; sending the same request again in {}",
                    human(delay)
                )),
                ..Fields::default()
            });
    }
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
        let local = Utc::now().naive_utc()
            + TimeDelta::seconds(i64::from(self.inner.config.utc_offset_seconds));
        let mut out = String::with_capacity(19);
        push_datetime(&mut out, &local, "-", " ", ":");
        out
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

    /// Creates a payment. `out_trade_no` is generated when absent and `txdtm` filled in.
    /// For WeChat QR (800201) the answer's `qrcode` is what the customer scans; the order is
    /// unpaid until they do ([`Client::wait_for_payment`] or the notification tells you).
    ///
    /// Every error names the order ([`Error::out_trade_no`]). A `duplicate_order` for a
    /// number you gave carries the transaction QFPay already has under it
    /// ([`Error::existing`]).
    pub async fn create_payment(&self, req: PaymentRequest) -> Result<Payment> {
        self.masked(self.create_payment_unmasked(req).await)
    }

    async fn create_payment_unmasked(&self, req: PaymentRequest) -> Result<Payment> {
        let given = req.out_trade_no.is_some();
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let mut guard = self.guard(Endpoint::Payment, Some(&out_trade_no));
        let result = self.payment_flow(&req, &out_trade_no, &guard).await;
        guard.done = true;
        drop(guard);
        match result {
            Ok(p) => Ok(p),
            Err(e) => Err(self.name_order(e, &out_trade_no, given, false).await),
        }
    }

    /// Attaches the order to `e`; for `duplicate_order` on a caller-given number, queries the
    /// transaction already under it.
    async fn name_order(&self, e: Error, out_trade_no: &str, given: bool, refund: bool) -> Error {
        let e = e.with_order(out_trade_no, None);
        if !(given && e.code() == "duplicate_order") {
            return e;
        }
        let deadline = deadline_after(self.timeout.min(Duration::from_secs(10)));
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        let call = self.call(Endpoint::Query, Some(out_trade_no), None);
        match self
            .query_until(&query, deadline, self.max_retries, &call)
            .await
        {
            Ok(page) => {
                let found = page
                    .data
                    .iter()
                    .find(|t| t.out_trade_no == out_trade_no && t.is_refund() == refund)
                    .or_else(|| page.data.iter().find(|t| t.out_trade_no == out_trade_no));
                match found {
                    Some(t) => e.with_existing(t.clone()),
                    None => e,
                }
            }
            Err(q) => {
                tracing::debug!(target: "qfpay::http", out_trade_no, error = %q, "could not query the existing order after duplicate_order");
                e
            }
        }
    }

    async fn payment_flow(
        &self,
        req: &PaymentRequest,
        out_trade_no: &str,
        guard: &CancelGuard<'_>,
    ) -> Result<Payment> {
        req.validate()?;
        if req.out_trade_no.is_none() {
            crate::validate::order_number("out_trade_no", out_trade_no)?;
        }
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        let mut call = self.call(Endpoint::Payment, Some(out_trade_no), Some(guard));
        call.mask = req.auth_code.as_deref().filter(|a| !a.is_empty());
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => {
                match Payment::from_raw(raw, out_trade_no, &txdtm, &req.amount, &req.pay_type) {
                    Ok(p) => return Ok(p),
                    Err(e) => (
                        format!("QFPay answered 0000 but the answer could not be read ({e})"),
                        Some("0000".into()),
                    ),
                }
            }
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let mpm = !req.pay_type.is_cpm();
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        self.reconcile(&call, query, out_trade_no, reason, respcd, |records| {
            let Some(t) = records.iter().find(|t| t.out_trade_no == out_trade_no && !t.is_refund()) else {
                return Verdict::Wait("QFPay has no record of the order yet".into());
            };
            match t.state {
                TransactionState::Pending if mpm => Verdict::Stop(format!(
                    "the order exists (syssn {}) and waits for the customer, but QFPay's answer with the QR code was lost; close it and create a new payment, or wait for it to be paid",
                    t.syssn
                )),
                _ => settle(t, |t| Ok(payment_from(t))),
            }
        })
        .await
    }

    /// Queries transactions (one page).
    pub async fn query(&self, req: QueryRequest) -> Result<QueryPage> {
        self.masked(self.query_unmasked(req).await)
    }

    async fn query_unmasked(&self, req: QueryRequest) -> Result<QueryPage> {
        req.validate()?;
        let one = (req.out_trade_no.len() == 1).then(|| req.out_trade_no[0].as_str());
        let call = self.call(Endpoint::Query, one, None);
        self.query_until(&req, deadline_after(self.timeout), self.max_retries, &call)
            .await
    }

    /// Iterates over every page of a query, starting at `req.page` (or 1). The last page
    /// yielded is never empty (unless the very first one is).
    pub fn query_pages(&self, req: QueryRequest) -> QueryPages {
        let first = req.page.unwrap_or(1).max(1);
        QueryPages {
            client: self.clone(),
            req,
            next: Some(first),
            first,
        }
    }

    /// The payment with merchant order number `out_trade_no`, if QFPay has it.
    pub async fn find_payment(&self, out_trade_no: &str) -> Result<Option<Transaction>> {
        let page = self
            .query(QueryRequest::by_out_trade_no(out_trade_no))
            .await?;
        Ok(page
            .data
            .into_iter()
            .find(|t| t.out_trade_no == out_trade_no && !t.is_refund()))
    }

    /// Refunds a paid transaction, fully or partly. The refund's own `out_trade_no` is
    /// generated when absent; every error names it.
    pub async fn refund(&self, req: RefundRequest) -> Result<Refund> {
        self.masked(self.refund_unmasked(req).await)
    }

    async fn refund_unmasked(&self, req: RefundRequest) -> Result<Refund> {
        let given = req.out_trade_no.is_some();
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let mut guard = self.guard(Endpoint::Refund, Some(&out_trade_no));
        let result = self.refund_flow(&req, &out_trade_no, &guard).await;
        guard.done = true;
        drop(guard);
        match result {
            Ok(r) => Ok(r),
            Err(e) => Err(self.name_order(e, &out_trade_no, given, true).await),
        }
    }

    async fn refund_flow(
        &self,
        req: &RefundRequest,
        out_trade_no: &str,
        guard: &CancelGuard<'_>,
    ) -> Result<Refund> {
        req.validate()?;
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        let call = self.call(Endpoint::Refund, Some(out_trade_no), Some(guard));
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => match Refund::from_raw(raw, req, out_trade_no, &txdtm) {
                Ok(r) => return Ok(r),
                Err(e) => (
                    format!("QFPay answered 0000 but the answer could not be read ({e})"),
                    Some("0000".into()),
                ),
            },
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        self.reconcile(&call, query, out_trade_no, reason, respcd, |records| {
            let Some(t) = records
                .iter()
                .find(|t| t.out_trade_no == out_trade_no && t.is_refund())
            else {
                return Verdict::Wait("QFPay has no record of the refund yet".into());
            };
            settle(t, |t| Ok(refund_from(t, req)))
        })
        .await
    }

    /// Closes an unpaid order (`/trade/v1/close`).
    pub async fn close(&self, req: CancelRequest) -> Result<Cancellation> {
        self.cancel(Endpoint::Close, req).await
    }

    /// Reverses an unfinished transaction (`/trade/v1/reversal`). A reversal does not prove
    /// the customer was not charged: confirm with a query.
    pub async fn reverse(&self, req: CancelRequest) -> Result<Cancellation> {
        self.cancel(Endpoint::Reversal, req).await
    }

    async fn cancel(&self, endpoint: Endpoint, req: CancelRequest) -> Result<Cancellation> {
        self.masked(self.cancel_unmasked(endpoint, req).await)
    }

    async fn cancel_unmasked(
        &self,
        endpoint: Endpoint,
        req: CancelRequest,
    ) -> Result<Cancellation> {
        let mut guard = self.guard(endpoint, req.out_trade_no.as_deref());
        let result = self.cancel_flow(endpoint, &req, &guard).await;
        guard.done = true;
        drop(guard);
        result.map_err(|e| match (&req.out_trade_no, e.out_trade_no()) {
            (Some(o), None) => e.with_order(o, req.syssn.as_deref()),
            _ => e,
        })
    }

    async fn cancel_flow(
        &self,
        endpoint: Endpoint,
        req: &CancelRequest,
        guard: &CancelGuard<'_>,
    ) -> Result<Cancellation> {
        req.validate()?;
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(&txdtm, self.mchid(req.mchid.as_deref()));
        let call = self.call(endpoint, req.out_trade_no.as_deref(), Some(guard));
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => match Cancellation::from_raw(raw, req) {
                Ok(c) => return Ok(c),
                Err(e) => (
                    format!("QFPay answered 0000 but the answer could not be read ({e})"),
                    Some("0000".into()),
                ),
            },
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let (query, ident) = match (&req.out_trade_no, &req.syssn) {
            (Some(o), _) => (QueryRequest::by_out_trade_no(o), o.clone()),
            (None, Some(s)) => (QueryRequest::by_syssn(s), s.clone()),
            (None, None) => {
                return Err(Error::validation(
                    "syssn",
                    "either syssn or out_trade_no is required",
                ));
            }
        };
        self.reconcile(&call, query, &ident, reason, respcd, |records| {
            let Some(t) = records.iter().find(|t| !t.is_refund()) else {
                return Verdict::Wait("QFPay has no record of the order".into());
            };
            match t.state {
                TransactionState::Cancelled => Verdict::Done(Ok(Cancellation {
                    syssn: String::new(),
                    orig_syssn: t.syssn.clone(),
                    out_trade_no: t.out_trade_no.clone(),
                    txamt: t.txamt,
                    respcd: "0000".into(),
                    resperr: "cancellation confirmed by query".into(),
                    respmsg: String::new(),
                    raw: t.raw.clone(),
                })),
                TransactionState::Pending => Verdict::Wait("the order is not cancelled yet".into()),
                TransactionState::Failed => {
                    Verdict::Done(Err(Error::api(&t.respcd, &t.errmsg, "", 200)))
                }
                _ => Verdict::Done(Err(Error::api(
                    "1260",
                    "the order was paid; refund it instead",
                    "",
                    200,
                ))),
            }
        })
        .await
    }

    /// Polls the query endpoint until the payment `out_trade_no` is paid (returns it), fails
    /// (returns the error), or `wait.timeout` passes ([`Error::StatusUnknown`]). The last
    /// query is made at the deadline, never earlier.
    pub async fn wait_for_payment(&self, out_trade_no: &str, wait: Wait) -> Result<Transaction> {
        self.masked(self.wait_for_payment_unmasked(out_trade_no, wait).await)
    }

    async fn wait_for_payment_unmasked(
        &self,
        out_trade_no: &str,
        wait: Wait,
    ) -> Result<Transaction> {
        crate::validate::order_number("out_trade_no", out_trade_no)?;
        let started = Instant::now();
        let deadline = deadline_after(wait.timeout);
        let mut interval = wait.initial_interval.max(Duration::from_millis(1));
        let max_interval = wait.max_interval.max(interval);
        let mut last = None;
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        let call = self.call(Endpoint::Query, Some(out_trade_no), None);
        loop {
            let call_deadline = poll_query_deadline(deadline, self.timeout);
            match self
                .query_until(&query, call_deadline, self.max_retries, &call)
                .await
            {
                Ok(page) => {
                    if let Some(t) = page
                        .data
                        .into_iter()
                        .find(|t| t.out_trade_no == out_trade_no && !t.is_refund())
                    {
                        last = Some((t.syssn.clone(), t.respcd.clone()));
                        match t.state {
                            TransactionState::Pending => {}
                            TransactionState::Failed => {
                                return Err(Error::api(&t.respcd, &t.errmsg, "", 200)
                                    .with_order(out_trade_no, Some(&t.syssn)));
                            }
                            TransactionState::Cancelled => {
                                return Err(Error::api(
                                    "1263",
                                    "the order was cancelled or closed",
                                    &t.errmsg,
                                    200,
                                )
                                .with_order(out_trade_no, Some(&t.syssn)));
                            }
                            _ => return Ok(t),
                        }
                    }
                }
                Err(e) if transient(&e) => {
                    tracing::debug!(target: "qfpay::http", out_trade_no, error = %e, "query failed while waiting; trying again")
                }
                Err(e) => return Err(e.with_order(out_trade_no, None)),
            }
            let now = Instant::now();
            if now >= deadline {
                let (syssn, respcd) = last.map_or((None, None), |(s, r)| (Some(s), Some(r)));
                return Err(Error::StatusUnknown {
                    out_trade_no: out_trade_no.to_owned(),
                    syssn,
                    respcd,
                    reason: format!(
                        "the payment was still not final after {} (waited up to {})",
                        human(now.saturating_duration_since(started)),
                        human(wait.timeout)
                    ),
                });
            }
            sleep(interval.min(deadline.saturating_duration_since(now))).await;
            interval = Duration::try_from_secs_f64(interval.as_secs_f64() * 1.5)
                .unwrap_or(max_interval)
                .min(max_interval);
        }
    }

    async fn send_money(&self, call: &Call<'_>, params: &[(&str, String)]) -> Result<Sent> {
        let deadline = deadline_after(self.timeout);
        let (cfg, urls) = (&self.inner.config, &self.inner.urls);
        let http = self.inner.http()?;
        let mut attempt = 0;
        loop {
            let number = attempt + 1;
            let reply =
                transport::exchange(&http, cfg, urls, params, deadline, &call.attempt(number))
                    .await?;
            let (status, body) = (reply.http_status, reply.body);
            let (err, retry_after) = match reply.exchange {
                Exchange::Answer(raw) => {
                    let respcd = fields::text(&raw, "respcd");
                    let resperr = fields::text(&raw, "resperr");
                    if respcd == "0000" {
                        call.response(number, status, Some(&respcd), "done", || None, body);
                        return Ok(Sent::Done(raw));
                    }
                    if respcd.is_empty() {
                        let reason = "QFPay's answer has no respcd".to_owned();
                        return Ok(call.unknown(number, status, None, reason, body));
                    }
                    if is_processing(&respcd) {
                        let reason =
                            format!("QFPay answered {respcd} ({resperr}): still processing");
                        return Ok(call.unknown(number, status, Some(respcd), reason, body));
                    }
                    call.response(
                        number,
                        status,
                        Some(&respcd),
                        "fail",
                        || Some(resperr.clone()),
                        body,
                    );
                    let syssn = fields::opt_text(&raw, "syssn");
                    let e = Error::api(
                        &respcd,
                        &call.masked(resperr),
                        &call.masked(fields::text(&raw, "respmsg")),
                        200,
                    );
                    return Err(match (call.out_trade_no, syssn) {
                        (Some(o), Some(sn)) => e.with_order(o, Some(&sn)),
                        _ => e,
                    });
                }
                Exchange::Lost(reason) | Exchange::Unreadable(reason) => {
                    let reason = format!(
                        "{} at {}: {reason}",
                        call.endpoint.path(),
                        transport::host_of(cfg)
                    );
                    return Ok(call.unknown(number, status, None, reason, body));
                }
                Exchange::ServerError(code) => {
                    let reason = format!("QFPay answered HTTP {code}");
                    return Ok(call.unknown(number, status, None, reason, body));
                }
                Exchange::Rejected(code, b) => {
                    let e = rejected(code, b);
                    call.response(
                        number,
                        status,
                        e.respcd(),
                        "fail",
                        || Some(e.to_string()),
                        body,
                    );
                    return Err(e);
                }
                Exchange::RateLimited(ra) => {
                    call.response(
                        number,
                        status,
                        None,
                        "retry",
                        || Some("rate limited (HTTP 429)".into()),
                        body,
                    );
                    (Error::RateLimited { retry_after: ra }, ra)
                }
                Exchange::NotSent(message) => {
                    call.response(
                        number,
                        status,
                        None,
                        "retry",
                        || Some(message.clone()),
                        body,
                    );
                    (
                        Error::Network {
                            message: format!(
                                "{} at {}: {message} ({number} attempt{}, {} in all)",
                                call.endpoint.path(),
                                transport::host_of(cfg),
                                if number == 1 { "" } else { "s" },
                                human(call.started.elapsed())
                            ),
                            sent: false,
                            order: None,
                        },
                        None,
                    )
                }
            };
            if attempt >= self.max_retries {
                return Err(err);
            }
            let delay = retry::backoff(
                cfg.retry_base_delay,
                cfg.retry_max_delay,
                attempt,
                retry_after,
            );
            if delay >= deadline.saturating_duration_since(Instant::now()) {
                return Err(err);
            }
            call.retry(number, delay, &err);
            sleep(delay).await;
            attempt += 1;
        }
    }

    async fn query_until(
        &self,
        req: &QueryRequest,
        deadline: Instant,
        max_retries: u32,
        call: &Call<'_>,
    ) -> Result<QueryPage> {
        let (cfg, urls) = (&self.inner.config, &self.inner.urls);
        let http = self.inner.http()?;
        let params = req.to_params(self.mchid(req.mchid.as_deref()));
        let mut attempt = 0;
        loop {
            let number = attempt + 1;
            let reply =
                transport::exchange(&http, cfg, urls, &params, deadline, &call.attempt(number))
                    .await?;
            let (status, body) = (reply.http_status, reply.body);
            let where_ = || format!("{} at {}", Endpoint::Query.path(), transport::host_of(cfg));
            let attempts = || {
                format!(
                    "{number} attempt{}, {} in all",
                    if number == 1 { "" } else { "s" },
                    human(call.started.elapsed())
                )
            };
            let (err, retry_after) = match reply.exchange {
                Exchange::Answer(raw) => {
                    let respcd = fields::text(&raw, "respcd");
                    if respcd != "0000" {
                        let resperr = fields::text(&raw, "resperr");
                        call.response(
                            number,
                            status,
                            Some(&respcd),
                            "fail",
                            || Some(resperr.clone()),
                            body,
                        );
                        return Err(Error::api(
                            &respcd,
                            &resperr,
                            &fields::text(&raw, "respmsg"),
                            200,
                        ));
                    }
                    call.response(number, status, Some(&respcd), "done", || None, body);
                    return QueryPage::from_raw(raw, req)
                        .map_err(|e| e.decoding(&format!("QFPay's answer from {}", where_())));
                }
                Exchange::Rejected(code, b) => {
                    let e = rejected(code, b);
                    call.response(
                        number,
                        status,
                        e.respcd(),
                        "fail",
                        || Some(e.to_string()),
                        body,
                    );
                    return Err(e);
                }
                Exchange::ServerError(code) => (Error::http(RespCategory::Server, code), None),
                Exchange::Unreadable(message) => {
                    call.response(number, status, None, "fail", || Some(message.clone()), body);
                    return Err(Error::Decode(format!(
                        "could not decode QFPay's answer from {}: {message}",
                        where_()
                    )));
                }
                Exchange::RateLimited(ra) => (Error::RateLimited { retry_after: ra }, ra),
                Exchange::NotSent(message) => (
                    Error::Network {
                        message: format!("{}: {message} ({})", where_(), attempts()),
                        sent: false,
                        order: None,
                    },
                    None,
                ),
                Exchange::Lost(message) if Instant::now() >= deadline => (
                    Error::Timeout(format!("{}: {message} ({})", where_(), attempts())),
                    None,
                ),
                Exchange::Lost(message) => (
                    Error::Network {
                        message: format!("{}: {message} ({})", where_(), attempts()),
                        sent: true,
                        order: None,
                    },
                    None,
                ),
            };
            let retry = attempt < max_retries;
            let delay = retry::backoff(
                cfg.retry_base_delay,
                cfg.retry_max_delay,
                attempt,
                retry_after,
            );
            let retry = retry && delay < deadline.saturating_duration_since(Instant::now());
            call.response(
                number,
                status,
                None,
                if retry { "retry" } else { "fail" },
                || Some(err.to_string()),
                body,
            );
            if !retry {
                return Err(err);
            }
            call.retry(number, delay, &err);
            sleep(delay).await;
            attempt += 1;
        }
    }

    async fn reconcile<T>(
        &self,
        call: &Call<'_>,
        query: QueryRequest,
        out_trade_no: &str,
        mut reason: String,
        respcd: Option<String>,
        verdict: impl Fn(&[Transaction]) -> Verdict<T>,
    ) -> Result<T> {
        let cfg = &self.inner.config;
        let deadline = deadline_after(cfg.reconcile_timeout);
        let mut interval = cfg.retry_base_delay.max(Duration::from_millis(1));
        let (mut syssn, mut respcd) = (None, respcd);
        let path = call.endpoint.path();
        call.emit.emit(EventKind::Reconcile, path, |_| Fields {
            out_trade_no: Some(out_trade_no.to_owned()),
            elapsed: call.started.elapsed(),
            respcd: respcd.clone(),
            decision: Some("reconcile"),
            reason: Some(call.masked(format!("{reason}; querying the same out_trade_no"))),
            ..Fields::default()
        });
        let qcall = Call {
            endpoint: Endpoint::Query,
            out_trade_no: Some(out_trade_no),
            started: call.started,
            emit: Emit {
                observer: call.emit.observer,
                secret: call.emit.secret,
            },
            sent: None,
            mask: call.mask,
        };
        loop {
            let query_deadline = poll_query_deadline(deadline, self.timeout);
            match self.query_until(&query, query_deadline, 0, &qcall).await {
                Ok(page) => {
                    if let Some(t) = page
                        .data
                        .iter()
                        .find(|t| t.out_trade_no == out_trade_no || t.syssn == out_trade_no)
                    {
                        syssn = Some(t.syssn.clone());
                        respcd = Some(t.respcd.clone());
                    }
                    match verdict(&page.data) {
                        Verdict::Done(result) => {
                            return result.map_err(|e| match syssn.as_deref() {
                                Some(sn) => e.with_order(out_trade_no, Some(sn)),
                                None => e,
                            });
                        }
                        Verdict::Wait(why) => reason = why,
                        Verdict::Stop(why) => {
                            reason = why;
                            break;
                        }
                    }
                }
                Err(e) if transient(&e) => reason = format!("the query failed: {e}"),
                Err(e) => {
                    reason = format!("the query failed: {e}");
                    break;
                }
            }
            // The window is used to its end: the last query is made at the deadline (with
            // time to be answered), as `wait_for_payment` does.
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            sleep(interval.min(deadline.saturating_duration_since(now))).await;
            interval = interval
                .saturating_mul(2)
                .min(cfg.retry_max_delay.max(interval));
        }
        call.emit.emit(EventKind::StatusUnknown, path, |_| Fields {
            out_trade_no: Some(out_trade_no.to_owned()),
            elapsed: call.started.elapsed(),
            respcd: respcd.clone(),
            decision: Some("status_unknown"),
            reason: Some(reason.clone()),
            ..Fields::default()
        });
        Err(Error::StatusUnknown {
            out_trade_no: out_trade_no.to_owned(),
            syssn,
            respcd,
            reason,
        })
    }
}

/// The deadline of one polling query (reconciliation, `wait_for_payment`): the polling deadline,
/// but a query made at or near it still gets up to 2 s (at most the call timeout) to be answered.
fn poll_query_deadline(deadline: Instant, timeout: Duration) -> Instant {
    let allowance = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(2))
        .min(timeout);
    deadline_after(allowance)
}

/// A found record's final state, or "keep waiting".
fn settle<T>(t: &Transaction, ok: impl FnOnce(&Transaction) -> Result<T>) -> Verdict<T> {
    match t.state {
        TransactionState::Pending => {
            Verdict::Wait("QFPay still reports the transaction as processing".into())
        }
        TransactionState::Failed => Verdict::Done(Err(Error::api(&t.respcd, &t.errmsg, "", 200))),
        TransactionState::Cancelled => Verdict::Done(Err(Error::api(
            "1263",
            "the order was cancelled or closed",
            &t.errmsg,
            200,
        ))),
        _ => Verdict::Done(ok(t)),
    }
}

fn transient(e: &Error) -> bool {
    matches!(
        e.code(),
        "network" | "timeout" | "rate_limited" | "server" | "decode"
    )
}

fn rejected(status: u16, body: Option<RawMap>) -> Error {
    match body {
        Some(b) if !fields::text(&b, "respcd").is_empty() => Error::api(
            &fields::text(&b, "respcd"),
            &fields::text(&b, "resperr"),
            &fields::text(&b, "respmsg"),
            status,
        ),
        _ => Error::http(RespCategory::Unknown, status),
    }
}

fn payment_from(t: &Transaction) -> Payment {
    Payment {
        syssn: t.syssn.clone(),
        out_trade_no: t.out_trade_no.clone(),
        pay_type: t.pay_type.clone(),
        txamt: t.txamt,
        txcurrcd: t.txcurrcd.clone(),
        txdtm: t.txdtm.clone(),
        sysdtm: t.sysdtm.clone(),
        paydtm: t.paydtm.clone(),
        qrcode: None,
        pay_url: None,
        chnlsn: t.chnlsn.clone(),
        cardcd: fields::text(&t.raw, "cardcd"),
        udid: fields::text(&t.raw, "udid"),
        respcd: t.respcd.clone(),
        resperr: t.errmsg.clone(),
        respmsg: String::new(),
        raw: t.raw.clone(),
    }
}

fn refund_from(t: &Transaction, req: &RefundRequest) -> Refund {
    Refund {
        syssn: t.syssn.clone(),
        orig_syssn: t.origssn.clone().unwrap_or_else(|| req.syssn.clone()),
        out_trade_no: t.out_trade_no.clone(),
        txamt: t.txamt,
        txcurrcd: t.txcurrcd.clone(),
        txdtm: t.txdtm.clone(),
        sysdtm: t.sysdtm.clone(),
        respcd: t.respcd.clone(),
        resperr: t.errmsg.clone(),
        respmsg: String::new(),
        raw: t.raw.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_are_unique_and_url_safe() {
        let a = generate_out_trade_no();
        let b = generate_out_trade_no();
        assert_ne!(a, b);
        assert_eq!(a.len(), 34);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn client_debug_hides_key() {
        let c = Client::builder()
            .credentials("APP", "TOPSECRETKEY")
            .build()
            .unwrap();
        assert!(!format!("{c:?}").contains("TOPSECRETKEY"));
        assert_eq!(c.now_txdtm().len(), 19);
    }

    #[test]
    fn datetimes_are_written_like_chrono_formats_them() {
        for t in [
            "2019-07-22T04:05:06",
            "2026-12-31T23:59:59",
            "0999-01-01T00:00:00",
        ] {
            let t: NaiveDateTime = t.parse().unwrap();
            let mut txdtm = String::new();
            push_datetime(&mut txdtm, &t, "-", " ", ":");
            assert_eq!(txdtm, t.format("%Y-%m-%d %H:%M:%S").to_string());
            let mut stamp = String::new();
            push_datetime(&mut stamp, &t, "", "", "");
            assert_eq!(stamp, t.format("%Y%m%d%H%M%S").to_string());
        }
    }
}
