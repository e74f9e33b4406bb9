//! Core events to a PHP logger (`QfPay\Logger`, PSR-3 shaped) or, with `QFPAY_LOG`, to
//! `error_log()`.
//!
//! The core calls the observer on the thread that drives the I/O. The observer never calls
//! PHP: it only buffers the events, and the client delivers them to the logger on the PHP
//! thread after each call returns, before the result (or exception) goes back to PHP. Without
//! a logger and without `QFPAY_LOG` no observer is installed, so logging costs nothing.

use std::sync::{Arc, Mutex};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ExecutorGlobals;
use qfpay::events::{Event, Level, Observer};

use super::convert::describe;
use super::errors::config;

/// One buffered event.
struct Record {
    level: Level,
    message: String,
    context: Vec<(&'static str, Ctx)>,
}

enum Ctx {
    Str(String),
    Int(i64),
}

/// Buffers events until the PHP thread delivers them.
struct Buffer {
    min: Level,
    records: Mutex<Vec<Record>>,
}

impl Observer for Buffer {
    fn enabled(&self, level: Level) -> bool {
        level >= self.min
    }

    fn on_event(&self, e: &Event) {
        let mut context = vec![
            ("kind", Ctx::Str(e.kind.as_str().to_owned())),
            ("endpoint", Ctx::Str(e.endpoint.to_owned())),
            ("attempt", Ctx::Int(i64::from(e.attempt))),
            (
                "elapsed_ms",
                Ctx::Int(i64::try_from(e.elapsed_ms()).unwrap_or(i64::MAX)),
            ),
        ];
        if let Some(v) = &e.out_trade_no {
            context.push(("out_trade_no", Ctx::Str(v.clone())));
        }
        if let Some(v) = e.http_status {
            context.push(("http_status", Ctx::Int(i64::from(v))));
        }
        if let Some(v) = &e.respcd {
            context.push(("respcd", Ctx::Str(v.clone())));
        }
        if let Some(v) = e.decision {
            context.push(("decision", Ctx::Str(v.to_owned())));
        }
        if let Some(v) = &e.reason {
            context.push(("reason", Ctx::Str(v.clone())));
        }
        if let Some(v) = &e.body {
            context.push(("body", Ctx::Str(v.clone())));
        }
        if let Ok(mut r) = self.records.lock() {
            // Bounded: a call cannot produce more than a few hundred events.
            if r.len() < 10_000 {
                r.push(Record {
                    level: e.level,
                    message: e.message.clone(),
                    context,
                });
            }
        }
    }
}

/// Where a client's events go.
pub struct Logging {
    buffer: Arc<Buffer>,
    logger: Option<Zval>,
}

fn method(level: Level) -> &'static str {
    match level {
        Level::Trace | Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warning",
        Level::Error => "error",
    }
}

impl Logging {
    /// From the `logger` and `logLevel` options and `QFPAY_LOG`. `None`: nothing listens.
    pub fn new(logger: Option<&Zval>, level: Option<String>) -> qfpay::Result<Option<Self>> {
        let env = std::env::var("QFPAY_LOG")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let logger = match logger {
            None => None,
            Some(z) => {
                let Some(obj) = z.object() else {
                    return Err(config(format!(
                        "logger must be an object with debug/info/warning/error(string $message, array $context) methods (a QfPay\\Logger or a PSR-3 logger), got {}",
                        describe(z)
                    )));
                };
                for m in ["debug", "info", "warning", "error"] {
                    let lower = m.to_ascii_lowercase();
                    if obj
                        .get_class_entry()
                        .function_table
                        .get(lower.as_str())
                        .is_none()
                    {
                        return Err(config(format!("logger has no {m}() method")));
                    }
                }
                Some(z.shallow_clone())
            }
        };
        let parse = |v: &str, what: &str| {
            Level::parse(v).ok_or_else(|| {
                config(format!(
                    "{what} must be error, warn, info, debug or trace (got {v:?})"
                ))
            })
        };
        let min = match (&level, &env, logger.is_some()) {
            (Some(l), _, _) => parse(l, "logLevel")?,
            (None, Some(e), _) => parse(e, "QFPAY_LOG")?,
            (None, None, true) => Level::Debug,
            (None, None, false) => return Ok(None),
        };
        Ok(Some(Self {
            buffer: Arc::new(Buffer {
                min,
                records: Mutex::new(Vec::new()),
            }),
            logger,
        }))
    }

    /// The observer to install on the core client.
    pub fn observer(&self) -> Arc<dyn Observer> {
        Arc::clone(&self.buffer) as Arc<dyn Observer>
    }

    /// A message of the binding itself (configuration warnings).
    pub fn warn(&self, message: &str) {
        if let Ok(mut r) = self.buffer.records.lock() {
            r.push(Record {
                level: Level::Warn,
                message: message.to_owned(),
                context: vec![("kind", Ctx::Str("config".into()))],
            });
        }
    }

    /// Delivers the buffered events (on the PHP thread). A logger that throws is ignored: a
    /// listener never breaks a call.
    pub fn flush(&self) {
        let records = match self.buffer.records.lock() {
            Ok(mut r) => std::mem::take(&mut *r),
            Err(_) => return,
        };
        for r in records {
            let mut ctx = ZendHashTable::new();
            for (k, v) in &r.context {
                let _ = match v {
                    Ctx::Str(s) => ctx.insert(*k, s.as_str()),
                    Ctx::Int(i) => ctx.insert(*k, *i),
                };
            }
            self.deliver(r.level, &r.message, ctx);
        }
    }

    fn deliver(&self, level: Level, message: &str, ctx: ZBox<ZendHashTable>) {
        let pending = ExecutorGlobals::has_exception();
        match &self.logger {
            Some(logger) => {
                if let Some(obj) = logger.object() {
                    let _ = obj.try_call_method(method(level), vec![&message, &ctx]);
                }
            }
            None => {
                let json = serde_json::Value::Object(
                    ctx.iter()
                        .map(|(k, v)| {
                            (super::convert::key_name(k), super::sandbox::zval_to_json(v))
                        })
                        .collect(),
                );
                let line = format!("qfpay: [{}] {message} {json}", level.as_str());
                if let Ok(f) = ZendCallable::try_from_name("error_log") {
                    let _ = f.try_call(vec![&line]);
                }
            }
        }
        if !pending && ExecutorGlobals::has_exception() {
            // The logger threw: drop its exception, the call's own outcome stands.
            drop(ExecutorGlobals::take_exception());
        }
    }
}

/// The logger interface the client accepts (`'logger' => $obj`); PSR-3 shaped, so a PSR-3
/// logger's methods are compatible. Any object with these four methods is accepted.
#[allow(dead_code)] // only its PHP interface is used
#[php_interface]
#[php(name = "QfPay\\Logger")]
pub trait Logger {
    /// Detailed events: every request and answer.
    fn debug(&self, message: String, context: &ZendHashTable);
    /// Retries.
    fn info(&self, message: String, context: &ZendHashTable);
    /// Reconciliation, status unknown, configuration warnings.
    fn warning(&self, message: String, context: &ZendHashTable);
    /// Failures the SDK cannot report through a result.
    fn error(&self, message: String, context: &ZendHashTable);
}
