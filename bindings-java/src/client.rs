//! The client object: the core's blocking client, shared by any number of JVM threads, and for
//! the `...Async` calls the core's async client on a runtime this library owns.

use std::borrow::Cow;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use qfpay::{ClientBuilder, Environment, SignType, Wait};

use crate::errors::{FfiErrorInfo, FfiResult, QfPayFfiError, to_duration};
use crate::events::{FfiEventSink, JvmObserver};
use crate::results::{
    FfiCancelRequest, FfiCancellation, FfiPayment, FfiPaymentRequest, FfiQueryPage,
    FfiQueryRequest, FfiRefund, FfiRefundRequest, FfiTransaction,
};

/// Client settings. `None` keeps the core's default (or, with `from_env`, the environment's).
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiClientConfig {
    /// Start from the `QFPAY_*` environment variables.
    pub from_env: bool,
    /// `X-QF-APPCODE`.
    pub app_code: Option<String>,
    /// The signing key.
    pub client_key: Option<String>,
    /// `production`, `live_test`, `card_sandbox` or a base URL.
    pub environment: Option<String>,
    /// A custom base URL (wins over `environment`).
    pub base_url: Option<String>,
    /// Default `mchid`.
    pub mchid: Option<String>,
    /// `md5` or `sha256`.
    pub sign_type: Option<String>,
    /// Per-call deadline in milliseconds.
    pub timeout_ms: Option<i64>,
    /// Connect timeout in milliseconds.
    pub connect_timeout_ms: Option<i64>,
    /// Reconciliation time for unknown outcomes, in milliseconds.
    pub reconcile_timeout_ms: Option<i64>,
    /// Retries after failures QFPay never processed.
    pub max_retries: Option<i64>,
    /// First retry delay in milliseconds.
    pub retry_base_delay_ms: Option<i64>,
    /// Largest retry delay in milliseconds.
    pub retry_max_delay_ms: Option<i64>,
    /// UTC offset of the `txdtm` clock, in seconds.
    pub utc_offset_seconds: Option<i32>,
    /// HTTP(S) proxy URL.
    pub proxy: Option<String>,
    /// The `User-Agent` prefix (`qfpay-java/<version>`).
    pub user_agent_prefix: String,
    /// The most verbose event level the JVM listens at (`trace` ... `error`); `None`: no events.
    pub log_level: Option<String>,
}

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiCallOptions {
    /// The call's deadline in milliseconds.
    pub timeout_ms: Option<i64>,
    /// Retries after failures QFPay never processed.
    pub max_retries: Option<i64>,
}

fn builder(c: FfiClientConfig) -> FfiResult<ClientBuilder> {
    let mut b = ClientBuilder::new();
    if c.from_env {
        b = b.env()?;
    }
    b = b.user_agent_prefix(c.user_agent_prefix);
    if let Some(env) = c.environment {
        b = b.environment(Environment::parse(&env)?);
    }
    if let Some(url) = c.base_url {
        b = b.base_url(url);
    }
    if let Some(a) = c.app_code {
        b = b.app_code(a);
    }
    if let Some(k) = c.client_key {
        b = b.client_key(k);
    }
    if let Some(m) = c.mchid {
        b = b.mchid(m);
    }
    if let Some(s) = c.sign_type {
        b = b.sign_type(SignType::parse(&s)?);
    }
    if let Some(ms) = c.timeout_ms {
        b = b.timeout(to_duration("timeout", ms)?);
    }
    if let Some(ms) = c.connect_timeout_ms {
        b = b.connect_timeout(to_duration("connectTimeout", ms)?);
    }
    if let Some(ms) = c.reconcile_timeout_ms {
        b = b.reconcile_timeout(to_duration("reconcileTimeout", ms)?);
    }
    if let Some(n) = c.max_retries {
        b = b.max_retries(retries("maxRetries", n)?);
    }
    if let Some(ms) = c.retry_base_delay_ms {
        b = b.retry_base_delay(to_duration("retryBaseDelay", ms)?);
    }
    if let Some(ms) = c.retry_max_delay_ms {
        b = b.retry_max_delay(to_duration("retryMaxDelay", ms)?);
    }
    if let Some(s) = c.utc_offset_seconds {
        b = b.utc_offset_seconds(s);
    }
    if let Some(p) = c.proxy {
        b = b.proxy(p);
    }
    Ok(b)
}

