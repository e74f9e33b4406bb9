//! # qfpay-sandbox
//!
//! A stateful, in-memory simulator of the QFPay Open API for tests and demos. Any client —
//! this SDK, its bindings, or QFPay's own sample programs — runs against it unchanged but for
//! the base URL and credentials.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use qfpay_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("{} {}", sandbox.base_url(), sandbox.merchant().app_code);
//! # Ok(()) }
//! ```
//!
//! Endpoints: `/trade/v1/{payment,query,refund,close,reversal}`,
//! `/tool/v1/{get_weixin_oauth_code,get_weixin_openid}`, `/download/v1/trade_bill` (a synthetic
//! statement zip) and the legacy `/settlement/v1/query`; pages for people: `/checkstand/`
//! (hosted checkout), `/sandbox/checkout/<syssn>` (a `pay_url`), `/q/direct` (WeChat
//! cashier), the dashboard `/sandbox/` (orders, requests, faults, merchants); control API
//! under `/sandbox/`; scenario amounts 1001–1007 (see the README).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod app;
mod checkstand;
pub mod config;
mod control;
mod dashboard;
pub mod faults;
pub mod form;
mod handlers;
mod notes;
pub mod notify;
pub mod options;
mod pages;
pub mod pay_params;
pub mod python_json;
pub mod rate_limit;
pub mod refund_rules;
pub mod seed;
mod server;
pub mod state;
pub mod statements;
pub mod timeline;
mod wechat_tool;

use std::sync::Arc;
use std::thread::JoinHandle;

use axum::Router;
use tokio::sync::watch;

pub use config::{DEFAULT_APP_CODE, DEFAULT_CLIENT_KEY, Merchant, RateLimit, SandboxConfig};
pub use faults::Fault;
pub use refund_rules::RefundRules;
pub use server::ServerOptions;
pub use state::MAX_CLOCK_OFFSET_SECONDS;

/// What a control call can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SandboxError {
    /// No order has that `syssn` or `out_trade_no`.
    #[error("not found: {0}")]
    NotFound(String),
    /// The order cannot do that in its state (closed, expired, a refund...).
    #[error("invalid state: {0}")]
    InvalidState(String),
}

/// A running sandbox. Dropping it shuts the server down.
#[derive(Debug)]
pub struct Sandbox {
    shared: Arc<app::Shared>,
    port: u16,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

fn bind(port: u16) -> std::io::Result<std::net::TcpListener> {
    let l = std::net::TcpListener::bind(("127.0.0.1", port))?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Builds the shared state and the server future; must run inside a tokio runtime.
fn serve(
    config: SandboxConfig,
    options: ServerOptions,
    listener: std::net::TcpListener,
    shutdown_tx: &watch::Sender<bool>,
) -> std::io::Result<(
    Arc<app::Shared>,
    u16,
    impl std::future::Future<Output = ()> + Send + 'static,
)> {
    let port = listener.local_addr()?.port();
    let options = options.effective();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let base_url = format!("http://127.0.0.1:{port}");
    let notifier = notify::Notifier::new(
        tokio::runtime::Handle::current(),
        shutdown_tx.subscribe(),
        config.notify_time_scale,
    );
    let shared = Arc::new(app::Shared::new(config, options, base_url, notifier));
    let router = Router::new()
        .fallback(app::dispatch)
        .with_state(Arc::clone(&shared))
        .into_make_service_with_connect_info::<server::ConnHandle>();
    let mut rx = shutdown_tx.subscribe();
    let fut = async move {
        let server = axum::serve(server::SandboxListener::new(listener, options), router)
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|s| *s).await;
            });
        if let Err(e) = server.await {
            tracing::warn!(error = %e, "sandbox server stopped");
        }
    };
    Ok((shared, port, fut))
}

