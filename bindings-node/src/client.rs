//! `NativeClient`: the core's async client. A call is started by `start(id, ...)` and runs on
//! the tokio runtime; its result comes back as JSON through the client's one completion
//! callback (`onDone`), which the wrapper turns into the call's Promise. Measured against
//! napi's own `async fn` Promises (a threadsafe function, a cleanup hook and a uv handle per
//! call, the result built property by property): see bindings-node/BENCHMARKS.md. Also here:
//! the client's events observer and the cancellation token of a call with an `AbortSignal`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use napi::Status;
use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use qfpay::ClientBuilder;
use qfpay::events::{Event, Level, Observer};
use qfpay::surface::apply::Outcome;
use qfpay::surface::{self, Lang, Request, WAIT_OPTIONS};
use serde_json::Value;
use tokio::sync::{Mutex, Notify};

use crate::convert;
use crate::results::{js, json, to_napi};

/// The native client behind the JavaScript `Client` (use `Client` from the package, which
/// turns native errors into `QfPayError` subclasses).
#[napi]
pub struct NativeClient {
    /// The core client; replaced (never mutated) when an observer is installed, so calls in
    /// flight keep the one they started with.
    inner: RwLock<qfpay::Client>,
    /// The observer's level, once `observe` has installed one.
    level: OnceLock<Arc<AtomicU8>>,
    /// The completion callback of `start`, once `onDone` has installed it.
    done: OnceLock<Arc<Done>>,
}

#[napi]
impl NativeClient {
    /// A client from a builder and JavaScript client options (the core's applier, Node's names).
    fn build(b: qfpay::Result<ClientBuilder>, options: Option<Value>) -> napi::Result<Self> {
        let options = convert::value(options);
        let b = b.and_then(|b| surface::apply::client_options(b, Lang::Node, options));
        let b = b.map(|b| b.user_agent_prefix(concat!("qfpay-node/", env!("CARGO_PKG_VERSION"))));
        let inner = RwLock::new(js(b.and_then(ClientBuilder::build))?);
        let (level, done) = (OnceLock::new(), OnceLock::new());
        Ok(Self { inner, level, done })
    }

