//! The client object: the core's blocking client, shared by any number of JVM threads.

use std::sync::{Arc, Mutex};

use qfpay::{ClientBuilder, Environment, SignType, Wait};

use crate::error::{FfiResult, QfPayFfiError, to_duration};
use crate::records::{
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
    /// `production`, `live_test`, `sandbox` or a base URL.
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
        let n = u32::try_from(n)
            .map_err(|_| QfPayFfiError::simple("config", "maxRetries must not be negative"))?;
        b = b.max_retries(n);
    }
    if c.retry_base_delay_ms.is_some() || c.retry_max_delay_ms.is_some() {
        let base = to_duration("retryBaseDelay", c.retry_base_delay_ms.unwrap_or(500))?;
        let max = to_duration("retryMaxDelay", c.retry_max_delay_ms.unwrap_or(5000))?;
        b = b.retry_delay(base, max);
    }
    if let Some(s) = c.utc_offset_seconds {
        b = b.utc_offset_seconds(s);
    }
    if let Some(p) = c.proxy {
        b = b.proxy(p);
    }
    Ok(b)
}

/// A QFPay client. Thread-safe: one instance may be shared by every thread of the JVM; each
/// call blocks its calling thread while the core's own I/O runtime does the work.
#[derive(Debug, uniffi::Object)]
pub struct FfiClient {
    inner: qfpay::blocking::Client,
}

#[uniffi::export]
impl FfiClient {
    /// Checks the settings and builds the client.
    #[uniffi::constructor]
    pub fn new(config: FfiClientConfig) -> FfiResult<Arc<Self>> {
        let inner = qfpay::blocking::Client::new(builder(config)?.build()?)?;
        Ok(Arc::new(Self { inner }))
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

    /// Creates a payment.
    pub fn create_payment(&self, request: FfiPaymentRequest) -> FfiResult<FfiPayment> {
        Ok(self.inner.create_payment(request.into_core()?)?.into())
    }

    /// One page of a transaction query.
    pub fn query(&self, request: FfiQueryRequest) -> FfiResult<FfiQueryPage> {
        Ok(self.inner.query(request.into_core()?)?.into())
    }

    /// Every page of a query, fetched as it is iterated.
    pub fn query_pages(&self, request: FfiQueryRequest) -> FfiResult<Arc<FfiQueryPages>> {
        let pages = self.inner.query_pages(request.into_core()?);
        Ok(Arc::new(FfiQueryPages {
            pages: Mutex::new(pages),
        }))
    }

    /// The payment with this merchant order number, if QFPay has it.
    pub fn find_payment(&self, out_trade_no: String) -> FfiResult<Option<FfiTransaction>> {
        Ok(self.inner.find_payment(&out_trade_no)?.map(Into::into))
    }

    /// Refunds (part of) a payment.
    pub fn refund(&self, request: FfiRefundRequest) -> FfiResult<FfiRefund> {
        Ok(self.inner.refund(request.into_core()?)?.into())
    }

    /// Closes an unpaid order.
    pub fn close(&self, request: FfiCancelRequest) -> FfiResult<FfiCancellation> {
        Ok(self.inner.close(request.into_core()?)?.into())
    }

    /// Reverses a payment.
    pub fn reverse(&self, request: FfiCancelRequest) -> FfiResult<FfiCancellation> {
        Ok(self.inner.reverse(request.into_core()?)?.into())
    }

    /// Queries until the payment is no longer pending, for up to `timeout_ms`. Intervals are
    /// the core's defaults unless given.
    pub fn wait_for_payment(
        &self,
        out_trade_no: String,
        timeout_ms: i64,
        initial_interval_ms: Option<i64>,
        max_interval_ms: Option<i64>,
    ) -> FfiResult<FfiTransaction> {
        let mut wait = Wait::up_to(to_duration("timeout", timeout_ms)?);
        if initial_interval_ms.is_some() || max_interval_ms.is_some() {
            let initial = initial_interval_ms
                .map(|ms| to_duration("initialInterval", ms))
                .transpose()?
                .unwrap_or(wait.initial_interval);
            let max = max_interval_ms
                .map(|ms| to_duration("maxInterval", ms))
                .transpose()?
                .unwrap_or(wait.max_interval);
            wait = wait.interval(initial, max);
        }
        Ok(self.inner.wait_for_payment(&out_trade_no, wait)?.into())
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