/// A call's `timeout`: a duration that allows some time, refused before anything is sent with a
/// validation error naming the JVM option, as every binding refuses it (the core accepts a zero
/// per-call deadline, which would only fail later, as a network error). A client's zero
/// `timeout`/`connectTimeout` is the core's own rule (a `ConfigException`).
fn positive(name: &str, ms: i64) -> FfiResult<std::time::Duration> {
    let d = to_duration(name, ms)?;
    if d.is_zero() {
        return Err(QfPayFfiError::invalid(name, "must be greater than zero"));
    }
    Ok(d)
}

fn retries(name: &str, n: i64) -> FfiResult<u32> {
    u32::try_from(n).map_err(|_| QfPayFfiError::invalid(name, "must be between 0 and 4294967295"))
}

fn with_options(c: &qfpay::Client, o: &FfiCallOptions) -> FfiResult<qfpay::Client> {
    let mut c = c.clone();
    if let Some(ms) = o.timeout_ms {
        c = c.with_timeout(positive("timeout", ms)?);
    }
    if let Some(n) = o.max_retries {
        c = c.with_max_retries(retries("maxRetries", n)?);
    }
    Ok(c)
}

fn wait_of(
    timeout_ms: Option<i64>,
    initial_interval_ms: Option<i64>,
    max_interval_ms: Option<i64>,
) -> FfiResult<Wait> {
    let mut wait = qfpay::Wait::default();
    if let Some(ms) = timeout_ms {
        wait.timeout = to_duration("timeout", ms)?;
    }
    if initial_interval_ms.is_some() || max_interval_ms.is_some() {
        let initial = initial_interval_ms
            .map(|ms| to_duration("interval", ms))
            .transpose()?
            .unwrap_or(wait.initial_interval);
        let max = max_interval_ms
            .map(|ms| to_duration("maxInterval", ms))
            .transpose()?
            .unwrap_or(wait.max_interval);
        wait = wait.interval(initial, max);
    }
    Ok(wait)
}

/// The runtime the `...Async` calls run on: two I/O threads, started on first use.
static RUNTIME: LazyLock<Result<tokio::runtime::Runtime, String>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("qfpay-io")
        // A thread that delivered outcomes to the JVM was attached to it (as a daemon).
        .on_thread_stop(crate::jni_path::detach_current_thread)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the I/O runtime: {e}"))
});

/// What an `...Async` call ended in. Passed by value (uniffi writes it into one buffer), so
/// boxing the large variants would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, uniffi::Enum)]
pub enum FfiOutcome {
    /// A payment.
    Payment {
        /// The payment.
        value: FfiPayment,
    },
    /// A transaction (waiting).
    Transaction {
        /// The transaction.
        value: FfiTransaction,
    },
    /// A transaction or none (finding).
    MaybeTransaction {
        /// The transaction, if any.
        value: Option<FfiTransaction>,
    },
    /// A page of a query.
    QueryPage {
        /// The page.
        value: FfiQueryPage,
    },
    /// A refund.
    Refund {
        /// The refund.
        value: FfiRefund,
    },
    /// A close or reversal.
    Cancellation {
        /// The cancellation.
        value: FfiCancellation,
    },
    /// The call failed.
    Failed {
        /// Why.
        error: FfiErrorInfo,
    },
}

/// Receives the outcome of an `...Async` call, on one of the library's I/O threads.
#[uniffi::export(callback_interface)]
pub trait FfiCompletion: Send + Sync {
    /// Called once, unless the call was cancelled first.
    fn complete(&self, outcome: FfiOutcome);
}

/// A running `...Async` call.
#[derive(Debug, uniffi::Object)]
pub struct FfiTask {
    abort: Option<tokio::task::AbortHandle>,
}

