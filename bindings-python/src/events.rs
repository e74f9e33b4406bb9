//! The core's events (`qfpay::events`) as `logging` records on `qfpay.http` and
//! `qfpay.reconcile`.
//!
//! Cheap when nothing listens: the threshold (the lowest level enabled on those loggers) is
//! read from Python when a call starts, on the caller's thread that holds the GIL anyway, and
//! cached in an atomic; the core asks [`EventSink::enabled`] before building an event, which is
//! one atomic load. Events are buffered as Rust values and handed to `logging` on a thread that
//! holds the GIL: after the call (sync client, and between the slices of a long wait) or when
//! the event loop drains the asyncio bridge. No I/O thread ever touches Python.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use qfpay::events::{Event, Level, Observer};

use crate::aio::Shared;

/// `logging` level numbers (TRACE is 5, registered by `qfpay._log`).
fn py_level(level: Level) -> u8 {
    match level {
        Level::Trace => 5,
        Level::Debug => 10,
        Level::Info => 20,
        Level::Warn => 30,
        Level::Error => 40,
    }
}

/// Nothing enabled.
const OFF: u8 = u8::MAX;

static THRESHOLD_FN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static EMIT_FN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn log_fn<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("qfpay._log")?.getattr(name)?.unbind())
        })?
        .bind(py))
}

static LEVEL_CACHE: PyOnceLock<Option<Py<PyDict>>> = PyOnceLock::new();

/// `qfpay._log._level_cache` (the `qfpay.http` logger's level cache, which `logging` clears
/// on every level change), if this Python has one.
fn level_cache<'py>(py: Python<'py>) -> Option<&'py Bound<'py, PyDict>> {
    LEVEL_CACHE
        .get_or_init(py, || {
            py.import("qfpay._log")
                .and_then(|m| m.getattr("_level_cache"))
                .ok()
                .and_then(|c| c.cast_into::<PyDict>().ok())
                .map(Bound::unbind)
        })
        .as_ref()
        .map(|c| c.bind(py))
}

fn clamp_level(v: i64) -> u8 {
    u8::try_from(v.clamp(0, 255)).unwrap_or(OFF)
}

/// The lowest `logging` level enabled on the SDK's loggers, read now: from the threshold that
/// `qfpay._log.threshold` keeps in the logger's level cache (one dict look-up, no Python frame),
/// or computed by it when a level changed since.
pub fn threshold(py: Python<'_>) -> u8 {
    if let Some(cache) = level_cache(py)
        && let Ok(Some(v)) = cache.get_item(intern!(py, "qfpay.threshold"))
        && let Ok(t) = v.extract::<i64>()
    {
        return clamp_level(t);
    }
    log_fn(py, &THRESHOLD_FN, "threshold")
        .and_then(|f| f.call0())
        .and_then(|v| v.extract::<i64>())
        .map(clamp_level)
        .unwrap_or(OFF)
}

/// Collects events for one call (sync client) or one event loop (asyncio bridge).
pub struct EventSink {
    threshold: AtomicU8,
    events: Mutex<Vec<Event>>,
    wake: Option<Arc<Shared>>,
}

impl EventSink {
    /// A sink; with `wake`, each event also wakes that event loop.
    pub fn new(wake: Option<Arc<Shared>>) -> Self {
        Self {
            threshold: AtomicU8::new(OFF),
            events: Mutex::new(Vec::new()),
            wake,
        }
    }

    /// Re-reads the threshold from `logging` (with the GIL, when a call starts); false when
    /// nothing would be logged at all.
    pub fn refresh(&self, py: Python<'_>) -> bool {
        let t = threshold(py);
        self.threshold.store(t, Ordering::Relaxed);
        t != OFF
    }

