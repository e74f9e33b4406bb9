//! `QfPay\Client`: the core's blocking facade, one PHP method per operation.

use std::future::Future;
use std::rc::Rc;

use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ce;
use qfpay::{ClientBuilder, Environment, PayType, SignType, Wait};

use super::convert::{self, CallOptions, Opts};
use super::errors::{Php, to_php};
use super::events::Logging;
use super::results::{Cancellation, Payment, QueryPage, Refund, Transaction};

fn user_agent() -> String {
    format!("qfpay-php/{}", env!("CARGO_PKG_VERSION"))
}

/// Applies PHP client options to a builder: only conversions, every rule is the core's. Every
/// error names the option as PHP code writes it (`timeoutMs`, `maxRetries`) in its message and
/// its `field`; a value that may be a secret (a string in the wrong option, an unknown
/// environment, a proxy URL) is never quoted.
fn apply(mut b: ClientBuilder, options: Option<&ZendHashTable>) -> qfpay::Result<ClientBuilder> {
    let mut f = Opts::options("the client options", options);
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
        b = b.timeout(d);
    }
    if let Some(d) = f.millis("connectTimeoutMs")? {
        b = b.connect_timeout(d);
    }
    if let Some(d) = f.millis("reconcileTimeoutMs")? {
        b = b.reconcile_timeout(d);
    }
    if let Some(n) = f.u32("maxRetries")? {
        b = b.max_retries(n);
    }
    if let Some(d) = f.millis("retryBaseDelayMs")? {
        b = b.retry_base_delay(d);
    }
    if let Some(d) = f.millis("retryMaxDelayMs")? {
        b = b.retry_max_delay(d);
    }
    if let Some(s) = f.int("utcOffsetSeconds")? {
        // Out of i32's range is out of the core's ±14 hours too: the core refuses it.
        b = b.utc_offset_seconds(i32::try_from(s).unwrap_or(i32::MAX));
    }
    if let Some(p) = f.str("proxy")? {
        b = b.proxy(p);
    }
    let _ = f.raw("logger");
    let _ = f.raw("logLevel");
    f.finish()?;
    Ok(b.user_agent_prefix(user_agent()))
}

/// A QFPay client. Create it where you need it, per request if you like: clients built with
/// the same options share one connection pool per PHP process (an FPM worker keeps its
/// connections to QFPay from one request to the next). Each call blocks until QFPay answers.
/// Safe in PHP-FPM workers: nothing runs at module start-up, and a client used after a fork
/// builds a fresh connection pool.
#[php_class]
#[php(name = "QfPay\\Client")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Client {
    inner: qfpay::blocking::Client,
    logging: Option<Rc<Logging>>,
}

/// The `logger` and `logLevel` options.
fn logging(options: Option<&ZendHashTable>) -> qfpay::Result<Option<Logging>> {
    let logger = options
        .and_then(|o| o.get("logger"))
        .map(Zval::dereference)
        .filter(|z| !z.is_null());
    let level = match options
        .and_then(|o| o.get("logLevel"))
        .map(Zval::dereference)
    {
        None => None,
        Some(z) if z.is_null() => None,
        Some(z) => Some(convert::str_arg("logLevel", z)?),
    };
    Logging::new(logger, level)
}

impl Client {
    fn build(b: qfpay::Result<ClientBuilder>, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        let prepared = (|| {
            let log = logging(options)?;
            let mut b = b?;
            if let Some(l) = &log {
                b = b.observer(l.observer());
            }
            // Shared with every client of this process built with the same options: in PHP-FPM
            // the worker's connections to QFPay outlive the request that opened them.
            let client = qfpay::blocking::Client::shared(b)?;
            if let Some(l) = &log {
                for w in &client.async_client().config().warnings {
                    l.warn(w);
                }
                l.flush();
            }
            Ok((client, log))
        })();
        let (inner, log) = prepared.php()?;
        Ok(Self {
            inner,
            logging: log.map(Rc::new),
        })
    }

