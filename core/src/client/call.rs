//! One call's plumbing: its events (`Call`), the cancellation warning (`CancelGuard`) and
//! what a money-moving exchange and a reconciliation query end in (`Sent`, `Verdict`).

use super::*;

/// Emits a warning if a money-moving call is dropped after its request was sent.
pub(super) struct CancelGuard<'a> {
    pub(super) endpoint: Endpoint,
    pub(super) out_trade_no: Option<&'a str>,
    pub(super) started: std::time::Instant,
    pub(super) observer: Option<&'a dyn Observer>,
    pub(super) secret: Option<&'a str>,
    pub(super) sent: AtomicBool,
    pub(super) done: bool,
}

impl Drop for CancelGuard<'_> {
    fn drop(&mut self) {
        if self.done || !self.sent.load(Ordering::Relaxed) {
            return;
        }
        let emit = Emit {
            observer: self.observer,
            secret: self.secret,
        };
        let who = self.out_trade_no.unwrap_or("(unknown)");
        if !emit.wants(EventKind::Cancelled) {
            return;
        }
        emit.emit(EventKind::Cancelled, self.endpoint.path(), |_| Fields {
            out_trade_no: self.out_trade_no.map(str::to_owned),
            elapsed: self.started.elapsed(),
            decision: Some("status_unknown"),
            reason: Some(format!(
                "the call was cancelled after its request was sent; the outcome of out_trade_no {who} is unknown: query it (or wait for the notification) before paying again"
            )),
            ..Fields::default()
        });
    }
}

/// What a money-moving exchange ended in, before interpretation.
pub(super) enum Sent {
    Done(RawMap),
    Unknown {
        reason: String,
        respcd: Option<String>,
    },
}

/// What reconciliation makes of the records a query returned.
pub(super) enum Verdict<T> {
    Done(Result<T>),
    Wait(String),
    Stop(String),
}

/// What one call is, for its events.
pub(super) struct Call<'a> {
    pub(super) endpoint: Endpoint,
    pub(super) out_trade_no: Option<&'a str>,
    pub(super) started: std::time::Instant,
    pub(super) emit: Emit<'a>,
    pub(super) sent: Option<&'a AtomicBool>,
    /// A secret value of the request (the customer's `auth_code`) to mask wherever the server
    /// echoes it back.
    pub(super) mask: Option<&'a str>,
}

impl<'a> Call<'a> {
    /// `text` with the masked value replaced by `***`.
    pub(super) fn masked(&self, text: String) -> String {
        match self.mask {
            Some(m) if text.contains(m) => text.replace(m, "***"),
            _ => text,
        }
    }

    pub(super) fn attempt(&'a self, number: u32) -> Attempt<'a> {
        Attempt {
            endpoint: self.endpoint,
            number,
            out_trade_no: self.out_trade_no,
            started: self.started,
            emit: &self.emit,
            sent: self.sent,
        }
    }

    /// The `response` event of an attempt, with the decision taken on it.
    pub(super) fn response(
        &self,
        number: u32,
        http_status: Option<u16>,
        respcd: Option<&str>,
        decision: &'static str,
        reason: impl FnOnce() -> Option<String>,
        body: Option<String>,
    ) {
        self.emit
            .emit(EventKind::Response, self.endpoint.path(), |with_body| {
                Fields {
                    attempt: number,
                    out_trade_no: self.out_trade_no.map(str::to_owned),
                    elapsed: self.started.elapsed(),
                    http_status,
                    respcd: respcd.filter(|r| !r.is_empty()).map(str::to_owned),
                    decision: Some(decision),
                    reason: reason().map(|r| self.masked(r)),
                    body: body.filter(|_| with_body).map(|b| self.masked(b)),
                }
            });
    }

    /// The `response` event of an attempt whose outcome is unknown (reconciliation follows),
    /// and that outcome.
    pub(super) fn unknown(
        &self,
        number: u32,
        http_status: Option<u16>,
        respcd: Option<String>,
        reason: String,
        body: Option<String>,
    ) -> Sent {
        self.response(
            number,
            http_status,
            respcd.as_deref(),
            "reconcile",
            || Some(reason.clone()),
            body,
        );
        Sent::Unknown { reason, respcd }
    }

    pub(super) fn retry(&self, number: u32, delay: Duration, err: &Error) {
        self.emit
            .emit(EventKind::Retry, self.endpoint.path(), |_| Fields {
                attempt: number,
                out_trade_no: self.out_trade_no.map(str::to_owned),
                elapsed: self.started.elapsed(),
                http_status: err.http_status(),
                decision: Some("retry"),
                reason: Some(format!(
                    "{err}; sending the same request again in {}",
                    human(delay)
                )),
                ..Fields::default()
            });
    }
}
