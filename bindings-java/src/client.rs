//! The client object: the core's blocking client, shared by any number of JVM threads, and for
//! the `...Async` calls the core's async client on a runtime this library owns. Options and
//! requests arrive as generic values by their Java names (`value.rs`) and go to the core's
//! applier (`qfpay::surface::apply`); results leave as the core's `Serialize` output.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use qfpay::surface::{Lang, Operation, Request, Value, apply, operation};
use qfpay::{ClientBuilder, Wait};
use uniffi::Lower;

use crate::UniFfiTag;
use crate::errors::{FfiErrorInfo, FfiResult, QfPayFfiError};
use crate::events::{FfiEventSink, JvmObserver};
use crate::value;

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

/// An outcome as the JVM reads it (`Jni.outcome`): `0` and the result (a generic value), or
/// `1` and the `FfiErrorInfo` in uniffi's serialized form.
pub(crate) fn outcome(r: FfiResult<Vec<u8>>) -> Vec<u8> {
    match r {
        Ok(mut v) => {
            v.insert(0, 0);
            v
        }
        Err(QfPayFfiError::Failure { info }) => {
            let mut buf = vec![1];
            <FfiErrorInfo as Lower<UniFfiTag>>::write(info, &mut buf);
            buf
        }
    }
}

fn failure(code: &str, detail: &str) -> Vec<u8> {
    outcome(Err(QfPayFfiError::simple(code, detail)))
}

/// Receives the outcome of an `...Async` call (see [`outcome`]), on one of the library's I/O
/// threads (or on the caller's, when the call was refused before it started).
pub(crate) trait Completion: Send + Sync {
    /// Called once, unless the call was cancelled first.
    fn complete(&self, outcome: Vec<u8>);
}

/// A running `...Async` call.
#[derive(Debug)]
pub(crate) struct FfiTask {
    abort: Option<tokio::task::AbortHandle>,
}

impl FfiTask {
    /// Drops the call's future (a money-moving call already sent is then reported by the core
    /// as cancelled, naming its `out_trade_no`). Idempotent; no effect after completion.
    pub(crate) fn cancel(&self) {
        if let Some(a) = &self.abort {
            a.abort();
        }
    }
}

/// The operations of `Jni.call` / `Jni.callAsync`, by the code the Kotlin facade sends.
const OPS: [&str; 7] = [
    "create_payment",
    "query",
    "find_payment",
    "refund",
    "close",
    "reverse",
    "wait_for_payment",
];

/// A call read from a `Jni.call` buffer: the operation's arguments (a map by their Java names)
/// then its options (the per-call options, or `wait_for_payment`'s), all read by the core.
struct Call {
    client: qfpay::Client,
    op: &'static Operation,
    request: Request,
    wait: Wait,
}

impl Call {
    fn read(base: &qfpay::Client, code: i32, buf: &mut &[u8]) -> FfiResult<Self> {
        let op = usize::try_from(code)
            .ok()
            .and_then(|i| OPS.get(i))
            .and_then(|n| operation(n))
            .ok_or_else(|| QfPayFfiError::simple("config", format!("unknown operation {code}")))?;
        let request = apply::request(Lang::Jvm, op, value::read(buf)?)?;
        let options = value::read(buf)?;
        let (client, wait) = if op.name == "wait_for_payment" {
            (base.clone(), apply::wait_options(Lang::Jvm, options)?)
        } else {
            let c = match options {
                Value::Null => base.clone(),
                o => apply::call_options(base, Lang::Jvm, o)?,
            };
            (c, Wait::default())
        };
        Ok(Call {
            client,
            op,
            request,
            wait,
        })
    }

    /// Runs the call; its result as the JVM reads it.
    async fn run(self) -> qfpay::Result<Vec<u8>> {
        let (c, ty) = (self.client, self.op.returns);
        Ok(match self.request {
            Request::Payment(r) => value::encode(ty, &c.create_payment(r).await?),
            Request::Query(r) => value::encode(ty, &c.query(r).await?),
            Request::Refund(r) => value::encode(ty, &c.refund(r).await?),
            Request::Cancel(r) if self.op.name == "close" => value::encode(ty, &c.close(r).await?),
            Request::Cancel(r) => value::encode(ty, &c.reverse(r).await?),
            Request::OrderNumber(n) if self.op.name == "find_payment" => {
                value::encode(ty, &c.find_payment(&n).await?)
            }
            Request::OrderNumber(n) => value::encode(ty, &c.wait_for_payment(&n, self.wait).await?),
        })
    }
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
    outcome: Mutex<Option<Vec<u8>>>,
    thread: std::thread::Thread,
}

/// Hands a blocking call's outcome to its parked thread (see `FfiClient::call_blocking`).
struct ParkedCompletion {
    parked: Arc<Parked>,
    delivered: AtomicBool,
}

