//! The core's events as `logging` records on `qfpay.http` and `qfpay.reconcile`. Cheap when
//! nothing listens: the lowest enabled level is read when a call starts (with the GIL) into an
//! atomic the core checks before building an event. Events are buffered as Rust values and
//! handed to `qfpay._log.emit` (as their `Serialize` form) on a thread holding the GIL: after
//! the call (or a slice of a long wait), or when the event loop drains the asyncio bridge.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use qfpay::events::{Event, Level, Observer};

use crate::aio::Shared;

/// The `logging` level number of `level` (by `Level`'s order, trace to error; TRACE is 5,
/// registered by `qfpay._log`).
fn py_level(level: Level) -> u8 {
    [5, 10, 20, 30, 40][level as usize]
}

const OFF: u8 = u8::MAX; // nothing enabled

/// `qfpay._log`'s `threshold`, `emit` and `_level_cache` (the `qfpay.http` logger's level
/// cache, which `logging` clears on every level change; `None` if this Python has none).
type Log = (Py<PyAny>, Py<PyAny>, Option<Py<PyDict>>);
static LOG: PyOnceLock<Log> = PyOnceLock::new();

fn log(py: Python<'_>) -> PyResult<&Log> {
    LOG.get_or_try_init(py, || {
        let m = py.import("qfpay._log")?;
        let cache = m.getattr("_level_cache")?.cast_into::<PyDict>().ok();
        Ok((
            m.getattr("threshold")?.unbind(),
            m.getattr("emit")?.unbind(),
            cache.map(Bound::unbind),
        ))
    })
}

/// The lowest `logging` level enabled on the SDK's loggers, read now: from the threshold that
/// `qfpay._log.threshold` keeps in the logger's level cache (one dict look-up, no Python frame),
/// or computed by it when a level changed since.
pub fn threshold(py: Python<'_>) -> u8 {
    let Ok((compute, _, cache)) = log(py) else {
        return OFF;
    };
    let cached = cache.as_ref().and_then(|c| {
        c.bind(py)
            .get_item(intern!(py, "qfpay.threshold"))
            .ok()
            .flatten()
    });
    match cached.map_or_else(|| compute.bind(py).call0(), Ok) {
        Ok(t) => t.extract::<i64>().map_or(OFF, |t| t.clamp(0, 255) as u8),
        Err(_) => OFF,
    }
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
            list.append(crate::results::result(py, "dict", &e)?)?;
        }
        log(py)?.1.call1(py, (list,))?;
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
    if !warnings.is_empty() {
        let log = py.import("qfpay._log")?;
        log.call_method1("config_warnings", (warnings.to_vec(),))?;
    }
    Ok(())
}

/// A filter as `qfpay._log` applies it: `(levels, max_level)`: each SDK logger's `logging`
/// level (`None`: off) and the most verbose of them; `(None, None)` without a filter.
type FilterView<'py> = (Option<Bound<'py, PyDict>>, Option<u8>);

fn filter_view<'py>(
    py: Python<'py>,
    filter: Option<&qfpay::LogFilter>,
) -> PyResult<FilterView<'py>> {
    let Some(f) = filter else {
        return Ok((None, None));
    };
    let levels = PyDict::new(py);
    // Each SDK logger stands for the `QFPAY_LOG` target of its name (`qfpay.http`: `qfpay::http`).
    for logger in ["qfpay", "qfpay.http", "qfpay.reconcile", "qfpay.config"] {
        levels.set_item(
            logger,
            f.level_for(&logger.replace('.', "::")).map(py_level),
        )?;
    }
    Ok((Some(levels), f.max_level().map(py_level)))
}

/// `QFPAY_LOG` read by the core's rule: `((levels, max_level), warning)`; the warning about an
/// unusable value (never quoting it) comes on the first call only.
#[pyfunction]
pub fn _env_log(py: Python<'_>) -> PyResult<(FilterView<'_>, Option<String>)> {
    let env = qfpay::log_filter::env_log();
    let view = filter_view(py, env.filter.as_ref())?;
    Ok((view, env.take_warning().map(str::to_owned)))
}

/// A `QFPAY_LOG` value parsed by the core's rule (for tests): `((levels, max_level), error)`.
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
