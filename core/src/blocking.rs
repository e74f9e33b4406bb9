//! A blocking facade over [`crate::Client`] for callers without an async runtime (scripts,
//! the bindings' synchronous APIs). It owns a current-thread tokio runtime that is driven by
//! the calling threads themselves: a call runs its I/O on the thread that made it, with no
//! hand-off to a worker thread (about 30% less latency per call than a multi-thread runtime on
//! two cores). Many threads may share one client and call it at once; while one of them drives
//! the runtime, the others' I/O is woken through it.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::runtime::{Handle, Runtime};

use crate::client::Wait;
use crate::client::config::ClientBuilder;
use crate::error::{Error, Result};
use crate::model::{
    CancelRequest, Cancellation, Payment, PaymentRequest, QueryPage, QueryRequest, Refund,
    RefundRequest, Transaction,
};

struct OwnedRuntime {
    rt: Option<Runtime>,
    /// The process that created the runtime. A runtime copied into a forked child shares the
    /// parent's epoll descriptor and has lost its threads: the child never uses or drops it.
    pid: u32,
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        let Some(rt) = self.rt.take() else { return };
        if self.pid == std::process::id() {
            // Never blocks, so dropping the last client inside another runtime cannot panic.
            rt.shutdown_background();
        } else {
            // Forked copy: shutting it down would touch the parent's I/O driver.
            std::mem::forget(rt);
        }
    }
}

fn new_runtime() -> Result<Arc<OwnedRuntime>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the I/O runtime: {e}")))?;
    Ok(Arc::new(OwnedRuntime {
        rt: Some(rt),
        pid: std::process::id(),
    }))
}

/// The runtime of the current process, built again after a fork.
struct RuntimeSlot {
    created: Arc<OwnedRuntime>,
    forked: Mutex<Option<Arc<OwnedRuntime>>>,
}

impl RuntimeSlot {
    fn current(&self) -> Result<Arc<OwnedRuntime>> {
        let pid = std::process::id();
        if self.created.pid == pid {
            return Ok(self.created.clone());
        }
        let mut slot = self.forked.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(rt) = slot.as_ref().filter(|rt| rt.pid == pid) {
            return Ok(rt.clone());
        }
        let fresh = new_runtime()?;
        if let Some(old) = slot.replace(fresh.clone()) {
            // A runtime of an earlier fork generation: leaked, never shut down here.
            std::mem::forget(old);
        }
        Ok(fresh)
    }
}