impl Completion for ParkedCompletion {
    fn complete(&self, outcome: Vec<u8>) {
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

impl Drop for ParkedCompletion {
    /// A task dropped without an outcome (the runtime shutting down under it) must not leave
    /// its caller parked forever: it learns that the outcome is unknown.
    fn drop(&mut self) {
        if !self.delivered.load(Ordering::Acquire) {
            self.complete(failure(
                "status_unknown",
                "the call ended without an outcome (the I/O runtime stopped); query the order \
                 to learn its state",
            ));
        }
    }
}

/// A QFPay client. Thread-safe: one instance may be shared by every thread of the JVM. The
/// JNI path's blocking and `...Async` calls both run on [`RUNTIME`] (a blocking caller parks
/// until its outcome arrives) unless a blocking call is the only one in flight; the
/// uniffi-exported `queryPages` runs on the calling thread.
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
    /// Builds the client from a `Jni.clientNew` buffer: `fromEnv` (a boolean), the event level
    /// the JVM listens at (text, or null for no events), then the client options by their Java
    /// names, applied by the core.
    pub(crate) fn new(
        config: &mut &[u8],
        events: Option<Box<dyn FfiEventSink>>,
    ) -> FfiResult<Arc<Self>> {
        let from_env = value::read(config)? == Value::Bool(true);
        let level = match value::read(config)? {
            Value::Text(l) => Some(l),
            _ => None,
        };
        let mut b = ClientBuilder::new();
        if from_env {
            b = b.env()?;
        }
        b = b.user_agent_prefix(format!("qfpay-java/{}", qfpay::VERSION));
        let options = value::read(config)?;
        let mut b = apply::client_options(b, Lang::Jvm, options)?;
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

    /// The client's settings (the JNI getters).
    pub(crate) fn config(&self) -> &qfpay::Config {
        self.inner.async_client().config()
    }

    fn async_client(&self) -> &qfpay::Client {
        self.async_inner.get_or_init(|| {
            let c = qfpay::Client::from_config(self.config().clone())
                .unwrap_or_else(|_| self.inner.async_client().clone());
            match &self.observer {
                Some(o) => c.with_observer(o.clone()),
                None => c,
            }
        })
    }

    /// One blocking operation of `Jni.call`; its outcome (see [`outcome`]).
    ///
    /// The only call in flight on this client runs on the calling thread, which drives the
    /// client's current-thread runtime itself: no hand-off, the lowest latency (a sequential
    /// caller, 2.4x the payments/s of the other way, BENCHMARKS.md). A call made while another
    /// is in flight is run as the `...Async` operation on the library's runtime, its thread
    /// parked until the outcome arrives: 64 threads taking turns at one current-thread runtime
    /// woke one another at every turn, while a parked thread is woken exactly once, by the I/O
    /// thread that completed its call. Refused (`config`) on a runtime thread, where either way
    /// would stall the I/O the call waits for.
    pub(crate) fn call_blocking(&self, code: i32, buf: &mut &[u8]) -> Vec<u8> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return failure(
                "config",
                "a blocking call was made on the library's I/O thread (from a completion \
                 run in place); use the ...Async form or another executor there",
            );
        }
        let in_flight = InFlight::enter(&self.in_flight);
        if in_flight.alone {
            let r = Call::read(self.inner.async_client(), code, buf)
                .and_then(|call| Ok(self.inner.block_on(call.run())??));
            return outcome(r);
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

    /// One `...Async` operation of `Jni.callAsync`, on the library's runtime; `done` receives
    /// the outcome.
    pub(crate) fn call_async(
        &self,
        code: i32,
        buf: &mut &[u8],
        done: Box<dyn Completion>,
    ) -> Arc<FfiTask> {
        let call = match Call::read(self.async_client(), code, buf) {
            Ok(call) => call,
            Err(e) => {
                done.complete(outcome(Err(e)));
                return Arc::new(FfiTask { abort: None });
            }
        };
        spawn(call.run(), done)
    }
}

fn spawn(
    fut: impl Future<Output = qfpay::Result<Vec<u8>>> + Send + 'static,
    done: Box<dyn Completion>,
) -> Arc<FfiTask> {
    let rt = match &*RUNTIME {
        Ok(rt) => rt,
        Err(e) => {
            done.complete(failure("config", e));
            return Arc::new(FfiTask { abort: None });
        }
    };
    let handle = rt.spawn(async move {
        let r = fut.await.map_err(QfPayFfiError::from);
        done.complete(outcome(r));
    });
    Arc::new(FfiTask {
        abort: Some(handle.abort_handle()),
    })
}

#[uniffi::export]
impl FfiClient {
    /// Every page of a query, fetched as it is iterated; `request` is the query's arguments by
    /// their Java names (a generic value, `value.rs`).
    pub fn query_pages(&self, request: Vec<u8>) -> FfiResult<Arc<FfiQueryPages>> {
        let args = value::read(&mut request.as_slice())?;
        let op = operation("query_pages")
            .ok_or_else(|| QfPayFfiError::simple("config", "no query_pages operation"))?;
        let Request::Query(q) = apply::request(Lang::Jvm, op, args)? else {
            return Err(QfPayFfiError::simple("config", "query_pages read no query"));
        };
        Ok(Arc::new(FfiQueryPages {
            pages: Mutex::new(self.inner.query_pages(q)),
        }))
    }
}

/// Pages of a query; `next_page` returns `None` after the last one.
#[derive(uniffi::Object)]
pub struct FfiQueryPages {
    pages: Mutex<qfpay::blocking::QueryPages>,
}

#[uniffi::export]
impl FfiQueryPages {
    /// The next page (a generic value, `value.rs`), or `None` when there are no more.
    pub fn next_page(&self) -> FfiResult<Option<Vec<u8>>> {
        let mut pages = self
            .pages
            .lock()
            .map_err(|_| QfPayFfiError::simple("config", "the page iterator was poisoned"))?;
        match pages.next() {
            None => Ok(None),
            Some(Ok(p)) => Ok(Some(value::encode("QueryPage", &p))),
            Some(Err(e)) => Err(e.into()),
        }
    }
}
