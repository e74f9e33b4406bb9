//! The TLS configuration every client uses, built once per process.
//!
//! Building a rustls configuration creates a platform verifier that reads and parses the
//! system's CA certificates: about 5 ms each time. A PHP-FPM worker that creates its `Client`
//! per request, or a test suite that creates one per test, would pay that on every client. The
//! configuration holds no connection state, so one copy serves every client of the process
//! (forked children included: it is immutable data): the platform verifier over the system
//! roots, TLS 1.2 and 1.3. Its ALPN list is left empty because hyper-rustls requires that and
//! sets it itself (`h2` then `http/1.1` to QFPay, nothing to a proxy).

use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};

/// The process's TLS client configuration (built on first use).
pub(crate) fn config() -> Result<rustls::ClientConfig> {
    static CONFIG: OnceLock<std::result::Result<rustls::ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(build)
        .clone()
        .map_err(|e| Error::config(format!("cannot set up TLS: {e}")))
}

fn build() -> std::result::Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| format!("the system's certificates could not be loaded ({e})"))?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_configuration_left_for_the_connector_to_finish() {
        let c = config().unwrap();
        // hyper-rustls panics on a preset ALPN list; it writes its own.
        assert!(c.alpn_protocols.is_empty());
        assert!(c.enable_sni);
        // Built once: a second call clones the same verifier.
        let again = config().unwrap();
        assert!(Arc::ptr_eq(
            &c.crypto_provider().clone(),
            again.crypto_provider()
        ));
    }
}