#[uniffi::export]
impl FfiTask {
    /// Drops the call's future (a money-moving call already sent is then reported by the core
    /// as cancelled, naming its `out_trade_no`). Idempotent; no effect after completion.
    pub fn cancel(&self) {
        if let Some(a) = &self.abort {
            a.abort();
        }
    }
}

fn spawn<T, F>(fut: F, wrap: fn(T) -> FfiOutcome, done: Box<dyn FfiCompletion>) -> Arc<FfiTask>
where
    T: Send + 'static,
    F: Future<Output = qfpay::Result<T>> + Send + 'static,
{
    let rt = match &*RUNTIME {
        Ok(rt) => rt,
        Err(e) => {
            done.complete(FfiOutcome::Failed {
                error: FfiErrorInfo::simple("config", e.clone()),
            });
            return Arc::new(FfiTask { abort: None });
        }
    };
    let handle = rt.spawn(async move {
        let outcome = match fut.await {
            Ok(v) => wrap(v),
            Err(e) => FfiOutcome::Failed {
                error: FfiErrorInfo::from(&e),
            },
        };
        done.complete(outcome);
    });
    Arc::new(FfiTask {
        abort: Some(handle.abort_handle()),
    })
}

/// An error as the outcome that reports it.
fn failed(e: QfPayFfiError) -> FfiOutcome {
    let QfPayFfiError::Failure { info } = e;
    FfiOutcome::Failed { error: info }
}

fn failed_task(e: QfPayFfiError, done: Box<dyn FfiCompletion>) -> Arc<FfiTask> {
    done.complete(failed(e));
    Arc::new(FfiTask { abort: None })
}

/// One blocking call counted in flight for as long as it lives.
struct InFlight<'a> {
    count: &'a AtomicUsize,
    /// No other blocking call was in flight when this one began.
    alone: bool,
}

impl<'a> InFlight<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        let alone = count.fetch_add(1, Ordering::AcqRel) == 0;
        InFlight { count, alone }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Where a blocking call's outcome lands, and the thread waiting for it.
struct Parked {
    outcome: Mutex<Option<FfiOutcome>>,
    thread: std::thread::Thread,
}

/// Hands a blocking call's outcome to its parked thread (see `FfiClient::call_blocking`).
struct ParkedCompletion {
    parked: Arc<Parked>,
    delivered: AtomicBool,
}

impl ParkedCompletion {
    fn deliver(&self, outcome: FfiOutcome) {
        if self.delivered.swap(true, Ordering::AcqRel) {
            return;
        }
        *self
            .parked
            .outcome
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        self.parked.thread.unpark();
    }
}

impl FfiCompletion for ParkedCompletion {
    fn complete(&self, outcome: FfiOutcome) {
        self.deliver(outcome);
    }
}

impl Drop for ParkedCompletion {
    /// A task dropped without an outcome (the runtime shutting down under it) must not leave
    /// its caller parked forever: it learns that the outcome is unknown.
    fn drop(&mut self) {
        self.deliver(FfiOutcome::Failed {
            error: FfiErrorInfo::simple(
                "status_unknown",
                "the call ended without an outcome (the I/O runtime stopped); query the order \
                 to learn its state",
            ),
        });
    }
}

/// A QFPay client. Thread-safe: one instance may be shared by every thread of the JVM. The
/// JNI path's blocking and `...Async` calls both run on [`RUNTIME`] (a blocking caller parks
/// until its outcome arrives); the uniffi-exported blocking methods (`queryPages`) run on the
/// calling thread.
#[derive(uniffi::Object)]
pub struct FfiClient {
    inner: qfpay::blocking::Client,
    /// The event observer, also given to the async client.
    observer: Option<Arc<dyn qfpay::events::Observer>>,
    /// The async client of the JNI calls, blocking and `...Async` (its own connection pool, on
    /// [`RUNTIME`]).
    async_inner: OnceLock<qfpay::Client>,
    /// The JNI blocking calls in flight (see `FfiClient::call_blocking`).
    in_flight: AtomicUsize,
}

