//! `QfPay\Client`: the core's blocking facade, one PHP method per operation. Arguments and
//! options go to the core's applier by PHP's names (`qfpay::surface::apply`); results come
//! back as the objects of `results`.

use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ce;
use qfpay::ClientBuilder;
use qfpay::surface::{Request, apply, operation};

use super::convert::{self, PHP};
use super::errors::{Php, to_php};
use super::events::Logging;
use super::results::object;

/// Applies PHP client options to a builder: the core's applier, but for the binding's own
/// `logger` and `logLevel` (read by [`Logging`]).
fn apply(b: ClientBuilder, options: Option<&ZendHashTable>) -> qfpay::Result<ClientBuilder> {
    let b = apply::client_options(b, PHP, convert::map(options, &["logger", "logLevel"]))?;
    Ok(b.user_agent_prefix(format!("qfpay-php/{}", env!("CARGO_PKG_VERSION"))))
}

/// The `logger` and `logLevel` options.
fn logging(options: Option<&ZendHashTable>) -> qfpay::Result<Option<Logging>> {
    let get = |k: &str| {
        options
            .and_then(|o| o.get(k))
            .map(Zval::dereference)
            .filter(|z| !z.is_null())
    };
    let level = get("logLevel")
        .map(|z| convert::text("logLevel", z))
        .transpose()?;
    Logging::new(get("logger"), level)
}

/// The core's tables disagree with this file (a bug, reported rather than a panic).
fn unexpected() -> qfpay::Error {
    qfpay::Error::config("the core read another request than the operation's")
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

    /// A client for a local sandbox, then `overrides`.
    pub fn for_sandbox(
        base_url: &str,
        app_code: &str,
        client_key: &str,
        overrides: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        let b = ClientBuilder::new()
            .base_url(base_url)
            .credentials(app_code, client_key);
        Self::build(apply(b, overrides), overrides)
    }

    /// Runs one call on the client's runtime, then delivers its log events (on this thread).
    fn run<T, F: Future<Output = qfpay::Result<T>>>(&self, fut: F) -> PhpResult<T> {
        let result = self.inner.block_on(fut);
        if let Some(l) = &self.logging {
            l.flush();
        }
        result.and_then(|r| r).php()
    }

    /// Operation `op`'s request from its arguments and options, and the client with the
    /// call's own options (`timeoutMs`, `maxRetries`) applied.
    fn prepare(
        &self,
        op: &str,
        args: &[(&str, &Zval)],
        options: Option<&ZendHashTable>,
    ) -> PhpResult<(Request, qfpay::Client)> {
        let prepared = (|| {
            let op = operation(op).ok_or_else(unexpected)?;
            let (request, call) = convert::split(op, args, options)?;
            let request = apply::request(PHP, op, request)?;
            let client = apply::call_options(self.inner.async_client(), PHP, call)?;
            Ok((request, client))
        })();
        prepared.php()
    }

    /// Runs operation `op` and returns its result as its PHP object.
    fn call(
        &self,
        op: &str,
        args: &[(&str, &Zval)],
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        match self.prepare(op, args, options)? {
            (Request::Payment(r), c) => {
                self.run(c.create_payment(r)).map(|p| object("Payment", &p))
            }
            (Request::Query(q), c) => self.run(c.query(q)).map(|p| object("QueryPage", &p)),
            (Request::Refund(r), c) => self.run(c.refund(r)).map(|r| object("Refund", &r)),
            (Request::Cancel(r), c) if op == "close" => {
                self.run(c.close(r)).map(|x| object("Cancellation", &x))
            }
            (Request::Cancel(r), c) => self.run(c.reverse(r)).map(|x| object("Cancellation", &x)),
            (Request::OrderNumber(n), c) => self
                .run(c.find_payment(&n))
                .map(|t| t.map_or_else(Zval::null, |t| object("Transaction", &t))),
        }
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
        let b = ClientBuilder::new().env().and_then(|b| apply(b, overrides));
        Self::build(b, overrides)
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
    ) -> PhpResult<Zval> {
        let args = [("amount", amount), ("currency", currency)];
        self.call(
            "create_payment",
            &[args[0], args[1], ("payType", payType)],
            options,
        )
    }

    /// Creates a WeChat QR payment (800201): show `qrcode` to the customer.
    pub fn wechat_qr(
        &self,
        amount: &Zval,
        currency: Option<&Zval>,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        match currency {
            Some(c) => self.call("wechat_qr", &[("amount", amount), ("currency", c)], options),
            None => self.call("wechat_qr", &[("amount", amount)], options),
        }
    }

    /// Queries one page of transactions.
    pub fn query(&self, options: Option<&ZendHashTable>) -> PhpResult<Zval> {
        self.call("query", &[], options)
    }

    /// Every page of a query, fetched as the iteration advances (`foreach`); `->items()`
    /// iterates the transactions across pages.
    pub fn query_pages(&self, options: Option<&ZendHashTable>) -> PhpResult<QueryPages> {
        let (Request::Query(req), client) = self.prepare("query_pages", &[], options)? else {
            return Err(unexpected()).php();
        };
        req.validate().php()?;
        let query = Query {
            logging: self.logging.clone(),
            runtime: self.inner.clone(),
            client,
            req,
        };
        let pager = Pager { query, pages: None };
        Ok(QueryPages {
            pager,
            current: None,
            index: -1,
        })
    }

    /// The payment with merchant order number `outTradeNo`, or null.
    pub fn find_payment(
        &self,
        outTradeNo: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        self.call("find_payment", &[("outTradeNo", outTradeNo)], options)
    }

    /// Refunds a paid transaction, fully or partly.
    pub fn refund(
        &self,
        syssn: &Zval,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        let args = [("syssn", syssn), ("amount", amount), ("currency", currency)];
        self.call("refund", &args, options)
    }

    /// Closes an unpaid order (options: `syssn` or `outTradeNo`).
    pub fn close(
        &self,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        self.call(
            "close",
            &[("amount", amount), ("currency", currency)],
            options,
        )
    }

    /// Reverses an unfinished transaction (options: `syssn` or `outTradeNo`).
    pub fn reverse(
        &self,
        amount: &Zval,
        currency: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        self.call(
            "reverse",
            &[("amount", amount), ("currency", currency)],
            options,
        )
    }

    /// Polls until the payment is paid (returns it), fails (throws) or `timeoutMs` passes
    /// (StatusUnknownException). Options: `timeoutMs`, `intervalMs`, `maxIntervalMs`.
    pub fn wait_for_payment(
        &self,
        outTradeNo: &Zval,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        let prepared = (|| {
            let op = operation("wait_for_payment").ok_or_else(unexpected)?;
            let (request, wait) = convert::split(op, &[("outTradeNo", outTradeNo)], options)?;
            match apply::request(PHP, op, request)? {
                Request::OrderNumber(n) => Ok((n, apply::wait_options(PHP, wait)?)),
                _ => Err(unexpected()),
            }
        })();
        let (n, wait) = prepared.php()?;
        self.run(self.inner.async_client().wait_for_payment(&n, wait))
            .map(|t| object("Transaction", &t))
    }
}

