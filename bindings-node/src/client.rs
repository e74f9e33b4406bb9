//! `NativeClient`: the core's async client, one Promise per operation.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use napi_derive::napi;
use qfpay::{ClientBuilder, Environment, PayType, SignType, Wait};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::cancel::cancellable;
use crate::convert::{self, Fields};
use crate::error::{config, invalid, js, to_napi};
use crate::observe::{Callback, JsObserver, OFF};
use crate::results::{Cancellation, Payment, QueryPage, Refund, Transaction};

/// The `User-Agent` prefix of this binding.
fn user_agent() -> String {
    format!("qfpay-node/{}", env!("CARGO_PKG_VERSION"))
}

/// Applies JavaScript client options to a builder. `appCode` and `clientKey` may be given
/// alone (over `Client.fromEnv`); the core refuses a client without both.
fn apply(mut b: ClientBuilder, options: Option<Value>) -> qfpay::Result<ClientBuilder> {
    let mut f = Fields::options("the client options", options)?;
    if let Some(a) = f.str("appCode")? {
        b = b.app_code(a);
    }
    if let Some(k) = f.str("clientKey")? {
        b = b.client_key(k);
    }
    if let Some(e) = f.str("environment")? {
        b = b.environment(Environment::parse(&e)?);
    }
    if let Some(u) = f.str("baseUrl")? {
        b = b.base_url(u);
    }
    if let Some(m) = f.str("mchid")? {
        b = b.mchid(m);
    }
    if let Some(s) = f.str("signType")? {
        b = b.sign_type(SignType::parse(&s)?);
    }
    if let Some(d) = f.millis("timeoutMs")? {
        b = b.timeout(positive("timeoutMs", d)?);
    }
    if let Some(d) = f.millis("connectTimeoutMs")? {
        b = b.connect_timeout(positive("connectTimeoutMs", d)?);
    }
    if let Some(d) = f.millis("reconcileTimeoutMs")? {
        b = b.reconcile_timeout(d);
    }
    if let Some(n) = f.u32("maxRetries")? {
        b = b.max_retries(n);
    }
    let base = f.millis("retryBaseDelayMs")?;
    let max = f.millis("retryMaxDelayMs")?;
    if base.is_some() || max.is_some() {
        let base = base.unwrap_or(Duration::from_millis(500));
        b = b.retry_delay(base, max.unwrap_or(Duration::from_secs(5)).max(base));
    }
    if let Some(s) = f.int("utcOffsetSeconds")? {
        let s = i32::try_from(s)
            .map_err(|_| invalid("utcOffsetSeconds", format!("is out of range (got {s})")))?;
        b = b.utc_offset_seconds(s);
    }
    if let Some(p) = f.str("proxy")? {
        b = b.proxy(p);
    }
    f.finish().map_err(|e| config(e.to_string()))?;
    Ok(b.user_agent_prefix(user_agent()))
}

/// A timeout must allow some time.
fn positive(name: &str, d: Duration) -> qfpay::Result<Duration> {
    if d.is_zero() {
        return Err(invalid(name, "must be greater than zero"));
    }
    Ok(d)
}

/// Per-call options: `{ timeoutMs?, maxRetries? }` (the wrapper takes `signal` out).
fn per_call(client: &qfpay::Client, options: Option<Value>) -> qfpay::Result<qfpay::Client> {
    let mut f = Fields::options("the call options", options)?;
    let timeout = f.millis("timeoutMs")?;
    let retries = f.u32("maxRetries")?;
    f.finish()?;
    let mut c = client.clone();
    if let Some(t) = timeout {
        c = c.with_timeout(positive("timeoutMs", t)?);
    }
    if let Some(n) = retries {
        c = c.with_max_retries(n);
    }
    Ok(c)
}

/// A required order number argument (`findPayment(outTradeNo)`).
fn out_trade_no_arg(v: Option<Value>) -> qfpay::Result<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) => Err(invalid("out_trade_no", "must not be empty")),
        None | Some(Value::Null) => Err(invalid("out_trade_no", "is required (outTradeNo)")),
        Some(other) => Err(invalid(
            "out_trade_no",
            format!("must be a string, got {other}"),
        )),
    }
}

