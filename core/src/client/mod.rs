//! The async client: operations, retries and status-unknown reconciliation.
//!
//! Money-moving calls (payment, refund, close, reversal) are sent again only when QFPay
//! cannot have processed them (the connection was never made, or HTTP 429), always with the
//! same parameters, `out_trade_no` and signature. When the outcome is unknown (`1143`, `1145`,
//! `1298`, a timeout or a lost connection after sending, HTTP 5xx, an unreadable answer) the
//! client queries the same `out_trade_no` for up to `reconcile_timeout`; if it still cannot
//! tell, it returns [`Error::StatusUnknown`] carrying the `out_trade_no`.

pub mod config;
mod retry;
pub mod transport;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use rand::Rng;
use rand::distr::Alphanumeric;
use tokio::time::{Instant, sleep};

pub use config::{ClientBuilder, Config, Environment, VERSION};
pub use transport::Endpoint;

use crate::error::{Error, Result};
use crate::model::fields::{self, RawMap};
use crate::model::query::TransactionState;
use crate::model::resp_code::{RespCategory, is_processing};
use crate::model::{
    CancelRequest, Cancellation, Payment, PaymentRequest, QueryPage, QueryRequest, Refund,
    RefundRequest, Transaction,
};
use transport::Exchange;

/// A QFPay client. Cheap to clone (one shared connection pool), `Send + Sync`, no globals.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    timeout: Duration,
    max_retries: u32,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    http: reqwest::Client,
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

impl Wait {
    /// Wait up to `timeout`, querying after 1 s, then every 1.5× longer up to 5 s.
    pub fn up_to(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(5),
        }
    }

    /// Sets the intervals between queries.
    pub fn interval(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max.max(initial);
        self
    }
}

/// A fresh merchant order number: `qf`, the UTC time to the second, and 18 random letters and
/// digits (34 URL-safe characters).
pub fn generate_out_trade_no() -> String {
    let stamp = Utc::now().format("%Y%m%d%H%M%S");
    let rand: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(18)
        .map(char::from)
        .collect();
    format!("qf{stamp}{rand}")
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
}

