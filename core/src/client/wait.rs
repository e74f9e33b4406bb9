//! `wait_for_payment`: polling until a payment is final or the deadline passes.

use super::exchange::transient;
use super::*;

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

impl Default for Wait {
    /// 120 s, querying after 1 s, then every 1.5× longer up to 5 s.
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            initial_interval: Self::DEFAULT_INTERVAL,
            max_interval: Self::DEFAULT_MAX_INTERVAL,
        }
    }
}

impl Wait {
    /// The default timeout: 120 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
    /// The default first interval: 1 s.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
    /// The default largest interval: 5 s.
    pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(5);

    /// Wait up to `timeout`, querying after 1 s, then every 1.5× longer up to 5 s.
    pub fn up_to(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Self::DEFAULT_INTERVAL,
            max_interval: Self::DEFAULT_MAX_INTERVAL,
        }
    }

    /// Sets the intervals between queries.
    pub fn interval(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max.max(initial);
        self
    }
}

/// The deadline of one polling query (reconciliation, `wait_for_payment`): the polling deadline,
/// but a query made at or near it still gets up to 2 s (at most the call timeout) to be answered.
pub(super) fn poll_query_deadline(deadline: Instant, timeout: Duration) -> Instant {
    let allowance = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(2))
        .min(timeout);
    deadline_after(allowance)
}

impl Client {
    /// Polls the query endpoint until the payment `out_trade_no` is paid (returns it), fails
    /// (returns the error), or `wait.timeout` passes ([`Error::StatusUnknown`]). The last
    /// query is made at the deadline, never earlier.
    pub async fn wait_for_payment(&self, out_trade_no: &str, wait: Wait) -> Result<Transaction> {
        self.masked(self.wait_for_payment_unmasked(out_trade_no, wait).await)
    }

    pub(super) async fn wait_for_payment_unmasked(
        &self,
        out_trade_no: &str,
        wait: Wait,
    ) -> Result<Transaction> {
        crate::validate::order_number("out_trade_no", out_trade_no)?;
        let started = Instant::now();
        let deadline = deadline_after(wait.timeout);
        let mut interval = wait.initial_interval.max(Duration::from_millis(1));
        let max_interval = wait.max_interval.max(interval);
        let mut last = None;
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        let call = self.call(Endpoint::Query, Some(out_trade_no), None);
        loop {
            let call_deadline = poll_query_deadline(deadline, self.timeout);
            match self
                .query_until(&query, call_deadline, self.max_retries, &call)
                .await
            {
                Ok(page) => {
                    if let Some(t) = pick_order(page.data, out_trade_no, false) {
                        last = Some((t.syssn.clone(), t.respcd.clone()));
                        match t.state {
                            TransactionState::Pending => {}
                            TransactionState::Failed => {
                                return Err(Error::api(&t.respcd, &t.errmsg, "", 200)
                                    .with_order(out_trade_no, Some(&t.syssn)));
                            }
                            TransactionState::Cancelled => {
                                return Err(Error::api(
                                    "1263",
                                    "the order was cancelled or closed",
                                    &t.errmsg,
                                    200,
                                )
                                .with_order(out_trade_no, Some(&t.syssn)));
                            }
                            _ => {
                                warn_if_several(&t);
                                return Ok(t);
                            }
                        }
                    }
                }
                Err(e) if transient(&e) => {
                    tracing::debug!(target: "qfpay::http", out_trade_no, error = %e, "query failed while waiting; trying again")
                }
                Err(e) => return Err(e.with_order(out_trade_no, None)),
            }
            let now = Instant::now();
            if now >= deadline {
                let (syssn, respcd) = last.map_or((None, None), |(s, r)| (Some(s), Some(r)));
                return Err(Error::StatusUnknown {
                    out_trade_no: out_trade_no.to_owned(),
                    syssn,
                    respcd,
                    reason: format!(
                        "the payment was still not final after {} (waited up to {})",
                        human(now.saturating_duration_since(started)),
                        human(wait.timeout)
                    ),
                });
            }
            sleep(interval.min(deadline.saturating_duration_since(now))).await;
            interval = Duration::try_from_secs_f64(interval.as_secs_f64() * 1.5)
                .unwrap_or(max_interval)
                .min(max_interval);
        }
    }
}
