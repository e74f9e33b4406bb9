//! The core's events to JavaScript: one threadsafe function per client, called without
//! blocking the I/O thread, and created only when a logger or listener exists (the wrapper in
//! `lib/events.js` asks for it). `enabled()` is one atomic load.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use napi::Status;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use qfpay::events::{Event, Level, Observer};

/// No level is wanted.
pub const OFF: u8 = u8::MAX;

/// A level's rank: 0 trace, 1 debug, 2 info, 3 warn, 4 error.
fn rank(level: Level) -> u8 {
    match level {
        Level::Trace => 0,
        Level::Debug => 1,
        Level::Info => 2,
        Level::Warn => 3,
        Level::Error => 4,
    }
}

/// One event as JavaScript sees it (camelCase; the client key never appears in it).
#[napi(object)]
pub struct QfPayEvent {
    /// `request`, `response`, `retry`, `reconcile`, `status_unknown` or `cancelled`.
    pub kind: String,
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub level: String,
    /// The endpoint path.
    pub endpoint: String,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The merchant order number, when known.
    pub out_trade_no: Option<String>,
    /// Milliseconds since the call started.
    pub elapsed_ms: f64,
    /// The HTTP status, when there was an answer.
    pub http_status: Option<u32>,
    /// QFPay's `respcd`, when the answer had one.
    pub respcd: Option<String>,
    /// What the SDK decided.
    pub decision: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The body, at the trace level only (`auth_code` masked).
    pub body: Option<String>,
    /// A one-line description.
    pub message: String,
}

impl From<&Event> for QfPayEvent {
    fn from(e: &Event) -> Self {
        Self {
            kind: e.kind.as_str().to_owned(),
            level: e.level.as_str().to_owned(),
            endpoint: e.endpoint.to_owned(),
            attempt: e.attempt,
            out_trade_no: e.out_trade_no.clone(),
            elapsed_ms: e.elapsed.as_secs_f64() * 1000.0,
            http_status: e.http_status.map(u32::from),
            respcd: e.respcd.clone(),
            decision: e.decision.map(str::to_owned),
            reason: e.reason.clone(),
            body: e.body.clone(),
            message: e.message.clone(),
        }
    }
}

/// The JavaScript callback: one argument (the event), weak (it never keeps Node alive).
pub type Callback = ThreadsafeFunction<QfPayEvent, (), QfPayEvent, Status, false, true>;

/// The observer installed on a client.
pub struct JsObserver {
    callback: Callback,
    min: Arc<AtomicU8>,
}

impl JsObserver {
    /// An observer calling `callback` for events at `min` (a rank) and above.
    pub fn new(callback: Callback, min: Arc<AtomicU8>) -> Self {
        Self { callback, min }
    }
}

impl Observer for JsObserver {
    fn enabled(&self, level: Level) -> bool {
        rank(level) >= self.min.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event) {
        // Non-blocking: the I/O thread never waits for JavaScript. A full or closing queue
        // drops the event, never the call.
        let _ = self.callback.call(
            QfPayEvent::from(event),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }
}