    /// The current core client (a cheap clone).
    fn client(&self) -> qfpay::Client {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A client from options (`appCode`, `clientKey`, `environment`, `baseUrl`, ...).
    #[napi(constructor)]
    pub fn new(options: Option<Value>) -> napi::Result<Self> {
        Self::build(Ok(ClientBuilder::new()), options)
    }

    /// What the wrapper shows of the configuration: `{ baseUrl, userAgent, appCode, mchid?,
    /// warnings }` (the warnings: e.g. `QFPAY_ENV` and `QFPAY_BASE_URL` disagree).
    #[napi(getter)]
    pub fn config(&self) -> Value {
        let client = self.client();
        let c = client.config();
        serde_json::json!({ "baseUrl": c.base_url, "userAgent": c.user_agent,
            "appCode": c.app_code, "mchid": c.mchid, "warnings": c.warnings })
    }

    /// Sends the core's events at `level` (a rank: 0 trace ... 4 error, 255 none) and above to
    /// `callback`, through one non-blocking threadsafe function for this client, installed by
    /// the first call (when a logger or listener first appears); later calls only change the
    /// level.
    #[napi]
    pub fn observe(&self, callback: Option<Callback>, level: u32) {
        let rank = u8::try_from(level).unwrap_or(u8::MAX);
        if let Some(min) = self.level.get() {
            return min.store(rank, Ordering::Relaxed);
        }
        let Some(callback) = callback else { return };
        let min = Arc::new(AtomicU8::new(rank));
        let observer = Arc::new(JsObserver {
            callback,
            min: Arc::clone(&min),
        });
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        *inner = inner.with_observer(observer);
        let _ = self.level.set(min);
    }

    /// The pages of `method`, an operation returning a stream (`list<QueryPage>`:
    /// `queryPages`; `list<Transaction>`: `transactions`), fetched one at a time by
    /// `nextPage()`. The request is converted and checked now (a bad one throws at once);
    /// nothing is sent before the first page is asked for.
    #[napi]
    pub fn pages(
        &self,
        method: String,
        request: Option<Value>,
        options: Option<Value>,
    ) -> napi::Result<NativePages> {
        let (_, req) = js(convert::request(&method, request))?;
        if let Request::Query(q) = &req {
            // A query's pages are checked when the first is fetched: check now, as `query` does.
            js(q.validate())?;
        }
        let options = convert::value(options);
        let c = js(surface::apply::call_options(
            &self.client(),
            Lang::Node,
            options,
        ))?;
        let pages = Arc::new(Mutex::new(js(surface::apply::pages(&c, req))?));
        Ok(NativePages { pages })
    }

    /// Installs the completion callback `start` reports to (once, by the wrapper).
    #[napi]
    pub fn on_done(&self, callback: Done) {
        let _ = self.done.set(Arc::new(callback));
    }

    /// Starts `method` as call `id` under cancellation token `token`; its result or error
    /// arrives at the completion callback. Throws (synchronously) on a bad argument.
    #[napi]
    pub fn start(
        &self,
        id: u32,
        method: String,
        first: Option<Value>,
        options: Option<Value>,
        token: Option<&CancelToken>,
    ) -> napi::Result<()> {
        let call = js(self.prepare(&method, first, options))?;
        let token = token.map(|t| Arc::clone(&t.0));
        let Some(done) = self.done.get().cloned() else {
            return Err(napi::Error::from_reason("onDone was not called"));
        };
        napi::bindgen_prelude::spawn(async move {
            let (ok, payload) = match cancellable(token, call).await {
                // Dropped by its `AbortSignal` (the wrapper has already rejected).
                None => (false, "[aborted] the call was aborted".to_owned()),
                Some(Ok(json)) => (true, json),
                Some(Err(e)) => (false, to_napi(e).reason),
            };
            // A closing environment drops the completion, never blocks.
            let args = FnArgs::from((id, ok, payload));
            let _ = done.call(args, ThreadsafeFunctionCallMode::NonBlocking);
        });
        Ok(())
    }

    /// Runs `method`, an operation that does not talk to QFPay (a link built and signed
    /// locally), at once: its result as JSON, or the error thrown.
    #[napi]
    pub fn run(&self, method: String, first: Option<Value>) -> napi::Result<String> {
        let (op, req) = js(convert::request(&method, first))?;
        if op.io {
            return Err(napi::Error::from_reason(format!(
                "{method} talks to QFPay: start it"
            )));
        }
        js(surface::apply::perform_local(&self.client(), req).and_then(|o| outcome(&o)))
    }

    /// Converts the arguments of `method` and returns its core future, yielding the result as
    /// JSON.
    fn prepare(
        &self,
        method: &str,
        first: Option<Value>,
        options: Option<Value>,
    ) -> qfpay::Result<Call> {
        let base = self.client();
        let (op, req) = convert::request(method, first)?;
        let options = convert::value(options);
        // The operation's options are the wait options or the per-call options.
        let waits = op
            .call
            .iter()
            .map(|o| o.name)
            .eq(WAIT_OPTIONS.iter().map(|o| o.name));
        let (c, wait) = if waits {
            (base, surface::apply::wait_options(Lang::Node, options)?)
        } else {
            let c = surface::apply::call_options(&base, Lang::Node, options)?;
            (c, qfpay::Wait::default())
        };
        Ok(Box::pin(async move {
            outcome(&surface::apply::perform(&c, op, req, wait).await?)
        }))
    }
}

/// An operation's result as the JSON text the wrapper parses (text results as JSON strings,
/// `findPayment`'s absent payment as `null`). Each result is written from its own type (not
/// `Outcome::to_json`'s value) so that its struct's field names get Node's spelling.
fn outcome(o: &Outcome) -> qfpay::Result<String> {
    match o {
        Outcome::Payment(p) => json(p),
        Outcome::QueryPage(p) => json(p),
        Outcome::Found(t) => json(t),
        Outcome::Transaction(t) => json(t),
        Outcome::Refund(r) => json(r),
        Outcome::Cancellation(c) => json(c),
        Outcome::CheckoutLink(l) => json(l),
        Outcome::Text(t) => json(t),
        Outcome::Report(r) => json(r),
        Outcome::TradeBill(b) => json(b),
        Outcome::Settlements(s) => json(s),
        Outcome::NoteAdded(n) => json(n),
    }
}

/// A finished call as the completion callback receives it: `(id, ok, payload)`, the payload
/// being the result as JSON (`ok`) or the native error message (`[code] message␞{details}`).
type Completion = FnArgs<(u32, bool, String)>;

/// The client's completion callback: one threadsafe function for every call of the client,
/// weak (the wrapper keeps Node alive while calls are pending), never blocking the I/O thread.
pub type Done = ThreadsafeFunction<Completion, (), Completion, Status, false, true>;

/// A prepared call: the request converted and checked, the core future not started yet.
type Call = Pin<Box<dyn Future<Output = qfpay::Result<String>> + Send>>;

/// A client from the `QFPAY_*` environment variables, then `overrides` (behind
/// `Client.fromEnv`).
#[napi]
pub fn native_client_from_env(overrides: Option<Value>) -> napi::Result<NativeClient> {
    NativeClient::build(ClientBuilder::new().env(), overrides)
}

/// Pages of an operation returning a stream (behind the JavaScript async iterators of
/// `Client.queryPages` and `Client.transactions`).
#[napi]
pub struct NativePages {
    pages: Arc<Mutex<qfpay::client::Pages>>,
}

#[napi]
impl NativePages {
    /// The next page as JSON (parsed by the wrapper, like every result), or `null` after the
    /// last one. Runs on the core's runtime: the event loop never waits for QFPay.
    #[napi]
    pub async fn next_page(&self) -> napi::Result<Option<String>> {
        let mut pages = self.pages.lock().await;
        let page = pages.next_page().await;
        page.map(|r| js(r.and_then(|p| json(&p)))).transpose()
    }
}

/// The events callback: one argument (the event as JSON, from the core's description of an
/// event, with Node's names), weak (it never keeps Node alive). Created only when a logger or
/// listener exists (`lib/events.js` asks for it).
pub type Callback = ThreadsafeFunction<String, (), String, Status, false, true>;

/// The observer installed on a client; `enabled()` is one atomic load.
struct JsObserver {
    callback: Callback,
    min: Arc<AtomicU8>,
}

impl Observer for JsObserver {
    fn enabled(&self, level: Level) -> bool {
        // A level's rank: 0 trace, 1 debug, 2 info, 3 warn, 4 error (the core's order).
        level as u8 >= self.min.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event) {
        // Non-blocking: the I/O thread never waits for JavaScript. A full or closing queue
        // drops the event, never the call.
        if let Ok(json) = json(event) {
            let _ = self
                .callback
                .call(json, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

/// One call's cancellation token: the wrapper makes one for a call with an `AbortSignal` and
/// cancels it when the signal aborts; the call's core future is then dropped (the core reports
/// a money-moving call cancelled after sending as a `cancelled` event naming its order).
#[napi]
#[derive(Default)]
pub struct CancelToken(Arc<Notify>);

#[napi]
impl CancelToken {
    /// A new token.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the call (a no-op once it has ended). `notify_one` keeps a permit, so a call
    /// that has not started waiting yet still sees it.
    #[napi]
    pub fn cancel(&self) {
        self.0.notify_one();
    }
}

/// Runs `fut`, or drops it when `token` is cancelled (then the result is `None`).
pub async fn cancellable<T>(token: Option<Arc<Notify>>, fut: impl Future<Output = T>) -> Option<T> {
    let Some(notify) = token else {
        return Some(fut.await);
    };
    tokio::select! {
        r = fut => Some(r),
        () = notify.notified() => None,
    }
}
