//! The `qfpay._qfpay` extension module: the Python binding of the qfpay core. Conversions
//! only; every QFPay rule lives in the core crate. The public Python API is `qfpay`
//! (`python/qfpay/__init__.py`), which re-exports what is defined here.

mod aio;
mod client;
mod convert;
mod errors;
mod events;
mod functions;
mod results;
mod sandbox;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _qfpay(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", qfpay::VERSION)?;
    m.add("NOTIFICATION_ACK", qfpay::notify::ACK_BODY)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::QueryPages>()?;
    m.add_class::<client::QueryItems>()?;
    m.add_function(wrap_pyfunction!(functions::verify_notification, m)?)?;
    m.add_function(wrap_pyfunction!(functions::notification_signature, m)?)?;
    m.add_function(wrap_pyfunction!(functions::sign, m)?)?;
    m.add_function(wrap_pyfunction!(functions::string_to_sign, m)?)?;
    m.add_function(wrap_pyfunction!(functions::qr_svg, m)?)?;
    m.add_function(wrap_pyfunction!(functions::qr_png, m)?)?;
    m.add_function(wrap_pyfunction!(functions::qr_data_url, m)?)?;
    m.add_function(wrap_pyfunction!(functions::qr_terminal, m)?)?;
    m.add_function(wrap_pyfunction!(functions::generate_out_trade_no, m)?)?;
    m.add_function(wrap_pyfunction!(events::_env_log, m)?)?;
    m.add_function(wrap_pyfunction!(events::_parse_log_filter, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_config_error, m)?)?;
    results::register(m)?;
    sandbox::register(m)?;
    aio::register(m)?;
    Ok(())
}
