//! Every transaction of a period: QFPay's query takes one calendar month at a time and at most
//! 100 records a page, and a merchant may send 400 requests a minute. [`Client::transactions`]
//! splits any range into month windows, pages through each at 100, paces its requests under the
//! rate limit (and waits out a `429`), and yields one transaction at a time: a year of a busy
//! merchant never sits in memory, only the page being read.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::*;

/// QFPay's largest page.
pub const PAGE_SIZE: u32 = 100;

/// QFPay's documented limit per merchant: 400 requests a minute, so one every 150 ms.
pub const MIN_INTERVAL: Duration = Duration::from_millis(150);

/// How many times a page answered `429` (after the client's own retries) is waited out before
/// the error is returned.
pub const RATE_LIMIT_WAITS: u32 = 10;

/// The calendar-month windows of `[from, to]` (both inclusive, whole seconds): the first starts
/// at `from`, each later one on the 1st at 00:00:00, each ends on its month's last second or at
/// `to`. Empty when `from` is after `to`.
pub fn month_windows(
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let (y, m) = if start.month() == 12 {
            (start.year() + 1, 1)
        } else {
            (start.year(), start.month() + 1)
        };
        let Some(next) = NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
        else {
            break;
        };
        let end = (next - TimeDelta::seconds(1)).min(to);
        out.push((start, end));
        start = next;
    }
    out
}

fn text(t: NaiveDateTime) -> String {
    t.format(crate::validate::DATETIME_FORMAT).to_string()
}

/// The pacing of a walk's requests: at least `min_interval` apart, `429`s waited out.
#[derive(Debug)]
struct Pacer {
    last_sent: Option<Instant>,
    min_interval: Duration,
    requests: Arc<AtomicU64>,
}

impl Pacer {
    /// One page, sent when the pace allows; a `429` is waited out up to [`RATE_LIMIT_WAITS`]
    /// times. Takes and gives back the pacer, so a prefetch can carry it into its task.
    async fn fetch(mut self, client: Client, req: QueryRequest) -> (Pacer, Result<QueryPage>) {
        let mut waits = 0;
        loop {
            if let Some(last) = self.last_sent {
                let due = last + self.min_interval;
                if due > Instant::now() {
                    sleep_until(due).await;
                }
            }
            self.last_sent = Some(Instant::now());
            self.requests.fetch_add(1, Ordering::Relaxed);
            match client.query(req.clone()).await {
                Err(e) if e.code() == "rate_limited" && waits < RATE_LIMIT_WAITS => {
                    waits += 1;
                    sleep(e.retry_after().unwrap_or(Duration::from_secs(60))).await;
                }
                other => return (self, other),
            }
        }
    }
}

/// The next page's fetch, running while the caller reads the current one. Dropping it (the
/// walk dropped, an `AbortSignal`, a `break`) stops it.
#[derive(Debug)]
struct Ahead(tokio::task::JoinHandle<(Pacer, Result<QueryPage>)>);