impl Sandbox {
    /// Starts a sandbox on the caller's tokio runtime.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::start_with_options(config, ServerOptions::default()).await
    }

    /// [`Sandbox::start`] with a connection cap and timeouts other than the defaults.
    pub async fn start_with_options(
        config: SandboxConfig,
        options: ServerOptions,
    ) -> std::io::Result<Sandbox> {
        let listener = bind(config.port)?;
        let (shutdown, _) = watch::channel(false);
        let (shared, port, fut) = serve(config, options, listener, &shutdown)?;
        tokio::spawn(fut);
        Ok(Sandbox {
            shared,
            port,
            shutdown,
            thread: None,
        })
    }

    /// Starts a sandbox on its own thread and runtime; callable from any thread, with or
    /// without a tokio runtime (the Python and JVM bindings use this).
    pub fn start_background(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::start_background_with_options(config, ServerOptions::default())
    }

    /// [`Sandbox::start_background`] with a connection cap and timeouts other than the defaults.
    pub fn start_background_with_options(
        config: SandboxConfig,
        options: ServerOptions,
    ) -> std::io::Result<Sandbox> {
        let listener = bind(config.port)?;
        let (shutdown, _) = watch::channel(false);
        let tx = shutdown.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
        let thread = std::thread::Builder::new()
            .name("qfpay-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(workers)
                    .thread_name("qfpay-sandbox-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let started = rt.block_on(async { serve(config, options, listener, &tx) });
                let (shared, port, fut) = match started {
                    Ok(v) => v,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok((shared, port)));
                let mut rx = tx.subscribe();
                rt.block_on(async move {
                    let server = tokio::spawn(fut);
                    let _ = rx.wait_for(|s| *s).await;
                    let _ =
                        tokio::time::timeout(std::time::Duration::from_millis(500), server).await;
                });
                rt.shutdown_timeout(std::time::Duration::from_millis(200));
            })?;
        match ready_rx.recv() {
            Ok(Ok((shared, port))) => Ok(Sandbox {
                shared,
                port,
                shutdown,
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(std::io::Error::other(
                    "the sandbox thread stopped before starting",
                ))
            }
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The first merchant.
    pub fn merchant(&self) -> &Merchant {
        // `Shared::new` always configures at least one merchant.
        &self.shared.merchants[0].merchant
    }

    /// Every merchant.
    pub fn merchants(&self) -> &[Merchant] {
        &self.shared.config.merchants
    }

    /// The customer's scan: pays the pending payment with this `syssn` or `out_trade_no` and
    /// returns its query record. Paying a paid order returns it unchanged.
    pub fn pay(&self, syssn_or_out_trade_no: &str) -> Result<serde_json::Value, SandboxError> {
        self.shared.pay(syssn_or_out_trade_no, None)
    }

    /// Strict pay codes: `true` refuses the legacy codes ([`qfpay::model::pay_type::LEGACY`])
    /// with 1104, as an account without them would; `false` (the default) accepts every
    /// code QFPay's pay-code source lists. Also `POST /sandbox/config
    /// {"strict_pay_types": true}`.
    pub fn set_strict_pay_types(&self, strict: bool) {
        self.shared
            .strict_pay_types
            .store(strict, std::sync::atomic::Ordering::Relaxed);
    }

    /// Replaces the refund rules (also `POST /sandbox/config {"refund_rules": {...}}`);
    /// refunds already made keep their state.
    pub fn set_refund_rules(&self, rules: RefundRules) {
        *state::lock(&self.shared.refund_rules) = rules;
    }

    /// The refund rules in force.
    pub fn refund_rules(&self) -> RefundRules {
        self.shared.refund_rules()
    }

    /// Seeds history (see [`seed::SeedRequest`]); also `POST /sandbox/seed`.
    pub fn seed(&self, req: &seed::SeedRequest) -> Result<serde_json::Value, SandboxError> {
        self.shared.seed(req)
    }

    /// Whether legacy pay codes are refused ([`Sandbox::set_strict_pay_types`]).
    pub fn strict_pay_types(&self) -> bool {
        self.shared.strict_pay_types()
    }

    /// Applies `fault` to the next `count` API requests (`/trade/...`, not `/sandbox/...`).
    pub fn inject_fault(&self, fault: Fault, count: u32) {
        self.shared.faults.push(fault, count);
    }

    /// The bounded request log (the last 1000 API requests), oldest first.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.shared.log.entries()
    }

    /// API requests received since start or reset, rejected ones included.
    pub fn request_count(&self) -> usize {
        self.shared.log.count()
    }

    /// Notification deliveries and their attempts, oldest first.
    pub fn notifications(&self) -> Vec<serde_json::Value> {
        self.shared.notifier.list()
    }

    /// Every payment and refund the sandbox holds (all merchants, creation order per
    /// merchant), each as `{"kind": "payment"|"refund", "out_trade_no", "syssn", "txamt"
    /// (integer), "txcurrcd", "state", "orig_syssn" (refunds; else null), "pay_type",
    /// "refunded", "app_code", "sysdtm"}`. `state` is what the SDK would read from a query of
    /// it: `succeeded`, `pending`, `failed`, `refunded`, `partially_refunded` or `cancelled`.
    /// Also `GET /sandbox/orders`.
    pub fn orders(&self) -> Vec<serde_json::Value> {
        self.shared.orders()
    }

    /// A [`qfpay::Client`] for this sandbox: its base URL and the first merchant's
    /// credentials (and `mchid`), every other option at the SDK's default.
    pub fn client(&self) -> qfpay::Result<qfpay::Client> {
        self.client_builder().build()
    }

    /// A [`qfpay::ClientBuilder`] already pointed at this sandbox with the first merchant's
    /// credentials, for more options (`.timeout(..)`, `.max_retries(..)`, `.sign_type(..)`).
    pub fn client_builder(&self) -> qfpay::ClientBuilder {
        let m = self.merchant();
        let b = qfpay::Client::builder()
            .base_url(self.base_url())
            .credentials(m.app_code.clone(), m.client_key.clone());
        match &m.mchid {
            Some(mchid) => b.mchid(mchid.clone()),
            None => b,
        }
    }

    /// Forgets orders, the log, faults, notifications and clock changes.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Moves the sandbox clock forward by `seconds` (to expire orders without waiting); the
    /// clock stays within [`MAX_CLOCK_OFFSET_SECONDS`] (100 years) of real time, a larger move
    /// stops there. [`Sandbox::try_advance_clock`] refuses instead.
    pub fn advance_clock(&self, seconds: i64) {
        self.shared.clock.advance(seconds.saturating_mul(1000));
    }

    /// Moves the sandbox clock by `seconds`, or refuses (with a message saying why) when it
    /// would end up more than [`MAX_CLOCK_OFFSET_SECONDS`] from real time.
    pub fn try_advance_clock(&self, seconds: i64) -> Result<(), String> {
        self.shared.clock.try_advance_seconds(seconds)
    }

    /// Stops the server (also done on drop).
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.thread.take()
            && t.thread().id() != std::thread::current().id()
        {
            let _ = t.join();
        }
    }
}
