//! Events for logging and hooks: one per HTTP attempt and per retry, reconciliation,
//! status-unknown and cancellation decision.
//!
//! Install an [`Observer`] with [`crate::ClientBuilder::observer`] or
//! [`crate::Client::with_observer`]. The core asks [`Observer::enabled`] before building an
//! event, so an observer that answers `false` costs nothing. The same events go to `tracing`
//! (targets `qfpay::http` and `qfpay::reconcile`), whether or not an observer is installed.
//!
//! Levels: `request`/`response` Debug, `retry` Info, `reconcile`, `status_unknown` and
//! `cancelled` Warn. `body` is only filled when the observer is enabled for `Trace`; the
//! `auth_code` in it is masked, and the client key never appears in any event.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

/// How verbose an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Request and answer bodies (auth_code masked).
    Trace,
    /// Every request and answer.
    Debug,
    /// Retries.
    Info,
    /// Reconciliation, status unknown, cancellation after sending.
    Warn,
    /// Reserved for failures the SDK cannot report through a result.
    Error,
}

impl Level {
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// Parses `trace`, `debug`, `info`, `warn` (or `warning`), `error` in any case (the
    /// `QFPAY_LOG` values).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "trace" => Some(Level::Trace),
            "debug" => Some(Level::Debug),
            "info" => Some(Level::Info),
            "warn" | "warning" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A request is about to be sent (one per attempt).
    Request,
    /// An attempt ended: an answer, or how it failed.
    Response,
    /// The same request will be sent again after a delay.
    Retry,
    /// A money-moving call's outcome is unknown; the SDK queries the same order.
    Reconcile,
    /// Reconciliation could not tell: the call returns a status-unknown error.
    StatusUnknown,
    /// A money-moving call was dropped (cancelled) after its request was sent.
    Cancelled,
}

impl EventKind {
    /// Every kind, in order.
    pub const ALL: [EventKind; 6] = [
        EventKind::Request,
        EventKind::Response,
        EventKind::Retry,
        EventKind::Reconcile,
        EventKind::StatusUnknown,
        EventKind::Cancelled,
    ];

    /// `request`, `response`, `retry`, `reconcile`, `status_unknown` or `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Request => "request",
            EventKind::Response => "response",
            EventKind::Retry => "retry",
            EventKind::Reconcile => "reconcile",
            EventKind::StatusUnknown => "status_unknown",
            EventKind::Cancelled => "cancelled",
        }
    }

    /// The level events of this kind are emitted at.
    pub fn level(self) -> Level {
        match self {
            EventKind::Request | EventKind::Response => Level::Debug,
            EventKind::Retry => Level::Info,
            EventKind::Reconcile | EventKind::StatusUnknown | EventKind::Cancelled => Level::Warn,
        }
    }

    /// The `tracing` target: `qfpay::http` or `qfpay::reconcile`.
    pub fn target(self) -> &'static str {
        match self {
            EventKind::Request | EventKind::Response | EventKind::Retry | EventKind::Cancelled => {
                "qfpay::http"
            }
            EventKind::Reconcile | EventKind::StatusUnknown => "qfpay::reconcile",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event. Structured fields, plus a one-line `message` for plain loggers.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// How verbose it is.
    pub level: Level,
    /// The endpoint path, e.g. `/trade/v1/payment`.
    pub endpoint: &'static str,
    /// The attempt number, from 1 (reconciliation queries count their own attempts).
    pub attempt: u32,
    /// The merchant order number the call is about, when known.
    pub out_trade_no: Option<String>,
    /// Time since the call started.
    pub elapsed: Duration,
    /// The HTTP status of the answer, when there was one.
    pub http_status: Option<u16>,
    /// QFPay's `respcd`, when the answer had one.
    pub respcd: Option<String>,
    /// What the SDK decided: `done`, `retry`, `reconcile`, `fail` or `status_unknown`.
    pub decision: Option<&'static str>,
    /// Why (an error, a delay, a state).
    pub reason: Option<String>,
    /// The request or answer body, only at [`Level::Trace`], `auth_code` masked.
    pub body: Option<String>,
    /// A one-line description.
    pub message: String,
}

impl Event {
    /// The logging fields every binding exposes besides `kind`, `level` and `message`.
    pub const LOGGING_FIELDS: [&'static str; 8] = [
        "endpoint",
        "attempt",
        "out_trade_no",
        "elapsed_ms",
        "http_status",
        "respcd",
        "decision",
        "reason",
    ];

    /// `elapsed` in whole milliseconds.
    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX)
    }
}