impl Drop for Ahead {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Every transaction of a period, fetched a page at a time ([`Client::transactions`]).
///
/// The next page is fetched while the current one is read: once a page arrives, the request
/// for the one after it is sent (paced like every other), so the caller's work on a page and
/// QFPay's on the next overlap. A walk left early has sent at most one request more than it
/// read (a query; nothing moves money).
#[derive(Debug)]
pub struct Transactions {
    client: Client,
    filter: QueryRequest,
    windows: VecDeque<(NaiveDateTime, NaiveDateTime)>,
    page: u32,
    buffer: VecDeque<Transaction>,
    /// `None` while a prefetch holds it.
    pacer: Option<Pacer>,
    ahead: Option<Ahead>,
    /// A page read and not yet handed over (its call was cancelled at the last moment).
    ready: Option<QueryPage>,
    done: bool,
    requests: Arc<AtomicU64>,
}

impl Transactions {
    /// The next transaction (payments and refunds as QFPay lists them; a refund's `origssn`
    /// names its payment), `None` after the last, or the error that ended the walk (nothing is
    /// yielded after it).
    pub async fn next(&mut self) -> Option<Result<Transaction>> {
        loop {
            if let Some(t) = self.buffer.pop_front() {
                return Some(Ok(t));
            }
            match self.next_page().await? {
                Ok(page) => self.buffer.extend(page.data),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The next page of records (never an empty one), `None` after the last, or the error that
    /// ended the walk. A page's `page` is its number within its month window. Mixing this
    /// with [`Transactions::next`] yields each record once: `next` drains what it buffered
    /// first.
    pub async fn next_page(&mut self) -> Option<Result<QueryPage>> {
        if !self.buffer.is_empty() {
            let data: Vec<Transaction> = self.buffer.drain(..).collect();
            return Some(Ok(QueryPage {
                page: self.page,
                page_size: PAGE_SIZE,
                data,
                raw: RawMap::new(),
            }));
        }
        if let Some(page) = self.ready.take() {
            return Some(Ok(page));
        }
        loop {
            if self.done {
                return None;
            }
            let &(start, end) = self.windows.front()?;
            if self.ahead.is_none() {
                let Some(pacer) = self.pacer.take() else {
                    self.done = true;
                    return Some(Err(Error::config(
                        "the walk lost its pacing (a bug): start it again",
                    )));
                };
                let req = self.request(start, end);
                self.ahead = Some(Ahead(tokio::spawn(pacer.fetch(self.client.clone(), req))));
            }
            // Awaited in place: a call cancelled here (a Ctrl-C, a dropped future) leaves the
            // request in flight where it is, and the next call takes up the same page.
            let joined = match self.ahead.as_mut() {
                Some(ahead) => (&mut ahead.0).await,
                None => continue,
            };
            self.ahead = None;
            let (pacer, result) = match joined {
                Ok(done) => done,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::Network {
                        message: format!("the page's request ended early: {e}"),
                        sent: true,
                        order: None,
                    }));
                }
            };
            self.pacer = Some(pacer);
            match result {
                Ok(page) => {
                    if page.data.len() as u32 >= PAGE_SIZE {
                        self.page += 1;
                    } else {
                        self.windows.pop_front();
                        self.page = 1;
                    }
                    if page.data.is_empty() {
                        self.prefetch();
                        continue;
                    }
                    // Kept before the yield: a call cancelled there hands it over next time.
                    self.ready = Some(page);
                    self.prefetch();
                    tokio::task::yield_now().await;
                    return self.ready.take().map(Ok);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }

    /// Sends the request for the page after the one just read, if there is one, in a task of
    /// its own. The caller yields once before handing the page back, so that a current-thread
    /// runtime (the blocking client's) writes the request first.
    fn prefetch(&mut self) {
        let Some(&(start, end)) = self.windows.front() else {
            return;
        };
        let Some(pacer) = self.pacer.take() else {
            return;
        };
        let req = self.request(start, end);
        self.ahead = Some(Ahead(tokio::spawn(pacer.fetch(self.client.clone(), req))));
    }

    /// The requests sent so far (pages, 429s waited out and a prefetch in flight included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn request(&self, start: NaiveDateTime, end: NaiveDateTime) -> QueryRequest {
        QueryRequest {
            start_time: Some(text(start)),
            end_time: Some(text(end)),
            page: Some(self.page),
            page_size: Some(PAGE_SIZE),
            ..self.filter.clone()
        }
    }
}

impl Client {
    /// Every transaction from `from` to `to` (`YYYY-MM-DD hh:mm:ss`, both inclusive, QFPay's
    /// time), with `filter`'s other criteria (pay types, `respcd`, `mchid`; its own times and
    /// pages are replaced). Requests are at least [`MIN_INTERVAL`] apart (QFPay's 400 a
    /// minute); a `429` is waited out. Nothing is sent until the first `next()`.
    pub fn transactions(&self, from: &str, to: &str, filter: QueryRequest) -> Result<Transactions> {
        let start = crate::validate::datetime("start_time", from)?;
        let end = crate::validate::datetime("end_time", to)?;
        if start > end {
            return Err(Error::validation(
                "start_time",
                "must not be after end_time",
            ));
        }
        if !filter.syssn.is_empty() || !filter.out_trade_no.is_empty() {
            return Err(Error::validation(
                "syssn",
                "a period's transactions are not filtered by syssn or out_trade_no: query them",
            ));
        }
        QueryRequest {
            start_time: None,
            end_time: None,
            page: None,
            page_size: None,
            ..filter.clone()
        }
        .validate()?;
        let requests = Arc::new(AtomicU64::new(0));
        Ok(Transactions {
            client: self.clone(),
            filter,
            windows: month_windows(start, end).into(),
            page: 1,
            buffer: VecDeque::new(),
            pacer: Some(Pacer {
                last_sent: None,
                min_interval: MIN_INTERVAL,
                requests: requests.clone(),
            }),
            ahead: None,
            ready: None,
            done: false,
            requests,
        })
    }
}

impl Transactions {
    /// The same walk with requests at least `interval` apart instead of [`MIN_INTERVAL`]
    /// (a merchant whose limit differs, or a test).
    pub fn min_interval(mut self, interval: Duration) -> Self {
        if let Some(pacer) = &mut self.pacer {
            pacer.min_interval = interval;
        }
        self
    }
}

/// A reconciliation ([`Client::reconcile`]): the merchant's ledger and the period to compare
/// it with.
#[derive(Debug, Clone)]
pub struct ReconcileRequest {
    /// The merchant's orders of the period.
    pub ledger: crate::reconcile::Ledger,
    /// The period's start (`YYYY-MM-DD hh:mm:ss`, QFPay's time).
    pub start_time: String,
    /// The period's end (inclusive).
    pub end_time: String,
    /// Other criteria of the walk (pay types, `mchid`), as [`Client::transactions`] takes them.
    pub filter: QueryRequest,
    /// A payment pending for longer than this is reported (default
    /// [`crate::reconcile::DEFAULT_PENDING_AFTER`]).
    pub pending_after: Duration,
    /// Requests at least this far apart (default [`MIN_INTERVAL`]).
    pub min_interval: Duration,
}

impl ReconcileRequest {
    /// `ledger` against QFPay's transactions from `start_time` to `end_time`.
    pub fn new(
        ledger: crate::reconcile::Ledger,
        start_time: impl Into<String>,
        end_time: impl Into<String>,
    ) -> Self {
        ReconcileRequest {
            ledger,
            start_time: start_time.into(),
            end_time: end_time.into(),
            filter: QueryRequest::new(),
            pending_after: crate::reconcile::DEFAULT_PENDING_AFTER,
            min_interval: MIN_INTERVAL,
        }
    }
}

impl Client {
    /// Compares the merchant's ledger with every QFPay transaction of the period (read as
    /// [`Client::transactions`] does: month windows, pages of 100, paced): orders missing on
    /// either side, amounts or currencies that differ, several successful payments under one
    /// order number, payments pending too long, refunds the ledger does not know, and the net
    /// per currency and day. Only a summary per order number is kept in memory.
    pub async fn reconcile(
        &self,
        req: ReconcileRequest,
    ) -> Result<crate::reconcile::ReconcileReport> {
        let mut walk = self
            .transactions(&req.start_time, &req.end_time, req.filter)?
            .min_interval(req.min_interval);
        let before = crate::reconcile::pending_before(self.now_local(), req.pending_after);
        let mut diff =
            crate::reconcile::Reconciler::new(req.ledger, &req.start_time, &req.end_time, before);
        while let Some(t) = walk.next().await {
            diff.add(t?);
        }
        Ok(diff.finish(walk.requests()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        crate::validate::datetime("t", s).unwrap()
    }

    #[test]
    fn a_range_splits_into_calendar_months_leap_february_included() {
        let w = month_windows(at("2024-01-15 10:00:00"), at("2024-03-02 08:00:00"));
        let shown: Vec<(String, String)> = w.iter().map(|(a, b)| (text(*a), text(*b))).collect();
        assert_eq!(
            shown,
            [
                ("2024-01-15 10:00:00".into(), "2024-01-31 23:59:59".into()),
                ("2024-02-01 00:00:00".into(), "2024-02-29 23:59:59".into()),
                ("2024-03-01 00:00:00".into(), "2024-03-02 08:00:00".into()),
            ]
        );
        let y = month_windows(at("2025-12-31 23:59:59"), at("2026-01-01 00:00:00"));
        assert_eq!(y.len(), 2);
        assert_eq!(text(y[1].0), "2026-01-01 00:00:00");
        assert!(month_windows(at("2026-02-02 00:00:00"), at("2026-02-01 00:00:00")).is_empty());
        assert_eq!(
            month_windows(at("2023-02-01 00:00:00"), at("2023-02-28 23:59:59")).len(),
            1
        );
    }
}
