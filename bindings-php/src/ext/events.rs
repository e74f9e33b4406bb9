//! Core events to a PHP logger (`QfPay\Logger`, PSR-3 shaped) or, with `QFPAY_LOG`, to
//! `error_log()`.
//!
//! `QFPAY_LOG` is read by the core's one rule (`qfpay::log_filter`): `debug`, `qfpay=debug`,
//! `qfpay::http=trace,qfpay::reconcile=off`... A value that does not follow it never fails a
//! call: logging stays off and one warning per process goes to `error_log()` (not
//! `trigger_error()`, which frameworks turn into an exception that would fail the payment).
//!
//! The core calls the observer on the thread that drives the I/O. The observer never calls
//! PHP: it only buffers the events, and the client delivers them to the logger on the PHP
//! thread after each call returns, before the result (or exception) goes back to PHP. Without
//! a logger and without `QFPAY_LOG` no observer is installed, so logging costs nothing.

use std::sync::{Arc, Mutex};

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ExecutorGlobals;
use qfpay::events::{Event, Level, Observer};
use qfpay::log_filter::{LogFilter, env_log};
use serde_json::Value as Json;

use super::convert::{PHP, text, value};
use super::results::json_to_zval;

/// One buffered event: its level, message and context.
type Record = (Level, String, Vec<(&'static str, Json)>);

/// Buffers events until the PHP thread delivers them.
struct Buffer {
    filter: LogFilter,
    /// The most verbose level any SDK target is logged at (what `enabled` answers with).
    max: Level,
    records: Mutex<Vec<Record>>,
}

impl Observer for Buffer {
    fn enabled(&self, level: Level) -> bool {
        level >= self.max
    }

    fn on_event(&self, e: &Event) {
        // Per event: its target's level (`qfpay::reconcile=off` drops reconciliation events
        // while `qfpay::http` still logs).
        if !self.filter.allows(e.kind) {
            return;
        }
        // The event's fields but its level and message, nulls left out; bodies only where
        // the event's own target is at trace.
        let trace = self.filter.level_for(e.kind.target()) == Some(Level::Trace);
        let json = serde_json::to_value(e).unwrap_or_default();
        let context = Event::FIELDS
            .iter()
            .filter(|k| !matches!(**k, "level" | "message") && (**k != "body" || trace))
            .filter_map(|k| Some((*k, json.get(k).filter(|v| !v.is_null())?.clone())))
            .collect();
        if let Ok(mut r) = self.records.lock() {
            // Bounded: a call cannot produce more than a few hundred events.
            if r.len() < 10_000 {
                r.push((e.level, e.message.clone(), context));
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

/// Writes `line` with PHP's `error_log()`.
fn error_log(line: &str) {
    let pending = ExecutorGlobals::has_exception();
    if let Ok(f) = ZendCallable::try_from_name("error_log") {
        let _ = f.try_call(vec![&line]);
    }
    if !pending && ExecutorGlobals::has_exception() {
        drop(ExecutorGlobals::take_exception());
    }
}

/// The filter `QFPAY_LOG` gives, read once per process by the core's rule. An unusable value
/// is logging off; its warning (which never quotes the value) goes to `error_log()` the first
/// time it is asked for in the process, never as an exception or a PHP warning.
fn env_filter() -> Option<&'static LogFilter> {
    let env = env_log();
    if let Some(w) = env.take_warning() {
        error_log(&format!("qfpay: [warn] {w}"));
    }
    env.filter.as_ref()
}

impl Logging {
    /// From the `logger` and `logLevel` options and `QFPAY_LOG`. `None`: nothing listens.
    ///
    /// `logLevel` (code) wins; otherwise `QFPAY_LOG`'s filter; otherwise a logger gets every
    /// event but bodies (`debug`). Only the options can fail (they are code): `QFPAY_LOG` never
    /// does.
    pub fn new(options: Option<&ZendHashTable>) -> qfpay::Result<Option<Self>> {
        let get = |k| {
            options
                .and_then(|o| o.get(k))
                .filter(|z| !z.dereference().is_null())
        };
        let level = get("logLevel").map(|z| text("logLevel", z)).transpose()?;
        let logger = match get("logger") {
            None => None,
            Some(z) => {
                let Some(obj) = z.dereference().object() else {
                    return Err(qfpay::Error::config_option(
                        "logger",
                        format!(
                            "must be an object with debug/info/warning/error(string $message, array $context) methods (a QfPay\\Logger or a PSR-3 logger), got {}",
                            value(z).type_name(PHP)
                        ),
                    ));
                };
                let missing = ["debug", "info", "warning", "error"]
                    .into_iter()
                    .find(|m| obj.get_class_entry().function_table.get(*m).is_none());
                if let Some(m) = missing {
                    return Err(qfpay::Error::config_option(
                        "logger",
                        format!("has no {m}() method"),
                    ));
                }
                Some(z.dereference().shallow_clone())
            }
        };
        // Read first, so that an unusable value is reported whatever the options say.
        let env = env_filter();
        let filter = match level {
            Some(l) => Some(level_filter(&l)?),
            None => match (env, logger.is_some()) {
                (Some(f), _) => Some(f.clone()),
                (None, true) => Some(level_filter("debug")?),
                (None, false) => None,
            },
        };
        let Some((filter, max)) = filter.and_then(|f| f.max_level().map(|m| (f, m))) else {
            return Ok(None);
        };
        Ok(Some(Self {
            buffer: Arc::new(Buffer {
                filter,
                max,
                records: Mutex::new(Vec::new()),
            }),
            logger,
        }))
    }

    /// The observer to install on the core client.
    pub fn observer(&self) -> Arc<dyn Observer> {
        Arc::clone(&self.buffer) as Arc<dyn Observer>
    }

    /// A configuration warning of the client (target `qfpay::config`).
    pub fn warn(&self, message: &str) {
        if self.buffer.filter.allows_config_warnings()
            && let Ok(mut r) = self.buffer.records.lock()
        {
            r.push((
                Level::Warn,
                message.to_owned(),
                vec![("kind", "config".into())],
            ));
        }
    }

    /// Delivers the buffered events (on the PHP thread). A logger that throws is ignored: a
    /// listener never breaks a call.
    pub fn flush(&self) {
        let records = match self.buffer.records.lock() {
            Ok(mut r) => std::mem::take(&mut *r),
            Err(_) => return,
        };
        for (level, message, context) in records {
            self.deliver(level, &message, context);
        }
    }

    fn deliver(&self, level: Level, message: &str, context: Vec<(&'static str, Json)>) {
        let pending = ExecutorGlobals::has_exception();
        match self.logger.as_ref().and_then(Zval::object) {
            Some(obj) => {
                let mut ctx = ZendHashTable::new();
                for (k, v) in &context {
                    let _ = ctx.insert(*k, json_to_zval(v));
                }
                let _ = obj.try_call_method(method(level), vec![&message, &ctx]);
            }
            None => {
                let ctx: serde_json::Map<_, _> = context
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect();
                error_log(&format!(
                    "qfpay: [{}] {message} {}",
                    level.as_str(),
                    Json::Object(ctx)
                ));
            }
        }
        if !pending && ExecutorGlobals::has_exception() {
            // The logger threw: drop its exception, the call's own outcome stands.
            drop(ExecutorGlobals::take_exception());
        }
    }
}

/// The filter of the `logLevel` option: every SDK target at that level. A ConfigException
/// naming `logLevel` when it is not a level (the value is not quoted).
fn level_filter(level: &str) -> qfpay::Result<LogFilter> {
    Level::parse(level)
        .and_then(|_| LogFilter::parse(level.trim()).ok().flatten())
        .ok_or_else(|| {
            qfpay::Error::config_option("logLevel", "must be error, warn, info, debug or trace")
        })
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