    /// Runs one call on the client's runtime, then delivers its log events (on this thread).
    fn run<T, F: Future<Output = qfpay::Result<T>>>(&self, fut: F) -> PhpResult<T> {
        let result = self.inner.block_on(fut);
        if let Some(l) = &self.logging {
            l.flush();
        }
        match result {
            Ok(r) => r.php(),
            Err(e) => Err(to_php(&e)),
        }
    }

    fn call(&self, o: &mut Opts<'_>) -> qfpay::Result<qfpay::Client> {
        Ok(CallOptions::read(o)?.apply(self.inner.async_client()))
    }
}

#[php_impl]
impl Client {
    /// `new Client(['appCode' => ..., 'clientKey' => ..., 'baseUrl' => ...])`.
    pub fn __construct(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        Self::build(apply(ClientBuilder::new(), options), options)
    }

    /// A client from the `QFPAY_*` environment variables, then `overrides`.
    pub fn from_env(overrides: Option<&ZendHashTable>) -> PhpResult<Self> {
        Self::build(
            ClientBuilder::new().env().and_then(|b| apply(b, overrides)),
            overrides,
        )
    }

    #[php(getter)]
    pub fn get_base_url(&self) -> String {
        self.inner.async_client().config().base_url.clone()
    }

    #[php(getter)]
    pub fn get_app_code(&self) -> String {
        self.inner.async_client().config().app_code.clone()
    }

    #[php(getter)]
    pub fn get_mchid(&self) -> Option<String> {
        self.inner.async_client().config().mchid.clone()
    }

