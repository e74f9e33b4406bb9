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
use qfpay::Wait;
use qfpay::blocking::PagesAhead;
use qfpay::surface::apply::Outcome;
use qfpay::surface::{Operation, Request, Value, WAIT_OPTIONS, apply, operation};

use super::convert::{self, PHP};
use super::errors::{Php, to_php};
use super::events::Logging;
use super::results::{field_zval, object};

/// The core's tables disagree with this file (a bug, reported rather than a panic).
fn unexpected() -> qfpay::Error {
    qfpay::Error::config("the core read another request than the operation's")
}

/// A QFPay client (documented in `stubs/surface.php`); its PHP methods are generated
/// (`methods`). Clients built with the same options share one connection pool per process.
#[php_class]
#[php(name = "QfPay\\Client")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Client {
    inner: qfpay::blocking::Client,
    logging: Option<Rc<Logging>>,
}

impl Client {
    /// A client from `b` (a new builder, the environment's, a sandbox's), then `options`: by
    /// the core's applier but for the binding's own `logger` and `logLevel` ([`Logging`]).
    pub fn build(
        b: qfpay::Result<ClientBuilder>,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        let prepared = (|| {
            let log = Logging::new(options)?;
            let options = convert::map(options, &["logger", "logLevel"]);
            let mut b = apply::client_options(b?, PHP, options)?
                .user_agent_prefix(format!("qfpay-php/{}", env!("CARGO_PKG_VERSION")));
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

    /// `new Client($options)`.
    pub fn new(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        Self::build(Ok(ClientBuilder::new()), options)
    }

    /// `Client::fromEnv($overrides)`.
    pub fn env(overrides: Option<&ZendHashTable>) -> PhpResult<Self> {
        Self::build(ClientBuilder::new().env(), overrides)
    }

    /// The client's configuration (its properties).
    pub fn config(&self) -> &qfpay::Config {
        self.inner.async_client().config()
    }

    /// Runs one call on the client's runtime, then delivers its log events (on this thread).
    fn run<T, F: Future<Output = qfpay::Result<T>>>(&self, fut: F) -> PhpResult<T> {
        let result = self.inner.block_on(fut);
        if let Some(l) = &self.logging {
            l.flush();
        }
        result.and_then(|r| r).php()
    }

    /// Operation `op`'s request from its arguments (by PHP name; absent ones left out) and
    /// `options`, and the rest of `options`: the call's own (`timeoutMs`, `maxRetries`) or
    /// the wait's.
    fn prepare(
        op: &'static Operation,
        args: &[(&str, Option<&Zval>)],
        options: Option<&ZendHashTable>,
    ) -> qfpay::Result<(Request, Value)> {
        let (request, rest) = convert::split(op, args, options)?;
        Ok((apply::request(PHP, op, request)?, rest))
    }

    /// Runs operation `op` and returns its result as its PHP object: by the core's
    /// `apply::perform`, or at once on this thread (`perform_local`) for the operations that
    /// send nothing.
    pub fn call(
        &self,
        op: &str,
        args: &[(&str, Option<&Zval>)],
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        let op = operation(op).ok_or_else(unexpected).php()?;
        let (request, rest) = Self::prepare(op, args, options).php()?;
        let c = self.inner.async_client();
        let outcome = if !op.io {
            let local = apply::perform_local(c, request);
            if let Some(l) = &self.logging {
                l.flush();
            }
            local.php()?
        } else if is_wait(op) {
            let wait = apply::wait_options(PHP, rest).php()?;
            self.run(apply::perform(c, op, request, wait))?
        } else {
            let c = apply::call_options(c, PHP, rest).php()?;
            self.run(apply::perform(&c, op, request, Wait::default()))?
        };
        outcome_zval(op, &outcome)
    }

    /// The stream an operation returning a list returns (`list<QueryPage>`, `list<Transaction>`):
    /// fetched as the iteration advances, from the core's pages (`apply::pages`). The
    /// iteration yields the pages when the list is of pages, else each page's items in turn
    /// (one page buffered). Bad arguments are refused here, before anything is sent.
    pub fn stream(
        &self,
        op: &str,
        args: &[(&str, Option<&Zval>)],
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Cursor> {
        let op = operation(op).ok_or_else(unexpected).php()?;
        let (req, rest) = Self::prepare(op, args, options).php()?;
        let client = apply::call_options(self.inner.async_client(), PHP, rest).php()?;
        if let Request::Query(q) = &req {
            q.validate().php()?;
        }
        // Validates the period (nothing is sent until the first page is asked for).
        apply::pages(&client, req.clone()).php()?;
        let query = Query {
            logging: self.logging.clone(),
            client,
            req,
        };
        // A list of pages yields them; a list of anything else, each page's items.
        let item = op
            .returns
            .strip_prefix("list<")
            .and_then(|t| t.strip_suffix('>'))
            .filter(|t| *t != "QueryPage");
        Ok(Cursor::new(query, item))
    }
}

/// Whether `op`'s own options are the wait's (`wait_for_payment`), not the per-call ones.
fn is_wait(op: &Operation) -> bool {
    !op.call.is_empty()
        && op
            .call
            .iter()
            .map(|o| o.name)
            .eq(WAIT_OPTIONS.iter().map(|o| o.name))
}

/// An operation's outcome as PHP's value (its result class's object, a string, or null),
/// by the operation's return type (`op.returns`) from the outcome's JSON form, so a new
/// result type needs nothing here.
fn outcome_zval(op: &Operation, outcome: &Outcome) -> PhpResult<Zval> {
    let json = outcome
        .to_json()
        .map_err(|e| qfpay::Error::config(format!("the result could not be read: {e}")))
        .php()?;
    Ok(field_zval(op.returns, &json))
}

/// A stream to iterate: its request, read again by `apply::pages` at each `rewind`. Pages are
/// read on a thread of their own, one ahead of the script (`blocking::PagesAhead`), over a
/// connection pool of the walk's own.
#[derive(Clone)]
struct Query {
    logging: Option<Rc<Logging>>,
    client: qfpay::Client,
    req: Request,
}

/// Where an iteration stands: its pages, and its position in pages or, with `items`, in
/// their transactions (PHP's `current()`, `key()`, `next()`, `rewind()`, `valid()`).
pub struct Cursor {
    query: Query,
    pages: Option<PagesAhead>,
    /// The result class of the items yielded, or `None` to yield the pages.
    items: Option<&'static str>,
    buffered: VecDeque<Zval>,
    current: Option<Zval>,
    index: i64,
}

impl Cursor {
    fn new(query: Query, items: Option<&'static str>) -> Self {
        let (pages, buffered, current) = (None, VecDeque::new(), None);
        Self {
            query,
            pages,
            items,
            buffered,
            current,
            index: -1,
        }
    }

    /// The next page, `None` after the last (or before the first `rewind`).
    fn next_page(&mut self) -> PhpResult<Option<qfpay::QueryPage>> {
        let Some(pages) = self.pages.as_mut() else {
            return Ok(None);
        };
        let next = pages.next_page();
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

    fn current(&self) -> Zval {
        self.current
            .as_ref()
            .map_or_else(Zval::null, Zval::shallow_clone)
    }

    /// Moves on, fetching the next page when needed.
    fn next(&mut self) -> PhpResult<()> {
        self.current = loop {
            if let Some(z) = self.buffered.pop_front() {
                break Some(z);
            }
            match (self.next_page()?, self.items) {
                (Some(p), Some(class)) => {
                    self.buffered = p.data.iter().map(|t| object(class, t)).collect();
                }
                (Some(p), None) => break Some(object("QueryPage", &p)),
                (None, _) => break None,
            }
        };
        self.index += 1;
        Ok(())
    }

    /// Starts again from the first page (fetches it).
    fn rewind(&mut self) -> PhpResult<()> {
        let q = &self.query;
        self.pages = None;
        let own = q.client.with_own_pool().php()?;
        let pages = apply::pages(&own, q.req.clone()).php()?;
        self.pages = Some(PagesAhead::start(pages).php()?);
        self.buffered.clear();
        self.index = -1;
        self.next()
    }
}

/// The pages of a query (`foreach ($client->queryPages([...]) as $page)`), fetched as the
/// iteration advances; iterating again starts again from the first page.
#[php_class]
#[php(name = "QfPay\\QueryPages")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[php(flags = ClassFlags::Final)]
pub struct QueryPages(pub Cursor);

/// The transactions of every page of a query (`$client->queryPages([...])->items()`).
#[php_class]
#[php(name = "QfPay\\QueryItems")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[php(flags = ClassFlags::Final)]
pub struct QueryItems(Cursor);

/// Every transaction of a period (`foreach ($client->transactions($from, $to) as $t)`),
/// fetched a page at a time as the iteration advances; iterating again starts again.
#[php_class]
#[php(name = "QfPay\\Transactions")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[php(flags = ClassFlags::Final)]
pub struct Transactions(pub Cursor);

/// PHP's `Iterator` methods of a cursor class, and its own `extra` methods.
macro_rules! iterator {
    ($class:ident { $($extra:item)* }) => {
        #[php_impl]
        impl $class {
            /// The current page or transaction.
            pub fn current(&self) -> Zval {
                self.0.current()
            }

            /// Its position, from 0.
            pub fn key(&self) -> i64 {
                self.0.index
            }

            /// Moves on, fetching the next page when needed.
            pub fn next(&mut self) -> PhpResult<()> {
                self.0.next()
            }

            /// Starts again from the first page (fetches it).
            pub fn rewind(&mut self) -> PhpResult<()> {
                self.0.rewind()
            }

            /// Whether there is a current one.
            pub fn valid(&self) -> bool {
                self.0.current.is_some()
            }

            $($extra)*
        }
    };
}

iterator!(QueryPages {
    /// The transactions of every page, as one iteration.
    pub fn items(&self) -> QueryItems {
        QueryItems(Cursor::new(self.0.query.clone(), Some("Transaction")))
    }
});
iterator!(QueryItems {});
iterator!(Transactions {});