impl FfiClient {
    /// The core client for a blocking call: the shared one, or a cheap copy with the call's
    /// options (same connection pool).
    fn blocking(&self, options: Option<FfiCallOptions>) -> FfiResult<Cow<'_, qfpay::Client>> {
        Ok(match options {
            None => Cow::Borrowed(self.inner.async_client()),
            Some(o) => Cow::Owned(with_options(self.inner.async_client(), &o)?),
        })
    }

    fn async_client(&self, options: Option<FfiCallOptions>) -> FfiResult<qfpay::Client> {
        let base = self.async_inner.get_or_init(|| {
            let c = qfpay::Client::from_config(self.inner.async_client().config().clone())
                .unwrap_or_else(|_| self.inner.async_client().clone());
            match &self.observer {
                Some(o) => c.with_observer(o.clone()),
                None => c,
            }
        });
        match options {
            None => Ok(base.clone()),
            Some(o) => with_options(base, &o),
        }
    }
}

/// The operations of `Jni.call` / `Jni.callAsync` (the Kotlin facade's `Op` constants).
mod op {
    pub const CREATE_PAYMENT: i32 = 0;
    pub const QUERY: i32 = 1;
    pub const FIND_PAYMENT: i32 = 2;
    pub const REFUND: i32 = 3;
    pub const CLOSE_ORDER: i32 = 4;
    pub const REVERSE: i32 = 5;
    pub const WAIT_FOR_PAYMENT: i32 = 6;
}

/// A request read from a `Jni.call` buffer: the operation's arguments in uniffi's serialized
/// form, in the order of the exported method's parameters. Read once and moved on at once, so
/// boxing the large variants would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Call {
    CreatePayment(FfiPaymentRequest, Option<FfiCallOptions>),
    Query(FfiQueryRequest, Option<FfiCallOptions>),
    FindPayment(String, Option<FfiCallOptions>),
    Refund(FfiRefundRequest, Option<FfiCallOptions>),
    CloseOrder(FfiCancelRequest, Option<FfiCallOptions>),
    Reverse(FfiCancelRequest, Option<FfiCallOptions>),
    WaitForPayment(String, Option<i64>, Option<i64>, Option<i64>),
}

fn read<T: uniffi::Lift<crate::UniFfiTag>>(buf: &mut &[u8]) -> FfiResult<T> {
    T::try_read(buf)
        .map_err(|e| QfPayFfiError::simple("config", format!("malformed call buffer: {e}")))
}

/// A serialized `FfiClientConfig` (the JNI constructor's argument).
pub(crate) fn read_config(buf: &mut &[u8]) -> FfiResult<FfiClientConfig> {
    read(buf)
}

impl Call {
    fn read(code: i32, b: &mut &[u8]) -> FfiResult<Self> {
        Ok(match code {
            op::CREATE_PAYMENT => Call::CreatePayment(read(b)?, read(b)?),
            op::QUERY => Call::Query(read(b)?, read(b)?),
            op::FIND_PAYMENT => Call::FindPayment(read(b)?, read(b)?),
            op::REFUND => Call::Refund(read(b)?, read(b)?),
            op::CLOSE_ORDER => Call::CloseOrder(read(b)?, read(b)?),
            op::REVERSE => Call::Reverse(read(b)?, read(b)?),
            op::WAIT_FOR_PAYMENT => Call::WaitForPayment(read(b)?, read(b)?, read(b)?, read(b)?),
            other => {
                return Err(QfPayFfiError::simple(
                    "config",
                    format!("unknown operation {other}"),
                ));
            }
        })
    }
}

impl FfiClient {
    /// The client's settings (the JNI getters).
    pub(crate) fn config(&self) -> &qfpay::Config {
        self.inner.async_client().config()
    }