crate::model::describe::describe!(Event "One event of a call (request, answer, retry, reconciliation...), for logs and hooks; the client key never appears in it." {
    kind: "str" "request, response, retry, reconcile, status_unknown or cancelled." = |e| e.kind.as_str(),
    level: "str" "trace, debug, info, warn or error." = |e| e.level.as_str(),
    endpoint: "str" "The endpoint path, e.g. /trade/v1/payment." = |e| e.endpoint,
    attempt: "count" "The attempt number, from 1." = |e| e.attempt,
    out_trade_no: "str?" "The merchant order number, when known." = |e| &e.out_trade_no,
    elapsed_ms: "count" "Milliseconds since the call started." = |e| e.elapsed_ms(),
    http_status: "count?" "The HTTP status, when there was an answer." = |e| e.http_status,
    respcd: "str?" "QFPay's respcd, when the answer had one." = |e| &e.respcd,
    decision: "str?" "What the SDK decided: done, retry, reconcile, fail or status_unknown." = |e| e.decision,
    reason: "str?" "Why (an error, a delay, a state)." = |e| &e.reason,
    body: "str?" "The request or answer body, at the trace level only (auth_code masked)." = |e| &e.body,
    message: "str" "A one-line description." = |e| &e.message,
});

/// Receives events. Called on whatever thread runs the I/O: keep it quick. A panic in it is
/// caught and the event dropped.
pub trait Observer: Send + Sync {
    /// Whether events at `level` are wanted (asked before one is built).
    fn enabled(&self, level: Level) -> bool;
    /// One event.
    fn on_event(&self, event: &Event);
}

/// An observer slot that prints as `Observer` in `Debug` output.
#[derive(Clone, Default)]
pub(crate) struct ObserverSlot(pub(crate) Option<Arc<dyn Observer>>);

impl fmt::Debug for ObserverSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some(Observer)"
        } else {
            "None"
        })
    }
}

/// Builds an event only if someone listens. `fill` receives whether the body is wanted.
pub(crate) struct Emit<'a> {
    pub(crate) observer: Option<&'a dyn Observer>,
    /// The client key, masked in every text of an event (a server may echo it).
    pub(crate) secret: Option<&'a str>,
}

/// What an event carries besides kind and endpoint; filled lazily.
#[derive(Default)]
pub(crate) struct Fields {
    pub(crate) attempt: u32,
    pub(crate) out_trade_no: Option<String>,
    pub(crate) elapsed: Duration,
    pub(crate) http_status: Option<u16>,
    pub(crate) respcd: Option<String>,
    pub(crate) decision: Option<&'static str>,
    pub(crate) reason: Option<String>,
    pub(crate) body: Option<String>,
}

fn tracing_enabled(kind: EventKind) -> bool {
    match (kind.target(), kind.level()) {
        ("qfpay::reconcile", _) => {
            tracing::enabled!(target: "qfpay::reconcile", tracing::Level::WARN)
        }
        (_, Level::Debug) => tracing::enabled!(target: "qfpay::http", tracing::Level::DEBUG),
        (_, Level::Info) => tracing::enabled!(target: "qfpay::http", tracing::Level::INFO),
        _ => tracing::enabled!(target: "qfpay::http", tracing::Level::WARN),
    }
}

fn tracing_body_enabled() -> bool {
    tracing::enabled!(target: "qfpay::http", tracing::Level::TRACE)
}

impl Emit<'_> {
    /// Whether anything listens to `kind`.
    pub(crate) fn wants(&self, kind: EventKind) -> bool {
        self.observer.is_some_and(|o| o.enabled(kind.level())) || tracing_enabled(kind)
    }

    /// Whether anything wants bodies.
    pub(crate) fn wants_body(&self) -> bool {
        self.observer.is_some_and(|o| o.enabled(Level::Trace)) || tracing_body_enabled()
    }

    /// Emits `kind` at `endpoint` if anyone listens; `fill(with_body)` supplies the fields.
    pub(crate) fn emit(
        &self,
        kind: EventKind,
        endpoint: &'static str,
        fill: impl FnOnce(bool) -> Fields,
    ) {
        let level = kind.level();
        let to_observer = self.observer.filter(|o| o.enabled(level));
        let to_tracing = tracing_enabled(kind);
        if to_observer.is_none() && !to_tracing {
            return;
        }
        let body_wanted = self.wants_body();
        let mut f = fill(body_wanted);
        if let Some(secret) = self.secret {
            let mask = |t: &mut Option<String>| {
                if let Some(s) = t.as_mut().filter(|s| s.contains(secret)) {
                    *s = s.replace(secret, "***");
                }
            };
            mask(&mut f.reason);
            mask(&mut f.body);
            mask(&mut f.out_trade_no);
        }
        let message = describe(kind, endpoint, &f);
        let event = Event {
            kind,
            level,
            endpoint,
            attempt: f.attempt,
            out_trade_no: f.out_trade_no,
            elapsed: f.elapsed,
            http_status: f.http_status,
            respcd: f.respcd,
            decision: f.decision,
            reason: f.reason,
            body: f.body,
            message,
        };
        if to_tracing {
            trace_event(&event);
        }
        if let Some(o) = to_observer {
            let mut for_observer = None;
            let e = if event.body.is_some() && !o.enabled(Level::Trace) {
                for_observer.insert(Event {
                    body: None,
                    ..event.clone()
                })
            } else {
                &event
            };
            // A panicking observer must not break the call: the event is dropped.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| o.on_event(e)));
        }
    }
}

