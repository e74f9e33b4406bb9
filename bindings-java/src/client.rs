//! The client object: the core's blocking client, shared by any number of JVM threads, and for
//! the `...Async` calls the core's async client on a runtime this library owns. Options and
//! requests arrive as generic values by their Java names (`value.rs`) and go to the core's
//! applier (`qfpay::surface::apply`); results leave as the core's `Serialize` output.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, mpsc};

use crate::errors::{FfiResult, QfPayFfiError};
use crate::jni_path::{JvmObserver, JvmTarget};
use crate::value;
use qfpay::surface::apply::Outcome;
use qfpay::surface::{Lang, OPERATIONS, Operation, Request, Value, apply};
use qfpay::{ClientBuilder, Wait};

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

/// An outcome as the JVM reads it (`Jni.outcome`): `0` and the result, or `1` and the error,
/// each a generic value.
pub(crate) fn outcome(r: FfiResult<Vec<u8>>) -> Vec<u8> {
    let (tag, mut v) = match r {
        Ok(v) => (0, v),
        Err(QfPayFfiError::Failure { info }) => (1, info),
    };
    v.insert(0, tag);
    v
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

/// A running `...Async` call: aborting it drops the call's future (a money-moving call already
/// sent is then reported by the core as cancelled, naming its `out_trade_no`).
pub(crate) type FfiTask = Option<tokio::task::AbortHandle>;

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
        // The operation by its index in the core's table (the generated Kotlin sends it).
        let op = usize::try_from(code)
            .ok()
            .and_then(|i| OPERATIONS.get(i))
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

    /// Runs the call (the core's `perform`); its result as the JVM reads it.
    async fn run(self) -> qfpay::Result<Vec<u8>> {
        let out = apply::perform(&self.client, self.op, self.request, self.wait).await?;
        Ok(encode(self.op.returns, out))
    }

    /// Runs an operation that sends nothing (`io` false) at once, on the calling thread.
    fn run_local(self) -> qfpay::Result<Vec<u8>> {
        Ok(encode(
            self.op.returns,
            apply::perform_local(&self.client, self.request)?,
        ))
    }
}

/// An outcome of type `ty` as the JVM reads it (`value::shape`, `value::write`): the core's JSON
/// form of the result, so a new result type needs nothing here (`bytes` are base64 text, which
/// the generated Kotlin decodes).
fn encode(ty: &str, out: Outcome) -> Vec<u8> {
    value::encode_json(ty, out.to_json().unwrap_or(serde_json::Value::Null))
}

/// Hands a blocking call's outcome to its waiting thread (see `FfiClient::call_blocking`). A
/// task dropped without an outcome (the runtime shutting down under it) drops the sender: its
/// caller is never left waiting, it learns that the outcome is unknown.
struct Handoff(mpsc::SyncSender<Vec<u8>>);

impl Completion for Handoff {
    fn complete(&self, outcome: Vec<u8>) {
        let _ = self.0.try_send(outcome);
    }
}