    /// A blocking operation run on the calling thread, which drives the client's current-thread
    /// runtime itself: the same methods the uniffi exports run.
    fn call_on_caller(&self, code: i32, buf: &mut &[u8]) -> FfiResult<FfiOutcome> {
        Ok(match Call::read(code, buf)? {
            Call::CreatePayment(r, o) => FfiOutcome::Payment {
                value: self.create_payment(r, o)?,
            },
            Call::Query(r, o) => FfiOutcome::QueryPage {
                value: self.query(r, o)?,
            },
            Call::FindPayment(n, o) => FfiOutcome::MaybeTransaction {
                value: self.find_payment(n, o)?,
            },
            Call::Refund(r, o) => FfiOutcome::Refund {
                value: self.refund(r, o)?,
            },
            Call::CloseOrder(r, o) => FfiOutcome::Cancellation {
                value: self.close_order(r, o)?,
            },
            Call::Reverse(r, o) => FfiOutcome::Cancellation {
                value: self.reverse(r, o)?,
            },
            Call::WaitForPayment(n, t, i, m) => FfiOutcome::Transaction {
                value: self.wait_for_payment(n, t, i, m)?,
            },
        })
    }

    /// One blocking operation of `Jni.call`.
    ///
    /// The only call in flight on this client runs on the calling thread, which drives the
    /// client's current-thread runtime itself: no hand-off, the lowest latency (a sequential
    /// caller, 2.4x the payments/s of the other way, BENCHMARKS.md). A call made while another
    /// is in flight is run as the `...Async` operation on the library's runtime, its thread
    /// parked until the outcome arrives: 64 threads taking turns at one current-thread runtime
    /// woke one another at every turn, while a parked thread is woken exactly once, by the I/O
    /// thread that completed its call. Refused (`config`) on a runtime thread, where either way
    /// would stall the I/O the call waits for.
    pub(crate) fn call_blocking(&self, code: i32, buf: &mut &[u8]) -> FfiOutcome {
        if tokio::runtime::Handle::try_current().is_ok() {
            return FfiOutcome::Failed {
                error: FfiErrorInfo::simple(
                    "config",
                    "a blocking call was made on the library's I/O thread (from a completion \
                     run in place); use the ...Async form or another executor there",
                ),
            };
        }
        let in_flight = InFlight::enter(&self.in_flight);
        if in_flight.alone {
            return self.call_on_caller(code, buf).unwrap_or_else(failed);
        }
        let parked = Arc::new(Parked {
            outcome: Mutex::new(None),
            thread: std::thread::current(),
        });
        let done = ParkedCompletion {
            parked: parked.clone(),
            delivered: AtomicBool::new(false),
        };
        // The task handle is not needed: a blocking call is not cancelled (dropping it does
        // not abort the task).
        drop(self.call_async(code, buf, Box::new(done)));
        loop {
            let taken = parked
                .outcome
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(outcome) = taken {
                return outcome;
            }
            // Returns at once if `complete` already unparked this thread; may return
            // spuriously, hence the loop.
            std::thread::park();
        }
    }

    /// One `...Async` operation of `Jni.callAsync`: the same methods the uniffi exports run.
    pub(crate) fn call_async(
        &self,
        code: i32,
        buf: &mut &[u8],
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        match Call::read(code, buf) {
            Err(e) => failed_task(e, done),
            Ok(Call::CreatePayment(r, o)) => self.create_payment_async(r, o, done),
            Ok(Call::Query(r, o)) => self.query_async(r, o, done),
            Ok(Call::FindPayment(n, o)) => self.find_payment_async(n, o, done),
            Ok(Call::Refund(r, o)) => self.refund_async(r, o, done),
            Ok(Call::CloseOrder(r, o)) => self.close_order_async(r, o, done),
            Ok(Call::Reverse(r, o)) => self.reverse_async(r, o, done),
            Ok(Call::WaitForPayment(n, t, i, m)) => self.wait_for_payment_async(n, t, i, m, done),
        }
    }
}