/// A call dropped by its `AbortSignal` (the wrapper has already rejected with an AbortError).
fn aborted() -> napi::Error {
    napi::Error::from_reason("[aborted] the call was aborted")
}

/// Runs a core call under cancellation token `token`.
async fn run<T, R: From<T>>(
    token: Option<u32>,
    fut: impl std::future::Future<Output = qfpay::Result<T>>,
) -> napi::Result<R> {
    match cancellable(token, fut).await {
        None => Err(aborted()),
        Some(r) => r.map(Into::into).map_err(to_napi),
    }
}

/// The native client behind the JavaScript `Client` (use `Client` from the package, which
/// turns native errors into `QfPayError` subclasses).
#[napi]
pub struct NativeClient {
    /// The core client; replaced (never mutated) when an observer is installed, so calls in
    /// flight keep the one they started with.
    inner: RwLock<qfpay::Client>,
    /// The observer's level, once `observe` has installed one.
    level: std::sync::Mutex<Option<Arc<AtomicU8>>>,
}

impl NativeClient {
    fn wrap(inner: qfpay::Client) -> Self {
        Self {
            inner: RwLock::new(inner),
            level: std::sync::Mutex::new(None),
        }
    }

    /// The current core client (a cheap clone).
    fn client(&self) -> qfpay::Client {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[napi]
impl NativeClient {
    /// A client from options (`appCode`, `clientKey`, `environment`, `baseUrl`, ...).
    #[napi(constructor)]
    pub fn new(options: Option<Value>) -> napi::Result<Self> {
        let inner = js(apply(ClientBuilder::new(), options).and_then(ClientBuilder::build))?;
        Ok(Self::wrap(inner))
    }

    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client().config().base_url.clone()
    }

    /// The `User-Agent` sent.
    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.client().config().user_agent.clone()
    }

