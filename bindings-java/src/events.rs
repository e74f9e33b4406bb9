//! The core's events to the JVM: an [`Observer`] whose level is fixed when the client is built
//! (so `enabled` is a comparison in Rust, never a call into the JVM), forwarding each event to
//! a foreign sink (SLF4J and the builder's listener, in Kotlin).

use qfpay::events::{Event, Level, Observer};

/// One core event, flattened for the JVM.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiEvent {
    /// `request`, `response`, `retry`, `reconcile`, `status_unknown` or `cancelled`.
    pub kind: String,
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub level: String,
    /// `http`, `reconcile`: the logger area (`com.qfpay.<area>`).
    pub area: String,
    /// The endpoint path, e.g. `/trade/v1/payment`.
    pub endpoint: String,
    /// The attempt number, from 1.
    pub attempt: i64,
    /// The merchant order number, when known.
    pub out_trade_no: Option<String>,
    /// Milliseconds since the call started.
    pub elapsed_ms: i64,
    /// The HTTP status, when there was an answer.
    pub http_status: Option<i32>,
    /// QFPay's `respcd`, when the answer had one.
    pub respcd: Option<String>,
    /// `done`, `retry`, `reconcile`, `fail` or `status_unknown`.
    pub decision: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The body (trace level only; `auth_code` masked).
    pub body: Option<String>,
    /// A one-line description.
    pub message: String,
}

impl From<&Event> for FfiEvent {
    fn from(e: &Event) -> Self {
        FfiEvent {
            kind: e.kind.as_str().to_owned(),
            level: e.level.as_str().to_owned(),
            area: e.kind.target().trim_start_matches("qfpay::").to_owned(),
            endpoint: e.endpoint.to_owned(),
            attempt: i64::from(e.attempt),
            out_trade_no: e.out_trade_no.clone(),
            elapsed_ms: i64::try_from(e.elapsed_ms()).unwrap_or(i64::MAX),
            http_status: e.http_status.map(i32::from),
            respcd: e.respcd.clone(),
            decision: e.decision.map(str::to_owned),
            reason: e.reason.clone(),
            body: e.body.clone(),
            message: e.message.clone(),
        }
    }
}

/// Receives the events (SLF4J forwarding and the listener, in Kotlin).
#[uniffi::export(callback_interface)]
pub trait FfiEventSink: Send + Sync {
    /// One event; must be quick.
    fn on_event(&self, event: FfiEvent);
}

/// The observer installed in the core.
pub(crate) struct JvmObserver {
    min: Level,
    sink: Box<dyn FfiEventSink>,
}

impl JvmObserver {
    /// An observer for events at `min` and above (`trace` ... `error`), or `None` for an
    /// unknown level.
    pub(crate) fn new(min: &str, sink: Box<dyn FfiEventSink>) -> Option<Self> {
        Level::parse(min).map(|min| JvmObserver { min, sink })
    }
}

impl Observer for JvmObserver {
    fn enabled(&self, level: Level) -> bool {
        level >= self.min
    }

    fn on_event(&self, event: &Event) {
        self.sink.on_event(FfiEvent::from(event));
    }
}