#[uniffi::export]
impl FfiClient {
    /// Checks the settings and builds the client.
    #[uniffi::constructor]
    pub fn new(
        config: FfiClientConfig,
        events: Option<Box<dyn FfiEventSink>>,
    ) -> FfiResult<Arc<Self>> {
        let level = config.log_level.clone();
        let mut b = builder(config)?;
        let mut observer: Option<Arc<dyn qfpay::events::Observer>> = None;
        if let (Some(level), Some(sink)) = (level, events) {
            let o = JvmObserver::new(&level, sink).ok_or_else(|| {
                QfPayFfiError::invalid("logLevel", "must be trace, debug, info, warn or error")
            })?;
            let o: Arc<dyn qfpay::events::Observer> = Arc::new(o);
            b = b.observer(o.clone());
            observer = Some(o);
        }
        let inner = qfpay::blocking::Client::new(b.build()?)?;
        Ok(Arc::new(Self {
            inner,
            observer,
            async_inner: OnceLock::new(),
            in_flight: AtomicUsize::new(0),
        }))
    }

    /// Configuration warnings (e.g. `QFPAY_ENV` and `QFPAY_BASE_URL` disagree).
    pub fn warnings(&self) -> Vec<String> {
        self.inner.async_client().config().warnings.clone()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> String {
        self.inner.async_client().config().base_url.clone()
    }

    /// The `User-Agent` header sent.
    pub fn user_agent(&self) -> String {
        self.inner.async_client().config().user_agent.clone()
    }

    /// The app code in use.
    pub fn app_code(&self) -> String {
        self.inner.async_client().config().app_code.clone()
    }

    /// The default `mchid`, if any.
    pub fn mchid(&self) -> Option<String> {
        self.inner.async_client().config().mchid.clone()
    }

    /// Creates a payment.
    pub fn create_payment(
        &self,
        request: FfiPaymentRequest,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<FfiPayment> {
        let r = request.into_core()?;
        let c = self.blocking(options)?;
        let p = self.inner.block_on(c.create_payment(r))??;
        Ok(p.into())
    }

    /// One page of a transaction query.
    pub fn query(
        &self,
        request: FfiQueryRequest,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<FfiQueryPage> {
        let r = request.into_core()?;
        let c = self.blocking(options)?;
        let p = self.inner.block_on(c.query(r))??;
        Ok(p.into())
    }

    /// Every page of a query, fetched as it is iterated.
    pub fn query_pages(&self, request: FfiQueryRequest) -> FfiResult<Arc<FfiQueryPages>> {
        let pages = self.inner.query_pages(request.into_core()?);
        Ok(Arc::new(FfiQueryPages {
            pages: Mutex::new(pages),
        }))
    }

    /// The payment with this merchant order number, if QFPay has it.
    pub fn find_payment(
        &self,
        out_trade_no: String,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<Option<FfiTransaction>> {
        let c = self.blocking(options)?;
        let t = self.inner.block_on(c.find_payment(&out_trade_no))??;
        Ok(t.map(Into::into))
    }

    /// Refunds (part of) a payment.
    pub fn refund(
        &self,
        request: FfiRefundRequest,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<FfiRefund> {
        let r = request.into_core()?;
        let c = self.blocking(options)?;
        let v = self.inner.block_on(c.refund(r))??;
        Ok(v.into())
    }

    /// Closes an unpaid order.
    pub fn close_order(
        &self,
        request: FfiCancelRequest,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<FfiCancellation> {
        let r = request.into_core()?;
        let c = self.blocking(options)?;
        let v = self.inner.block_on(c.close(r))??;
        Ok(v.into())
    }

    /// Reverses a payment.
    pub fn reverse(
        &self,
        request: FfiCancelRequest,
        options: Option<FfiCallOptions>,
    ) -> FfiResult<FfiCancellation> {
        let r = request.into_core()?;
        let c = self.blocking(options)?;
        let v = self.inner.block_on(c.reverse(r))??;
        Ok(v.into())
    }

    /// Queries until the payment is no longer pending, for up to `timeout_ms` (the core's
    /// default when `None`). Intervals are the core's defaults unless given.
    pub fn wait_for_payment(
        &self,
        out_trade_no: String,
        timeout_ms: Option<i64>,
        initial_interval_ms: Option<i64>,
        max_interval_ms: Option<i64>,
    ) -> FfiResult<FfiTransaction> {
        let wait = wait_of(timeout_ms, initial_interval_ms, max_interval_ms)?;
        Ok(self.inner.wait_for_payment(&out_trade_no, wait)?.into())
    }

    /// `create_payment` on the library's runtime; `done` receives the outcome.
    pub fn create_payment_async(
        &self,
        request: FfiPaymentRequest,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = request
            .into_core()
            .and_then(|r| Ok((r, self.async_client(options)?)));
        match prepared {
            Ok((r, c)) => spawn(
                async move { c.create_payment(r).await },
                |v| FfiOutcome::Payment { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `query` on the library's runtime.
    pub fn query_async(
        &self,
        request: FfiQueryRequest,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = request
            .into_core()
            .and_then(|r| Ok((r, self.async_client(options)?)));
        match prepared {
            Ok((r, c)) => spawn(
                async move { c.query(r).await },
                |v| FfiOutcome::QueryPage { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `find_payment` on the library's runtime.
    pub fn find_payment_async(
        &self,
        out_trade_no: String,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        match self.async_client(options) {
            Ok(c) => spawn(
                async move { c.find_payment(&out_trade_no).await },
                |v| FfiOutcome::MaybeTransaction {
                    value: v.map(Into::into),
                },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `refund` on the library's runtime.
    pub fn refund_async(
        &self,
        request: FfiRefundRequest,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = request
            .into_core()
            .and_then(|r| Ok((r, self.async_client(options)?)));
        match prepared {
            Ok((r, c)) => spawn(
                async move { c.refund(r).await },
                |v| FfiOutcome::Refund { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `close_order` on the library's runtime.
    pub fn close_order_async(
        &self,
        request: FfiCancelRequest,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = request
            .into_core()
            .and_then(|r| Ok((r, self.async_client(options)?)));
        match prepared {
            Ok((r, c)) => spawn(
                async move { c.close(r).await },
                |v| FfiOutcome::Cancellation { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `reverse` on the library's runtime.
    pub fn reverse_async(
        &self,
        request: FfiCancelRequest,
        options: Option<FfiCallOptions>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = request
            .into_core()
            .and_then(|r| Ok((r, self.async_client(options)?)));
        match prepared {
            Ok((r, c)) => spawn(
                async move { c.reverse(r).await },
                |v| FfiOutcome::Cancellation { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }

    /// `wait_for_payment` on the library's runtime: the polls are timers, no thread sleeps.
    pub fn wait_for_payment_async(
        &self,
        out_trade_no: String,
        timeout_ms: Option<i64>,
        initial_interval_ms: Option<i64>,
        max_interval_ms: Option<i64>,
        done: Box<dyn FfiCompletion>,
    ) -> Arc<FfiTask> {
        let prepared = wait_of(timeout_ms, initial_interval_ms, max_interval_ms)
            .and_then(|w| Ok((w, self.async_client(None)?)));
        match prepared {
            Ok((w, c)) => spawn(
                async move { c.wait_for_payment(&out_trade_no, w).await },
                |v| FfiOutcome::Transaction { value: v.into() },
                done,
            ),
            Err(e) => failed_task(e, done),
        }
    }
}

/// Pages of a query; `next_page` returns `None` after the last one.
#[derive(uniffi::Object)]
pub struct FfiQueryPages {
    pages: Mutex<qfpay::blocking::QueryPages>,
}

#[uniffi::export]
impl FfiQueryPages {
    /// The next page, or `None` when there are no more.
    pub fn next_page(&self) -> FfiResult<Option<FfiQueryPage>> {
        let mut pages = self
            .pages
            .lock()
            .map_err(|_| QfPayFfiError::simple("config", "the page iterator was poisoned"))?;
        match pages.next() {
            None => Ok(None),
            Some(Ok(p)) => Ok(Some(p.into())),
            Some(Err(e)) => Err(e.into()),
        }
    }
}
