//! Faults injected into the next N API requests.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// A fault for the next API requests (`/trade/...`; never `/sandbox/...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Process normally, answer after the delay.
    Delay(Duration),
    /// Process, then close the connection without an answer.
    Drop,
    /// Answer with this status and an empty body, no processing.
    HttpStatus(u16),
    /// Process, answer HTTP 200 with a body that is not JSON.
    Malformed,
    /// Answer exactly this, no processing.
    Canned {
        /// HTTP status.
        status: u16,
        /// Body.
        body: String,
    },
}

impl Fault {
    /// The fault's kind as used by the control API (`delay`, `drop`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Delay(_) => "delay",
            Fault::Drop => "drop",
            Fault::HttpStatus(_) => "http_status",
            Fault::Malformed => "malformed",
            Fault::Canned { .. } => "canned",
        }
    }

    /// Reads the control API's JSON form: `{"kind": ..., "ms": .., "status": .., "body": ..}`.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
        let status = || -> Result<u16, String> {
            v.get("status")
                .and_then(serde_json::Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=999).contains(s))
                .ok_or_else(|| "\"status\" must be an HTTP status code (100-999)".to_owned())
        };
        match kind {
            "delay" => {
                let ms = v
                    .get("ms")
                    .and_then(serde_json::Value::as_u64)
                    .ok_or("\"ms\" (milliseconds) is required for a delay")?;
                Ok(Fault::Delay(Duration::from_millis(ms.min(600_000))))
            }
            "drop" => Ok(Fault::Drop),
            "http_status" | "status" | "5xx" => Ok(Fault::HttpStatus(status()?)),
            "malformed" => Ok(Fault::Malformed),
            "canned" => Ok(Fault::Canned {
                status: status().unwrap_or(200),
                body: v
                    .get("body")
                    .and_then(|b| b.as_str())
                    .unwrap_or_default()
                    .to_owned(),
            }),
            other => Err(format!(
                "unknown fault kind {other:?}: use delay, drop, http_status, malformed or canned"
            )),
        }
    }
}

/// The queue of pending faults: each entry applies to its next `count` requests.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<VecDeque<(Fault, u32)>>,
    armed: std::sync::atomic::AtomicBool,
}

impl Faults {
    /// Queues `fault` for the next `count` requests.
    pub fn push(&self, fault: Fault, count: u32) {
        if count == 0 {
            return;
        }
        let mut q = crate::state::lock(&self.queue);
        q.push_back((fault, count));
        self.armed.store(true, std::sync::atomic::Ordering::Release);
    }

    /// Takes the fault for this request, if any.
    pub fn take(&self) -> Option<Fault> {
        if !self.armed.load(std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        let mut q = crate::state::lock(&self.queue);
        let (fault, left) = q.front_mut()?;
        let out = fault.clone();
        *left -= 1;
        if *left == 0 {
            q.pop_front();
        }
        if q.is_empty() {
            self.armed
                .store(false, std::sync::atomic::Ordering::Release);
        }
        Some(out)
    }

    /// Forgets every pending fault.
    pub fn clear(&self) {
        crate::state::lock(&self.queue).clear();
        self.armed
            .store(false, std::sync::atomic::Ordering::Release);
    }
}