    /// Creates a payment of any pay type.
    pub fn create_payment(
        &self,
        amount: &Zval,
        currency: &Zval,
        payType: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Payment> {
        let mut o = Opts::new("the payment options", options);
        let req = (|| {
            let money = convert::money(amount, currency)?;
            let pt = PayType::from_code(&convert::str_arg("pay_type", payType)?);
            let req = convert::payment(money, pt, &mut o, false)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((req, c))
        })();
        let (req, c) = req.php()?;
        self.run(c.create_payment(req)).map(Payment::from)
    }

    /// Creates a WeChat QR payment (800201): show `qrcode` to the customer.
    pub fn wechat_qr(
        &self,
        amount: &Zval,
        currency: Option<&Zval>,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Payment> {
        let mut o = Opts::new("the payment options", options);
        let prepared = (|| {
            let hkd = Zval::try_from("HKD").map_err(|_| qfpay::Error::config("out of memory"))?;
            let money = convert::money(amount, currency.unwrap_or(&hkd))?;
            let req = convert::payment(money, PayType::WechatQr, &mut o, true)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((req, c))
        })();
        let (req, c) = prepared.php()?;
        self.run(c.create_payment(req)).map(Payment::from)
    }

    /// Queries one page of transactions.
    pub fn query(&self, options: Option<&ZendHashTable>) -> PhpResult<QueryPage> {
        let mut o = Opts::new("the query options", options);
        let prepared = (|| {
            let q = convert::query(&mut o)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((q, c))
        })();
        let (q, c) = prepared.php()?;
        self.run(c.query(q)).map(QueryPage::from)
    }

    /// Every page of a query, fetched as the iteration advances (`foreach`); `->items()`
    /// iterates the transactions across pages.
    pub fn query_pages(&self, options: Option<&ZendHashTable>) -> PhpResult<QueryPages> {
        let mut o = Opts::new("the query options", options);
        let prepared = (|| {
            let q = convert::query(&mut o)?;
            q.validate()?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((q, c))
        })();
        let (q, c) = prepared.php()?;
        Ok(QueryPages::new(Pager {
            logging: self.logging.clone(),
            runtime: self.inner.clone(),
            client: c,
            req: q,
            pages: None,
        }))
    }

    /// The payment with merchant order number `outTradeNo`, or null.
    pub fn find_payment(
        &self,
        outTradeNo: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Option<Transaction>> {
        let mut o = Opts::new("the call options", options);
        let prepared = (|| {
            let n = convert::str_arg("out_trade_no", outTradeNo)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((n, c))
        })();
        let (n, c) = prepared.php()?;
        self.run(c.find_payment(&n))
            .map(|t| t.map(Transaction::from_core))
    }

    /// Refunds a paid transaction, fully or partly.
    pub fn refund(
        &self,
        syssn: &Zval,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Refund> {
        let mut o = Opts::new("the refund options", options);
        let prepared = (|| {
            let s = convert::str_arg("syssn", syssn)?;
            let money = convert::money(amount, currency)?;
            let r = convert::refund(s, money, &mut o)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((r, c))
        })();
        let (r, c) = prepared.php()?;
        self.run(c.refund(r)).map(Refund::from)
    }

    /// Closes an unpaid order (options: `syssn` or `outTradeNo`).
    pub fn close(
        &self,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Cancellation> {
        let (r, c) = self.cancel_request(amount, currency, options)?;
        self.run(c.close(r)).map(Cancellation::from)
    }

    /// Reverses an unfinished transaction (options: `syssn` or `outTradeNo`).
    pub fn reverse(
        &self,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Cancellation> {
        let (r, c) = self.cancel_request(amount, currency, options)?;
        self.run(c.reverse(r)).map(Cancellation::from)
    }

    /// Polls until the payment is paid (returns it), fails (throws) or `timeoutMs` passes
    /// (StatusUnknownException). Options: `timeoutMs` (120 000), `intervalMs` (1 000),
    /// `maxIntervalMs` (5 000).
    pub fn wait_for_payment(
        &self,
        outTradeNo: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Transaction> {
        let prepared = (|| {
            let n = convert::str_arg("out_trade_no", outTradeNo)?;
            let mut f = Opts::new("the wait options", options);
            let d = Wait::default();
            let timeout = f.millis("timeoutMs")?.unwrap_or(d.timeout);
            let initial = f.millis("intervalMs")?;
            let max = f.millis("maxIntervalMs")?;
            f.finish()?;
            let mut wait = Wait { timeout, ..d };
            if initial.is_some() || max.is_some() {
                let initial = initial.unwrap_or(wait.initial_interval);
                wait = wait.interval(initial, max.unwrap_or(wait.max_interval.max(initial)));
            }
            Ok((n, wait))
        })();
        let (n, wait) = prepared.php()?;
        self.run(self.inner.async_client().wait_for_payment(&n, wait))
            .map(Transaction::from_core)
    }
}

impl Client {
    fn cancel_request(
        &self,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<(qfpay::CancelRequest, qfpay::Client)> {
        let mut o = Opts::new("the cancel options", options);
        let prepared = (|| {
            let money = convert::money(amount, currency)?;
            let r = convert::cancel(money, &mut o)?;
            let c = self.call(&mut o)?;
            o.finish()?;
            Ok((r, c))
        })();
        prepared.php()
    }
}

/// Where a page iteration stands. Pages are fetched on the client's own runtime (its
/// connection pool belongs to it).
struct Pager {
    logging: Option<Rc<Logging>>,
    runtime: qfpay::blocking::Client,
    client: qfpay::Client,
    req: qfpay::QueryRequest,
    pages: Option<qfpay::QueryPages>,
}

impl Pager {
    fn restart(&mut self) {
        self.pages = Some(self.client.query_pages(self.req.clone()));
    }

    fn next_page(&mut self) -> PhpResult<Option<qfpay::QueryPage>> {
        let Some(pages) = self.pages.as_mut() else {
            return Ok(None);
        };
        let next = match self.runtime.block_on(pages.next_page()) {
            Ok(n) => n,
            Err(e) => Some(Err(e)),
        };
        if let Some(l) = &self.logging {
            l.flush();
        }
        match next {
            None => {
                self.pages = None;
                Ok(None)
            }
            Some(Ok(p)) if p.data.is_empty() && p.page > 1 => {
                // A page past the last (the count was a multiple of the page size).
                self.pages = None;
                Ok(None)
            }
            Some(Ok(p)) => Ok(Some(p)),
            Some(Err(e)) => {
                self.pages = None;
                Err(to_php(&e))
            }
        }
    }

    fn fresh(&self) -> Self {
        Self {
            logging: self.logging.clone(),
            runtime: self.runtime.clone(),
            client: self.client.clone(),
            req: self.req.clone(),
            pages: None,
        }
    }
}

/// The pages of a query (`foreach ($client->queryPages([...]) as $page)`), fetched as the
/// iteration advances; iterating again starts again from the first page.
#[php_class]
#[php(name = "QfPay\\QueryPages")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[php(flags = ClassFlags::Final)]
pub struct QueryPages {
    pager: Pager,
    current: Option<qfpay::QueryPage>,
    index: i64,
}

impl QueryPages {
    fn new(pager: Pager) -> Self {
        Self {
            pager,
            current: None,
            index: -1,
        }
    }
}

#[php_impl]
impl QueryPages {
    /// The current page.
    pub fn current(&self) -> Option<QueryPage> {
        self.current.clone().map(QueryPage::from)
    }

    /// The page's position, from 0.
    pub fn key(&self) -> i64 {
        self.index
    }

    /// Fetches the next page.
    pub fn next(&mut self) -> PhpResult<()> {
        self.current = self.pager.next_page()?;
        self.index += 1;
        Ok(())
    }

    /// Starts again from the first page (fetches it).
    pub fn rewind(&mut self) -> PhpResult<()> {
        self.pager.restart();
        self.index = -1;
        self.next()
    }

    /// Whether there is a current page.
    pub fn valid(&self) -> bool {
        self.current.is_some()
    }

    /// The transactions of every page, as one iteration.
    pub fn items(&self) -> QueryItems {
        QueryItems {
            pager: self.pager.fresh(),
            page: Vec::new(),
            pos: 0,
            index: -1,
        }
    }
}

/// The transactions of every page of a query (`$client->queryPages([...])->items()`).
#[php_class]
#[php(name = "QfPay\\QueryItems")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[php(flags = ClassFlags::Final)]
pub struct QueryItems {
    pager: Pager,
    page: Vec<qfpay::Transaction>,
    pos: usize,
    index: i64,
}

#[php_impl]
impl QueryItems {
    /// The current transaction.
    pub fn current(&self) -> Option<Transaction> {
        self.page.get(self.pos).cloned().map(Transaction::from_core)
    }

    /// The transaction's position across pages, from 0.
    pub fn key(&self) -> i64 {
        self.index
    }

    /// Moves to the next transaction, fetching the next page when needed.
    pub fn next(&mut self) -> PhpResult<()> {
        self.pos += 1;
        while self.pos >= self.page.len() {
            match self.pager.next_page()? {
                Some(p) => {
                    self.page = p.data;
                    self.pos = 0;
                }
                None => {
                    self.page.clear();
                    self.pos = 0;
                    break;
                }
            }
        }
        self.index += 1;
        Ok(())
    }

    /// Starts again from the first page.
    pub fn rewind(&mut self) -> PhpResult<()> {
        self.pager.restart();
        self.page.clear();
        self.advance_from_start()
    }

    /// Whether there is a current transaction.
    pub fn valid(&self) -> bool {
        self.pos < self.page.len()
    }
}

impl QueryItems {
    fn advance_from_start(&mut self) -> PhpResult<()> {
        loop {
            match self.pager.next_page()? {
                Some(p) if p.data.is_empty() => continue,
                Some(p) => {
                    self.page = p.data;
                    break;
                }
                None => break,
            }
        }
        self.pos = 0;
        self.index = 0;
        Ok(())
    }
}

impl Client {
    /// A client for a local sandbox, then `overrides`.
    pub fn for_sandbox(
        base_url: &str,
        app_code: &str,
        client_key: &str,
        overrides: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        Self::build(
            apply(
                ClientBuilder::new()
                    .base_url(base_url)
                    .credentials(app_code, client_key),
                overrides,
            ),
            overrides,
        )
    }
}