/// A blocking QFPay client. Cheap to clone; clones share the runtime and connection pool.
/// In a process forked after the client was created (gunicorn `--preload`, Celery, PHP-FPM),
/// it builds a fresh runtime and connection pool on first use instead of sharing the parent's.
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<RuntimeSlot>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("blocking::Client")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Client {
    /// Wraps an async client with its own current-thread runtime.
    pub fn new(inner: crate::Client) -> Result<Self> {
        Ok(Self {
            inner,
            runtime: Arc::new(RuntimeSlot {
                created: new_runtime()?,
                forked: Mutex::new(None),
            }),
        })
    }

    /// A client for `builder`'s configuration that shares its runtime and connection pool with
    /// every other client the process built from the same configuration (credentials, base
    /// URL, timeouts, retries, proxy: everything but the observer).
    ///
    /// For hosts that create their client again for every request, PHP-FPM above all: the
    /// connections to QFPay, with their TLS sessions, then survive from one request to the
    /// next instead of being opened again for each payment. The builder's observer, if any, is
    /// attached to the returned client only. Up to 16 configurations are kept per process
    /// (the oldest is let go first); a forked child builds its own runtime and pool on first
    /// use, as every client does.
    pub fn shared(mut builder: ClientBuilder) -> Result<Self> {
        const KEPT: usize = 16;
        static CLIENTS: Mutex<Vec<Client>> = Mutex::new(Vec::new());
        let observer = builder.take_observer();
        let config = builder.into_config()?;
        let mut clients = CLIENTS.lock().unwrap_or_else(|p| p.into_inner());
        // The whole configuration compared field by field (`Config`'s derived `PartialEq`, so a
        // field added later takes part without anyone remembering to add it here). This was a
        // SHA-256 over the configuration's `Debug` text: ~38k instructions per client built.
        let found = clients.iter().position(|c| *c.inner.config() == config);
        let client = match found {
            Some(i) => {
                // Most recently used last, so the oldest goes first.
                let client = clients.remove(i);
                clients.push(client.clone());
                client
            }
            None => {
                let client = Self::new(crate::Client::from_config(config)?)?;
                if clients.len() == KEPT {
                    clients.remove(0);
                }
                clients.push(client.clone());
                client
            }
        };
        drop(clients);
        Ok(Self {
            inner: client.inner.with_observer_slot(observer),
            runtime: client.runtime,
        })
    }

    /// A blocking client from the `QFPAY_*` environment variables.
    pub fn from_env() -> Result<Self> {
        Self::new(crate::Client::from_env()?)
    }

    /// The async client inside.
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs `fut` to completion on this client's runtime. Refuses (with a `config` error)
    /// when called from inside an async runtime, where blocking would stall it.
    pub fn block_on<F: Future>(&self, fut: F) -> Result<F::Output> {
        if Handle::try_current().is_ok() {
            return Err(Error::config(
                "the blocking client was called from inside an async runtime; use qfpay::Client there",
            ));
        }
        let runtime = self.runtime.current()?;
        match &runtime.rt {
            Some(rt) => Ok(rt.block_on(fut)),
            None => Err(Error::config("the I/O runtime was shut down")),
        }
    }

    /// See [`crate::Client::create_payment`].
    pub fn create_payment(&self, req: PaymentRequest) -> Result<Payment> {
        self.block_on(self.inner.create_payment(req))?
    }
    /// See [`crate::Client::query`].
    pub fn query(&self, req: QueryRequest) -> Result<QueryPage> {
        self.block_on(self.inner.query(req))?
    }
    /// An iterator over every page of a query.
    pub fn query_pages(&self, req: QueryRequest) -> QueryPages {
        QueryPages {
            client: self.clone(),
            pages: self.inner.query_pages(req),
        }
    }
    /// See [`crate::Client::find_payment`].
    pub fn find_payment(&self, out_trade_no: &str) -> Result<Option<Transaction>> {
        self.block_on(self.inner.find_payment(out_trade_no))?
    }
    /// See [`crate::Client::refund`].
    pub fn refund(&self, req: RefundRequest) -> Result<Refund> {
        self.block_on(self.inner.refund(req))?
    }
    /// See [`crate::Client::close`].
    pub fn close(&self, req: CancelRequest) -> Result<Cancellation> {
        self.block_on(self.inner.close(req))?
    }
    /// See [`crate::Client::reverse`].
    pub fn reverse(&self, req: CancelRequest) -> Result<Cancellation> {
        self.block_on(self.inner.reverse(req))?
    }
    /// See [`crate::Client::wait_for_payment`].
    pub fn wait_for_payment(&self, out_trade_no: &str, wait: Wait) -> Result<Transaction> {
        self.block_on(self.inner.wait_for_payment(out_trade_no, wait))?
    }
    /// Every transaction of a period, one at a time (see [`crate::Client::transactions`]).
    pub fn transactions(&self, from: &str, to: &str, filter: QueryRequest) -> Result<Transactions> {
        Ok(Transactions {
            client: self.clone(),
            walk: self.inner.transactions(from, to, filter)?,
        })
    }
    /// See [`crate::Client::reconcile`].
    pub fn reconcile(
        &self,
        req: crate::client::ReconcileRequest,
    ) -> Result<crate::reconcile::ReconcileReport> {
        self.block_on(self.inner.reconcile(req))?
    }
    /// See [`crate::Client::download_trade_bill`].
    pub fn download_trade_bill(&self, trade_date: &str) -> Result<crate::model::TradeBill> {
        self.block_on(self.inner.download_trade_bill(trade_date))?
    }
    /// See [`crate::Client::add_note`].
    pub fn add_note(&self, req: crate::model::NoteRequest) -> Result<crate::model::NoteAdded> {
        self.block_on(self.inner.add_note(req))?
    }
    /// See [`crate::Client::settlements`].
    pub fn settlements(
        &self,
        req: crate::model::SettlementRequest,
    ) -> Result<crate::model::Settlements> {
        self.block_on(self.inner.settlements(req))?
    }
}