    /// Warnings the configuration produced (e.g. `QFPAY_ENV` and `QFPAY_BASE_URL` disagree).
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.client().config().warnings.clone()
    }

    /// Sends the core's events at `level` (a rank: 0 trace ... 4 error, 255 none) and above to
    /// `callback`, through one non-blocking threadsafe function for this client. Called once,
    /// by the wrapper, when a logger or listener first appears; later changes go through
    /// `setLogLevel`.
    #[napi]
    pub fn observe(&self, callback: Callback, level: u32) -> napi::Result<()> {
        let rank = u8::try_from(level).unwrap_or(OFF);
        let mut slot = self
            .level
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(existing) = slot.as_ref() {
            existing.store(rank, Ordering::Relaxed);
            return Ok(());
        }
        let min = Arc::new(AtomicU8::new(rank));
        let observer = Arc::new(JsObserver::new(callback, Arc::clone(&min)));
        let mut inner = self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *inner = inner.with_observer(observer);
        *slot = Some(min);
        Ok(())
    }

    /// Changes the level events are sent at (a rank, as for `observe`).
    #[napi]
    pub fn set_log_level(&self, level: u32) {
        let rank = u8::try_from(level).unwrap_or(OFF);
        if let Some(min) = self
            .level
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            min.store(rank, Ordering::Relaxed);
        }
    }

    /// The app code (`X-QF-APPCODE`).
    #[napi(getter)]
    pub fn app_code(&self) -> String {
        self.client().config().app_code.clone()
    }

    /// The default `mchid`, if any.
    #[napi(getter)]
    pub fn mchid(&self) -> Option<String> {
        self.client().config().mchid.clone()
    }

    /// Creates a payment of any pay type.
    #[napi]
    pub async fn create_payment(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Payment> {
        let req = js(convert::payment(request, None))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.create_payment(req)).await
    }

    /// Creates a WeChat QR payment (800201); `currency` defaults to HKD.
    #[napi]
    pub async fn wechat_qr(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Payment> {
        let req = js(convert::payment(request, Some(PayType::WechatQr)))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.create_payment(req)).await
    }

    /// Queries one page of transactions.
    #[napi]
    pub async fn query(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<QueryPage> {
        let req = js(convert::query(request))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.query(req)).await
    }

    /// Pages of a query, fetched one at a time by `nextPage()`.
    #[napi]
    pub fn query_pages(
        &self,
        request: Option<Value>,
        options: Option<Value>,
    ) -> napi::Result<NativeQueryPages> {
        let req = js(convert::query(request))?;
        js(req.validate())?;
        let c = js(per_call(&self.client(), options))?;
        Ok(NativeQueryPages {
            pages: Arc::new(Mutex::new(c.query_pages(req))),
        })
    }

    /// The payment with merchant order number `outTradeNo`, or `null`.
    #[napi]
    pub async fn find_payment(
        &self,
        out_trade_no: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Option<Transaction>> {
        let out_trade_no = js(out_trade_no_arg(out_trade_no))?;
        let c = js(per_call(&self.client(), options))?;
        match cancellable(token, c.find_payment(&out_trade_no)).await {
            None => Err(aborted()),
            Some(r) => r.map(|t| t.map(Into::into)).map_err(to_napi),
        }
    }

    /// Refunds a paid transaction, fully or partly.
    #[napi]
    pub async fn refund(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Refund> {
        let req = js(convert::refund(request))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.refund(req)).await
    }

    /// Closes an unpaid order.
    #[napi]
    pub async fn close(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Cancellation> {
        let req = js(convert::cancel(request))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.close(req)).await
    }

    /// Reverses an unfinished transaction.
    #[napi]
    pub async fn reverse(
        &self,
        request: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Cancellation> {
        let req = js(convert::cancel(request))?;
        let c = js(per_call(&self.client(), options))?;
        run(token, c.reverse(req)).await
    }

    /// Polls until the payment is paid (resolves), fails (rejects) or `timeoutMs` passes
    /// (`status_unknown`). Options: `timeoutMs`, `intervalMs`, `maxIntervalMs` (the core's
    /// `Wait` defaults).
    #[napi]
    pub async fn wait_for_payment(
        &self,
        out_trade_no: Option<Value>,
        options: Option<Value>,
        token: Option<u32>,
    ) -> napi::Result<Transaction> {
        let out_trade_no = js(out_trade_no_arg(out_trade_no))?;
        let wait = js(wait_options(options))?;
        let c = self.client();
        run(token, c.wait_for_payment(&out_trade_no, wait)).await
    }
}

/// A client from the `QFPAY_*` environment variables, then `overrides` (behind
/// `Client.fromEnv`).
#[napi]
pub fn native_client_from_env(overrides: Option<Value>) -> napi::Result<NativeClient> {
    let inner = js(ClientBuilder::new()
        .env()
        .and_then(|b| apply(b, overrides))
        .and_then(ClientBuilder::build))?;
    Ok(NativeClient::wrap(inner))
}

fn wait_options(options: Option<Value>) -> qfpay::Result<Wait> {
    let mut f = Fields::options("the wait options", options)?;
    let timeout = f.millis("timeoutMs")?;
    let initial = f.millis("intervalMs")?;
    let max = f.millis("maxIntervalMs")?;
    f.finish()?;
    let mut wait = Wait::default();
    if let Some(t) = timeout {
        wait = Wait::up_to(t);
    }
    if initial.is_some() || max.is_some() {
        let initial = initial.unwrap_or(wait.initial_interval);
        wait = wait.interval(initial, max.unwrap_or(wait.max_interval.max(initial)));
    }
    Ok(wait)
}

/// Pages of a query (behind the JavaScript async iterator of `Client.queryPages`).
#[napi]
pub struct NativeQueryPages {
    pages: Arc<Mutex<qfpay::QueryPages>>,
}

#[napi]
impl NativeQueryPages {
    /// The next page, or `null` after the last one.
    #[napi]
    pub async fn next_page(&self) -> napi::Result<Option<QueryPage>> {
        let pages = Arc::clone(&self.pages);
        let mut guard = pages.lock().await;
        match guard.next_page().await {
            None => Ok(None),
            Some(r) => r.map(|p| Some(p.into())).map_err(to_napi),
        }
    }
}