impl QueryPages {
    /// The next page, or `None` after the last one (a page shorter than the page size) or
    /// after an error.
    pub async fn next_page(&mut self) -> Option<Result<QueryPage>> {
        let page = self.next?;
        let req = QueryRequest {
            page: Some(page),
            ..self.req.clone()
        };
        let result = self.client.query(req).await;
        self.next = match &result {
            Ok(p) if !p.data.is_empty() && p.data.len() as u32 >= p.page_size => Some(page + 1),
            _ => None,
        };
        Some(result)
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
        let http = transport::http_client(&config)?;
        let (timeout, max_retries) = (config.timeout, config.max_retries);
        Ok(Self {
            inner: Arc::new(Inner { config, http }),
            timeout,
            max_retries,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The same client with another per-call deadline (shares the connection pool).
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        Self {
            timeout,
            ..self.clone()
        }
    }

    /// The same client with another connect timeout. This needs its own connection pool, so
    /// keep the result for the calls that need it rather than creating one per call.
    pub fn with_connect_timeout(&self, connect_timeout: Duration) -> Result<Self> {
        let mut config = self.inner.config.clone();
        config.connect_timeout = connect_timeout;
        let http = transport::http_client(&config)?;
        Ok(Self {
            inner: Arc::new(Inner { config, http }),
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
        local.format("%Y-%m-%d %H:%M:%S").to_string()
    }

    fn mchid<'a>(&'a self, own: Option<&'a str>) -> Option<&'a str> {
        own.filter(|m| !m.is_empty())
            .or(self.inner.config.mchid.as_deref())
    }

    /// Creates a payment. `out_trade_no` is generated when absent and `txdtm` filled in.
    /// For WeChat QR (800201) the answer's `qrcode` is what the customer scans; the order is
    /// unpaid until they do ([`Client::wait_for_payment`] or the notification tells you).
    pub async fn create_payment(&self, req: PaymentRequest) -> Result<Payment> {
        req.validate()?;
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(&out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        let (reason, respcd) = match self.send_money(Endpoint::Payment, &params).await? {
            Sent::Done(raw) => {
                match Payment::from_raw(raw, &out_trade_no, &txdtm, &req.amount, &req.pay_type) {
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
        let query = QueryRequest::by_out_trade_no(&out_trade_no);
        self.reconcile(query, &out_trade_no, reason, respcd, |records| {
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
        req.validate()?;
        self.query_until(&req, Instant::now() + self.timeout, self.max_retries)
            .await
    }

    /// Iterates over every page of a query, starting at `req.page` (or 1).
    pub fn query_pages(&self, req: QueryRequest) -> QueryPages {
        let first = req.page.unwrap_or(1).max(1);
        QueryPages {
            client: self.clone(),
            req,
            next: Some(first),
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
    /// generated when absent.
    pub async fn refund(&self, req: RefundRequest) -> Result<Refund> {
        req.validate()?;
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(&out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        let (reason, respcd) = match self.send_money(Endpoint::Refund, &params).await? {
            Sent::Done(raw) => match Refund::from_raw(raw, &req, &out_trade_no, &txdtm) {
                Ok(r) => return Ok(r),
                Err(e) => (
                    format!("QFPay answered 0000 but the answer could not be read ({e})"),
                    Some("0000".into()),
                ),
            },
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let query = QueryRequest::by_out_trade_no(&out_trade_no);
        self.reconcile(query, &out_trade_no, reason, respcd, |records| {
            let Some(t) = records
                .iter()
                .find(|t| t.out_trade_no == out_trade_no && t.is_refund())
            else {
                return Verdict::Wait("QFPay has no record of the refund yet".into());
            };
            settle(t, |t| Ok(refund_from(t, &req)))
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
        req.validate()?;
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(&txdtm, self.mchid(req.mchid.as_deref()));
        let (reason, respcd) = match self.send_money(endpoint, &params).await? {
            Sent::Done(raw) => match Cancellation::from_raw(raw, &req) {
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
        self.reconcile(query, &ident, reason, respcd, |records| {
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
    /// (returns the error), or `wait.timeout` passes ([`Error::StatusUnknown`]).
    pub async fn wait_for_payment(&self, out_trade_no: &str, wait: Wait) -> Result<Transaction> {
        crate::validate::order_number("out_trade_no", out_trade_no)?;
        let deadline = Instant::now() + wait.timeout;
        let mut interval = wait.initial_interval;
        let mut last = None;
        loop {
            let call_deadline = deadline.min(Instant::now() + self.timeout);
            match self
                .query_until(
                    &QueryRequest::by_out_trade_no(out_trade_no),
                    call_deadline,
                    self.max_retries,
                )
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
                                return Err(Error::api(&t.respcd, &t.errmsg, "", 200));
                            }
                            TransactionState::Cancelled => {
                                return Err(Error::api(
                                    "1263",
                                    "the order was cancelled or closed",
                                    &t.errmsg,
                                    200,
                                ));
                            }
                            _ => return Ok(t),
                        }
                    }
                }
                Err(e) if transient(&e) => {
                    tracing::debug!(error = %e, "query failed while waiting; trying again")
                }
                Err(e) => return Err(e),
            }
            if Instant::now() + interval >= deadline {
                let (syssn, respcd) = last.map_or((None, None), |(s, r)| (Some(s), Some(r)));
                return Err(Error::StatusUnknown {
                    out_trade_no: out_trade_no.to_owned(),
                    syssn,
                    respcd,
                    reason: format!("the payment was still not final after {:?}", wait.timeout),
                });
            }
            sleep(interval).await;
            interval = interval.mul_f64(1.5).min(wait.max_interval);
        }
    }

    async fn send_money(&self, endpoint: Endpoint, params: &[(&str, String)]) -> Result<Sent> {
        let deadline = Instant::now() + self.timeout;
        let cfg = &self.inner.config;
        let mut attempt = 0;
        loop {
            let (err, retry_after) =
                match transport::exchange(&self.inner.http, cfg, endpoint, params, deadline).await?
                {
                    Exchange::Answer(raw) => {
                        let respcd = fields::text(&raw, "respcd");
                        let resperr = fields::text(&raw, "resperr");
                        if respcd == "0000" {
                            return Ok(Sent::Done(raw));
                        }
                        if respcd.is_empty() {
                            return Ok(Sent::Unknown {
                                reason: "QFPay's answer has no respcd".into(),
                                respcd: None,
                            });
                        }
                        if is_processing(&respcd) {
                            return Ok(Sent::Unknown {
                                reason: format!(
                                    "QFPay answered {respcd} ({resperr}): still processing"
                                ),
                                respcd: Some(respcd),
                            });
                        }
                        return Err(Error::api(
                            &respcd,
                            &resperr,
                            &fields::text(&raw, "respmsg"),
                            200,
                        ));
                    }
                    Exchange::Lost(reason) | Exchange::Unreadable(reason) => {
                        return Ok(Sent::Unknown {
                            reason,
                            respcd: None,
                        });
                    }
                    Exchange::ServerError(status) => {
                        return Ok(Sent::Unknown {
                            reason: format!("QFPay answered HTTP {status}"),
                            respcd: None,
                        });
                    }
                    Exchange::Rejected(status, body) => return Err(rejected(status, body)),
                    Exchange::RateLimited(ra) => (Error::RateLimited { retry_after: ra }, ra),
                    Exchange::NotSent(message) => (
                        Error::Network {
                            message,
                            sent: false,
                        },
                        None,
                    ),
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
            if Instant::now() + delay >= deadline {
                return Err(err);
            }
            tracing::info!(endpoint = endpoint.path(), attempt = attempt + 1, ?delay, error = %err, "retrying with the same parameters");
            sleep(delay).await;
            attempt += 1;
        }
    }

    async fn query_until(
        &self,
        req: &QueryRequest,
        deadline: Instant,
        max_retries: u32,
    ) -> Result<QueryPage> {
        let cfg = &self.inner.config;
        let params = req.to_params(self.mchid(req.mchid.as_deref()));
        let mut attempt = 0;
        loop {
            let (err, retry_after) = match transport::exchange(
                &self.inner.http,
                cfg,
                Endpoint::Query,
                &params,
                deadline,
            )
            .await?
            {
                Exchange::Answer(raw) => {
                    let respcd = fields::text(&raw, "respcd");
                    if respcd != "0000" {
                        return Err(Error::api(
                            &respcd,
                            &fields::text(&raw, "resperr"),
                            &fields::text(&raw, "respmsg"),
                            200,
                        ));
                    }
                    return QueryPage::from_raw(raw, req);
                }
                Exchange::Rejected(status, body) => return Err(rejected(status, body)),
                Exchange::ServerError(status) => (Error::http(RespCategory::Server, status), None),
                Exchange::Unreadable(message) => return Err(Error::Decode(message)),
                Exchange::RateLimited(ra) => (Error::RateLimited { retry_after: ra }, ra),
                Exchange::NotSent(message) => (
                    Error::Network {
                        message,
                        sent: false,
                    },
                    None,
                ),
                Exchange::Lost(message) if Instant::now() >= deadline => {
                    (Error::Timeout(message), None)
                }
                Exchange::Lost(message) => (
                    Error::Network {
                        message,
                        sent: true,
                    },
                    None,
                ),
            };
            if attempt >= max_retries {
                return Err(err);
            }
            let delay = retry::backoff(
                cfg.retry_base_delay,
                cfg.retry_max_delay,
                attempt,
                retry_after,
            );
            if Instant::now() + delay >= deadline {
                return Err(err);
            }
            sleep(delay).await;
            attempt += 1;
        }
    }

    async fn reconcile<T>(
        &self,
        query: QueryRequest,
        out_trade_no: &str,
        mut reason: String,
        respcd: Option<String>,
        verdict: impl Fn(&[Transaction]) -> Verdict<T>,
    ) -> Result<T> {
        let cfg = &self.inner.config;
        let deadline = Instant::now() + cfg.reconcile_timeout;
        let mut interval = cfg.retry_base_delay;
        let (mut syssn, mut respcd) = (None, respcd);
        tracing::warn!(out_trade_no, %reason, "outcome unknown; querying the same out_trade_no");
        loop {
            match self.query_until(&query, deadline, 0).await {
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
                        Verdict::Done(result) => return result,
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
            if Instant::now() + interval >= deadline {
                break;
            }
            sleep(interval).await;
            interval = (interval * 2).min(cfg.retry_max_delay);
        }
        Err(Error::StatusUnknown {
            out_trade_no: out_trade_no.to_owned(),
            syssn,
            respcd,
            reason,
        })
    }
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
}