/// Every transaction of a period, fetched a page at a time as the iterator advances.
pub struct Transactions {
    client: Client,
    walk: crate::Transactions,
}

impl Transactions {
    /// The same walk with requests at least `interval` apart.
    pub fn min_interval(mut self, interval: std::time::Duration) -> Self {
        self.walk = self.walk.min_interval(interval);
        self
    }
    /// The requests sent so far.
    pub fn requests(&self) -> u64 {
        self.walk.requests()
    }
}

impl Iterator for Transactions {
    type Item = Result<Transaction>;
    fn next(&mut self) -> Option<Self::Item> {
        let walk = &mut self.walk;
        match self.client.block_on(walk.next()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Pages of a query, fetched as the iterator advances.
pub struct QueryPages {
    client: Client,
    pages: crate::QueryPages,
}

impl Iterator for QueryPages {
    type Item = Result<QueryPage>;
    fn next(&mut self) -> Option<Self::Item> {
        let pages = &mut self.pages;
        match self.client.block_on(pages.next_page()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The pages of a stream ([`crate::client::Pages`]: a query's or a period's) read on a thread
/// of their own, one page ahead of the caller: while the caller turns a page into its
/// language's values, the next one is fetched and parsed. For a synchronous caller whose work
/// per page is as large as the reading (the PHP extension's iterators).
///
/// The pages must come from a client with a pool of its own ([`crate::Client::with_own_pool`]):
/// the reading thread runs its own runtime, and a connection opened by another runtime would
/// be driven only while that runtime's owner is in a call. Dropping the value stops the
/// thread (after the request in flight, if any).
pub struct PagesAhead {
    /// Each page, then `None` at the end: a channel closed without it is a thread that died.
    pages: tokio::sync::mpsc::Receiver<Option<Result<QueryPage>>>,
    pid: u32,
    ended: bool,
}

impl std::fmt::Debug for PagesAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PagesAhead").finish_non_exhaustive()
    }
}

impl PagesAhead {
    /// Starts reading `pages` on a new thread.
    pub fn start(mut pages: crate::client::Pages) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::config(format!("cannot start the I/O runtime: {e}")))?;
        // One page waits in the channel; a period's walk fetches one more meanwhile.
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        std::thread::Builder::new()
            .name("qfpay-pages".into())
            .spawn(move || {
                rt.block_on(async move {
                    loop {
                        let page = pages.next_page().await;
                        let last = !matches!(page, Some(Ok(_)));
                        if tx.send(page).await.is_err() || last {
                            return;
                        }
                    }
                });
            })
            .map_err(|e| Error::config(format!("cannot start the pages' thread: {e}")))?;
        Ok(Self {
            pages: rx,
            pid: std::process::id(),
            ended: false,
        })
    }

    /// The next page, `None` after the last, or the error that ended the walk. Refused (a
    /// `config` error) inside an async runtime, which it would stall, and in a process forked
    /// after the walk started (its reading thread stayed in the parent).
    pub fn next_page(&mut self) -> Option<Result<QueryPage>> {
        if std::process::id() != self.pid {
            return Some(Err(Error::config(
                "this walk was started in another process (before a fork); start it again",
            )));
        }
        if Handle::try_current().is_ok() {
            return Some(Err(Error::config(
                "a blocking walk was read from inside an async runtime; iterate the async client's pages there",
            )));
        }
        if self.ended {
            return None;
        }
        let next = match self.pages.blocking_recv() {
            Some(next) => next,
            None => Some(Err(Error::config(
                "the pages' reading thread ended before the last page",
            ))),
        };
        self.ended = !matches!(next, Some(Ok(_)));
        next
    }
}

impl Iterator for PagesAhead {
    type Item = Result<QueryPage>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_page()
    }
}