fn describe(kind: EventKind, endpoint: &str, f: &Fields) -> String {
    let mut m = format!("{} {endpoint}", kind.as_str());
    if let Some(o) = &f.out_trade_no {
        m.push_str(" out_trade_no=");
        m.push_str(o);
    }
    if f.attempt > 0 {
        m.push_str(&format!(" attempt={}", f.attempt));
    }
    if let Some(s) = f.http_status {
        m.push_str(&format!(" http_status={s}"));
    }
    if let Some(r) = &f.respcd {
        m.push_str(" respcd=");
        m.push_str(r);
    }
    if let Some(d) = f.decision {
        m.push_str(" decision=");
        m.push_str(d);
    }
    m.push_str(&format!(" elapsed_ms={}", f.elapsed.as_millis()));
    if let Some(r) = &f.reason {
        m.push_str(": ");
        m.push_str(r);
    }
    m
}

macro_rules! trace_at {
    ($target:literal, $lvl:expr, $e:expr) => {
        tracing::event!(
            target: $target,
            $lvl,
            kind = $e.kind.as_str(),
            endpoint = $e.endpoint,
            attempt = $e.attempt,
            out_trade_no = $e.out_trade_no.as_deref(),
            elapsed_ms = $e.elapsed_ms(),
            http_status = $e.http_status,
            respcd = $e.respcd.as_deref(),
            decision = $e.decision,
            reason = $e.reason.as_deref(),
            "{}",
            $e.message
        )
    };
}

fn trace_event(e: &Event) {
    match (e.kind.target(), e.level) {
        ("qfpay::reconcile", _) => trace_at!("qfpay::reconcile", tracing::Level::WARN, e),
        (_, Level::Debug) => trace_at!("qfpay::http", tracing::Level::DEBUG, e),
        (_, Level::Info) => trace_at!("qfpay::http", tracing::Level::INFO, e),
        _ => trace_at!("qfpay::http", tracing::Level::WARN, e),
    }
    if let Some(body) = &e.body {
        tracing::trace!(target: "qfpay::http", kind = e.kind.as_str(), endpoint = e.endpoint, out_trade_no = e.out_trade_no.as_deref(), body = %body, "body");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Collect(Level, Mutex<Vec<Event>>);
    impl Observer for Collect {
        fn enabled(&self, level: Level) -> bool {
            level >= self.0
        }
        fn on_event(&self, event: &Event) {
            self.1.lock().unwrap().push(event.clone());
        }
    }

    struct Panics;
    impl Observer for Panics {
        fn enabled(&self, _: Level) -> bool {
            true
        }
        #[allow(clippy::panic)]
        fn on_event(&self, _: &Event) {
            panic!("observer bug")
        }
    }

    #[test]
    fn names_levels_and_laziness() {
        let names: Vec<_> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "request",
                "response",
                "retry",
                "reconcile",
                "status_unknown",
                "cancelled"
            ]
        );
        assert_eq!(EventKind::Retry.level(), Level::Info);
        assert_eq!(EventKind::Cancelled.level(), Level::Warn);
        assert_eq!(Level::parse("WARNING"), Some(Level::Warn));
        let o = Collect(Level::Info, Mutex::new(vec![]));
        let emit = Emit {
            observer: Some(&o),
            secret: None,
        };
        let mut built = false;
        emit.emit(EventKind::Request, "/trade/v1/payment", |_| {
            built = true;
            Fields::default()
        });
        // tracing has no subscriber here, and the observer does not want Debug.
        assert!(!built);
        emit.emit(EventKind::Retry, "/trade/v1/payment", |body| {
            assert!(!body);
            Fields {
                attempt: 1,
                out_trade_no: Some("A1".into()),
                decision: Some("retry"),
                ..Fields::default()
            }
        });
        let got = o.1.lock().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].out_trade_no.as_deref(), Some("A1"));
        assert!(got[0].message.contains("A1"), "{}", got[0].message);
        assert_eq!(got[0].elapsed_ms(), 0);
    }

    #[test]
    fn a_panicking_observer_is_contained() {
        let emit = Emit {
            observer: Some(&Panics),
            secret: None,
        };
        emit.emit(EventKind::Retry, "/trade/v1/query", |_| Fields::default());
    }
}
