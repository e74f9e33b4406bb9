//! The `qfpay._qfpay` extension module: conversions only, every QFPay rule is the core's. The
//! package `qfpay` (`python/qfpay`) re-exports it.

mod aio;
mod client;
mod convert;
mod errors;
mod events;
mod functions;
mod results;
mod sandbox;

use pyo3::prelude::*;

include!("classes.rs");

/// The extension module.
#[pymodule]
fn _qfpay(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", qfpay::VERSION)?;
    m.add("NOTIFICATION_ACK", qfpay::notify::ACK_BODY)?;
    m.add_function(wrap_pyfunction!(events::_env_log, m)?)?;
    m.add_function(wrap_pyfunction!(events::_parse_log_filter, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_check_concurrency, m)?)?;
    add_generated(m)?;
    results::register(m)?;
    sandbox::register(m)?;
    m.add_class::<aio::Channel>()?;
    Ok(())
}