/// A query to iterate. Pages are fetched on the client's own runtime (its connection pool
/// belongs to it).
#[derive(Clone)]
struct Query {
    logging: Option<Rc<Logging>>,
    runtime: qfpay::blocking::Client,
    client: qfpay::Client,
    req: qfpay::QueryRequest,
}

/// Where a page iteration stands.
struct Pager {
    query: Query,
    pages: Option<qfpay::QueryPages>,
}

impl Pager {
    fn restart(&mut self) {
        let q = &self.query;
        self.pages = Some(q.client.query_pages(q.req.clone()));
    }

    /// The next page, `None` after the last (or before the first `restart`).
    fn next_page(&mut self) -> PhpResult<Option<qfpay::QueryPage>> {
        let Some(pages) = self.pages.as_mut() else {
            return Ok(None);
        };
        let next = self
            .query
            .runtime
            .block_on(pages.next_page())
            .unwrap_or_else(|e| Some(Err(e)));
        if let Some(l) = &self.query.logging {
            l.flush();
        }
        match next {
            // A page past the last (the count was a multiple of the page size) ends it too.
            Some(Ok(p)) if !p.data.is_empty() || p.page <= 1 => Ok(Some(p)),
            Some(Err(e)) => {
                self.pages = None;
                Err(to_php(e))
            }
            _ => {
                self.pages = None;
                Ok(None)
            }
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

#[php_impl]
impl QueryPages {
    /// The current page.
    pub fn current(&self) -> Zval {
        self.current
            .as_ref()
            .map_or_else(Zval::null, |p| object("QueryPage", p))
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
            pager: Pager {
                query: self.pager.query.clone(),
                pages: None,
            },
            page: VecDeque::new(),
            current: None,
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
    page: VecDeque<qfpay::Transaction>,
    current: Option<qfpay::Transaction>,
    index: i64,
}

#[php_impl]
impl QueryItems {
    /// The current transaction.
    pub fn current(&self) -> Zval {
        self.current
            .as_ref()
            .map_or_else(Zval::null, |t| object("Transaction", t))
    }

    /// The transaction's position across pages, from 0.
    pub fn key(&self) -> i64 {
        self.index
    }

    /// Moves to the next transaction, fetching the next page when needed.
    pub fn next(&mut self) -> PhpResult<()> {
        self.current = loop {
            if let Some(t) = self.page.pop_front() {
                break Some(t);
            }
            match self.pager.next_page()? {
                Some(p) => self.page = p.data.into(),
                None => break None,
            }
        };
        self.index += 1;
        Ok(())
    }

    /// Starts again from the first page.
    pub fn rewind(&mut self) -> PhpResult<()> {
        self.pager.restart();
        self.page.clear();
        self.index = -1;
        self.next()
    }

    /// Whether there is a current transaction.
    pub fn valid(&self) -> bool {
        self.current.is_some()
    }
}
