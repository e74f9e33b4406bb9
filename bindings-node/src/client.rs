//! `NativeClient`: the core's async client. A call is started by `start(id, ...)` and runs on
//! the tokio runtime; its result comes back as JSON through the client's one completion
//! callback (`onDone`), which the wrapper turns into the call's Promise. Measured against
//! napi's own `async fn` Promises (a threadsafe function, a cleanup hook and a uv handle per
//! call, the result built property by property): see bindings-node/BENCHMARKS.md.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

use std::future::Future;
use std::pin::Pin;

use napi::Status;
use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use qfpay::ClientBuilder;
use qfpay::surface::{self, Lang, Request};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::cancel::cancellable;
use crate::convert;
use crate::errors::{js, to_napi};
use crate::events::{Callback, JsObserver, OFF};
use crate::results::json;

/// The `User-Agent` prefix of this binding.
fn user_agent() -> String {
    format!("qfpay-node/{}", env!("CARGO_PKG_VERSION"))
}

/// Applies JavaScript client options to a builder (the core's applier, Node's names).
fn apply(b: ClientBuilder, options: Option<Value>) -> qfpay::Result<ClientBuilder> {
    surface::apply::client_options(b, Lang::Node, convert::value(options))
        .map(|b| b.user_agent_prefix(user_agent()))
}

/// A call dropped by its `AbortSignal` (the wrapper has already rejected with an AbortError).
fn aborted() -> napi::Error {
    napi::Error::from_reason("[aborted] the call was aborted")
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
    /// The completion callback of `start`, once `onDone` has installed it.
    done: std::sync::Mutex<Option<Arc<Done>>>,
}

impl NativeClient {
    fn wrap(inner: qfpay::Client) -> Self {
        Self {
            inner: RwLock::new(inner),
            level: std::sync::Mutex::new(None),
            done: std::sync::Mutex::new(None),
        }
    }

    /// A value read from the current client's configuration (no clone of the client).
    fn config<T>(&self, f: impl FnOnce(&qfpay::Config) -> T) -> T {
        f(self
            .inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .config())
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
        self.config(|c| c.base_url.clone())
    }

    /// The `User-Agent` sent.
    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.config(|c| c.user_agent.clone())
    }

    /// Warnings the configuration produced (e.g. `QFPAY_ENV` and `QFPAY_BASE_URL` disagree).
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.config(|c| c.warnings.clone())
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
        self.config(|c| c.app_code.clone())
    }

    /// The default `mchid`, if any.
    #[napi(getter)]
    pub fn mchid(&self) -> Option<String> {
        self.config(|c| c.mchid.clone())
    }

    /// Pages of a query, fetched one at a time by `nextPage()`.
    #[napi]
    pub fn query_pages(
        &self,
        request: Option<Value>,
        options: Option<Value>,
    ) -> napi::Result<NativeQueryPages> {
        let Request::Query(req) =
            js(convert::operation("queryPages").and_then(|op| convert::request(op, request)))?
        else {
            return Err(napi::Error::from_reason("queryPages is not a query"));
        };
        js(req.validate())?;
        let c = js(surface::apply::call_options(
            &self.client(),
            Lang::Node,
            convert::value(options),
        ))?;
        Ok(NativeQueryPages {
            pages: Arc::new(Mutex::new(c.query_pages(req))),
        })
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

impl NativeClient {
    /// Converts the arguments of `method` (in the order the methods always did) and returns
    /// its core future, yielding the result as JSON.
    fn prepare(
        &self,
        method: &str,
        first: Option<Value>,
        options: Option<Value>,
    ) -> qfpay::Result<Call> {
        let base = self.client();
        let op = convert::operation(method)?;
        let req = convert::request(op, first)?;
        let options = convert::value(options);
        if let Request::OrderNumber(no) = &req
            && op.name == "wait_for_payment"
        {
            let (no, wait) = (
                no.clone(),
                surface::apply::wait_options(Lang::Node, options)?,
            );
            return Ok(Box::pin(async move {
                json(&base.wait_for_payment(&no, wait).await?)
            }));
        }
        let c = surface::apply::call_options(&base, Lang::Node, options)?;
        Ok(match req {
            Request::Payment(r) => Box::pin(async move { json(&c.create_payment(r).await?) }),
            Request::Query(r) => Box::pin(async move { json(&c.query(r).await?) }),
            Request::OrderNumber(no) => Box::pin(async move { json(&c.find_payment(&no).await?) }),
            Request::Refund(r) => Box::pin(async move { json(&c.refund(r).await?) }),
            Request::Cancel(r) if op.name == "close" => {
                Box::pin(async move { json(&c.close(r).await?) })
            }
            Request::Cancel(r) => Box::pin(async move { json(&c.reverse(r).await?) }),
        })
    }
}

#[napi]
impl NativeClient {
    /// Installs the completion callback `start` reports to (once, by the wrapper).
    #[napi]
    pub fn on_done(&self, callback: Done) {
        *self
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(callback));
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
        token: Option<u32>,
    ) -> napi::Result<()> {
        let call = js(self.prepare(&method, first, options))?;
        let done = self
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| napi::Error::from_reason("onDone was not called"))?;
        napi::bindgen_prelude::spawn(async move {
            let (ok, payload) = match cancellable(token, call).await {
                None => (false, aborted().reason),
                Some(Ok(json)) => (true, json),
                Some(Err(e)) => (false, to_napi(e).reason),
            };
            // A closing environment drops the completion, never blocks.
            let _ = done.call(
                FnArgs::from((id, ok, payload)),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        });
        Ok(())
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

/// Pages of a query (behind the JavaScript async iterator of `Client.queryPages`).
#[napi]
pub struct NativeQueryPages {
    pages: Arc<Mutex<qfpay::QueryPages>>,
}

#[napi]
impl NativeQueryPages {
    /// The next page as JSON (parsed by the wrapper, like every result), or `null` after the
    /// last one.
    #[napi]
    pub async fn next_page(&self) -> napi::Result<Option<String>> {
        let pages = Arc::clone(&self.pages);
        let mut guard = pages.lock().await;
        guard
            .next_page()
            .await
            .map(|r| js(r.and_then(|p| json(&p))))
            .transpose()
    }
}