/// A QFPay client. Thread-safe: one instance may be shared by every thread of the JVM. The
/// JNI path's blocking and `...Async` calls both run on [`RUNTIME`] (a blocking caller parks
/// until its outcome arrives) unless a blocking call is the only one in flight; the
/// uniffi-exported page iterators (`pages`) run on the calling thread.
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
    pub(crate) fn new(config: &mut &[u8], events: Option<JvmTarget>) -> FfiResult<Arc<Self>> {
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
            let min = qfpay::events::Level::parse(&level).ok_or_else(|| {
                QfPayFfiError::invalid("logLevel", "must be trace, debug, info, warn or error")
            })?;
            let o = JvmObserver { min, sink };
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

    /// One blocking operation of `Jni.call`; its outcome (see [`outcome`]). The only call in
    /// flight runs on the calling thread, driving the client's current-thread runtime itself
    /// (no hand-off: 2.4x the payments/s of a sequential caller, BENCHMARKS.md); one made while
    /// another is in flight runs on the library's runtime, its thread woken exactly once with
    /// the outcome (64 threads taking turns at one current-thread runtime woke one another at
    /// every turn). Refused on a runtime thread, where either would stall the I/O it waits for.
    pub(crate) fn call_blocking(&self, code: i32, buf: &mut &[u8]) -> Vec<u8> {
        // A local operation (a link built and signed here) runs at once, wherever it is called.
        if OPERATIONS.get(code as usize).is_some_and(|op| !op.io) {
            let r = Call::read(self.inner.async_client(), code, buf)
                .and_then(|call| Ok(call.run_local()?));
            return outcome(r);
        }
        if tokio::runtime::Handle::try_current().is_ok() {
            return failure(
                "config",
                "a blocking call was made on the library's I/O thread (from a completion \
                 run in place); use the ...Async form or another executor there",
            );
        }
        let alone = self.in_flight.fetch_add(1, Ordering::AcqRel) == 0;
        let out = if alone {
            let r = Call::read(self.inner.async_client(), code, buf)
                .and_then(|call| Ok(self.inner.block_on(call.run())??));
            outcome(r)
        } else {
            let (done, outcome) = mpsc::sync_channel(1);
            // A blocking call is not cancelled: its task handle is dropped (not aborted).
            drop(self.call_async(code, buf, Box::new(Handoff(done))));
            outcome.recv().unwrap_or_else(|_| {
                failure(
                    "status_unknown",
                    "the call ended without an outcome (the I/O runtime stopped); query the \
                     order to learn its state",
                )
            })
        };
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
        out
    }

    /// One `...Async` operation of `Jni.callAsync`, on the library's runtime; `done` receives
    /// the outcome.
    pub(crate) fn call_async(
        &self,
        code: i32,
        buf: &mut &[u8],
        done: Box<dyn Completion>,
    ) -> Arc<FfiTask> {
        let rt = RUNTIME
            .as_ref()
            .map_err(|e| QfPayFfiError::simple("config", e.as_str()));
        match Call::read(self.async_client(), code, buf).and_then(|call| Ok((call, rt?))) {
            Err(e) => {
                done.complete(outcome(Err(e)));
                Arc::new(None)
            }
            Ok((call, rt)) => {
                let task = rt.spawn(async move {
                    done.complete(outcome(call.run().await.map_err(QfPayFfiError::from)));
                });
                Arc::new(Some(task.abort_handle()))
            }
        }
    }
}

#[uniffi::export]
impl FfiClient {
    /// The pages of operation `op` (its index in the core's table), one returning a stream
    /// (`list<QueryPage>`, `list<Transaction>`), fetched as they are iterated; `request` is the
    /// operation's arguments then its per-call options, as for `Jni.call`. Nothing is sent here.
    pub fn pages(&self, op: i32, request: Vec<u8>) -> FfiResult<Arc<FfiPages>> {
        let call = Call::read(self.inner.async_client(), op, &mut request.as_slice())?;
        let pages = apply::pages(&call.client, call.request)?;
        Ok(Arc::new(FfiPages {
            client: self.inner.clone(),
            pages: Mutex::new(Walk { pages, sent: 0 }),
        }))
    }
}

/// A walk and the pages it fetched.
struct Walk {
    pages: qfpay::client::Pages,
    /// Pages fetched (a query's requests).
    sent: u64,
}

/// Pages of a query or of a period, fetched one at a time on the blocking client's runtime;
/// `next_page` returns `None` after the last one.
#[derive(uniffi::Object)]
pub struct FfiPages {
    client: qfpay::blocking::Client,
    pages: Mutex<Walk>,
}

#[uniffi::export]
impl FfiPages {
    /// The next page (a generic value, `value.rs`), or `None` when there are no more.
    pub fn next_page(&self) -> FfiResult<Option<Vec<u8>>> {
        let mut walk = self
            .pages
            .lock()
            .map_err(|_| QfPayFfiError::simple("config", "the page iterator was poisoned"))?;
        let walk = &mut *walk;
        let next = self.client.block_on(walk.pages.next_page())?;
        walk.sent += u64::from(next.is_some());
        match next {
            None => Ok(None),
            Some(Ok(p)) => Ok(Some(value::encode("QueryPage", &p))),
            Some(Err(e)) => Err(e.into()),
        }
    }

    /// The requests sent so far (a period's walk counts the 429s it waited out).
    pub fn requests(&self) -> u64 {
        match self.pages.lock() {
            Ok(w) => match &w.pages {
                qfpay::client::Pages::Period(t) => t.requests(),
                qfpay::client::Pages::Query(_) => w.sent,
            },
            Err(_) => 0,
        }
    }
}