    /// Hands the buffered events to `logging`.
    pub fn flush(&self, py: Python<'_>) -> PyResult<()> {
        let events = match self.events.lock() {
            Ok(mut e) if !e.is_empty() => std::mem::take(&mut *e),
            _ => return Ok(()),
        };
        let list = PyList::empty(py);
        for e in events {
            let elapsed_ms = e.elapsed_ms();
            list.append((
                e.kind.as_str(),
                py_level(e.level),
                e.endpoint,
                e.attempt,
                e.out_trade_no,
                elapsed_ms,
                e.http_status,
                e.respcd,
                e.decision,
                e.reason,
                e.body,
                e.message,
            ))?;
        }
        log_fn(py, &EMIT_FN, "emit")?.call1((list,))?;
        Ok(())
    }
}

impl Observer for EventSink {
    fn enabled(&self, level: Level) -> bool {
        py_level(level) >= self.threshold.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event) {
        if let Ok(mut e) = self.events.lock() {
            e.push(event.clone());
        }
        if let Some(w) = &self.wake {
            w.ring();
        }
    }
}

/// The core client reporting to `sink` when logging wants anything (refreshing the threshold
/// now); otherwise the client unchanged.
pub fn observed(py: Python<'_>, client: qfpay::Client, sink: &Arc<EventSink>) -> qfpay::Client {
    if sink.refresh(py) {
        client.with_observer(Arc::clone(sink) as Arc<dyn Observer>)
    } else {
        client
    }
}

/// Logs the core's configuration warnings on `qfpay.config`.
pub fn config_warnings(py: Python<'_>, warnings: &[String]) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let f = py.import("qfpay._log")?.getattr("config_warnings")?;
    f.call1((warnings.to_vec(),))?;
    Ok(())
}

/// The `logging` loggers of the SDK and the `QFPAY_LOG` targets they stand for.
const LOGGER_TARGETS: [(&str, &str); 4] = [
    ("qfpay", "qfpay"),
    ("qfpay.http", "qfpay::http"),
    ("qfpay.reconcile", "qfpay::reconcile"),
    ("qfpay.config", "qfpay::config"),
];

/// A filter as `qfpay._log` applies it: `(levels, max_level)`, where `levels` maps each SDK
/// logger name to its `logging` level (`None`: off) and `max_level` is the most verbose level
/// over the SDK's targets (`None`: nothing logged); `(None, None)` without a filter.
type FilterView<'py> = (Option<Bound<'py, PyDict>>, Option<u8>);

fn filter_view<'py>(
    py: Python<'py>,
    filter: Option<&qfpay::LogFilter>,
) -> PyResult<FilterView<'py>> {
    let Some(f) = filter else {
        return Ok((None, None));
    };
    let levels = PyDict::new(py);
    for (logger, target) in LOGGER_TARGETS {
        levels.set_item(logger, f.level_for(target).map(py_level))?;
    }
    Ok((Some(levels), f.max_level().map(py_level)))
}

/// `QFPAY_LOG` read by the core's one rule (`qfpay::log_filter::env_log`):
/// `(levels, max_level, warning)`; `warning` is the message about an unusable value, given
/// only on the first call in the process (it never quotes the value).
#[pyfunction]
pub fn _env_log(py: Python<'_>) -> PyResult<(FilterView<'_>, Option<String>)> {
    let env = qfpay::log_filter::env_log();
    let view = filter_view(py, env.filter.as_ref())?;
    Ok((view, env.take_warning().map(str::to_owned)))
}

/// A `QFPAY_LOG` value parsed by the core's rule, without reading the environment (for tests):
/// `((levels, max_level), error)`.
#[pyfunction]
pub fn _parse_log_filter<'py>(
    py: Python<'py>,
    spec: &Bound<'py, PyAny>,
) -> PyResult<(FilterView<'py>, Option<String>)> {
    let spec = crate::convert::text("spec", spec)?;
    match qfpay::LogFilter::parse(&spec) {
        Ok(f) => Ok((filter_view(py, f.as_ref())?, None)),
        Err(e) => Ok(((None, None), Some(e))),
    }
}
